"""``linkkit keys``: make keys, check every key and certificate in use and when it expires, rotate."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from linkkit.cli.main import EXIT_INVALID, EXIT_OK
from linkkit.errors import ConfigError
from linkkit.expiry import WARN_DAYS, Expiry, certificate_expiry, keyring_expiries
from linkkit.identity import IDENTITY_KEY_COUNT, IdentityIds, build_identity, random_ids, write_identity
from linkkit.keyring_file import load_keyring, parse_use_from, pending_keys, read_settings
from linkkit.keys import check_key_matches_certificate, load_certificate, load_private_key
from linkkit.rotation import DEFAULT_LEAD_DAYS, complete, prepare, retire

#: Certificates named by flat settings that no ring holds: checked for expiry too.
_OTHER_CERTIFICATES = {"samsung_ca_cert": "Samsung CA certificate", "partner_ca_cert": "partner CA certificate"}


@click.group()
def keys() -> None:
    """Generate and check keys and certificates."""


@keys.command("generate")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (created if missing).",
)
@click.option("--partner-id", help="Partner code to put in linkkit.toml (random 19 digits if omitted).")
@click.option("--certificate-id", help="Certificate id (random 4 characters if omitted).")
@click.option("--card-id", help="Card id (random 19 digits if omitted).")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def generate(
    out_dir: Path, partner_id: str | None, certificate_id: str | None, card_id: str | None, force: bool, as_json: bool
) -> None:
    """Create a complete LOCAL TEST identity set in OUT.

    \b
    Writes the partner key and certificate (signed from a CSR by a sandbox "Samsung CA", as
    the Partner Portal does), a Samsung-like key and certificate, the two CAs and the TLS
    server and client certificates that Save to Pay's mutual TLS needs in both directions,
    and a linkkit.toml with the ids. Every other command can then run with:

    \b
      LINKKIT_CONFIG=OUT/linkkit.toml linkkit link transmit card.json
    """
    ids = random_ids()
    ids = IdentityIds(
        partner_id=partner_id or ids.partner_id,
        certificate_id=certificate_id or ids.certificate_id,
        card_id=card_id or ids.card_id,
    )
    with click.progressbar(length=IDENTITY_KEY_COUNT, label="generating RSA-2048 keys", file=sys.stderr) as bar:

        def advance(_name: str) -> None:
            bar.update(1)

        files = build_identity(ids, progress=advance)
    written = write_identity(out_dir, files, force=force)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "out": str(out_dir),
                    "files": [p.name for p in written],
                    "partner_id": ids.partner_id,
                    "certificate_id": ids.certificate_id,
                    "card_id": ids.card_id,
                }
            )
        )
    else:
        click.echo(f"wrote {len(written)} files to {out_dir}/ (test keys: never use them in production)")
        click.echo(f"  partner_id={ids.partner_id} certificate_id={ids.certificate_id} card_id={ids.card_id}")
        click.echo(f"  next: LINKKIT_CONFIG={out_dir / 'linkkit.toml'} linkkit link transmit CARD.json")


def _settings_path() -> Path:
    root = click.get_current_context().find_root()
    explicit = root.params.get("config") or os.environ.get("LINKKIT_CONFIG")
    path = Path(explicit) if explicit else Path("linkkit.toml")
    if not path.is_file():
        raise ConfigError(f"{path}: configuration file not found (--config, LINKKIT_CONFIG, or ./linkkit.toml)")
    return path


def _in_settings(path: Path, now: float, warn_days: float) -> tuple[list[Expiry], list[dict[str, Any]]]:
    keyring = load_keyring(path)
    found = keyring_expiries(keyring, now=now, warn_days=warn_days)
    settings = read_settings(path)
    named = [(role, settings.get(name)) for name, role in _OTHER_CERTIFICATES.items()]
    tls = settings.get("tls_certs", [])
    if not isinstance(tls, list) or any(not isinstance(v, str) for v in tls):
        raise ConfigError(f"{path}: tls_certs must be a list of certificate files")
    named += [("TLS certificate", value) for value in tls]
    for role, value in named:
        if isinstance(value, str) and value:
            certificate = load_certificate(path.parent / value)
            found.append(certificate_expiry(role, certificate, now=now, source=value, warn_days=warn_days, in_use=True))
    return found, pending_keys(path)


def _say(items: list[Expiry], pending: list[dict[str, Any]], as_json: bool, title: str) -> int:
    expired = [i for i in items if i.status == "expired"]
    soon = [i for i in items if i.status == "warn"]
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": not expired,
                    "items": [i.to_json() for i in items],
                    "pending": [
                        {"key": p["key"], "csr": p["csr"], "use_from": p["use_from"], "in": p["what"]} for p in pending
                    ],
                }
            )
        )
        return EXIT_INVALID if expired else EXIT_OK
    click.echo(title)
    for item in items:
        mark = {"ok": " ", "warn": "!", "expired": "x", "unknown": "?"}[item.status]
        use = "" if item.in_use else "  (not in use now)"
        click.echo(f"  {mark} {item.describe()}{use}")
    for entry in pending:
        when = entry["use_from"]
        date = f", to sign from {dt.datetime.fromtimestamp(when, dt.UTC):%Y-%m-%d}" if when is not None else ""
        click.echo(f"  - partner key {entry['key']} (pending): waiting for its certificate{date}")
    if expired:
        click.echo(f"error: {len(expired)} expired: replace them before the partner server starts", err=True)
        return EXIT_INVALID
    if soon:
        click.echo(f"warning: {len(soon)} expire within {WARN_DAYS} days: renew them (linkkit keys rotate)", err=True)
    click.echo(f"ok: {len(items)} keys and certificates, none expired")
    return EXIT_OK


@keys.command("check")
@click.argument("private_key", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("certificate", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--password", envvar="LINKKIT_KEY_PASSWORD", help="Password of an encrypted key.")
@click.option(
    "--warn-days", default=WARN_DAYS, show_default=True, type=click.IntRange(0, 3650), help="Warn this many days ahead."
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def check(
    private_key: Path | None, certificate: Path | None, password: str | None, warn_days: int, as_json: bool
) -> int:
    """List every key and certificate in use with its expiry, or check that PRIVATE_KEY belongs to CERTIFICATE.

    \b
    Without arguments it reads linkkit.toml (--config, LINKKIT_CONFIG): the partner keys, Samsung's
    certificates, the click-link secrets, the CA certificates and the files listed in tls_certs
    (Save to Pay's mutual TLS), which of them sign or encrypt now,
    keys still waiting for their certificate, and a warning for each that expires within 30 days.
    Exit code 1 when one has expired (the partner server refuses to start with it).

    \b
      linkkit keys check
      linkkit keys check --json | jq '.items[] | select(.status != "ok")'
      linkkit keys check partner.key partner.crt
    """
    now = time.time()
    if private_key is None:
        path = _settings_path()
        items, pending = _in_settings(path, now, warn_days)
        return _say(items, pending, as_json, f"{path}:")
    if certificate is None:
        raise click.UsageError("give both PRIVATE_KEY and CERTIFICATE, or neither (to check linkkit.toml)")
    key = load_private_key(private_key, password=password)
    cert = load_certificate(certificate)
    check_key_matches_certificate(key, cert)
    expiry = certificate_expiry("certificate", cert, now=now, source=str(certificate), warn_days=warn_days)
    if as_json:
        click.echo(json.dumps({"ok": expiry.status != "expired", "items": [expiry.to_json()], "pending": []}))
    else:
        click.echo(f"ok: {private_key} matches {certificate} ({cert.subject.rfc4514_string()}, {expiry.describe()})")
    return EXIT_INVALID if expiry.status == "expired" else EXIT_OK


@keys.command("rotate")
@click.option(
    "--name", default="partner-next", show_default=True, help="File stem of the new key, CSR and certificate."
)
@click.option(
    "--use-from",
    help=f"When the new key starts signing: a date, or a date-time with a zone (default: in {DEFAULT_LEAD_DAYS} days).",
)
@click.option("--certificate-id", help="Finish a rotation: the id the Partner Portal gave the new certificate.")
@click.option("--cert", "cert_file", type=click.Path(exists=True, dir_okay=False), help="Finish: that certificate.")
@click.option("--force", is_flag=True, help="Overwrite an existing key and CSR of this name.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def rotate(
    name: str, use_from: str | None, certificate_id: str | None, cert_file: str | None, force: bool, as_json: bool
) -> int:
    """Start or finish replacing the partner key, without downtime.

    \b
    1. linkkit keys rotate --use-from 2027-03-01
       makes NAME.key and NAME.csr beside linkkit.toml, and a pending [[partner_keys]] entry that
       starts signing on that date (the current key signs until then);
    2. upload NAME.csr to the Partner Portal; it returns a certificate and its certificateId;
    3. linkkit keys rotate --certificate-id ID --cert NAME.crt
       checks the certificate carries the new key and completes the entry. Running servers read
       linkkit.toml again within seconds (no restart); from the date on, the new key signs.
    4. when the old certificate is retired, delete its entry (linkkit keys check lists it).
    """
    path = _settings_path()
    if (certificate_id is None) != (cert_file is None):
        raise click.UsageError("finishing a rotation needs both --certificate-id and --cert")
    if certificate_id is not None and cert_file is not None:
        target = complete(path, name=name, certificate_id=certificate_id, certificate=cert_file)
        if as_json:
            click.echo(json.dumps({"name": name, "certificate_id": certificate_id, "cert": str(target)}))
        else:
            click.echo(f"ok: {name} is certified as {certificate_id} ({target.name}); it signs from its use_from date")
            click.echo("  check: linkkit keys check")
        return EXIT_OK
    when = parse_use_from(use_from, "--use-from") if use_from else None
    start = dt.datetime.fromtimestamp(when, dt.UTC) if when is not None else None
    done = prepare(path, name=name, use_from=start, force=force)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "key": str(done.key),
                    "csr": str(done.csr),
                    "config": str(done.config),
                    "use_from": done.use_from.isoformat(),
                }
            )
        )
        return EXIT_OK
    click.echo(f"wrote {done.key.name} (private, 0600) and {done.csr.name}; {done.config.name} has a pending entry")
    click.echo(f"  switch-over: {done.use_from:%Y-%m-%d %H:%M} UTC (the current key signs until then)")
    click.echo(f"  next: upload {done.csr.name} to the Partner Portal, then")
    click.echo(f"        linkkit keys rotate --name {name} --certificate-id ID --cert {name}.crt")
    return EXIT_OK


@keys.command("retire")
@click.argument("certificate_id")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def retire_cmd(certificate_id: str, as_json: bool) -> int:
    """Remove the partner key or Samsung certificate CERTIFICATE_ID from linkkit.toml, once nothing uses it.

    \b
    A [[partner_keys]] or [[samsung_certs]] entry is deleted; the flat entry (certificate_id, key,
    partner_cert; samsung_cert, samsung_certificate_id) is replaced by its successor in the ring, so the
    settings every command reads keep naming the key in use. Running servers read the file again within
    seconds. Retire a Samsung certificate only after Samsung stopped signing with it, and a partner key
    only after its successor's use_from date (and the 30 s a token lives).
    """
    done = retire(_settings_path(), certificate_id)
    click.echo(json.dumps({"retired": certificate_id, "done": done}) if as_json else f"ok: {done}")
    return EXIT_OK
