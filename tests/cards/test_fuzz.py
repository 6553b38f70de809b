"""Hypothesis: only linkkit errors escape the card validators, and valid cards round-trip.

The style guide (point 14 and the house rules) asks that parsers and validators let no exception but
linkkit's own escape, whatever JSON-like input they are given.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkkit.cards import (
    CARD_TYPES,
    RULES,
    Barcode,
    CardWarning,
    Tier,
    check_card,
    check_update_entry,
    check_update_notification,
    loyalty_card,
    review_card,
    serialize_card,
    ticket_card,
    validate_card,
)
from linkkit.errors import FieldError, ValidationError

from ._examples import VALID, make_card
from ._samples import SAMPLES, sample

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**12 - 5, max_value=10**13 + 5)
    | st.floats()
    | st.text(max_size=40)
    | st.sampled_from(["", "Y", "N", "#00FFFF", "UTC+09:00", "https://x.example/a.png", "{}", "[]", '{"call":"1"}'])
)
keys = (
    st.text(max_size=12)
    | st.text(min_size=60, max_size=80)  # around the length limit of "did you mean"
    | st.sampled_from(["card", "type", "subType", "data", "attributes", "language", "providername", "titel"])
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(keys | st.integers(), children, max_size=4)
        | st.builds(json.dumps, children)
    ),
    max_leaves=25,
)
attribute_names = st.sampled_from(sorted({name for spec in CARD_TYPES.values() for name in spec.attributes})) | keys
attributes = st.dictionaries(attribute_names, json_values, max_size=8)
entries = st.fixed_dictionaries(
    {},
    optional={
        "refId": st.text(max_size=40) | json_values,
        "createdAt": st.integers() | json_values,
        "updatedAt": st.integers() | json_values,
        "language": st.sampled_from(["en", "ko", "en-US"]) | json_values,
        "state": st.sampled_from(["ACTIVE", "MIGRATED"]) | json_values,
        "attributes": attributes | json_values,
        "localization": st.lists(
            st.fixed_dictionaries({}, optional={"language": st.text(max_size=5), "attributes": attributes}),
            max_size=3,
        )
        | json_values,
    },
)
cards = st.fixed_dictionaries(
    {
        "card": st.fixed_dictionaries(
            {},
            optional={
                "type": st.sampled_from(list(CARD_TYPES)) | json_values,
                "subType": st.sampled_from(["others", "airlines", "movies"]) | json_values,
                "data": st.lists(entries | json_values, max_size=8) | json_values,
            },
        )
        | json_values
    },
    optional={"account": st.fixed_dictionaries({}, optional={"type": json_values, "value": json_values}) | json_values},
)
anything = json_values | cards


def _only_linkkit_errors(obj: Any, strict: bool) -> None:
    """The documented outcomes only: check_card and review_card never raise, validate_card raises only
    ValidationError, and the three agree; warnings are CardWarnings of warning-tier rules."""
    found = check_card(obj, strict=strict)
    assert isinstance(found, list) and all(type(e) is FieldError for e in found)
    assert all(isinstance(e.path, str) and isinstance(e.reason, str) and e.reason for e in found)
    review = review_card(obj, strict=strict)
    assert list(review.errors) == found
    assert all(isinstance(w, CardWarning) and RULES[w.rule_id].tier is Tier.WARNING for w in review.warnings)
    assert all(w.message and str(w) for w in review.warnings)
    if strict:
        assert review.warnings == ()
    else:
        # Strict mode adds the warnings as errors and never drops an error.
        strict_paths = [e.path for e in check_card(obj, strict=True)]
        assert sorted(strict_paths) == sorted([e.path for e in found] + [w.path for w in review.warnings])
    try:
        report = validate_card(obj, strict=strict)
    except ValidationError as exc:
        assert exc.errors == found
    else:
        assert found == []
        assert report.card_type in CARD_TYPES and report.warnings == review.warnings
        assert report.sub_type in CARD_TYPES[report.card_type].sub_types


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anything, st.booleans())
def test_only_linkkit_errors_escape(obj: Any, strict: bool) -> None:
    _only_linkkit_errors(obj, strict)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_changed_attributes_of_a_valid_card(data: st.DataObject) -> None:
    card_type = data.draw(st.sampled_from(sorted(VALID)))
    own_names = st.sampled_from(sorted(CARD_TYPES[card_type].attributes))
    changes = data.draw(st.dictionaries(own_names | attribute_names, json_values, min_size=1, max_size=3))
    card = make_card(card_type)
    card["card"]["data"][0]["attributes"].update(changes)
    card["card"]["data"][0]["localization"] = [{"language": "ko", "attributes": changes}]
    _only_linkkit_errors(card, strict=data.draw(st.booleans()))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_changed_sample_shaped_cards(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(SAMPLES)))
    card = sample(name)
    own_names = st.sampled_from(sorted(CARD_TYPES[card["card"]["type"]].attributes))
    changes = data.draw(st.dictionaries(own_names | attribute_names, json_values | st.just(""), max_size=3))
    attributes = card["card"]["data"][0]["attributes"]
    attributes.update(changes)
    for key in data.draw(st.lists(st.sampled_from(sorted(attributes)), max_size=2)):
        attributes.pop(key, None)
    if data.draw(st.booleans()):
        card["card"].pop("subType", None)
    _only_linkkit_errors(card, strict=data.draw(st.booleans()))


NASTY = [None, True, 0, -1, 1.5, float("nan"), 10**20, 10**400, "", "x" * 6000, "\ud800", "[" * 5000, "{}", "[]",
         '{"a":1}', "null", [], [1], {}, {"a": {"b": 1}}, {1: 2}]  # fmt: skip


@pytest.mark.parametrize("card_type", sorted(VALID))
def test_every_attribute_with_nasty_values(card_type: str) -> None:
    for name in CARD_TYPES[card_type].attributes:
        for value in NASTY:
            card = make_card(card_type)
            card["card"]["data"][0]["attributes"][name] = value
            _only_linkkit_errors(card, strict=True)
            _only_linkkit_errors(card, strict=False)


@settings(max_examples=200)
@given(json_values | st.fixed_dictionaries({"card": st.fixed_dictionaries({"data": st.lists(json_values)})}))
def test_update_validators_never_raise(obj: Any) -> None:
    assert all(isinstance(e, FieldError) for e in check_update_entry(obj))
    assert all(isinstance(e, FieldError) for e in check_update_notification(obj))


short_text = st.text(min_size=1, max_size=32).filter(lambda s: s.strip() != "")
ref_ids = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~", min_size=1, max_size=32
)
ref_ids = ref_ids.filter(lambda s: any(c.isalnum() for c in s))
millis = st.integers(min_value=10**12, max_value=4 * 10**12)


@settings(max_examples=150)
@given(ref_ids, short_text, short_text, st.text(max_size=4096), millis, st.sampled_from(["en", "ko", "ja", "en-US"]))
def test_valid_generated_cards_round_trip(
    ref_id: str, title: str, provider: str, barcode_value: str, created: int, language: str
) -> None:
    card = loyalty_card(
        ref_id=ref_id,
        title=title,
        provider_name=provider,
        app_link_logo="https://img.example/app.png",
        app_link_name=provider,
        app_link_data="https://app.example/open",
        barcode=Barcode(value=barcode_value),
        created_at=created,
        language=language,
        localization={"ko": {"title": title[::-1]}},
        cs_info={"call": title},
    )
    data = serialize_card(card)
    assert json.loads(data.decode("utf-8")) == card
    assert validate_card(json.loads(data)).card_type == "loyalty"


@settings(max_examples=50)
@given(ref_ids, short_text, millis)
def test_valid_tickets_round_trip(ref_id: str, title: str, created: int) -> None:
    card = ticket_card(
        ref_id=ref_id,
        title=title,
        main_img="https://img.example/m.png",
        logo_image="https://img.example/l.png",
        provider_name=title,
        created_at=created,
        person1={"person": [{"category": title, "count": 1}]},
    )
    assert json.loads(serialize_card(card)) == card
