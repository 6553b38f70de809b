"""What a campaign run is asked to make, and the state that lets a run resume where it stopped."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

from linkkit.atw.links import ATW_BASE_URL, fetch_link, ref_id_from_bytes
from linkkit.campaign.batch import file_digest, job_state
from linkkit.errors import ConfigError
from linkkit.plan import STATIC_CHANNELS

QrFormat = Literal["svg", "png"]
STATE_FILE: Final = "campaign.json"


@dataclass(frozen=True, kw_only=True)
class CampaignSpec:
    """Everything a run needs; plain values only, so worker processes receive it as is.

    :param recipients: a ``.csv`` (with a header) or ``.jsonl`` file.
    :param template: path of the card template JSON (see :mod:`linkkit.campaign.template`).
    :param out_dir: where the manifest, errors, QR codes and snippets go.
    :param channel: where the links go; Data Transmit links are never made (their token lives 30 seconds).
    :param tags: UTM or channel tags copied into the manifest (``utm_source=newsletter``).
    :param key_column: the column that identifies a recipient (duplicates are refused); None
        picks ``recipient_id``, ``email`` or ``id`` when the file has one.
    :param expires_at_ms: when the offer ends, recorded per link (epoch ms).
    :param max_uses: use limit recorded per link (enforced by click-time links).
    :param strict: fail a row on card warnings too (by default they are counted, listed in
        warnings.csv, and the link is made).
    """

    recipients: str
    template: str
    out_dir: str
    card_id: str
    certificate_id: str
    atw_base_url: str = ATW_BASE_URL
    channel: str = "email"
    tags: Mapping[str, str] = field(default_factory=dict)
    key_column: str | None = None
    qr_formats: tuple[QrFormat, ...] = ("svg",)
    qr_level: Literal["L", "M", "Q", "H"] = "M"
    snippets: bool = True
    locale: str = "en-US"
    asset_base_url: str = "https://example.com/_linkkit/web"
    expires_at_ms: int | None = None
    max_uses: int | None = None
    strict: bool = False
    workers: int = 1
    chunk_size: int = 500

    def __post_init__(self) -> None:
        if self.channel not in STATIC_CHANNELS and self.channel not in ("web", "app"):
            raise ConfigError(f"channel: must be one of email, sms, qr, print, web, app (got {self.channel!r})")
        # Checks the ids and the base once, with the same rules every link will meet.
        fetch_link(self.certificate_id, self.card_id, "probe", base=self.atw_base_url)
        if not 1 <= self.workers <= 64:
            raise ConfigError(f"workers: must be 1..64 (got {self.workers})")
        if not 1 <= self.chunk_size <= 100_000:
            raise ConfigError(f"chunk_size: must be 1..100000 (got {self.chunk_size})")
        for fmt in self.qr_formats:
            if fmt not in ("svg", "png"):
                raise ConfigError(f"qr_formats: svg or png (got {fmt!r})")
        for name in self.tags:
            if not name.replace("_", "").isalnum():
                raise ConfigError(f"tags: tag names are letters, digits and '_' (got {name!r})")
        if self.max_uses is not None and self.max_uses < 1:
            raise ConfigError("max_uses: must be at least 1")

    def fingerprint(self) -> str:
        """Identifies the output this spec produces: a resume must not mix two campaigns."""
        relevant = {k: v for k, v in asdict(self).items() if k not in ("workers", "out_dir")}
        relevant["tags"] = dict(self.tags)
        for name in ("recipients", "template"):
            relevant[f"{name}_sha256"] = file_digest(getattr(self, name))
        return hashlib.sha256(json.dumps(relevant, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class CampaignState:
    """Saved in ``campaign.json`` (mode 0600) on the first run, read back by every resume.

    ``secret`` keys the refIds: a refId is HMAC-SHA256(secret, recipient), so a resumed run makes
    exactly the ids an uninterrupted one would, and nobody without the secret can guess them.
    """

    campaign_id: str
    secret: str
    created_ms: int
    fingerprint: str

    def ref_id(self, recipient: str) -> str:
        """192 bits of HMAC, base64url: 32 characters, like :func:`linkkit.atw.links.new_ref_id`."""
        mac = hmac.new(bytes.fromhex(self.secret), f"{self.campaign_id}\x00{recipient}".encode(), hashlib.sha256)
        return ref_id_from_bytes(mac.digest()[:24])


def load_or_create_state(spec: CampaignSpec, *, restart: bool = False) -> tuple[CampaignState, bool]:
    """The state of ``spec.out_dir`` and whether it is a resume; refuses another campaign's folder."""
    path = Path(spec.out_dir) / STATE_FILE

    def new() -> dict[str, Any]:
        return {
            "campaign_id": secrets.token_hex(8),
            "secret": secrets.token_hex(32),
            "created_ms": int(time.time() * 1000),
        }

    data, resumed = job_state(path, fingerprint=spec.fingerprint(), new=new, restart=restart, what="campaign")
    try:
        state = CampaignState(
            str(data["campaign_id"]), str(data["secret"]), int(data["created_ms"]), data["fingerprint"]
        )
        bytes.fromhex(state.secret)
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: unreadable campaign state ({exc}); use --restart") from exc
    return state, resumed
