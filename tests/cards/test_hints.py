"""linkkit.cards._hints: "did you mean" for attribute names, card types and sub-types."""

from __future__ import annotations

import pytest

from linkkit.cards import CARD_TYPES, check_card_type, check_sub_type
from linkkit.cards._hints import attribute_hint, did_you_mean


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        ("providername", "providerName"),  # same letters, other case
        ("provider_name", "providerName"),  # snake_case
        ("logoimage.light-url", "logoImage.lightUrl"),
        ("titel", "title"),  # a typo
        ("bgColour", "bgColor"),  # British spelling
        ("appLinkDat", "appLinkData"),
    ],
)
def test_attribute_hints(name: str, meant: str) -> None:
    assert attribute_hint("loyalty", name) == meant


@pytest.mark.parametrize("name", ["tierColour", "membershipLevel", "x", "", "t" * 49])
def test_no_hint_for_far_or_huge_names(name: str) -> None:
    assert attribute_hint("loyalty", name) is None


def test_check_card_type() -> None:
    for card_type in CARD_TYPES:
        assert check_card_type(card_type) is None
    reason = check_card_type("Loyality")
    assert reason is not None and reason.startswith('must be one of "boardingpass"')
    assert reason.endswith(' (did you mean "loyalty"?)')
    assert check_card_type(None) is not None and "did you mean" not in str(check_card_type(None))


def test_check_sub_type() -> None:
    assert check_sub_type("ticket", "movies") is None
    assert check_sub_type("spaceship", "x") is None  # the type's own finding, not the sub-type's
    assert check_sub_type("ticket", "movie") == (
        'must be one of "performances", "sports", "movies", "entrances", "others" for type "ticket" '
        '(did you mean "movies"?)'
    )
    assert check_sub_type("coupon", 3) == 'must be one of "others" for type "coupon"'


def test_did_you_mean() -> None:
    assert did_you_mean(None) == "" and did_you_mean("a") == ' (did you mean "a"?)'
