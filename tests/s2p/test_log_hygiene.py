"""No token, capability, blob or key in any log line of the Save to Pay flow, all parts real.

The partner registers over mutual TLS, the welcome page is polled, the simulated wallet app scans,
links (once refused, once accepted) and finishes; the sandbox notifies the partner over mutual TLS. All
log output (every logger at DEBUG, the access lines of the three servers, stdout and stderr) is then
searched for the secrets of that flow.
"""

from __future__ import annotations

import httpx
import pytest

from linkkit.errors import ApiError
from linkkit.sandbox.s2p import WalletAccount
from tests.conftest import Identity
from tests.log_capture import all_log_output, leaks, pem_bodies

from .conftest import BLOB, registration

EMAIL = "shopper.q7@example.com"
PHONE = "+1(555)0177"


def test_no_secret_in_any_log_line(client, wallet, partner, sandbox, identity: Identity, capfd) -> None:
    with all_log_output() as lines:
        info = client.register(registration(email=EMAIL, phone=PHONE, enforce_email_matching=True), card_ref="c-q7")
        assert httpx.get(f"{info.welcome_url}/status").status_code == 200
        link = wallet.scan(info.welcome_url)
        with pytest.raises(ApiError):
            wallet.link(link, WalletAccount(email="someone.else@example.com"))
        wallet.link(link, WalletAccount(email=EMAIL))
        wallet.finish(link, "success")
        assert httpx.get(f"{info.welcome_url}/status").json()["final"] is True
        httpx.get(f"{info.welcome_url[:-4]}AAAA/status")  # a welcome token that does not exist
    out = capfd.readouterr()
    text = "\n".join(lines) + "\n" + out.out + "\n" + out.err
    assert "/v1/welcome/" in text and "/v1/wallet/" in text  # the access lines were captured
    found = leaks(
        text,
        {
            "welcome token": [info.welcome_url.rsplit("/", 1)[1]],
            "wallet link": [link.rsplit("/", 1)[1]],
            "issuer blob": [BLOB, BLOB.split(".")[-1]],
            "email": [EMAIL],
            "phone": [PHONE, "5550177"],
            "key": pem_bodies(identity.files),
        },
    )
    assert not found, "\n".join(found)
