"""Did-you-mean: every choice of every command, and locales, name their close matches."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from linkkit.cli import _suggest
from linkkit.cli.main import cli, main


def walk(command: click.Command):
    yield command
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from walk(sub)


def test_every_choice_of_every_command_suggests(capsys):
    main(["--help"])  # registers the commands
    capsys.readouterr()
    choices = [p for c in walk(cli) for p in c.params if isinstance(p.type, click.Choice)]
    assert len(choices) > 10
    assert all(isinstance(p.type, _suggest.SuggestingChoice) for p in choices)


def test_choice_errors_name_the_closest(capsys):
    code = main(["button", "--link", "https://a.swallet.link/x", "--format", "emial"])
    err = capsys.readouterr().err
    assert code == 2 and "'emial' is not one of 'web', 'email'. Did you mean 'email'?" in err


@pytest.mark.parametrize(
    "value,expected",
    [("emial", ["email"]), ("EMAIL", ["email"]), ("prnt", ["print"]), ("zzz", [])],
)
def test_close_matches(value, expected):
    assert _suggest.close_matches(value, ["email", "sms", "qr", "print", "web", "app"]) == expected


@pytest.mark.parametrize("tag", ["de", "pt_BR", "pt-br", "en-AU", "fr-CA", "zh-Hant-HK", "ES"])
def test_locales_a_shipped_locale_serves(tag):
    assert _suggest.check_locale(tag) == tag


@pytest.mark.parametrize(
    "tag,hint",
    [("jp", "Did you mean 'ja'?"), ("dee", "Did you mean 'de'?"), ("xx", "Shipped: en-US, en-GB, ko")],
)
def test_locales_that_would_fall_back_to_english_are_refused(tag, hint):
    with pytest.raises(click.BadParameter, match="no button in this language") as caught:
        _suggest.check_locale(tag)
    assert hint in caught.value.message


def test_button_locale_suggestion(capsys):
    code = main(["button", "--link", "https://a.swallet.link/x", "--locale", "kr"])
    err = capsys.readouterr().err
    assert code == 2 and "Invalid value for '--locale': 'kr'" in err and "Did you mean 'ko'?" in err


def test_commands_not_loaded_yet_are_suggested_too(tmp_path):
    # A fresh process: no command family is imported until one is named.
    code = "import sys; from linkkit.cli.main import main; sys.exit(main(['campain']))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "No such command 'campain'. Did you mean 'campaign'?" in result.stderr
    code = "import sys; from linkkit.cli.main import main; main(['campaign', '--help']); print(sorted(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False).stdout
    assert "'flask'" not in loaded and "'httpx'" not in loaded  # linkkit campaign does not load the web stack
