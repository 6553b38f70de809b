"""Travel card types: boarding passes, event tickets and clips (Samsung's card pages).

Rows of the card-type table; sources ([cards], [old], [sample] ...) are defined in
:mod:`linkkit.cards._attributes`.
"""

from __future__ import annotations

from typing import Final

from linkkit.cards._attributes import (
    APP_LINK,
    BARCODE,
    COLORS,
    CS_KEYS_SOCIAL,
    EXTRA_INFO,
    IDS_32,
    IMAGE,
    LOCATIONS,
    LOGO_IMAGE,
    MS,
    NOTICE,
    PERSON,
    S32,
    S64,
    TEXT,
    VIEW_FLAGS,
    YN,
    cs_info,
    dated,
    indexed,
    merge,
)
from linkkit.cards._kinds import Enum, Str, Url
from linkkit.cards._spec import CardSpec

BOARDINGPASS: Final = CardSpec(
    type="boardingpass",
    # "airlines, trains, buses, others" [cards]; the older page also lists "ferries" [old].
    sub_types=("airlines", "trains", "buses", "ferries", "others"),
    required=(
        "title",
        "providerLogo",
        "providerLogo.darkUrl",
        "providerLogo.lightUrl",
        "providerName",
        "seatNumber",
        "reservationNumber",
    ),
    # "user / vehicleNumber / seatClass: Conditional ... Required if subType is airlines" [cards].
    required_by_sub_type={"airlines": ("user", "vehicleNumber", "seatClass")},
    attributes=merge(
        {
            "title": S32,
            "transitType": Str(16),  # "This will be deprecated"
            "groupingId": S32,
            "orderId": S32,
            "providerLogo": IMAGE,
            "providerLogo.darkUrl": IMAGE,
            "providerLogo.lightUrl": IMAGE,
            "providerName": S32,
            "user": S64,
            "userType": S32,
            "transitOperator": S64,
            "vehicleNumber": S32,
            "transitClass": S32,
            "transitFare": S32,
            "coachNumber": Str(16),
            "seatClass": S32,
            "seatNumber": Str(16),
            "seatFacing": Str(16),
            "reservationNumber": S32,  # "Mandatory" [old]
            "boardingPriority": S32,
            "boardingSeqNo": S32,
            "boardingGroup": TEXT,  # [keyset]
            "gate": TEXT,  # [keyset]
            "baggageAllowance": TEXT,
            "departName": TEXT,
            "departCode": TEXT,
            "departTerminal": TEXT,
            "departGate": TEXT,
            "arriveName": TEXT,
            "arriveCode": TEXT,
            "arriveTerminal": TEXT,
            "arriveGate": TEXT,
            # String(256) image URL of the alliance / status level [old].
            "membershipStatusLevel": IMAGE,
            "extraInfo": EXTRA_INFO,
            "noticeDesc": NOTICE,
            "csInfo": cs_info(CS_KEYS_SOCIAL),
        },
        dated("boardingTime"),
        dated("gateClosingTime"),
        # Long(13) in Cancel Notification
        # (https://developer.samsung.com/wallet/ManageCardLifecycle/CardLifecycleAPIs.html) and in [sample].
        dated("estimatedOrActualStartDate"),
        dated("estimatedOrActualEndDate"),
        APP_LINK,
        COLORS,
        VIEW_FLAGS,
        BARCODE,
    ),
    source="[cards] boarding pass, [old] wallet-cards.html, [sample] BoardingPass.json",
)


TICKET: Final = CardSpec(
    type="ticket",
    sub_types=("performances", "sports", "movies", "entrances", "others"),  # [cards] event ticket
    # Capture ends near issueDate: later rows (startDate ...) may be required too [GAP].
    # Samsung's own Ticket.json lacks logoImage.lightUrl, which the current page requires [sample].
    required=(
        "title",
        "mainImg",
        "logoImage",
        "logoImage.darkUrl",
        "logoImage.lightUrl",
        "providerName",
        "issueDate",
    ),
    attributes=merge(
        {
            "title": S32,
            "category": Str(16),  # "This will be deprecated"
            "mainImg": IMAGE,  # file ≤ 512 kB
            "subtitle1": S32,
            "wideImage": IMAGE,
            "providerName": S32,
            "providerViewLink": Url(512),
            "classification": Enum(("ONETIME", "REGULAR", "ANNUAL")),  # String(16), default ONETIME
            "holderName": S64,
            "idPhoto": Str(20 * 1024),  # String(20k), Base64 image data
            "idPhoto.format": S32,
            "idPhoto.status": Enum(("UNCHANGED",)),
            "grade": S32,
            "seatClass": S32,
            "entrance": S64,
            "seatNumber": Str(256),
            "seatLayoutImage": IMAGE,
            "issueDate": MS,
            "reservationNumber": TEXT,  # [sample]
            "user": S64,  # [sample]
            "certification": TEXT,  # [sample]
            "person1": PERSON,
            "locations": LOCATIONS,
            "noticeDesc": NOTICE,
            "csInfo": cs_info(CS_KEYS_SOCIAL),
            "reactivatableYn": YN,  # [cards]
            "provision.data": Str(512),
            "provision.interval": Str(16),
        },
        IDS_32,
        LOGO_IMAGE,
        dated("startDate", noti=True),
        dated("endDate", noti=True),
        # relCoupon{i}.* for i 1~3: a related coupon shown with the ticket [cards].
        indexed("relCoupon{i}.title", range(1, 4), S32),
        indexed("relCoupon{i}.subtitle", range(1, 4), S32),
        indexed("relCoupon{i}.providerName", range(1, 4), S32),
        indexed("relCoupon{i}.imageFileSrc", range(1, 4), IMAGE),
        indexed("relCoupon{i}.noticeDescription", range(1, 4), Str(1024)),
        indexed("relCoupon{i}.notificationTime", range(1, 4), MS),
        indexed("relCoupon{i}.value", range(1, 4), Str(4096)),
        indexed("relCoupon{i}.serialType", range(1, 4), BARCODE["barcode.serialType"]),
        indexed("relCoupon{i}.ptFormat", range(1, 4), BARCODE["barcode.ptFormat"]),
        indexed("relCoupon{i}.ptSubFormat", range(1, 4), BARCODE["barcode.ptSubFormat"]),
        APP_LINK,
        COLORS,
        VIEW_FLAGS,
        BARCODE,
    ),
    source="[cards] event ticket, [sample] Ticket.json",
)


CLIP: Final = CardSpec(
    type="clip",
    sub_types=("businesstrips", "trips", "others"),
    required=("title", "appLinkLogo", "appLinkName", "appLinkData", "mainImg", "providerName", "startDate"),
    attributes=merge(
        {
            "title": S32,
            "subtitle": S32,
            "mainImg": IMAGE,  # file ≤ 512 kB
            "providerName": S32,
            "locations": LOCATIONS,
            "csInfo": cs_info(CS_KEYS_SOCIAL, 4096),
            "noticeDesc": NOTICE,
        },
        dated("startDate", noti=True),
        dated("endDate", noti=True),
        LOGO_IMAGE,
        APP_LINK,
        COLORS,
        VIEW_FLAGS,
    ),
    groups=(),
    source="[cards] clip",
)
