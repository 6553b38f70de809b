"""``linkkit stats``: the button funnel (impressions, clicks, adds, removes, conversion) from the store."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import click

from linkkit.cli._settings import Setting, require

_STORE_URL_HELP = "The partner store: postgresql://user@host/dbname, sqlite:///relative.sqlite3 or a file path."


def _day(value: str | None, flag: str) -> float | None:
    if value is None:
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=dt.UTC).timestamp()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD", param_hint=flag) from None


@click.command("stats")
@click.option("--store-url", cls=Setting, help=_STORE_URL_HELP)
@click.option("--since", help="First UTC day, YYYY-MM-DD (default: --days before --until).")
@click.option("--until", help="Last UTC day, YYYY-MM-DD, included (default: today).")
@click.option("--days", type=click.IntRange(1, 3660), default=7, show_default=True, help="Window without --since.")
@click.option("--card", "card_id", help="Only this card id.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--png", "png", type=click.Path(dir_okay=False, path_type=Path), help="Also write a bar chart PNG.")
def stats(
    store_url: str | None,
    since: str | None,
    until: str | None,
    days: int,
    card_id: str | None,
    as_json: bool,
    png: Path | None,
) -> None:
    """Report the button funnel by card and by UTC day.

    \b
    Impressions, clicks and mints are the beacons <samsung-wallet-button> sends (docs/buttons.md);
    adds and removes are the Send Card State events Samsung sent (ADDED, DELETED).

    \b
      linkkit stats --store-url sqlite:///partner.sqlite3 --days 30
      linkkit stats --since 2026-01-01 --until 2026-01-31 --json
      linkkit stats --png funnel.png
    """
    from linkkit.partner.stats import funnel_report
    from linkkit.partner.stores.urls import open_store

    end = _day(until, "--until")
    end = (end if end is not None else _day(time.strftime("%Y-%m-%d", time.gmtime()), "--until")) or 0.0
    end += 86_400.0  # --until is included
    start = _day(since, "--since")
    if start is None:
        start = end - days * 86_400.0
    if start >= end:
        raise click.BadParameter("must be on or before --until", param_hint="--since")
    store = open_store(require(store_url, "--store-url"))
    try:
        report = funnel_report(store, since=start, until=end, card_id=card_id)
    finally:
        store.close()
    if png is not None:
        png.write_bytes(report.png())
    if as_json:
        click.echo(json.dumps(report.to_json(), sort_keys=True))
    else:
        click.echo(report.text(), nl=False)
        if png is not None:
            click.echo(f"chart: {png}")
