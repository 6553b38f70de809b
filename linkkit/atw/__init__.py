"""The Add to Samsung Wallet wire format, as ``linkkit.s2p`` is Save to Pay's: the tokens
(:mod:`~linkkit.atw.tokens` builds them, :mod:`~linkkit.atw.verify` opens them), the links
(:mod:`~linkkit.atw.links`), the signedAtwLink (:mod:`~linkkit.atw.signature`), the Request Action
types (:mod:`~linkkit.atw.action_types`), replay keys (:mod:`~linkkit.atw.replay`) and the
``Authorization`` parser (:mod:`~linkkit.atw.authorization`).

Both sides use it: the partner (``linkkit.partner``) and the emulation of Samsung (``linkkit.sandbox``).
Samsung describes the links at https://developer.samsung.com/wallet/AddCardsToSamsungWallet/AddCardLinks.html
and the tokens at https://developer.samsung.com/wallet/SecureYourIntegration/CardDataToken.html.
"""

from linkkit.atw.action_types import ACTION_TYPES as ACTION_TYPES
from linkkit.atw.action_types import CHECK_ELIGIBILITY as CHECK_ELIGIBILITY
from linkkit.atw.action_types import REGISTER as REGISTER
from linkkit.atw.action_types import USER_AUTH as USER_AUTH
from linkkit.atw.authorization import parse_authorization as parse_authorization
from linkkit.atw.links import ATW_BASE_URL as ATW_BASE_URL
from linkkit.atw.links import ActionLink as ActionLink
from linkkit.atw.links import AtwLink as AtwLink
from linkkit.atw.links import FetchLink as FetchLink
from linkkit.atw.links import TransmitLink as TransmitLink
from linkkit.atw.links import action_link as action_link
from linkkit.atw.links import fetch_link as fetch_link
from linkkit.atw.links import new_ref_id as new_ref_id
from linkkit.atw.links import parse_link as parse_link
from linkkit.atw.links import transmit_link as transmit_link
from linkkit.atw.replay import ReplayGuard as ReplayGuard
from linkkit.atw.replay import replay_keys as replay_keys
from linkkit.atw.replay import signed_link_key as signed_link_key
from linkkit.atw.signature import SignedAtwLink as SignedAtwLink
from linkkit.atw.signature import sign_atw_link as sign_atw_link
from linkkit.atw.signature import verify_signed_atw_link as verify_signed_atw_link
from linkkit.atw.tokens import TokenSigner as TokenSigner
from linkkit.atw.verify import Check as Check
from linkkit.atw.verify import OpenedCardToken as OpenedCardToken
from linkkit.atw.verify import TokenVerifier as TokenVerifier
from linkkit.atw.verify import VerifiedAuthToken as VerifiedAuthToken

__all__ = [
    "ACTION_TYPES",
    "ATW_BASE_URL",
    "CHECK_ELIGIBILITY",
    "REGISTER",
    "USER_AUTH",
    "ActionLink",
    "AtwLink",
    "Check",
    "FetchLink",
    "OpenedCardToken",
    "ReplayGuard",
    "SignedAtwLink",
    "TokenSigner",
    "TokenVerifier",
    "TransmitLink",
    "VerifiedAuthToken",
    "action_link",
    "fetch_link",
    "new_ref_id",
    "parse_authorization",
    "parse_link",
    "replay_keys",
    "sign_atw_link",
    "signed_link_key",
    "transmit_link",
    "verify_signed_atw_link",
]
