"""The sandbox's body checks: Samsung's examples pass, every rule names its field, fuzz never escapes."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from linkkit.cards import check_card
from linkkit.errors import FieldError
from linkkit.sandbox.validate import check_batch_update, check_cancel, check_reference_query, check_template

from ..cards._samples import sample

PARTNER = "4083254626439156160"
# Samsung's template examples
CREATE = {
    "prtnrId": PARTNER,
    "templateRefId": "123456781864545365",
    "title": "Coupon",
    "countryCode": "KR",
    "cardType": "coupon",
    "subType": "others",
    "noNetworkSupportYn": "N",
    "shareButtonExposureYN": "Y",
}
UPDATE = {
    "prtnrId": PARTNER,
    "cardId": "3hdpejr6qi380",
    "templateRefId": "123456781864545365",
    "title": "Coupon",
    "countryCode": "KR",
    "noNetworkSupportYn": "N",
    "shareButtonExposureYN": "Y",
}


def _paths(errors: list[FieldError]) -> list[str]:
    return [e.path for e in errors]


def test_samsungs_examples_pass() -> None:
    assert check_template({"cardTemplate": CREATE}, update=False, partner_id=PARTNER) == []
    assert check_template({"cardTemplate": UPDATE}, update=True, partner_id=PARTNER) == []
    # Samsung's Batch Update, Cancel Notification and Get Reference Ids examples
    batch = {"card": {"type": "ticket", "data": [{"eventId": "event-0001", "state": "UPDATED"}]}}
    assert check_batch_update(batch) == []
    cancel = {"card": {"type": "ticket", "data": [{"refId": "event-722164a1a7", "state": "CANCELED"}]}}
    assert check_cancel(cancel) == []
    assert check_reference_query({"eventId": "testing", "type": "boardingpass"}) == []


def test_template_rules() -> None:
    errors = check_template(
        {
            "cardTemplate": {
                **CREATE,
                "cardType": "generic",
                "subType": "others",
                "category": "parking",
                "saveInServerYn": "Y",
                "desc": "x" * 501,
            }
        },
        update=False,
        partner_id=PARTNER,
    )
    assert _paths(errors) == ["cardTemplate.desc", "cardTemplate.saveInServerYn"]
    missing = check_template({"cardTemplate": {}}, update=True, partner_id=PARTNER)
    assert _paths(missing) == ["cardTemplate.prtnrId", "cardTemplate.cardId", "cardTemplate.templateRefId"]
    assert _paths(check_template({"x": 1}, update=False, partner_id=PARTNER)) == ["cardTemplate"]
    extra = check_template({"cardTemplate": CREATE, "other": 1}, update=False, partner_id=PARTNER)
    assert _paths(extra) == ["other"]
    assert "cardTemplate.cardType" in _paths(
        check_template({"cardTemplate": {**UPDATE, "cardType": "coupon"}}, update=True, partner_id=PARTNER)
    )


def test_cancel_rules_by_card_type() -> None:
    boarding = check_cancel({"card": {"type": "boardingpass", "data": [{"state": "CANCELED"}]}})
    assert _paths(boarding) == ["card.data[0].vehicleNumber", "card.data[0].estimatedOrActualStartDate"]
    other = check_cancel({"card": {"type": "coupon", "data": [{"state": "CANCELED"}]}})
    assert _paths(other) == ["card.data[0].refId"]
    dated = check_cancel(
        {
            "card": {
                "type": "boardingpass",
                "data": [{"vehicleNumber": "KE1", "estimatedOrActualStartDate": "tomorrow", "state": "CANCELED"}],
            }
        }
    )
    assert _paths(dated) == ["card.data[0].estimatedOrActualStartDate"]
    assert _paths(check_cancel({"card": {"type": "ticket", "data": [], "x": 1}})) == ["card.x", "card.data"]
    assert _paths(check_cancel({"card": {"type": "ticket", "data": ["x"]}})) == ["card.data[0]"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=10,
)
keys = st.sampled_from(
    [
        "card",
        "type",
        "data",
        "eventId",
        "state",
        "refId",
        "vehicleNumber",
        "cardTemplate",
        "title",
        "cardType",
        "subType",
        "prtnrId",
        "cardId",
        "templateRefId",
    ]
)
structured = st.recursive(json_values, lambda children: st.dictionaries(keys, children, max_size=6), max_leaves=12)


@settings(max_examples=60, deadline=None)
@given(structured, st.booleans())
def test_fuzz_only_field_errors(body: Any, update: bool) -> None:
    for errors in (
        check_batch_update(body),
        check_cancel(body),
        check_template(body, update=update, partner_id=PARTNER),
    ):
        assert all(isinstance(e, FieldError) and isinstance(e.path, str) for e in errors)
    if isinstance(body, dict):
        assert all(isinstance(e, FieldError) for e in check_reference_query({str(k): str(v) for k, v in body.items()}))


def test_card_members_are_judged_by_the_card_rules_themselves() -> None:
    """eventId, refId, vehicleNumber, the start date, the state and the card type of server-API bodies
    get the card validator's verdict and reason (one rule, not a second copy)."""
    values = {
        "vehicleNumber": "V" * 33,
        "estimatedOrActualStartDate": 1_735_000_000,  # seconds: refused here too now
        "state": "cancelled",
    }
    cancel = check_cancel({"card": {"type": "boardingpass", "data": [{"refId": "a/b", **values}]}})
    card = sample("boarding pass")
    card["card"]["data"][0]["attributes"].update(vehicleNumber=values["vehicleNumber"])
    card["card"]["data"][0]["attributes"].update(estimatedOrActualStartDate=values["estimatedOrActualStartDate"])
    card["card"]["data"][0].update(refId="a/b", state="cancelled")
    from_card = {e.path.rsplit(".", 1)[1]: e.reason for e in check_card(card)}
    assert {e.path.rsplit(".", 1)[1]: e.reason for e in cancel} == {
        key: from_card[key] for key in ("refId", "vehicleNumber", "estimatedOrActualStartDate", "state")
    }


def test_card_types_and_sub_types_come_with_did_you_mean() -> None:
    errors = check_template({"cardTemplate": {**CREATE, "cardType": "Coupon"}}, update=False, partner_id=PARTNER)
    assert [(e.path, e.reason.rsplit("(", 1)[1]) for e in errors] == [
        ("cardTemplate.cardType", 'did you mean "coupon"?)')
    ]
    errors = check_template({"cardTemplate": {**CREATE, "subType": "other"}}, update=False, partner_id=PARTNER)
    assert [(e.path, e.reason) for e in errors] == [
        ("cardTemplate.subType", 'must be one of "others" for type "coupon" (did you mean "others"?)')
    ]
    batch = check_batch_update({"card": {"type": "tickets", "data": [{"eventId": "e-1"}]}})
    assert batch[0].path == "card.type" and batch[0].reason.endswith('(did you mean "ticket"?)')
    assert check_reference_query({"eventId": "e-1", "type": "boarding_pass"})[0].reason.endswith(
        '(did you mean "boardingpass"?)'
    )


def test_template_urls_follow_the_card_url_rule() -> None:
    for value, reason in (
        ("ftp://example.com/x", "must be an absolute http(s) URL"),
        ("https://example.com/" + "a" * 200, "must be at most 200 characters (String(200))"),
        ("", "must be a non-empty string of at most 200 characters"),
    ):
        errors = check_template({"cardTemplate": {**CREATE, "appLogoImg": value}}, update=False, partner_id=PARTNER)
        assert [(e.path, e.reason) for e in errors] == [("cardTemplate.appLogoImg", reason)]
