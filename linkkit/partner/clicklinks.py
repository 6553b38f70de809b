"""Click-time links: short partner URLs for email, SMS, QR and print.

A Data Transmit link dies 30 s after its token is made, so it can never be printed or mailed. A
click-time link is a short URL on the partner's own server, ``https://partner.example/w/{token}``,
that mints a fresh Data Transmit link when it is opened and answers ``302`` to it. Each link has an
optional expiry, an optional use limit, and can be revoked.

The token is 28 URL-safe characters: a random 72-bit link id (12 characters) followed by a 96-bit
HMAC-SHA256 tag of that id (16 characters) under the partner's secret. A tampered or invented token
fails the constant-time tag comparison before the database is touched; the id then finds the
link's row (card, refId, limits) in the :class:`~linkkit.partner.store.Store`. Secrets rotate: the
first signs new links, every one listed still verifies. With a ``keyring``
(:class:`~linkkit.keyring.Keyring`, or a :class:`~linkkit.keyring_file.KeyringFile` that reloads), the
secrets are its ``click_secrets``: the current one signs, all verify, as with every other key.

::

    links = ClickLinks(store=store, secrets=[secret], base_url="https://partner.example/w")
    url = links.create(card_id, ref_id, expires_at=time.time() + 30 * 86400, max_uses=5, channel="email")
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets as _secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final, TypeVar
from urllib.parse import urlsplit

from linkkit._b64 import b64url_encode
from linkkit.atw.links import is_valid_card_id, is_valid_ref_id
from linkkit.errors import ConfigError, LinkError
from linkkit.keyring import KeyringSource
from linkkit.observability.telemetry import MINTS, SPENDS, Telemetry
from linkkit.partner.observe import TracedStore
from linkkit.partner.records import ClickLinkRecord, ClickOutcome
from linkkit.partner.stores.contract import Store, click_refusal, is_live

#: Secrets shorter than this are refused (HMAC-SHA256 keys should carry at least 256 bits).
MIN_SECRET_BYTES: Final = 32
ID_BYTES: Final = 9  # 72 random bits → 12 base64url characters
TAG_BYTES: Final = 12  # 96-bit truncated HMAC-SHA256 → 16 characters
TOKEN_LENGTH: Final = 28
_TOKEN: Final = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")  # the id, then the tag
_DOMAIN: Final = b"linkkit.click.v1."  # domain separation: this key signs nothing else
_CHANNEL: Final = re.compile(r"[a-z0-9_-]{1,16}")
_MAX_TAGS: Final = 10
_MAX_TAG_LENGTH: Final = 64
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ClickLinkSpec:
    """One link to create in :meth:`ClickLinks.create_many`."""

    card_id: str
    ref_id: str
    expires_at: float | dt.datetime | None = None
    max_uses: int | None = None
    channel: str | None = None
    tags: Sequence[str] = ()


def _epoch(value: float | dt.datetime | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("expires_at: a datetime must be timezone-aware")
        return value.timestamp()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("expires_at must be epoch seconds, an aware datetime or None")
    return float(value)


class ClickLinks:
    """Create, open and revoke click-time links (see the module docstring).

    :param store: where the links live.
    :param secrets: HMAC keys (≥ 32 bytes each); the first signs, all verify. Not with ``keyring``.
    :param keyring: take the secrets from a keyring's ``click_secrets`` instead (read at each use, so a
        reloaded keyring applies at once).
    :param base_url: the public URL the tokens are appended to, e.g. ``https://partner.example/w``
        (the partner endpoints serve ``/w/{token}``).
    :param clock: returns epoch seconds.
    :param telemetry: where mints and spends are counted (default: OpenTelemetry's global providers).
    """

    def __init__(
        self,
        *,
        store: Store,
        secrets: bytes | Sequence[bytes] | None = None,
        keyring: KeyringSource | None = None,
        base_url: str,
        clock: Callable[[], float] = time.time,
        telemetry: Telemetry | None = None,
    ) -> None:
        if (secrets is None) == (keyring is None):
            raise ConfigError("secrets: give secrets or a keyring with click_secrets (one of them)")
        if keyring is not None:
            if not keyring.current().click_secrets:
                raise ConfigError("keyring: it has no click_secrets")
        else:
            assert secrets is not None
            keys = [secrets] if isinstance(secrets, bytes) else list(secrets)
            if not keys:
                raise ConfigError("secrets: give at least one key")
            for key in keys:
                if not isinstance(key, bytes) or len(key) < MIN_SECRET_BYTES:
                    raise ConfigError(f"secrets: each key must be at least {MIN_SECRET_BYTES} random bytes")
            self._fixed = tuple(keys)
        parts = urlsplit(base_url)
        if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
            raise ConfigError("base_url: must be an http(s) URL without query or fragment")
        self._keyring = keyring
        self._base = base_url.rstrip("/")
        self._clock = clock
        self._telemetry = telemetry = telemetry or Telemetry.default()
        self._store: Store = TracedStore(store, telemetry) if telemetry.tracing else store

    @property
    def _keys(self) -> tuple[bytes, ...]:
        if self._keyring is None:
            return self._fixed
        return self._keyring.current().click_link_secrets(self._clock())

    def __repr__(self) -> str:
        return f"ClickLinks(base_url={self._base!r}, keys={len(self._keys)})"

    # -- tokens -----------------------------------------------------------------------------------

    def _tag(self, key: bytes, link_id: str) -> str:
        return b64url_encode(hmac.new(key, _DOMAIN + link_id.encode("ascii"), hashlib.sha256).digest()[:TAG_BYTES])

    def link_id(self, token_or_url: object) -> str | None:
        """The link id inside a token (or a full link URL) when its tag verifies, else ``None``."""
        if not isinstance(token_or_url, str):
            return None
        token = token_or_url.rsplit("/", 1)[-1]
        if not _TOKEN.fullmatch(token):
            return None
        link_id, tag = token[:12], token[12:]
        ok = False
        for key in self._keys:
            # compare every key, always: the time taken does not tell which one matched
            ok |= hmac.compare_digest(self._tag(key, link_id), tag)
        return link_id if ok else None

    def url_for(self, link_id: str) -> str:
        return f"{self._base}/{link_id}{self._tag(self._keys[0], link_id)}"

    # -- create -----------------------------------------------------------------------------------

    def _record(self, spec: ClickLinkSpec, now: float) -> ClickLinkRecord:
        if not is_valid_card_id(spec.card_id):
            raise LinkError("card_id: must be 1-32 letters, digits, '-' or '_'")
        if not is_valid_ref_id(spec.ref_id):
            raise LinkError("ref_id: must be 1-128 URL-safe characters (A-Z a-z 0-9 . _ ~ -)")
        expires_at = _epoch(spec.expires_at)
        if expires_at is not None and expires_at <= now:
            raise ValueError("expires_at: must be in the future")
        if spec.max_uses is not None and (
            isinstance(spec.max_uses, bool) or not isinstance(spec.max_uses, int) or spec.max_uses < 1
        ):
            raise ValueError("max_uses: must be a positive int or None")
        if spec.channel is not None and not _CHANNEL.fullmatch(spec.channel):
            raise ValueError("channel: 1-16 lower-case letters, digits, '_' or '-' (email, sms, qr, print ...)")
        tags = tuple(spec.tags)
        if (
            isinstance(spec.tags, str)
            or len(tags) > _MAX_TAGS
            or any(not isinstance(t, str) or not t or len(t) > _MAX_TAG_LENGTH for t in tags)
        ):
            raise ValueError(f"tags: at most {_MAX_TAGS} non-empty strings of at most {_MAX_TAG_LENGTH} characters")
        return ClickLinkRecord(
            link_id=b64url_encode(_secrets.token_bytes(ID_BYTES)),
            card_id=spec.card_id,
            ref_id=spec.ref_id,
            created_at=now,
            expires_at=expires_at,
            max_uses=spec.max_uses,
            channel=spec.channel,
            tags=tags,
        )

    def create(
        self,
        card_id: str,
        ref_id: str,
        *,
        expires_at: float | dt.datetime | None = None,
        max_uses: int | None = None,
        channel: str | None = None,
        tags: Sequence[str] = (),
    ) -> str:
        """A new click-time link for the card ``(card_id, ref_id)``; returns its URL.

        :param expires_at: epoch seconds or an aware datetime; ``None`` never expires.
        :param max_uses: how many opens mint a link; ``None`` is unlimited. Mail scanners may open a
            link before the user does: allow a few uses for email.
        :param channel: where the link goes (``email``, ``sms``, ``qr``, ``print`` ...), for reports.
        :param tags: free labels (campaign names ...).
        :raises linkkit.errors.LinkError: a malformed card id or refId.
        :raises ValueError: an expiry in the past, a use limit below 1, a bad channel or tags.
        """
        record = self._record(ClickLinkSpec(card_id, ref_id, expires_at, max_uses, channel, tags), self._clock())
        self._store.add_click_links([record])
        self._count_mints([record])
        return self.url_for(record.link_id)

    def create_many(self, specs: Iterable[ClickLinkSpec]) -> list[str]:
        """Create many links in one transaction (campaigns); all or nothing."""
        now = self._clock()
        records = [self._record(spec, now) for spec in specs]
        self._store.add_click_links(records)
        self._count_mints(records)
        return [self.url_for(r.link_id) for r in records]

    def _count_mints(self, records: Sequence[ClickLinkRecord]) -> None:
        if self._telemetry.enabled:
            per_channel: dict[str, int] = {}
            for record in records:
                per_channel[record.channel or "none"] = per_channel.get(record.channel or "none", 0) + 1
            for channel, n in per_channel.items():
                self._telemetry.count(MINTS, {"linkkit.channel": channel}, n)

    # -- use --------------------------------------------------------------------------------------

    def open(self, token_or_url: str) -> tuple[ClickOutcome, ClickLinkRecord | None]:
        """Count one use of a link and return the outcome and the link.

        A token whose tag does not verify is :attr:`ClickOutcome.UNKNOWN` and the store is not read.
        """
        link_id = self.link_id(token_or_url)
        if link_id is None:
            outcome, record = ClickOutcome.UNKNOWN, None
        else:
            outcome, record = self._store.use_click_link(link_id, self._clock())
        self._count_spend(outcome)
        return outcome, record

    def _count_spend(self, outcome: ClickOutcome) -> None:
        if self._telemetry.enabled:
            self._telemetry.count(SPENDS, {"linkkit.outcome": outcome.value})

    def check(self, token_or_url: str) -> tuple[ClickOutcome, ClickLinkRecord | None]:
        """Whether the link may be opened now, without spending a use (what ``HEAD`` answers, and
        the check made before minting): the same outcome :meth:`open` would give, nothing counted."""
        link_id = self.link_id(token_or_url)
        if link_id is None:
            return ClickOutcome.UNKNOWN, None
        record = self._store.get_click_link(link_id)
        now = self._clock()
        if record is not None and is_live(record, now):
            return ClickOutcome.OK, record
        return click_refusal(record, now), record

    def redeem(
        self, token_or_url: str, mint: Callable[[ClickLinkRecord], T | None]
    ) -> tuple[ClickOutcome, ClickLinkRecord | None, T | None]:
        """Open a link, spending a use only when ``mint`` made what the user is sent to.

        The link is checked first (:meth:`check`); ``mint(record)`` then makes the answer (a fresh
        Data Transmit link). Only when it returns a value is one use spent, by the store's atomic
        conditional update, so a link whose card could not be had (``None``, or an exception such as
        :class:`~linkkit.errors.ServiceUnavailableError`, which propagates) keeps its uses, and two
        opens racing for the last use never both succeed: the loser gets the refusal and no value.
        """
        outcome, record = self.check(token_or_url)
        if outcome is not ClickOutcome.OK or record is None:
            self._count_spend(outcome)
            return outcome, record, None
        made = mint(record)
        if made is None:
            return outcome, record, None
        outcome, spent = self.open(token_or_url)
        if outcome is not ClickOutcome.OK:
            return outcome, spent, None  # another open took the last use (or a revocation) meanwhile
        return outcome, spent, made

    def get(self, token_or_url: str) -> ClickLinkRecord | None:
        """The link behind a token or URL, without counting a use."""
        link_id = self.link_id(token_or_url)
        return None if link_id is None else self._store.get_click_link(link_id)

    def revoke(self, token_or_url: str) -> bool:
        """Revoke a link: it answers 410 from now on. ``False`` when there is no such link."""
        link_id = self.link_id(token_or_url)
        return link_id is not None and self._store.revoke_click_link(link_id, self._clock())
