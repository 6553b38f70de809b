"""Fixtures for the demo site's test-client tests: an app per test in a temporary instance folder,
with the session's identity (no key generation per test) and unreachable Samsung URLs, so that
pages which need the sandbox show their notice. Tests that need the sandbox start the real stack."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from demo_site import create_app
from demo_site.services import services_of

#: Nothing listens on the discard port of the loopback: connections are refused at once.
UNREACHABLE = "http://127.0.0.1:9"


@pytest.fixture
def make_app(tmp_path: Path, identity_dir: Path) -> Iterator[Callable[..., Flask]]:
    made: list[Flask] = []

    def make(config: dict[str, Any] | None = None, *, instance: Path | None = None) -> Flask:
        settings: dict[str, Any] = {
            "TESTING": True,
            "IDENTITY_DIR": str(identity_dir),
            "SANDBOX_URL": UNREACHABLE,
            "S2P_API_URL": "https://127.0.0.1:9/ext/v1",
            "HTTP_TIMEOUT": 2.0,
        }
        settings.update(config or {})
        app = create_app(settings, instance_path=str(instance or tmp_path / "instance"))
        made.append(app)
        return app

    yield make
    for app in made:
        services_of(app).close()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf(client: FlaskClient) -> str:
    """The session's CSRF token (made by rendering a page with a form)."""
    client.get("/")
    with client.session_transaction() as session:
        return str(session["csrf_token"])
