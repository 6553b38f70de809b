"""Did you mean: the known name an unknown attribute name, card type or sub-type was meant to be.

Same letters ignoring case, "_" and "-" first (``providername`` → ``providerName``), else the closest
known name by :func:`difflib.get_close_matches` (``loyality`` → ``loyalty``).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from typing import Final

from linkkit.cards.registry import CARD_TYPES, CardSpec

# Only names of a sensible length (the longest known one has 36 characters): difflib's cost grows
# with the square of the length.
_HINT_MAX_LEN: Final = 48


def _fold(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def _closest(name: str, folded: Mapping[str, str], cutoff: float) -> str | None:
    """The known name ``name`` was probably meant to be: same letters ignoring case, "_" and "-"
    first, else the closest by :func:`difflib.get_close_matches` (case-insensitive)."""
    if len(name) > _HINT_MAX_LEN:
        return None
    key = _fold(name)
    hit = folded.get(key)
    if hit is None:
        close = difflib.get_close_matches(key, folded.keys(), n=1, cutoff=cutoff)
        hit = folded[close[0]] if close else None
    return hit


_FOLDED_ATTRIBUTES: Final[Mapping[str, Mapping[str, str]]] = {
    spec.type: {_fold(name): name for name in spec.attributes} for spec in CARD_TYPES.values()
}
_FOLDED_TYPES: Final = {_fold(name): name for name in CARD_TYPES}


@functools.lru_cache(maxsize=4096)
def attribute_hint(card_type: str, name: str) -> str | None:
    """The attribute of ``card_type`` cards that ``name`` was probably meant to be, or ``None``."""
    # Cached: a campaign repeats the same unknown name on every row. The cutoff is high because
    # attribute names share long parts ("logoImage.darkUrl" / "logoImage.lightUrl").
    return _closest(name, _FOLDED_ATTRIBUTES[card_type], 0.75)


def did_you_mean(hint: str | None) -> str:
    """`` (did you mean "hint"?)``, or ``""`` without a hint."""
    return f' (did you mean "{hint}"?)' if hint is not None else ""


def type_reason(value: object) -> str:
    """The reason for a ``card.type`` that is not a card type."""
    hint = _closest(value, _FOLDED_TYPES, 0.6) if isinstance(value, str) else None
    return "must be one of " + ", ".join(f'"{t}"' for t in CARD_TYPES) + did_you_mean(hint)


def sub_type_reason(spec: CardSpec, value: str | None) -> str:
    """The reason for a ``card.subType`` that is not one of ``spec``'s (``None``: it is missing)."""
    allowed = ", ".join(f'"{s}"' for s in spec.sub_types)
    hint = _closest(value, {_fold(s): s for s in spec.sub_types}, 0.6) if value is not None else None
    return f'must be one of {allowed} for type "{spec.type}"{did_you_mean(hint)}'


def check_card_type(value: object) -> str | None:
    """Why ``value`` is not a Samsung card type (with a "did you mean"), or ``None`` when it is one."""
    return None if isinstance(value, str) and value in CARD_TYPES else type_reason(value)


def check_sub_type(card_type: str, value: object) -> str | None:
    """Why ``value`` is not a sub-type of the card type ``card_type``, or ``None`` when it is one.

    An unknown ``card_type`` gives ``None``: that is :func:`check_card_type`'s finding.
    """
    spec = CARD_TYPES.get(card_type)
    if spec is None or (isinstance(value, str) and value in spec.sub_types):
        return None
    return sub_type_reason(spec, value if isinstance(value, str) else None)
