"""Fixtures for the shim's browser tests; test modules load it with ``pytest_plugins``.

``shim_servers`` starts the partner app on ``http://127.0.0.1:P1`` and the fake welcome app on
``http://localhost:P2`` once per session (two origins, as in production). ``shim`` gives each
test a page in ``device_context`` (so a test that asks for it runs under all four devices)
with the helpers of :mod:`shim_pages.harness`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from linkkit._serving import ServerThread

from .apps import create_partner_app, create_welcome_app
from .harness import Shim, ShimServers


@pytest.fixture(scope="session")
def shim_servers() -> Iterator[ShimServers]:
    with ServerThread(create_welcome_app()) as welcome:
        origin = f"http://localhost:{welcome.port}"
        with ServerThread(create_partner_app(origin)) as partner:
            yield ShimServers(partner=partner.url, welcome=origin, welcome_port=welcome.port)


@pytest.fixture
def shim(device_context: Any, shim_servers: ShimServers) -> Shim:
    page = device_context.new_page()
    page.set_default_timeout(10_000)
    return Shim(page, shim_servers)
