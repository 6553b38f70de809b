"""The probe's client over real sockets: paths go out as written, answers are bounded in size and time,
redirects are not followed, no answer is a status 0 with a reason, and a check cannot overspend."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from linkkit._serving import ServerThread
from linkkit.probe import ProbeConfig
from linkkit.probe.transport import MAX_ANSWER_BYTES, USER_AGENT, SamsungClient

Seen = list[dict[str, Any]]


def _app(seen: Seen) -> Callable[..., Any]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
        seen.append(
            {
                "target": environ.get("RAW_URI"),
                "auth": environ.get("HTTP_AUTHORIZATION"),
                "request_id": environ.get("HTTP_X_REQUEST_ID"),
                "agent": environ.get("HTTP_USER_AGENT"),
            }
        )
        path = environ["PATH_INFO"]
        if path.endswith("/slow"):
            time.sleep(1.5)
        if path.endswith("/redirect"):
            start_response("302 Found", [("Location", "http://127.0.0.1:9/elsewhere"), ("Content-Length", "0")])
            return iter([b""])
        if path.endswith("/huge"):
            start_response("200 OK", [("Content-Type", "application/json")])
            return iter([b"x" * 65536] * (2 * MAX_ANSWER_BYTES // 65536))
        if path.endswith("/drip"):
            start_response("200 OK", [("Content-Type", "text/plain")])
            return (time.sleep(0.05) or b"." for _ in range(100))
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "12")])
        return iter([b'{"code":"x"}'])

    return app


@pytest.fixture
def served() -> Iterator[tuple[str, Seen]]:
    seen: Seen = []
    with ServerThread(_app(seen)) as server:
        yield server.url, seen


@pytest.fixture
def client(served: tuple[str, Seen], probe_config: Callable[..., ProbeConfig]) -> Iterator[SamsungClient]:
    made = SamsungClient(probe_config(served[0] + "/samsung", timeout=0.6))
    made.allow(10)
    yield made
    made.close()


def test_the_path_goes_out_exactly_as_written(client: SamsungClient, served: tuple[str, Seen]) -> None:
    path = "/samsung/cards/../cards/a/%2e%2e%2Fb"
    exchange = client.send("GET", path, authorization=None, credential="none", query={"fields": "a,b.c"})
    assert served[1][-1]["target"] == path + "?fields=a,b.c"
    assert served[1][-1]["auth"] is None and served[1][-1]["agent"] == USER_AGENT
    assert served[1][-1]["request_id"] == exchange.sent.request_id and exchange.answer.status == 200


def test_a_slow_answer_is_a_timeout(client: SamsungClient) -> None:
    answer = client.send("GET", "/samsung/slow", authorization=None, credential="none").answer
    assert answer.status == 0 and answer.error == "timeout after 0.6 s"


def test_a_dripping_answer_is_cut_at_the_deadline(client: SamsungClient) -> None:
    started = time.perf_counter()
    answer = client.send("GET", "/samsung/drip", authorization=None, credential="none").answer
    assert time.perf_counter() - started < 2.5
    assert answer.status == 200 and answer.error == "answer not complete within 0.6 s, cut" and answer.size < 100


def test_a_huge_answer_is_read_up_to_the_limit(client: SamsungClient) -> None:
    answer = client.send("GET", "/samsung/huge", authorization=None, credential="none").answer
    assert answer.status == 200 and "larger than" in answer.error and answer.size <= MAX_ANSWER_BYTES


def test_a_redirect_is_an_answer_not_followed(client: SamsungClient, served: tuple[str, Seen]) -> None:
    answer = client.send("GET", "/samsung/redirect", authorization=None, credential="none").answer
    assert answer.status == 302 and len(served[1]) == 1


def test_nobody_listening_is_status_zero(probe_config: Callable[..., ProbeConfig]) -> None:
    client = SamsungClient(probe_config("http://127.0.0.1:9/samsung"))
    client.allow(1)
    answer = client.send("GET", "/samsung/x", authorization=None, credential="none").answer
    client.close()
    assert answer.status == 0 and answer.error == "could not connect"
    assert answer.line() == "no answer (could not connect)"


def test_a_check_cannot_send_more_than_it_declared(client: SamsungClient) -> None:
    client.allow(1)
    client.send("GET", "/samsung/x", authorization=None, credential="none")
    with pytest.raises(RuntimeError, match="more requests than it declared"):
        client.send("GET", "/samsung/x", authorization=None, credential="none")
    assert client.sent == 1


def test_tokens_minted_in_one_millisecond_differ(client: SamsungClient) -> None:
    tokens = {client.authorization("GET", "/samsung/cards/a/b") for _ in range(50)}
    assert len(tokens) == 50


def test_summaries_hide_ref_ids(client: SamsungClient) -> None:
    client.hide("made-up-ref-0000000000000000000001", "{unknown refId}")
    shown = client.shown(f"/samsung/cards/c/{client.config.ref_id}/made-up-ref-0000000000000000000001")
    assert shown == "/samsung/cards/c/{refId}/{unknown refId}"
