"""``linkkit inspect``: the token doctor."""

from __future__ import annotations

import json
import math

import click

from linkkit.atw.tokens import CARD_TOKEN_MAX_AGE_S, DEFAULT_CLOCK_SKEW_S
from linkkit.cli._io import read_bytes_arg
from linkkit.cli._settings import Setting
from linkkit.doctor import diagnose
from linkkit.keys import load_certificate, load_private_key


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not math.isfinite(value):
        raise click.BadParameter("must be a finite number of seconds")
    return value


_MARK = {"ok": "✓", "fail": "✗", "warn": "!", "skip": "-"}


@click.command()
@click.argument("value", metavar="LINK_OR_TOKEN")
@click.option("--partner-cert", cls=Setting, help="Partner certificate: verifies the signature.")
@click.option("--samsung-key", cls=Setting, help="Samsung TEST private key: decrypts and validates the card.")
@click.option("--partner-id", cls=Setting, help="Expected partnerId.")
@click.option("--certificate-id", cls=Setting, help="Expected certificateId.")
@click.option(
    "--max-age",
    type=click.FloatRange(min=0),
    default=CARD_TOKEN_MAX_AGE_S,
    show_default=True,
    callback=_finite,
    help="Card Data Token age limit in seconds.",
)
@click.option(
    "--skew",
    type=click.FloatRange(min=0),
    default=DEFAULT_CLOCK_SKEW_S,
    show_default=True,
    callback=_finite,
    help="Seconds a token's utc may be ahead of this machine's clock.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the diagnosis as JSON.")
def inspect(
    value: str,
    partner_cert: str | None,
    samsung_key: str | None,
    partner_id: str | None,
    certificate_id: str | None,
    max_age: float,
    skew: float,
    as_json: bool,
) -> int:
    """Diagnose an Add to Wallet link or a token ("-" reads it from stdin).

    Decodes the link and the token, checks the headers, the algorithm, the age and clock skew,
    verifies the signature (with --partner-cert), decrypts with a test key (--samsung-key) and
    validates the card. Exit code 0 only when everything checked is valid and the signature
    was verified; 1 otherwise.

    \b
    Example:
      linkkit inspect "https://a.swallet.link/atw/v3/3glji6d406000#Clip?cdata=eyJ..." \\
        --partner-cert partner.crt --samsung-key samsung.key
    """
    if value == "-":
        raw = read_bytes_arg("-", "LINK_OR_TOKEN")
        try:
            value = raw.decode("ascii").strip()
        except UnicodeDecodeError as exc:
            raise click.BadParameter("stdin: a link or token is ASCII text", param_hint="LINK_OR_TOKEN") from exc
    diagnosis = diagnose(
        value,
        partner_certificate=load_certificate(partner_cert) if partner_cert else None,
        samsung_private_key=load_private_key(samsung_key) if samsung_key else None,
        expected_partner_id=partner_id,
        expected_certificate_id=certificate_id,
        max_age=max_age,
        clock_skew=skew,
    )
    if as_json:
        click.echo(json.dumps(diagnosis.to_dict(), ensure_ascii=False))
    else:
        click.echo(f"{diagnosis.kind.replace('_', ' ')}:")
        for check in diagnosis.checks:
            click.echo(f"  {_MARK[check.status]} {check.name}: {check.detail}")
        if diagnosis.card_summary:
            s = diagnosis.card_summary
            click.echo(f"  card: {s['type']}/{s['subType']}, {s['entries']} entr{'y' if s['entries'] == 1 else 'ies'}")
        click.echo("VALID" if diagnosis.valid else "NOT VALID")
    return 0 if diagnosis.valid else 1
