"""``linkkit db``: the partner store's schema (SQLite file or PostgreSQL database)."""

from __future__ import annotations

import json

import click

from linkkit.cli._settings import Setting, require
from linkkit.partner.stores.admin import SchemaStatus, schema_status

_STORE_URL_HELP = (
    "The partner store: postgresql://user@host:5432/dbname, sqlite:///relative.sqlite3, "
    "sqlite:////absolute/path.sqlite3 or a plain file path."
)


@click.group("db")
def db() -> None:
    """Create, check and upgrade the partner store's schema.

    \b
    Stores apply missing migrations when they open (PostgreSQLStore(url), SQLiteStore(path));
    run `linkkit db upgrade` at deploy time instead when the application's database role may
    not create tables (PostgreSQLStore(url, migrate=False) then only checks the version).

    \b
      LINKKIT_STORE_URL=postgresql://linkkit@db.internal/shop linkkit db upgrade
      linkkit db status --store-url sqlite:///partner.sqlite3 --json
    """


def _report(status: SchemaStatus, as_json: bool, verb: str) -> None:
    if as_json:
        click.echo(json.dumps(status.to_json(), sort_keys=True))
        return
    engine = "PostgreSQL" if status.engine == "postgresql" else "SQLite"
    if status.before != status.version:
        click.echo(f"{engine} {status.where}: schema upgraded from version {status.before} to {status.version}")
    elif status.current:
        click.echo(f"{engine} {status.where}: schema version {status.version}, {verb}")
    else:
        click.echo(
            f"{engine} {status.where}: schema version {status.version}, this code needs {status.code_version}: "
            "run `linkkit db upgrade`"
        )


@db.command("upgrade")
@click.option("--store-url", cls=Setting, help=_STORE_URL_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def upgrade(store_url: str | None, as_json: bool) -> None:
    """Apply every missing migration (once, even with several machines running it at once)."""
    _report(schema_status(require(store_url, "--store-url"), upgrade=True), as_json, "nothing to do")


@db.command("status")
@click.option("--store-url", cls=Setting, help=_STORE_URL_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def status(store_url: str | None, as_json: bool) -> int:
    """Say the schema version; exit 1 when it needs `linkkit db upgrade`."""
    found = schema_status(require(store_url, "--store-url"))
    _report(found, as_json, "current")
    return 0 if found.current else 1
