"""Configuration of the sandbox: the partner it plays Samsung for, and Samsung's own keys.

The sandbox is selected by configuration only, never by a code change: point a partner's
:class:`~linkkit.config.Endpoints` at it, and point the sandbox at the partner's base URL.
"""

from __future__ import annotations

import ipaddress
import os
import ssl
import time
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import rsa

from linkkit.atw.links import is_valid_card_id
from linkkit.atw.tokens import AUTH_TOKEN_WINDOW_S, CARD_TOKEN_MAX_AGE_S, DEFAULT_CLOCK_SKEW_S
from linkkit.errors import ConfigError
from linkkit.keys import load_certificate, load_private_key, public_key_of


def check_base_url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"{name}: must be an http(s) URL without query or fragment")
    return value.rstrip("/")


def _plain_host(value: object) -> bool:
    """A host name or IP address, without scheme, port, path or user (``::1`` is an address)."""
    if not isinstance(value, str) or not value or any(c in value for c in "/@[] \t\r\n"):
        return False
    if ":" in value:
        try:
            ipaddress.IPv6Address(value)
        except ValueError:
            return False
    return True


@dataclass(frozen=True, kw_only=True)
class SandboxConfig:
    """Everything the sandbox needs.

    :param partner_id: the partner code the sandbox expects (``partnerId``, ``x-smcs-partner-id``).
    :param certificate_id: the partner certificate's id (``certificateId`` of ver 3 tokens and links).
    :param partner_public_key: the partner certificate's key: verifies Card Data Tokens and the
        partner's AUTH tokens.
    :param samsung_private_key: Samsung's key: decrypts Card Data Tokens, signs the AUTH tokens and
        signedAtwLinks the sandbox sends to the partner.
    :param samsung_certificate_id: the ``certificateId`` of Samsung's certificate, in the header of every
        AUTH token the sandbox sends (default: the partner's ``certificate_id``, as before Samsung
        certificates had ids of their own). Rotations add more (:mod:`linkkit.sandbox.keys`).
    :param partner_base_url: the partner server's base URL (Get Card Data, Send Card State, Request
        Action); can also be set at run time (``PUT /_sandbox/settings``).
    :param card_ids: the registered Wallet card ids; empty accepts any well-formed id. Templates
        created through the API are added.
    :param cc2: the simulated user's country, sent with Send Card State.
    :param public_url: the sandbox's own base URL, sent as the Send Card State ``callback``; by
        default the address the server is bound to (never the request's ``Host`` header).
    :param allowed_hosts: host names the sandbox answers to besides the loopback names and the host
        of ``public_url`` (e.g. ``sandbox`` in a Compose network); any other ``Host`` is refused with
        400, which defeats DNS rebinding (:mod:`linkkit.sandbox.hosts`).
    :param partner_verify: TLS verification for calls to the partner (``True``, a CA file, a context).
    :param partner_timeout: seconds per call to the partner.
    :param strict_cards: refuse card warnings too, as ``validate_card(strict=True)`` (default: show them).
    :param clock: returns epoch seconds.
    """

    partner_id: str
    certificate_id: str
    partner_public_key: rsa.RSAPublicKey = field(repr=False)
    samsung_private_key: rsa.RSAPrivateKey = field(repr=False)
    samsung_certificate_id: str | None = None
    partner_base_url: str | None = None
    card_ids: frozenset[str] | Iterable[str] = frozenset()
    cc2: str = "US"
    public_url: str | None = None
    allowed_hosts: frozenset[str] | Iterable[str] = frozenset()
    partner_verify: bool | str | ssl.SSLContext = field(default=True, repr=False)
    partner_timeout: float = 5.0
    card_max_age: float = CARD_TOKEN_MAX_AGE_S
    auth_window: float = AUTH_TOKEN_WINDOW_S
    clock_skew: float = DEFAULT_CLOCK_SKEW_S
    strict_cards: bool = False
    clock: Callable[[], float] = field(default=time.time, repr=False)

    def __post_init__(self) -> None:
        for name in ("partner_id", "certificate_id", "samsung_certificate_id"):
            value = getattr(self, name)
            if value is None and name == "samsung_certificate_id":
                continue
            if not isinstance(value, str) or not value.isascii() or not value.isalnum():
                raise ConfigError(f"{name}: must be letters and digits")
        if not isinstance(self.partner_public_key, rsa.RSAPublicKey):
            raise TypeError("partner_public_key must be an RSA public key (the partner certificate's)")
        if not isinstance(self.samsung_private_key, rsa.RSAPrivateKey):
            raise TypeError("samsung_private_key must be an RSA private key")
        ids = frozenset([self.card_ids] if isinstance(self.card_ids, str) else self.card_ids)
        if any(not is_valid_card_id(i) for i in ids):
            raise ConfigError("card_ids: each must be 1-32 letters, digits, '-' or '_'")
        object.__setattr__(self, "card_ids", ids)
        if len(self.cc2) != 2 or not self.cc2.isalpha():
            raise ConfigError("cc2: must be a 2-letter country code")
        object.__setattr__(self, "cc2", self.cc2.upper())
        for name in ("partner_base_url", "public_url"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, check_base_url(name, value))
        hosts = frozenset([self.allowed_hosts] if isinstance(self.allowed_hosts, str) else self.allowed_hosts)
        if any(not _plain_host(h) for h in hosts):
            raise ConfigError("allowed_hosts: each must be a host name without scheme, port or path")
        object.__setattr__(self, "allowed_hosts", frozenset(h.lower() for h in hosts))
        if self.partner_timeout <= 0:
            raise ConfigError("partner_timeout: must be positive")

    @property
    def samsung_id(self) -> str:
        """The ``certificateId`` Samsung's first certificate signs with."""
        return self.samsung_certificate_id or self.certificate_id

    @classmethod
    def from_identity(cls, source: str | os.PathLike[str] | Mapping[str, bytes], **overrides: Any) -> SandboxConfig:
        """A config from a local identity set: a folder written by ``linkkit keys generate`` or the
        ``dict`` :func:`linkkit.identity.build_identity` returns. Keyword arguments override."""
        if isinstance(source, Mapping):
            files = source

            def read(name: str) -> bytes:
                return files[name]
        else:
            folder = Path(source)

            def read(name: str) -> bytes:
                try:
                    return (folder / name).read_bytes()
                except OSError as exc:
                    raise ConfigError(f"{folder / name}: cannot read ({exc.strerror or exc})") from exc

        try:
            settings = tomllib.loads(read("linkkit.toml").decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"linkkit.toml: not valid TOML ({exc})") from exc
        values: dict[str, Any] = {
            "partner_id": str(settings.get("partner_id", "")),
            "certificate_id": str(settings.get("certificate_id", "")),
            "partner_public_key": public_key_of(load_certificate(read("partner.crt"))),
            "samsung_private_key": load_private_key(read("samsung.key")),
        }
        if settings.get("card_id"):
            values["card_ids"] = frozenset({str(settings["card_id"])})
        if settings.get("samsung_certificate_id"):
            values["samsung_certificate_id"] = str(settings["samsung_certificate_id"])
        values.update(overrides)
        return cls(**values)
