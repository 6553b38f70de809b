"""Samsung Wallet card JSON: the card-type table, two-tier validation, builders and serialization."""

from linkkit.cards._hints import check_card_type as check_card_type
from linkkit.cards._hints import check_sub_type as check_sub_type
from linkkit.cards._kinds import REF_ID_MAX as REF_ID_MAX
from linkkit.cards._kinds import REF_ID_MAX_INCOMING as REF_ID_MAX_INCOMING
from linkkit.cards.barcode import Barcode as Barcode
from linkkit.cards.builders import CardDict as CardDict
from linkkit.cards.builders import Clock as Clock
from linkkit.cards.builders import boarding_pass_card as boarding_pass_card
from linkkit.cards.builders import coupon_card as coupon_card
from linkkit.cards.builders import generic_card as generic_card
from linkkit.cards.builders import gift_card as gift_card
from linkkit.cards.builders import loyalty_card as loyalty_card
from linkkit.cards.builders import ticket_card as ticket_card
from linkkit.cards.findings import CardReview as CardReview
from linkkit.cards.findings import CardWarning as CardWarning
from linkkit.cards.registry import ACCOUNT_TYPES as ACCOUNT_TYPES
from linkkit.cards.registry import CARD_TYPES as CARD_TYPES
from linkkit.cards.registry import MAX_DATA_ENTRIES as MAX_DATA_ENTRIES
from linkkit.cards.registry import CardSpec as CardSpec
from linkkit.cards.rules import RULES as RULES
from linkkit.cards.rules import Evidence as Evidence
from linkkit.cards.rules import Rule as Rule
from linkkit.cards.rules import Source as Source
from linkkit.cards.rules import Tier as Tier
from linkkit.cards.serialize import serialize_card as serialize_card
from linkkit.cards.states import CardEvent as CardEvent
from linkkit.cards.states import CardState as CardState
from linkkit.cards.states import check_update_entry as check_update_entry
from linkkit.cards.states import check_update_notification as check_update_notification
from linkkit.cards.states import validate_update_entry as validate_update_entry
from linkkit.cards.validate import ValidationReport as ValidationReport
from linkkit.cards.validate import check_card as check_card
from linkkit.cards.validate import effective_sub_type as effective_sub_type
from linkkit.cards.validate import review_card as review_card
from linkkit.cards.validate import validate_card as validate_card

__all__ = [
    "ACCOUNT_TYPES",
    "CARD_TYPES",
    "MAX_DATA_ENTRIES",
    "REF_ID_MAX",
    "REF_ID_MAX_INCOMING",
    "RULES",
    "Barcode",
    "CardDict",
    "CardEvent",
    "CardReview",
    "CardSpec",
    "CardState",
    "CardWarning",
    "Clock",
    "Evidence",
    "Rule",
    "Source",
    "Tier",
    "ValidationReport",
    "boarding_pass_card",
    "check_card",
    "check_card_type",
    "check_sub_type",
    "check_update_entry",
    "check_update_notification",
    "coupon_card",
    "effective_sub_type",
    "generic_card",
    "gift_card",
    "loyalty_card",
    "review_card",
    "serialize_card",
    "ticket_card",
    "validate_card",
    "validate_update_entry",
]
