"""The whole stack ``make demo`` runs, over real HTTP and TLS: flows through the sandbox's JSON
driver, Save to Pay with the simulated wallet app, mutual TLS on the notification endpoint, and
``python -m demo_site`` in a subprocess stopped with SIGINT (exit 0, every port free, no refId in
its output)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from demo_site.runner import DemoStack, ports_for
from demo_site.services import services_of
from linkkit.links import FetchLink, parse_link
from linkkit.sandbox.s2p import SimulatedWallet

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def stack(identity_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoStack]:
    instance = tmp_path_factory.mktemp("demo-stack")
    shutil.copytree(identity_dir, instance / "identity")  # no key generation here
    with DemoStack(instance_path=instance, port=0, poll_interval_ms=100) as running:
        yield running


@pytest.fixture
def browser(stack: DemoStack) -> Iterator[httpx.Client]:
    """A cookie-keeping client on the demo: one visitor."""
    with httpx.Client(base_url=stack.urls.demo, timeout=10.0) as client:
        yield client


def button_link(html: str) -> str:
    found = re.search(r'<a class="linkkit-button[^"]*"[^>]*href="([^"]+)"', html)
    assert found
    return unescape(found.group(1))


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def wallet_add(stack: DemoStack, link: str) -> dict[str, object]:
    """Open ``link`` and add its card, through the sandbox's JSON driver (what the landing page does)."""
    opened = httpx.post(f"{stack.urls.sandbox}/_sandbox/api/open", json={"link": link}).json()
    assert opened["step"] == "preview", opened
    added = httpx.post(f"{stack.urls.sandbox}/_sandbox/api/s/{opened['session']}/add").json()
    assert added["step"] == "added" and added["partnerStatus"] == [200]
    return dict(added)


def test_ports_follow_the_demo_port() -> None:
    assert ports_for(5000) == {
        "demo": 5000,
        "sandbox": 5001,
        "s2p_welcome": 5002,
        "s2p_api": 5003,
        "notifications": 5004,
    }
    assert set(ports_for(0).values()) == {0}
    with pytest.raises(ValueError):
        ports_for(65534)


def test_loyalty_card_added_then_updated(stack: DemoStack, browser: httpx.Client) -> None:
    link = button_link(browser.get("/rewards").text)
    parsed = parse_link(link)
    assert isinstance(parsed, FetchLink)
    wallet_add(stack, link)
    services = services_of(stack.app)
    card = services.db.by_ref_id(parsed.ref_id)
    assert card is not None
    status = services.partner_store.card_status("northwind-rewards", parsed.ref_id)
    assert status is not None and status.event == "ADDED" and status.callback == stack.urls.sandbox
    console = browser.get("/operator/").text
    answer = browser.post(f"/operator/cards/{card.number}/update", data={"csrf_token": csrf_of(console)})
    assert answer.status_code == 303
    cards = httpx.get(stack.urls.sandbox_wallet).json()["cards"]
    mine = next(c for c in cards if c["refId"] == parsed.ref_id)
    # Samsung fetched the card again after the Update Notification: the wallet shows the new balance.
    assert (mine["state"], mine["data"]["attributes"]["balance"]) == ("UPDATED", "1350 points")


def test_sign_up_registers_a_new_member(stack: DemoStack, browser: httpx.Client) -> None:
    link = button_link(browser.get("/join/").text)
    sandbox = stack.urls.sandbox
    opened = httpx.post(f"{sandbox}/_sandbox/api/open", json={"link": link}).json()
    assert (opened["step"], opened["fields"]) == ("collect", ["phone", "otp"])
    sid = opened["session"]
    wrong = httpx.post(
        f"{sandbox}/_sandbox/api/s/{sid}/auth", json={"inputs": {"phone": "+14155550100", "otp": "000000"}}
    ).json()
    assert wrong["step"] == "collect" and wrong["error"]["code"] == "AUTH_FAILED"
    bad_phone = httpx.post(
        f"{sandbox}/_sandbox/api/s/{sid}/auth", json={"inputs": {"phone": "call me", "otp": "246810"}}
    ).json()
    assert bad_phone["error"]["code"] == "INVALID_PHONE"
    right = httpx.post(
        f"{sandbox}/_sandbox/api/s/{sid}/auth", json={"inputs": {"phone": "+1 (415) 555-0100", "otp": "246810"}}
    ).json()
    assert right["step"] == "preview"
    ref_id = right["card"]["card"]["data"][0]["refId"]
    member = services_of(stack.app).db.by_ref_id(ref_id)
    assert member is not None and member.attrs["phone_hint"] == "00" and member.holder == "New member"
    added = httpx.post(f"{sandbox}/_sandbox/api/s/{sid}/add").json()
    assert added["partnerStatus"] == [200]


def _sign_up(stack: DemoStack, browser: httpx.Client) -> str:
    """Open the sign-up link in the sandbox wallet: a new Request Action session."""
    link = button_link(browser.get("/join/").text)
    opened = httpx.post(f"{stack.urls.sandbox}/_sandbox/api/open", json={"link": link}).json()
    assert opened["step"] == "collect"
    return str(opened["session"])


def _code(stack: DemoStack, sid: str, phone: str, code: str) -> dict[str, object]:
    answer = httpx.post(
        f"{stack.urls.sandbox}/_sandbox/api/s/{sid}/auth", json={"inputs": {"phone": phone, "otp": code}}
    )
    return dict(answer.json())


def test_sign_up_locks_after_five_wrong_codes_per_session_and_per_phone(
    stack: DemoStack, browser: httpx.Client
) -> None:
    right = services_of(stack.app).settings.otp
    sid = _sign_up(stack, browser)
    # One session, five phone numbers: the session counts every wrong code.
    for n, left in zip(range(4), (4, 3, 2, 1), strict=True):
        wrong = _code(stack, sid, f"+1 415 555 01{n:02d}", "000000")
        assert wrong["error"]["code"] == "AUTH_FAILED"  # type: ignore[index]
        assert f"({left} {'try' if left == 1 else 'tries'} left)" in wrong["error"]["message"]  # type: ignore[index]
    fifth = _code(stack, sid, "+1 415 555 0104", "000000")
    assert fifth["step"] == "collect" and fifth["error"]["code"] == "AUTH_LOCKED"  # type: ignore[index]
    assert "try again in 15 minutes" in fifth["error"]["message"]  # type: ignore[index]
    # Locked means locked: the right code is refused too, and nothing is issued.
    issued = len(services_of(stack.app).db.cards(limit=1000))
    assert _code(stack, sid, "+1 415 555 0199", right)["error"]["code"] == "AUTH_LOCKED"  # type: ignore[index]
    assert len(services_of(stack.app).db.cards(limit=1000)) == issued

    # One phone number, a fresh session after each failure: the phone counts them across sessions.
    phone = "+44 20 7946 0958"
    for _ in range(4):
        sid = _sign_up(stack, browser)
        assert _code(stack, sid, phone, "111111")["error"]["code"] == "AUTH_FAILED"  # type: ignore[index]
    sid = _sign_up(stack, browser)
    assert _code(stack, sid, phone, "111111")["error"]["code"] == "AUTH_LOCKED"  # type: ignore[index]
    sid = _sign_up(stack, browser)
    assert _code(stack, sid, phone, right)["error"]["code"] == "AUTH_LOCKED"  # type: ignore[index]
    # Another member, in that same fresh session, is not locked out by someone else's guesses.
    assert _code(stack, sid, "+44 20 7946 0000", right)["step"] == "preview"


def test_save_to_pay_over_mutual_tls_to_provisioned(stack: DemoStack, browser: httpx.Client) -> None:
    page = browser.get("/pay/").text
    welcome_url = unescape(re.search(r'data-welcome-url="([^"]+)"', page).group(1))  # type: ignore[union-attr]
    assert welcome_url.startswith(stack.urls.s2p_welcome + "/v1/welcome/")
    # Registered once per card: a second view reuses the registration.
    assert unescape(re.search(r'data-welcome-url="([^"]+)"', browser.get("/pay/").text).group(1)) == welcome_url  # type: ignore[union-attr]
    wallet = SimulatedWallet()
    try:
        link = wallet.scan(welcome_url)
        linked = wallet.link(link)
        assert str(linked["issuerBlob"]).startswith("demo-issuer.")
        wallet.finish(link, "success")
    finally:
        wallet.close()
    console = browser.get("/operator/").text
    assert 'data-type="WA_READY"' in console and 'data-type="WA_PROVISIONED"' in console


def test_notification_endpoint_requires_a_client_certificate(stack: DemoStack) -> None:
    parts = urlsplit(stack.urls.notifications)
    context = ssl.create_default_context(cafile=str(stack.instance_path / "identity" / "partner-ca.crt"))
    with pytest.raises((ssl.SSLError, ConnectionResetError, httpx.HTTPError)):
        with httpx.Client(verify=context) as client:
            client.post(f"https://{parts.netloc}/notifications", json={})
    assert parts.hostname == "127.0.0.1"


def _free(port: int) -> bool:
    """Nobody listens on ``port`` and a server could bind it again (TIME_WAIT of closed connections
    allowed, as every server's SO_REUSEADDR allows it)."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            return False
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_python_m_demo_site_serves_and_stops_cleanly_on_sigint(identity_dir: Path, tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    shutil.copytree(identity_dir, instance / "identity")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "demo_site", "--port", "0", "--instance", str(instance)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        banner = "".join(lines)
        assert "Press Ctrl-C to stop." in banner, banner
        urls = dict(re.findall(r"^\s+([A-Za-z0-9 ]+?):\s+(\S+)", banner, re.M))
        demo, sandbox = urls["Demo"].rstrip("/"), urls["Sandbox wallet"].rsplit("/_sandbox", 1)[0]
        ports = [urlsplit(u).port for u in re.findall(r"(?:https?)://127\.0\.0\.1:\d+", banner)]
        assert len(set(ports)) == 5
        with httpx.Client(base_url=demo, timeout=10) as client:
            for path in ("/", "/rewards", "/cinema", "/operator/"):
                assert client.get(path).status_code == 200
            link = button_link(client.get("/rewards").text)
            ref_id = link.rsplit("=", 1)[1]
            # Samsung (the sandbox) calls Get Card Data and Send Card State: paths with the refId.
            opened = httpx.post(f"{sandbox}/_sandbox/api/open", json={"link": link}).json()
            httpx.post(f"{sandbox}/_sandbox/api/s/{opened['session']}/add")
            short = button_link(client.get("/cinema").text)
            assert client.get(short).status_code == 302
        assert httpx.get(urls["Sandbox wallet"]).json()["cards"][0]["refId"] == ref_id
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    output = banner + rest
    assert proc.returncode == 0, output
    assert "Stopped." in output
    assert ref_id not in output and "eyJ" not in output and urlsplit(short).path not in output
    assert "GET /samsung/cards/northwind-rewards/… HTTP/1.1" in output  # the calls are logged, redacted
    assert all(_free(port) for port in ports if port is not None)


def test_a_busy_port_is_reported_with_the_way_out(
    identity_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from demo_site.__main__ import main

    instance = tmp_path / "instance"
    shutil.copytree(identity_dir, instance / "identity")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["--port", str(port), "--quiet", "--instance", str(instance)]) == 1
    assert "is in use; try --port 8000 or --port 0" in capsys.readouterr().err
