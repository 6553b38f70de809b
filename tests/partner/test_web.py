"""Mounting: a Flask blueprint under a prefix, plain WSGI under a mount, and the raw-path rules."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from flask import Flask

from linkkit._serving import ServerThread
from linkkit._wsgi import raw_path
from linkkit.partner import PartnerServer
from linkkit.partner.wire import MAX_BODY_BYTES, Headers, Response, request_from_environ
from linkkit.tokens import TokenSigner
from tests.conftest import CARD_ID
from tests.partner.conftest import Live

CARD_PATH = f"/cards/{CARD_ID}/ref-1"


def test_a_blueprint_under_a_prefix_binds_tokens_to_the_full_path(
    partner: PartnerServer, samsung_signer: TokenSigner
) -> None:
    app = Flask("prefixed")
    app.register_blueprint(partner.blueprint(url_prefix="/samsung/"))
    with ServerThread(app) as server:
        live = Live(server.url, samsung_signer, mount="/samsung")
        assert live.call("GET", CARD_PATH).status_code == 200
        # a token for the unprefixed path does not fit the request
        response = live.call("GET", CARD_PATH, token_path=CARD_PATH)
        assert response.status_code == 401 and response.json()["code"] == "claim_mismatch"
        assert live.http.get(server.url + CARD_PATH).status_code == 404


def test_plain_wsgi_under_a_mount(partner: PartnerServer, samsung_signer: TokenSigner) -> None:
    with ServerThread(partner.wsgi_app(mount="/p")) as server:
        live = Live(server.url, samsung_signer, mount="/p")
        assert live.call("GET", CARD_PATH).status_code == 200
        head = live.http.head(server.url + "/p/nothing")
        assert head.status_code == 404 and head.content == b""
        big = live.call("POST", CARD_PATH, content=b"x" * (MAX_BODY_BYTES + 1), query={"cc2": "US", "event": "ADDED"})
        assert big.status_code == 413


def test_a_crash_inside_is_a_plain_500(partner: PartnerServer, samsung_signer: TokenSigner) -> None:
    class Exploding:
        def get_card(self, *args: Any) -> Any:
            raise RuntimeError("secret detail")

    partner.cards = Exploding()
    with ServerThread(partner.wsgi_app()) as server:
        response = Live(server.url, samsung_signer).call("GET", CARD_PATH)
    assert response.status_code == 500 and "secret" not in response.text


def _environ(**extra: Any) -> dict[str, Any]:
    env: dict[str, Any] = {
        "REQUEST_METHOD": "post",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/cards/a/b",
        "QUERY_STRING": "cc2=US&event=ADDED",
        "wsgi.input": io.BytesIO(b'{"a":1}'),
        "CONTENT_LENGTH": "7",
        "CONTENT_TYPE": "application/json",
        "HTTP_X_REQUEST_ID": "r",
    }
    env.update(extra)
    return env


def test_raw_path_prefers_the_uri_as_sent() -> None:
    assert raw_path({"RAW_URI": "/cards/a/..%2Fb?x=1"}) == "/cards/a/..%2Fb"
    assert raw_path({"REQUEST_URI": "http://h/cards/a?x"}) == "/cards/a"
    # PEP 3333 fallback: the decoded path is quoted again
    assert raw_path({"SCRIPT_NAME": "/m", "PATH_INFO": "/cards/a/r\u00c3\u00a9f"}) == "/m/cards/a/r%C3%A9f"
    assert raw_path({}) == "/"


def test_request_from_environ() -> None:
    request = request_from_environ(_environ(RAW_URI="/m/cards/a/b?cc2=US"), mount="/m/")
    assert (request.method, request.path, request.route) == ("POST", "/m/cards/a/b", "/cards/a/b")
    assert request.query == {"cc2": "US", "event": "ADDED"}
    assert request.headers["X-Request-Id"] == "r" and request.headers["content-type"] == "application/json"
    assert request.json() == {"a": 1}
    assert "X-Request-Id".lower() in request.headers and len(request.headers) == 2
    assert "secret" not in repr(Headers({"authorization": "Bearer secret"}))
    bad_length = request_from_environ(_environ(CONTENT_LENGTH="nope"))
    assert bad_length.body == b""


def test_environ_headers_answer_what_a_scan_of_every_key_answers() -> None:
    # A granian-like environ: the process environment beside the request's own variables.
    environ = _environ(
        PATH="/usr/bin",
        HOME="/root",
        HTTP_AUTHORIZATION="Bearer t",
        HTTP_CONTENT_TYPE="text/plain",
        HTTP_SEC_FETCH_SITE="same-origin",
        HTTP_ACCEPT="",
    )
    scanned = Headers(
        [(key[5:].replace("_", "-"), value) for key, value in environ.items() if key.startswith("HTTP_")]
        + [("content-type", environ["CONTENT_TYPE"])]
    )
    headers = request_from_environ(environ).headers
    for name in (
        "Authorization",
        "x-request-id",
        "X-REQUEST-ID",
        "x_request_id",  # "_" is how CGI writes "-": no header has it
        "content-type",  # CONTENT_TYPE wins over a stray HTTP_CONTENT_TYPE
        "sec-fetch-site",
        "accept",
        "missing",
        "path",
        "home",
        "K\u0130",
    ):
        assert headers.get(name) == scanned.get(name), name
        assert (name in headers) == (name in scanned), name
    assert headers["x-request-id"] == "r" and headers.get("accept") == ""
    with pytest.raises(KeyError):
        headers["missing"]
    assert dict(headers) == dict(scanned) and len(headers) == len(scanned) == 5
    assert "Bearer" not in repr(headers) and "authorization" in repr(headers)
    no_type = request_from_environ(_environ(CONTENT_TYPE="", HTTP_CONTENT_TYPE="text/plain")).headers
    assert no_type["content-type"] == "text/plain"


def test_deeply_nested_bodies_are_not_json() -> None:
    from linkkit.partner.wire import Request

    with pytest.raises(ValueError, match="nested deeper than"):
        Request("POST", "/", "/", body=b"[" * 100_000).json()


def test_response_helpers() -> None:
    response = Response.json(200, {"a": "é"})
    assert response.body == '{"a":"é"}'.encode() and response.header("CONTENT-TYPE") == "application/json"
    assert response.header("missing") is None
    assert Response.empty(204).status_line == "204 No Content"
    assert Response(299).status_line == "299 Unknown"


def test_unknown_routes(live: Live) -> None:
    assert isinstance(live.http, httpx.Client)
    assert live.call("GET", "/cards").status_code == 404
