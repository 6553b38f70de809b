"""The Django app and the ASGI app (FastAPI mount, Starlette routes) over real HTTP: each is a thin
layer over PartnerServer.handle, so the checks here are about the layer: the path as sent reaches
the handler (AUTH tokens bind it), the mount prefix, bodies and their size limit, HEAD, errors."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from linkkit._serving import ServerThread
from linkkit.asgi import PartnerASGI, partner_routes
from linkkit.partner import ClickLinks, PartnerServer
from linkkit.partner.wire import MAX_BODY_BYTES
from linkkit.tokens import TokenSigner
from tests.conftest import CARD_ID
from tests.partner import django_urls
from tests.partner.conftest import Live

CARD_PATH = f"/cards/{CARD_ID}/ref-1"
ADAPTERS = ("fastapi", "starlette", "django")


class Uvicorn:
    """uvicorn serving ``app`` on 127.0.0.1 and a free port, in a thread."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "uvicorn did not start"
            time.sleep(0.02)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="session")
def django_wsgi() -> Any:
    """One in-process Django project for the session (settings can be configured once)."""
    import django
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="test-only-not-secret",
            ALLOWED_HOSTS=["127.0.0.1"],
            ROOT_URLCONF="tests.partner.django_urls",
            INSTALLED_APPS=["linkkit.django"],
            MIDDLEWARE=[
                "django.middleware.security.SecurityMiddleware",
                "django.middleware.common.CommonMiddleware",
                "django.middleware.csrf.CsrfViewMiddleware",
            ],
            LINKKIT_PARTNER={"SERVER": "tests.partner.django_urls.current_server"},
        )
        django.setup()
    return get_wsgi_application()


@pytest.fixture(params=ADAPTERS)
def adapter(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def served(
    adapter: str, partner: PartnerServer, samsung_signer: TokenSigner, request: pytest.FixtureRequest
) -> Iterator[Live]:
    """The partner under ``/samsung`` through the adapter, and a client calling it as Samsung does."""
    if adapter == "django":
        django_urls.CURRENT.append(partner)
        try:
            with ServerThread(request.getfixturevalue("django_wsgi")) as server:
                client = Live(server.url, samsung_signer, mount="/samsung")
                yield client
                client.http.close()
        finally:
            django_urls.CURRENT.pop()
        return
    if adapter == "fastapi":
        from fastapi import FastAPI

        app: Any = FastAPI()
        app.mount("/samsung", PartnerASGI(partner))
    else:
        from starlette.applications import Starlette
        from starlette.routing import Mount

        app = Starlette(routes=[Mount("/samsung", routes=partner_routes(partner))])
    with Uvicorn(app) as url:
        client = Live(url, samsung_signer, mount="/samsung")
        yield client
        client.http.close()


def test_get_card_data_binds_the_token_to_the_full_path(served: Live) -> None:
    answer = served.call("GET", CARD_PATH, query={"fields": "balance"})
    assert answer.status_code == 200 and set(answer.json()) == {"cdata"}
    assert answer.headers["cache-control"] == "no-store" and answer.headers["content-type"] == "application/json"
    # a token for the path without the mount does not fit the request
    refused = served.call("GET", CARD_PATH, token_path=CARD_PATH)
    assert refused.status_code == 401 and refused.json()["code"] == "claim_mismatch"


def test_the_raw_path_reaches_the_handler(served: Live) -> None:
    # %2E%2E and %2F stay percent-encoded: a malformed refId (400), never a traversal or a decoded match
    answer = served.call("GET", f"/cards/{CARD_ID}/..%2Fref-1")
    assert answer.status_code == 400 and answer.json()["code"] == "invalid_ref_id"


def test_send_card_state_reads_the_body(served: Live, store: Any) -> None:
    answer = served.call(
        "POST",
        CARD_PATH,
        query={"cc2": "us", "event": "ADDED"},
        json={"callback": "https://us-tsapi.walletsvc.samsung.com"},
    )
    assert answer.status_code == 200 and answer.content == b"" and "content-type" not in answer.headers
    status = store.card_status(CARD_ID, "ref-1")
    assert status is not None and (status.event, status.cc2, status.callback) == (
        "ADDED",
        "US",
        "https://us-tsapi.walletsvc.samsung.com",
    )


def test_a_body_over_the_limit_is_refused_unread(served: Live) -> None:
    query = {"cc2": "US", "event": "ADDED"}
    big = served.call("POST", CARD_PATH, content=b"x" * (MAX_BODY_BYTES + 1), query=query)
    assert big.status_code == 413 and big.json()["code"] == "body_too_large"


def test_click_links_redirect_and_head_spends_nothing(served: Live, click_links: ClickLinks) -> None:
    url = click_links.create(CARD_ID, "ref-1", max_uses=1)
    path = "/samsung/w/" + url.rsplit("/", 1)[1]
    head = served.http.head(served.url + path)
    assert head.status_code == 200 and head.content == b""
    assert served.http.get(served.url + path).status_code == 302
    assert served.http.get(served.url + path).status_code == 410
    assert served.http.put(served.url + path).headers["allow"] == "GET, HEAD"


def test_a_failing_card_source_is_a_plain_500(served: Live, partner: PartnerServer) -> None:
    class Exploding:
        def get_card(self, *args: Any) -> Any:
            raise RuntimeError("secret detail")

    partner.cards = Exploding()
    answer = served.call("GET", CARD_PATH)
    assert answer.status_code == 500 and answer.json()["code"] == "internal_error" and "secret" not in answer.text


def test_the_django_settings_entry_and_its_checks(django_wsgi: Any, partner: PartnerServer) -> None:
    from django.test import override_settings

    from linkkit.django import checks, conf, get_server
    from linkkit.errors import ConfigError

    django_urls.CURRENT.append(partner)
    try:
        assert checks.check_settings() == []
        assert get_server() is partner and get_server() is partner  # built once per process
        with override_settings(LINKKIT_PARTNER={"SERVER": "tests.partner.django_urls.no_such_thing"}):
            assert [e.id for e in checks.check_settings()] == ["linkkit.E002"]
            with pytest.raises(ConfigError, match="cannot import"):
                get_server()
        with override_settings(LINKKIT_PARTNER={"SERVER": "tests.partner.django_urls.CARD_PATH_NOT_HERE"}):
            assert [e.id for e in checks.check_settings()] == ["linkkit.E002"]
        with override_settings(LINKKIT_PARTNER={"SERVER": "tests.partner.test_adapters.CARD_PATH"}):
            assert [e.id for e in checks.check_settings()] == ["linkkit.E003"]
            with pytest.raises(ConfigError, match="not a PartnerServer"):
                conf.load("tests.partner.test_adapters.CARD_PATH")
        with override_settings(LINKKIT_PARTNER=None):
            [error] = checks.check_settings()
            assert error.id == "linkkit.E001" and "LINKKIT_PARTNER" in error.hint
    finally:
        django_urls.CURRENT.pop()
        conf._built.clear()


def test_partner_asgi_refuses_what_is_not_a_server() -> None:
    with pytest.raises(TypeError, match="PartnerServer"):
        PartnerASGI(object())  # type: ignore[arg-type]


def test_health_routes_answer_under_the_mount_without_credentials(served: Live) -> None:
    alive = served.http.get(f"{served.url}/samsung/healthz")
    assert alive.status_code == 200 and alive.json() == {"status": "alive"}
    ready = served.http.get(f"{served.url}/samsung/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"store": "ok", "keys": "ok"}
    assert served.http.post(f"{served.url}/samsung/readyz").status_code == 405
