"""The local identity set: two CAs, the chain of every certificate, atomic writes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from linkkit import errors
from linkkit.identity import IDENTITY_FILES, make_ca, make_csr, new_rsa_key, sign_csr, write_identity
from linkkit.keys import check_key_matches_certificate, load_certificate, load_private_key


def _verified_by(cert: x509.Certificate, ca: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(ca)
        return True
    except (ValueError, TypeError, Exception):
        return False


@pytest.mark.parametrize(
    "leaf,ca,usage",
    [
        ("samsung", "samsung-ca", None),
        ("partner", "samsung-ca", None),
        ("s2p-server", "samsung-ca", ExtendedKeyUsageOID.SERVER_AUTH),
        ("partner-client", "samsung-ca", ExtendedKeyUsageOID.CLIENT_AUTH),
        ("partner-server", "partner-ca", ExtendedKeyUsageOID.SERVER_AUTH),
        ("s2p-client", "partner-ca", ExtendedKeyUsageOID.CLIENT_AUTH),
    ],
)
def test_chain_and_roles(identity, leaf, ca, usage):
    files = identity.files
    cert, ca_cert = load_certificate(files[f"{leaf}.crt"]), load_certificate(files[f"{ca}.crt"])
    check_key_matches_certificate(load_private_key(files[f"{leaf}.key"]), cert)
    assert _verified_by(cert, ca_cert)
    other = "partner-ca" if ca == "samsung-ca" else "samsung-ca"
    assert not _verified_by(cert, load_certificate(files[f"{other}.crt"]))
    if usage is not None:
        assert usage in cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value


def test_server_certificates_name_loopback(identity):
    cert = load_certificate(identity.files["s2p-server.crt"])
    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in sans.get_values_for_type(x509.DNSName)
    assert "127.0.0.1" in {str(ip) for ip in sans.get_values_for_type(x509.IPAddress)}


def test_written_set(identity_dir):
    assert sorted(os.listdir(identity_dir)) == sorted([*IDENTITY_FILES, ".gitignore"])
    assert stat.S_IMODE(os.stat(identity_dir / "partner.key").st_mode) == 0o600
    conf = tomllib.loads((identity_dir / "linkkit.toml").read_text())
    assert conf["partner_id"] == "4030093436155138240" and conf["key"] == "partner.key"


def test_refuses_to_overwrite_and_writes_nothing(identity, tmp_path):
    (tmp_path / "partner.key").write_text("mine")
    with pytest.raises(errors.ConfigError, match="partner.key"):
        write_identity(tmp_path, identity.files)
    assert os.listdir(tmp_path) == ["partner.key"] and (tmp_path / "partner.key").read_text() == "mine"
    write_identity(tmp_path, identity.files, force=True)
    assert (tmp_path / "partner.key").read_bytes() == identity.files["partner.key"]
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]


def test_csr_signing_keeps_the_csr_key_and_name():
    ca = make_ca("test CA")
    key = new_rsa_key()
    cert = sign_csr(ca, make_csr(key, "partner 42"), client=True)
    assert cert.issuer == ca.certificate.subject
    assert cert.public_key().public_numbers() == key.public_key().public_numbers()
    assert "partner 42" in cert.subject.rfc4514_string()
    assert _verified_by(cert, ca.certificate)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_key_folder_is_private_and_ignored_whatever_the_umask(identity, tmp_path):
    # umask 0 would leave mkdir's folder 0777 and every file 0666: the modes are set, not inherited.
    old = os.umask(0)
    try:
        out = write_identity(tmp_path / "keys" / "nested", identity.files)[0].parent
    finally:
        os.umask(old)
    assert _mode(out) == 0o700
    assert {p.name: _mode(p) for p in out.iterdir() if p.suffix == ".key"} == {
        n: 0o600 for n in IDENTITY_FILES if n.endswith(".key")
    }
    assert _mode(out / "samsung-ca.crt") == 0o644
    assert (out / ".gitignore").read_text().splitlines()[-1] == "*"


def test_a_folder_with_other_files_keeps_its_mode_and_gets_no_ignore_file(identity, tmp_path):
    (tmp_path / "README").write_text("mine")
    tmp_path.chmod(0o755)
    write_identity(tmp_path, identity.files)
    assert _mode(tmp_path) == 0o755 and not (tmp_path / ".gitignore").exists()
    assert _mode(tmp_path / "partner-ca.key") == 0o600


def test_keys_generate_under_umask_0_leaves_nothing_for_git(tmp_path):
    # The README's command in a fresh repository, under the loosest umask: git sees no file of keys/.
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(
        [sys.executable, "-m", "linkkit.cli.main", "keys", "generate", "--out", "keys/"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        preexec_fn=lambda: os.umask(0),
    )
    keys = tmp_path / "keys"
    assert _mode(keys) == 0o700 and _mode(keys / "partner-ca.key") == 0o600
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=tmp_path, check=True, capture_output=True
    )
    assert status.stdout == b""


def test_the_repository_ignores_keys():
    root = Path(__file__).resolve().parents[1]
    assert "keys/" in (root / ".gitignore").read_text().splitlines()
