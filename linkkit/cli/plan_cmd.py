"""``linkkit plan``: which link kind suits a channel, and how it measures up."""

from __future__ import annotations

import json

import click

from linkkit.cli._cards import checked_card, strictness_options, warnings_json
from linkkit.cli._io import read_json_arg
from linkkit.cli._settings import Setting
from linkkit.plan import CHANNELS, plan_card


@click.command()
@click.argument("card", metavar="CARD.json")
@click.option("--channel", required=True, type=click.Choice(CHANNELS), help="Where the link will appear.")
@click.option("--card-id", cls=Setting, help="Card id (a typical 19-digit length is assumed if omitted).")
@click.option("--certificate-id", cls=Setting, help="Certificate id (4 characters assumed if omitted).")
@click.option("--partner-id", cls=Setting, help="Partner id (19 digits assumed if omitted).")
@click.option(
    "--qr-level",
    type=click.Choice(["L", "M", "Q", "H"]),
    default="M",
    show_default=True,
    help="QR error-correction level to plan for.",
)
@strictness_options
@click.option("--json", "as_json", is_flag=True, help="Print the plan (and the card's warnings) as JSON.")
def plan(
    card: str,
    channel: str,
    card_id: str | None,
    certificate_id: str | None,
    partner_id: str | None,
    qr_level: str,
    strict: bool,
    lenient: bool,
    as_json: bool,
) -> None:
    """Plan the link for CARD.json on a channel: web, app, email, sms, qr or print.

    Reports the exact token and URL lengths of a Data Transmit link, the length of a Data
    Fetch link, the QR version each needs, SMS segments, the documented 2048-character cdata
    limit, and which kind to use with the reason.

    The card is validated as `linkkit link transmit` does: errors stop (exit 1), warnings are
    printed on stderr; --strict refuses them.
    """
    obj = read_json_arg(card)
    report = checked_card(obj, strict=strict, lenient=lenient)
    kwargs = {
        k: v for k, v in (("card_id", card_id), ("certificate_id", certificate_id), ("partner_id", partner_id)) if v
    }
    result = plan_card(obj, channel=channel, qr_level=qr_level, **kwargs)  # type: ignore[arg-type]
    if as_json:
        click.echo(json.dumps({**result.to_dict(), "card_warnings": warnings_json(report)}))
        return
    click.echo(f"channel: {result.channel}")
    click.echo(f"recommended: {result.recommended} link: {result.reason}")
    click.echo(
        f"Data Transmit: {result.transmit_url_length} characters (cdata {result.cdata_length}"
        f"{', OVER the documented 2048' if result.cdata_over_documented_limit else ''})"
    )
    click.echo(f"Data Fetch: {result.fetch_url_length} characters")
    qr = result.qr
    qr_text = f"version {qr.version} ({qr.modules}x{qr.modules} modules)" if qr.version else "does not fit"
    click.echo(f"QR ({qr.level}) for the recommended link: {qr_text}")
    click.echo(f"SMS: {result.sms_segments} segment(s)")
    for warning in result.warnings:
        click.echo(f"warning: {warning}")
