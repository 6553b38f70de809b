"""Loading keys and certificates once, with errors that never show key material."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from linkkit import errors
from linkkit.identity import new_rsa_key
from linkkit.keys import check_key_matches_certificate, load_certificate, load_private_key


def test_pkcs8_and_pkcs1_and_encrypted(identity, tmp_path):
    key = identity.partner_key
    pkcs1 = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    assert pkcs1.startswith(b"-----BEGIN RSA PRIVATE KEY-----")
    encrypted = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"s3cret")
    )
    path = tmp_path / "k.pem"
    path.write_bytes(encrypted)
    for loaded in (
        load_private_key(identity.files["partner.key"]),
        load_private_key(pkcs1),
        load_private_key(pkcs1.decode()),
        load_private_key(path, password="s3cret"),
        load_private_key(str(path), password=b"s3cret"),
    ):
        assert loaded.private_numbers() == key.private_numbers()


def test_password_errors_do_not_leak(identity, tmp_path):
    encrypted = identity.partner_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"pw")
    )
    with pytest.raises(errors.KeyLoadError, match="encrypted: give its password"):
        load_private_key(encrypted)
    with pytest.raises(errors.KeyLoadError, match="wrong password") as info:
        load_private_key(encrypted, password="nope")
    assert "BEGIN" not in str(info.value) and "nope" not in str(info.value)
    with pytest.raises(errors.KeyLoadError, match="not encrypted"):
        load_private_key(identity.files["partner.key"], password="x")


def test_unreadable_and_wrong_files(tmp_path, identity):
    with pytest.raises(errors.KeyLoadError, match="cannot read"):
        load_private_key(tmp_path / "missing.key")
    garbage = tmp_path / "g.key"
    garbage.write_bytes(b"-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n")
    with pytest.raises(errors.KeyLoadError, match=str(garbage)) as info:
        load_private_key(garbage)
    assert "not base64" not in str(info.value)
    with pytest.raises(errors.KeyLoadError, match="not a PEM X.509"):
        load_certificate(identity.files["partner.key"])
    with pytest.raises(TypeError):
        load_private_key(12)  # type: ignore[arg-type]


def test_non_rsa_and_short_keys():
    ec_pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(errors.KeyLoadError, match="RSA key is required"):
        load_private_key(ec_pem)
    short = new_rsa_key(1024).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(errors.KeyLoadError, match="at least 2048 bits"):
        load_private_key(short)


def test_key_matches_certificate(identity):
    check_key_matches_certificate(identity.partner_key, identity.partner_cert)
    with pytest.raises(errors.KeyLoadError, match="does not belong"):
        check_key_matches_certificate(identity.partner_key, identity.samsung_cert)
