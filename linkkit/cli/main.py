"""Entry point of the ``linkkit`` command: one click group, one module per command family.

Every command reports bad input as a one-line ``linkkit: error: ...`` naming the field, and exits
with a non-zero code; a traceback is never shown (unless ``LINKKIT_DEBUG=1``).
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from linkkit import __version__
from linkkit.cli import _suggest
from linkkit.errors import ConfigError, KeyLoadError, LinkKitError

#: Exit codes shared by every command.
EXIT_OK = 0
#: The input was read, and it is not valid (``inspect`` found a problem, a card broke a rule).
EXIT_INVALID = 1
#: The command could not run as asked: bad flags, unreadable file, missing setting.
EXIT_USAGE = 2


#: Every command family, imported when it is used: ``linkkit campaign`` does not load Flask or httpx
#: (nor do its worker processes, forked from it), and ``linkkit --help`` names them all.
COMMANDS = {
    "keys": "linkkit.cli.keys_cmd:keys",
    "link": "linkkit.cli.link_cmd:link",
    "inspect": "linkkit.cli.inspect_cmd:inspect",
    "plan": "linkkit.cli.plan_cmd:plan",
    "button": "linkkit.cli.assets_cmd:button",
    "qr": "linkkit.cli.assets_cmd:qr",
    "campaign": "linkkit.cli.campaign_cmd:campaign",
    "sandbox": "linkkit.cli.sandbox_cmd:sandbox",
    "convert": "linkkit.cli.convert_cmd:convert",
    "db": "linkkit.cli.db_cmd:db",
    "probe": "linkkit.cli.probe_cmd:probe",
    "stats": "linkkit.cli.stats_cmd:stats",
}


class _Commands(click.Group):
    """The ``linkkit`` group: loads a command family on first use, with did-you-mean on its choices."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, _, name = COMMANDS[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), name)
            _suggest.install(command)  # every choice of every command names its close matches
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        known = self.list_commands(ctx)
        if name and not name.startswith("-") and name not in known:
            # click would suggest among the commands loaded so far only
            raise click.UsageError(f"No such command {name!r}.{_suggest.did_you_mean(name, known)}", ctx)
        return super().resolve_command(ctx, args)


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="linkkit")
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    envvar="LINKKIT_CONFIG",
    show_envvar=True,
    help="Settings file (default: ./linkkit.toml when it exists).",
)
def cli(config: str | None) -> None:
    """Build, inspect and test "Add to Samsung Wallet" links, tokens, buttons and QR codes.

    Settings come from flags, then LINKKIT_* environment variables, then ./linkkit.toml
    (for example LINKKIT_PARTNER_ID or partner_id = "..." in linkkit.toml).

    \b
    Start here:
      linkkit keys generate --out keys/        a complete local identity set
      linkkit link transmit CARD.json          a signed Data Transmit link
      linkkit inspect LINK                     diagnose a link or token
    """


def _fail(exc: BaseException, code: int) -> int:
    if os.environ.get("LINKKIT_DEBUG") == "1":
        raise exc
    click.echo(f"linkkit: error: {exc}", err=True)
    return code


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code instead of raising ``SystemExit``."""
    try:
        result = cli.main(args=argv, prog_name="linkkit", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("linkkit: aborted", err=True)
        return 130
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.format_message())
        return EXIT_USAGE
    except click.ClickException as exc:
        where = exc.ctx.command_path if isinstance(exc, click.UsageError) and exc.ctx else "linkkit"
        click.echo(f"linkkit: error: {exc.format_message()} (see: {where} --help)", err=True)
        return EXIT_USAGE
    except (ConfigError, KeyLoadError) as exc:
        return _fail(exc, EXIT_USAGE)  # settings or key files the command could not use
    except LinkKitError as exc:
        return _fail(exc, EXIT_INVALID)
    except ValueError as exc:
        return _fail(exc, EXIT_USAGE)  # a configuration object refused an impossible value
    except OSError as exc:
        if os.environ.get("LINKKIT_DEBUG") == "1":
            raise
        name = f" {exc.filename}" if exc.filename else ""
        click.echo(f"linkkit: error:{name}: {exc.strerror or exc}", err=True)
        return EXIT_USAGE
    return int(result) if isinstance(result, int) else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
