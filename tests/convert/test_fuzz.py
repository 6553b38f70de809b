"""Hypothesis: whatever a pass holds, only linkkit's own errors escape the readers and the converters.

The vocabulary of keys is the real one (pass.json and Google Wallet field names), so the fuzzer reaches
the mapping code instead of stopping at "not a pass".
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkkit.cards import check_card
from linkkit.convert import ConvertOptions, convert_pass, read_pkpass
from linkkit.convert.apple import STYLES
from linkkit.convert.google import DROP_REASONS
from linkkit.errors import LinkKitError

from ._zips import png_header

APPLE_KEYS = [
    "formatVersion", "organizationName", "description", "logoText", "serialNumber", "backgroundColor",
    "foregroundColor", "barcodes", "barcode", "format", "message", "altText", "relevantDate", "expirationDate",
    "locations", "latitude", "longitude", "relevantText", "semantics", "seats", "seatNumber", "seatType",
    "passengerName", "givenName", "eventName", "eventStartDate", "venueLocation", "balance", "amount",
    "currencyCode", "headerFields", "primaryFields", "secondaryFields", "auxiliaryFields", "backFields", "key",
    "label", "value", "dateStyle", "transitType", "appLaunchURL", "groupingIdentifier", "confirmationNumber",
    "airlineCode", "flightNumber", "departureAirportCode", "relevantDates", "startDate", *STYLES,
]  # fmt: skip
GOOGLE_KEYS = [
    "kind", "id", "classId", "state", "barcode", "type", "value", "alternateText", "classReference", "issuerName",
    "localizedIssuerName", "defaultValue", "translatedValues", "language", "logo", "sourceUri", "uri", "heroImage",
    "hexBackgroundColor", "validTimeInterval", "start", "end", "date", "locations", "latitude", "longitude",
    "textModulesData", "header", "body", "linksModuleData", "uris", "appLinkData", "androidAppLinkInfo",
    "appTarget", "targetUri", "flightHeader", "carrier", "carrierIataCode", "flightNumber", "origin",
    "airportIataCode", "passengerName", "boardingAndSeatingInfo", "seatNumber", "ticketLeg", "ticketSeat",
    "eventName", "dateTime", "venue", "name", "address", "seatInfo", "seat", "programName", "loyaltyPoints",
    "balance", "micros", "currencyCode", "cardNumber", "pin", "merchantName", "cardTitle", "title", "provider",
    "infoModuleData", "labelValueRows", "columns", "label", "groupingInfo", "groupingId", "passConstraints",
    "screenshotEligibility", "languageOverride", "payload", "flightObjects", "flightClasses", "genericObjects",
]  # fmt: skip
KINDS = [
    f"walletobjects#{t}Object" for t in ("flight", "transit", "eventTicket", "offer", "giftCard", "loyalty", "generic")
]
assert DROP_REASONS

scalars = (
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["rgb(1, 2, 3)", "#fc0", "2026-11-21T19:30-08:00", "2027-03-05T06:30:00", "QR_CODE",
                       "PKBarcodeFormatQR", "https://x.example/a.png", "PKTransitTypeAir", "tel:1", "en", *KINDS])
)  # fmt: skip


def json_of(keys: list[str]) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(keys), inner, max_size=6),
        max_leaves=30,
    )


OPTIONS = ConvertOptions(image_base_url="https://cdn.example.com/w", time_zone="Europe/Zurich")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _convert(doc: object) -> None:
    try:
        result = convert_pass(doc, OPTIONS)  # type: ignore[arg-type]
    except LinkKitError:
        return
    assert check_card(result.card) == []
    json.dumps(result.report.as_dict())


@SETTINGS
@given(st.sampled_from(list(STYLES)), st.dictionaries(st.sampled_from(APPLE_KEYS), json_of(APPLE_KEYS), max_size=12))
def test_apple_pass_json(style: str, doc: dict[str, Any]) -> None:
    doc.setdefault(style, {})
    _convert(doc)


@SETTINGS
@given(st.sampled_from(KINDS), st.dictionaries(st.sampled_from(GOOGLE_KEYS), json_of(GOOGLE_KEYS), max_size=12))
def test_google_objects(kind: str, doc: dict[str, Any]) -> None:
    doc.setdefault("kind", kind)
    _convert(doc)


@SETTINGS
@given(st.binary(max_size=600))
def test_any_bytes_as_a_pkpass(data: bytes) -> None:
    try:
        read_pkpass(b"PK\x03\x04" + data)
    except LinkKitError:
        pass


entry_names = st.sampled_from(
    ["pass.json", "logo.png", "logo@2x.png", "icon.png", "strip.png", "fr.lproj/pass.strings", "fr.lproj/logo.png",
     "manifest.json", "signature", "../x", "a/b/c.png", "en.lproj/", "notes.txt"]
) | st.text(max_size=12)  # fmt: skip
entry_data = st.binary(max_size=64) | st.just(png_header(10, 10)) | st.just(b'{"formatVersion": 1, "generic": {}}')


@SETTINGS
@given(st.lists(st.tuples(entry_names, entry_data), max_size=6))
def test_any_zip_of_pass_entries(entries: list[tuple[str, bytes]]) -> None:
    import warnings

    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(out, "w") as archive:
            for name, data in entries:
                # zipfile cuts a name at its first NUL, and fails itself on a name that is then empty.
                if name.split("\x00", 1)[0]:
                    archive.writestr(name, data)
    try:
        package = read_pkpass(out.getvalue())
    except LinkKitError:
        return
    _convert(package.data)
