"""Builders and Barcode: typed, keyword-only, validated plain dicts."""

from __future__ import annotations

import inspect
import json

import pytest

from linkkit.cards import (
    Barcode,
    boarding_pass_card,
    check_card,
    coupon_card,
    generic_card,
    gift_card,
    loyalty_card,
    ticket_card,
    validate_card,
)
from linkkit.errors import ValidationError

NOW_S = 1_700_000_000.5
NOW_MS = 1_700_000_000_500
APP = {
    "app_link_logo": "https://img.example/app.png",
    "app_link_name": "Example",
    "app_link_data": "https://app.example/open",
}


def clock() -> float:
    return NOW_S


def the_entry(card: dict[str, object]) -> dict[str, object]:
    return card["card"]["data"][0]  # type: ignore[index,no-any-return]


class TestBarcode:
    def test_defaults_follow_samsungs_samples(self) -> None:
        assert Barcode(value="CS1").attributes() == {
            "barcode.value": "CS1",
            "barcode.serialType": "QRCODE",
            "barcode.ptFormat": "QRCODESERIAL",
            "barcode.ptSubFormat": "QR_CODE",
        }
        assert Barcode(value="111", serial_type="BARCODE").attributes()["barcode.ptSubFormat"] == "CODE_128"
        serial = Barcode(value="SN-1", serial_type="SERIALNUMBER").attributes()
        assert serial == {"barcode.value": "SN-1", "barcode.serialType": "SERIALNUMBER", "barcode.ptFormat": "SERIAL"}

    def test_explicit_fields(self) -> None:
        attrs = Barcode(
            value="x", serial_type="BARCODE", pt_format="BARCODEPIN", pt_sub_format="EAN_13",
            error_correction_level="H", pin="1234",
        ).attributes()  # fmt: skip
        assert attrs["barcode.ptFormat"] == "BARCODEPIN" and attrs["barcode.pin"] == "1234"
        assert attrs["barcode.errorCorrectionLevel"] == "H"

    def test_frozen_and_keyword_only(self) -> None:
        barcode = Barcode(value="x")
        with pytest.raises(AttributeError):
            barcode.value = "y"  # type: ignore[misc]
        with pytest.raises(TypeError):
            Barcode("x")  # type: ignore[misc]

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"value": "x", "serial_type": "QR"}, "Barcode.serial_type: must be one of"),
            ({"value": "x", "serial_type": "SHIPPING"}, "Barcode.pt_format: is required for this serial_type"),
            ({"value": "x", "error_correction_level": "Z"}, "Barcode.error_correction_level: must be one of"),
            ({"value": "x" * 4097}, "Barcode.value: must be at most 4096 characters"),
            ({"value": 5}, "Barcode.value: must be a string"),
        ],
    )
    def test_misuse_is_a_value_error(self, kwargs: dict[str, object], message: str) -> None:
        with pytest.raises(ValueError, match=message):
            Barcode(**kwargs)  # type: ignore[arg-type]

    def test_unusual_symbology_is_allowed(self) -> None:
        assert Barcode(value="x", serial_type="BARCODE", pt_sub_format="CODE_11").pt_sub_format == "CODE_11"


class TestLoyalty:
    def test_structure_and_clock(self) -> None:
        card = loyalty_card(ref_id="ref-1", title="Gold", provider_name="Acme", clock=clock, **APP)
        assert card == {
            "card": {
                "type": "loyalty",
                "subType": "others",
                "data": [
                    {
                        "refId": "ref-1",
                        "createdAt": NOW_MS,
                        "updatedAt": NOW_MS,
                        "language": "en",
                        "attributes": {
                            "title": "Gold",
                            "providerName": "Acme",
                            "appLinkLogo": "https://img.example/app.png",
                            "appLinkName": "Example",
                            "appLinkData": "https://app.example/open",
                        },
                    }
                ],
            }
        }

    def test_everything_optional(self) -> None:
        card = loyalty_card(
            ref_id="ref-1",
            title="Gold",
            provider_name="Acme",
            barcode=Barcode(value="4006381333931", serial_type="BARCODE"),
            language="ko",
            created_at=1_600_000_000_000,
            updated_at=1_600_000_000_001,
            localization={"en": {"title": "Gold", "provider_name": "Acme"}},
            account={"type": "email", "value": "jane@example.com"},
            bg_color="#003087",
            font_color="light",
            cs_info={"call": "+1-555-0100"},
            locations=[{"name": "Main St", "address": "1 Main St", "lat": 1.5, "lng": 2.5}],
            prevent_capture_yn=True,
            start_date=None,  # None leaves an attribute out
            **{"logoImage.darkUrl": "https://img.example/dark.png"},
            **APP,
        )
        entry = the_entry(card)
        attrs = entry["attributes"]
        assert isinstance(attrs, dict)
        assert entry["createdAt"] == 1_600_000_000_000 and entry["updatedAt"] == 1_600_000_000_001
        assert entry["localization"] == [{"language": "en", "attributes": {"title": "Gold", "providerName": "Acme"}}]
        assert card["account"] == {"type": "email", "value": "jane@example.com"}
        assert attrs["bgColor"] == "#003087" and attrs["fontColor"] == "light"
        assert attrs["csInfo"] == '{"call":"+1-555-0100"}'
        assert json.loads(attrs["locations"]) == [{"name": "Main St", "address": "1 Main St", "lat": 1.5, "lng": 2.5}]
        assert attrs["preventCaptureYn"] == "Y"
        assert "startDate" not in attrs
        assert attrs["logoImage.darkUrl"] == "https://img.example/dark.png"
        assert attrs["barcode.ptFormat"] == "BARCODESERIAL"
        assert validate_card(card).warnings == ()

    def test_validates_its_output(self) -> None:
        with pytest.raises(ValidationError) as info:
            loyalty_card(ref_id="r" * 33, title="t" * 33, provider_name="Acme", clock=clock, tier="gold", **APP)
        assert [(e.path, e.reason.split(";")[0]) for e in info.value.errors] == [
            ("card.data[0].refId", "must be at most 32 characters (got 33)"),
            ("card.data[0].attributes.title", "must be at most 32 characters (got 33)"),
            ("card.data[0].attributes.tier", "is not a known attribute of loyalty cards"),
        ]

    def test_builders_hold_their_output_to_the_current_docs(self) -> None:
        # What validate_card only warns about, a builder refuses: its output needs no excuse.
        with pytest.raises(ValidationError) as info:
            loyalty_card(ref_id="r", title="t", provider_name="p", **{**APP, "app_link_data": "appLink url"})
        assert info.value.field == "card.data[0].attributes.appLinkData"
        assert "refused in strict mode" in str(info.value)

    def test_bad_account_and_barcode_type(self) -> None:
        with pytest.raises(ValidationError, match="account.type"):
            loyalty_card(ref_id="r", title="t", provider_name="p", account={"type": "fax", "value": "1"}, **APP)
        with pytest.raises(TypeError, match="barcode must be a Barcode"):
            loyalty_card(ref_id="r", title="t", provider_name="p", barcode={"value": "1"}, **APP)  # type: ignore[arg-type]

    def test_default_clock_is_now(self) -> None:
        import time

        before = int(time.time() * 1000)
        card = loyalty_card(ref_id="r", title="t", provider_name="p", **APP)
        assert before <= the_entry(card)["createdAt"] <= int(time.time() * 1000)  # type: ignore[operator]


def test_gift_card() -> None:
    card = gift_card(ref_id="g-1", title="Gift", provider_name="Shop", clock=clock, balance="$25", **APP)
    assert card["card"]["type"] == "giftcard"
    assert the_entry(card)["attributes"]["balance"] == "$25"  # type: ignore[index]


def test_coupon_flags_and_dates() -> None:
    card = coupon_card(
        ref_id="c-1", title="Free coffee", main_img="https://img.example/c.png", expiry=NOW_MS + 1000,
        clock=clock, editable=True, notification=False, **APP,
    )  # fmt: skip
    attrs = the_entry(card)["attributes"]
    assert isinstance(attrs, dict)
    assert attrs["issueDate"] == NOW_MS
    assert (attrs["editableYn"], attrs["deletableYn"], attrs["displayRedeemButtonYn"], attrs["notificationYn"]) == (
        "Y", "Y", "Y", "N",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="expiry: must be epoch milliseconds"):
        coupon_card(ref_id="c-1", title="t", main_img="https://img.example/c.png", expiry=1_700_000_000, **APP)


def test_ticket_fills_logo_variants() -> None:
    card = ticket_card(
        ref_id="t-1", title="Movie", main_img="https://img.example/m.png", logo_image="https://img.example/l.png",
        provider_name="Cinema", clock=clock, start_date=NOW_MS + 3_600_000, seat_number="H12",
        logo_image_dark_url="https://img.example/dark.png",
        **{"startDate.utcOffset": "UTC+09:00"},
    )  # fmt: skip
    assert card["card"]["subType"] == "movies"
    attrs = the_entry(card)["attributes"]
    assert isinstance(attrs, dict)
    assert attrs["logoImage.darkUrl"] == "https://img.example/dark.png"
    assert attrs["logoImage.lightUrl"] == "https://img.example/l.png"
    assert attrs["issueDate"] == NOW_MS and attrs["seatNumber"] == "H12"
    with pytest.raises(ValidationError, match="card.subType"):
        ticket_card(ref_id="t", title="t", main_img="https://i.example/m", logo_image="https://i.example/l",
                    provider_name="p", sub_type="concerts")  # fmt: skip


def test_boarding_pass_airlines_needs_passenger_details() -> None:
    common = {
        "ref_id": "b-1", "title": "Boarding pass", "provider_name": "Example Air",
        "provider_logo": "https://img.example/air.png", "seat_number": "1A", "reservation_number": "ABC123",
        "clock": clock,
    }  # fmt: skip
    with pytest.raises(ValidationError) as info:
        boarding_pass_card(**common)  # type: ignore[arg-type]
    assert [e.path.rsplit(".", 1)[-1] for e in info.value.errors] == ["user", "vehicleNumber", "seatClass"]
    card = boarding_pass_card(
        **common, user="Jane Doe", vehicle_number="EX701", seat_class="First",  # type: ignore[arg-type]
        barcode=Barcode(value="M1DOE/JANE", error_correction_level="M"),
        boarding_time=NOW_MS, depart_code="ICN", **{"boardingTime.utcOffset": "UTC+09:00"},
    )  # fmt: skip
    assert check_card(card) == []
    trains = boarding_pass_card(**common, sub_type="trains")  # type: ignore[arg-type]
    assert "user" not in the_entry(trains)["attributes"]  # type: ignore[operator]


def test_generic_start_date_defaults_to_created_at() -> None:
    card = generic_card(ref_id="x-1", title="Parking", provider_name="Lot", clock=clock, text1="Level 2")
    attrs = the_entry(card)["attributes"]
    assert attrs == {"title": "Parking", "providerName": "Lot", "startDate": NOW_MS, "text1": "Level 2"}


@pytest.mark.parametrize(
    "builder", [loyalty_card, gift_card, coupon_card, ticket_card, boarding_pass_card, generic_card]
)
def test_builders_are_keyword_only_and_documented(builder: object) -> None:
    signature = inspect.signature(builder)  # type: ignore[arg-type]
    kinds = {p.kind for p in signature.parameters.values()}
    assert kinds <= {inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD}
    assert ":raises" in (inspect.getdoc(loyalty_card) or "")
    assert inspect.getdoc(builder)


class TestSubType:
    """A type's only sub-type is filled when the builder is not given one (Samsung's Coupon.json omits it)."""

    @pytest.mark.parametrize(
        "build",
        [
            lambda **kw: loyalty_card(ref_id="r", title="t", provider_name="p", clock=clock, **APP, **kw),
            lambda **kw: gift_card(ref_id="r", title="t", provider_name="p", clock=clock, **APP, **kw),
            lambda **kw: coupon_card(
                ref_id="r", title="t", main_img="https://img.example/c.png", expiry=NOW_MS + 1, clock=clock, **APP, **kw
            ),
            lambda **kw: generic_card(ref_id="r", title="t", provider_name="p", clock=clock, **kw),
        ],
    )
    def test_single_sub_type_is_filled(self, build) -> None:  # type: ignore[no-untyped-def]
        assert build()["card"]["subType"] == "others"
        assert build(sub_type=None)["card"]["subType"] == "others"
        assert build(sub_type="others")["card"]["subType"] == "others"
        with pytest.raises(ValidationError) as info:
            build(sub_type="premium")
        assert info.value.field == "card.subType"

    def test_sub_type_is_not_an_attribute(self) -> None:
        card = loyalty_card(ref_id="r", title="t", provider_name="p", sub_type="others", clock=clock, **APP)
        assert "subType" not in the_entry(card)["attributes"]  # type: ignore[operator]

    def test_types_with_several_sub_types_keep_their_default(self) -> None:
        ticket = ticket_card(
            ref_id="t", title="t", main_img="https://img.example/m.png", logo_image="https://img.example/l.png",
            provider_name="p", clock=clock,
        )  # fmt: skip
        assert ticket["card"]["subType"] == "movies"
        attributes = the_entry(ticket)["attributes"]
        assert attributes["logoImage.lightUrl"] == attributes["logoImage.darkUrl"] == "https://img.example/l.png"  # type: ignore[index]
