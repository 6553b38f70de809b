"""``linkkit keys check`` lists every key and certificate in use with its expiry (warning 30 days ahead, exit 1
once one has expired); ``linkkit keys rotate`` makes the next key and CSR with a switch-over date, then takes
the Partner Portal's certificate."""

from __future__ import annotations

import json
import stat
import tomllib
from pathlib import Path

import pytest
from cryptography import x509

from linkkit.cli.main import main
from linkkit.identity import cert_pem, sign_csr, write_identity
from linkkit.keyring_file import load_keyring
from tests.conftest import CERTIFICATE_ID, Identity
from tests.ops.conftest import Spare


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def folder(tmp_path: Path, identity: Identity, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_identity(tmp_path, identity.files)
    monkeypatch.setenv("LINKKIT_CONFIG", str(tmp_path / "linkkit.toml"))
    return tmp_path


def test_check_lists_every_key_and_certificate_with_its_expiry(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    with (folder / "linkkit.toml").open("a") as fh:
        fh.write('tls_certs = ["partner-client.crt"]\n')
    code, out, err = run(capsys, "keys", "check")
    assert code == 0, err
    assert f"partner certificate {CERTIFICATE_ID} (partner.crt): expires on" in out
    samsung_id = tomllib.loads((folder / "linkkit.toml").read_text())["samsung_certificate_id"]
    for name in (
        f"Samsung certificate {samsung_id} (samsung.crt)",
        "Samsung CA certificate",
        "TLS certificate (partner-client.crt)",
    ):
        assert name in out
    assert out.rstrip().endswith("ok: 5 keys and certificates, none expired") and "BEGIN" not in out
    code, out, _ = run(capsys, "keys", "check", "--json")
    items = json.loads(out)["items"]
    assert code == 0 and {i["status"] for i in items} == {"ok"} and len(items) == 5


def test_check_warns_30_days_ahead_and_fails_on_an_expired_certificate(
    capsys: pytest.CaptureFixture[str], folder: Path, spare: Spare, identity: Identity
) -> None:
    import time

    soon = spare.certificate(spare.samsung2_key, expires=time.time() + 10 * 86400)
    gone = spare.certificate(spare.partner2_key, expires=time.time() - 86400)
    (folder / "soon.crt").write_bytes(cert_pem(soon))
    (folder / "gone.crt").write_bytes(cert_pem(gone))
    config = folder / "linkkit.toml"
    config.write_text(config.read_text() + '\n[[samsung_certs]]\ncertificate_id = "SOON"\ncert = "soon.crt"\n')
    code, out, err = run(capsys, "keys", "check")
    assert code == 0 and "Samsung certificate SOON (soon.crt): expires soon, renew it" in out
    assert "1 expire within 30 days" in err
    config.write_text(config.read_text() + '\n[[samsung_certs]]\ncertificate_id = "GONE"\ncert = "gone.crt"\n')
    code, out, err = run(capsys, "keys", "check")
    assert code == 1 and "Samsung certificate GONE (gone.crt): EXPIRED on" in out and "1 expired" in err
    code, out, _ = run(capsys, "keys", "check", "--json")
    assert code == 1 and json.loads(out)["ok"] is False


def test_check_of_one_pair_still_works_and_says_the_expiry(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    code, out, _ = run(capsys, "keys", "check", str(folder / "partner.key"), str(folder / "partner.crt"))
    assert code == 0 and out.startswith("ok:") and "days left" in out
    code, _, err = run(capsys, "keys", "check", str(folder / "partner.key"))
    assert code == 2 and "give both" in err


def test_rotate_makes_the_next_key_and_csr_then_takes_the_portals_certificate(
    capsys: pytest.CaptureFixture[str], folder: Path, identity: Identity, spare: Spare
) -> None:
    code, out, err = run(capsys, "keys", "rotate", "--use-from", "2027-03-01")
    assert code == 0, err
    assert "switch-over: 2027-03-01 00:00 UTC" in out and "--certificate-id ID --cert partner-next.crt" in out
    key, csr_file = folder / "partner-next.key", folder / "partner-next.csr"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and "BEGIN" not in out + err
    csr = x509.load_pem_x509_csr(csr_file.read_bytes())
    assert csr.is_signature_valid and csr.subject == identity.partner_cert.subject
    # pending: listed, not used
    assert [k.certificate_id for k in load_keyring(folder / "linkkit.toml").partner_keys] == [CERTIFICATE_ID]
    code, out, _ = run(capsys, "keys", "check")
    assert "partner-next.key (pending): waiting for its certificate, to sign from 2027-03-01" in out
    code, _, err = run(capsys, "keys", "rotate")
    assert code == 2 and "already there" in err

    # the Partner Portal signs the CSR (the sandbox's CA plays it) and gives an id
    portal = folder / "from-portal.crt"
    portal.write_bytes(cert_pem(sign_csr(spare.samsung_ca, csr)))
    code, _, err = run(capsys, "keys", "rotate", "--certificate-id", "Nx42", "--cert", str(folder / "partner.crt"))
    assert code == 2 and "does not belong" in err  # not the new key's certificate
    code, _, err = run(capsys, "keys", "rotate", "--certificate-id", CERTIFICATE_ID, "--cert", str(portal))
    assert code == 2 and "listed twice" in err  # the id of the current certificate
    code, out, err = run(capsys, "keys", "rotate", "--certificate-id", "Nx42", "--cert", str(portal))
    assert code == 0, err
    keyring = load_keyring(folder / "linkkit.toml")
    assert [k.certificate_id for k in keyring.partner_keys] == [CERTIFICATE_ID, "Nx42"]
    switch = keyring.partner_keys[1].use_from
    assert switch is not None and keyring.partner_key(switch - 1).certificate_id == CERTIFICATE_ID
    assert keyring.partner_key(switch).certificate_id == "Nx42"
    code, _, err = run(capsys, "keys", "rotate", "--certificate-id", "Nx42", "--cert", str(portal))
    assert code == 2 and "complete already" in err


def test_rotate_refuses_what_it_cannot_do(capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, "keys", "rotate", "--use-from", "2027-03-01T08:00:00")
    assert code == 2 and "time zone" in err
    code, _, err = run(capsys, "keys", "rotate", "--certificate-id", "Nx42")
    assert code == 2 and "both --certificate-id and --cert" in err
    code, _, err = run(capsys, "keys", "rotate", "--name", "../escape")
    assert code == 2 and "name:" in err
    code, _, err = run(capsys, "--config", str(tmp_path / "nowhere.toml"), "keys", "check")
    assert code == 2 and "not found" in err
