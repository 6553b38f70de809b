"""The suite, in the order it runs, and how ``only`` / ``skip`` pick from it.

The order matters: Get Card Data first (it proves the identity works, so a later refusal means
something), the attacks on Get Card Data next, Send Card State ``ADDED`` and ``UPDATED`` before the
bodies that abuse it, and ``DELETED`` last, since a partner may forget the card after it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Final

from linkkit.errors import ConfigError
from linkkit.probe.checks_actions import REQUEST_ACTION_FORGED_LINK, REQUEST_ACTION_SEQUENCE
from linkkit.probe.checks_cards import (
    GET_CARD_DATA,
    GET_CARD_DATA_FIELDS,
    SEND_CARD_STATE_ADDED,
    SEND_CARD_STATE_DELETED,
    SEND_CARD_STATE_UPDATED,
    UNKNOWN_CARD,
)
from linkkit.probe.checks_inputs import MALFORMED_BODY, OVERSIZE_BODY, PATH_TRAVERSAL
from linkkit.probe.checks_tokens import (
    ALG_NONE,
    BAD_SIGNATURE,
    FUTURE_UTC,
    HS256_CONFUSION,
    METHOD_SWAPPED,
    NO_TOKEN,
    PATH_SWAPPED,
    REPLAYED_REQUEST_ID,
    REPLAYED_TOKEN,
    STALE_UTC,
    WRONG_KEY,
)
from linkkit.probe.context import FACTS, Check

#: Every check, in the order a run sends them.
SUITE: Final[tuple[Check, ...]] = (
    GET_CARD_DATA,
    GET_CARD_DATA_FIELDS,
    UNKNOWN_CARD,
    NO_TOKEN,
    BAD_SIGNATURE,
    WRONG_KEY,
    ALG_NONE,
    HS256_CONFUSION,
    STALE_UTC,
    FUTURE_UTC,
    METHOD_SWAPPED,
    PATH_SWAPPED,
    REPLAYED_REQUEST_ID,
    REPLAYED_TOKEN,
    PATH_TRAVERSAL,
    SEND_CARD_STATE_ADDED,
    SEND_CARD_STATE_UPDATED,
    MALFORMED_BODY,
    OVERSIZE_BODY,
    REQUEST_ACTION_SEQUENCE,
    REQUEST_ACTION_FORGED_LINK,
    SEND_CARD_STATE_DELETED,
)
#: The names of the checks, in suite order.
CHECK_NAMES: Final[tuple[str, ...]] = tuple(check.name for check in SUITE)
_BY_NAME: Final = {check.name: check for check in SUITE}


def _names(values: Iterable[str], option: str) -> set[str]:
    """Names from ``values`` (each may hold several, comma-separated); an unknown one is an error."""
    names = {part.strip() for value in values for part in value.split(",") if part.strip()}
    for name in sorted(names):
        if name not in _BY_NAME:
            close = difflib.get_close_matches(name, CHECK_NAMES, n=1, cutoff=0.5)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ConfigError(f"{option}: no check is called {name!r}{hint}; see linkkit probe --list")
    return names


def select(only: Iterable[str] = (), skip: Iterable[str] = ()) -> tuple[tuple[Check, ...], frozenset[str]]:
    """The checks to run, in suite order, and the names among them run only as prerequisites.

    ``only`` keeps the checks named (and the checks that establish what they need, unless skipped);
    ``skip`` drops the checks named. Names may be comma-separated.

    :raises linkkit.errors.ConfigError: a name is not a check (the message suggests the closest).
    """
    wanted = _names(only, "only")
    dropped = _names(skip, "skip")
    chosen = set(wanted or CHECK_NAMES) - dropped
    prerequisites: set[str] = set()
    pending = list(chosen)
    while pending:  # a prerequisite may need one of its own (send_card_state_added needs get_card_data)
        for fact in _BY_NAME[pending.pop()].needs:
            producer = FACTS[fact][0]
            if producer not in chosen and producer not in dropped:
                chosen.add(producer)
                prerequisites.add(producer)
                pending.append(producer)
    return tuple(check for check in SUITE if check.name in chosen), frozenset(prerequisites)
