"""Apple Wallet passes (pass.json, Wallet Passes reference) to Samsung cards: the mapping table.

=====================  =================================================================================
pass style             Samsung card
=====================  =================================================================================
``boardingPass``       ``boardingpass``; ``transitType`` Air/Train/Bus/Boat/Generic → airlines/trains/
                       buses/ferries/others
``eventTicket``        ``ticket``; ``semantics.eventType`` Sports/Movie/LivePerformance → sports/movies/
                       performances, else others
``coupon``             ``coupon``
``storeCard``          ``loyalty`` (``card_type="giftcard"`` for a gift card)
``generic``            ``generic``
=====================  =================================================================================

Top-level keys: ``organizationName`` → ``providerName`` (``brandName`` on coupons, also ``merchantName`` on
gift cards); ``logoText``, then ``organizationName``, then ``description`` → ``title`` unless the type has
a better one (event name, program name, a coupon's offer); ``backgroundColor`` → ``bgColor``;
``foregroundColor`` → ``fontColor`` (``light`` / ``dark`` by luminance); ``barcodes[0]`` (or the legacy
``barcode``) → ``barcode.*``; ``relevantDate`` → boarding time or start date; ``expirationDate`` →
``expiry`` or ``endDate``; ``locations`` → ``locations``; ``groupingIdentifier`` → ``groupingId``;
``appLaunchURL`` → ``appLinkData``. Images: ``logo`` → ``providerLogo`` / ``logoImage``; ``strip``,
``background`` or ``thumbnail`` → ``mainImg`` / ``bgImage``; ``icon`` → ``appLinkLogo``. Semantic tags
come first (:mod:`~linkkit.convert._apple_semantics`), then fields by key or label
(:mod:`~linkkit.convert._apple_fields`); the rest of the fields go to ``noticeDesc`` (``text1`` … on a
generic card). ``*.lproj/pass.strings`` become ``localization``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from linkkit.cards import CARD_TYPES
from linkkit.cards.kinds import Language
from linkkit.convert import _apple_semantics as semantics
from linkkit.convert._apple_fields import PassField, Translate, hinted_target, is_seat_part, read_fields
from linkkit.convert._barcodes import APPLE as APPLE_BARCODES
from linkkit.convert._draft import Draft, card_defaults
from linkkit.convert._images import PassImages
from linkkit.convert._ledger import Ledger, Node
from linkkit.convert._run import Job, run
from linkkit.convert._values import font_color, hex_color
from linkkit.convert.options import ConvertOptions, ImageFile
from linkkit.convert.pkpass import PassPackage
from linkkit.convert.report import Conversion, Dropped
from linkkit.errors import ConfigError, PassFileError

#: pass.json style key → Samsung card type.
STYLES: Final = {
    "boardingPass": "boardingpass",
    "eventTicket": "ticket",
    "coupon": "coupon",
    "storeCard": "loyalty",
    "generic": "generic",
}
#: Card types a style may become with ``card_type=``.
ALTERNATIVES: Final = {"storeCard": ("loyalty", "giftcard")}
#: ``boardingPass.transitType`` → boarding pass ``subType``.
TRANSIT_SUB_TYPES: Final = {
    "PKTransitTypeAir": "airlines",
    "PKTransitTypeTrain": "trains",
    "PKTransitTypeBus": "buses",
    "PKTransitTypeBoat": "ferries",
    "PKTransitTypeGeneric": "others",
}
#: Why a key that the mapping never reads has no Samsung counterpart (the report quotes these).
DROP_REASONS: Final = {
    "formatVersion": "the pass.json format version",
    "passTypeIdentifier": "your Apple pass type; the Samsung card id plays that role",
    "teamIdentifier": "your Apple developer team; Samsung knows you by partner id",
    "serialNumber": "the pass's own id: the card gets its own unguessable refId (kept as source_id)",
    "webServiceURL": "Apple's update service; Samsung asks your Get Card Data endpoint instead",
    "authenticationToken": "the secret of Apple's update service; never copied",
    "associatedStoreIdentifiers": "App Store ids; Samsung opens your app through appLinkData",
    "userInfo": "data for your iOS app; Samsung cards carry no private payload",
    "beacons": "iBeacon relevance; Samsung cards have none",
    "maxDistance": "relevance distance; Samsung cards have none",
    "nfc": "an Apple VAS NFC payload; Samsung cards carry none",
    "sharingProhibited": "Samsung cards have no sharing switch",
    "suppressStripShine": "an Apple rendering hint",
    "labelColor": "Samsung cards have no label colour",
    "voided": "Samsung marks a card CANCELED with a state update once it is added",
    "logoText": "Samsung shows providerName next to the logo",
    "description": "Apple's accessibility description; Samsung cards have none",
    "preferredStyleSchemes": "Apple's layout choice",
    "relevantDates": "relevance windows; Samsung takes one date",
    "relevantDate": "when the pass shows on the lock screen; this card type has no such date",
    "barcode.messageEncoding": "Samsung chooses the encoding of the code",
    "barcodes[*].messageEncoding": "Samsung chooses the encoding of the code",
    "barcodes[*].altText": "Samsung prints barcode.value itself under the code",
    "barcode.altText": "Samsung prints barcode.value itself under the code",
    "locations[*].altitude": "Samsung locations have no altitude",
    "*.changeMessage": "Samsung has no change message; it notifies the user of an Update Notification",
    "*.textAlignment": "a layout hint; Samsung lays the card out",
    "*.dataDetectorTypes": "Apple's link detection; Samsung shows the text",
    "*.attributedValue": "the field's HTML; its plain value is used",
    "*.row": "a layout hint; Samsung lays the card out",
    "*.semantics": "a semantic tag on a field; Samsung has no counterpart",
    "semantics.*": "a semantic tag with no Samsung counterpart",
}
#: What a required attribute is made from, for the error when the pass lacks it.
HINTS: Final = {
    "title": "title (logoText, organizationName or description)",
    "providerName": "organizationName",
    "providerLogo": "logo image (logo.png)",
    "logoImage": "logo image (logo.png)",
    "mainImg": "strip, background or thumbnail image",
    "seatNumber": "seat (semantics.seats, or a field keyed or labelled Seat)",
    "reservationNumber": "confirmation number (semantics.confirmationNumber, or a field labelled Confirmation)",
    "user": "passenger name (semantics.passengerName, or a field labelled Passenger)",
    "vehicleNumber": "flight number (semantics.flightCode, or a field labelled Flight)",
    "seatClass": "seat class (semantics.seats[0].seatType, or a field labelled Class)",
    "expiry": "expirationDate",
    "appLinkData": "appLaunchURL",
    "appLinkLogo": "icon or logo image",
    "appLinkName": "logoText or organizationName",
}
_LANGUAGE: Final = Language()


@dataclass(frozen=True)
class _Pass:
    root: Ledger
    style: str
    card_type: str
    strings: Mapping[str, Mapping[str, str]]
    created_ms: int

    def node(self) -> Node:
        return self.root.node()


def style_of(data: Mapping[str, object]) -> str:
    """The pass style key of a pass.json (``boardingPass`` ...); :class:`PassFileError` without exactly one."""
    found = [key for key in STYLES if isinstance(data.get(key), dict)]
    if len(found) != 1:
        what = "none" if not found else "more than one"
        raise PassFileError(f"pass.json: {what} of {', '.join(STYLES)} (a pass has exactly one)", code="not_a_pass")
    return found[0]


def convert_apple(package: PassPackage, options: ConvertOptions | None = None) -> Conversion:
    """Convert an Apple pass to a Samsung card of the matching type.

    :raises PassFileError: not a pass (no style key, or several).
    :raises ConfigError: ``options.card_type`` is not one this style can become.
    :raises ValidationError: a date that does not parse, or a required attribute the pass lacks.
    """
    options = options or ConvertOptions()
    style = style_of(package.data)
    card_type = STYLES[style]
    if options.card_type is not None:
        allowed = ALTERNATIVES.get(style, (card_type,))
        if options.card_type not in allowed:
            raise ConfigError(f"card_type: an Apple {style} becomes {' or '.join(allowed)}")
        card_type = options.card_type
    ledger = Ledger(package.data, reasons=DROP_REASONS)
    root = ledger.node()
    sub_type = options.sub_type or _sub_type(root, style, card_type)
    if sub_type not in CARD_TYPES[card_type].sub_types:
        raise ConfigError(f"sub_type: one of {', '.join(CARD_TYPES[card_type].sub_types)} for {card_type} cards")
    base = options.language or "en"
    languages = sorted(lang for lang in package.strings if lang != base and _LANGUAGE.check(lang) is None)
    extra = [
        Dropped(f"{lang}.lproj", "not a language tag Samsung takes (String(8), such as en or zh-Hans)")
        for lang in sorted(package.strings)
        if lang != base and _LANGUAGE.check(lang) is not None
    ]
    extra += [Dropped(name, "not part of the pass format") for name in package.other]
    warnings = []
    if package.manifest_ok is False:
        warnings.append("manifest.json does not match the files of the pass (the pass may have been edited)")
    ctx = _Pass(ledger, style, card_type, package.strings, int(options.clock() * 1000))
    job = Job(
        source_format="apple",
        source_type=style,
        card_type=card_type,
        sub_type=sub_type,
        mapper=lambda draft, language, is_base: _map(ctx, draft, language),
        base_language=base,
        languages=languages,
        ledgers=[ledger],
        images=PassImages(package.images, options.host()),
        hints=HINTS,
        source_id=root["serialNumber"].text(),
        extra_dropped=extra,
        warnings=warnings,
    )
    return run(job, options)


def _sub_type(root: Node, style: str, card_type: str) -> str:
    if card_type == "boardingpass":
        node = root[style]["transitType"]
        node.use("card.subType")
        return TRANSIT_SUB_TYPES.get(node.text() or "", "others")
    if card_type == "ticket":
        node = root["semantics"]["eventType"]
        node.use("card.subType")
        return semantics.EVENT_SUB_TYPES.get(node.text() or "", "others")
    return "others"


def _map(ctx: _Pass, draft: Draft, language: str) -> None:
    table = ctx.strings.get(language, {})

    def tr(text: str | None) -> str | None:
        return table.get(text, text) if text is not None else None

    root = ctx.node()
    style, sem, kind = root[ctx.style], root["semantics"], ctx.card_type
    org = root["organizationName"]
    if kind == "boardingpass":
        semantics.boarding(draft, sem)
    elif kind == "ticket":
        semantics.event(draft, sem, tr(org.text()))
    elif kind in ("loyalty", "giftcard"):
        semantics.membership(draft, sem)
    if kind in ("coupon", "loyalty", "giftcard"):
        semantics.money_tags(draft, sem)
    fields = read_fields(style, tr)
    taken: set[int] = set()
    if kind == "coupon" and fields and fields[0].section == "primaryFields" and draft.can("title"):
        # A coupon's first primary field is its offer ("20% off"): the best title it has.
        if draft.text("title", fields[0].value, *fields[0].sources):
            taken.add(id(fields[0]))
    _top_level(draft, root, tr, kind)
    _images(draft, language, kind)
    _distribute(draft, [f for f in fields if id(f) not in taken], kind)
    card_defaults(draft, ctx.created_ms, "pass")


def _top_level(draft: Draft, root: Node, tr: Translate, kind: str) -> None:
    org, logo_text = root["organizationName"], root["logoText"]
    for target in ("brandName",) if kind == "coupon" else ("providerName", "merchantName"):
        draft.text(target, tr(org.text()), org)
    for node in (logo_text, org, root["description"]):
        if draft.can("title") and node.exists:
            draft.text("title", tr(node.text()), node)
            break
    _color(draft, "bgColor", root["backgroundColor"], None)
    _color(draft, "fontColor", root["foregroundColor"], font_color)
    _barcode(draft, root)
    relevant = root["relevantDate"]
    if not relevant.exists:
        relevant = root["relevantDates"][0]["startDate"]
        if not relevant.exists:
            relevant = root["relevantDates"][0]["date"]
    relevant_target = {"boardingpass": "boardingTime", "ticket": "startDate", "generic": "startDate"}.get(kind)
    if relevant_target is not None:
        semantics.first_date(draft, relevant_target, relevant)
    semantics.first_date(draft, "expiry" if kind == "coupon" else "endDate", root["expirationDate"])
    draft.put("groupingId", root["groupingIdentifier"].text(), root["groupingIdentifier"])
    for place in root["locations"].items()[:10]:
        lat, lng = place["latitude"].number(), place["longitude"].number()
        if lat is None or lng is None:
            continue
        name = tr(place["relevantText"].text()) or tr(org.text())
        draft.location(
            name=name,
            address=f"{lat:.6f}, {lng:.6f}",
            lat=lat,
            lng=lng,
            sources=(place["latitude"], place["longitude"], place["relevantText"]),
        )
    for place in root["locations"].items()[10:]:
        place.refuse("Samsung cards take 10 locations")
    draft.text("appLinkData", root["appLaunchURL"].text(), root["appLaunchURL"])
    if "appLinkData" in draft.attrs:  # a name and a logo for a link only
        for node in (logo_text, org):
            if draft.can("appLinkName") and node.exists:
                draft.text("appLinkName", tr(node.text()), node)


def _color(draft: Draft, target: str, node: Node, convert: Callable[[str], str] | None) -> None:
    text = node.text()
    if text is None:
        return
    color = hex_color(text)
    if color is None:
        node.refuse("not an rgb() colour")
        return
    draft.put(target, convert(color) if convert is not None else color, node)


def _barcode(draft: Draft, root: Node) -> None:
    candidates = [*root["barcodes"].items(), root["barcode"]]
    chosen: Node | None = None
    for node in candidates:
        if not node.exists:
            continue
        if chosen is not None:
            if node.path != ("barcode",):
                node.refuse("Samsung cards show one barcode")
            continue
        symbology = APPLE_BARCODES.get(node["format"].text() or "")
        message = node["message"].text()
        if symbology is None or message is None:
            node.refuse("not a barcode Samsung can show (format and message)")
            continue
        chosen = node
        alt = node["altText"].text()
        with_text = alt is not None and alt == message
        if draft.put("barcode.value", message, node["message"]):
            draft.put("barcode.serialType", symbology.serial_type, node["format"])
            draft.put("barcode.ptFormat", symbology.pt_format(with_text=with_text), node["format"])
            draft.put("barcode.ptSubFormat", symbology.sub_format, node["format"])
            if with_text:
                node["altText"].use("barcode.ptFormat")
    if chosen is not None and chosen.path != ("barcode",) and root["barcode"].exists:
        root["barcode"].refuse("the legacy copy of barcodes[0]")


def _images(draft: Draft, language: str, kind: str) -> None:
    images = draft.images
    if images is None:
        return

    def pick(*bases: str) -> ImageFile | None:
        for base in bases:
            found = images.pick(base, language)
            if found is not None:
                return found
        return None

    logo_targets = {
        "boardingpass": ("providerLogo", "providerLogo.darkUrl", "providerLogo.lightUrl"),
    }.get(kind, ("logoImage", "logoImage.darkUrl", "logoImage.lightUrl"))
    draft.image(logo_targets, pick("logo", "icon"))
    main = {"loyalty": "bgImage", "giftcard": "bgImage"}.get(kind, "mainImg")
    order = ("strip", "background", "thumbnail") if kind != "ticket" else ("strip", "background", "thumbnail", "logo")
    if kind == "coupon":
        order = ("strip", "thumbnail", "background", "logo")
    draft.image((main,), pick(*order))
    if "appLinkData" in draft.attrs:
        draft.image(("appLinkLogo",), pick("icon", "logo"))


def _distribute(draft: Draft, fields: list[PassField], kind: str) -> None:
    """Fields into the slots their key or label names, seat parts into one seat, the rest as text."""
    taken: set[int] = set()
    if kind == "boardingpass":
        # Apple's boarding pass layout: the first two primary fields are origin and destination,
        # the value a code ("SFO"), the label a place ("San Francisco").
        primary = [f for f in fields if f.section == "primaryFields"]
        for field, prefix in zip(primary[:2], ("depart", "arrive"), strict=False):
            if field.instant is not None or hinted_target(field, kind):
                continue
            value = field.value or ""
            slot = f"{prefix}Code" if len(value) <= 5 else f"{prefix}Name"
            if not draft.text(slot, value, field.node["value"], field.node["key"]):
                field.node.refuse(draft.refusal)
            draft.text(f"{prefix}Name", field.label, field.node["label"])
            taken.add(id(field))
    seat_parts: list[PassField] = []
    texts = 0
    for field in fields:
        if id(field) in taken:
            continue
        if kind == "ticket" and field.front and is_seat_part(field):
            seat_parts.append(field)
            continue
        target = hinted_target(field, kind)
        if target is not None:
            if field.instant is not None:
                taken_ok = draft.when(target, field.instant, *field.sources)
            else:
                taken_ok = draft.text(target, field.value, *field.sources)
            if not taken_ok:
                field.node.refuse(draft.refusal)  # one line for the field, its display hints with it
            continue
        if kind == "generic" and field.front and texts < 12:
            texts += 1
            text = f"{field.label}: {field.value}" if field.label else field.value
            draft.text(f"text{texts}", text, *field.sources)
            continue
        draft.notice(field.label, field.value, *field.sources)
    if seat_parts:
        text = ", ".join(f"{p.label} {p.value}" if p.label else (p.value or "") for p in seat_parts)
        draft.text("seatNumber", text, *(s for p in seat_parts for s in p.sources))
