"""The one HTTP(S) server every server linkkit starts runs on: the sandbox, its S2P mutual-TLS API, the
partner's S2P notification endpoint, the demo, the pytest plugin and ``linkkit sandbox``.

It is werkzeug's WSGI request handler behind a listener that no client can stall:

* a TLS client's certificate must carry the ``clientAuth`` extended key usage
  (:mod:`linkkit._tls_purpose`), whichever context the server was given;
* the listening socket is never wrapped in TLS: the accept loop only accepts, and the TLS handshake
  runs in a worker under :attr:`ServerLimits.handshake_timeout` (werkzeug's own server handshakes
  inside ``accept()``, so one client that never sends a ClientHello blocks every other);
* every socket read and write waits at most :attr:`ServerLimits.read_timeout`, and the whole request
  (line, headers and body) must arrive within :attr:`ServerLimits.request_timeout`: a client that
  sends half a request, or fewer bytes than its ``Content-Length`` says, is cut off;
* a request line longer than :attr:`ServerLimits.max_url_bytes` gets 414, a header section larger than
  :attr:`ServerLimits.max_header_bytes` 431, a ``Content-Length`` above
  :attr:`ServerLimits.max_body_bytes` 413 before the app runs (a chunked body that grows beyond it
  raises werkzeug's ``RequestEntityTooLarge`` in the app, which Flask answers with 413);
* at most :attr:`ServerLimits.max_workers` threads serve connections; up to
  :attr:`ServerLimits.max_queued` more wait for one, and beyond that a plain-HTTP connection gets 503
  and a TLS one is closed (no thread is started per connection).

Deadlines are enforced by one watchdog thread that shuts a socket down when its time is up, which
wakes the worker blocked on it: a per-read timeout alone would let a client drip one byte per
interval forever.

``ServerThread`` runs one in a background thread (tests, sandbox fixtures, the demo)::

    with ServerThread(app) as server:
        requests_to(server.url)
"""

from __future__ import annotations

import contextlib
import io
import itertools
import queue
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Final

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler

from linkkit._redact import get_logger
from linkkit._tls_purpose import PurposeCheckedSocket, check_peer_purpose
from linkkit.errors import ConfigError

logger = get_logger("linkkit.serving")


@dataclass(frozen=True, kw_only=True, slots=True)
class ServerLimits:
    """How long and how much one client may take. The defaults suit every server linkkit starts;
    docs/deploy.md ("Limits") lists them."""

    #: Seconds from the worker taking a TLS connection to the end of the handshake.
    handshake_timeout: float = 5.0
    #: Seconds any single read or write on a connection may wait.
    read_timeout: float = 10.0
    #: Seconds from the end of the handshake (or the accept) until the whole request has arrived.
    request_timeout: float = 30.0
    #: Largest request body (``Content-Length`` or chunked), in bytes: 413 beyond it.
    max_body_bytes: int = 1024 * 1024
    #: Longest request line (method, target, version), in bytes: 414 beyond it.
    max_url_bytes: int = 8 * 1024
    #: Largest header section, in bytes: 431 beyond it.
    max_header_bytes: int = 16 * 1024
    #: Threads serving connections at once.
    max_workers: int = 16
    #: Accepted connections waiting for a free worker; beyond them 503 (plain HTTP) or close (TLS).
    max_queued: int = 64

    def __post_init__(self) -> None:
        for name in ("handshake_timeout", "read_timeout", "request_timeout"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not value > 0:
                raise ConfigError(f"{name}: must be a positive number of seconds")
        for name in ("max_body_bytes", "max_url_bytes", "max_header_bytes", "max_workers", "max_queued"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{name}: must be a positive integer")


#: The limits a server gets when it is given none.
DEFAULT_LIMITS: Final = ServerLimits()

_BUSY: Final = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 14\r\n"
    b"Retry-After: 1\r\nConnection: close\r\n\r\nserver is busy"
)


class _Watchdog:
    """Shuts sockets down at their deadline (one thread for the whole server)."""

    def __init__(self, name: str) -> None:
        self._cond = threading.Condition()
        self._due: dict[int, tuple[float, socket.socket]] = {}
        self._ids = itertools.count()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def arm(self, sock: socket.socket, seconds: float) -> int:
        with self._cond:
            token = next(self._ids)
            self._due[token] = (time.monotonic() + seconds, sock)
            self._cond.notify()
            return token

    def disarm(self, token: int) -> None:
        with self._cond:
            self._due.pop(token, None)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._thread.join(2)

    def _run(self) -> None:
        while True:
            with self._cond:
                if self._closed:
                    return
                now = time.monotonic()
                expired = [token for token, (at, _sock) in self._due.items() if at <= now]
                late = [self._due.pop(token)[1] for token in expired]
                if not late:
                    nearest = min((at for at, _sock in self._due.values()), default=None)
                    self._cond.wait(None if nearest is None else nearest - now)
                    continue
            for sock in late:
                # The plain socket's shutdown, even on an SSLSocket: SSLSocket.shutdown drops its TLS
                # state under the worker still reading it. Shutting the descriptor down makes the
                # worker's blocked read return, and the worker closes the connection.
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)


# Private control flow, outside the LinkKitError tree on purpose: raised while the headers are read and
# answered 431 by the server loop; no caller ever sees it.
class _HeadTooLarge(Exception):
    pass


class _HeadReader:
    """The connection's reader while the headers are parsed: counts their bytes."""

    def __init__(self, inner: Any, limit: int) -> None:
        self._inner, self._left = inner, limit

    def readline(self, size: int = -1) -> bytes:
        want = self._left + 1 if size < 0 else min(size, self._left + 1)
        line: bytes = self._inner.readline(want)
        self._left -= len(line)
        if self._left < 0:
            raise _HeadTooLarge
        return line

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _BodyReader(io.RawIOBase):
    """``wsgi.input``: at most ``limit`` bytes, then 413; calls ``done`` once the body has arrived."""

    def __init__(self, inner: Any, *, limit: int, length: int | None, done: Callable[[], None]) -> None:
        super().__init__()
        self._inner, self._limit, self._length, self._done = inner, limit, length, done
        self._seen = 0

    def readable(self) -> bool:
        return True

    def _count(self, data: bytes, asked: int) -> bytes:
        self._seen += len(data)
        if self._seen > self._limit:
            raise RequestEntityTooLarge(f"the request body is larger than {self._limit} bytes")
        if (self._length is not None and self._seen >= self._length) or (asked != 0 and not data):
            self._done()
        return data

    def _room(self, size: int | None) -> int:
        room = self._limit + 1 - self._seen
        if self._length is not None:
            room = min(room, self._length - self._seen)
        return max(room, 0) if size is None or size < 0 else max(min(size, room), 0)

    def read(self, size: int | None = -1) -> bytes:
        want = self._room(size)
        if want == 0:
            return self._count(b"", 0 if size == 0 else 1)
        return self._count(self._inner.read(want), want)

    def readline(self, size: int | None = -1) -> bytes:
        want = self._room(size)
        if want == 0:
            return self._count(b"", 0 if size == 0 else 1)
        return self._count(self._inner.readline(want), want)

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _Handler(WSGIRequestHandler):
    """werkzeug's handler with the limits on the request line, the headers and the body."""

    server: LimitedWSGIServer
    # Chunked responses need 1.1; werkzeug closes the connection after each response anyway.
    protocol_version = "HTTP/1.1"

    def __init__(self, request: Any, client_address: Any, server: LimitedWSGIServer, arrived: Callable[[], None]):
        #: Ends the whole-request deadline: the request has arrived, or the app answers without the rest.
        self.request_arrived = arrived
        # socketserver handles the connection inside __init__.
        super().__init__(request, client_address, server)

    def parse_request(self) -> bool:
        limits = self.server.limits
        if len(self.raw_requestline) > limits.max_url_bytes:
            self.requestline, self.request_version, self.command = "", "", ""
            self.close_connection = True
            self.send_error(414, f"the request line is longer than {limits.max_url_bytes} bytes")
            return False
        real = self.rfile
        self.rfile = _HeadReader(real, limits.max_header_bytes)  # type: ignore[assignment]
        try:
            if not super().parse_request():
                return False
        except _HeadTooLarge:
            self.rfile = real
            self.close_connection = True
            self.send_error(431, f"the headers are larger than {limits.max_header_bytes} bytes")
            return False
        finally:
            self.rfile = real
        length = self.headers.get("Content-Length")
        chunked = "chunked" in (self.headers.get("Transfer-Encoding") or "").lower()
        if length is not None and not chunked:
            if not length.strip().isdigit():
                self.close_connection = True
                self.send_error(400, "Content-Length: must be a number of bytes")
                return False
            if int(length) > limits.max_body_bytes:
                self.close_connection = True
                self.send_error(413, f"the request body is larger than {limits.max_body_bytes} bytes")
                return False
        if not chunked and int((length or "0").strip() or "0") == 0:
            self.request_arrived()
        return True

    def make_environ(self) -> Any:
        environ = super().make_environ()
        length = environ.get("CONTENT_LENGTH")
        chunked = bool(environ.get("wsgi.input_terminated"))
        environ["wsgi.input"] = _BodyReader(
            environ["wsgi.input"],
            limit=self.server.limits.max_body_bytes,
            # Without Content-Length or chunked coding there is no body (RFC 9112 §6.3): never wait for one.
            length=None if chunked else int(length or 0),
            done=self.request_arrived,
        )
        return environ

    def send_response(self, code: int, message: str | None = None) -> None:
        # An app that answers without reading the body has all of the request it wants.
        self.request_arrived()
        super().send_response(code, message)


class LimitedWSGIServer(BaseWSGIServer):
    """A WSGI server on ``host:port`` with :class:`ServerLimits` (see the module docstring)."""

    multithread = True

    def __init__(
        self,
        host: str,
        port: int,
        app: Any,
        *,
        ssl_context: ssl.SSLContext | None = None,
        limits: ServerLimits = DEFAULT_LIMITS,
    ) -> None:
        if not isinstance(limits, ServerLimits):
            raise TypeError("limits must be a ServerLimits")
        self.limits = limits
        # Unbounded: what may wait is bounded by the accounting in process_request, under one lock.
        self._queue: queue.Queue[tuple[socket.socket, Any] | None] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: list[threading.Thread] = []
        #: Workers waiting for a connection that no queued connection has claimed yet.
        self._free = 0
        #: Queued connections that no free or new worker was reserved for (at most max_queued).
        self._backlog = 0
        self._closing = False
        self._watchdog: _Watchdog | None = None
        # No ssl_context for werkzeug: it would wrap the listening socket and handshake in accept().
        super().__init__(host, port, app, handler=_Handler)
        self.ssl_context = ssl_context
        self._watchdog = _Watchdog(f"linkkit-deadlines-{self.port}")

    # socketserver calls this in the accept loop: hand the socket on, never read from it here.
    #
    # Every connection is counted under the lock when it is queued: it claims a free worker, or a
    # new one, or else waits in the backlog for a worker to finish. A worker counts itself free
    # only after serving, and only when no backlog connection is waiting for it. (Counting a new
    # worker free the moment it first finds the queue empty double-counts it: a request made from
    # inside a request, such as Samsung's Get Card Data during an Update Notification, then waits
    # behind the request that made it.)
    def process_request(self, request: Any, client_address: Any) -> None:
        with self._lock:
            if self._closing:
                self.shutdown_request(request)
                return
            accepted = True
            if self._free > 0:
                self._free -= 1
            elif len(self._workers) < self.limits.max_workers:
                worker = threading.Thread(
                    target=self._work, name=f"linkkit-worker-{self.port}-{len(self._workers)}", daemon=True
                )
                self._workers.append(worker)
                worker.start()
            elif self._backlog < self.limits.max_queued:
                self._backlog += 1
            else:
                accepted = False
            if accepted:
                self._queue.put_nowait((request, client_address))
                return
        logger.warning(
            "server on port %s is busy: %s connections wait; refusing one", self.port, self.limits.max_queued
        )
        if self.ssl_context is None:
            with contextlib.suppress(OSError):
                request.settimeout(0.5)
                request.sendall(_BUSY)
        self.shutdown_request(request)

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            try:
                self._serve(*item)
            except Exception:  # a worker must survive whatever one connection does
                logger.exception("server on port %s: a connection failed", self.port)
            with self._lock:
                if self._backlog > 0:
                    self._backlog -= 1  # the next queued connection is this worker's
                else:
                    self._free += 1

    def _serve(self, sock: socket.socket, client_address: Any) -> None:
        limits, watchdog = self.limits, self._watchdog
        assert watchdog is not None
        conn = sock
        try:
            sock.settimeout(limits.read_timeout)
            if self.ssl_context is not None:
                conn = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
                token = watchdog.arm(conn, limits.handshake_timeout)
                try:
                    conn.do_handshake()
                finally:
                    watchdog.disarm(token)
                if not isinstance(conn, PurposeCheckedSocket):
                    # A context made outside linkkit.tls: the client certificate's purpose is checked here.
                    check_peer_purpose(conn)
            token = watchdog.arm(conn, limits.request_timeout)
            try:
                _Handler(conn, client_address, self, lambda: watchdog.disarm(token))
            finally:
                watchdog.disarm(token)
        except (OSError, ValueError) as exc:
            # A handshake that failed or timed out, a client that went away: that client's problem.
            logger.debug("server on port %s: connection dropped (%s)", self.port, type(exc).__name__)
        finally:
            self.shutdown_request(conn)

    def server_close(self) -> None:
        with self._lock:
            already, self._closing = self._closing, True
        if already:
            return
        super().server_close()
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                self.shutdown_request(item[0])
        for _ in self._workers:
            self._queue.put(None)
        if self._watchdog is not None:
            self._watchdog.close()


def make_server(
    host: str,
    port: int,
    app: Any,
    *,
    ssl_context: ssl.SSLContext | None = None,
    limits: ServerLimits = DEFAULT_LIMITS,
) -> LimitedWSGIServer:
    """A bound :class:`LimitedWSGIServer` (port 0 picks a free one); run it with ``serve_forever()``."""
    return LimitedWSGIServer(host, port, app, ssl_context=ssl_context, limits=limits)


class ServerThread:
    """A real HTTP(S) server for ``app`` on ``host:port`` (port 0 picks a free one), in a thread.

    Use it as a context manager; ``url`` is known once it is constructed::

        with ServerThread(app) as server:
            requests_to(server.url)
    """

    def __init__(
        self,
        app: Any,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
        limits: ServerLimits = DEFAULT_LIMITS,
    ) -> None:
        self._server = make_server(host, port, app, ssl_context=ssl_context, limits=limits)
        self.host = host
        self.port: int = self._server.server_port
        scheme = "https" if ssl_context is not None else "http"
        #: Base URL without a trailing slash, e.g. ``http://127.0.0.1:53121``.
        self.url = f"{scheme}://{host}:{self.port}"
        # A short poll interval so that shutdown does not wait half a second per server.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"linkkit-server-{self.port}",
            daemon=True,
        )

    def start(self) -> ServerThread:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(5)
        self._server.server_close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
