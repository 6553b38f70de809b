"""The demo's local identity set: every key and certificate, made once in the instance folder.

:func:`linkkit.identity.generate_identity` writes them (two CAs, the Samsung and partner keys, and
the TLS certificates of both mutual-TLS directions); later starts reuse them.
"""

from __future__ import annotations

import os
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from linkkit.errors import ConfigError
from linkkit.identity import IDENTITY_FILES, generate_identity

_LOCK: Final = threading.Lock()


@dataclass(frozen=True, slots=True)
class IdentityInfo:
    """Where the identity is, and its Partner Portal ids (from its ``linkkit.toml``)."""

    folder: Path
    partner_id: str
    certificate_id: str
    #: Save to Pay's Partner-Id (a UUID), None in identity sets made before linkkit wrote it.
    s2p_partner_id: str | None

    def path(self, name: str) -> Path:
        return self.folder / name


def ensure_identity(folder: str | os.PathLike[str]) -> IdentityInfo:
    """Use the identity in ``folder``, generating it when the folder has none.

    :raises ConfigError: the folder holds only part of an identity (delete it to start afresh).
    """
    path = Path(folder)
    with _LOCK:
        present = [name for name in IDENTITY_FILES if (path / name).is_file()]
        if not present:
            generate_identity(path)
        elif len(present) != len(IDENTITY_FILES):
            missing = sorted(set(IDENTITY_FILES) - set(present))
            raise ConfigError(
                f"{path}: incomplete identity ({', '.join(missing[:3])} missing); "
                "delete the folder and start again to make a new one"
            )
    try:
        settings = tomllib.loads((path / "linkkit.toml").read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path / 'linkkit.toml'}: unreadable ({exc})") from exc
    partner_id, certificate_id = settings.get("partner_id"), settings.get("certificate_id")
    if not isinstance(partner_id, str) or not isinstance(certificate_id, str):
        raise ConfigError(f"{path / 'linkkit.toml'}: partner_id and certificate_id are required")
    s2p_partner_id = settings.get("s2p_partner_id")
    return IdentityInfo(
        folder=path,
        partner_id=partner_id,
        certificate_id=certificate_id,
        s2p_partner_id=s2p_partner_id if isinstance(s2p_partner_id, str) else None,
    )
