"""Deprecated: import from ``linkkit.atw.links``; this path stays until 2.0.

Add to Samsung Wallet links: build, parse back, and make refIds.
A thin re-export kept so that code written against the old layout keeps working: it has no
code of its own, and raises no warning in this release."""

from linkkit.atw.links import ALLOWED_ACTIONS as ALLOWED_ACTIONS
from linkkit.atw.links import ATW_BASE_URL as ATW_BASE_URL
from linkkit.atw.links import CDATA_DOCUMENTED_LIMIT as CDATA_DOCUMENTED_LIMIT
from linkkit.atw.links import CLIP as CLIP
from linkkit.atw.links import MIN_UNGUESSABLE_REF_ID as MIN_UNGUESSABLE_REF_ID
from linkkit.atw.links import ActionLink as ActionLink
from linkkit.atw.links import AtwLink as AtwLink
from linkkit.atw.links import FetchLink as FetchLink
from linkkit.atw.links import LinkData as LinkData
from linkkit.atw.links import LinkKind as LinkKind
from linkkit.atw.links import TransmitLink as TransmitLink
from linkkit.atw.links import action_link as action_link
from linkkit.atw.links import fetch_link as fetch_link
from linkkit.atw.links import is_valid_card_id as is_valid_card_id
from linkkit.atw.links import is_valid_ref_id as is_valid_ref_id
from linkkit.atw.links import link_url as link_url
from linkkit.atw.links import new_ref_id as new_ref_id
from linkkit.atw.links import parse_link as parse_link
from linkkit.atw.links import ref_id_from_bytes as ref_id_from_bytes
from linkkit.atw.links import transmit_link as transmit_link
