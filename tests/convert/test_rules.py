"""The rules around the mapping: options, errors that say how to fix them, dates, colours, money, images."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest
from PIL import Image

from linkkit.convert import ConvertOptions, ImageFile, convert_apple, convert_google, convert_pass, host_at
from linkkit.convert._ledger import Ledger
from linkkit.convert._values import DateProblem, font_color, hex_color, micros_money, money, parse_instant
from linkkit.convert.pkpass import PassPackage
from linkkit.convert.sources import load_json
from linkkit.errors import ConfigError, PassFileError, ValidationError

from .conftest import EXAMPLES, IMAGE_BASE

BOARDING = json.loads((EXAMPLES / "apple/boarding-pass.pass/pass.json").read_text())
FLIGHT = json.loads((EXAMPLES / "google/flight.json").read_text())


def _png(size: tuple[int, int], noise: bool = False) -> bytes:
    image = Image.effect_noise(size, 100).convert("RGB") if noise else Image.new("RGB", size, (0, 48, 135))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _package(data: dict[str, Any], **images: bytes) -> PassPackage:
    return PassPackage(data=data, images={k.replace("_", "@") + ".png": v for k, v in images.items()})


def test_a_required_attribute_the_pass_lacks_says_where_it_looked_and_how_to_set_it() -> None:
    doc = copy.deepcopy(BOARDING)
    del doc["semantics"]["seats"]
    doc["boardingPass"]["auxiliaryFields"] = [f for f in doc["boardingPass"]["auxiliaryFields"] if f["key"] != "seat"]
    with pytest.raises(ValidationError) as info:
        convert_apple(_package(doc, logo_2x=_png((320, 100))), ConvertOptions(image_base_url=IMAGE_BASE))
    assert str(info.value.errors[0]) == (
        "card.data[0].attributes.seatNumber: required: the pass has no seat (semantics.seats, or a field keyed "
        "or labelled Seat); or set it yourself (CLI: --set seatNumber=VALUE)"
    )
    fixed = convert_apple(
        _package(doc, logo_2x=_png((320, 100))),
        ConvertOptions(image_base_url=IMAGE_BASE, attributes={"seatNumber": "7A"}),
    )
    assert fixed.card["card"]["data"][0]["attributes"]["seatNumber"] == "7A"
    assert ("seatNumber", "set by you") in [(d.target, d.reason) for d in fixed.report.defaulted]


def test_images_that_cannot_be_hosted_say_so() -> None:
    with pytest.raises(ValidationError) as info:
        convert_apple(_package(copy.deepcopy(BOARDING), logo_2x=_png((320, 100))))
    message = str(info.value)
    assert "providerLogo: required: the pass has the image, but it must be hosted" in message
    assert "--image-base-url" in message


def test_an_image_over_samsungs_256_kb_is_skipped_for_a_smaller_variant() -> None:
    big = _png((700, 700), noise=True)
    assert len(big) > 256 * 1024
    result = convert_apple(
        _package(copy.deepcopy(BOARDING), logo_3x=big, logo_2x=big, logo=_png((160, 50))),
        ConvertOptions(image_base_url=IMAGE_BASE),
    )
    assert [i.name for i in result.images] == ["logo.png"]
    assert [(d.source, d.reason) for d in result.report.dropped if d.source.startswith("logo")] == [
        ("logo@2x.png", "over Samsung's 256 kB per image"),
        ("logo@3x.png", "over Samsung's 256 kB per image"),
    ]


def test_your_attributes_win_and_take_iso_dates() -> None:
    result = convert_apple(
        _package(copy.deepcopy(BOARDING), logo_2x=_png((320, 100))),
        ConvertOptions(
            image_base_url=IMAGE_BASE,
            attributes={"title": "BOARDING PASS", "boardingTime": "2026-11-21T19:00:00-08:00"},
        ),
    )
    attributes = result.card["card"]["data"][0]["attributes"]
    assert attributes["title"] == "BOARDING PASS" and attributes["boardingTime"] == 1795316400000
    with pytest.raises(ValidationError, match=r"attributes\.boardingTime: not an ISO 8601"):
        convert_apple(
            _package(copy.deepcopy(BOARDING), logo_2x=_png((320, 100))),
            ConvertOptions(image_base_url=IMAGE_BASE, attributes={"boardingTime": "tomorrow"}),
        )


def test_long_text_is_cut_and_reported_but_ids_are_refused_whole() -> None:
    doc = copy.deepcopy(BOARDING)
    doc["logoText"] = "Skyway Air, the friendliest airline between the bays and the Alps"
    doc["groupingIdentifier"] = "G" * 40
    result = convert_apple(_package(doc, logo_2x=_png((320, 100))), ConvertOptions(image_base_url=IMAGE_BASE))
    attributes = result.card["card"]["data"][0]["attributes"]
    assert attributes["title"] == doc["logoText"][:31] + "…"
    [cut] = [t for t in result.report.truncated if t.target == "title"]
    assert (cut.source, cut.length, cut.limit) == ("logoText", 65, 32)
    assert "groupingId" not in attributes
    assert ("groupingIdentifier", "not a valid groupingId: must be at most 32 characters (got 40)") in [
        (d.source, d.reason) for d in result.report.dropped
    ]


def test_google_local_times_need_a_zone() -> None:
    with pytest.raises(ValidationError) as info:
        convert_google(copy.deepcopy(FLIGHT))
    assert str(info.value).startswith("object.classReference.localBoardingDateTime: a local time without a UTC offset")
    assert "--time-zone" in str(info.value)


def test_a_payload_with_several_objects_asks_which() -> None:
    payload = load_json(EXAMPLES / "google/offer.json")
    second = copy.deepcopy(payload["offerObjects"][0])
    second["id"] = "3388000000022139123.WINTER26-000188"
    payload["offerObjects"].append(second)
    with pytest.raises(PassFileError, match="holds 2 objects: choose one with object_id"):
        convert_google(payload)
    result = convert_google(payload, ConvertOptions(object_id=second["id"]))
    assert result.source_id == second["id"]
    assert ("offerObjects[0]", "another pass of the payload (convert it with its object_id)") in [
        (d.source, d.reason) for d in result.report.dropped
    ]
    with pytest.raises(ConfigError, match="no object with this id"):
        convert_google(payload, ConvertOptions(object_id="nope"))


def test_an_object_that_does_not_say_its_type() -> None:
    bare = {"id": "1.x", "classId": "1.c", "barcode": {"type": "QR_CODE", "value": "x"}}
    with pytest.raises(PassFileError) as info:
        convert_google(bare)
    assert info.value.code == "unknown_type" and "--google-type" in str(info.value)
    bare["classReference"] = {
        "issuerName": "X",
        "programName": "X Rewards",
        "homepageUri": {"uri": "https://x.example"},
    }
    result = convert_google(
        bare, ConvertOptions(google_type="loyalty", attributes={"appLinkLogo": "https://x.example/l.png"})
    )
    assert result.card["card"]["type"] == "loyalty"


def test_an_expired_google_object_warns() -> None:
    doc = load_json(EXAMPLES / "google/loyalty.json")
    doc["state"] = "EXPIRED"
    report = convert_google(doc).report
    assert report.warnings == ("the Google object is EXPIRED; a new Samsung card starts ACTIVE",)


@pytest.mark.parametrize(
    ("options", "message"),
    [({"ref_id": "a b"}, "ref_id"), ({"ref_id": "x" * 33}, "ref_id"),
     ({"time_zone": "Mars/Olympus"}, "unknown time zone"), ({"time_zone": "../../etc/passwd"}, "IANA"),
     ({"image_base_url": "ftp://x"}, "scheme"), ({"language": "english!"}, "language"),
     ({"card_type": "idcard"}, "card_type"), ({"card_type": "ticket", "sub_type": "trains"}, "sub_type")],
)  # fmt: skip
def test_options_refuse_what_cannot_work(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        ConvertOptions(**options)


def test_a_type_a_source_cannot_become() -> None:
    with pytest.raises(ConfigError, match="boardingPass becomes boardingpass"):
        convert_pass(EXAMPLES / "apple/boarding-pass.pass", ConvertOptions(card_type="giftcard"))
    with pytest.raises(ConfigError, match="flight becomes a boardingpass"):
        convert_google(copy.deepcopy(FLIGHT), ConvertOptions(card_type="ticket"))


@pytest.mark.parametrize(
    ("text", "ms", "offset"),
    [("2026-11-21T19:30-08:00", 1795318200000, "UTC-08:00"),
     ("2026-11-22T03:30:00Z", 1795318200000, "UTC+00:00"),
     ("2026-11-22T09:15:00.123456789+05:45", 1795318200123, "UTC+05:45"),
     ("2026-11-22T03:30:00+0000", 1795318200000, "UTC+00:00")],
)  # fmt: skip
def test_instants_keep_their_offset(text: str, ms: int, offset: str) -> None:
    instant = parse_instant(text, None)
    assert (instant.ms, instant.utc_offset) == (ms, offset)


def test_local_times_take_the_zone_with_its_daylight_saving() -> None:
    from zoneinfo import ZoneInfo

    zurich = ZoneInfo("Europe/Zurich")
    assert parse_instant("2027-07-01T12:00:00", zurich).utc_offset == "UTC+02:00"
    assert parse_instant("2027-01-01", zurich).utc_offset == "UTC+01:00"
    for bad in ("2027-02-30T00:00:00Z", "1999-01-01T00:00:00Z", "next tuesday", "2027-01-01T00:00:00+15:00"):
        with pytest.raises(DateProblem):
            parse_instant(bad, zurich)
    with pytest.raises(DateProblem, match="no time zone"):
        parse_instant("2027-01-01T00:00:00", None)


def test_colours_and_money() -> None:
    assert hex_color("rgb(0, 48, 135)") == "#003087" and hex_color("#fc0") == "#FFCC00"
    assert hex_color("rgb(300, 0, 0)") is None and hex_color("red") is None
    assert (font_color("#FFFFFF"), font_color("#003087"), font_color("#FFCC00")) == ("light", "dark", "light")
    assert money("1234.5", "USD") == "1,234.50 USD" and money("500", "JPY") == "500 JPY"
    assert micros_money("25000000", "KWD") == "25.000 KWD" and micros_money(True, "USD") is None
    assert money("1e400", "USD") is None


def test_images_are_named_by_content() -> None:
    image = ImageFile("fr.lproj/logo@2x.png", b"png bytes")
    assert image.hosted_name == image.digest[:16] + "-logo@2x.png"
    assert host_at("https://cdn.example.com/w/")(image) == "https://cdn.example.com/w/" + image.hosted_name


def test_the_ledger_reports_an_untouched_subtree_once_and_a_refused_field_whole() -> None:
    ledger = Ledger({"a": {"b": 1, "c": [1, 2]}, "f": {"key": "k", "value": "v"}, "e": ""}, reasons={"a": "because"})
    root = ledger.node()
    root["f"]["key"].refuse("taken elsewhere")
    root["f"]["value"].refuse("taken elsewhere")
    assert [(d.source, d.reason) for d in ledger.dropped()] == [("a", "because"), ("f", "taken elsewhere")]
    root["a"]["b"].use("x")
    assert [d.source for d in ledger.dropped()] == ["a.c", "f"]


def test_validator_warnings_are_reported_and_strict_refuses_them() -> None:
    doc = copy.deepcopy(BOARDING)
    doc["appLaunchURL"] = "open the Skyway app"  # not a URI: Samsung's own sample sends such text
    options = {"image_base_url": IMAGE_BASE}
    result = convert_apple(_package(doc, logo_2x=_png((320, 100))), ConvertOptions(**options))
    assert result.card["card"]["data"][0]["attributes"]["appLinkData"] == "open the Skyway app"
    [warning] = result.report.warnings
    assert warning.startswith("card.data[0].attributes.appLinkData: is not a URL")
    with pytest.raises(ValidationError, match="appLinkData"):
        convert_apple(_package(doc, logo_2x=_png((320, 100))), ConvertOptions(strict=True, **options))
