"""``linkkit sandbox`` as a user runs it: real ports, Save to Pay beside the wallet side, Ctrl-C stops all."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys

import httpx


def test_sandbox_serves_both_sides_and_stops_on_ctrl_c(identity_dir):
    env = {**os.environ, "LINKKIT_CONFIG": str(identity_dir / "linkkit.toml"), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "linkkit.cli.main",
            "sandbox",
            "--port",
            "0",
            "--s2p-port",
            "0",
            "--welcome-port",
            "0",
            "--s2p-notification-url",
            "https://127.0.0.1:9/notifications",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(4)]
        text = "".join(lines)
        base = re.search(r"sandbox on (http://127\.0\.0\.1:\d+)", text)
        s2p = re.search(r"Save to Pay API \(mutual TLS\): (https://127\.0\.0\.1:(\d+)\S*)\s+welcome pages: (\S+)", text)
        assert base and s2p, text
        wallet = httpx.get(base.group(1) + "/_sandbox/wallet", timeout=5)
        assert wallet.status_code == 200 and wallet.headers["content-type"].startswith("application/json")
        # The S2P API is TLS-only with client certificates: a plain TCP connect works, a plain HTTP request does not.
        with socket.create_connection(("127.0.0.1", int(s2p.group(2))), timeout=5):
            pass
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()
