"""Identity and other card types: generic, digital IDs, digital keys, relying party (Samsung's card pages).

Rows of the card-type table; sources ([cards], [old], [sample] ...) are defined in
:mod:`linkkit.cards._attributes`.
"""

from __future__ import annotations

from typing import Final

from linkkit.cards._attributes import (
    APP_LINK,
    BARCODE,
    COLORS,
    CS_KEYS_BASIC,
    CS_KEYS_SOCIAL,
    EXTENDED_FIELDS,
    EXTRA_INFO,
    IMAGE,
    LOCATIONS,
    LOGO_IMAGE,
    MS,
    NOTICE,
    S32,
    S64,
    VIEW_FLAGS,
    YN,
    cs_info,
    dated,
    indexed,
    merge,
)
from linkkit.cards._kinds import Enum, Str, Url
from linkkit.cards._spec import CardSpec

GENERIC: Final = CardSpec(
    type="generic",
    sub_types=("others",),
    # The current page requires title, providerName, startDate; an older capture also listed
    # mainImg [old]. The current page wins.
    required=("title", "providerName", "startDate"),
    attributes=merge(
        {
            "title": S32,
            "subtitle": S32,
            "providerName": S32,
            "eventId": S32,
            "groupingId": S32,
            "bgImage": IMAGE,
            "mainImg": IMAGE,  # [keyset]
            "coverImage": IMAGE,  # [keyset]
            "image1": Str(128 * 1024),  # String(128k)
            "image1.lightUrl": IMAGE,
            "image1.darkUrl": IMAGE,
            "image1.status": Str(16),
            "providerViewLink": Url(512),  # [keyset]
            "privacyModeYn": YN,  # [cards]
            "locations": LOCATIONS,
            "noticeDesc": NOTICE,
            "csInfo": cs_info(CS_KEYS_SOCIAL),
            "extendedFields": EXTENDED_FIELDS,
        },
        dated("startDate", noti=True),
        dated("endDate", noti=True),
        LOGO_IMAGE,
        indexed("text{i}", range(1, 13), S64),  # text{i} String(64), i 1~12
        indexed("serial{i}.value", range(1, 3), Str(4096)),  # serial{i}.*, i 1~2
        indexed("serial{i}.serialType", range(1, 3), BARCODE["barcode.serialType"]),
        indexed("serial{i}.ptFormat", range(1, 3), BARCODE["barcode.ptFormat"]),
        indexed("serial{i}.ptSubFormat", range(1, 3), BARCODE["barcode.ptSubFormat"]),
        APP_LINK,
        COLORS,
        VIEW_FLAGS,
        BARCODE,
    ),
    source="[cards] generic, [keyset]",
)


IDCARD: Final = CardSpec(
    type="idcard",
    sub_types=("employees", "nationals", "students", "drivers", "guests", "others"),
    required=("title", "holderName", "identifier", "issueDate", "providerName", "csInfo"),
    attributes=merge(
        {
            "title": S32,
            "holderName": S64,
            "secondHolderName": S64,
            "organization": S64,
            "position": S64,
            "identifier": S64,
            "idNumber": S64,
            "idStatus": S64,
            "address": Str(256),
            "placeOfLocation": S64,
            "idPhoto": Str(128 * 1024),  # String(128k), Base64 image data
            "idPhoto.format": S32,
            "idPhoto.status": Enum(("UNCHANGED",)),
            "issueDate": MS,
            "birthdate": Str(16),
            "gender": Str(16),
            "classification": Str(16),
            "expiry": MS,
            "contacts": S32,
            "logoText": Str(16),
            "providerName": S32,
            "issuerName": S32,
            "extraInfo": EXTRA_INFO,
            "noticeDesc": NOTICE,
            "csInfo": cs_info(CS_KEYS_BASIC),
            "privacyModeYn": YN,
            "bgImage": IMAGE,  # [keyset]
            "coverImage": IMAGE,  # [keyset]
        },
        # document{i}, i 1~5: Base64 documents with their format and status [cards].
        indexed("document{i}", range(1, 6), Str(1024 * 1024)),
        indexed("document{i}.format", range(1, 6), Enum(("pdf", "jpeg", "png"))),
        indexed("document{i}.status", range(1, 6), Enum(("UNCHANGED",))),
        LOGO_IMAGE,
        APP_LINK,
        COLORS,
        VIEW_FLAGS,
        BARCODE,
    ),
    source="[cards] digital IDs, [keyset]",
)


DIGITALKEY: Final = CardSpec(
    type="digitalkey",
    sub_types=("doors", "residents", "hotels", "cars", "others"),  # [cards] digital keys
    # The page spells the row "Identifier"; every other type uses "identifier" [GAP: typo assumed].
    required=("title", "identifier", "issueDate", "providerName", "csInfo"),
    attributes=merge(
        {
            "title": S32,
            "holderName": S64,
            "userGroup": S64,
            "identifier": S64,
            "keyId": S64,
            "keyStatus": Str(16),
            "keyInfo": S64,
            "issueDate": MS,
            "expiry": MS,
            "address": Str(256),
            "providerName": S32,
            "issuerName": S32,
            "extraInfo": EXTRA_INFO,
            "noticeDesc": NOTICE,
            "csInfo": cs_info(CS_KEYS_BASIC, 4096),
            "locations": LOCATIONS,
        },
        LOGO_IMAGE,
        APP_LINK,
        COLORS,
        VIEW_FLAGS,
    ),
    groups=(),
    source="[cards] digital keys",
)


RELYINGPARTY: Final = CardSpec(
    type="relyingparty",
    sub_types=("others",),  # "Others" in the table, "others" in the page's example
    required=("logoImage", "logoImage.darkUrl", "logoImage.lightUrl", "providerName", "clientType"),
    attributes=merge(
        LOGO_IMAGE,
        {
            "fontColor": COLORS["fontColor"],
            "providerName": S32,
            "clientType": S32,  # "whether the client operates as an application or Web"
            "clientPackageName": S32,
        },
    ),
    groups=(),
    complete=True,  # the whole seven-row table was captured
    source="/wallet/verifywithsamsungwallet/walletcards/relyingparty.html",
)
