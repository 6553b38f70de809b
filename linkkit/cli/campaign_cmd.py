"""``linkkit campaign``: personalised links, QR codes and button snippets for a recipient list."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import tempfile
from collections.abc import Iterator
from types import FrameType

import click

from linkkit.atw.links import ATW_BASE_URL
from linkkit.campaign import CampaignSpec, count_rows, run_campaign, to_epoch_ms, validate_campaign
from linkkit.cli._cards import strictness_options
from linkkit.cli._progress import Progress, ProgressMode, progress_option
from linkkit.cli._settings import Setting, require
from linkkit.cli._suggest import locale_callback
from linkkit.cli.main import EXIT_INVALID, EXIT_OK


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
@click.option(
    "--locale", default="en-US", show_default=True, callback=locale_callback, help="Button language (BCP 47 tag)."
)
@click.option(
    "--asset-base-url",
    default="https://example.com/_linkkit/web",
    show_default=True,
    help="Absolute URL where the button images are served (emails need absolute URLs).",
)
@click.option("--expires", help="Offer end: epoch ms or ISO date (recorded per link).")
@click.option("--max-uses", type=click.IntRange(min=1), help="Use limit per link (recorded in the manifest).")
@click.option(
    "-j", "--jobs", type=click.IntRange(1, 64), default=os.cpu_count() or 1, show_default=True, help="Worker processes."
)
@click.option(
    "--max-failures",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Rows that may fail before the exit code says so (1); the good rows are made either way.",
)
@click.option("--dry-run", is_flag=True, help="Validate every row; write nothing.")
@click.option(
    "--restart", is_flag=True, help="Start over instead of resuming a stopped run in --out (its QR images go too)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary (and dry-run errors) as JSON.")
@strictness_options
@progress_option
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
    jobs: int,
    max_failures: int,
    dry_run: bool,
    restart: bool,
    as_json: bool,
    strict: bool,
    lenient: bool,
    progress_mode: ProgressMode,
) -> int:
    """Make a Data Fetch link, QR code and button snippets for every row of RECIPIENTS.

    Never a Data Transmit link: its token would be dead 30 seconds after the run (docs/campaign.md).
    Bad rows go to OUT/errors.csv with the row, the line, the field and the reason; good rows are
    complete, and every row read is in one of the two. The exit code is 1 when more rows failed
    than --max-failures allows. Run it again to resume after a crash, kill or Ctrl-C: finished
    chunks are kept and refIds are deterministic, so nothing is duplicated.

    \b
    Writes:  OUT/manifest.csv  OUT/manifest.jsonl  OUT/errors.csv  OUT/cards.jsonl  OUT/qr/*.svg
    Example: linkkit campaign members.csv --template coupon.json --out out/ --tag utm_source=spring
    """
    try:
        expires_ms = to_epoch_ms(expires) if expires else None
    except ValueError as exc:
        raise click.BadParameter(f"{expires!r}: epoch milliseconds or an ISO date", param_hint="--expires") from exc
    if not dry_run and not out_dir:
        raise click.UsageError("--out is required (or use --dry-run)")
    if strict and lenient:
        raise click.UsageError("--strict and --lenient contradict each other (--lenient is deprecated)")
    if lenient:
        click.echo("linkkit: warning: --lenient is deprecated: card warnings no longer fail a row", err=True)
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
        strict=strict,
        workers=jobs,
    )
    total = count_rows(recipients)
    with _sigterm_as_interrupt():
        if dry_run:
            return _dry_run(spec, total, progress_mode, max_failures, as_json)
        with Progress(progress_mode, label="campaign", total=total) as progress:
            result = run_campaign(spec, total=total, progress=progress, restart=restart)
    summary = {
        "rows": result.rows,
        "ok": result.ok,
        "failed": result.failed,
        "warnings": result.warnings,
        "resumed_chunks": result.resumed_chunks,
        "out": out_dir,
    }
    if as_json:
        click.echo(json.dumps(summary))
    else:
        resumed = f" ({result.resumed_chunks} chunks resumed)" if result.resumed_chunks else ""
        warned = f", {result.warnings} card warnings in {out_dir}/warnings.csv" if result.warnings else ""
        click.echo(f"{result.ok} links made, {result.failed} rows in {out_dir}/errors.csv{warned}{resumed}")
    return _verdict(result.failed, max_failures, f"see {out_dir}/errors.csv")


def _dry_run(spec: CampaignSpec, total: int, progress_mode: ProgressMode, max_failures: int, as_json: bool) -> int:
    # Error and warning lines are spooled (to disk past 1 MiB), not kept in lists: a list of
    # 100,000 bad rows would make the dry run's memory grow with the file.
    spool_errors = tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8")
    spool_warnings = tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8")
    with spool_errors, spool_warnings:
        with Progress(progress_mode, label="dry run", total=total) as progress:
            result = validate_campaign(
                spec,
                progress=progress,
                on_error=lambda line: spool_errors.write(json.dumps(line, ensure_ascii=False) + "\n"),
                on_warning=lambda line: spool_warnings.write(json.dumps(line, ensure_ascii=False) + "\n"),
                total=total,
            )
        spool_errors.seek(0)
        spool_warnings.seek(0)
        if as_json:
            head = {"rows": result.rows, "ok": result.ok, "failed": result.failed}
            click.echo(json.dumps(head)[:-1], nl=False)
            for key, spool in (("errors", spool_errors), ("warnings", spool_warnings)):
                click.echo(f', "{key}": [', nl=False)
                for i, line in enumerate(spool):
                    click.echo(("," if i else "") + line.rstrip("\n"), nl=False)
                click.echo("]", nl=False)
            click.echo("}")
        else:
            warned = f", {result.warnings} card warnings" if result.warnings else ""
            click.echo(f"{result.rows} rows: {result.ok} valid, {result.failed} with errors{warned} (nothing written)")
            for label, spool in (("", spool_errors), ("warning: ", spool_warnings)):
                for shown, line in enumerate(spool):
                    if shown == 20:
                        click.echo("  … and more (use --json for all)")
                        break
                    found = json.loads(line)
                    click.echo(f"  line {found['line']}: {label}{found['field']}: {found['reason']}")
    return _verdict(result.failed, max_failures, "nothing was written")


def _verdict(failed: int, max_failures: int, where: str) -> int:
    if failed <= max_failures:
        return EXIT_OK
    rows = "row" if failed == 1 else "rows"
    click.echo(f"linkkit: {failed} {rows} failed, more than --max-failures {max_failures} ({where})", err=True)
    return EXIT_INVALID


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (``kill``, ``timeout``, a CI cancel) stops the run as Ctrl-C does: cleanly, resumable."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (an embedding app): leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
