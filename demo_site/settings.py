"""The demo's configuration: defaults, the instance folder, ``LINKKIT_*`` variables, and checks.

Precedence, lowest first (Flask tutorial pattern, aesthetics anchor point 20):

1. :data:`DEFAULTS` (``app.config.from_mapping``);
2. ``instance/secrets.json``: demo-only secrets generated on first start (never committed);
3. ``instance/config.py`` when it exists (``from_pyfile(silent=True)``);
4. ``LINKKIT_*`` environment variables (``from_prefixed_env("LINKKIT")``: ``LINKKIT_DEMO_OTP=111222``
   sets ``DEMO_OTP``; values are JSON-decoded when they parse);
5. the ``test_config`` mapping given to :func:`demo_site.create_app` (tests, and the runner, which
   owns the URLs of the servers it starts).

:class:`DemoSettings` is the checked, typed view of the result that the rest of the demo reads.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final
from urllib.parse import urlsplit

from linkkit.atw.links import is_valid_card_id
from linkkit.errors import ConfigError
from linkkit.s2p.types import Uuid

#: Card kinds the merchant issues, and the Wallet card id (Partner Portal) of each. Fixed ids: the
#: sandbox is told them, as Samsung would know them after the templates were approved.
DEFAULT_CARD_IDS: Final = MappingProxyType(
    {
        "rewards": "northwind-rewards",
        "gift": "northwind-gift",
        "coupon": "northwind-coupon",
        "cinema": "northwind-cinema",
        "air": "northwind-air",
    }
)

#: Where each server listens by default, relative to the demo's port (``--port``; 0 = all free).
PORT_OFFSETS: Final = MappingProxyType(
    {
        "demo": 0,
        "sandbox": 1,
        "s2p_welcome": 2,
        "s2p_api": 3,
        "notifications": 4,
    }
)

DEFAULTS: Final[Mapping[str, Any]] = MappingProxyType(
    {
        "BRAND": "Northwind",
        # The demo's own external base URL: click-time links, card images and email buttons use it.
        "PUBLIC_URL": "http://127.0.0.1:5000",
        # The wallet sandbox (Add to Wallet landing and the Samsung server API) and the S2P API.
        "SANDBOX_URL": "http://127.0.0.1:5001",
        "S2P_API_URL": "https://127.0.0.1:5003/ext/v1",
        # The S2P Partner ID of this environment (an identifier, not a secret); None: the identity's
        # (``s2p_partner_id`` in its linkkit.toml).
        "S2P_PARTNER_ID": None,
        # None: inside the instance folder.
        "IDENTITY_DIR": None,
        "DATA_DIR": None,
        # The one-time code the sign-up "texts" to members (the demo shows it on the page).
        "DEMO_OTP": "246810",
        "CARD_IDS": dict(DEFAULT_CARD_IDS),
        # Where the partner endpoints Samsung calls are mounted (Get Card Data, Send Card State, ...).
        "PARTNER_PREFIX": "/samsung",
        "HTTP_TIMEOUT": 5.0,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
    }
)

#: Secrets generated into the instance folder on first start.
GENERATED_SECRETS: Final = ("SECRET_KEY", "CLICK_LINK_SECRET")
SECRETS_FILE: Final = "secrets.json"
_OTP: Final = re.compile(r"[0-9]{4,8}")
_PREFIX: Final = re.compile(r"(/[A-Za-z0-9._-]+)+")


def load_or_create_secrets(instance_path: str | os.PathLike[str]) -> dict[str, str]:
    """The demo's secrets from ``instance/secrets.json``, generating the file (0600) the first time.

    Demo-only values: a Flask session key and the click-time link HMAC key. They never leave the
    instance folder, which ``.gitignore`` keeps out of git.
    """
    folder = Path(instance_path)
    path = folder / SECRETS_FILE
    if path.exists():
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: unreadable ({exc}); delete it to make new demo secrets") from exc
        if isinstance(data, dict) and all(isinstance(data.get(k), str) and data[k] for k in GENERATED_SECRETS):
            return {k: data[k] for k in GENERATED_SECRETS}
    folder.mkdir(parents=True, exist_ok=True)
    data = {name: secrets.token_urlsafe(32) for name in GENERATED_SECRETS}
    tmp = folder / f".{SECRETS_FILE}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)
    return data


def _text(config: Mapping[str, Any], name: str) -> str:
    value = config.get(name)
    if not isinstance(value, str):
        raise ConfigError(f"{name}: must be a string (got {type(value).__name__})")
    return value


def _url(name: str, value: object, *, https: bool = False) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{name}: must be a URL string (got {type(value).__name__})")
    parts = urlsplit(value)
    schemes = ("https",) if https else ("http", "https")
    if parts.scheme not in schemes or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(
            f"{name}: must be an absolute {'/'.join(schemes)} URL without query or fragment (got {value!r})"
        )
    return value.rstrip("/")


@dataclass(frozen=True, kw_only=True)
class DemoSettings:
    """The checked configuration (see the module docstring for where each value comes from)."""

    brand: str
    public_url: str
    sandbox_url: str
    s2p_api_url: str
    s2p_partner_id: str | None
    identity_dir: Path
    data_dir: Path
    otp: str = field(repr=False)
    card_ids: Mapping[str, str]
    partner_prefix: str
    click_link_secret: bytes = field(repr=False)
    http_timeout: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "public_url", _url("PUBLIC_URL", self.public_url))
        object.__setattr__(self, "sandbox_url", _url("SANDBOX_URL", self.sandbox_url))
        object.__setattr__(self, "s2p_api_url", _url("S2P_API_URL", self.s2p_api_url, https=True))
        if self.s2p_partner_id is not None and Uuid().check(self.s2p_partner_id) is not None:
            raise ConfigError("S2P_PARTNER_ID: must be 26 to 128 characters of a-z, A-Z, 0-9, - and _")
        if not _OTP.fullmatch(self.otp):
            raise ConfigError("DEMO_OTP: must be 4 to 8 digits")
        if set(self.card_ids) != set(DEFAULT_CARD_IDS):
            raise ConfigError(f"CARD_IDS: must name exactly the kinds {', '.join(DEFAULT_CARD_IDS)}")
        bad = [kind for kind, card_id in self.card_ids.items() if not is_valid_card_id(card_id)]
        if bad:
            raise ConfigError(f"CARD_IDS.{bad[0]}: must be 1-32 letters, digits, '-' or '_'")
        if len(set(self.card_ids.values())) != len(self.card_ids):
            raise ConfigError("CARD_IDS: each kind needs its own Wallet card id")
        object.__setattr__(self, "card_ids", MappingProxyType(dict(self.card_ids)))
        if not _PREFIX.fullmatch(self.partner_prefix):
            raise ConfigError(f"PARTNER_PREFIX: must be a path such as /samsung (got {self.partner_prefix!r})")
        if len(self.click_link_secret) < 32:
            raise ConfigError("CLICK_LINK_SECRET: must be at least 32 bytes")
        if not self.http_timeout > 0:
            raise ConfigError("HTTP_TIMEOUT: must be a positive number of seconds")

    @classmethod
    def from_config(cls, config: Mapping[str, Any], instance_path: str | os.PathLike[str]) -> DemoSettings:
        """Read a Flask ``app.config``; environment values arrive JSON-decoded, so numbers are coerced."""
        instance = Path(instance_path)
        card_ids = config.get("CARD_IDS")
        if not isinstance(card_ids, Mapping):
            raise ConfigError("CARD_IDS: must be a mapping of card kind to Wallet card id")
        secret = config.get("CLICK_LINK_SECRET")
        if not isinstance(secret, (str, bytes)):
            raise ConfigError("CLICK_LINK_SECRET: must be a string")
        try:
            timeout = float(config.get("HTTP_TIMEOUT", 5.0))
        except (TypeError, ValueError) as exc:
            raise ConfigError("HTTP_TIMEOUT: must be a number of seconds") from exc
        return cls(
            brand=str(config.get("BRAND") or "Northwind"),
            public_url=_text(config, "PUBLIC_URL"),
            sandbox_url=_text(config, "SANDBOX_URL"),
            s2p_api_url=_text(config, "S2P_API_URL"),
            s2p_partner_id=None if config.get("S2P_PARTNER_ID") is None else str(config["S2P_PARTNER_ID"]),
            identity_dir=Path(config.get("IDENTITY_DIR") or instance / "identity"),
            data_dir=Path(config.get("DATA_DIR") or instance),
            otp=str(config.get("DEMO_OTP")),
            card_ids={str(k): str(v) for k, v in card_ids.items()},
            partner_prefix=str(config.get("PARTNER_PREFIX")),
            click_link_secret=secret.encode("utf-8") if isinstance(secret, str) else secret,
            http_timeout=timeout,
        )

    @property
    def partner_base_url(self) -> str:
        """The base URL Samsung (the sandbox) calls the partner endpoints on."""
        return self.public_url + self.partner_prefix

    def kind_of(self, card_id: str) -> str | None:
        """The card kind a Wallet card id belongs to."""
        return next((kind for kind, cid in self.card_ids.items() if cid == card_id), None)
