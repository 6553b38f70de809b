"""``linkkit sandbox`` as a user runs it: a real process, configured from linkkit.toml, answering HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from linkkit.cli.sandbox_cmd import sandbox
from tests.conftest import CARD_ID, PARTNER_ID

# Until the lead registers the command in linkkit.cli.main, run the click command object itself.
RUN = "import sys; from linkkit.cli.sandbox_cmd import sandbox; sandbox(sys.argv[1:])"


def test_the_command_serves_a_sandbox(identity_dir: Path) -> None:
    env = {**os.environ, "LINKKIT_CONFIG": str(identity_dir / "linkkit.toml"), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", RUN, "--port", "0", "--partner-url", "http://127.0.0.1:9"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("linkkit sandbox on http://127.0.0.1:"), first + (process.stderr.read() or "")
        url = first.split()[3]
        info = httpx.get(f"{url}/_sandbox/info", timeout=5).json()
        assert info["partnerId"] == PARTNER_ID and info["cardIds"] == [CARD_ID]
        assert info["partnerBaseUrl"] == "http://127.0.0.1:9"
        assert httpx.get(f"{url}/atw/v3/{CARD_ID}", timeout=5).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()
        if process.stderr:
            process.stderr.close()


def test_missing_settings_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    monkeypatch.chdir(tmp_path)  # no ./linkkit.toml
    result = CliRunner().invoke(sandbox, ["--port", "0"], env={"LINKKIT_CONFIG": "", "LINKKIT_PARTNER_ID": ""})
    assert result.exit_code != 0 and "--partner-id is required" in result.output
