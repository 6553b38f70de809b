"""Samsung Wallet card JSON: the card-type table, validation, builders and serialization (SPEC.md §2)."""

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
from linkkit.cards.registry import ACCOUNT_TYPES as ACCOUNT_TYPES
from linkkit.cards.registry import CARD_TYPES as CARD_TYPES
from linkkit.cards.registry import MAX_DATA_ENTRIES as MAX_DATA_ENTRIES
from linkkit.cards.registry import CardSpec as CardSpec
from linkkit.cards.serialize import serialize_card as serialize_card
from linkkit.cards.states import CardEvent as CardEvent
from linkkit.cards.states import CardState as CardState
from linkkit.cards.states import check_update_entry as check_update_entry
from linkkit.cards.states import check_update_notification as check_update_notification
from linkkit.cards.states import validate_update_entry as validate_update_entry
from linkkit.cards.validate import ValidationReport as ValidationReport
from linkkit.cards.validate import check_card as check_card
from linkkit.cards.validate import validate_card as validate_card

__all__ = [
    "ACCOUNT_TYPES",
    "CARD_TYPES",
    "MAX_DATA_ENTRIES",
    "REF_ID_MAX",
    "REF_ID_MAX_INCOMING",
    "Barcode",
    "CardDict",
    "CardEvent",
    "CardSpec",
    "CardState",
    "Clock",
    "ValidationReport",
    "boarding_pass_card",
    "check_card",
    "check_update_entry",
    "check_update_notification",
    "coupon_card",
    "generic_card",
    "gift_card",
    "loyalty_card",
    "serialize_card",
    "ticket_card",
    "validate_card",
    "validate_update_entry",
]
