"""The keyring in ``linkkit.toml``, read again without a restart when one of its files changes.

::

    partner_id = "4123456789012345678"

    # The flat settings every command reads are the first entry of each ring:
    certificate_id = "YMtt"           # partner key in use now
    key = "partner.key"
    partner_cert = "partner.crt"
    samsung_cert = "samsung.crt"
    samsung_certificate_id = "SAMS"   # optional: the id Samsung's tokens carry

    [[partner_keys]]                  # the next partner key (linkkit keys rotate writes this entry)
    certificate_id = "Nx42"           # from the Partner Portal, with the certificate
    key = "partner-next.key"
    cert = "partner-next.crt"
    use_from = 2026-03-01T00:00:00Z   # when it starts signing

    [[samsung_certs]]                 # Samsung's next certificate, during a change-over
    certificate_id = "SAM2"
    cert = "samsung-2026.crt"
    use_from = 2026-04-01T00:00:00Z   # Card Data Tokens are encrypted to it from then on

    [[click_secrets]]                 # click-link secrets: the current one signs, all verify
    id = "2026"
    file = "click-2026.secret"        # 32+ random bytes; or env = "NAME" (base64url in a variable)

Paths are relative to the file. A ``[[partner_keys]]`` entry without ``certificate_id`` or ``cert`` is
*pending* (the CSR is at the Partner Portal): it is listed by ``linkkit keys check`` and not used.

**Reloading.** :class:`KeyringFile` looks at the modification time, size and inode of the TOML file
and of every file it names at most once every ``check_every`` seconds (5), from the request that
happens to ask; when one changed, that request reads the keyring again while the others keep the
one in use. A file check is used instead of SIGHUP on purpose: WSGI and ASGI servers own their
signals (gunicorn's master re-executes its workers on SIGHUP; granian, uvicorn and Django's runserver
have their own uses), a signal reaches only the main thread of one process, and a mounted Kubernetes
secret changes its files without any signal. The file check works in every worker of every server.
:meth:`KeyringFile.reload` reads at once, for applications that do want a signal handler.

A reload that fails (an unreadable key, a certificate that does not match its key, an expired
certificate) keeps the keyring in use and logs why: a bad edit never takes a running server down.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

from linkkit._b64 import b64url_decode
from linkkit._redact import get_logger
from linkkit.errors import ConfigError, KeyLoadError, LinkKitError
from linkkit.expiry import keyring_expiries, refuse_expired
from linkkit.keyring import ClickSecret, Keyring, PartnerKey, SamsungCertificate
from linkkit.keys import load_certificate, load_private_key

logger = get_logger("linkkit.keyring")

#: Seconds between two looks at the files' modification times.
CHECK_EVERY_S: Final = 5.0
#: The environment variable holding the password of encrypted partner keys (as for every command).
PASSWORD_ENV: Final = "LINKKIT_KEY_PASSWORD"  # noqa: S105 - the name of a variable, not a password


def parse_use_from(value: object, what: str) -> float | None:
    """``use_from`` as epoch seconds: a TOML offset date-time, a TOML date (midnight UTC), or the same
    as ISO 8601 text. A date-time without a time zone is refused: it would mean another moment on
    each server."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = (
                dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
                if "T" in value
                else dt.date.fromisoformat(value)
            )
        except ValueError as exc:
            raise ConfigError(f"{what}.use_from: an ISO 8601 date or date-time (got {value!r})") from exc
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ConfigError(f"{what}.use_from: give a time zone (2026-03-01T00:00:00Z)")
        return value.timestamp()
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC).timestamp()
    raise ConfigError(f"{what}.use_from: a date or a date-time with a time zone")


def _text(table: Mapping[str, Any], name: str, what: str, *, required: bool = True) -> str | None:
    value = table.get(name)
    if value is None or value == "":
        if required:
            raise ConfigError(f"{what}.{name}: required")
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{what}.{name}: must be text")
    return value


class _Reader:
    """Reads one TOML file's keyring, remembering every file it opened (the ones to watch)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.base = path.parent
        self.files: list[Path] = [path]
        self.pending: list[dict[str, Any]] = []

    def file(self, name: str) -> Path:
        found = self.base / name
        self.files.append(found)
        return found

    def password(self, table: Mapping[str, Any], what: str) -> str | None:
        env = _text(table, "password_env", what, required=False) or PASSWORD_ENV
        return os.environ.get(env)

    def partner_key(self, table: Mapping[str, Any], what: str, *, key: str, cert: str) -> PartnerKey | None:
        certificate_id = _text(table, "certificate_id", what, required=False)
        key_name = _text(table, key, what)
        cert_name = _text(table, cert, what, required=False)
        use_from = parse_use_from(table.get("use_from"), what)
        assert key_name is not None
        if certificate_id is None:
            # linkkit keys rotate made the key; the Partner Portal has not certified it yet
            self.pending.append({"what": what, "key": key_name, "csr": table.get("csr"), "use_from": use_from})
            return None
        private_key = load_private_key(self.file(key_name), password=self.password(table, what))
        certificate = load_certificate(self.file(cert_name)) if cert_name else None
        try:
            return PartnerKey(
                certificate_id=certificate_id,
                private_key=private_key,
                certificate=certificate,
                use_from=use_from,
                source=cert_name or key_name,
            )
        except KeyLoadError as exc:
            raise KeyLoadError(f"{what}: {exc.message}") from exc

    def samsung(self, table: Mapping[str, Any], what: str, *, cert: str, id_name: str) -> SamsungCertificate:
        cert_name = _text(table, cert, what)
        assert cert_name is not None
        return SamsungCertificate(
            certificate_id=_text(table, id_name, what, required=False),
            certificate=load_certificate(self.file(cert_name)),
            use_from=parse_use_from(table.get("use_from"), what),
            source=cert_name,
        )

    def secret(self, table: Mapping[str, Any], what: str) -> ClickSecret:
        secret_id = _text(table, "id", what)
        assert secret_id is not None
        name, env = _text(table, "file", what, required=False), _text(table, "env", what, required=False)
        if (name is None) == (env is None):
            raise ConfigError(f"{what}: give file or env (one of them)")
        if name is not None:
            try:
                data = self.file(name).read_bytes()
            except OSError as exc:
                raise ConfigError(f"{what}.file {self.base / name}: cannot read ({exc.strerror or exc})") from exc
            source = name
        else:
            assert env is not None
            raw = os.environ.get(env, "")
            try:
                data = b64url_decode(raw) if raw else b""
            except ValueError as exc:
                raise ConfigError(f"{what}.env {env}: not base64url (without padding)") from exc
            source = f"${env}"
        return ClickSecret(
            id=secret_id, secret=data, use_from=parse_use_from(table.get("use_from"), what), source=source
        )

    def tables(self, settings: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
        value = settings.get(name, [])
        if not isinstance(value, list) or any(not isinstance(v, dict) for v in value):
            raise ConfigError(f"{self.path}: {name} must be a list of tables ([[{name}]])")
        return value

    def keyring(self, settings: Mapping[str, Any]) -> Keyring:
        partner_id = _text(settings, "partner_id", str(self.path))
        assert partner_id is not None
        partner: list[PartnerKey] = []
        # The flat entries have no switch-over date: they are the ones in use first.
        top = {name: value for name, value in settings.items() if name != "use_from"}
        if settings.get("certificate_id") and settings.get("key"):
            flat = self.partner_key(top, "partner key", key="key", cert="partner_cert")
            partner += [flat] if flat is not None else []
        for i, table in enumerate(self.tables(settings, "partner_keys")):
            found = self.partner_key(table, f"partner_keys[{i}]", key="key", cert="cert")
            partner += [found] if found is not None else []
        samsung: list[SamsungCertificate] = []
        if settings.get("samsung_cert"):
            samsung.append(self.samsung(top, "samsung", cert="samsung_cert", id_name="samsung_certificate_id"))
        for i, table in enumerate(self.tables(settings, "samsung_certs")):
            samsung.append(self.samsung(table, f"samsung_certs[{i}]", cert="cert", id_name="certificate_id"))
        secrets = [self.secret(t, f"click_secrets[{i}]") for i, t in enumerate(self.tables(settings, "click_secrets"))]
        if not partner:
            raise ConfigError(f"{self.path}: no partner key (certificate_id and key, or [[partner_keys]])")
        if not samsung:
            raise ConfigError(f"{self.path}: no Samsung certificate (samsung_cert, or [[samsung_certs]])")
        key_alg = settings.get("key_alg", "RSA1_5")
        return Keyring(
            partner_id=partner_id,
            partner_keys=partner,
            samsung_certificates=samsung,
            click_secrets=secrets,
            key_alg=key_alg,
            source=str(self.path),
        )


def read_settings(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The TOML settings of ``path``, with a message naming the file when they cannot be read."""
    file = Path(path)
    try:
        return tomllib.loads(file.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read ({exc.strerror or exc})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: not valid TOML ({exc})") from exc


def load_keyring(path: str | os.PathLike[str]) -> Keyring:
    """The keyring of a ``linkkit.toml`` (see the module docstring)."""
    return _load(Path(path))[0]


def pending_keys(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The ``[[partner_keys]]`` entries of ``path`` that wait for their certificate (no id yet)."""
    return _load(Path(path))[2]


def _load(path: Path) -> tuple[Keyring, list[Path], list[dict[str, Any]]]:
    reader = _Reader(path)
    keyring = reader.keyring(read_settings(path))
    return keyring, reader.files, reader.pending


def _signature(files: list[Path]) -> tuple[tuple[str, int, int, int], ...]:
    out = []
    for file in files:
        try:
            st = file.stat()  # follows symlinks: a Kubernetes secret swaps its ..data link
            out.append((str(file), st.st_mtime_ns, st.st_size, st.st_ino))
        except OSError:
            out.append((str(file), -1, -1, -1))
    return tuple(out)


class KeyringFile:
    """The keyring of a ``linkkit.toml``, read again when the file or a file it names changes.

    :param path: the settings file.
    :param check_every: seconds between two looks at the files (5).
    :param allow_expired: accept expired certificates (tests only); otherwise loading one raises
        :class:`~linkkit.errors.CertificateExpiredError`, and a reload that brings one is refused.
    :param clock: epoch seconds (the expiry check); ``monotonic`` paces the file checks.
    :raises linkkit.errors.LinkKitError: the first read fails (a later failing reload only logs).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        check_every: float = CHECK_EVERY_S,
        allow_expired: bool = False,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path)
        self._check_every = check_every
        self._allow_expired = allow_expired
        self._clock = clock
        self._monotonic = monotonic
        self._lock = threading.Lock()
        keyring, files = self._read()
        self._keyring = keyring
        self._files = files
        self._seen = _signature(files)
        self._next_check = monotonic() + check_every
        #: How many times the keyring was read again after the first time.
        self.reloads = 0

    def __repr__(self) -> str:
        return f"KeyringFile({str(self.path)!r}, reloads={self.reloads})"

    def _read(self) -> tuple[Keyring, list[Path]]:
        keyring, files, _pending = _load(self.path)
        refuse_expired(keyring_expiries(keyring, now=self._clock()), allow_expired=self._allow_expired, logger=logger)
        return keyring, files

    def current(self) -> Keyring:
        """The keyring in use; looks at the files when ``check_every`` has passed (see the module docstring)."""
        if self._monotonic() >= self._next_check and self._lock.acquire(blocking=False):
            try:
                self._next_check = self._monotonic() + self._check_every
                seen = _signature(self._files)
                if seen != self._seen:
                    self._reload_locked(seen)
            finally:
                self._lock.release()
        return self._keyring

    def reload(self) -> bool:
        """Read the keyring now (a SIGHUP handler may call this); ``False`` when the read failed and the
        keyring in use was kept."""
        with self._lock:
            return self._reload_locked(_signature(self._files))

    def _reload_locked(self, seen: tuple[tuple[str, int, int, int], ...]) -> bool:
        self._seen = seen  # a failed read is not retried until the files change again
        try:
            keyring, files = self._read()
        except (LinkKitError, OSError) as exc:
            logger.error("keyring %s: not reloaded, the keyring in use is kept: %s", self.path, exc)
            return False
        self._keyring, self._files = keyring, files
        self._seen = _signature(files)
        self.reloads += 1
        ids = ", ".join(k.certificate_id for k in keyring.partner_keys)
        samsung = ", ".join(c.certificate_id or "(any)" for c in keyring.samsung_certificates)
        logger.info("keyring %s reloaded: partner keys %s; Samsung certificates %s", self.path, ids, samsung)
        return True
