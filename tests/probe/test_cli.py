"""``linkkit probe`` as a user runs it: settings from the identity's linkkit.toml, a readable report or
JSON, JUnit XML for CI, exit 0 / 1 / 2, one-line errors with a did-you-mean, ``--list``."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from linkkit.cli.main import main
from linkkit.probe import CHECK_NAMES
from tests.conftest import CARD_ID
from tests.probe.conftest import OTP, REF_ID, LivePartner


@pytest.fixture
def settings(identity_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LINKKIT_CONFIG", str(identity_dir / "linkkit.toml"))
    monkeypatch.setenv("LINKKIT_CARD_ID", CARD_ID)  # the session identity's card id is CARD_ID too
    return identity_dir


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["probe", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_healthy_partner_exits_0_and_writes_junit(
    capsys: pytest.CaptureFixture[str], settings: Path, linkkit_partner: LivePartner, tmp_path: Path
) -> None:
    junit = tmp_path / "probe.xml"
    args = ["--ref-id", REF_ID, "--request-action", "--action-input", f"otp={OTP}", "--junit", str(junit)]
    code, out, err = run(capsys, linkkit_partner.url, *args)
    assert code == 0, out + err
    assert out.startswith(f"linkkit probe of {linkkit_partner.url}") and "\nFAIL" not in out
    assert out.rstrip().endswith("22 checks: 22 passed, 0 failed, 0 skipped; 35 requests sent (at most 36)")
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "22" and suite.get("failures") == "0"
    assert REF_ID not in out + junit.read_text()  # (stderr holds the test server's own access log)


def test_a_flawed_partner_exits_1_and_json_names_the_failed_checks(
    capsys: pytest.CaptureFixture[str], settings: Path, broken_partner: Callable[..., LivePartner]
) -> None:
    partner = broken_partner("ignores_path")
    code, out, _ = run(capsys, partner.url, "--ref-id", REF_ID, "--json")
    assert code == 1
    report = json.loads(out)
    assert report["passed"] is False
    assert [c["name"] for c in report["checks"] if c["outcome"] == "fail"] == ["path_swapped"]
    assert report["requests"] == partner.requests


def test_only_and_skip_take_names_and_lists(
    capsys: pytest.CaptureFixture[str], settings: Path, linkkit_partner: LivePartner
) -> None:
    code, out, _ = run(capsys, linkkit_partner.url, "--ref-id", REF_ID, "--only", "alg_none,hs256_confusion", "--json")
    assert code == 0
    assert [c["name"] for c in json.loads(out)["checks"]] == ["get_card_data", "alg_none", "hs256_confusion"]
    code, out, _ = run(capsys, linkkit_partner.url, "--ref-id", REF_ID, "--skip", "oversize_body", "--json")
    assert code == 0 and "oversize_body" not in [c["name"] for c in json.loads(out)["checks"]]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--only", "replay_token"], "only: no check is called 'replay_token' (did you mean replayed_token?)"),
        (["--skip", "get-card-data"], "did you mean get_card_data?"),
        (["--action-input", "otp"], "'otp': write NAME=VALUE"),
        (["--timeout", "0"], "--timeout"),
    ],
)
def test_bad_options_are_one_line_errors_with_exit_2(
    capsys: pytest.CaptureFixture[str], settings: Path, argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "http://127.0.0.1:9/samsung", "--ref-id", REF_ID, *argv)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_missing_settings_name_the_flag(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINKKIT_CONFIG", raising=False)
    monkeypatch.chdir(Path(__file__).parent)  # no linkkit.toml here
    code, _, err = run(capsys, "https://partner.example.com/samsung", "--ref-id", REF_ID)
    assert code == 2 and "--samsung-key is required (or LINKKIT_SAMSUNG_KEY, or samsung_key in linkkit.toml)" in err
    code, _, err = run(capsys)
    assert code == 2 and "BASE_URL is required" in err


def test_a_bad_base_url_is_refused_before_any_request(capsys: pytest.CaptureFixture[str], settings: Path) -> None:
    code, _, err = run(capsys, "https://user@partner.example.com/samsung", "--ref-id", REF_ID)
    assert code == 2 and "base_url: user names and passwords are not allowed" in err


def test_list_names_every_check_and_what_it_covers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--list")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines() if not line.startswith(" ")]
    assert names == list(CHECK_NAMES)
    assert "covers: Acceptance checklist, Security; Authorization Token" in out


def test_a_partner_behind_tls_with_a_private_ca(
    capsys: pytest.CaptureFixture[str], settings: Path, broken_partner: Callable[..., LivePartner], identity: Any
) -> None:
    from linkkit._serving import ServerThread
    from linkkit.tls import server_context
    from tests.probe.broken_partner import MOUNT

    app = broken_partner().counter  # the clean independent partner, served again over HTTPS
    tls = server_context(
        certificate=identity.files["partner-server.crt"],
        private_key=identity.files["partner-server.key"],
        client_ca=None,
    )
    with ServerThread(app, ssl_context=tls) as server:
        url = server.url.replace("127.0.0.1", "localhost") + MOUNT
        code, out, _ = run(capsys, url, "--ref-id", REF_ID, "--only", "get_card_data")
        assert code == 1 and "no answer (its TLS certificate is not trusted; for a private CA give --ca-cert)" in out
        ca = settings / "partner-ca.crt"
        code, out, _ = run(capsys, url, "--ref-id", REF_ID, "--only", "no_token", "--ca-cert", str(ca))
        assert code == 0, out
