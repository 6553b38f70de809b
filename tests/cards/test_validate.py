"""validate_card / check_card / review_card: every card type, every rule, exact paths and reasons."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from linkkit.cards import CARD_TYPES, CardWarning, ValidationReport, check_card, review_card, validate_card
from linkkit.errors import FieldError, LinkKitError, ValidationError

from ._examples import NOW_MS, VALID, entry, make_card

A = "card.data[0].attributes"


def errors_of(card: object, **options: Any) -> list[tuple[str, str]]:
    return [(e.path, e.reason) for e in check_card(card, **options)]


def warnings_of(card: object, **options: Any) -> list[tuple[str, str, str]]:
    """``(rule id, path, reason)`` of each warning; the card must have no errors."""
    review = review_card(card, **options)
    assert review.errors == (), review.errors
    return [(w.rule_id, w.path, w.reason) for w in review.warnings]


@pytest.mark.parametrize("card_type", sorted(VALID))
def test_every_type_has_a_valid_example(card_type: str) -> None:
    card = make_card(card_type)
    report = validate_card(card)
    assert report == ValidationReport(card_type=card_type, sub_type=VALID[card_type][0], entries=1, warnings=())
    assert check_card(card) == []


LIGHT_URLS = {"providerLogo.lightUrl", "logoImage.lightUrl"}


@pytest.mark.parametrize("card_type", sorted(VALID))
def test_every_required_attribute_is_required(card_type: str) -> None:
    spec = CARD_TYPES[card_type]
    for name in spec.required_for(VALID[card_type][0]):
        card = make_card(card_type, **{name: None})
        if name in LIGHT_URLS:  # Samsung's own samples leave these out: a warning
            assert warnings_of(card) == [("light-url-missing", f"{A}.{name}", "missing")], name
            ((path, reason),) = errors_of(card, strict=True)
            assert path == f"{A}.{name}" and reason.startswith("missing; the current card page marks it required")
        else:
            assert errors_of(card) == [(f"{A}.{name}", "required")], name


def test_examples_cover_every_card_type_of_the_spec() -> None:
    # Samsung's card pages list exactly these types.
    spec_types = "boardingpass ticket coupon giftcard loyalty generic idcard payasyougo digitalkey clip relyingparty"
    assert list(CARD_TYPES) == spec_types.split()
    assert set(VALID) == set(CARD_TYPES)


class TestStructure:
    def test_not_an_object(self) -> None:
        assert errors_of([1]) == [("", 'must be an object with a "card" member (got array)')]
        assert errors_of(None) == [("", 'must be an object with a "card" member (got null)')]

    def test_unknown_top_level_members_and_missing_card(self) -> None:
        assert errors_of({"cards": {}, 7: 1}) == [
            ("cards", "is not allowed (allowed: card, account)"),
            ("", "member names must be strings (got integer)"),
            ("card", "required"),
        ]

    def test_card_members(self) -> None:
        assert errors_of({"card": []}) == [("card", "must be an object (got array)")]
        assert errors_of({"card": {"kind": "x"}}) == [
            ("card.kind", "is not allowed (allowed: type, subType, data)"),
            ("card.type", "required"),
            ("card.subType", "required"),
            ("card.data", "required"),
        ]

    def test_unknown_type(self) -> None:
        card = make_card()
        card["card"]["type"] = "event_ticket"  # the type a Go SDK invented
        (path, reason), *rest = errors_of(card)
        assert path == "card.type"
        assert reason.startswith('must be one of "boardingpass", "ticket", "coupon"')
        assert reason.endswith('(did you mean "ticket"?)')
        assert rest == []  # without a table, attributes are not judged

    @pytest.mark.parametrize(
        ("given", "meant"),
        [("Loyalty", "loyalty"), ("boarding_pass", "boardingpass"), ("loyality", "loyalty"), ("giftCard", "giftcard"),
         ("coupons", "coupon"), ("event-ticket", "ticket")],
    )  # fmt: skip
    def test_unknown_type_suggests_the_closest(self, given: str, meant: str) -> None:
        card = make_card()
        card["card"]["type"] = given
        ((_, reason),) = errors_of(card)
        assert reason.endswith(f'(did you mean "{meant}"?)')

    def test_far_or_huge_types_get_no_suggestion(self) -> None:
        for given in ("membership", "x" * 5000, 7):
            card = make_card()
            card["card"]["type"] = given
            ((_, reason),) = errors_of(card)
            assert "did you mean" not in reason

    def test_unknown_type_still_checks_flat_keys(self) -> None:
        card = make_card(logoImage={"darkUrl": "https://x.example/d.png"})
        card["card"]["type"] = ["loyalty"]
        assert errors_of(card)[1:] == [
            (f"{A}.logoImage", 'must not be a nested object: use flat dotted keys such as "logoImage.darkUrl"')
        ]

    def test_sub_type(self) -> None:
        card = make_card()
        card["card"]["subType"] = "airlines"
        assert errors_of(card) == [("card.subType", 'must be one of "others" for type "loyalty"')]
        card["card"]["subType"] = None
        assert errors_of(card) == [("card.subType", "must be a string (got null)")]
        card = make_card("boardingpass")
        card["card"]["subType"] = "airline"
        assert errors_of(card) == [
            (
                "card.subType",
                'must be one of "airlines", "trains", "buses", "ferries", "others" for type "boardingpass" '
                '(did you mean "airlines"?)',
            )
        ]

    def test_missing_sub_type_like_samsungs_coupon_sample_is_a_warning(self) -> None:
        card = make_card("coupon")
        del card["card"]["subType"]
        assert warnings_of(card) == [
            ("sub-type-missing", "card.subType", 'missing (coupon has one sub-type, "others")')
        ]
        report = validate_card(card)
        assert report.sub_type == "others"  # the sub-type the card stands for
        (warning,) = report.warnings
        assert (
            "marks card.subType required" in warning.message and "linkkit sends the card without it" in warning.message
        )
        ((path, reason),) = errors_of(card, strict=True)
        assert path == "card.subType" and reason.endswith("(refused in strict mode)")

    def test_missing_sub_type_of_a_type_with_several_is_an_error(self) -> None:
        card = make_card("ticket")
        del card["card"]["subType"]
        assert errors_of(card) == [
            (
                "card.subType",
                'required: must be one of "performances", "sports", "movies", "entrances", "others" for type "ticket"',
            )
        ]

    @pytest.mark.parametrize("count", [0, 7])
    def test_data_holds_one_to_six_entries(self, count: int) -> None:
        card = make_card()
        card["card"]["data"] = [copy.deepcopy(entry(card)) for _ in range(count)]
        for index, item in enumerate(card["card"]["data"]):
            item["refId"] = f"ref-{index}"
        assert errors_of(card) == [("card.data", f"must hold 1 to 6 entries (got {count})")]

    def test_six_entries_are_fine(self) -> None:
        card = make_card()
        card["card"]["data"] = [dict(entry(card), refId=f"ref-{i}") for i in range(6)]
        assert validate_card(card).entries == 6

    def test_data_must_be_an_array_of_objects(self) -> None:
        card = make_card()
        card["card"]["data"] = {"0": entry(card)}
        assert errors_of(card) == [("card.data", "must be an array (got object)")]
        card["card"]["data"] = ["x"]
        assert errors_of(card) == [("card.data[0]", "must be an object (got string)")]


class TestEntry:
    def test_required_members(self) -> None:
        card = make_card()
        card["card"]["data"] = [{}]
        assert errors_of(card) == [
            ("card.data[0].refId", "required"),
            ("card.data[0].createdAt", "required"),
            ("card.data[0].language", "required"),
            ("card.data[0].attributes", "required"),
        ]

    def test_missing_updated_at_is_a_warning_as_in_samsungs_examples(self) -> None:
        card = make_card()
        del entry(card)["updatedAt"]
        report = validate_card(card)
        assert [(w.path, w.rule_id) for w in report.warnings] == [("card.data[0].updatedAt", "updated-at-missing")]
        with pytest.raises(ValidationError, match=r"card\.data\[0\]\.updatedAt"):
            validate_card(card, strict=True)

    def test_unknown_member(self) -> None:
        card = make_card()
        entry(card)["status"] = "ACTIVE"
        assert errors_of(card) == [
            (
                "card.data[0].status",
                "is not allowed (allowed: refId, createdAt, updatedAt, language, state, attributes, localization)",
            )
        ]

    def test_state_from_get_card_data(self) -> None:
        card = make_card()
        entry(card)["state"] = "ACTIVE"
        assert check_card(card) == []
        entry(card)["state"] = "active"
        ((path, reason),) = errors_of(card)
        assert path == "card.data[0].state" and reason.startswith('must be one of "ACTIVE", "UPDATED"')

    @pytest.mark.parametrize(
        ("value", "reason"),
        [
            ("", "must not be empty"),
            ("a" * 129, "must be at most 128 characters (got 129)"),
            ("ref/1", 'must use only letters, digits, "-", "_", "." and "~", with at least one letter or digit'),
            (42, "must be a string (got integer)"),
        ],
    )
    def test_ref_id(self, value: object, reason: str) -> None:
        card = make_card()
        entry(card)["refId"] = value
        assert errors_of(card) == [("card.data[0].refId", reason)]

    def test_ref_id_longer_than_32_is_a_warning_for_incoming_cards(self) -> None:
        card = make_card()
        entry(card)["refId"] = "r" * 100
        report = validate_card(card)
        assert [(w.path, w.reason.split(":")[0]) for w in report.warnings] == [
            ("card.data[0].refId", "is longer than 32 characters")
        ]
        assert errors_of(card, ref_id_max=32) == [("card.data[0].refId", "must be at most 32 characters (got 100)")]

    def test_ref_id_never_appears_in_messages(self) -> None:
        secret = "SECRETREF" + "x" * 200
        card = make_card()
        entry(card)["refId"] = secret
        with pytest.raises(ValidationError) as info:
            validate_card(card)
        assert "SECRETREF" not in str(info.value)
        assert all("SECRETREF" not in e.reason for e in info.value.errors)

    def test_ref_ids_are_unique(self) -> None:
        card = make_card()
        card["card"]["data"].append(copy.deepcopy(entry(card)))
        assert errors_of(card) == [("card.data[1].refId", "must be unique within card.data")]

    @pytest.mark.parametrize("member", ["createdAt", "updatedAt"])
    @pytest.mark.parametrize(
        ("value", "reason"),
        [
            (1_612_660_039, "must be epoch milliseconds (13 digits) (got 10 digits: seconds instead of milliseconds?)"),
            (1.6e12, "must be epoch milliseconds (13 digits), an integer"),
            (True, "must be epoch milliseconds (13 digits) (got boolean)"),
            ("1612660039000", "must be epoch milliseconds (13 digits), a JSON number, not a string"),
        ],
    )
    def test_timestamps(self, member: str, value: object, reason: str) -> None:
        card = make_card()
        entry(card)[member] = value
        assert errors_of(card) == [(f"card.data[0].{member}", reason)]

    def test_updated_before_created(self) -> None:
        card = make_card()
        entry(card)["updatedAt"] = NOW_MS - 1
        assert errors_of(card) == [("card.data[0].updatedAt", "must not be earlier than createdAt")]

    def test_language(self) -> None:
        card = make_card()
        entry(card)["language"] = "english!"
        assert errors_of(card) == [("card.data[0].language", 'must be a language code like "en" or "en-US"')]


class TestAttributes:
    def test_the_briefs_example_reasons(self) -> None:
        card = make_card("coupon", title="t" * 40, expiry=1_612_660_039, editableYn="yes")
        del entry(card)["attributes"]["mainImg"]
        assert errors_of(card) == [
            (f"{A}.title", "must be at most 32 characters (got 40)"),
            (f"{A}.expiry", "must be epoch milliseconds (13 digits) (got 10 digits: seconds instead of milliseconds?)"),
            (f"{A}.editableYn", 'must be "Y" or "N"'),
            (f"{A}.mainImg", "required"),
        ]

    def test_must_be_an_object(self) -> None:
        card = make_card()
        entry(card)["attributes"] = [["title", "x"]]
        assert errors_of(card) == [(A, "must be an object (got array)")]

    def test_nested_objects_are_refused_with_the_flat_key_to_use(self) -> None:
        card = make_card(logoImage={"darkUrl": "https://x.example/d.png", "lightUrl": "https://x.example/l.png"})
        assert errors_of(card) == [
            (f"{A}.logoImage", 'must not be a nested object: use flat dotted keys such as "logoImage.darkUrl"')
        ]
        card = make_card(barcode={"value": "123"})  # unknown as a whole key, still explained
        assert errors_of(card) == [
            (f"{A}.barcode", 'must not be a nested object: use flat dotted keys such as "barcode.value"')
        ]

    def test_non_string_attribute_names(self) -> None:
        card = make_card()
        entry(card)["attributes"][1] = "x"
        assert errors_of(card) == [(A, "attribute names must be strings (got integer)")]

    def test_required_must_not_be_empty(self) -> None:
        assert errors_of(make_card(title="")) == [(f"{A}.title", "must not be empty")]
        assert check_card(make_card(subtitle1="")) == []  # optional empty strings are left alone

    def test_urls_colors_flags_and_offsets(self) -> None:
        card = make_card(
            "boardingpass",
            providerLogo="logo.png",
            bgColor="blue",
            fontColor="white",
            preventCaptureYn=False,
            boardingTime=NOW_MS,
            **{"boardingTime.utcOffset": "+09:00"},
        )
        assert errors_of(card) == [
            (f"{A}.providerLogo", "must be an absolute http(s) URL"),
            (f"{A}.bgColor", 'must be a color like "#00FFFF"'),
            (f"{A}.fontColor", 'must be "dark", "light" or a color like "#FFFFFF"'),
            (f"{A}.preventCaptureYn", 'must be "Y" or "N" (a string, not a boolean)'),
            (f"{A}.boardingTime.utcOffset", 'must be a UTC offset like "UTC+09:00"'),
        ]

    def test_json_string_attributes(self) -> None:
        card = make_card(
            csInfo={"call": "555"},
            locations='[{"name":"Store"}]',
            noticeDesc="n" * 5001,
        )
        assert errors_of(card) == [
            (
                f"{A}.csInfo",
                "must be a JSON string, not an object: encode it with json.dumps (the builders do this for you)",
            ),
            (f"{A}.locations", 'item 0: "address" is required'),
            (f"{A}.noticeDesc", "must be at most 5000 characters (got 5001)"),
        ]
        card = make_card(csInfo='{"tiktok":"@x"}', locations=[{}])  # Samsung's Ticket.json sends an array
        assert errors_of(card) == [
            (f"{A}.csInfo", 'key "tiktok" is not allowed (allowed: "call", "email", "website", "facebook", '
                            '"pinterest", "x", "instagram")'),
            (f"{A}.locations",
             "must be a JSON string, not an array: encode it with json.dumps (the builders do this for you)"),
        ]  # fmt: skip

    def test_cs_info_keys_depend_on_the_type(self) -> None:
        assert check_card(make_card("loyalty", csInfo='{"instagram":"@x"}')) == []
        assert errors_of(make_card("giftcard", csInfo='{"instagram":"@x"}')) == [
            (f"{A}.csInfo", 'key "instagram" is not allowed (allowed: "call", "email", "website")')
        ]

    def test_empty_string_for_an_optional_timestamp_like_samsungs_coupon_sample(self) -> None:
        card = make_card("coupon", redeemDate="")
        assert warnings_of(card) == [
            ("empty-timestamp", f"{A}.redeemDate", 'is "" (an empty string), treated as absent')
        ]
        assert errors_of(card, strict=True)[0][0] == f"{A}.redeemDate"
        entry(card)["localization"] = [{"language": "ko", "attributes": {"redeemDate": ""}}]
        assert [w[1] for w in warnings_of(card)] == [
            f"{A}.redeemDate",
            "card.data[0].localization[0].attributes.redeemDate",
        ]

    def test_empty_string_for_a_required_timestamp_is_an_error(self) -> None:
        card = make_card("coupon", expiry="")
        assert errors_of(card) == [(f"{A}.expiry", 'required (an empty string "" counts as absent)')]
        card = make_card("coupon", redeemDate=" ")
        assert errors_of(card) == [
            (f"{A}.redeemDate", "must be epoch milliseconds (13 digits), a JSON number, not a string")
        ]

    def test_app_link_data_that_is_not_a_url_is_a_warning_naming_it(self) -> None:
        card = make_card(appLinkData="appLink url")  # what Samsung's BoardingPass.json sends
        assert warnings_of(card) == [
            ("app-link-url", f"{A}.appLinkData", 'is not a URL (such as "https://…" or "yourapp://…")')
        ]
        assert check_card(make_card(appLinkData="acme://member/open")) == []
        assert errors_of(make_card(appLinkData="x" * 257)) == [
            (f"{A}.appLinkData", "must be at most 256 characters (got 257)")
        ]

    def test_sub_type_conditional_requirements(self) -> None:
        card = make_card("boardingpass", user=None, vehicleNumber=None, seatClass=None)
        assert errors_of(card) == [
            (f"{A}.user", "required"),
            (f"{A}.vehicleNumber", "required"),
            (f"{A}.seatClass", "required"),
        ]
        card["card"]["subType"] = "trains"  # only airlines need them
        assert check_card(card) == []

    def test_barcode_group(self) -> None:
        card = make_card(**{"barcode.value": "123"})
        assert errors_of(card) == [
            (f"{A}.barcode.serialType", 'required when any "barcode.*" attribute is present'),
            (f"{A}.barcode.ptFormat", 'required when any "barcode.*" attribute is present'),
        ]
        card = make_card(
            **{"barcode.value": "123", "barcode.serialType": "QRCODE", "barcode.ptFormat": "QRCODESERIAL",
               "barcode.errorCorrectionLevel": "X"}
        )  # fmt: skip
        assert errors_of(card) == [(f"{A}.barcode.errorCorrectionLevel", 'must be one of "L", "M", "Q", "H"')]

    def test_open_enum_value_is_a_warning(self) -> None:
        card = make_card(
            **{"barcode.value": "1", "barcode.serialType": "BARCODE", "barcode.ptFormat": "BARCODE",
               "barcode.ptSubFormat": "CODE_11"}
        )  # fmt: skip
        report = validate_card(card)
        assert [w.path for w in report.warnings] == [f"{A}.barcode.ptSubFormat"]

    def test_indexed_attributes_are_expanded(self) -> None:
        assert review_card(make_card("generic", text12="hello", **{"serial2.value": "x"})).warnings == ()
        assert warnings_of(make_card("generic", text13="hello")) == [
            ("unknown-attribute", f"{A}.text13", 'is not a known attribute of generic cards (did you mean "text3"?)')
        ]


class TestStrictAndDefault:
    def test_unknown_attribute_is_a_warning_with_a_close_match(self) -> None:
        card = make_card(tierColour="gold", providername="Acme", app_link_name="x", bgColour="#000000", titel="t")
        assert check_card(card) == []
        report = validate_card(card)
        assert [(w.rule_id, w.path, w.reason) for w in report.warnings] == [
            ("unknown-attribute", f"{A}.tierColour", "is not a known attribute of loyalty cards"),
            (
                "unknown-attribute",
                f"{A}.providername",
                'is not a known attribute of loyalty cards (did you mean "providerName"?)',
            ),
            (
                "unknown-attribute",
                f"{A}.app_link_name",
                'is not a known attribute of loyalty cards (did you mean "appLinkName"?)',
            ),
            (
                "unknown-attribute",
                f"{A}.bgColour",
                'is not a known attribute of loyalty cards (did you mean "bgColor"?)',
            ),
            ("unknown-attribute", f"{A}.titel", 'is not a known attribute of loyalty cards (did you mean "title"?)'),
        ]
        assert all(isinstance(w, CardWarning) and w.evidence for w in report.warnings)

    def test_unknown_attribute_is_an_error_when_strict(self) -> None:
        card = make_card(tierColour="gold", providername="Acme")
        assert [(path, reason.split(";")[0]) for path, reason in errors_of(card, strict=True)] == [
            (f"{A}.tierColour", "is not a known attribute of loyalty cards"),
            (f"{A}.providername", 'is not a known attribute of loyalty cards (did you mean "providerName"?)'),
        ]
        with pytest.raises(ValidationError) as info:
            validate_card(card, strict=True)
        assert info.value.field == f"{A}.tierColour" and "refused in strict mode" in str(info.value)

    def test_strict_never_hides_errors_and_reports_no_warnings(self) -> None:
        card = make_card(title=7, extra={"a": 1}, tierColour="gold")
        for strict in (False, True):
            review = review_card(card, strict=strict)
            assert [(e.path, e.reason) for e in review.errors][:2] == [
                (f"{A}.title", "must be a string (got integer)"),
                (f"{A}.extra", 'must not be a nested object: use flat dotted keys such as "extra.a"'),
            ]
            assert len(review.errors) == (3 if strict else 2) and len(review.warnings) == (0 if strict else 1)
            assert not review.ok


class TestLocalization:
    def test_valid_localization_needs_no_required_attributes(self) -> None:
        card = make_card("ticket")
        entry(card)["localization"] = [{"language": "ko", "attributes": {"title": "영화"}}]
        assert check_card(card) == []

    def test_localized_attributes_follow_the_same_rules(self) -> None:
        card = make_card()
        entry(card)["localization"] = [
            {"language": "ko", "attributes": {"title": "t" * 33, "nope": "x", "logoImage": {"darkUrl": "u"}}},
            {"language": "ko", "attributes": {}},
            {"lang": "fr"},
            "de",
        ]
        L = "card.data[0].localization"
        assert [w.path for w in review_card(card).warnings] == [f"{L}[0].attributes.nope"]
        assert errors_of(card) == [
            (f"{L}[0].attributes.title", "must be at most 32 characters (got 33)"),
            (
                f"{L}[0].attributes.logoImage",
                'must not be a nested object: use flat dotted keys such as "logoImage.darkUrl"',
            ),
            (f"{L}[1].language", "must be unique within localization"),
            (f"{L}[2].lang", "is not allowed (allowed: language, attributes)"),
            (f"{L}[2].language", "required"),
            (f"{L}[2].attributes", "required"),
            (f"{L}[3]", "must be an object (got string)"),
        ]

    def test_must_be_an_array(self) -> None:
        card = make_card()
        entry(card)["localization"] = {"ko": {"title": "x"}}
        assert errors_of(card) == [("card.data[0].localization", "must be an array (got object)")]


class TestAccount:
    @pytest.mark.parametrize("account_type", ["email", "phoneNumber", "extPmId", "pmId", "dmId", "saId", "CI"])
    def test_valid(self, account_type: str) -> None:
        card = make_card()
        card["account"] = {"type": account_type, "value": "+821012345678"}
        assert check_card(card) == []

    def test_rules(self) -> None:
        card = make_card()
        card["account"] = {"type": "phone", "value": "x" * 65, "id": 1}
        assert errors_of(card) == [
            ("account.type", 'must be one of "email", "phoneNumber", "extPmId", "pmId", "dmId", "saId", "CI"'),
            ("account.value", "must be at most 64 characters (got 65)"),
            ("account.id", "is not allowed (allowed: type, value)"),
        ]
        card["account"] = {"value": ""}
        assert errors_of(card) == [("account.value", "must not be empty"), ("account.type", "required")]
        card["account"] = "jane@example.com"
        assert errors_of(card) == [("account", "must be an object (got string)")]


def test_errors_are_collected_in_document_order() -> None:
    card = make_card(title=1)
    card["card"] = {"data": card["card"]["data"], "type": "loyalty", "subType": "x", "zzz": 0}
    entry(card)["createdAt"] = "x"
    assert [path for path, _ in errors_of(card)] == [
        "card.data[0].createdAt",
        f"{A}.title",
        "card.subType",
        "card.zzz",
    ]


def test_validation_error_is_a_linkkit_error_naming_the_first_field() -> None:
    with pytest.raises(ValidationError) as info:
        validate_card(make_card(title=None, providerName=None))
    error = info.value
    assert isinstance(error, LinkKitError) and isinstance(error, ValueError)
    assert error.field == f"{A}.title"
    assert str(error) == f"{A}.title: required (and 1 more)"


def test_check_card_does_not_mutate_its_input() -> None:
    card = make_card(tierColour="x", redeemDate="")
    del card["card"]["subType"]
    before = copy.deepcopy(card)
    check_card(card)
    validate_card(card)
    review_card(card, strict=True)
    assert card == before


def test_errors_are_plain_field_errors_in_both_modes() -> None:
    card = make_card(title=None, tierColour="x")
    for strict in (False, True):
        assert all(type(e) is FieldError for e in check_card(card, strict=strict))


def test_bad_ref_id_max_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="ref_id_max"):
        check_card(make_card(), ref_id_max=0)
    assert check_card(make_card(), ref_id_max=8) == []


def test_did_you_mean_is_bounded_per_card() -> None:
    # difflib costs grow with the square of a name's length: long names and a flood of names get none.
    card = make_card(**{f"providerNam{i:02d}": "x" for i in range(20)}, **{"t" * 49: "x"})
    reasons = [w.reason for w in review_card(card).warnings]
    assert sum("did you mean" in r for r in reasons) == 16
    assert reasons[-1] == "is not a known attribute of loyalty cards"
