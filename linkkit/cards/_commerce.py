"""Commerce card types: coupons, gift cards, loyalty and pay-as-you-go cards (Samsung's card pages).

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
    CS_KEYS_PAYG,
    CS_KEYS_SOCIAL,
    EXTENDED_FIELDS,
    IDS_36,
    IMAGE,
    LOCATIONS,
    LOGO_IMAGE,
    MS,
    NOTICE,
    S32,
    S64,
    TEXT,
    VIEW_FLAGS,
    YN,
    cs_info,
    merge,
)
from linkkit.cards._json_kinds import JsonShape, JsonString
from linkkit.cards._kinds import Url
from linkkit.cards._spec import CardSpec

COUPON: Final = CardSpec(
    type="coupon",
    sub_types=("others",),
    # Samsung's Coupon.json omits card.subType [sample] although the card pages require it [cards].
    required=(
        "title",
        "mainImg",
        "expiry",
        "issueDate",
        "editableYn",
        "deletableYn",
        "displayRedeemButtonYn",
        "notificationYn",
        "appLinkLogo",
        "appLinkName",
        "appLinkData",
    ),
    attributes=merge(
        {
            "title": S32,
            "orderId": S32,
            "mainImg": IMAGE,  # file ≤ 512 kB
            "brandName": S32,
            "expiry": MS,
            "issueDate": MS,
            # Samsung's Coupon.json sends "" here; omit the attribute instead [sample].
            "redeemDate": MS,
            "noticeDesc": NOTICE,
            "editableYn": YN,
            "deletableYn": YN,
            "displayRedeemButtonYn": YN,
            "notificationYn": YN,
            "addToWalletCouponYn": YN,  # [sample], [cards]
            "balance": TEXT,  # [keyset]; type not captured [GAP]
            "summaryUrl": Url(None),  # [keyset]
            "csInfo": cs_info(CS_KEYS_SOCIAL),
        },
        LOGO_IMAGE,
        APP_LINK,
        COLORS,
        VIEW_FLAGS,
        BARCODE,
    ),
    source="[cards] coupon, [sample] Coupon.json",
)


GIFTCARD: Final = CardSpec(
    type="giftcard",
    sub_types=("others",),
    required=("title", "providerName", "appLinkLogo", "appLinkName", "appLinkData"),
    attributes=merge(
        {
            "title": S32,
            "subtitle1": S32,
            "providerName": S32,
            "user": S64,
            "startDate": MS,
            "endDate": MS,
            "locations": LOCATIONS,
            "noticeDesc": NOTICE,
            "csInfo": cs_info(CS_KEYS_BASIC),
            "bgImage": IMAGE,  # 888 x 555 px recommended
            "mainImg": IMAGE,  # [keyset]
            # amount, balance, merchantId, merchantName, summaryUrl: listed by [cards] and [keyset]
            # without a captured type or length [GAP].
            "amount": TEXT,
            "balance": TEXT,
            "merchantId": TEXT,
            "merchantName": TEXT,
            "summaryUrl": Url(None),
        },
        IDS_36,
        LOGO_IMAGE,
        APP_LINK,
        COLORS,
        VIEW_FLAGS,
        BARCODE,
    ),
    source="[cards] gift card, [keyset]",
)


LOYALTY: Final = CardSpec(
    type="loyalty",
    sub_types=("others",),
    required=("title", "providerName", "appLinkLogo", "appLinkName", "appLinkData"),
    attributes=merge(
        {
            "title": S32,
            "subtitle1": S32,
            "providerName": S32,
            "startDate": MS,
            "endDate": MS,
            "locations": LOCATIONS,
            "noticeDesc": NOTICE,
            "extendedFields": EXTENDED_FIELDS,
            # String(512) on one copy of the page, String(4096) on the other [cards]: the larger wins.
            "csInfo": cs_info(CS_KEYS_SOCIAL, 4096),
            "bgImage": IMAGE,
            "amount": TEXT,  # optional on [cards]; type not captured [GAP]
            "balance": TEXT,
            "merchantId": TEXT,  # [keyset]
            "merchantName": TEXT,
            "summaryUrl": Url(None),
        },
        IDS_36,
        LOGO_IMAGE,
        APP_LINK,
        COLORS,
        VIEW_FLAGS,
        BARCODE,
    ),
    source="[cards] loyalty, [keyset]",
)


PAYASYOUGO: Final = CardSpec(
    type="payasyougo",
    sub_types=("evcharges", "others"),
    # noticeDesc is "Required ... Using data in JSON format" here, unlike other types [cards].
    required=("title", "noticeDesc", "appLinkLogo", "appLinkName", "appLinkData"),
    attributes=merge(
        {
            "title": S32,
            "subtitle1": S32,
            "providerName": S32,
            "holderName": S64,
            "identifier": TEXT,  # [keyset]
            "grade": TEXT,  # [keyset]
            "startDate": MS,
            "endDate": MS,
            "locations": LOCATIONS,
            "noticeDesc": JsonString(
                JsonShape("object", keys=("count", "info"), required=("info",), label="{count?, info[]}"),
                5000,
            ),
            "csInfo": cs_info(CS_KEYS_PAYG),
            "bgImage": IMAGE,
            "summaryUrl": Url(None),  # [keyset]
        },
        LOGO_IMAGE,
        APP_LINK,
        COLORS,
        VIEW_FLAGS,
        BARCODE,
    ),
    source="[cards] pay as you go, [keyset]",
)
