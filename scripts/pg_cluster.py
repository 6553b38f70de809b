"""A throw-away PostgreSQL cluster for tests and benchmarks: initdb in a temporary folder, one server
on 127.0.0.1 and a free port, stopped and deleted on exit.

PostgreSQL refuses to run as root, so under root the server runs as ``nobody`` (its folder is
handed to that user); otherwise as the current user. The server is this process's child and is
told to shut down if this process dies (``PR_SET_PDEATHSIG``), so a killed test run leaves no
server behind. Debian's binaries (``/usr/lib/postgresql/<version>/bin``) are found by themselves;
``scripts/system-deps.sh`` installs them when missing.

    with Cluster() as cluster:
        store = PostgreSQLStore(cluster.url)

    python scripts/pg_cluster.py          # a cluster until Ctrl-C; prints its URL
"""

from __future__ import annotations

import ctypes
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

#: The database and role every cluster has (trust authentication on 127.0.0.1 only).
DATABASE = "linkkit"
ROLE = "linkkit"
_PR_SET_PDEATHSIG = 1


class ClusterError(RuntimeError):
    """PostgreSQL is missing, or the cluster did not start."""


def find_binaries() -> Path:
    """The folder holding ``initdb`` and ``postgres`` (Debian's newest version, else ``$PATH``)."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    if found and shutil.which("postgres"):
        return Path(os.path.realpath(found)).parent
    raise ClusterError("PostgreSQL is not installed: run `bash scripts/system-deps.sh` (or `make system-deps`)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> Callable[[], None]:
    def set_signal() -> None:
        # SIGINT is PostgreSQL's "fast shutdown": clients are disconnected, the server exits.
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGINT, 0, 0, 0)

    return set_signal


class Cluster:
    """One temporary PostgreSQL server (see the module docstring).

    :param durable: keep PostgreSQL's crash safety (fsync, full page writes): for benchmarks. Tests
        turn it off, which is only unsafe if the machine crashes, when the cluster is garbage anyway.
    """

    def __init__(self, *, durable: bool = False) -> None:
        self.durable = durable
        self.port = 0
        self.folder: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._user: pwd.struct_passwd | None = pwd.getpwnam("nobody") if os.geteuid() == 0 else None

    @property
    def pid(self) -> int | None:
        """The server's (postmaster's) process id while it runs."""
        return None if self._process is None else self._process.pid

    @property
    def url(self) -> str:
        return f"postgresql://{ROLE}@127.0.0.1:{self.port}/{DATABASE}"

    def url_for(self, database: str) -> str:
        return f"postgresql://{ROLE}@127.0.0.1:{self.port}/{database}"

    def _as_user(self) -> dict[str, object]:
        """Popen arguments that run a child as the cluster's user (nothing when we are not root)."""
        if self._user is None:
            return {}
        return {"user": self._user.pw_uid, "group": self._user.pw_gid, "extra_groups": []}

    def _run(self, *args: str | Path) -> subprocess.CompletedProcess[bytes]:
        # PostgreSQL's own binaries, found by find_binaries(), with fixed arguments
        return subprocess.run(  # noqa: S603  # type: ignore[call-overload,no-any-return]
            [str(a) for a in args], capture_output=True, check=False, env=self._env(), **self._as_user()
        )

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C", TZ="UTC", HOME=str(self.folder))
        return env

    def start(self, *, timeout: float = 60.0) -> Cluster:
        binaries = find_binaries()
        self.folder = Path(tempfile.mkdtemp(prefix="linkkit-pg-"))
        data = self.folder / "data"
        if self._user is not None:
            os.chown(self.folder, self._user.pw_uid, self._user.pw_gid)
        done = self._run(
            binaries / "initdb", "-D", data, "-U", ROLE, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"
        )
        if done.returncode != 0:
            self.stop()
            raise ClusterError(f"initdb failed: {done.stderr.decode(errors='replace')[-2000:]}")
        settings = ["listen_addresses=127.0.0.1", f"unix_socket_directories={self.folder}", "max_connections=200"]
        if not self.durable:
            settings += ["fsync=off", "full_page_writes=off", "synchronous_commit=off"]
        for _attempt in range(3):
            self.port = free_port()
            command = [str(binaries / "postgres"), "-D", str(data), "-p", str(self.port)]
            for setting in settings:
                command += ["-c", setting]
            log = open(self.folder / "server.log", "ab")  # the child writes it; closed here once handed over
            self._process = subprocess.Popen(  # noqa: S603  # type: ignore[call-overload]
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self._env(),
                preexec_fn=_die_with_parent(),
                **self._as_user(),
            )
            log.close()
            if self._wait_ready(timeout):
                break
        else:
            tail = (self.folder / "server.log").read_text(errors="replace")[-2000:]
            self.stop()
            raise ClusterError(f"PostgreSQL did not start: {tail}")
        created = self._run(binaries / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", ROLE, DATABASE)
        if created.returncode != 0:
            self.stop()
            raise ClusterError(f"createdb failed: {created.stderr.decode(errors='replace')}")
        return self

    def _wait_ready(self, timeout: float) -> bool:
        assert self._process is not None and self.folder is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return False  # exited: the port was taken, or it failed (the log says)
            if "ready to accept connections" in (self.folder / "server.log").read_text(errors="replace"):
                return True
            time.sleep(0.05)
        self._stop_server()
        return False

    def _stop_server(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        for sig, wait in ((signal.SIGINT, 20.0), (signal.SIGQUIT, 5.0), (signal.SIGKILL, 5.0)):
            process.send_signal(sig)
            try:
                process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def stop(self) -> None:
        """Stop the server (fast shutdown, then harder) and delete its folder. Safe to call twice."""
        self._stop_server()
        folder, self.folder = self.folder, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def main() -> int:
    with Cluster() as cluster:
        print(cluster.url, flush=True)
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
