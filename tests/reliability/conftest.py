"""Fixtures of the reliability suite: the session's table of cases, partner server processes, a
Samsung-side signer, and a guard that every process and server a test started is gone after it.

Each case records one row (case, target, tries, refused, served, lost) with :func:`table`; the
session writes ``test-artifacts/reliability.md`` and ``test_table.py`` (run last) compares the rows
with the table committed in docs/reliability.md (``LINKKIT_UPDATE_RELIABILITY=1`` rewrites it).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from linkkit._clock import DistinctMillis
from linkkit.tokens import TokenSigner
from tests.conftest import CARD_ID, CERTIFICATE_ID, PARTNER_ID, Identity
from tests.reliability.report import Table

ROOT = Path(__file__).resolve().parents[2]
_TABLE = pytest.StashKey[Table]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_TABLE] = Table()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The table's own test compares what every other case measured: it runs after them.
    last = [item for item in items if item.nodeid.startswith("tests/reliability/test_table.py")]
    items[:] = [item for item in items if item not in last] + last


def pytest_sessionfinish(session: pytest.Session) -> None:
    measured = session.config.stash[_TABLE]
    if measured.rows:
        out = ROOT / "test-artifacts" / "reliability.md"
        out.parent.mkdir(exist_ok=True)
        out.write_text(measured.markdown(), "utf-8")


@pytest.fixture(scope="session")
def table(pytestconfig: pytest.Config) -> Table:
    """The session's table: ``table.record(case, target, tries=..., refused=..., served=..., lost=...)``."""
    return pytestconfig.stash[_TABLE]


# -- nothing left behind ----------------------------------------------------------------------------


def _children() -> set[int]:
    """This process's child processes (zombies included: a child nobody waited for is left over)."""
    me, found = os.getpid(), set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ")"
        if int(stat.rsplit(")", 1)[1].split()[1]) == me:
            found.add(int(entry))
    return found


def _server_threads() -> set[str]:
    """Serving threads: one per server, plus the workers of servers that are no longer serving (a
    longer-lived server, such as a module's, starts workers while a test runs)."""
    names = [t.name for t in threading.enumerate()]
    serving = {name.rsplit("-", 1)[1] for name in names if name.startswith("linkkit-server-")}
    return {
        name
        for name in names
        if name.startswith("linkkit-server-")
        or (name.startswith("linkkit-worker-") and name.split("-")[2] not in serving)
    }


@pytest.fixture(autouse=True)
def nothing_left_behind() -> Iterator[None]:
    """Every child process and every server thread a test started has ended when it ends."""
    before_children, before_threads = _children(), _server_threads()
    yield
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        children, threads = _children() - before_children, _server_threads() - before_threads
        if not children and not threads:
            return
        time.sleep(0.05)
    assert not children, f"child processes left running: {sorted(children)}"
    assert not threads, f"server threads left running: {sorted(threads)}"


# -- partner server processes -------------------------------------------------------------------------


class PartnerProcess:
    """``tests/reliability/partner_child.py`` in its own process, on its own port."""

    def __init__(self, identity_dir: Path, store_url: str, log: Path, *options: str) -> None:
        self._log: IO[str] = log.open("a")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.partner_child", str(identity_dir), store_url, *options],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("ready "):
            self.kill()
            raise AssertionError(f"the partner server did not start: {line!r}; see {log}")
        self.port = int(line.split()[1])
        self.url = f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """kill -9, then reap it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self._close()

    def stop(self) -> None:
        """Close its stdin (its signal to stop), then wait; kill it when it does not stop."""
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._close()

    def _close(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()
        self._log.close()


@pytest.fixture
def partner_process(identity_dir: Path, tmp_path: Path) -> Iterator[Callable[..., PartnerProcess]]:
    """Starts partner server processes: ``partner_process(store_url, *options)``; all stopped after the test."""
    started: list[PartnerProcess] = []

    def start(store_url: str, *options: str) -> PartnerProcess:
        process = PartnerProcess(identity_dir, store_url, tmp_path / "partner.log", *options)
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


# -- calling the partner as Samsung does ------------------------------------------------------------------


@dataclass
class Samsung:
    """Signs and sends the calls Samsung makes to a partner (a fresh AUTH token and request id each)."""

    signer: TokenSigner

    def headers(self, method: str, path: str) -> dict[str, str]:
        return {"Authorization": self.signer.authorization_header(method, path), "x-request-id": os.urandom(8).hex()}

    def send_card_state(self, http: httpx.Client, base: str, ref_id: str, event: str = "ADDED") -> httpx.Response:
        path = f"/cards/{CARD_ID}/{ref_id}"
        return http.post(base + path, params={"cc2": "US", "event": event}, headers=self.headers("POST", path))

    def get_card_data(self, http: httpx.Client, base: str, ref_id: str) -> httpx.Response:
        path = f"/cards/{CARD_ID}/{ref_id}"
        return http.get(base + path, headers=self.headers("GET", path))


@pytest.fixture(scope="session")
def samsung(identity: Identity) -> Samsung:
    return Samsung(
        TokenSigner(
            partner_id=PARTNER_ID,
            certificate_id=CERTIFICATE_ID,
            private_key=identity.samsung_key,
            clock=DistinctMillis(time.time),
        )
    )


def answered(call: Callable[[], httpx.Response]) -> tuple[int, Any]:
    """``(status, body)`` of one call; ``(0, error name)`` when the server did not answer."""
    try:
        response = call()
    except httpx.HTTPError as exc:
        return 0, type(exc).__name__
    try:
        body = response.json() if response.content else None
    except ValueError:
        body = response.text
    return response.status_code, (body, response.headers)


# The throw-away PostgreSQL server of the partner tests (started once per session, when asked for).
from tests.partner.conftest import fresh_url, postgresql_cluster  # noqa: E402

__all__ = ["fresh_url", "postgresql_cluster"]
