"""Where an "Add to Samsung Wallet" button can work: the device gating decision, on the server.

``<samsung-wallet-button>`` (js/samsung-wallet-button.js) makes the same decision in the browser;
this module makes it from the request headers, for pages that render the mode themselves
(``gate="..."``) and for logs. Samsung Wallet exists on Samsung Galaxy phones and tablets only.

=====================================  =========  ====================================================
Device (how it is recognised)          Mode       Why
=====================================  =========  ====================================================
iPad (``iPad``; iPadOS's Mac UA with   ``qr``     no Samsung Wallet; a big screen a Galaxy phone can
touch points, in the browser only)                scan
iPhone, iPod (``iPhone``/``iPod``)     ``hidden`` no Samsung Wallet, and a phone cannot scan itself
Android, Samsung model (``SM-``,       ``button`` the wallet can be there
``SC-``, ``SCV``, ``SCG``, ``GT-`` ...
in ``Sec-CH-UA-Model`` or the UA;
``SamsungBrowser``/``SAMSUNG`` in UA)
Android, model hidden (Chromium's      ``button`` it may be a Galaxy: the link falls back to Samsung's
reduced UA ``Android 10; K``)                     web page where the wallet is missing
Android, another maker's model         ``hidden`` no Samsung Wallet on that phone
Anything else (desktop)                ``qr``     scan with the phone
=====================================  =========  ====================================================

Chromium (Chrome, Edge, Samsung Internet) no longer sends the model in the User-Agent (User-Agent
reduction): it arrives in the ``Sec-CH-UA-Model`` client hint once the server asks for it with
``Accept-CH: Sec-CH-UA-Model`` (:data:`ACCEPT_CH`), and ``navigator.userAgentData`` gives it to the
script.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

GateMode = Literal["button", "qr", "hidden"]

#: The response header that makes Chromium send the device model on the next requests.
ACCEPT_CH: Final = ("Accept-CH", "Sec-CH-UA-Model, Sec-CH-UA-Platform")
#: Model prefixes of Samsung phones and tablets (the same list as the script's).
_SAMSUNG_MODEL: Final = re.compile(r"(SM-|SC-|SCV|SCG|SGH-|GT-|SHV-|SPH-|Galaxy)", re.IGNORECASE)
_UA_MODEL: Final = re.compile(r"Android [^;)]*; (?:[a-z]{2}[-_][a-zA-Z]{2}; )?([^;)]+?)(?: Build[^;)]*)?\)")


@dataclass(frozen=True, kw_only=True, slots=True)
class GateDecision:
    """What to show and why (the ``debug`` attribute prints the same reason in the console)."""

    mode: GateMode
    reason: str


def _hint(value: str | None) -> str | None:
    """A structured-header string (``"SM-S921B"``) without its quotes; ``None`` when empty."""
    if value is None:
        return None
    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return text or None


def decide(user_agent: str | None, *, model: str | None = None, platform: str | None = None) -> GateDecision:
    """The gating decision for a User-Agent and the client hints (``Sec-CH-UA-Model``, ``-Platform``)."""
    ua = user_agent or ""
    model = _hint(model)
    platform = _hint(platform)
    if "iPad" in ua:
        return GateDecision(mode="qr", reason="iPadOS: no Samsung Wallet; the QR code is for a Samsung phone")
    if "iPhone" in ua or "iPod" in ua:
        return GateDecision(mode="hidden", reason="iOS: no Samsung Wallet, and a phone cannot scan its own screen")
    if "Android" in ua or platform == "Android":
        found = _UA_MODEL.search(ua)
        m = model or (found.group(1) if found else None)
        if "SamsungBrowser" in ua or "SAMSUNG" in ua or (m and _SAMSUNG_MODEL.match(m)):
            return GateDecision(mode="button", reason=f"Samsung device {m or ''}".rstrip())
        if not m or m == "K":
            return GateDecision(mode="button", reason="Android, model not known: Samsung Wallet may be there")
        return GateDecision(mode="hidden", reason=f"Android {m} is not a Samsung device")
    return GateDecision(mode="qr", reason="desktop: the QR code is for a Samsung phone")


def decide_from_headers(headers: Mapping[str, str]) -> GateDecision:
    """:func:`decide` from request headers (any case-insensitive mapping, Flask's or Django's)."""
    return decide(
        headers.get("User-Agent"), model=headers.get("Sec-CH-UA-Model"), platform=headers.get("Sec-CH-UA-Platform")
    )
