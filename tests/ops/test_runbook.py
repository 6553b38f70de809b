"""The Samsung certificate rotation runbook of docs/operations.md, run as written (its ```sh runbook blocks, in
order, as one bash script) against a sandbox and a partner of two gunicorn workers that read linkkit.toml,
while threads keep opening Data Fetch links through the sandbox: every request of the load must succeed.

Each load request is a whole round trip: the sandbox signs an AUTH token with Samsung's active certificate
and calls Get Card Data; a partner worker verifies it with the certificate its certificateId names, signs a
Card Data Token and encrypts it to its current Samsung certificate; the sandbox decrypts it with whichever
of its keys fits and verifies the partner's signature.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from linkkit._serving import ServerThread
from linkkit.identity import write_identity
from linkkit.links import fetch_link
from linkkit.sandbox import SandboxConfig, create_app
from tests.conftest import CARD_ID, CERTIFICATE_ID, Identity
from tests.test_docs import blocks

ROOT = Path(__file__).resolve().parents[2]
RUNBOOK = ROOT / "docs" / "operations.md"
LOAD_THREADS = 4
#: The load stops by itself after this long, whatever happens (the runbook takes about 30 s here).
LOAD_LIMIT_S = 240.0


def runbook_script() -> str:
    parts = [b.source for b in blocks(RUNBOOK) if b.words[:2] == ("sh", "runbook")]
    assert len(parts) >= 6, "docs/operations.md lost its runbook blocks"
    return "set -euo pipefail\n" + "\n".join(parts)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Load:
    """Threads opening Data Fetch links through the sandbox until stopped; counts every outcome."""

    def __init__(self, sandbox_url: str) -> None:
        self.sandbox_url = sandbox_url
        self.outcomes: Counter[str] = Counter()
        self.samsung_ids: Counter[str] = Counter()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(LOAD_THREADS)]
        self._deadline = time.monotonic() + LOAD_LIMIT_S

    def _run(self, worker: int) -> None:
        n = 0
        with httpx.Client(timeout=30.0) as http:
            while not self._stop.is_set() and time.monotonic() < self._deadline:
                n += 1
                link = fetch_link(CERTIFICATE_ID, CARD_ID, f"member-{worker}-{n}", base=self.sandbox_url)
                try:
                    session = http.post(f"{self.sandbox_url}/_sandbox/api/open", json={"link": link}).json()
                    outcome = "ok" if session.get("step") == "preview" else f"refused: {session.get('error')}"
                except httpx.HTTPError as exc:
                    outcome = f"no answer: {type(exc).__name__}"
                with self._lock:
                    self.outcomes[outcome] += 1

    def start(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(60)

    @property
    def total(self) -> int:
        return sum(self.outcomes.values())


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("jq") is None or shutil.which("curl") is None, reason="the runbook uses curl and jq")
def test_the_samsung_certificate_runbook_under_load_loses_no_request(identity: Identity, tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    write_identity(folder, identity.files)
    settings = (folder / "linkkit.toml").read_text()
    assert "samsung_certificate_id" in settings  # the sandbox signs with that id, the partner's ring names it

    port = free_port()
    partner_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LINKKIT_CONFIG": str(folder / "linkkit.toml"),
        "LINKKIT_STORE": str(tmp_path / "partner.db"),
        "LINKKIT_KEYRING_CHECK_S": "1",
    }
    log = (tmp_path / "gunicorn.log").open("wb")
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--pythonpath",
            str(ROOT / "examples" / "operations"),
            "--log-level",
            "warning",
            "partner_app:create_app()",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    load: Load | None = None
    try:
        with httpx.Client(timeout=5.0) as http:
            for _ in range(300):
                try:
                    if http.get(f"{partner_url}/readyz").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
            else:
                pytest.fail("the partner did not start")
        config = SandboxConfig.from_identity(folder, partner_base_url=partner_url)
        with ServerThread(create_app(config)) as sandbox:
            load = Load(sandbox.url).start()
            time.sleep(2)  # the load runs before the change-over starts
            switch_at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=12)
            script_env = {
                **env,
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
                "SANDBOX": sandbox.url,
                "PARTNER": partner_url,
                "RELOAD_WAIT": "3",  # each worker looks at the files every second here
                "TOKEN_WAIT": "2",
                "SWITCH_AT": switch_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            done = subprocess.run(
                ["bash", "-c", runbook_script()],
                cwd=folder,
                env=script_env,
                capture_output=True,
                text=True,
                timeout=200,
            )
            time.sleep(2)  # and after it
            load.stop()
            assert done.returncode == 0, done.stdout + done.stderr + (tmp_path / "gunicorn.log").read_text()
            with httpx.Client(timeout=5.0) as http:
                certificates = http.get(f"{sandbox.url}/_sandbox/samsung-certificates").json()["certificates"]
                ready = http.get(f"{partner_url}/readyz").json()
    finally:
        if load is not None:
            load.stop()
        gunicorn.terminate()
        try:
            gunicorn.wait(20)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
            gunicorn.wait(5)
        log.close()

    old = settings.split('samsung_certificate_id = "', 1)[1].split('"', 1)[0]
    assert len(certificates) == 1 and certificates[0]["active"] and certificates[0]["certificateId"] != old
    new = certificates[0]["certificateId"]
    assert ready["keys"]["samsung"] == {"current": new, "ids": [new]}
    assert f'samsung_certificate_id = "{new}"' in (folder / "linkkit.toml").read_text()
    failed = load.total - load.outcomes["ok"]
    summary = {"requests": load.total, "failed": failed, "outcomes": dict(load.outcomes)}
    print(f"\nrunbook: {load.total} requests, {failed} failed")
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "runbook.json").write_text(json.dumps(summary, indent=2))
    assert failed == 0, summary
    assert load.total >= 100, summary  # the load really ran through the change-over
    assert "Samsung's next certificate" in done.stdout and "ok:" in done.stdout


def test_the_runbook_blocks_are_valid_bash() -> None:
    checked = subprocess.run(["bash", "-n", "-c", runbook_script()], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert any(b.words[:2] == ("sh", "runbook") for b in blocks(RUNBOOK))
