"""The opt-in pytest plugin, run as partners run it: a separate pytest process, either with
``--linkkit-probe URL`` (one test per check) or with the ``linkkit_probe`` fixture in a test of theirs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CARD_ID
from tests.probe.conftest import REF_ID, LivePartner

PLUGIN = "linkkit.probe.pytest_plugin"


def _pytest(cwd: Path, *argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        # --rootdir: pytest would take the common folder of cwd and the identity folder otherwise
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "--rootdir", str(cwd), *argv],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _cli_args(partner: LivePartner, identity_dir: Path) -> list[str]:
    return [
        "-p",
        PLUGIN,
        "-m",
        "linkkit_probe",
        "--linkkit-probe",
        partner.url,
        "--linkkit-probe-identity",
        str(identity_dir),
        "--linkkit-probe-card-id",
        CARD_ID,
        "--linkkit-probe-ref-id",
        REF_ID,
    ]


def test_one_test_per_check_against_a_healthy_partner(
    tmp_path: Path, identity_dir: Path, linkkit_partner: LivePartner
) -> None:
    done = _pytest(tmp_path, *_cli_args(linkkit_partner, identity_dir))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "20 passed, 2 skipped" in done.stdout
    assert "PASSED linkkit_probe::get_card_data" in done.stdout
    assert "SKIPPED [2] linkkit_probe:1: Request Action is not enabled (--request-action)" in done.stdout


def test_a_flaw_fails_its_test_with_the_exchanges(
    tmp_path: Path, identity_dir: Path, broken_partner: Callable[..., LivePartner]
) -> None:
    partner = broken_partner("accepts_replays")
    done = _pytest(tmp_path, *_cli_args(partner, identity_dir), "--linkkit-probe-skip", "oversize_body")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAILED linkkit_probe::replayed_request_id" in done.stdout
    assert "FAILED linkkit_probe::replayed_token" in done.stdout
    assert "2 failed, 17 passed, 2 skipped" in done.stdout
    assert "a used token under a new x-request-id: accepted with 200" in done.stdout
    assert partner.requests == 31  # the whole run went out once (36 - 4 Request Action - 1 oversize)


def test_an_unknown_check_name_is_a_usage_error(tmp_path: Path, identity_dir: Path) -> None:
    args = ["-p", PLUGIN, "--linkkit-probe", "http://127.0.0.1:9/x", "--linkkit-probe-only", "replay_token"]
    done = _pytest(tmp_path, *args)
    assert done.returncode == 4 and "did you mean replayed_token?" in done.stderr


CONFTEST = f'pytest_plugins = ["linkkit.testing", "{PLUGIN}"]\n'
TEST_FILE = """
import copy

from flask import Flask

from linkkit._serving import ServerThread
from linkkit.partner import PartnerConfig, PartnerServer, SQLiteStore

CARD = {"card": {"type": "loyalty", "subType": "others", "data": [{"refId": "member-0001",
        "createdAt": 1795000000000, "updatedAt": 1795000000000, "language": "en",
        "attributes": {"title": "Gold", "providerName": "Coffee & Co", "appLinkLogo": "https://example.com/l.png",
                       "appLinkName": "Coffee & Co", "appLinkData": "https://example.com/app"}}]}}


class Cards:
    def get_card(self, card_id, ref_id, fields):
        return CARD if ref_id == "member-0001" else None


def test_my_partner_passes_the_probe(linkkit_identity, linkkit_probe):
    config = PartnerConfig(signer=linkkit_identity.partner_signer(), card_ids={linkkit_identity.card_id})
    server = PartnerServer(config, Cards(), store=SQLiteStore(":memory:"))
    app = Flask("mine")
    app.register_blueprint(server.blueprint(url_prefix="/samsung"))
    with ServerThread(app) as live:
        report = linkkit_probe.run(live.url + "/samsung", ref_id="member-0001")
    assert report.passed, report.text
    assert report.result("replayed_token").passed
"""


def test_the_fixture_probes_the_users_own_partner(tmp_path: Path, identity_dir: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_partner.py").write_text(TEST_FILE)
    done = _pytest(tmp_path, "-q", env={"LINKKIT_SANDBOX_IDENTITY": str(identity_dir)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
