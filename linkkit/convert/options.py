"""What a conversion may choose for you: refId, language, time zone, where images are hosted, your own values."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from linkkit._urls import parse_http_url
from linkkit.atw.links import is_valid_ref_id
from linkkit.cards import CARD_TYPES, REF_ID_MAX
from linkkit.cards.kinds import Language
from linkkit.errors import ConfigError, UnsafeURLError

#: Card types a pass can become (the ones Apple and Google passes have a counterpart for).
TARGET_TYPES: Final = ("boardingpass", "ticket", "coupon", "giftcard", "loyalty", "generic")
_LANGUAGE: Final = Language()


@dataclass(frozen=True, slots=True)
class ImageFile:
    """One image of a pass that the card must point to by URL (Samsung fetches images from the device)."""

    #: File name in the pass, e.g. ``logo@2x.png`` (``fr.lproj/logo.png`` for a localized one).
    name: str
    data: bytes = field(repr=False)
    media_type: str = "image/png"

    @property
    def digest(self) -> str:
        """SHA-256 of the bytes, hex: the same image gets the same hosted name in every card."""
        return hashlib.sha256(self.data).hexdigest()

    @property
    def hosted_name(self) -> str:
        """``{sha256 prefix}-{file name}``: unique per content, readable, safe in a URL path."""
        base = self.name.rsplit("/", 1)[-1]
        return f"{self.digest[:16]}-{base}"


#: Returns the public http(s) URL where ``image`` will be served (you upload it, or your CDN already has it).
ImageHost = Callable[[ImageFile], str]


def host_at(base_url: str) -> ImageHost:
    """An :data:`ImageHost` for a folder served at ``base_url``: ``{base_url}/{image.hosted_name}``.

    ::

        >>> host = host_at("https://cdn.example.com/passes")
        >>> host(ImageFile("logo@2x.png", b"...")).startswith("https://cdn.example.com/passes/")
        True
    """
    url = parse_http_url(base_url, what="image_base_url", allow_query=False, allow_fragment=False)
    base = str(url).rstrip("/")

    def host(image: ImageFile) -> str:
        return f"{base}/{image.hosted_name}"

    return host


@dataclass(frozen=True, kw_only=True)
class ConvertOptions:
    """Choices :func:`~linkkit.convert.convert_pass` makes where the source is silent.

    :param ref_id: ``data[].refId`` of the card; ``None`` makes a fresh unguessable one
        (:func:`linkkit.atw.links.new_ref_id`). Never the pass's serial number: that one may be guessable.
    :param language: ``data[].language``; ``None`` takes the pass's own (Google ``languageOverride`` or
        its default strings), else ``"en"``. The other languages of the pass become ``localization``.
    :param card_type: the Samsung type to make, when the source allows more than one (an Apple
        ``storeCard`` is a ``loyalty`` card unless you say ``giftcard``).
    :param sub_type: ``card.subType``, when the source does not tell (a Google event ticket is ``others``).
    :param time_zone: IANA zone (``Europe/Zurich``) of local times that carry no UTC offset: Google's flight
        times never do. Times with an offset keep theirs.
    :param arrival_time_zone: zone of local arrival times, when it differs (``None``: ``time_zone``).
    :param image_base_url: where the pass's own images will be served (each under
        :attr:`ImageFile.hosted_name`); ignored when ``image_host`` is given.
    :param image_host: your own :data:`ImageHost` (upload to a CDN and return the URL).
    :param attributes: Samsung attributes you set yourself (``{"appLinkData": "https://..."}``); they win
        over the source. Timestamps may be ISO 8601 strings.
    :param google_type: the Google Wallet type (``flight``, ``eventTicket`` ...) of an object that does not
        say (no ``kind``, no class).
    :param object_id: which object of a Google JWT payload holding several.
    :param strict: refuse a card with validator warnings too (``--strict``); by default they are reported.
    :param clock: epoch seconds for ``createdAt`` and the defaults that need "now".
    """

    ref_id: str | None = None
    language: str | None = None
    card_type: str | None = None
    sub_type: str | None = None
    time_zone: str | None = None
    arrival_time_zone: str | None = None
    image_base_url: str | None = None
    image_host: ImageHost | None = None
    attributes: Mapping[str, object] = field(default_factory=dict)
    google_type: str | None = None
    object_id: str | None = None
    strict: bool = False
    clock: Callable[[], float] = time.time

    def __post_init__(self) -> None:
        if self.ref_id is not None and (not is_valid_ref_id(self.ref_id) or len(self.ref_id) > REF_ID_MAX):
            raise ConfigError("ref_id: 1 to 32 URL-safe characters (letters, digits, '-', '_', '.', '~')")
        if self.language is not None and _LANGUAGE.check(self.language) is not None:
            raise ConfigError(f"language: {_LANGUAGE.check(self.language)}")
        if self.card_type is not None and self.card_type not in TARGET_TYPES:
            raise ConfigError("card_type: one of " + ", ".join(TARGET_TYPES))
        if self.sub_type is not None and self.card_type is not None:
            subs = CARD_TYPES[self.card_type].sub_types
            if self.sub_type not in subs:
                raise ConfigError(f"sub_type: one of {', '.join(subs)} for {self.card_type} cards")
        for name in ("time_zone", "arrival_time_zone"):
            value = getattr(self, name)
            if value is not None:
                zone_of(value, what=name)
        if self.image_base_url is not None and self.image_host is None:
            try:
                host_at(self.image_base_url)
            except UnsafeURLError as exc:
                raise ConfigError(str(exc)) from exc
        for key in self.attributes:
            if not isinstance(key, str) or not key:
                raise ConfigError("attributes: names must be non-empty strings")
        object.__setattr__(self, "attributes", MappingProxyType(dict(self.attributes)))

    def host(self) -> ImageHost | None:
        """The image host these options give, or ``None`` when images cannot be hosted."""
        if self.image_host is not None:
            return self.image_host
        if self.image_base_url is not None:
            return host_at(self.image_base_url)
        return None


def zone_of(name: str, *, what: str = "time_zone") -> ZoneInfo:
    """The :class:`~zoneinfo.ZoneInfo` called ``name``; a :class:`~linkkit.errors.ConfigError` naming ``what``."""
    if not isinstance(name, str) or not name or len(name) > 64 or ".." in name or name.startswith("/"):
        raise ConfigError(f"{what}: an IANA time zone such as Europe/Zurich")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ConfigError(f"{what}: unknown time zone (an IANA name such as Europe/Zurich)") from exc
