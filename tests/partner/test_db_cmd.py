"""``linkkit db``: status and upgrade of the partner store's schema, on both engines, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linkkit.cli.main import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from linkkit.partner.stores.pg_schema import SCHEMA_VERSION


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def empty_store_url(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A database linkkit never wrote to."""
    if engine == "postgresql":
        return str(request.getfixturevalue("fresh_url"))
    return f"sqlite:///{tmp_path / 'partner.sqlite3'}"


def test_status_then_upgrade_then_status(capsys: pytest.CaptureFixture[str], empty_store_url: str) -> None:
    code, out, _ = _run(capsys, "db", "status", "--store-url", empty_store_url)
    assert code == EXIT_INVALID and "schema version 0" in out and "run `linkkit db upgrade`" in out
    code, out, _ = _run(capsys, "db", "upgrade", "--store-url", empty_store_url)
    assert code == EXIT_OK and f"upgraded from version 0 to {SCHEMA_VERSION}" in out
    code, out, _ = _run(capsys, "db", "upgrade", "--store-url", empty_store_url)
    assert code == EXIT_OK and "nothing to do" in out
    code, out, _ = _run(capsys, "db", "status", "--store-url", empty_store_url, "--json")
    found = json.loads(out)
    assert code == EXIT_OK and found["current"] is True and found["version"] == found["code_version"]
    assert found["engine"] in ("sqlite", "postgresql") and found["before"] == found["version"]


def test_the_url_comes_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LINKKIT_STORE_URL", str(tmp_path / "env.sqlite3"))
    code, out, _ = _run(capsys, "db", "upgrade", "--json")
    assert code == EXIT_OK and json.loads(out)["version"] == SCHEMA_VERSION and (tmp_path / "env.sqlite3").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["db", "upgrade"], "--store-url is required"),
        (["db", "status", "--store-url", "mysql://db/x"], "unsupported scheme 'mysql'"),
        (["db", "status", "--store-url", "postgresql://linkkit:hunter2@127.0.0.1:1/x"], "cannot connect"),
    ],
)
def test_bad_input_is_one_line_without_secrets(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str], message: str
) -> None:
    monkeypatch.delenv("LINKKIT_STORE_URL", raising=False)
    code, out, err = _run(capsys, *argv)
    assert code in (EXIT_USAGE, EXIT_INVALID) and message in err and err.count("\n") == 1
    assert "hunter2" not in err and "Traceback" not in err and out == ""


def test_a_newer_schema_is_an_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import sqlite3

    with sqlite3.connect(tmp_path / "new.sqlite3") as conn:
        conn.execute("PRAGMA user_version = 99")
    code, _, err = _run(capsys, "db", "status", "--store-url", str(tmp_path / "new.sqlite3"))
    assert code == EXIT_INVALID and "newer than this code" in err
