"""Rotate the partner key: the next key and its CSR now, its certificate when the Partner Portal gives it.

:func:`prepare` makes a new RSA-2048 key (``{name}.key``, 0600) and a CSR (``{name}.csr``) with the subject of
the current partner certificate, and appends a *pending* ``[[partner_keys]]`` entry to ``linkkit.toml``
with the switch-over date (``use_from``). The CSR goes to the Partner Portal, which returns a certificate
and its ``certificateId``; :func:`complete` checks that the certificate carries the new key and writes both
into the entry. From ``use_from`` on the new key signs; until then the current one does, and Samsung
verifies each token by the certificate it names, so there is no moment when either side refuses.

``linkkit.toml`` is rewritten whole through a temporary file (never half written); the entry this module
appends is delimited by comments naming the key, which is how :func:`complete` finds it again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from linkkit._atomic import atomic_write
from linkkit.errors import ConfigError, KeyLoadError
from linkkit.identity import key_pem, make_csr, new_rsa_key
from linkkit.keyring import CERTIFICATE_ID
from linkkit.keyring_file import load_keyring, read_settings
from linkkit.keys import check_key_matches_certificate, load_certificate, load_private_key

#: Days between the rotation and the switch-over when no date is given: time for the Partner Portal.
DEFAULT_LEAD_DAYS: Final = 14
_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


_MARKER: Final = "# linkkit keys rotate: "


def _begin(name: str) -> str:
    return f"{_MARKER}{name} (begin)"


def _end(name: str) -> str:
    return f"{_MARKER}{name} (end)"


@dataclass(frozen=True, slots=True)
class Rotation:
    """What :func:`prepare` wrote."""

    key: Path
    csr: Path
    config: Path
    use_from: dt.datetime


def _check_name(name: str) -> None:
    if not _NAME.fullmatch(name):
        raise ConfigError(f"name: letters, digits, '.', '_' or '-' (got {name!r})")


def prepare(
    config: str | os.PathLike[str],
    *,
    name: str = "partner-next",
    use_from: dt.datetime | None = None,
    force: bool = False,
) -> Rotation:
    """Make the next partner key and its CSR beside ``config``, and a pending entry in it.

    :param use_from: when the new key starts signing (aware; default: midnight UTC, 14 days from now).
    :param force: overwrite an existing ``{name}.key`` / ``{name}.csr``.
    :raises linkkit.errors.ConfigError: the settings cannot be read, the files exist, or ``name`` is
        already in the file.
    """
    _check_name(name)
    path = Path(config)
    keyring = load_keyring(path)  # the current ring must be sound before a new key joins it
    text = path.read_text("utf-8")
    if _begin(name) in text:
        raise ConfigError(f"{path}: a rotation named {name!r} is already there (finish it, or pick another --name)")
    if use_from is None:
        today = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        use_from = today + dt.timedelta(days=DEFAULT_LEAD_DAYS)
    if use_from.tzinfo is None:
        raise ConfigError("use_from: give a time zone (2026-03-01T00:00:00Z)")
    key_path, csr_path = path.parent / f"{name}.key", path.parent / f"{name}.csr"
    existing = [p.name for p in (key_path, csr_path) if p.exists()]
    if existing and not force:
        raise ConfigError(f"{path.parent}: would overwrite {', '.join(existing)} (use --force)")
    current = keyring.partner_key(use_from.timestamp() - 1)
    subject = current.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME) if current.certificate else []
    common_name = str(subject[0].value) if subject else f"partner {keyring.partner_id}"
    key = new_rsa_key()
    csr = make_csr(key, common_name)
    atomic_write(key_path, key_pem(key), permissions=0o600)
    atomic_write(csr_path, csr.public_bytes(serialization.Encoding.PEM))
    stamp = use_from.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    block = "\n".join(
        [
            "",
            _begin(name),
            f"# Made {dt.datetime.now(dt.UTC):%Y-%m-%d}. Upload {csr_path.name} to the Partner Portal; then run",
            f"# linkkit keys rotate --name {name} --certificate-id ID --cert FILE with what it returns.",
            "[[partner_keys]]",
            f'key = "{key_path.name}"',
            f'csr = "{csr_path.name}"',
            f"use_from = {stamp}",
            _end(name),
            "",
        ]
    )
    atomic_write(path, (text.rstrip("\n") + "\n" + block).encode("utf-8"))
    return Rotation(key_path, csr_path, path, use_from)


def complete(
    config: str | os.PathLike[str], *, name: str, certificate_id: str, certificate: str | os.PathLike[str]
) -> Path:
    """Put the Partner Portal's answer into the pending entry ``name``: its ``certificateId`` and the
    certificate file (copied beside ``config`` as ``{name}.crt`` when it lives elsewhere).

    :raises linkkit.errors.KeyLoadError: the certificate does not carry the pending key.
    :raises linkkit.errors.ConfigError: no pending entry ``name``, or a malformed certificate id.
    """
    _check_name(name)
    if not CERTIFICATE_ID.fullmatch(certificate_id):
        raise ConfigError("certificate_id: 1-64 letters and digits, as the Partner Portal gives it")
    path = Path(config)
    text = path.read_text("utf-8")
    begin, end = text.find(_begin(name)), text.find(_end(name))
    if begin < 0 or end < begin:
        raise ConfigError(f"{path}: no rotation named {name!r} (linkkit keys rotate --name {name} makes one)")
    block = text[begin:end]
    if "\ncertificate_id = " in block:
        raise ConfigError(f"{path}: the rotation {name!r} is complete already")
    key_path = path.parent / f"{name}.key"
    cert = load_certificate(certificate)
    check_key_matches_certificate(load_private_key(key_path, password=os.environ.get("LINKKIT_KEY_PASSWORD")), cert)
    if cert.not_valid_after_utc <= dt.datetime.now(dt.UTC):
        raise KeyLoadError(f"{certificate}: this certificate has expired")
    target = path.parent / f"{name}.crt"
    source = Path(certificate)
    if source.resolve() != target.resolve():
        atomic_write(target, source.read_bytes())
    filled = block.replace(
        f'key = "{key_path.name}"',
        f'certificate_id = "{certificate_id}"\nkey = "{key_path.name}"\ncert = "{target.name}"',
    )
    new_text = (text[:begin] + filled + text[end:]).encode("utf-8")
    # The new file must read as a keyring (no duplicate id ...) before it replaces the one in use.
    trial = path.parent / f".{path.name}.{name}.check"
    try:
        atomic_write(trial, new_text)
        load_keyring(trial)
    finally:
        trial.unlink(missing_ok=True)
    atomic_write(path, new_text)
    return target


_HEADER: Final = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?\s*(?:#.*)?$")
#: The ring tables, and the flat settings that hold the first entry of each.
_RINGS: Final = {
    "samsung_certs": {"certificate_id": "samsung_certificate_id", "cert": "samsung_cert"},
    "partner_keys": {"certificate_id": "certificate_id", "key": "key", "cert": "partner_cert"},
}


def _toml_string(value: str) -> str:
    return json.dumps(value)  # a JSON string of printable text is a TOML basic string


def retire(config: str | os.PathLike[str], certificate_id: str) -> str:
    """Remove the partner key or Samsung certificate ``certificate_id`` from ``config``; returns what was done.

    A ``[[partner_keys]]`` / ``[[samsung_certs]]`` entry is deleted. The flat entry (``certificate_id``,
    ``key``, ``partner_cert``; ``samsung_cert``, ``samsung_certificate_id``) is replaced by the ring's other
    entry that started last, whose table is deleted: the flat settings every command reads keep naming the
    key in use. The file is checked as a keyring before it replaces the one in use.

    :raises linkkit.errors.ConfigError: no such id, or it is the ring's only entry.
    """
    path = Path(config)
    text = path.read_text("utf-8")
    settings = read_settings(path)
    lines = text.splitlines(keepends=True)
    headers = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _HEADER.match(line))]
    first_header = headers[0][0] if headers else len(lines)

    def span(table: str, index: int) -> tuple[int, int]:
        starts = [i for i, name in headers if name == table and lines[i].lstrip().startswith("[[")]
        start = starts[index]
        end = next((i for i, _ in headers if i > start), len(lines))
        above = start
        while above > 0 and lines[above - 1].lstrip().startswith("#"):
            above -= 1
        marker = next((i for i in range(above, start) if lines[i].startswith(_MARKER)), None)
        return (marker if marker is not None else start), end  # with the comments rotate put above its entry

    for table, flat in _RINGS.items():
        entries = settings.get(table, [])
        ids = [str(e.get("certificate_id", "")) for e in entries]
        flat_id = settings.get(flat["certificate_id"])
        if certificate_id in ids:
            start, end = span(table, ids.index(certificate_id))
            kept = lines[:start] + lines[end:]
            done = f"removed {table} entry {certificate_id}"
            break
        if flat_id == certificate_id:
            if not entries:
                raise ConfigError(f"{path}: {certificate_id} is the only entry of its ring: add its successor first")
            keyring = load_keyring(path)
            ring = keyring.partner_keys if table == "partner_keys" else keyring.samsung_certificates
            others = [e for e in ring if e.certificate_id != certificate_id and e.certificate_id in ids]
            if not others:
                raise ConfigError(f"{path}: {certificate_id} has no certified successor in [[{table}]]")
            successor = max(others, key=lambda e: e.use_from or float("-inf"))
            index = ids.index(str(successor.certificate_id))
            values = entries[index]
            start, end = span(table, index)
            kept = lines[:start] + lines[end:]
            top = kept[:first_header]
            for member, setting in flat.items():
                value = values.get(member)
                rule = re.compile(rf"^{re.escape(setting)}\s*=")
                at = next((i for i, line in enumerate(top) if rule.match(line)), None)
                if value is None:
                    if at is not None:
                        top[at] = ""
                    continue
                new_line = f"{setting} = {_toml_string(str(value))}\n"
                if at is None:
                    top.append(new_line)
                else:
                    top[at] = new_line
            kept = top + kept[first_header:]
            done = f"{successor.certificate_id} replaces {certificate_id} in the flat settings"
            break
    else:
        raise ConfigError(f"{path}: no partner key or Samsung certificate {certificate_id!r}")
    new_text = "".join(kept).rstrip("\n") + "\n"
    trial = path.parent / f".{path.name}.retire.check"
    try:
        atomic_write(trial, new_text.encode("utf-8"))
        load_keyring(trial)
    finally:
        trial.unlink(missing_ok=True)
    atomic_write(path, new_text.encode("utf-8"))
    return done
