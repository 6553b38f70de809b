"""What the probe needs to play Samsung against one partner server: the identity set and the target.

The identity is the one the sandbox uses (``linkkit keys generate`` writes it): Samsung's *test* key
signs the AUTH tokens and signedAtwLinks the probe sends and decrypts the Card Data Tokens the partner
answers; the partner certificate verifies their signature. A partner under test is therefore
configured with the test Samsung certificate, exactly as for the sandbox.
"""

from __future__ import annotations

import math
import ssl
import time
import tomllib
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric import rsa

from linkkit._urls import parse_http_url
from linkkit.atw.links import ATW_BASE_URL, is_valid_card_id, is_valid_ref_id
from linkkit.errors import ConfigError, UnsafeURLError
from linkkit.keys import KeySource, load_certificate, load_private_key, public_key_of

#: The ``callback`` the probe's Send Card State carries: Samsung's documented example (US region).
DEFAULT_CALLBACK: Final = "https://us-tsapi.walletsvc.samsung.com"
#: Seconds each request may take, connect to last byte.
DEFAULT_TIMEOUT_S: Final = 10.0
_MAX_TIMEOUT_S: Final = 120.0
_ID_TEXT: Final = "1-64 printable ASCII characters"


def _ids_text(name: str, value: object) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= 64 or not value.isascii() or not value.isprintable():
        raise ConfigError(f"{name}: {_ID_TEXT}")
    return value


@dataclass(frozen=True, kw_only=True)
class ProbeIdentity:
    """The keys and ids the probe plays Samsung with.

    :param partner_id: the partner code (``partnerId`` in every token, both directions).
    :param certificate_id: the partner certificate's id: the partner's Card Data Tokens must carry it,
        and the Data Action link of a Request Action names it.
    :param samsung_key: Samsung's TEST private key: signs AUTH tokens and signedAtwLinks, decrypts cdata.
    :param partner_public_key: the partner certificate's key: verifies the partner's Card Data Tokens.
    :param samsung_certificate_id: the ``certificateId`` of the AUTH tokens the probe sends (Samsung's
        certificate); ``None`` sends ``certificate_id``, as the sandbox does.
    """

    partner_id: str
    certificate_id: str
    samsung_key: rsa.RSAPrivateKey = field(repr=False)
    partner_public_key: rsa.RSAPublicKey = field(repr=False)
    samsung_certificate_id: str | None = None

    def __post_init__(self) -> None:
        _ids_text("partner_id", self.partner_id)
        _ids_text("certificate_id", self.certificate_id)
        if self.samsung_certificate_id is not None:
            _ids_text("samsung_certificate_id", self.samsung_certificate_id)
        if not isinstance(self.samsung_key, rsa.RSAPrivateKey):
            raise TypeError("samsung_key must be an RSA private key (see linkkit.keys.load_private_key)")
        if not isinstance(self.partner_public_key, rsa.RSAPublicKey):
            raise TypeError("partner_public_key must be an RSA public key (see linkkit.keys.public_key_of)")

    @property
    def auth_certificate_id(self) -> str:
        """The ``certificateId`` written into the AUTH tokens the probe sends."""
        return self.samsung_certificate_id or self.certificate_id

    @classmethod
    def from_files(
        cls,
        *,
        samsung_key: KeySource,
        partner_cert: KeySource,
        partner_id: str,
        certificate_id: str,
        samsung_certificate_id: str | None = None,
        password: str | bytes | None = None,
    ) -> ProbeIdentity:
        """Load the Samsung test key and the partner certificate (paths or PEM bytes)."""
        return cls(
            partner_id=partner_id,
            certificate_id=certificate_id,
            samsung_key=load_private_key(samsung_key, password=password),
            partner_public_key=public_key_of(load_certificate(partner_cert)),
            samsung_certificate_id=samsung_certificate_id,
        )

    @classmethod
    def from_folder(
        cls, folder: str | Path, *, partner_id: str | None = None, certificate_id: str | None = None
    ) -> ProbeIdentity:
        """The identity in a folder written by ``linkkit keys generate``: ``samsung.key``, ``partner.crt``
        and the ids of its ``linkkit.toml`` (``partner_id``, ``certificate_id`` override them)."""
        root = Path(folder)
        settings = folder_settings(root)
        return cls.from_files(
            samsung_key=root / "samsung.key",
            partner_cert=root / "partner.crt",
            partner_id=partner_id or _ids_text(f"{root}/linkkit.toml: partner_id", settings.get("partner_id")),
            certificate_id=certificate_id
            or _ids_text(f"{root}/linkkit.toml: certificate_id", settings.get("certificate_id")),
            samsung_certificate_id=settings.get("samsung_certificate_id") or None,
        )


def folder_settings(folder: str | Path) -> dict[str, Any]:
    """The ``linkkit.toml`` of an identity folder (empty when there is none)."""
    path = Path(folder) / "linkkit.toml"
    try:
        return tomllib.loads(path.read_text("utf-8")) if path.is_file() else {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not readable TOML ({exc})") from exc


def _uuid_hex() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True, kw_only=True)
class ProbeConfig:
    """One probe run: whom to call, as whom, and with what.

    :param base_url: the partner's base URL as registered with Samsung (``prtnrCardData``), e.g.
        ``https://partner.example.com/samsung``; the probe calls ``{base_url}/cards/{cardId}/{refId}``.
    :param card_id: the Wallet card id the partner serves.
    :param ref_id: the refId of a card the partner has issued (a test card: Send Card State ``DELETED``
        is sent for it at the end).
    :param identity: see :class:`ProbeIdentity`.
    :param fields: the attributes the ``fields=`` check asks for; ``None`` takes the first two
        attributes of the card the partner answered.
    :param cc2: the country of the probe's Send Card State calls.
    :param callback: the ``callback`` body of Send Card State; ``None`` sends no body.
    :param request_action: run the Request Action checks (the partner must serve Request Action).
    :param action_inputs: what the simulated user types when the partner answers ``USER_AUTH``
        (``{"phone": "+14155550100", "otp": "246810"}``).
    :param timeout: seconds per request, from connecting to the last byte of the answer.
    :param verify: TLS verification: ``True`` (system CAs), a CA bundle path, or an ``ssl.SSLContext``.
    :param atw_base_url: the Add to Wallet host of the Data Action link a Request Action carries.
    :param request_ids: makes each ``x-request-id`` (a UUID by default; fixed ones make reports reproducible).
    :param clock: epoch seconds, for the ``utc`` of tokens and the age of the partner's tokens.
    """

    base_url: str
    card_id: str
    ref_id: str
    identity: ProbeIdentity
    fields: tuple[str, ...] | None = None
    cc2: str = "US"
    callback: str | None = DEFAULT_CALLBACK
    request_action: bool = False
    action_inputs: Mapping[str, str] = field(default_factory=dict, repr=False)
    timeout: float = DEFAULT_TIMEOUT_S
    verify: ssl.SSLContext | str | bool = field(default=True, repr=False)
    atw_base_url: str = ATW_BASE_URL
    request_ids: Callable[[], str] = field(default=_uuid_hex, repr=False)
    clock: Callable[[], float] = field(default=time.time, repr=False)

    def __post_init__(self) -> None:
        try:
            url = parse_http_url(self.base_url, what="base_url", allow_query=False)
        except UnsafeURLError as exc:
            raise ConfigError(str(exc)) from exc
        object.__setattr__(self, "base_url", str(url).rstrip("/"))
        if not is_valid_card_id(self.card_id):
            raise ConfigError("card_id: 1-32 letters, digits, '-' or '_' (the Wallet card id)")
        if not is_valid_ref_id(self.ref_id):
            raise ConfigError("ref_id: 1-128 letters, digits, '-' or '_' (a refId the partner issued)")
        if not isinstance(self.identity, ProbeIdentity):
            raise TypeError("identity must be a ProbeIdentity")
        if self.fields is not None:
            fields = tuple(self.fields)
            if not fields or any(not isinstance(f, str) or not f or "," in f or len(f) > 64 for f in fields):
                raise ConfigError("fields: 1 or more attribute names such as balance or barcode.value")
            if len(",".join(fields)) > 128:
                raise ConfigError("fields: at most 128 characters once joined with ',' (String(128))")
            object.__setattr__(self, "fields", fields)
        if not isinstance(self.cc2, str) or len(self.cc2) != 2 or not self.cc2.isascii() or not self.cc2.isalpha():
            raise ConfigError("cc2: a 2-letter country code such as US")
        if self.callback is not None:
            try:
                parse_http_url(self.callback, what="callback", schemes=("https",), allow_query=False)
            except UnsafeURLError as exc:
                raise ConfigError(str(exc)) from exc
        inputs = dict(self.action_inputs)
        for name, value in inputs.items():
            if not isinstance(name, str) or not name or not isinstance(value, str):
                raise ConfigError("action_inputs: names and values are text (NAME=VALUE)")
        object.__setattr__(self, "action_inputs", MappingProxyType(inputs))
        if isinstance(self.timeout, bool) or not isinstance(self.timeout, int | float):
            raise ConfigError("timeout: a number of seconds")
        if not math.isfinite(self.timeout) or not 0 < self.timeout <= _MAX_TIMEOUT_S:
            raise ConfigError(f"timeout: more than 0 and at most {_MAX_TIMEOUT_S:g} seconds")
        try:
            parse_http_url(self.atw_base_url, what="atw_base_url", allow_query=False)
        except UnsafeURLError as exc:
            raise ConfigError(str(exc)) from exc

    @property
    def base_path(self) -> str:
        """The path part of :attr:`base_url` (``/samsung``), without a trailing slash."""
        return parse_http_url(self.base_url, what="base_url", allow_query=False).path.rstrip("/")
