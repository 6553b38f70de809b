"""``linkkit campaign``: personalised links, QR codes and button snippets for a recipient list."""

from __future__ import annotations

import json
import os
import sys

import click

from linkkit.campaign import CampaignSpec, ProgressReporter, count_rows, run_campaign, to_epoch_ms, validate_campaign
from linkkit.cli._settings import Setting, require
from linkkit.links import ATW_BASE_URL


def _tags(values: tuple[str, ...]) -> dict[str, str]:
    tags = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r}: use NAME=VALUE, e.g. utm_source=newsletter", param_hint="--tag")
        tags[name] = value
    return tags


@click.command()
@click.argument("recipients", metavar="RECIPIENTS.csv|.jsonl", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--template",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Card template JSON with {{column}} placeholders.",
)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Output folder (required unless --dry-run).")
@click.option("--card-id", cls=Setting, help="Wallet card id from the Partner Portal.")
@click.option("--certificate-id", cls=Setting, help="Id of your registered partner certificate.")
@click.option("--atw-base-url", cls=Setting, default=ATW_BASE_URL, show_default=True, help="Link base.")
@click.option(
    "--channel",
    type=click.Choice(["email", "sms", "qr", "print", "web", "app"]),
    default="email",
    show_default=True,
    help="Where the links go (recorded in the manifest).",
)
@click.option("--tag", "tags", multiple=True, metavar="NAME=VALUE", help="UTM or channel tag; repeatable.")
@click.option("--key-column", help="Column identifying a recipient (default: recipient_id, email or id).")
@click.option(
    "--qr",
    "qr_formats",
    type=click.Choice(["svg", "png", "none"]),
    multiple=True,
    default=("svg",),
    show_default=True,
    help="QR image formats; repeatable.",
)
@click.option("--qr-level", type=click.Choice(["L", "M", "Q", "H"]), default="M", show_default=True)
@click.option("--no-snippets", is_flag=True, help="Skip the web and email button snippets.")
@click.option("--locale", default="en-US", show_default=True, help="Button language.")
@click.option(
    "--asset-base-url",
    default="https://example.com/_linkkit/web",
    show_default=True,
    help="Absolute URL where the button images are served (emails need absolute URLs).",
)
@click.option("--expires", help="Offer end: epoch ms or ISO date (recorded per link).")
@click.option("--max-uses", type=click.IntRange(min=1), help="Use limit per link (recorded in the manifest).")
@click.option("--lenient", is_flag=True, help="Accept unknown card attributes (reported as warnings).")
@click.option(
    "-j", "--jobs", type=click.IntRange(1, 64), default=os.cpu_count() or 1, show_default=True, help="Worker processes."
)
@click.option("--dry-run", is_flag=True, help="Validate every row; write nothing.")
@click.option("--restart", is_flag=True, help="Start over instead of resuming a stopped run in --out.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary (and dry-run errors) as JSON.")
def campaign(
    recipients: str,
    template: str,
    out_dir: str | None,
    card_id: str | None,
    certificate_id: str | None,
    atw_base_url: str,
    channel: str,
    tags: tuple[str, ...],
    key_column: str | None,
    qr_formats: tuple[str, ...],
    qr_level: str,
    no_snippets: bool,
    locale: str,
    asset_base_url: str,
    expires: str | None,
    max_uses: int | None,
    lenient: bool,
    jobs: int,
    dry_run: bool,
    restart: bool,
    as_json: bool,
) -> int:
    """Make a Data Fetch link, QR code and button snippets for every row of RECIPIENTS.

    Never a Data Transmit link: its token would die 30 seconds after the run (SPEC.md §3.8).
    Bad rows go to OUT/errors.csv with the row number, the field and the reason; good rows are
    complete. Run it again to resume after a crash or Ctrl-C: finished chunks are kept and
    refIds are deterministic, so nothing is duplicated.

    \b
    Writes:  OUT/manifest.csv  OUT/manifest.jsonl  OUT/errors.csv  OUT/cards.jsonl  OUT/qr/*.svg
    Example: linkkit campaign members.csv --template coupon.json --out out/ --tag utm_source=spring
    """
    try:
        expires_ms = to_epoch_ms(expires) if expires else None
    except ValueError as exc:
        raise click.BadParameter(f"{expires!r}: epoch milliseconds or an ISO date", param_hint="--expires") from exc
    formats = tuple(f for f in qr_formats if f != "none")
    spec = CampaignSpec(
        recipients=recipients,
        template=template,
        out_dir=out_dir or "",
        channel=channel,
        tags=_tags(tags),
        card_id=require(card_id, "--card-id"),
        certificate_id=require(certificate_id, "--certificate-id"),
        atw_base_url=atw_base_url,
        key_column=key_column,
        qr_formats=formats,  # type: ignore[arg-type]
        qr_level=qr_level,  # type: ignore[arg-type]
        snippets=not no_snippets,
        locale=locale,
        asset_base_url=asset_base_url,
        expires_at_ms=expires_ms,
        max_uses=max_uses,
        strict=not lenient,
        workers=jobs,
    )
    reporter = ProgressReporter(sys.stderr)
    if dry_run:
        result, errors = validate_campaign(spec, progress=reporter)
        reporter.finish()
        if as_json:
            click.echo(json.dumps({"rows": result.rows, "ok": result.ok, "failed": result.failed, "errors": errors}))
        else:
            click.echo(f"{result.rows} rows: {result.ok} valid, {result.failed} with errors (nothing written)")
            for error in errors[:20]:
                click.echo(f"  row {error['row']}: {error['field']}: {error['reason']}")
            if len(errors) > 20:
                click.echo(f"  … and {len(errors) - 20} more (use --json for all)")
        return 0 if result.failed == 0 else 1
    if not out_dir:
        raise click.UsageError("--out is required (or use --dry-run)")
    total = count_rows(recipients)
    result = run_campaign(spec, total=total, progress=reporter, restart=restart)
    reporter.finish()
    summary = {
        "rows": result.rows,
        "ok": result.ok,
        "failed": result.failed,
        "resumed_chunks": result.resumed_chunks,
        "out": out_dir,
    }
    if as_json:
        click.echo(json.dumps(summary))
    else:
        resumed = f" ({result.resumed_chunks} chunks resumed)" if result.resumed_chunks else ""
        click.echo(f"{result.ok} links made, {result.failed} rows in {out_dir}/errors.csv{resumed}")
    return 0
