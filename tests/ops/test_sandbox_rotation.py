"""The sandbox's rotation controls, as Samsung and the Partner Portal would act: Samsung certificates published,
activated and retired; partner CSRs certified under a new certificateId. Then the partner key rotation run
end to end with `linkkit keys rotate` against a sandbox and a partner that reads linkkit.toml."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509

from linkkit._serving import ServerThread
from linkkit.cli.main import main
from linkkit.identity import write_identity
from linkkit.keyring_file import KeyringFile, read_settings
from linkkit.keys import public_key_of
from linkkit.links import fetch_link
from linkkit.partner import PartnerConfig, PartnerServer, SQLiteStore
from linkkit.sandbox import SandboxConfig, create_app
from linkkit.verify import decode_jws
from tests.conftest import CERTIFICATE_ID, Identity
from tests.ops.conftest import Spare


@pytest.fixture
def folder(tmp_path: Path, identity: Identity, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_identity(tmp_path, identity.files)
    monkeypatch.setenv("LINKKIT_CONFIG", str(tmp_path / "linkkit.toml"))
    return tmp_path


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10.0) as client:
        yield client


def test_samsung_certificates_are_published_activated_and_retired(folder: Path, http: httpx.Client) -> None:
    config = SandboxConfig.from_identity(folder)
    first = config.samsung_id
    with ServerThread(create_app(config)) as sandbox:
        base = f"{sandbox.url}/_sandbox/samsung-certificates"
        listed = http.get(base).json()["certificates"]
        assert [(c["certificateId"], c["active"]) for c in listed] == [(first, True)]
        made = http.post(base, json={"certificateId": "Sm27"})
        assert made.status_code == 201 and made.json()["active"] is False
        certificate = x509.load_pem_x509_certificate(made.json()["certificate"].encode())
        pem = http.get(f"{base}/Sm27/certificate")
        assert pem.headers["content-type"] == "application/x-pem-file"
        assert x509.load_pem_x509_certificate(pem.content) == certificate
        assert http.post(base, json={"certificateId": "Sm27"}).status_code == 400  # taken
        assert http.post(base, json={"certificateId": "no spaces"}).status_code == 400
        assert http.get(f"{base}/{first}/certificate").status_code == 404  # the identity's own: its samsung.crt
        assert http.delete(f"{base}/{first}").status_code == 400  # the active one cannot go
        assert http.post(f"{base}/nope/activate").status_code == 404
        assert http.post(f"{base}/Sm27/activate").json()["active"] is True
        assert http.get(f"{sandbox.url}/_sandbox/info").json()["samsungCertificateId"] == "Sm27"
        assert http.delete(f"{base}/{first}").status_code == 200
        assert [c["certificateId"] for c in http.get(base).json()["certificates"]] == ["Sm27"]
        assert "BEGIN RSA PRIVATE" not in made.text and "PRIVATE KEY" not in made.text


def test_a_partner_csr_is_certified_under_a_new_certificate_id(folder: Path, http: httpx.Client, spare: Spare) -> None:
    from cryptography.hazmat.primitives import serialization

    from linkkit.identity import make_csr

    with ServerThread(create_app(SandboxConfig.from_identity(folder))) as sandbox:
        base = f"{sandbox.url}/_sandbox/partner-certificates"
        assert http.get(base).json() == {"certificateIds": [CERTIFICATE_ID]}
        csr = make_csr(spare.partner2_key, "partner next").public_bytes(serialization.Encoding.PEM)
        answer = http.post(base, content=csr)
        assert answer.status_code == 201
        new_id = answer.json()["certificateId"]
        issued = x509.load_pem_x509_certificate(answer.json()["certificate"].encode())
        assert public_key_of(issued).public_numbers() == spare.partner2_key.public_key().public_numbers()
        assert http.get(f"{base}/{new_id}/certificate").content.startswith(b"-----BEGIN CERTIFICATE-----")
        assert sorted(http.get(base).json()["certificateIds"]) == sorted([CERTIFICATE_ID, new_id])
        assert http.post(base, content=b"not a csr").status_code == 400
        assert http.post(f"{base}?certificateId={new_id}", content=csr).status_code == 400  # taken
        assert http.delete(f"{base}/{CERTIFICATE_ID}").status_code == 200
        assert http.delete(f"{base}/{new_id}").status_code == 400  # the only one left


def test_the_partner_key_rotation_end_to_end(
    folder: Path, http: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    """keys rotate → the sandbox certifies the CSR → keys rotate --certificate-id → from use_from the partner's
    tokens carry the new certificateId and the sandbox verifies them with the new certificate; links made
    under the old id still open; keys retire removes the old key."""
    switch = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=20)  # room for the steps before it under load
    assert main(["keys", "rotate", "--use-from", switch.strftime("%Y-%m-%dT%H:%M:%SZ")]) == 0
    keys = KeyringFile(folder / "linkkit.toml", check_every=0.2)
    store = SQLiteStore(":memory:")
    card_id = str(read_settings(folder / "linkkit.toml")["card_id"])

    class Cards:
        def get_card(self, card: str, ref_id: str, fields: object) -> object:
            return {
                "card": {
                    "type": "loyalty",
                    "subType": "others",
                    "data": [
                        {
                            "refId": ref_id,
                            "createdAt": 1_795_000_000_000,
                            "updatedAt": 1_795_000_000_000,
                            "language": "en",
                            "attributes": {
                                "title": "Member",
                                "providerName": "Coffee & Co",
                                "appLinkLogo": "https://example.com/logo.png",
                                "appLinkName": "Coffee & Co",
                                "appLinkData": "https://example.com/app",
                            },
                        }
                    ],
                }
            }

    partner = PartnerServer(PartnerConfig(keyring=keys, card_ids={card_id}), Cards(), store=store)
    with ServerThread(partner.wsgi_app()) as served:
        config = SandboxConfig.from_identity(folder, partner_base_url=served.url)
        with ServerThread(create_app(config)) as sandbox:
            csr = (folder / "partner-next.csr").read_bytes()
            issued = http.post(f"{sandbox.url}/_sandbox/partner-certificates", content=csr).json()
            (folder / "from-portal.crt").write_text(issued["certificate"])
            new_id = issued["certificateId"]
            command = ["keys", "rotate", "--certificate-id", new_id, "--cert", str(folder / "from-portal.crt")]
            assert main(command) == 0
            capsys.readouterr()

            def opened(link_certificate: str) -> str:
                link = fetch_link(link_certificate, card_id, f"member-{time.monotonic_ns()}", base=sandbox.url)
                session = http.post(f"{sandbox.url}/_sandbox/api/open", json={"link": link}).json()
                assert session["step"] == "preview", session
                return str(partner.config.certificate_id)

            assert opened(CERTIFICATE_ID) == CERTIFICATE_ID  # the old key signs until the date
            deadline = time.monotonic() + 40
            while partner.config.certificate_id != new_id:
                assert time.monotonic() < deadline, "the new key never took over"
                time.sleep(0.2)
            assert opened(CERTIFICATE_ID) == new_id  # a link made under the old id: the new key answers
            assert opened(new_id) == new_id
            token = partner.config.current_signer().card_data_token({"card": {"type": "loyalty"}})
            assert decode_jws(token).header["certificateId"] == new_id

            assert main(["keys", "retire", CERTIFICATE_ID]) == 0
            assert f'certificate_id = "{new_id}"' in (folder / "linkkit.toml").read_text()
            time.sleep(0.5)
            assert partner.config.certificate_ids == (new_id,)
            assert opened(new_id) == new_id
    store.close()
