"""Add to Samsung Wallet links: build, parse back, and make refIds (https://developer.samsung.com/wallet/AddCardsToSamsungWallet/AddCardLinks.html).

::

    Data Transmit  https://a.swallet.link/atw/v3/{cardId}#Clip?cdata={cdata}
    Data Fetch     https://a.swallet.link/atw/v3/{certificateId}/{cardId}#Clip?pdata={refId}
    Data Action    https://a.swallet.link/atw/v3/{certificateId}/{cardId}#Clip?adata={action}

Everything after ``#`` is a fragment: browsers never send it to a server, so tokens and refIds stay
out of server logs. The builders keep it that way (nothing goes in the query string).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Final, Literal
from urllib.parse import urlsplit

from linkkit._b64 import b64url_encode
from linkkit.errors import LinkError

#: Production base of every Add to Wallet link. Point it at the sandbox through configuration.
ATW_BASE_URL: Final = "https://a.swallet.link"
#: The fixed hash segment, String(5); Samsung's link page says "the first letter is capitalized".
CLIP: Final = "Clip"
#: Allowed Data Action values (our decision: adata String(16), allowed value ``user_auth``).
ALLOWED_ACTIONS: Final = frozenset({"user_auth"})
#: Documented cdata limit: String(2048) on Samsung's link page, which its own 4,773-character sample
#: already exceeds (an older Get Card Data page says String(4096)); a warning, not a hard cap.
CDATA_DOCUMENTED_LIMIT: Final = 2048

# cardId String(32) from the Partner Portal: digits and letters in every example.
_CARD_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
# certificateId: 4 alphanumerics in links (String(4)); the header allows String(64).
_CERTIFICATE_ID = re.compile(r"[A-Za-z0-9]{1,64}")
# refId / pdata String(128): RFC 3986 unreserved characters only, so the fragment needs no escaping;
# at least one letter or digit, so "." and ".." (path traversal in /cards/{cardId}/{refId}) never pass.
_REF_ID = re.compile(r"(?=[._~-]*[A-Za-z0-9])[A-Za-z0-9._~-]{1,128}")
_ACTION = re.compile(r"[a-z_]{1,16}")
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
_PATH = re.compile(r"/atw/v(?P<ver>[13])/(?:(?P<cert>[^/]+)/)?(?P<card>[^/]+)")

LinkKind = Literal["transmit", "fetch", "action"]
#: The name in the fragment that carries each kind's data: ``#Clip?{name}={value}``.
LinkData = Literal["cdata", "pdata", "adata"]


def _check(pattern: re.Pattern[str], value: object, name: str, rule: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise LinkError(f"{name}: must be {rule}")
    return value


def _check_version(version: object) -> None:
    if type(version) is not int or version not in (1, 3):
        raise LinkError("version: must be 1 or 3")


def _check_base(base: str) -> str:
    parts = urlsplit(base)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise LinkError("base: must be an http(s) origin such as https://a.swallet.link")
    return base.rstrip("/")


def link_url(base: str, version: int, certificate_id: str | None, card_id: str, data: LinkData, value: str) -> str:
    """The one place an Add to Wallet URL is written::

        {base}/atw/v{version}/[{certificateId}/]{cardId}#Clip?{data}={value}

    It checks nothing: :func:`transmit_link`, :func:`fetch_link`, :func:`action_link` and the link classes
    validate their parts first; :mod:`linkkit.plan` calls it with placeholders to measure a link's length.
    """
    cert = f"{certificate_id}/" if certificate_id is not None else ""
    return f"{base}/atw/v{version}/{cert}{card_id}#{CLIP}?{data}={value}"


def new_ref_id() -> str:
    """A fresh refId: 192 bits from the OS CSPRNG, base64url, exactly 32 characters.

    Samsung asks for a unique id within String(32); 128 bits or more keep it unguessable.
    """
    return ref_id_from_bytes(secrets.token_bytes(24))


def ref_id_from_bytes(raw: bytes) -> str:
    """``raw`` as a refId: base64url, whose first character is never ``-`` or ``_``.

    A refId that starts with ``-`` reads as an option on a command line and as a formula in a
    spreadsheet (where manifest files end up), so the first character is folded onto a letter;
    at 192 bits the two values given up cost under one bit.
    """
    text = b64url_encode(raw)
    if text[:1] in ("-", "_"):
        text = ("x" if text[0] == "-" else "y") + text[1:]
    return text


@dataclass(frozen=True, kw_only=True, slots=True)
class TransmitLink:
    """A Data Transmit link: the card travels inside the link as a Card Data Token."""

    card_id: str
    cdata: str = field(repr=False)  # a live token: never in a repr or a log
    version: Literal[1, 3] = 3
    base: str = ATW_BASE_URL
    kind: Literal["transmit"] = "transmit"

    def __post_init__(self) -> None:
        transmit_link(self.card_id, self.cdata, version=self.version, base=self.base)

    @property
    def url(self) -> str:
        return link_url(self.base, self.version, None, self.card_id, "cdata", self.cdata)

    def __str__(self) -> str:
        return self.url


@dataclass(frozen=True, kw_only=True, slots=True)
class FetchLink:
    """A Data Fetch link: only a refId travels; Samsung calls the partner's Get Card Data."""

    certificate_id: str | None
    card_id: str
    ref_id: str = field(repr=False)  # whoever holds the refId can add the card
    version: Literal[1, 3] = 3
    base: str = ATW_BASE_URL
    kind: Literal["fetch"] = "fetch"

    def __post_init__(self) -> None:
        if self.version == 3 or self.certificate_id is not None:
            fetch_link(self.certificate_id or "", self.card_id, self.ref_id, base=self.base)
        else:
            _check_version(self.version)
            _check(_CARD_ID, self.card_id, "card_id", "1-32 letters, digits, '-' or '_'")
            _check(_REF_ID, self.ref_id, "ref_id", "1-128 URL-safe characters (A-Z a-z 0-9 . _ ~ -)")

    @property
    def url(self) -> str:
        return link_url(self.base, self.version, self.certificate_id or None, self.card_id, "pdata", self.ref_id)

    def __str__(self) -> str:
        return self.url


@dataclass(frozen=True, kw_only=True, slots=True)
class ActionLink:
    """A Data Action link: the wallet runs the partner's Request Action sequence."""

    certificate_id: str
    card_id: str
    action: str = "user_auth"
    base: str = ATW_BASE_URL
    kind: Literal["action"] = "action"

    def __post_init__(self) -> None:
        action_link(self.certificate_id, self.card_id, self.action, base=self.base)

    @property
    def url(self) -> str:
        return link_url(self.base, 3, self.certificate_id, self.card_id, "adata", self.action)

    def __str__(self) -> str:
        return self.url


AtwLink = TransmitLink | FetchLink | ActionLink


def transmit_link(card_id: str, cdata: str, *, version: Literal[1, 3] = 3, base: str = ATW_BASE_URL) -> str:
    """The Data Transmit link for ``cdata`` (a Card Data Token).

    Mint the token when the user clicks: it dies 30 s after it was made, so never put this link
    in an email, SMS, QR code or print: its token dies 30 s after it is minted.
    """
    _check(_CARD_ID, card_id, "card_id", "1-32 letters, digits, '-' or '_'")
    _check(_COMPACT_JWS, cdata, "cdata", "a compact JWS")
    _check_version(version)
    if base != ATW_BASE_URL:
        base = _check_base(base)
    return link_url(base, version, None, card_id, "cdata", cdata)


def fetch_link(certificate_id: str, card_id: str, ref_id: str, *, base: str = ATW_BASE_URL) -> str:
    """The Data Fetch link for ``ref_id``; safe for email, QR and print if the refId is unguessable."""
    _check(_CERTIFICATE_ID, certificate_id, "certificate_id", "1-64 letters or digits")
    _check(_CARD_ID, card_id, "card_id", "1-32 letters, digits, '-' or '_'")
    _check(_REF_ID, ref_id, "ref_id", "1-128 URL-safe characters (A-Z a-z 0-9 . _ ~ -)")
    if base != ATW_BASE_URL:
        base = _check_base(base)
    return link_url(base, 3, certificate_id, card_id, "pdata", ref_id)


def action_link(certificate_id: str, card_id: str, action: str = "user_auth", *, base: str = ATW_BASE_URL) -> str:
    """The Data Action link that starts the Request Action sequence ``action``."""
    _check(_CERTIFICATE_ID, certificate_id, "certificate_id", "1-64 letters or digits")
    _check(_CARD_ID, card_id, "card_id", "1-32 letters, digits, '-' or '_'")
    if action not in ALLOWED_ACTIONS:
        raise LinkError(f"action: must be one of {', '.join(sorted(ALLOWED_ACTIONS))}")
    if base != ATW_BASE_URL:
        base = _check_base(base)
    return link_url(base, 3, certificate_id, card_id, "adata", action)


def parse_link(url: str) -> AtwLink:
    """Turn an Add to Wallet URL back into a :class:`TransmitLink`, :class:`FetchLink` or :class:`ActionLink`.

    Any http(s) base is accepted (the sandbox serves the same paths); ``link.base`` tells which.

    :raises LinkError: naming the part of the URL that is wrong.
    """
    if not isinstance(url, str):
        raise LinkError("link: must be text")
    if len(url) > 16384:
        raise LinkError("link: longer than 16384 characters")
    if any(c.isspace() or not c.isprintable() for c in url):
        raise LinkError("link: contains whitespace or control characters")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise LinkError("link: not a URL") from exc
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise LinkError("link: must start with https:// (or http:// for a local sandbox)")
    if parts.query:
        raise LinkError("link: must not have a query before '#' (the data belongs in the fragment)")
    match = _PATH.fullmatch(parts.path)
    if not match:
        raise LinkError("link path: must be /atw/v3/{cardId} or /atw/v3/{certificateId}/{cardId}")
    version: Literal[1, 3] = 3 if match["ver"] == "3" else 1
    cert, card = match["cert"], match["card"]
    _check(_CARD_ID, card, "cardId", "1-32 letters, digits, '-' or '_'")
    if cert is not None:
        _check(_CERTIFICATE_ID, cert, "certificateId", "1-64 letters or digits")
    fragment = parts.fragment
    prefix = CLIP + "?"
    if not fragment.startswith(prefix):
        raise LinkError("link fragment: must start with #Clip? (capital C)")
    name, sep, value = fragment[len(prefix) :].partition("=")
    if not sep or "&" in value or "=" in value:
        raise LinkError("link fragment: must carry exactly one of cdata=, pdata= or adata=")
    base = f"{parts.scheme}://{parts.netloc}"
    if name == "cdata":
        if cert is not None:
            raise LinkError("link path: a Data Transmit link has no certificateId segment")
        _check(_COMPACT_JWS, value, "cdata", "a compact JWS")
        return TransmitLink(card_id=card, cdata=value, version=version, base=base)
    if name == "pdata":
        if version == 3 and cert is None:
            raise LinkError("link path: a v3 Data Fetch link needs /{certificateId}/{cardId}")
        _check(_REF_ID, value, "pdata", "1-128 URL-safe characters (A-Z a-z 0-9 . _ ~ -)")
        return FetchLink(certificate_id=cert, card_id=card, ref_id=value, version=version, base=base)
    if name == "adata":
        if cert is None or version != 3:
            raise LinkError("link path: a Data Action link is /atw/v3/{certificateId}/{cardId}")
        _check(_ACTION, value, "adata", "an action name of at most 16 characters")
        if value not in ALLOWED_ACTIONS:
            raise LinkError(f"adata: unknown action (allowed: {', '.join(sorted(ALLOWED_ACTIONS))})")
        return ActionLink(certificate_id=cert, card_id=card, action=value, base=base)
    raise LinkError("link fragment: must carry cdata=, pdata= or adata=")


#: A refId shorter than this cannot carry 128 random bits in base64url (our rule: at least 128 bits from a CSPRNG).
MIN_UNGUESSABLE_REF_ID: Final = 22


def is_valid_ref_id(value: object) -> bool:
    """True when ``value`` can be used as a refId in a link (and as a URL path segment)."""
    return isinstance(value, str) and _REF_ID.fullmatch(value) is not None


def is_valid_card_id(value: object) -> bool:
    """True when ``value`` is a well-formed cardId."""
    return isinstance(value, str) and _CARD_ID.fullmatch(value) is not None
