"""Cards shaped like Samsung's own Code Lab samples validate with warnings, fail only in strict mode,
and every error case still fails with its field named."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from linkkit.cards import Source, boarding_pass_card, check_card, coupon_card, review_card, validate_card
from linkkit.errors import ValidationError

from ._samples import SAMPLES, TICKET_LOCATIONS_AS_ARRAY, sample, ticket_with_locations_as_array

A = "card.data[0].attributes"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_shaped_cards_are_valid_with_warnings(name: str) -> None:
    card, expected = SAMPLES[name]
    report = validate_card(copy.deepcopy(card))
    assert [(w.rule_id, w.path) for w in report.warnings] == expected
    for warning in report.warnings:
        assert warning.rule.docs in warning.message and warning.rule.sends in warning.message
        assert warning.rule.tier == "warning"
        assert {e.source for e in warning.evidence} & {Source.SAMPLE, Source.OLDER_DOCS}
    assert check_card(card) == []


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_shaped_cards_fail_only_in_strict_mode(name: str) -> None:
    card, expected = SAMPLES[name]
    with pytest.raises(ValidationError) as info:
        validate_card(card, strict=True)
    assert [e.path for e in info.value.errors] == [path for _, path in expected]
    assert all(e.reason.endswith("(refused in strict mode)") for e in info.value.errors)


def test_ticket_locations_sent_as_an_array_stays_an_error() -> None:
    # Samsung's Ticket.json also sends "locations": [{}]: a wrong JSON type (rule json-string).
    assert [(e.path, e.reason) for e in check_card(ticket_with_locations_as_array())] == [TICKET_LOCATIONS_AS_ARRAY]


def _set(**attributes: object) -> Callable[[dict[str, Any]], None]:
    def mutate(card: dict[str, Any]) -> None:
        attrs = card["card"]["data"][0]["attributes"]
        for key, value in attributes.items():
            if value is None:
                del attrs[key]
            else:
                attrs[key] = value

    return mutate


def _card(**members: object) -> Callable[[dict[str, Any]], None]:
    def mutate(card: dict[str, Any]) -> None:
        card["card"].update(members)

    return mutate


def _entries(count: int) -> Callable[[dict[str, Any]], None]:
    def mutate(card: dict[str, Any]) -> None:
        first = card["card"]["data"][0]
        card["card"]["data"] = [dict(copy.deepcopy(first), refId=f"r-{i}") for i in range(count)]

    return mutate


def _entry(**members: object) -> Callable[[dict[str, Any]], None]:
    def mutate(card: dict[str, Any]) -> None:
        card["card"]["data"][0].update(members)

    return mutate


#: (sample, mutation, path of the first error): what Samsung refuses, on top of a sample's deviations.
ERROR_CASES = [
    ("coupon", _set(title="t" * 33), f"{A}.title"),  # over String(32)
    ("coupon", _set(expiry="1737592000000"), f"{A}.expiry"),  # a timestamp as a string
    ("coupon", _set(redeemDate="2025-01-01"), f"{A}.redeemDate"),  # not "", not a number
    ("coupon", _set(issueDate=1_735_000_000), f"{A}.issueDate"),  # seconds
    ("coupon", _set(issueDate=""), f"{A}.issueDate"),  # a required timestamp sent as ""
    ("coupon", _set(editableYn=False), f"{A}.editableYn"),  # a JSON boolean for a Y/N flag
    ("coupon", _set(mainImg=None), f"{A}.mainImg"),  # required
    ("coupon", _card(type="coupons"), "card.type"),  # unknown card type
    ("coupon", _entries(7), "card.data"),  # more than 6 entries
    ("coupon", _entry(createdAt=1_735_000_000.5), "card.data[0].createdAt"),
    ("boarding pass", _set(providerLogo={"darkUrl": "https://x.example/d.png"}), f"{A}.providerLogo"),  # nested
    ("boarding pass", _set(**{"providerLogo.darkUrl": None}), f"{A}.providerLogo.darkUrl"),  # samples send it
    ("boarding pass", _set(user=None), f"{A}.user"),  # required for airlines
    ("boarding pass", _set(csInfo={"call": "1"}), f"{A}.csInfo"),  # JSON, not a string holding JSON
    ("boarding pass", _set(bgColor="navy"), f"{A}.bgColor"),
    ("boarding pass", _set(providerLogo="logo.png"), f"{A}.providerLogo"),  # not a URL
    ("boarding pass", _set(appLinkData=["appLink url"]), f"{A}.appLinkData"),  # wrong JSON type
    ("boarding pass", _card(subType="airline"), "card.subType"),
    ("event ticket", _card(subType=None), "card.subType"),  # null is not a missing sub-type
    ("event ticket", _set(**{"barcode.serialType": None}), f"{A}.barcode.serialType"),
    ("event ticket", _entry(refId="a/b"), "card.data[0].refId"),
]


@pytest.mark.parametrize(("name", "mutate", "path"), ERROR_CASES)
@pytest.mark.parametrize("strict", [False, True])
def test_every_error_case_still_fails_with_its_field_named(
    name: str, mutate: Callable[[dict[str, Any]], None], path: str, strict: bool
) -> None:
    card = sample(name)
    mutate(card)
    with pytest.raises(ValidationError) as info:
        validate_card(card, strict=strict)
    assert path in [e.path for e in info.value.errors]
    assert not any(e.reason.endswith("(refused in strict mode)") for e in info.value.errors if e.path == path)


def test_a_ticket_without_a_sub_type_is_an_error() -> None:
    card = sample("event ticket")
    del card["card"]["subType"]  # tickets have five sub-types: nothing to stand for
    assert [e.path for e in review_card(card).errors] == ["card.subType"]


def test_builders_make_the_same_cards_without_a_warning() -> None:
    coupon = coupon_card(
        ref_id="cp-1",
        title="Two scoops for one",
        main_img="https://cdn.example-gelato.test/coupon.jpg",
        expiry=1_737_592_000_000,
        app_link_logo="https://cdn.example-gelato.test/app.png",
        app_link_name="Gelato",
        app_link_data="https://example-gelato.test/",
        created_at=1_735_000_000_000,
    )
    assert coupon["card"]["subType"] == "others" and validate_card(coupon).warnings == ()
    boarding = boarding_pass_card(
        ref_id="bp-1",
        title="BOARDING PASS",
        provider_name="EXAMPLE AIR",
        provider_logo="https://cdn.example-air.test/logo.png",
        seat_number="23C",
        reservation_number="Q7W8E9",
        user="MR. John Roe",
        vehicle_number="EX102",
        seat_class="Economy",
        created_at=1_735_000_000_000,
    )
    assert validate_card(boarding, strict=True).warnings == ()
