"""The Django and FastAPI examples, as their READMEs run them: the example in its own server process
(granian WSGI for Django, uvicorn for FastAPI), the sandbox playing Samsung, every call over real
HTTP, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from linkkit._serving import ServerThread
from linkkit.identity import write_identity
from linkkit.links import fetch_link
from linkkit.partner import ClickLinks, open_store
from linkkit.sandbox import SandboxConfig, create_app
from linkkit.sandbox.app import EXTENSION_KEY
from linkkit.testing import LocalIdentity, SandboxHandle

ROOT = Path(__file__).resolve().parents[2]
CLICK_SECRET = "ab" * 32
EXAMPLES = {
    "django": (ROOT / "examples" / "django", ["-m", "granian", "--interface", "wsgi", "shop.wsgi:application"]),
    "asgi": (ROOT / "examples" / "asgi", ["-m", "uvicorn", "shop_api:app"]),
}


@pytest.fixture(scope="module")
def linkkit_identity(identity_dir: Path) -> LocalIdentity:
    """The session's identity, as the sandbox and the examples load it (linkkit keys generate's folder)."""
    return LocalIdentity.load(identity_dir)


@pytest.fixture
def sandbox(linkkit_identity: LocalIdentity) -> Iterator[SandboxHandle]:
    """A sandbox of this test's own: its client of the partner keeps connections alive to the
    example's server, and is closed here with it (the session sandbox would keep them to the end)."""
    app = create_app(SandboxConfig.from_identity(dict(linkkit_identity.files), card_ids=frozenset()))
    with ServerThread(app) as running:
        handle = SandboxHandle(running.url, linkkit_identity)
        yield handle
        handle.close()
        app.extensions[EXTENSION_KEY].caller.close()


@pytest.fixture
def example_store_url(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if engine == "postgresql":
        return str(request.getfixturevalue("postgresql_url"))
    return f"sqlite:///{tmp_path / 'partner.sqlite3'}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(params=sorted(EXAMPLES))
def example(
    request: pytest.FixtureRequest,
    linkkit_identity: LocalIdentity,
    sandbox: SandboxHandle,
    example_store_url: str,
    tmp_path: Path,
) -> Iterator[str]:
    """The example serving on a free port, configured as its README says; its public base URL."""
    folder, command = EXAMPLES[request.param]
    keys = tmp_path / "keys"
    write_identity(keys, dict(linkkit_identity.files))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "LINKKIT_CONFIG": str(keys / "linkkit.toml"),
        "LINKKIT_STORE_URL": example_store_url,
        "LINKKIT_ATW_BASE_URL": sandbox.url,
        "LINKKIT_WALLET_API_URL": sandbox.url,
        "SHOP_CLICK_SECRET": CLICK_SECRET,
        "SHOP_PUBLIC_URL": base,
        "DJANGO_SETTINGS_MODULE": "shop.settings",
    }
    if request.param == "django":
        check = subprocess.run(
            [sys.executable, "manage.py", "check", "--fail-level", "WARNING"],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert check.returncode == 0, check.stderr
        assert "System check identified no issues" in check.stdout
    args = [*command, "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen([sys.executable, *args], cwd=folder, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (
                f"the {request.param} example exited: {server.stderr and server.stderr.read()}"
            )
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"the {request.param} example did not start"
            time.sleep(0.2)
        sandbox.set_partner_url(base + "/samsung")
        yield base
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
        if server.stderr is not None:
            server.stderr.close()


def test_a_data_fetch_link_is_served_and_the_card_added(
    example: str, sandbox: SandboxHandle, linkkit_identity: LocalIdentity, example_store_url: str
) -> None:
    ids = linkkit_identity
    session = sandbox.open_link(fetch_link(ids.certificate_id, ids.card_id, "ref-1001", base=sandbox.url))
    assert session["step"] == "preview", session
    assert session["card"]["card"]["data"][0]["attributes"]["title"] == "Ada Lovelace, Gold Member"
    [call] = sandbox.calls(api="get_card_data")
    assert call["status"] == 200 and call["path"] == f"/samsung/cards/{ids.card_id}/ref-1001"
    added = sandbox.add(session)
    assert added["step"] == "added" and added["partnerStatus"] == [200]
    store = open_store(example_store_url)  # the example's own store, as another worker would open it
    status = store.card_status(ids.card_id, "ref-1001")
    store.close()
    assert status is not None and status.event == "ADDED" and status.callback == sandbox.url
    # a card the shop does not have
    missing = sandbox.open_link(fetch_link(ids.certificate_id, ids.card_id, "ref-9", base=sandbox.url))
    assert missing["step"] == "error" and missing["error"]["code"] == "card_not_found"


def test_a_click_time_link_redirects_once_to_a_fresh_transmit_link(
    example: str, sandbox: SandboxHandle, linkkit_identity: LocalIdentity, example_store_url: str
) -> None:
    store = open_store(example_store_url)
    links = ClickLinks(store=store, secrets=bytes.fromhex(CLICK_SECRET), base_url=example + "/samsung/w")
    url = links.create(linkkit_identity.card_id, "ref-1002", max_uses=1, channel="email")
    store.close()
    with httpx.Client(timeout=10) as http:
        first = http.get(url)
        assert first.status_code == 302 and first.headers["cache-control"] == "no-store"
        assert http.get(url).status_code == 410  # the one use is spent
    session = sandbox.open_link(first.headers["location"])
    assert session["step"] == "preview" and session["refId"] == "ref-1002"
