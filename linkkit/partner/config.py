"""Configuration of the partner endpoints: who we are, which cards we serve, how strict to be."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from cryptography.hazmat.primitives.asymmetric import rsa

from linkkit._redact import get_logger
from linkkit._urls import URLAllowList
from linkkit.atw.links import is_valid_card_id
from linkkit.atw.signature import SIGNED_ATW_LINK_MAX_AGE_S
from linkkit.atw.tokens import AUTH_TOKEN_WINDOW_S, DEFAULT_CLOCK_SKEW_S, TokenSigner
from linkkit.config import Endpoints
from linkkit.errors import ConfigError
from linkkit.keyring import Keyring, KeyringSource, PartnerKey, SamsungCertificate
from linkkit.partner.callbacks import default_callback_allow_list

logger = get_logger("linkkit.partner")

# The unset-certificateId warning is said once per process: a server builds its config once, tests
# build hundreds, and the setting is the same advice every time.
_warned_unset_certificate_id: list[bool] = []


def warn_if_samsung_certificate_id_unset(config: PartnerConfig) -> None:
    """Log, once per process, that ``config`` accepts Samsung's tokens with any certificateId. The
    partner server calls it when it starts, after ``LINKKIT_LOG_FORMAT`` has set up the log format, so
    that the warning is a JSON line like every other."""
    if config.signer is not None and config.samsung_certificate_id is None and not _warned_unset_certificate_id:
        _warned_unset_certificate_id.append(True)
        logger.warning(
            "samsung_certificate_id is not set: Samsung's tokens are accepted with any certificateId in their "
            "header; set it to the certificateId of Samsung's certificate so that any other is refused"
        )


#: How Get Card Data answers: ``{"cdata": <Card Data Token>}`` (recommended for sensitive data,
#: https://developer.samsung.com/wallet/api/server-interaction.html) or the plain ``{"card": {...}}``.
CardDataFormat = Literal["cdata", "card"]


@dataclass(frozen=True, kw_only=True)
class PartnerConfig:
    """Everything the partner endpoints need to know.

    Keys come one of two ways: a ``keyring`` (every partner key, Samsung certificate and click-link
    secret in use, several at once during a change-over: :mod:`linkkit.keyring`;
    ``KeyringFile("linkkit.toml")`` reads it and reloads it without a restart), or one ``signer`` and
    one Samsung key, which is a keyring of one of each.

    :param signer: the partner's :class:`~linkkit.atw.tokens.TokenSigner` (partner key, Samsung
        certificate key); ``partnerId`` and ``certificateId`` come from it. Not with ``keyring``.
    :param keyring: a :class:`~linkkit.keyring.Keyring` or :class:`~linkkit.keyring_file.KeyringFile`.
    :param card_ids: the Wallet card ids (Partner Portal) these endpoints answer for; any other
        ``cardId`` in a path is answered 404.
    :param samsung_public_key: verifies the AUTH tokens and signedAtwLinks Samsung sends;
        defaults to the signer's Samsung certificate key.
    :param samsung_certificate_id: when set, Samsung's tokens must carry this ``certificateId``.
    :param card_data_format: ``"cdata"`` (default) or ``"card"`` for Get Card Data answers.
    :param auth_window: seconds an inbound AUTH token's ``utc`` may differ from now (60).
    :param clock_skew: extra seconds allowed for clocks that disagree (5).
    :param signed_link_max_age: a signedAtwLink older than this is refused (300: five minutes).
    :param action_session_ttl: seconds between CHECK_ELIGIBILITY and the USER_AUTH that must follow.
    :param validate_cards: check every card the merchant hands out against the card-type table
        and answer 500 (logged) instead of sending Samsung a card it would refuse.
    :param endpoints: where Add to Wallet links point (click-time links mint them).
    :param callback_allow_list: where a Send Card State ``callback`` may point (checked when it is
        received and again by :class:`~linkkit.partner.WalletNotifier`); default: ``https`` hosts
        ``*.walletsvc.samsung.com`` plus the server API of ``endpoints`` (a local sandbox's origin).
    :param allow_expired: start even with an expired certificate in the keyring (tests only).
    :param clock: returns epoch seconds.
    """

    signer: TokenSigner | None = None
    card_ids: frozenset[str] | Iterable[str]
    keyring: KeyringSource | None = field(default=None, repr=False)
    samsung_public_key: rsa.RSAPublicKey | None = field(default=None, repr=False)
    samsung_certificate_id: str | None = None
    card_data_format: CardDataFormat = "cdata"
    auth_window: float = AUTH_TOKEN_WINDOW_S
    clock_skew: float = DEFAULT_CLOCK_SKEW_S
    signed_link_max_age: float = SIGNED_ATW_LINK_MAX_AGE_S
    action_session_ttl: float = 600.0
    validate_cards: bool = True
    endpoints: Endpoints = field(default_factory=Endpoints)
    callback_allow_list: URLAllowList | None = None
    allow_expired: bool = False
    clock: Callable[[], float] = field(default=time.time, repr=False)
    _keys: KeyringSource = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if (self.signer is None) == (self.keyring is None):
            raise ConfigError("give signer (one partner key) or keyring (several), not both")
        if self.keyring is not None:
            self._keyring_post_init(self.keyring)
        else:
            self._signer_post_init()
        if isinstance(self.card_ids, str):
            raise TypeError("card_ids must be a collection of card ids, not one string")
        ids = frozenset(self.card_ids)
        if not ids:
            raise ConfigError("card_ids: give at least one Wallet card id")
        bad = sorted(i for i in ids if not is_valid_card_id(i))
        if bad:
            raise ConfigError(f"card_ids: {bad[0]!r} is not a card id (1-32 letters, digits, '-' or '_')")
        object.__setattr__(self, "card_ids", ids)
        if self.card_data_format not in ("cdata", "card"):
            raise ConfigError(f"card_data_format: must be 'cdata' or 'card' (got {self.card_data_format!r})")
        for name in ("auth_window", "clock_skew", "signed_link_max_age", "action_session_ttl"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name}: must not be negative")
        if self.callback_allow_list is None:
            object.__setattr__(self, "callback_allow_list", default_callback_allow_list(self.endpoints))
        elif not isinstance(self.callback_allow_list, URLAllowList):
            raise TypeError("callback_allow_list must be a linkkit._urls.URLAllowList")

    def _signer_post_init(self) -> None:
        signer = self.signer
        if not isinstance(signer, TokenSigner):
            raise TypeError("signer must be a linkkit.atw.tokens.TokenSigner")
        key = self.samsung_public_key or signer.samsung_public_key
        if key is None:
            raise ConfigError("samsung_public_key: required (or give the signer a samsung_public_key)")
        if not isinstance(key, rsa.RSAPublicKey):
            raise TypeError("samsung_public_key must be an RSA public key object")
        object.__setattr__(self, "samsung_public_key", key)
        if self.card_data_format == "cdata" and signer.samsung_public_key is None:
            raise ConfigError("card_data_format 'cdata' needs a signer with samsung_public_key")
        keyring = Keyring(
            partner_id=signer.partner_id,
            partner_keys=[PartnerKey(certificate_id=signer.certificate_id, private_key=signer.private_key)],
            samsung_certificates=[SamsungCertificate(certificate_id=self.samsung_certificate_id, public_key=key)],
            key_alg=signer.key_alg,
        )
        object.__setattr__(self, "_keys", keyring)

    def _keyring_post_init(self, keyring: KeyringSource) -> None:
        if not callable(getattr(keyring, "current", None)):
            raise TypeError("keyring must be a linkkit.keyring.Keyring or a linkkit.keyring_file.KeyringFile")
        if self.samsung_public_key is not None or self.samsung_certificate_id is not None:
            raise ConfigError("samsung_public_key, samsung_certificate_id: with a keyring, list samsung_certificates")
        object.__setattr__(self, "_keys", keyring)

    @property
    def callbacks(self) -> URLAllowList:
        """The callback allow-list in force (``callback_allow_list``, or the default it was given)."""
        assert self.callback_allow_list is not None  # set in __post_init__
        return self.callback_allow_list

    @property
    def keys(self) -> KeyringSource:
        """Where the keys come from (a keyring of one key and one certificate when ``signer`` was given)."""
        return self._keys

    def current_signer(self) -> TokenSigner:
        """The signer of outbound tokens now: the given ``signer``, or the keyring's current partner key
        encrypting to its current Samsung certificate."""
        if self.signer is not None:
            return self.signer
        return self._keys.current().signer(self.clock(), clock=self.clock)

    @property
    def partner_id(self) -> str:
        return self._keys.current().partner_id

    @property
    def certificate_id(self) -> str:
        """The certificateId of the partner key that signs now."""
        return self.current_signer().certificate_id

    @property
    def certificate_ids(self) -> tuple[str, ...]:
        """Every partner certificateId of the keyring: links made under any of them are ours."""
        return self._keys.current().partner_certificate_ids()

    @property
    def verify_key(self) -> rsa.RSAPublicKey:
        """The key of the first Samsung certificate (the only one without a keyring)."""
        return self._keys.current().samsung_certificates[0].key
