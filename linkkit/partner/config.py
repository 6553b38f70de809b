"""Configuration of the partner endpoints: who we are, which cards we serve, how strict to be."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from cryptography.hazmat.primitives.asymmetric import rsa

from linkkit.atw_signature import SIGNED_ATW_LINK_MAX_AGE_S
from linkkit.config import Endpoints
from linkkit.errors import ConfigError
from linkkit.links import is_valid_card_id
from linkkit.tokens import AUTH_TOKEN_WINDOW_S, DEFAULT_CLOCK_SKEW_S, TokenSigner

#: How Get Card Data answers: ``{"cdata": <Card Data Token>}`` (recommended for sensitive data,
#: research §5.4) or the plain ``{"card": {...}}``.
CardDataFormat = Literal["cdata", "card"]


@dataclass(frozen=True, kw_only=True)
class PartnerConfig:
    """Everything the partner endpoints need to know.

    :param signer: the partner's :class:`~linkkit.tokens.TokenSigner` (partner key, Samsung
        certificate key); ``partnerId`` and ``certificateId`` come from it.
    :param card_ids: the Wallet card ids (Partner Portal) these endpoints answer for; any other
        ``cardId`` in a path is answered 404.
    :param samsung_public_key: verifies the AUTH tokens and signedAtwLinks Samsung sends (SPEC.md
        §3.3, §3.4); defaults to the signer's Samsung certificate key.
    :param samsung_certificate_id: when set, Samsung's tokens must carry this ``certificateId``.
    :param card_data_format: ``"cdata"`` (default) or ``"card"`` for Get Card Data answers.
    :param auth_window: seconds an inbound AUTH token's ``utc`` may differ from now (60).
    :param clock_skew: extra seconds allowed for clocks that disagree (5).
    :param signed_link_max_age: a signedAtwLink older than this is refused (300, SPEC.md §3.3).
    :param action_session_ttl: seconds between CHECK_ELIGIBILITY and the USER_AUTH that must follow.
    :param validate_cards: check every card the merchant hands out against the card-type table
        and answer 500 (logged) instead of sending Samsung a card it would refuse.
    :param endpoints: where Add to Wallet links point (click-time links mint them).
    :param clock: returns epoch seconds.
    """

    signer: TokenSigner
    card_ids: frozenset[str] | Iterable[str]
    samsung_public_key: rsa.RSAPublicKey | None = field(default=None, repr=False)
    samsung_certificate_id: str | None = None
    card_data_format: CardDataFormat = "cdata"
    auth_window: float = AUTH_TOKEN_WINDOW_S
    clock_skew: float = DEFAULT_CLOCK_SKEW_S
    signed_link_max_age: float = SIGNED_ATW_LINK_MAX_AGE_S
    action_session_ttl: float = 600.0
    validate_cards: bool = True
    endpoints: Endpoints = field(default_factory=Endpoints)
    clock: Callable[[], float] = field(default=time.time, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.signer, TokenSigner):
            raise TypeError("signer must be a linkkit.tokens.TokenSigner")
        if isinstance(self.card_ids, str):
            raise TypeError("card_ids must be a collection of card ids, not one string")
        ids = frozenset(self.card_ids)
        if not ids:
            raise ConfigError("card_ids: give at least one Wallet card id")
        bad = sorted(i for i in ids if not is_valid_card_id(i))
        if bad:
            raise ConfigError(f"card_ids: {bad[0]!r} is not a card id (1-32 letters, digits, '-' or '_')")
        object.__setattr__(self, "card_ids", ids)
        key = self.samsung_public_key or self.signer.samsung_public_key
        if key is None:
            raise ConfigError("samsung_public_key: required (or give the signer a samsung_public_key)")
        if not isinstance(key, rsa.RSAPublicKey):
            raise TypeError("samsung_public_key must be an RSA public key object")
        object.__setattr__(self, "samsung_public_key", key)
        if self.card_data_format not in ("cdata", "card"):
            raise ConfigError(f"card_data_format: must be 'cdata' or 'card' (got {self.card_data_format!r})")
        if self.card_data_format == "cdata" and self.signer.samsung_public_key is None:
            raise ConfigError("card_data_format 'cdata' needs a signer with samsung_public_key")
        for name in ("auth_window", "clock_skew", "signed_link_max_age", "action_session_ttl"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name}: must not be negative")

    @property
    def partner_id(self) -> str:
        return self.signer.partner_id

    @property
    def certificate_id(self) -> str:
        return self.signer.certificate_id

    @property
    def verify_key(self) -> rsa.RSAPublicKey:
        """The Samsung key inbound tokens are verified with."""
        assert isinstance(self.samsung_public_key, rsa.RSAPublicKey)  # set in __post_init__
        return self.samsung_public_key
