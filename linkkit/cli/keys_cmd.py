"""``linkkit keys``: make and check local keys and certificates."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from linkkit.identity import IDENTITY_KEY_COUNT, IdentityIds, build_identity, random_ids, write_identity
from linkkit.keys import check_key_matches_certificate, load_certificate, load_private_key


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


@keys.command("check")
@click.argument("private_key", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("certificate", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--password", envvar="LINKKIT_KEY_PASSWORD", help="Password of an encrypted key.")
def check(private_key: Path, certificate: Path, password: str | None) -> None:
    """Check that PRIVATE_KEY belongs to CERTIFICATE (prints nothing secret)."""
    key = load_private_key(private_key, password=password)
    cert = load_certificate(certificate)
    check_key_matches_certificate(key, cert)
    click.echo(
        f"ok: {private_key} matches {certificate} ({cert.subject.rfc4514_string()}, "
        f"valid until {cert.not_valid_after_utc:%Y-%m-%d})"
    )
