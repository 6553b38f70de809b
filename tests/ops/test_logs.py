"""LINKKIT_LOG_FORMAT=json: one JSON object per line, one access line per call (time, request id, endpoint,
outcome, code, status, duration), secrets redacted. The server runs in a child process, as in production,
so that the logging set-up it makes is its own."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from linkkit.errors import ConfigError
from linkkit.observability import JsonFormatter, configure_logging
from tests.conftest import CARD_ID, CERTIFICATE_ID, PARTNER_ID, Identity

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    f"""
    import json, logging, sys, uuid
    import httpx
    from linkkit._serving import ServerThread
    from linkkit.keys import load_certificate, load_private_key, public_key_of
    from linkkit.partner import PartnerConfig, PartnerServer, SQLiteStore
    from linkkit.tokens import TokenSigner

    # the test server's own access log writes paths, refIds included: production servers must not either
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    folder = sys.argv[1]
    read = lambda name: open(f"{{folder}}/{{name}}", "rb").read()
    signer = TokenSigner(partner_id="{PARTNER_ID}", certificate_id="{CERTIFICATE_ID}",
                         private_key=load_private_key(read("partner.key")),
                         samsung_public_key=public_key_of(load_certificate(read("samsung.crt"))))
    samsung = TokenSigner(partner_id="{PARTNER_ID}", certificate_id="{CERTIFICATE_ID}",
                          private_key=load_private_key(read("samsung.key")))
    ref = "ref-Zq8Lw3Xv5Nt2Kp9Rb7Yd"
    card = json.loads(sys.argv[2])
    card["card"]["data"][0]["refId"] = ref

    class Cards:
        def get_card(self, card_id, ref_id, fields):
            return card if ref_id == ref else None

    config = PartnerConfig(signer=signer, card_ids={{"{CARD_ID}"}})
    server = PartnerServer(config, Cards(), store=SQLiteStore(":memory:"))
    path = f"/cards/{CARD_ID}/{{ref}}"
    with ServerThread(server.wsgi_app()) as live, httpx.Client() as http:
        good = samsung.authorization_header("GET", path)
        print(http.get(live.url + path, headers={{"authorization": good, "x-request-id": "rid-1"}}).status_code)
        forged = good[:-8] + "AAAAAAAA"
        print(http.get(live.url + path, headers={{"authorization": forged, "x-request-id": "rid-2"}}).status_code)
        print(http.get(live.url + "/nowhere", headers={{"x-request-id": "bad id with spaces"}}).status_code)
        print(http.get(live.url + "/healthz").status_code)
        print(good, file=sys.stdout)
    """
)


def run_partner(identity_dir: Path, loyalty_card: dict[str, object], **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, str(identity_dir), json.dumps(loyalty_card)],
        capture_output=True,
        text=True,
        timeout=120,
        env=environ,
        check=True,
    )


def test_json_lines_one_per_call_with_the_fields_an_operator_needs(
    identity_dir: Path, loyalty_card: dict[str, object]
) -> None:
    done = run_partner(identity_dir, loyalty_card, LINKKIT_LOG_FORMAT="json")
    statuses, token = done.stdout.split()[:3], done.stdout.split()[-1]
    assert statuses == ["200", "401", "404"]
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]
    access = [line for line in lines if line["logger"] == "linkkit.access"]
    assert [(a["request_id"], a["endpoint"], a["outcome"], a["code"], a["status"]) for a in access] == [
        ("rid-1", "get_card_data", "answered", "ok", 200),
        ("rid-2", "get_card_data", "refused", "bad_signature", 401),
        (None, "other", "refused", "not_found", 404),  # an id of the wrong shape is not written
    ]
    for line in access:
        assert line["time"].endswith("Z") and line["level"] == "info"
        assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
        assert line["message"].startswith(line["endpoint"])
    # the refusal's own warning is a JSON line too, and nothing secret is anywhere
    assert any(line["logger"] == "linkkit.partner" and line["level"] == "warning" for line in lines)
    assert "ref-Zq8Lw3Xv5Nt2Kp9Rb7Yd" not in done.stderr and token.split(".")[2] not in done.stderr
    assert "Bearer" not in done.stderr and "bad id with spaces" not in done.stderr


def test_without_the_variable_no_access_lines_are_written(identity_dir: Path, loyalty_card: dict[str, object]) -> None:
    done = run_partner(identity_dir, loyalty_card, LINKKIT_LOG_FORMAT="")
    assert "linkkit.access" not in done.stderr and "get_card_data answered" not in done.stderr


def test_the_formatter_redacts_messages_and_fields(identity: Identity) -> None:
    token = "eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.c2lnbmF0dXJlc2lnbmF0dXJl"
    record = logging.LogRecord("linkkit.test", logging.WARNING, __file__, 1, "got %s", (token,), None)
    record.ref = "ref-Zq8Lw3Xv5Nt2Kp9Rb7Yd"
    record.count = 3
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "got [redacted]" and line["ref"] == "[redacted]" and line["count"] == 3
    assert set(line) == {"time", "level", "logger", "message", "ref", "count"}


def test_a_misspelt_format_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINKKIT_LOG_FORMAT", "jsno")
    with pytest.raises(ConfigError, match="LINKKIT_LOG_FORMAT: 'json' or 'text'"):
        configure_logging()
    monkeypatch.setenv("LINKKIT_LOG_FORMAT", "text")
    assert configure_logging() is False
