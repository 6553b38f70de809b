"""The shared HTTP layer against a real server on 127.0.0.1 that answers from a script."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from linkkit._serving import ServerThread
from linkkit.clients._http import (
    NO_RETRY,
    RetryPolicy,
    error_for_response,
    new_request_id,
    parse_retry_after,
    send,
)
from linkkit.errors import (
    ApiError,
    BadRequestError,
    NotFoundError,
    ServerError,
    ServiceUnavailableError,
    TransportError,
    UnauthorizedError,
)

Answer = tuple[int, dict[str, str], bytes]


class Scripted:
    """A WSGI app that pops one scripted answer per request and records what it received."""

    def __init__(self) -> None:
        self.answers: list[Answer | float] = []
        self.seen: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with self.lock:
            self.seen.append(
                {
                    "method": environ["REQUEST_METHOD"],
                    "path": environ["PATH_INFO"],
                    "request_id": environ.get("HTTP_X_REQUEST_ID"),
                    "authorization": environ.get("HTTP_AUTHORIZATION"),
                }
            )
            answer = self.answers.pop(0) if self.answers else (200, {}, b"{}")
        if isinstance(answer, float):  # a delay, then 200
            time.sleep(answer)
            answer = (200, {}, b"{}")
        status, headers, body = answer
        start_response(f"{status} X", [("Content-Type", "application/json"), *headers.items()])
        return [body]


@pytest.fixture
def server() -> Iterator[tuple[Scripted, str]]:
    app = Scripted()
    with ServerThread(app) as running:
        yield app, running.url


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=httpx.Timeout(2.0, connect=1.0)) as c:
        yield c


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _call(client: httpx.Client, url: str, **kwargs: Any) -> tuple[httpx.Response, list[int], Sleeps]:
    attempts: list[int] = []
    sleeps = Sleeps()

    def build(attempt: int) -> httpx.Request:
        attempts.append(attempt)
        return client.build_request(
            "POST",
            url + "/wltex/cards/3glji6d406000/updates",
            headers={"Authorization": f"Bearer token-attempt-{attempt}", "x-request-id": "rid-1"},
            json={"a": 1},
        )

    kwargs.setdefault("rand", lambda: 0.0)
    response = send(client, build, operation="test call", request_id="rid-1", sleep=sleeps, **kwargs)
    return response, attempts, sleeps


def test_new_request_id_is_32_hex_digits_and_fresh() -> None:
    ids = {new_request_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)


def test_success_on_first_attempt(server: tuple[Scripted, str], client: httpx.Client) -> None:
    app, url = server
    app.answers = [(200, {}, b'{"ok":true}')]
    response, attempts, sleeps = _call(client, url)
    assert response.json() == {"ok": True}
    assert attempts == [1] and sleeps == []


def test_503_is_retried_honouring_retry_after(server: tuple[Scripted, str], client: httpx.Client) -> None:
    app, url = server
    app.answers = [(503, {"Retry-After": "2"}, b'{"code":"503.1"}'), (200, {}, b"{}")]
    response, attempts, sleeps = _call(client, url)
    assert response.status_code == 200
    assert attempts == [1, 2]
    assert sleeps == [2.0]
    # the same request id on both attempts, a fresh token from build() on each
    assert [s["request_id"] for s in app.seen] == ["rid-1", "rid-1"]
    assert [s["authorization"] for s in app.seen] == ["Bearer token-attempt-1", "Bearer token-attempt-2"]


def test_503_without_retry_after_backs_off_exponentially_with_jitter(
    server: tuple[Scripted, str], client: httpx.Client
) -> None:
    app, url = server
    app.answers = [(503, {}, b""), (503, {}, b""), (503, {}, b""), (200, {}, b"{}")]
    policy = RetryPolicy(attempts=4, backoff=0.1, jitter=0.5, max_backoff=0.3)
    _, attempts, sleeps = _call(client, url, retry=policy, rand=lambda: 1.0)
    assert attempts == [1, 2, 3, 4]
    # 0.1, 0.2, then capped at 0.3; each halved by full use of the 0.5 jitter
    assert sleeps == pytest.approx([0.05, 0.1, 0.15])


def test_503_gives_up_after_the_last_attempt(server: tuple[Scripted, str], client: httpx.Client) -> None:
    app, url = server
    app.answers = [(503, {"Retry-After": "1"}, b'{"code":"503.2","message":"API Temporarily Unavailable"}')] * 3
    with pytest.raises(ServiceUnavailableError) as info:
        _call(client, url)
    err = info.value
    assert err.status == 503 and err.code == "503.2" and err.retry_after == 1.0 and err.request_id == "rid-1"
    assert "API Temporarily Unavailable" in str(err)
    assert len(app.seen) == 3


def test_a_retry_after_beyond_the_cap_is_left_to_the_caller(server: tuple[Scripted, str], client: httpx.Client) -> None:
    app, url = server
    app.answers = [(503, {"Retry-After": "3600"}, b"")]
    with pytest.raises(ServiceUnavailableError) as info:
        _call(client, url)
    assert info.value.retry_after == 3600.0
    assert len(app.seen) == 1


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, UnauthorizedError),
        (404, NotFoundError),
        (500, ServerError),
        (502, ServerError),
        (409, ApiError),
    ],
)
def test_other_errors_are_not_retried(
    server: tuple[Scripted, str], client: httpx.Client, status: int, cls: type[ApiError]
) -> None:
    app, url = server
    body = {"resultCode": f"{status}", "resultMessage": "card.type: required"}
    app.answers = [(status, {}, json.dumps(body).encode())]
    with pytest.raises(cls) as info:
        _call(client, url)
    assert type(info.value) is cls
    assert info.value.status == status and info.value.code == str(status)
    assert "card.type: required" in str(info.value)
    assert len(app.seen) == 1


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_connection_refused_is_retried_then_raised(client: httpx.Client) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(TransportError) as info:
        _call(client, url, retry=RetryPolicy(attempts=3, backoff=0.01))
    assert info.value.status == 0 and "ConnectError" in str(info.value)
    assert isinstance(info.value.__cause__, httpx.ConnectError)


def test_a_read_timeout_is_not_retried(server: tuple[Scripted, str]) -> None:
    app, url = server
    app.answers = [0.5]
    with httpx.Client(timeout=httpx.Timeout(0.1)) as short:
        with pytest.raises(TransportError, match="ReadTimeout"):
            _call(short, url)
    assert len(app.seen) == 1


def test_no_retry_policy_tries_once(server: tuple[Scripted, str], client: httpx.Client) -> None:
    app, url = server
    app.answers = [(503, {"Retry-After": "0"}, b"")]
    with pytest.raises(ServiceUnavailableError):
        _call(client, url, retry=NO_RETRY)
    assert len(app.seen) == 1


def test_logs_never_carry_tokens_or_paths(
    server: tuple[Scripted, str], client: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    app, url = server
    app.answers = [(503, {"Retry-After": "0"}, b""), (401, {}, b"{}")]
    caplog.set_level(logging.DEBUG, logger="linkkit.clients")
    with pytest.raises(UnauthorizedError):
        _call(client, url)
    text = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("linkkit"))
    assert "test call" in text and "rid-1" in text
    assert "token-attempt" not in text and "/wltex/" not in text and "3glji6d406000" not in text


def test_parse_retry_after_reads_seconds_and_http_dates() -> None:
    assert parse_retry_after(None) is None
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == pytest.approx(10.0)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412500.0) == 0.0
    assert parse_retry_after("soon") is None


def test_error_for_response_without_a_json_body() -> None:
    response = httpx.Response(503, headers={"Retry-After": "5"}, content=b"<html>busy</html>")
    err = error_for_response(response, operation="op", request_id="r")
    assert isinstance(err, ServiceUnavailableError) and err.code is None and err.retry_after == 5.0
    assert str(err) == "op: HTTP 503"


def test_retry_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="attempts"):
        RetryPolicy(attempts=0)
    with pytest.raises(ValueError, match="jitter"):
        RetryPolicy(jitter=2)
    with pytest.raises(ValueError, match="negative"):
        RetryPolicy(backoff=-1)
