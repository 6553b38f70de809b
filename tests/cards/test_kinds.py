"""The attribute kinds of linkkit.cards._kinds: each accepts its shape and explains a refusal."""

from __future__ import annotations

import pytest

from linkkit.cards._attributes import BARCODE, EXTRA_INFO, LOCATIONS, PERSON, cs_info
from linkkit.cards._json_kinds import JsonShape, JsonString
from linkkit.cards._kinds import (
    AppLink,
    Color,
    DigitString,
    Enum,
    EpochMillis,
    FontColor,
    Kind,
    Language,
    RefId,
    Str,
    Url,
    UtcOffset,
    YesNo,
    join_path,
    type_name,
)
from linkkit.cards.rules import RULES


@pytest.mark.parametrize(
    ("value", "name"),
    [(None, "null"), (True, "boolean"), (3, "integer"), (1.5, "number"), ("x", "string"), ([], "array"),
     ((), "array"), ({}, "object"), (b"x", "bytes")],
)  # fmt: skip
def test_type_name_uses_json_names(value: object, name: str) -> None:
    assert type_name(value) == name


def test_join_path_cuts_huge_keys_and_ignores_non_strings() -> None:
    assert join_path("card", "type") == "card.type"
    assert join_path("", "foo") == "foo"
    assert join_path("card", 3) == "card"
    long = join_path("a", "k" * 500)
    assert len(long) == 2 + 64 and long.endswith("…")


class TestStr:
    def test_accepts_up_to_max(self) -> None:
        assert Str(3).check("abc") is None
        assert Str(3).check("") is None
        assert Str().check("x" * 100_000) is None

    def test_counts_characters_not_bytes(self) -> None:
        assert Str(4).check("골드회원") is None

    def test_reasons(self) -> None:
        assert Str(32).check("x" * 40) == "must be at most 32 characters (got 40)"
        assert Str(32).check(5) == "must be a string (got integer)"
        assert Str(32).check(None) == "must be a string (got null)"

    def test_describe(self) -> None:
        assert Str(32).describe() == "String(32)"
        assert Str().describe() == "String (length not published)"


class TestUrl:
    @pytest.mark.parametrize(
        "url", ["https://img.example/a.png", "http://127.0.0.1:5000/x?y=1#z", "https://../main.png"]
    )
    def test_accepts_absolute_http_urls(self, url: str) -> None:
        assert Url().check(url) is None

    @pytest.mark.parametrize(
        "url", ["ftp://x.example/a", "img.example/a.png", "https://", "https:// spaced.example", "javascript:alert(1)",
                "https://user@evil.example"],
    )  # fmt: skip
    def test_refuses_other_strings(self, url: str) -> None:
        assert Url().check(url) == "must be an absolute http(s) URL"

    def test_length_before_shape(self) -> None:
        assert Url(20).check("https://x.example/" + "a" * 30) == "must be at most 20 characters (got 48)"
        assert Url().check(7) == "must be a string (got integer)"


class TestAppLink:
    @pytest.mark.parametrize(
        "value", ["https://acme.example/app", "acme://open?x=1", "intent://scan/#Intent;scheme=zxing;end", "tel:+1555"]
    )
    def test_accepts_urls_and_app_uris(self, value: str) -> None:
        assert AppLink().check(value) is None

    @pytest.mark.parametrize("value", ["appLink url", "acme.example/app", "", "https://a b.example", "://x"])
    def test_other_strings_break_the_app_link_rule(self, value: str) -> None:
        assert AppLink().judge(value) == ("app-link-url", 'is not a URL (such as "https://…" or "yourapp://…")')

    def test_type_and_length_are_errors(self) -> None:
        assert AppLink().judge(5) == ("json-type", "must be a string (got integer)")
        assert AppLink(10).judge("https://x.example/") == ("string-length", "must be at most 10 characters (got 18)")


class TestEpochMillis:
    kind = EpochMillis()

    @pytest.mark.parametrize("value", [1_000_000_000_000, 1_612_660_039_000, 9_999_999_999_999])
    def test_accepts_13_digits(self, value: int) -> None:
        assert self.kind.check(value) is None

    @pytest.mark.parametrize(
        ("value", "reason"),
        [
            (1_612_660_039, "must be epoch milliseconds (13 digits) (got 10 digits: seconds instead of milliseconds?)"),
            (999_999_999_999, "must be epoch milliseconds (13 digits) (got 12 digits)"),
            (10**13, "must be epoch milliseconds (13 digits) (got 14 digits)"),
            (0, "must be epoch milliseconds (13 digits)"),
            (-1_612_660_039_000, "must be epoch milliseconds (13 digits)"),
            ("1612660039000", "must be epoch milliseconds (13 digits), a JSON number, not a string"),
            (1_612_660_039_000.0, "must be epoch milliseconds (13 digits), an integer"),
            (True, "must be epoch milliseconds (13 digits) (got boolean)"),
            (None, "must be epoch milliseconds (13 digits) (got null)"),
        ],
    )
    def test_refuses(self, value: object, reason: str) -> None:
        assert self.kind.check(value) == reason

    def test_huge_integer_is_refused_without_converting_it_to_text(self) -> None:
        assert self.kind.check(10**5000) == "must be epoch milliseconds (13 digits)"


class TestYesNo:
    def test_flags(self) -> None:
        assert YesNo().check("Y") is None
        assert YesNo().check("N") is None
        for value in ("y", "yes", "", None, 1):
            assert YesNo().check(value) == 'must be "Y" or "N"'
        assert YesNo().check(True) == 'must be "Y" or "N" (a string, not a boolean)'


class TestColors:
    def test_color(self) -> None:
        assert Color().check("#00FFff") is None
        for value in ("#FFF", "00FFFF", "#GG0000", "#00FFFF00", "red", 0xFFFFFF):
            assert Color().check(value) == 'must be a color like "#00FFFF"'

    def test_font_color_accepts_dark_and_light_and_warns_on_hex(self) -> None:
        for value in ("dark", "light"):
            assert FontColor().check(value) is None
        # Samsung's own samples send "#FFFFFF": the warning rule font-color-hex.
        assert FontColor().judge("#FFFFFF") == ("font-color-hex", 'is a color, not "dark" or "light"')
        assert FontColor().judge("Dark") == ("value-format", 'must be "dark", "light" or a color like "#FFFFFF"')


class TestEnum:
    def test_closed(self) -> None:
        kind = BARCODE["barcode.errorCorrectionLevel"]
        assert kind.check("Q") is None
        assert kind.check("q") == 'must be one of "L", "M", "Q", "H"'
        assert kind.check(["L"]) == "must be a string (got array)"

    def test_open_list_breaks_the_open_enum_rule_only(self) -> None:
        kind = BARCODE["barcode.ptSubFormat"]
        assert kind.check("CODE128") is None  # what Samsung's own coupon sample sends
        problem = kind.judge("CODE_11")
        assert problem is not None and problem[0] == "open-enum"
        assert problem[1].startswith('is not a commonly used value (known: "AZTEC"')

    def test_describe(self) -> None:
        assert Enum(("A", "B")).describe() == "one of A / B"
        assert Enum(("A",), open=True).describe() == "one of A (open list)"


class TestUtcOffset:
    @pytest.mark.parametrize(
        "value", ["UTC+09:00", "UTC-07:00", "UTC+9", "UTC-8", "UTC+00:00", "UTC+14:00", "UTC+05:30"]
    )
    def test_accepts(self, value: str) -> None:
        assert UtcOffset().check(value) is None

    @pytest.mark.parametrize("value", ["+09:00", "UTC", "GMT+9", "UTC+15:00", "UTC+09:60", "utc+9", 9])
    def test_refuses(self, value: object) -> None:
        assert UtcOffset().check(value) == 'must be a UTC offset like "UTC+09:00"'


def test_digit_string() -> None:
    kind = DigitString(2880)
    assert kind.check("30") is None
    assert kind.check("2880") is None
    for value in ("2881", "-5", "5m", "", 30, "1" * 20):
        assert kind.check(value) == 'must be a string of digits from "0" to "2880"'


class TestRefId:
    def test_accepts_url_safe(self) -> None:
        assert RefId().check("ref-20230304-001") is None
        assert RefId().check("BJD8W6REDA") is None
        assert RefId().check("a" * 128) is None

    @pytest.mark.parametrize(
        ("value", "reason"),
        [
            ("", "must not be empty"),
            ("a" * 129, "must be at most 128 characters (got 129)"),
            ("a/b", 'must use only letters, digits, "-", "_", "." and "~", with at least one letter or digit'),
            ("..", 'must use only letters, digits, "-", "_", "." and "~", with at least one letter or digit'),
            ("a b", 'must use only letters, digits, "-", "_", "." and "~", with at least one letter or digit'),
            (12, "must be a string (got integer)"),
        ],
    )
    def test_refuses(self, value: object, reason: str) -> None:
        assert RefId().check(value) == reason

    def test_builder_limit(self) -> None:
        assert RefId(32).check("a" * 33) == "must be at most 32 characters (got 33)"


class TestLanguage:
    @pytest.mark.parametrize("value", ["en", "ko", "en-US", "zh-Hant", "pt_BR", "fil"])
    def test_accepts(self, value: str) -> None:
        assert Language().check(value) is None

    def test_refuses(self) -> None:
        assert Language().check("english") == 'must be a language code like "en" or "en-US"'
        assert Language().check("e") == 'must be a language code like "en" or "en-US"'
        assert Language().check("en-US-x-private") == "must be at most 8 characters (got 15)"
        assert Language().check(None) == "must be a string (got null)"


class TestJsonString:
    def test_cs_info_keys(self) -> None:
        kind = cs_info(("call", "email", "website"))
        assert kind.check('{"call":"555","email":"a@b.example"}') is None
        assert kind.check('{"fax":"555"}') == 'key "fax" is not allowed (allowed: "call", "email", "website")'
        assert kind.check("[1]") == "must encode a JSON object (got array)"

    def test_not_a_string(self) -> None:
        kind = cs_info(("call",))
        assert kind.check({"call": "555"}) == (
            "must be a JSON string, not an object: encode it with json.dumps (the builders do this for you)"
        )
        assert kind.check([{}]) == (
            "must be a JSON string, not an array: encode it with json.dumps (the builders do this for you)"
        )
        assert kind.check(5) == "must be a string holding JSON (got integer)"

    def test_invalid_json_and_deep_nesting(self) -> None:
        kind = JsonString(JsonShape("any"))
        assert kind.check("{call: 555}") == "must be a string holding valid JSON"
        assert kind.check("[" * 100_000) == "must be a string holding valid JSON"
        assert kind.check("1" * 5000) == "must be a string holding valid JSON"  # int digits limit
        assert kind.check("null") is None

    def test_locations(self) -> None:
        good = '[{"name":"Gate A","address":"1 Main St","lat":37.77,"lng":-122.39}]'
        assert LOCATIONS.check(good) is None
        assert LOCATIONS.check('[{"name":"Gate A"}]') == 'item 0: "address" is required'
        assert LOCATIONS.check('[{"name":"A","address":"B","lat":"37"}]') == 'item 0: "lat" must be a number'
        assert LOCATIONS.check('[{"name":"A","address":"B","lat":true}]') == 'item 0: "lat" must be a number'
        assert LOCATIONS.check("[1]") == "item 0 must be a JSON object (got integer)"
        many = "[" + ",".join(['{"name":"n","address":"a"}'] * 11) + "]"
        assert LOCATIONS.check(many) == "must encode at most 10 items (got 11)"
        assert LOCATIONS.check('{"name":"A"}') == "must encode a JSON array (got object)"
        assert LOCATIONS.check("x" * 1025) == "must be at most 1024 characters (got 1025)"

    def test_extra_info_and_person(self) -> None:
        assert EXTRA_INFO.check('{"count":1,"info":[{"title":"Bag","content":["15 KG"]}]}') is None
        assert EXTRA_INFO.check('{"count":1}') == '"info" is required'
        assert PERSON.check('{"person":[{"category":"Adult","count":1}]}') is None
        assert PERSON.check('{"people":[]}') == 'key "people" is not allowed (allowed: "person")'

    def test_unknown_key_is_not_echoed_when_huge(self) -> None:
        reason = cs_info(("call",)).check('{"' + "k" * 100 + '":1}')
        assert reason == 'key "…" is not allowed (allowed: "call")'


@pytest.mark.parametrize(
    ("kind", "value", "rule"),
    [
        (Str(2), 1, "json-type"),
        (Str(2), "abc", "string-length"),
        (Url(), "x", "url"),
        (Url(), None, "json-type"),
        (EpochMillis(), "1", "timestamp"),
        (EpochMillis(), 1_612_660_039, "timestamp"),
        (YesNo(), "yes", "value-format"),
        (YesNo(), True, "json-type"),
        (Color(), "red", "value-format"),
        (FontColor(), 1, "json-type"),
        (UtcOffset(), "+9", "value-format"),
        (DigitString(5), "9", "value-format"),
        (Enum(("A",)), "B", "value-format"),
        (Enum(("A",)), 1, "json-type"),
        (RefId(), "a/b", "ref-id"),
        (Language(), "english", "value-format"),
        (Language(), "en-US-x-private", "string-length"),
        (LOCATIONS, [{}], "json-string"),
        (LOCATIONS, "[1]", "json-string"),
        (LOCATIONS, 3, "json-type"),
    ],
)
def test_every_problem_names_a_rule_of_the_table(kind: Kind, value: object, rule: str) -> None:
    problem = kind.judge(value)
    assert problem is not None and problem[0] == rule and rule in RULES
    assert kind.check(value) == problem[1]
