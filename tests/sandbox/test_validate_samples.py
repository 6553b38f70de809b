"""The real sandbox (linkkit.testing fixtures, both sides over HTTP) gives cards the validator's verdict:
Samsung-sample-shaped cards are accepted with the same warnings, refused only by a strict sandbox,
and every error case is refused with its field named."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from linkkit._serving import ServerThread
from linkkit.cards import validate_card
from linkkit.clients.wallet import WalletClient
from linkkit.errors import BadRequestError
from linkkit.links import fetch_link, transmit_link
from linkkit.sandbox import SandboxConfig, create_app
from linkkit.testing import LocalIdentity, SandboxHandle
from tests.cards._samples import SAMPLES, TICKET_LOCATIONS_AS_ARRAY, conformant, sample
from tests.conftest import CARD_ID, CERTIFICATE_ID
from tests.sandbox.conftest import Partner


@pytest.fixture(scope="module")
def strict_sandbox(linkkit_identity: LocalIdentity) -> Iterator[SandboxHandle]:
    """A second sandbox, with ``strict_cards=True``: it refuses warnings too."""
    config = SandboxConfig.from_identity(dict(linkkit_identity.files), card_ids=frozenset(), strict_cards=True)
    with ServerThread(create_app(config)) as server:
        handle = SandboxHandle(server.url, linkkit_identity)
        try:
            yield handle
        finally:
            handle.close()


def _transmit(sandbox: SandboxHandle, partner: Partner, card: dict[str, Any]) -> dict[str, Any]:
    return sandbox.open_link(transmit_link(CARD_ID, partner.signer.card_data_token(card), base=sandbox.url))


def _expected_warnings(card: dict[str, Any]) -> list[str]:
    return [str(w) for w in validate_card(card).warnings]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_data_transmit_of_a_sample_shaped_card_is_previewed_with_the_validators_warnings_and_added(
    linkkit_sandbox: SandboxHandle, partner: Partner, name: str
) -> None:
    card = sample(name)
    session = _transmit(linkkit_sandbox, partner, card)
    assert session["step"] == "preview", session
    assert session["warnings"] == _expected_warnings(card)
    assert [w.rsplit("[", 1)[1].rstrip("]") for w in session["warnings"]] == [rule for rule, _ in SAMPLES[name][1]]
    assert linkkit_sandbox.add(session)["step"] == "added"
    (stored,) = linkkit_sandbox.cards()
    assert stored["refId"] == card["card"]["data"][0]["refId"]
    assert stored["subType"] == card["card"].get("subType", "others")  # the coupon stands for "others"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_data_fetch_of_a_sample_shaped_card_passes_the_partner_and_the_sandbox(
    linkkit_sandbox: SandboxHandle, partner: Partner, name: str
) -> None:
    card = sample(name)
    ref_id = card["card"]["data"][0]["refId"]
    partner.cards.cards[(CARD_ID, ref_id)] = card
    session = linkkit_sandbox.open_link(fetch_link(CERTIFICATE_ID, CARD_ID, ref_id, base=linkkit_sandbox.url))
    assert session["step"] == "preview", session
    assert session["card"] == card and session["warnings"] == _expected_warnings(card)


def test_a_sample_shaped_card_added_to_an_account_through_the_server_api(
    linkkit_sandbox: SandboxHandle, partner: Partner
) -> None:
    with WalletClient(linkkit_sandbox.partner_signer(), linkkit_sandbox.endpoints) as client:
        accepted = client.add_card(CARD_ID, sample("coupon"), account={"type": "email", "value": "a@example.com"})
        assert accepted.status == 200
        strict_card = sample("coupon")
        strict_card["card"]["data"][0]["attributes"]["title"] = "t" * 33
        with pytest.raises(BadRequestError, match=r"card\.data\[0\]\.attributes\.title"):
            client.add_card(CARD_ID, strict_card, account={"type": "email", "value": "a@example.com"})
    (stored,) = linkkit_sandbox.cards()
    assert stored["subType"] == "others" and stored["source"] == "server"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_strict_sandbox_refuses_sample_shaped_cards_naming_the_first_warning(
    strict_sandbox: SandboxHandle, partner: Partner, name: str
) -> None:
    card = sample(name)
    session = _transmit(strict_sandbox, partner, card)
    assert session["step"] == "error" and session["error"]["code"] == "invalid_card"
    first_path = SAMPLES[name][1][0][1]
    assert f"{first_path}: " in session["error"]["message"] and "refused in strict mode" in session["error"]["message"]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_strict_sandbox_accepts_the_samples_once_mended(
    strict_sandbox: SandboxHandle, partner: Partner, name: str
) -> None:
    card = conformant(name)
    assert validate_card(card, strict=True).warnings == ()
    session = _transmit(strict_sandbox, partner, card)
    assert session["step"] == "preview" and session["warnings"] == [], session


def _locations_as_an_array(card: dict[str, Any]) -> None:
    card["card"]["data"][0]["attributes"]["locations"] = [{}]  # Samsung's Ticket.json does this


def _seven_entries(card: dict[str, Any]) -> None:
    first = card["card"]["data"][0]
    card["card"]["data"] = [dict(copy.deepcopy(first), refId=f"cp-{i}") for i in range(7)]


ERRORS = [
    ("coupon", lambda c: c["card"]["data"][0]["attributes"].update(title="t" * 33), "card.data[0].attributes.title"),
    ("coupon", lambda c: c["card"].update(type="coupons"), "card.type"),
    ("coupon", lambda c: c["card"]["data"][0]["attributes"].update(expiry="soon"), "card.data[0].attributes.expiry"),
    ("coupon", _seven_entries, "card.data"),
    ("event ticket", _locations_as_an_array, TICKET_LOCATIONS_AS_ARRAY[0]),
    (
        "boarding pass",
        lambda c: c["card"]["data"][0]["attributes"].update(providerLogo={"darkUrl": "https://x.example/d.png"}),
        "card.data[0].attributes.providerLogo",
    ),
]


@pytest.mark.parametrize(("name", "mutate", "path"), ERRORS)
def test_both_sandboxes_refuse_error_cases_naming_the_field(
    linkkit_sandbox: SandboxHandle, strict_sandbox: SandboxHandle, partner: Partner, name: str, mutate: Any, path: str
) -> None:
    # The default sandbox on the sample itself, the strict one on the mended sample (whose first error
    # is then the one made here, not a warning of the sample).
    for sandbox, card in ((linkkit_sandbox, sample(name)), (strict_sandbox, conformant(name))):
        mutate(card)
        session = _transmit(sandbox, partner, card)
        assert session["step"] == "error" and session["error"]["code"] == "invalid_card", session
        assert session["error"]["message"].startswith(f"the card is not valid: {path}: ")
