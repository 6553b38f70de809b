"""Google Wallet objects and classes (REST API ``walletobjects/v1``) to Samsung cards: the mapping table.

===============  ==================  ===========================================================================
Google type      Samsung card        main fields
===============  ==================  ===========================================================================
``flight``       ``boardingpass``    flightHeader → vehicleNumber, title; origin/destination → depart*/arrive*;
                 (airlines)          local*DateTime → boardingTime, gateClosingTime, estimatedOrActual*Date
                                     (local times: ``time_zone`` gives the zone); passengerName → user;
                                     boardingAndSeatingInfo → seatNumber, seatClass, boardingGroup,
                                     boardingSeqNo; reservationInfo.confirmationCode → reservationNumber
``transit``      ``boardingpass``    transitType BUS/RAIL/TRAM/FERRY/OTHER → buses/trains/trains/ferries/others;
                                     ticketLeg → depart*/arrive*, vehicleNumber (carriage), departGate
                                     (platform), coachNumber, seatNumber, seatClass; passengerNames → user;
                                     concessionCategory → userType
``eventTicket``  ``ticket``          eventName → title; dateTime → startDate/endDate; venue → locations;
                                     seatInfo → seatNumber, entrance; heroImage → mainImg
``offer``        ``coupon``          title → title; provider → brandName; validTimeInterval → expiry, issueDate;
                                     details, finePrint → noticeDesc
``giftCard``     ``giftcard``        merchantName → title, merchantName; balance → balance; pin → barcode.pin
``loyalty``      ``loyalty``         programName → title; accountName → subtitle1; loyaltyPoints → balance
``generic``      ``generic``         header → title; cardTitle → providerName; subheader → subtitle
===============  ==================  ===========================================================================

Every type: issuerName → providerName; hexBackgroundColor → bgColor; barcode → barcode.*; logo →
logoImage / providerLogo; textModulesData, infoModuleData → noticeDesc; linksModuleData, homepageUri →
csInfo (call, email, website); appLinkData → appLinkData; groupingInfo.groupingId → groupingId;
passConstraints.screenshotEligibility → preventCaptureYn; locations → locations. ``LocalizedString``
translations become ``localization``. The object wins over its class where both set a field.
"""

from __future__ import annotations

from typing import Final

from linkkit.cards import CARD_TYPES
from linkkit.cards.kinds import Language
from linkkit.convert._draft import Draft, card_defaults
from linkkit.convert._google_common import G, app_link, app_link_defaults, common
from linkkit.convert._google_read import languages_of, read_google
from linkkit.convert._google_types import MAPPERS, TRANSIT_SUB_TYPES
from linkkit.convert._ledger import Node
from linkkit.convert._run import Job, run
from linkkit.convert.options import ConvertOptions, zone_of
from linkkit.convert.report import Conversion, Dropped
from linkkit.errors import ConfigError

#: Why a field that the mapping never reads has no Samsung counterpart (the report quotes these).
DROP_REASONS: Final = {
    "object.id": "the object's own id: the card gets its own unguessable refId (kept as source_id)",
    "*Objects[*].id": "the object's own id: the card gets its own unguessable refId (kept as source_id)",
    "object.classId": "Samsung cards have no classes: the class's fields are copied into the card",
    "*Objects[*].classId": "Samsung cards have no classes: the class's fields are copied into the card",
    "class.id": "Samsung cards have no classes: the class's fields are copied into the card",
    "*classReference.id": "Samsung cards have no classes: the class's fields are copied into the card",
    "*Classes[*].id": "Samsung cards have no classes: the class's fields are copied into the card",
    "*.kind": "API bookkeeping (deprecated by Google)",
    "*.state": "a new Samsung card starts ACTIVE",
    "*.version": "API bookkeeping (deprecated by Google)",
    "*.id": "an id of Google's API; Samsung has none",
    "*hasUsers": "set by Google's platform",
    "*hasLinkedDevice": "set by Google's platform",
    "*enableSingleLegItinerary": "Google's itinerary display",
    "*.reviewStatus": "Google's review of the class",
    "*.review": "Google's review of the class",
    "*classTemplateInfo": "the layout of Google's card; Samsung lays the card out",
    "*callbackOptions": "Google's save and delete callbacks; Samsung calls your Send Card State endpoint",
    "*enableSmartTap": "Smart Tap (NFC); Samsung cards carry none",
    "*redemptionIssuers": "Smart Tap (NFC); Samsung cards carry none",
    "*smartTapRedemptionValue": "Smart Tap (NFC); Samsung cards carry none",
    "*multipleDevicesAndHoldersAllowedStatus": "a Samsung card belongs to one wallet",
    "*allowMultipleUsersPerObject": "a Samsung card belongs to one wallet",
    "*viewUnlockRequirement": "Samsung has no unlock requirement per card",
    "*securityAnimation": "Samsung cards have no security animation",
    "*countryCode": "Samsung localizes by language",
    "*messages": "Samsung has no message feed; send an Update Notification instead",
    "*wideLogo": "Samsung takes one logo",
    "*wideProgramLogo": "Samsung takes one logo",
    "*wideTitleImage": "Samsung takes one logo",
    "*wideAirlineLogo": "Samsung takes one logo",
    "*wordMark": "deprecated by Google",
    "*imageModulesData": "Samsung cards have no image modules",
    "*showLastUpdateTime": "deprecated by Google",
    "*rotatingBarcode": "Samsung has no rotating (TOTP) barcode",
    "*.renderEncoding": "Samsung chooses the encoding of the code",
    "*.showCodeText": "Samsung shows the barcode itself",
    "*barcode.alternateText": "Samsung prints barcode.value itself under the code",
    "*nfcConstraint": "Samsung cards carry no NFC",
    "*notifyPreference": "Samsung notifies through Update Notification",
    "*saveRestrictions": "Samsung has no save restrictions",
    "*linkedObjectIds": "Samsung cards are not linked to other cards",
    "*linkedOfferIds": "Samsung cards are not linked to other cards",
    "*merchantLocations": "Google's merchant locations; Samsung takes coordinates in locations",
    "*valueAddedModuleData": "Samsung cards have no value-added modules",
    "*notifications": "Samsung notifies through Update Notification",
    "*sortIndex": "Samsung has no sort order of grouped cards",
    "*disableExpirationNotification": "Samsung has no expiration notification switch",
    "*activationStatus": "Samsung cards have no activation",
    "*activationOptions": "Samsung cards have no activation",
    "*deviceContext": "Samsung cards are not bound to a device",
    "*contentDescription": "image alt text; Samsung cards have none",
    "*targetUri.description": "the caption of Google's app link button",
    "*sourceUri.description": "deprecated by Google",
    "*sourceUri.localizedDescription": "deprecated by Google",
    "*Label": "a label of Google's card; Samsung labels its own attributes",
    "*localized*Label": "a label of Google's card; Samsung labels its own attributes",
    "*flightStatus": "the flight status; Samsung updates a boarding pass through your server",
    "*boardingAndSeatingPolicy": "labels of Google's card",
    "*boardingDoor": "Samsung boarding passes have no boarding door",
    "*boardingPrivilegeImage": "Samsung boarding passes have no privilege image",
    "*securityProgramLogo": "Samsung boarding passes have no security program logo",
    "*heroImage": "this card type has no banner image",
    "*validTimeInterval": "this card type has no validity window",
    "*doorsOpen": "Samsung tickets have no doors-open time",
    "*faceValue": "Samsung tickets carry no price",
    "*ticketStatus": "Samsung sends states by Update Notification",
    "*customTicketStatus": "Samsung sends states by Update Notification",
    "*tripType": "Samsung boarding passes have one leg",
    "*tripId": "Samsung groups cards by groupingId",
    "*passengerType": "Samsung boarding passes name the passenger in user",
    "*purchaseDetails.*": "Samsung boarding passes carry no purchase details",
    "*balanceUpdateTime": "Samsung asks Get Card Data for a fresh balance",
    "*allowBarcodeRedemption": "Samsung shows the barcode of every gift card",
    "*redemptionChannel": "Samsung coupons have no redemption channel",
    "*shortTitle": "Samsung coupons show the title",
    "*localizedShortTitle": "Samsung coupons show the title",
    "*discoverableProgram": "Samsung has no program discovery",
    "*genericType": "Samsung generic cards have no sub-type",
    "*eticketNumber": "Samsung boarding passes have no e-ticket number",
    "*operatingFlightNumber": "Samsung shows the marketing flight number",
    "*transitTerminusName": "Samsung boarding passes have no terminus",
    "*zone": "Samsung boarding passes have no boarding zone",
    "*boardingPosition": "Samsung boarding passes have no boarding position",
}
#: What a required attribute is made from, for the error when the object lacks it.
HINTS: Final = {
    "title": "title (eventName, programName, merchantName, offer title or header)",
    "providerName": "issuerName",
    "providerLogo": "logo (the class logo, or flightHeader.carrier.airlineLogo)",
    "logoImage": "logo (logo, programLogo or titleImage)",
    "mainImg": "heroImage or logo",
    "seatNumber": "seat (boardingAndSeatingInfo.seatNumber or ticketLeg.ticketSeat.seat)",
    "reservationNumber": "confirmation code (reservationInfo, purchaseDetails or ticketNumber)",
    "user": "passenger name (passengerName or passengerNames)",
    "vehicleNumber": "flight or carriage number",
    "seatClass": "seat class",
    "expiry": "validTimeInterval.end",
    "appLinkData": "app link (appLinkData or homepageUri)",
    "appLinkLogo": "app link logo (appLinkData, logo or programLogo)",
    "appLinkName": "app link name (appLinkData or issuerName)",
    "startDate": "validTimeInterval.start",
}
_LANGUAGE: Final = Language()


def convert_google(doc: object, options: ConvertOptions | None = None, *, class_doc: object = None) -> Conversion:
    """Convert a Google Wallet object (with its class) to a Samsung card of the matching type.

    :param doc: the parsed JSON: an object (``classReference`` holding its class, or ``class_doc`` beside
        it), or a Save to Google Wallet JWT payload (bare or in its claims).
    :param class_doc: the object's class, when it comes separately.
    :raises PassFileError: not a Google Wallet object, or its type cannot be told.
    :raises ValidationError: a date that does not parse (a local time without ``time_zone``), or a
        required attribute the object lacks.
    """
    options = options or ConvertOptions()
    source = read_google(
        doc, class_doc=class_doc, google_type=options.google_type, object_id=options.object_id, reasons=DROP_REASONS
    )
    kind = source.type
    card_type = kind.card_type
    if options.card_type is not None and options.card_type != card_type:
        raise ConfigError(f"card_type: a Google {kind.name} becomes a {card_type} card")
    sub_type = options.sub_type or _sub_type(source.cls, kind.name)
    if sub_type not in CARD_TYPES[card_type].sub_types:
        raise ConfigError(f"sub_type: one of {', '.join(CARD_TYPES[card_type].sub_types)} for {card_type} cards")
    found, default_language = languages_of(source.obj.value, source.cls.value)
    override = source.cls["languageOverride"].text()
    base = options.language or (override.replace("_", "-") if override else None) or default_language or "en"
    if override and not options.language:
        source.cls["languageOverride"].use("card.data[0].language")
    if _LANGUAGE.check(base) is not None:
        raise ConfigError(f"language: {base!r} is not a tag Samsung takes; give language= (CLI: --language)")
    candidates = [lang for lang in ([default_language] if default_language else []) + found if lang != base]
    languages = [lang for lang in dict.fromkeys(candidates) if _LANGUAGE.check(lang) is None]
    extra = [*source.extra_dropped]
    extra += [
        Dropped(f"translations ({lang[:16]})", "not a language tag Samsung takes (String(8), such as en or zh-Hant)")
        for lang in dict.fromkeys(candidates)
        if _LANGUAGE.check(lang) is not None
    ]
    warnings = []
    state = (source.obj["state"].text() or "ACTIVE").upper()
    if state not in ("ACTIVE", "STATE_UNSPECIFIED"):
        warnings.append(f"the Google object is {state}; a new Samsung card starts ACTIVE")
    zone = zone_of(options.time_zone) if options.time_zone else None
    arrival = zone_of(options.arrival_time_zone, what="arrival_time_zone") if options.arrival_time_zone else None
    created_ms = int(options.clock() * 1000)

    def mapper(draft: Draft, language: str, is_base: bool) -> None:
        g = G(source.obj, source.cls, draft, language, zone, arrival)
        app_link(g)
        MAPPERS[kind.name](g)
        common(g)
        app_link_defaults(g)
        card_defaults(draft, created_ms, "object")

    job = Job(
        source_format="google",
        source_type=kind.name,
        card_type=card_type,
        sub_type=sub_type,
        mapper=mapper,
        base_language=base,
        languages=languages,
        ledgers=source.ledgers,
        images=None,
        hints=HINTS,
        source_id=source.obj["id"].text(),
        extra_dropped=extra,
        warnings=warnings,
    )
    return run(job, options)


def _sub_type(cls: Node, kind: str) -> str:
    if kind == "flight":
        return "airlines"
    if kind == "transit":
        node = cls["transitType"]
        node.use("card.subType")
        return TRANSIT_SUB_TYPES.get((node.text() or "").upper(), "others")
    return "others"
