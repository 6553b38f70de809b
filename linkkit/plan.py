"""The link planner: which link kind suits a channel, and how long, dense and SMS-friendly it is.

The rules (linkkit's choice; Samsung only documents the 30 s token life and cdata String(2048)):

* a Data Transmit link carries a token that dies 30 s after it is made, so it is for a button on a
  web page or in an app, minted when the user clicks; never for email, SMS, QR or print;
* a Data Fetch link carries only an unguessable refId: short, static, fit for every channel;
* Samsung documents cdata as String(2048)
  (https://developer.samsung.com/wallet/AddCardsToSamsungWallet/AddCardLinks.html); a longer token is a
  warning sign.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Final, Literal, get_args

from linkkit.atw.links import ATW_BASE_URL, CDATA_DOCUMENTED_LIMIT, AtwLink, link_url, new_ref_id, parse_link
from linkkit.atw.tokens import TOKEN_VERSION, KeyAlgorithm, dumps_compact
from linkkit.errors import ChannelError, FieldError
from linkkit.qr_capacity import QR_COMFORTABLE_MAX_VERSION, ErrorLevel, qr_modules, smallest_qr_version

Channel = Literal["web", "app", "email", "sms", "qr", "print"]
CHANNELS: Final[tuple[str, ...]] = get_args(Channel)
#: Channels where a link outlives the 30-second token: Data Transmit is refused there.
STATIC_CHANNELS: Final = frozenset({"email", "sms", "qr", "print"})
#: One SMS segment in GSM-7 (every character of our URLs is in the GSM-7 basic set).
SMS_SINGLE_SEGMENT: Final = 160
SMS_CONCAT_SEGMENT: Final = 153

Recommendation = Literal["transmit", "fetch"]


def _b64_len(n: int) -> int:
    return (4 * n + 2) // 3


def card_data_token_length(
    plaintext_bytes: int,
    *,
    partner_id: str,
    certificate_id: str,
    key_bits: int = 2048,
    key_alg: KeyAlgorithm = "RSA1_5",
) -> int:
    """The exact length of a Card Data Token over ``plaintext_bytes`` of card JSON.

    Every part has a fixed size but the ciphertext (GCM does not pad), so no token is needed.
    """
    key_bytes = key_bits // 8
    jwe_header = dumps_compact({"alg": key_alg, "enc": "A128GCM"})
    jwe = _b64_len(len(jwe_header)) + _b64_len(key_bytes) + _b64_len(12) + _b64_len(plaintext_bytes) + _b64_len(16) + 4
    jws_header = dumps_compact(
        {
            "cty": "CARD",
            "ver": TOKEN_VERSION,
            "partnerId": partner_id,
            "certificateId": certificate_id,
            "utc": 10**12,
            "alg": "RS256",
        }  # any 13-digit utc has the same length
    )
    return _b64_len(len(jws_header)) + 1 + _b64_len(jwe) + 1 + _b64_len(key_bytes)


@dataclass(frozen=True, slots=True)
class QrFit:
    """How a URL fits a QR code at one error-correction level."""

    level: str
    version: int | None
    modules: int | None
    comfortable: bool


def qr_fit(url: str, level: ErrorLevel = "M") -> QrFit:
    """The QR version a URL needs at ``level`` (``version`` None: it does not fit at all)."""
    version = smallest_qr_version(len(url.encode("utf-8")), level)
    if version is None:
        return QrFit(level, None, None, False)
    return QrFit(level, version, qr_modules(version), version <= QR_COMFORTABLE_MAX_VERSION)


def sms_segments(url: str) -> int:
    n = len(url)
    return 1 if n <= SMS_SINGLE_SEGMENT else -(-n // SMS_CONCAT_SEGMENT)


@dataclass(frozen=True, slots=True)
class LinkPlan:
    """What the planner found; ``to_dict()`` gives the ``--json`` form."""

    channel: str
    recommended: Recommendation
    reason: str
    fetch_url_length: int
    transmit_url_length: int | None
    cdata_length: int | None
    cdata_over_documented_limit: bool
    qr: QrFit
    sms_segments: int
    warnings: tuple[str, ...] = field(default=())

    @property
    def fits_sms(self) -> bool:
        return self.sms_segments == 1

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["fits_sms"] = self.fits_sms
        out["warnings"] = list(self.warnings)
        return out


def _check_channel_name(channel: str) -> None:
    if channel not in CHANNELS:
        raise ChannelError(FieldError("channel", f"must be one of {', '.join(CHANNELS)} (got {channel!r})"))


def plan_card(
    card: Mapping[str, Any] | bytes,
    *,
    channel: str,
    card_id: str = "0" * 19,
    certificate_id: str = "XXXX",
    partner_id: str = "0" * 19,
    key_bits: int = 2048,
    key_alg: KeyAlgorithm = "RSA1_5",
    base: str = ATW_BASE_URL,
    qr_level: ErrorLevel = "M",
) -> LinkPlan:
    """Plan the link for ``card`` on ``channel``: lengths of both kinds, QR fit, SMS, recommendation.

    The ids default to typical lengths (19-digit ids, a 4-character certificate id) when unknown.
    """
    _check_channel_name(channel)
    plaintext = card if isinstance(card, bytes) else dumps_compact(card)
    cdata_len = card_data_token_length(
        len(plaintext), partner_id=partner_id, certificate_id=certificate_id, key_bits=key_bits, key_alg=key_alg
    )
    transmit_len = len(link_url(base, 3, None, card_id, "cdata", "")) + cdata_len
    fetch_url = link_url(base, 3, certificate_id, card_id, "pdata", new_ref_id())
    over = cdata_len > CDATA_DOCUMENTED_LIMIT
    warnings: list[str] = []
    if over:
        warnings.append(
            f"cdata would be {cdata_len} characters, over the documented String({CDATA_DOCUMENTED_LIMIT}); "
            "trim the card or use a Data Fetch link"
        )
    if channel in STATIC_CHANNELS:
        recommended: Recommendation = "fetch"
        reason = (
            f"{channel} outlives the 30-second Card Data Token: use a Data Fetch link (static, refId only) "
            "or a click-time partner link that mints a fresh Data Transmit link when opened"
        )
    elif over:
        recommended = "fetch"
        reason = "the token would exceed the documented cdata limit; a Data Fetch link keeps the card on your server"
    else:
        recommended = "transmit"
        reason = "a button on a page can mint a fresh Data Transmit link when the user clicks (valid 30 s)"
    url_len = len(fetch_url) if recommended == "fetch" else transmit_len
    fit = qr_fit("x" * url_len, qr_level)
    if channel in ("qr", "print") and not fit.comfortable:
        warnings.append(f"the QR code would be version {fit.version}: too dense to scan comfortably")
    return LinkPlan(
        channel=channel,
        recommended=recommended,
        reason=reason,
        fetch_url_length=len(fetch_url),
        transmit_url_length=transmit_len,
        cdata_length=cdata_len,
        cdata_over_documented_limit=over,
        qr=fit,
        sms_segments=sms_segments("x" * url_len),
        warnings=tuple(warnings),
    )


def check_link_for_channel(link: str | AtwLink, channel: str) -> AtwLink:
    """Refuse a Data Transmit link on a static channel (email, SMS, QR, print), explaining why.

    :raises ChannelError: with the reason and what to use instead.
    """
    _check_channel_name(channel)
    parsed = parse_link(link) if isinstance(link, str) else link
    if parsed.kind == "transmit" and channel in STATIC_CHANNELS:
        raise ChannelError(
            FieldError(
                "link",
                f"a Data Transmit link cannot go in {channel}: its token expires 30 s after it is made. "
                "Use a Data Fetch link, or a click-time partner link that mints a fresh one when opened",
            )
        )
    return parsed
