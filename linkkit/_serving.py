"""Run a WSGI app on a real socket in a background thread (tests, sandbox fixtures, the demo).

Binds 127.0.0.1 on a free port by default, serves with threads, and stops promptly:
``poll_interval`` is short so that shutdown does not wait half a second per server.
"""

from __future__ import annotations

import ssl
import threading
from types import TracebackType
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server


class ServerThread:
    """A real HTTP(S) server for ``app`` on ``host:port`` (port 0 picks a free one).

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
    ) -> None:
        self._server: BaseWSGIServer = make_server(host, port, app, threaded=True, ssl_context=ssl_context)
        self.host = host
        self.port: int = self._server.server_port
        scheme = "https" if ssl_context is not None else "http"
        #: Base URL without a trailing slash, e.g. ``http://127.0.0.1:53121``.
        self.url = f"{scheme}://{host}:{self.port}"
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
