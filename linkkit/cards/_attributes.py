"""Attribute groups shared by several card types (Samsung's card pages).

Sources, cited per group below:

- [cards]   developer.samsung.com/wallet/addtosamsungwallet/walletcards/*.html and
            /wallet/api_new/walletcards/*.html (current card pages; Type column "String(N)").
- [old]     developer.samsung.com/wallet/api/wallet-cards.html (older numbered tables).
- [barcode] /wallet/addtosamsungwallet/barcodeqrcodepresentation.html and /wallet/api/references.html.
- [helpful] /wallet/api_new/references/helpful.html (Additional information, Locations, Extended Fields).
- [sample]  Samsung's cdata_generation_sample_code_v1.1.2 payloads (BoardingPass, Coupon, Ticket .json),
            mirrored in abyssparanoia/samsung-wallet-go.
- [keyset]  jolicode/wallet-kit tools/spec/samsung-wallet-keyset.json (third party, scraped docs).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from linkkit.cards._json_kinds import JsonShape, JsonString
from linkkit.cards._kinds import (
    AppLink,
    Color,
    DigitString,
    Enum,
    EpochMillis,
    FontColor,
    Kind,
    Str,
    Url,
    UtcOffset,
    YesNo,
)

Table = Mapping[str, Kind]

S32: Final = Str(32)
S64: Final = Str(64)
TEXT: Final = Str()  # length not captured in public material [GAP]
IMAGE: Final = Url(256)  # images: String(256), file ≤ 256 kB [cards]
MS: Final = EpochMillis()
YN: Final = YesNo()
COLOR: Final = Color()
OFFSET: Final = UtcOffset()
# *.relativeNotiTime String(4): "minutes ... 5, 10, 15, 30, 60, and up to 2880" [cards] generic.
NOTI_MINUTES: Final = DigitString(2880)

# --- JSON-string attributes --------------------------------------------------------------------
#: csInfo keys on most pages (loyalty, boarding pass, ticket) [cards].
CS_KEYS_SOCIAL: Final = ("call", "email", "website", "facebook", "pinterest", "x", "instagram")
#: csInfo keys on the gift card, digital ID and digital key pages [cards].
CS_KEYS_BASIC: Final = ("call", "email", "website")
#: csInfo keys on the pay-as-you-go page [cards].
CS_KEYS_PAYG: Final = ("call", "email", "website", "youtube", "instagram", "privacyNotice", "termsAndCondition")


def cs_info(keys: tuple[str, ...], max_len: int = 512) -> JsonString:
    """csInfo: "Providers' customer service Information ... JSON format converted to escape string"."""
    return JsonString(JsonShape("object", keys=keys, label="object of " + ", ".join(keys)), max_len)


# Locations [helpful]: a JSON array, "up to 10 locations"; name and address required, lat/lng Double.
LOCATIONS: Final = JsonString(
    JsonShape(
        "array",
        keys=("name", "address", "lat", "lng"),
        required=("name", "address"),
        numbers=("lat", "lng"),
        max_items=10,
        label="array (≤ 10) of {name, address, lat?, lng?}",
    ),
    1024,
)
# Additional information [helpful]: {"count"?, "info": [{title, content[] | chart}]} (extraInfo).
EXTRA_INFO: Final = JsonString(
    JsonShape("object", keys=("count", "info"), required=("info",), label="{count?, info[]}"), 512
)
# person1 [sample Ticket.json, helpful "Classification"]: {"person": [{category, count}]}.
PERSON: Final = JsonString(JsonShape("object", keys=("person",), required=("person",), label="{person[]}"))
# extendedFields [helpful]: "a flexible list of key-value pairs"; its exact wrapper is not
# published consistently, so only "holds valid JSON" is checked [GAP].
EXTENDED_FIELDS: Final = JsonString(JsonShape("any", label="Extended Fields"), 1024)
# noticeDesc String(5000): "Text of notice. *HTML supported" [cards].
NOTICE: Final = Str(5000)

# --- Barcode [barcode] --------------------------------------------------------------------------
#: barcode.serialType: SERIALNUMBER/BARCODE/QRCODE [barcode]; SHIPPING/CALLORDER/URL (online use)
#: on the newer page; SERIAL, DUALBARCODE and None are listed on the card overview [cards].
SERIAL_TYPES: Final = (
    "QRCODE", "BARCODE", "SERIALNUMBER", "SHIPPING", "CALLORDER", "URL", "SERIAL", "DUALBARCODE", "None",
)  # fmt: skip
#: barcode.ptFormat [barcode] (the older references page lists these nine).
PT_FORMATS: Final = (
    "BARCODE", "BARCODESERIAL", "SERIAL", "DUALSERIAL", "DUALBARCODE", "DUALBARCODESERIAL",
    "BARCODEPIN", "QRCODE", "QRCODESERIAL",
)  # fmt: skip
#: barcode.ptSubFormat: "commonly used barcode formats, supported by the ZXing ... library" [barcode],
#: so an open list; "CODE128" (no underscore) is what Samsung's own Coupon.json sends [sample].
PT_SUB_FORMATS: Final = (
    "AZTEC", "CODABAR", "CODE_39", "CODE_93", "CODE_128", "CODE128", "DATA_MATRIX", "EAN_8", "EAN_13",
    "ITF", "MAXICODE", "PDF_417", "QR_CODE", "RSS_14", "RSS_EXPANDED", "UPC_A", "UPC_E",
    "UPC_EAN_EXTENSION",
)  # fmt: skip
#: barcode.errorCorrectionLevel String(4): "code options L/M/Q/H" [old] boarding pass.
ERROR_CORRECTION_LEVELS: Final = ("L", "M", "Q", "H")

BARCODE: Final[Table] = {
    "barcode.value": Str(4096),  # String(4096) [cards] coupon
    "barcode.value2": Str(4096),  # String(4096) [cards] coupon (dual formats)
    "barcode.serialType": Enum(SERIAL_TYPES),
    "barcode.ptFormat": Enum(PT_FORMATS),
    "barcode.ptSubFormat": Enum(PT_SUB_FORMATS, open=True),
    "barcode.errorCorrectionLevel": Enum(ERROR_CORRECTION_LEVELS),
    "barcode.interval": DigitString(9999),  # String(4), dynamic QR validity in seconds [barcode]
    "barcode.pin": TEXT,  # [keyset] samsungBarcode.pin; BARCODEPIN format [barcode]
}
#: "If any barcode.* key is present these must be too": barcode.value, serialType and ptFormat are
#: "Required: Yes" in the barcode data structure [barcode].
BARCODE_GROUP: Final = ("barcode.", ("barcode.value", "barcode.serialType", "barcode.ptFormat"))

#: eventId / groupingId / orderId: String(32) on most pages, String(36) on loyalty and gift card [cards].
IDS_32: Final[Table] = {"eventId": S32, "groupingId": S32, "orderId": S32}
IDS_36: Final[Table] = {"eventId": Str(36), "groupingId": Str(36), "orderId": Str(36)}

# --- Presentation groups -----------------------------------------------------------------------
APP_LINK: Final[Table] = {
    "appLinkLogo": IMAGE,  # String(256) [cards]
    "appLinkName": S32,  # String(32) [cards]
    # String(256) "Information about the partner app link": a URL or an app's URI; Samsung's
    # BoardingPass.json sends "appLink url", so a non-URL is a warning (rule app-link-url) [sample].
    "appLinkData": AppLink(256),
}
LOGO_IMAGE: Final[Table] = {
    "logoImage": IMAGE,
    "logoImage.darkUrl": IMAGE,  # "a flat key name, not a nested object path" [cards] gift card
    "logoImage.lightUrl": IMAGE,
}
#: Required by the current boarding pass and event ticket pages, left out by Samsung's own samples and
#: older pages: a missing one is the warning rule ``light-url-missing`` (see linkkit.cards.rules).
LIGHT_URLS: Final = frozenset({"providerLogo.lightUrl", "logoImage.lightUrl"})
COLORS: Final[Table] = {
    "bgColor": COLOR,  # String(8) "e.g., #00FFFF" [cards]
    "fontColor": FontColor(),  # String(8) "Acceptable values: dark, light" [cards]; "#FFFFFF" [sample]
    "blinkColor": COLOR,  # String(8) [cards] ticket, clip
}
VIEW_FLAGS: Final[Table] = {
    "preventCaptureYn": YN,  # String(1) [cards]
    "noNetworkSupportYn": YN,  # String(1) [cards] clip, ticket [keyset]
}


def dated(name: str, *, offset: bool = True, noti: bool = False) -> dict[str, Kind]:
    """An epoch-ms attribute with its flat companions ``.utcOffset`` / ``.relativeNotiTime``."""
    table: dict[str, Kind] = {name: MS}
    if offset:
        table[f"{name}.utcOffset"] = OFFSET
    if noti:
        table[f"{name}.relativeNotiTime"] = NOTI_MINUTES
    return table


def indexed(template: str, indexes: Iterable[int], kind: Kind) -> dict[str, Kind]:
    """Expand Samsung's ``text{i}`` / ``serial{i}.value`` rows into concrete keys."""
    return {template.format(i=i): kind for i in indexes}


def merge(*tables: Mapping[str, Kind]) -> dict[str, Kind]:
    """Join attribute tables; a later table wins (a type page overriding a shared group)."""
    out: dict[str, Kind] = {}
    for table in tables:
        out.update(table)
    return out
