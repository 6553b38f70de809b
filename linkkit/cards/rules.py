"""The one table of card rules: each rule's tier and the public evidence behind it.

Every finding of :func:`~linkkit.cards.validate_card` names one rule of :data:`RULES`, and the rule's
:attr:`Rule.tier` decides what the finding is:

- :attr:`Tier.ERROR`: Samsung will refuse the card (a wrong JSON type, a String(N) overrun, an unknown
  card type, a timestamp that is not epoch milliseconds, more than 6 entries, nested keys ...).
- :attr:`Tier.WARNING`: Samsung's current pages say otherwise, but Samsung's own samples or older pages
  do this, so linkkit sends the card and says so. ``strict=True`` (``--strict``) refuses warnings too.

A rule moves between tiers with one edit of its ``tier`` below; the validator, the CLI, the sandbox
and the generated table in ``docs/cards.md`` all read it from here.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

__all__ = ["RULES", "Evidence", "Rule", "Source", "Tier"]


class Tier(enum.StrEnum):
    """What a finding of a rule does to the card."""

    #: Samsung will refuse it: the card is invalid.
    ERROR = "error"
    #: The current docs say otherwise but Samsung's own material does it: linkkit sends the card.
    WARNING = "warning"


class Source(enum.StrEnum):
    """Where a piece of evidence comes from."""

    CURRENT_DOCS = "current docs"
    OLDER_DOCS = "older docs"
    #: Samsung's own sample payloads (the Code Lab's cdata generation sample).
    SAMPLE = "sample"
    #: A decision of linkkit where Samsung's material is silent; the note says why.
    LINKKIT = "linkkit"


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """One public source for a rule."""

    source: Source
    #: The public page or file ("" when no public address is known).
    url: str
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One rule of the card validator."""

    id: str
    tier: Tier
    #: What the rule checks, in a few words.
    summary: str
    #: What Samsung's docs say, written to follow a finding's reason (warnings).
    docs: str = ""
    #: What linkkit sends when the rule is a warning.
    sends: str = ""
    evidence: tuple[Evidence, ...] = ()


# Public pages and files the evidence points to.
_CARD_OBJECT: Final = "https://developer.samsung.com/wallet/addtosamsungwallet/cardspecs.html"
_ADD_CARDS: Final = (
    "https://developer.samsung.com/wallet/businesssupportforspecialpurposes/cardmanagementapiguidelines.html"
)
_BOARDING: Final = "https://developer.samsung.com/wallet/api_new/walletcards/boarding.html"
_TICKET: Final = "https://developer.samsung.com/wallet/addtosamsungwallet/walletcards/eventticket.html"
_COUPON: Final = "https://developer.samsung.com/wallet/api_new/walletcards/coupon.html"
_GENERIC: Final = "https://developer.samsung.com/wallet/api_new/walletcards/generic.html"
_GIFT: Final = "https://developer.samsung.com/wallet/DesignYourCard/CardSpecifications/GiftCard.html"
_OLD_CARDS: Final = "https://developer.samsung.com/wallet/api/wallet-cards.html"
_FAQ: Final = "https://developer.samsung.com/wallet/walletstudio/support.html"
# Samsung's "cdata_generation_sample_code_v1.1.2" (Code Lab), in its public mirror.
_SAMPLE: Final = (
    "https://github.com/abyssparanoia/samsung-wallet-go/blob/a0e2242a00b05887cceba6b6e5429a20885ad364/"
    "cdata_generation_sample_code_v1.1.2/"
)
_BOARDING_SAMPLE: Final = _SAMPLE + "src/main/resources/sample/payload/BoardingPass.json"
_COUPON_SAMPLE: Final = _SAMPLE + "target/classes/sample/payload/Coupon.json"
_TICKET_SAMPLE: Final = _SAMPLE + "target/classes/sample/payload/Ticket.json"

_DOCS_TYPES: Final = Evidence(
    source=Source.CURRENT_DOCS,
    url=_CARD_OBJECT,
    note="Each member and attribute has a type column: String(N), Long(13), Object, Array of Object.",
)
_SENT_AS_GIVEN: Final = "linkkit sends it as given"

_RULES: Final = (
    # --- errors: Samsung will refuse these --------------------------------------------------------
    Rule(
        id="json-type",
        tier=Tier.ERROR,
        summary="a value of the wrong JSON type (a number where a string is typed, a list for an object ...)",
        evidence=(_DOCS_TYPES,),
    ),
    Rule(
        id="string-length",
        tier=Tier.ERROR,
        summary="a string longer than its String(N)",
        evidence=(
            Evidence(
                source=Source.CURRENT_DOCS, url=_CARD_OBJECT, note="card.type String(16), data[].language String(8)."
            ),
            Evidence(source=Source.CURRENT_DOCS, url=_BOARDING, note="title String(32), providerLogo String(256) ..."),
        ),
    ),
    Rule(
        id="card-type",
        tier=Tier.ERROR,
        summary="card.type is not one of Samsung's card types",
        evidence=(
            Evidence(
                source=Source.CURRENT_DOCS, url=_CARD_OBJECT, note="card.type (Required), one type per card page."
            ),
        ),
    ),
    Rule(
        id="sub-type",
        tier=Tier.ERROR,
        summary="card.subType is not a sub-type of the card type, or is missing where the type has several",
        evidence=(
            Evidence(
                source=Source.CURRENT_DOCS,
                url=_BOARDING,
                note='Each card page lists its sub-types (boardingpass: "airlines, trains, buses, others").',
            ),
        ),
    ),
    Rule(
        id="timestamp",
        tier=Tier.ERROR,
        summary="a timestamp that is not epoch milliseconds as a 13-digit JSON integer",
        evidence=(
            Evidence(
                source=Source.CURRENT_DOCS,
                url=_CARD_OBJECT,
                note='data[].createdAt Long(13) "Epoch timestamp in milliseconds"; every *Date attribute alike.',
            ),
            Evidence(source=Source.SAMPLE, url=_BOARDING_SAMPLE, note="Every timestamp is a JSON number."),
        ),
    ),
    Rule(
        id="data-entries",
        tier=Tier.ERROR,
        summary="card.data holds fewer than 1 or more than 6 entries",
        evidence=(
            Evidence(
                source=Source.CURRENT_DOCS,
                url=_CARD_OBJECT,
                note='card.data[] "Allows up to 6 objects at once".',
            ),
        ),
    ),
    Rule(
        id="flat-keys",
        tier=Tier.ERROR,
        summary='a nested object where Samsung expects flat dotted keys ("logoImage.darkUrl")',
        evidence=(
            Evidence(
                source=Source.CURRENT_DOCS,
                url=_GIFT,
                note='logoImage.darkUrl: "This is a flat key name, not a nested object path."',
            ),
        ),
    ),
    Rule(
        id="required",
        tier=Tier.ERROR,
        summary="a required member or attribute is missing or empty",
        evidence=(
            Evidence(
                source=Source.CURRENT_DOCS,
                url=_CARD_OBJECT,
                note="(Required) in the card object table and in each card page.",
            ),
        ),
    ),
    Rule(
        id="member",
        tier=Tier.ERROR,
        summary="a member the card object does not define (card.kind, data[].status ...)",
        evidence=(
            Evidence(
                source=Source.CURRENT_DOCS,
                url=_CARD_OBJECT,
                note="The card object table lists every member of card, data[] and localization[].",
            ),
            Evidence(
                source=Source.CURRENT_DOCS, url=_ADD_CARDS, note="account {type, value} for adding a card to a user."
            ),
        ),
    ),
    Rule(
        id="value-format",
        tier=Tier.ERROR,
        summary="a value outside its documented form: Y/N flags, colors, UTC offsets, language codes, closed lists",
        evidence=(
            Evidence(source=Source.CURRENT_DOCS, url=_COUPON, note="editableYn: \"Either 'Y' or 'N'\"."),
            Evidence(
                source=Source.CURRENT_DOCS,
                url="https://developer.samsung.com/wallet/addtosamsungwallet/walletcards/coupon.html",
                note='bgColor String(8) "e.g., #00FFFF"; fontColor "Acceptable values: dark, light".',
            ),
        ),
    ),
    Rule(
        id="json-string",
        tier=Tier.ERROR,
        summary="a structured attribute (csInfo, locations ...) that is not a string holding JSON of its shape",
        evidence=(
            Evidence(
                source=Source.CURRENT_DOCS,
                url=_BOARDING,
                note='csInfo: "Using data in JSON format converted to escape string"; locations String(1024).',
            ),
            Evidence(
                source=Source.SAMPLE,
                url=_TICKET_SAMPLE,
                note='Ticket.json sends "locations": [{}], a JSON array without name or address; '
                "linkkit keeps this an error (a wrong JSON type).",
            ),
        ),
    ),
    Rule(
        id="url",
        tier=Tier.ERROR,
        summary="an image or link attribute that is not an absolute http(s) URL",
        evidence=(
            Evidence(
                source=Source.CURRENT_DOCS, url=_BOARDING, note='providerLogo String(256) "URL of the logo image".'
            ),
        ),
    ),
    Rule(
        id="ref-id",
        tier=Tier.ERROR,
        summary="a refId that is empty, too long for its place, or not URL-safe",
        evidence=(
            Evidence(source=Source.CURRENT_DOCS, url=_CARD_OBJECT, note="data[].refId String(32)."),
            Evidence(
                source=Source.LINKKIT,
                url="",
                note="A refId travels unescaped in the Get Card Data path and in the pdata fragment, so only "
                "RFC 3986 unreserved characters are accepted.",
            ),
        ),
    ),
    Rule(
        id="duplicate",
        tier=Tier.ERROR,
        summary="two entries with one refId, or two localizations with one language",
        evidence=(
            Evidence(
                source=Source.LINKKIT,
                url="",
                note="Samsung keys a card instance by its refId and a localization by its language; a repeat "
                "leaves one of them unreachable.",
            ),
        ),
    ),
    Rule(
        id="timestamp-order",
        tier=Tier.ERROR,
        summary="data[].updatedAt earlier than data[].createdAt",
        evidence=(
            Evidence(
                source=Source.LINKKIT, url="", note="A card updated before it was created is a clock or unit mistake."
            ),
        ),
    ),
    # --- warnings: the current docs say otherwise, Samsung's own material does this -----------------
    Rule(
        id="sub-type-missing",
        tier=Tier.WARNING,
        summary="card.subType is missing where the card type has a single sub-type",
        docs="Samsung's card object table marks card.subType required, but its own Coupon sample leaves it out",
        sends="linkkit sends the card without it (the builders fill it in)",
        evidence=(
            Evidence(source=Source.CURRENT_DOCS, url=_CARD_OBJECT, note="card.subType String(16) (Required)."),
            Evidence(source=Source.SAMPLE, url=_COUPON_SAMPLE, note='Coupon.json has "type": "coupon" and no subType.'),
        ),
    ),
    Rule(
        id="light-url-missing",
        tier=Tier.WARNING,
        summary="providerLogo.lightUrl or logoImage.lightUrl is missing where the current page requires it",
        docs="the current card page marks it required, but Samsung's own samples and older pages leave it out",
        sends="linkkit sends the card without it",
        evidence=(
            Evidence(source=Source.CURRENT_DOCS, url=_BOARDING, note="providerLogo.lightUrl String(256) (Required)."),
            Evidence(source=Source.CURRENT_DOCS, url=_TICKET, note="logoImage.lightUrl String(256) (Required)."),
            Evidence(
                source=Source.CURRENT_DOCS,
                url=_GENERIC,
                note='logoImage.lightUrl: "If this value does not exist, logoImage will be substituted".',
            ),
            Evidence(
                source=Source.OLDER_DOCS,
                url=_OLD_CARDS,
                note="An older version lists providerLogo and providerLogo.darkUrl only (both Mandatory), and its "
                "airline example sends no lightUrl.",
            ),
            Evidence(
                source=Source.SAMPLE, url=_BOARDING_SAMPLE, note="BoardingPass.json: providerLogo.darkUrl, no lightUrl."
            ),
            Evidence(source=Source.SAMPLE, url=_TICKET_SAMPLE, note="Ticket.json: logoImage.darkUrl, no lightUrl."),
        ),
    ),
    Rule(
        id="updated-at-missing",
        tier=Tier.WARNING,
        summary="data[].updatedAt is missing",
        docs="Samsung's card object table marks data[].updatedAt required, but its own examples leave it out",
        sends="linkkit sends the entry without it",
        evidence=(
            Evidence(source=Source.CURRENT_DOCS, url=_CARD_OBJECT, note="data[].updatedAt Long(13) (Required)."),
            Evidence(
                source=Source.CURRENT_DOCS,
                url=_CARD_OBJECT,
                note="The card object example on the same page has refId, createdAt, language and attributes only.",
            ),
            Evidence(
                source=Source.CURRENT_DOCS,
                url=_ADD_CARDS,
                note="The Adding Wallet Cards request example has no updatedAt either.",
            ),
        ),
    ),
    Rule(
        id="empty-timestamp",
        tier=Tier.WARNING,
        summary='an optional timestamp sent as "" (treated as absent)',
        docs='Samsung\'s card pages type it Long(13), but its own Coupon sample sends "" for redeemDate',
        sends="linkkit sends it as given and checks the card as if it were absent",
        evidence=(
            Evidence(source=Source.CURRENT_DOCS, url=_COUPON, note="redeemDate Long(13) (Optional)."),
            Evidence(source=Source.SAMPLE, url=_COUPON_SAMPLE, note='Coupon.json: "redeemDate": "".'),
        ),
    ),
    Rule(
        id="app-link-url",
        tier=Tier.WARNING,
        summary="appLinkData is not a URL (https://... or an app's own scheme)",
        docs="Samsung's card pages call it the partner app link and their examples send an https URL, but "
        'its own BoardingPass sample sends "appLink url"',
        sends="linkkit sends it as given; the app link on the card may not open",
        evidence=(
            Evidence(
                source=Source.CURRENT_DOCS,
                url=_COUPON,
                note='appLinkData String(256) (Required) "Information about the partner app link".',
            ),
            Evidence(
                source=Source.OLDER_DOCS,
                url=_OLD_CARDS,
                note='The airline example sends "appLinkData": "https://www.ooairline.com".',
            ),
            Evidence(
                source=Source.SAMPLE, url=_BOARDING_SAMPLE, note='BoardingPass.json: "appLinkData": "appLink url".'
            ),
        ),
    ),
    Rule(
        id="font-color-hex",
        tier=Tier.WARNING,
        summary='fontColor is a color such as "#FFFFFF" instead of "dark" or "light"',
        docs="Samsung's current card pages accept dark or light, but its own BoardingPass and Ticket samples "
        'send "#FFFFFF"',
        sends=_SENT_AS_GIVEN,
        evidence=(
            Evidence(
                source=Source.CURRENT_DOCS,
                url="https://developer.samsung.com/wallet/addtosamsungwallet/walletcards/coupon.html",
                note='fontColor String(8) "Acceptable values: dark, light".',
            ),
            Evidence(source=Source.OLDER_DOCS, url=_OLD_CARDS, note='The airline example sends "fontColor": "dark".'),
            Evidence(source=Source.SAMPLE, url=_BOARDING_SAMPLE, note='BoardingPass.json: "fontColor": "#FFFFFF".'),
            Evidence(source=Source.SAMPLE, url=_TICKET_SAMPLE, note='Ticket.json: "fontColor": "#FFFFFF".'),
        ),
    ),
    Rule(
        id="unknown-attribute",
        tier=Tier.WARNING,
        summary="an attribute linkkit's table of the card type does not know",
        docs="Samsung publishes its attribute tables only in part, and its FAQ lists typos in attribute names "
        "among common causes of refused cards",
        sends=_SENT_AS_GIVEN,
        evidence=(
            Evidence(
                source=Source.CURRENT_DOCS,
                url=_FAQ,
                note='Common causes of a failed Add to Wallet include "typos in attribute names".',
            ),
            Evidence(
                source=Source.LINKKIT,
                url="",
                note="linkkit's tables hold what public pages show; a type marked as captured in part may have more.",
            ),
        ),
    ),
    Rule(
        id="open-enum",
        tier=Tier.WARNING,
        summary="a value outside a list Samsung calls commonly used (barcode.ptSubFormat)",
        docs="Samsung lists the commonly used ZXing formats, not a closed set",
        sends=_SENT_AS_GIVEN,
        evidence=(
            Evidence(
                source=Source.CURRENT_DOCS,
                url="https://developer.samsung.com/wallet/addtosamsungwallet/barcodeqrcodepresentation.html",
                note='ptSubFormat: "commonly used barcode formats, supported by the ZXing library".',
            ),
            Evidence(source=Source.SAMPLE, url=_COUPON_SAMPLE, note='Coupon.json: "barcode.ptSubFormat": "CODE128".'),
        ),
    ),
    Rule(
        id="ref-id-length",
        tier=Tier.WARNING,
        summary="a refId longer than String(32) on a card received from elsewhere",
        docs="the card object table documents data[].refId as String(32); only places that allow String(128) "
        "(Data Fetch pdata) take a longer one",
        sends=_SENT_AS_GIVEN,
        evidence=(
            Evidence(source=Source.CURRENT_DOCS, url=_CARD_OBJECT, note="data[].refId String(32)."),
            Evidence(
                source=Source.CURRENT_DOCS,
                url="https://developer.samsung.com/wallet/addtosamsungwallet/walletcards/overview.html",
                note="refId String(128).",
            ),
        ),
    ),
)

#: Every rule, by id. Edit a rule's ``tier`` here to move it between errors and warnings.
RULES: Final[Mapping[str, Rule]] = MappingProxyType({rule.id: rule for rule in _RULES})
