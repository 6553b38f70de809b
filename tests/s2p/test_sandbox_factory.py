"""Building and serving the S2P sandbox; the architecture rule that partner and sandbox never meet in code."""

from __future__ import annotations

import ast
from pathlib import Path

import httpx
import pytest

from linkkit.errors import ConfigError
from linkkit.sandbox.s2p import S2PSandbox, S2PSandboxKeys, create_s2p_sandbox
from linkkit.sandbox.s2p.state import Fault, parse_fault_header

from .conftest import S2P_PARTNER_ID

ROOT = Path(__file__).resolve().parents[2] / "linkkit"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_sandbox_and_partner_never_import_each_other():
    # ARCHITECTURE.md: they meet only over HTTP and TLS.
    for path in (ROOT / "sandbox" / "s2p").rglob("*.py"):
        assert not any(m.startswith("linkkit.partner") for m in _imports(path)), path
    for path in (ROOT / "partner").glob("s2p*.py"):
        assert not any(m.startswith("linkkit.sandbox") for m in _imports(path)), path
    for path in [*(ROOT / "s2p").glob("*.py"), ROOT / "clients" / "s2p.py", ROOT / "tls.py"]:
        assert not any(m.startswith(("linkkit.sandbox", "linkkit.partner")) for m in _imports(path)), path


def test_keys_from_an_identity_directory(identity_dir, partner):
    box = create_s2p_sandbox(identity_dir, partner_id=S2P_PARTNER_ID, partner_notification_url=partner.url)
    assert box.keys.server_certificate == identity_dir / "s2p-server.crt"
    with box.serve() as running:
        assert running.api_url.startswith("https://127.0.0.1:") and running.api_url.endswith("/ext/v1")
        assert box.welcome_base_url == running.welcome_base_url
        assert httpx.get(f"{running.welcome_base_url}/v1/static/s2p.css").status_code == 200
    box.close()


def test_missing_identity_files(tmp_path, identity):
    with pytest.raises(ConfigError, match="s2p-server.crt is missing"):
        S2PSandboxKeys.from_identity(tmp_path)
    files = dict(identity.files)
    del files["partner-ca.crt"]
    with pytest.raises(ConfigError, match="partner-ca.crt is missing"):
        S2PSandboxKeys.from_identity(files)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"partner_id": "4030093436155138240"}, "partner_id"),
        ({"partner_notification_url": "partner.local/notify"}, "partner_notification_url"),
        ({"welcome_ttl": 0}, "positive"),
        ({"poll_interval_ms": 10}, "poll_interval_ms"),
    ],
)
def test_configuration_errors(identity, kwargs, words):
    base = dict(
        keys=S2PSandboxKeys.from_identity(identity.files),
        partner_id=S2P_PARTNER_ID,
        partner_notification_url="https://127.0.0.1:1",
    )
    with pytest.raises(ValueError, match=words):
        S2PSandbox(**(base | kwargs))


def test_welcome_base_url_must_be_absolute(sandbox):
    with pytest.raises(ConfigError):
        sandbox.welcome_base_url = "/relative"


def test_fault_parsing():
    assert parse_fault_header("503.2=5") == Fault("503.2", 5)
    assert parse_fault_header("slow=2, 503") == Fault("503.1", 1)
    assert parse_fault_header("401") is None
    with pytest.raises(ValueError):
        Fault("400.1")
    with pytest.raises(ValueError):
        Fault("503.1", -1)
