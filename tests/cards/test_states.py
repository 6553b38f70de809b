"""Card states, Send Card State events and update-notification entries (Samsung's card lifecycle APIs)."""

from __future__ import annotations

import enum

import pytest

from linkkit.cards import CardEvent, CardState, check_update_entry, check_update_notification, validate_update_entry
from linkkit.errors import ValidationError

STATE_REASON = (
    'must be one of "ACTIVE", "UPDATED", "EXPIRED", "REDEEMED", "HELD", "DELETED", "CANCELED", "PENDING", '
    '"SUSPENDED", "MIGRATED"'
)


def test_states_and_events_are_the_wire_strings() -> None:
    assert [s.value for s in CardState] == [
        "ACTIVE", "UPDATED", "EXPIRED", "REDEEMED", "HELD", "DELETED", "CANCELED", "PENDING", "SUSPENDED", "MIGRATED",
    ]  # fmt: skip
    assert [e.value for e in CardEvent] == ["ADDED", "UPDATED", "DELETED", "PROVISIONED"]
    assert issubclass(CardState, enum.StrEnum) and issubclass(CardEvent, enum.StrEnum)
    assert CardState("EXPIRED") is CardState.EXPIRED
    assert f"{CardEvent.ADDED}" == "ADDED"  # usable directly in a query string


@pytest.mark.parametrize(
    "entry",
    [
        {"refId": "ref-ticket-0001", "state": "UPDATED"},  # Samsung's Update Notification example, case 1
        {"refId": "ref-boardingpass-0001", "state": "DELETED"},  # case 2
        {"refId": "ref-idcard-0001", "state": "UPDATED", "fields": "balance"},  # case 3
        {"refId": "BJD8W6REDA", "state": "MIGRATED", "oldRefId": "DG76S8DFEWR",
         "atwLink": "https://a.swallet.link/atw/v3/YMtt/3glji6d406000#Clip?pdata=BJD8W6REDA"},  # case 4
        {"refId": "r1", "state": CardState.UPDATED, "fields": "balance,barcode.value"},
    ],
)  # fmt: skip
def test_samsungs_examples_pass(entry: dict[str, object]) -> None:
    assert check_update_entry(entry) == []
    validate_update_entry(entry)


def test_migrated_requires_old_ref_id_and_atw_link() -> None:
    assert [(e.path, e.reason) for e in check_update_entry({"refId": "new-1", "state": "MIGRATED"})] == [
        ("card.data[0].oldRefId", 'required when state is "MIGRATED"'),
        ("card.data[0].atwLink", 'required when state is "MIGRATED"'),
    ]


def test_each_rule_with_its_path() -> None:
    entry = {
        "refId": "bad ref",
        "state": "GONE",
        "fields": "balance, title",
        "oldRefId": "x" * 129,
        "atwLink": "a.swallet.link/atw",
        "extra": 1,
        3: "x",
    }
    assert [(e.path, e.reason) for e in check_update_entry(entry, path="card.data[2]")] == [
        (
            "card.data[2].refId",
            'must use only letters, digits, "-", "_", "." and "~", with at least one letter or digit',
        ),
        ("card.data[2].state", STATE_REASON),
        ("card.data[2].fields", 'must be attribute names separated by commas, e.g. "balance,barcode.value"'),
        ("card.data[2].oldRefId", "must be at most 128 characters (got 129)"),
        ("card.data[2].atwLink", "must be an absolute http(s) URL"),
        ("card.data[2].extra", "is not allowed (allowed: refId, state, fields, oldRefId, atwLink)"),
        ("card.data[2]", "member names must be strings (got integer)"),
    ]


def test_fields_only_with_updated_and_required_members() -> None:
    assert [(e.path, e.reason) for e in check_update_entry({"fields": "balance"})] == [
        ("card.data[0].fields", 'is only used with state "UPDATED"'),
        ("card.data[0].refId", "required"),
        ("card.data[0].state", "required"),
    ]
    assert [e.reason for e in check_update_entry({"refId": "r", "state": "ACTIVE", "fields": "x" * 129})] == [
        "must be at most 128 characters (got 129)"
    ]


def test_not_an_object() -> None:
    assert [(e.path, e.reason) for e in check_update_entry(["refId"])] == [
        ("card.data[0]", "must be an object (got array)")
    ]


def test_validate_raises_with_every_error() -> None:
    with pytest.raises(ValidationError) as info:
        validate_update_entry({"state": "MIGRATED"})
    assert [e.path for e in info.value.errors] == [
        "card.data[0].refId",
        "card.data[0].oldRefId",
        "card.data[0].atwLink",
    ]


class TestNotificationBody:
    def test_samsungs_example_body(self) -> None:
        body = {"card": {"type": "ticket", "data": [{"refId": "ref-ticket-0001", "state": "UPDATED"}]}}
        assert check_update_notification(body) == []

    def test_rules(self) -> None:
        body = {"card": {"type": "event_ticket", "data": [{"refId": "r"}], "subType": "x"}, "x": 1}
        found = [(e.path, e.reason) for e in check_update_notification(body)]
        assert found[0] == ("x", "is not allowed (allowed: card)")
        assert found[1][0] == "card.type" and found[1][1].startswith('must be one of "boardingpass"')
        assert found[2:] == [
            ("card.data[0].state", "required"),
            ("card.subType", "is not allowed (allowed: type, data)"),
        ]

    def test_shapes(self) -> None:
        assert [(e.path, e.reason) for e in check_update_notification([])] == [
            ("", "must be an object with a card member (got array)")
        ]
        assert [(e.path, e.reason) for e in check_update_notification({})] == [("card", "required")]
        assert [(e.path, e.reason) for e in check_update_notification({"card": 1})] == [
            ("card", "must be an object (got integer)")
        ]
        assert [(e.path, e.reason) for e in check_update_notification({"card": {"data": []}})] == [
            ("card.data", "must be a non-empty array"),
            ("card.type", "required"),
        ]
