"""The sandbox's registrations API called raw (httpx with the partner's client certificate), without
the client's own validation: every rule answers 400 with 400.1 naming the field, and stores nothing."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from linkkit._serving import ServerThread

from .cases import INVALID, VALID
from .conftest import S2P_PARTNER_ID


@pytest.fixture
def http(partner_tls: Any) -> Iterator[httpx.Client]:
    with httpx.Client(verify=partner_tls, timeout=5) as c:
        yield c


def hdrs(**extra: str) -> dict[str, str]:
    return {"Request-Id": uuid.uuid4().hex, "Partner-Id": S2P_PARTNER_ID, **extra}


def test_a_valid_registration_is_created(http, running, sandbox):
    h = hdrs()
    answer = http.post(f"{running.api_url}/registrations", json=VALID, headers=h)
    assert answer.status_code == 201
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["Response-Id"] == h["Request-Id"]
    reg = answer.json()["registration"]
    assert set(reg) == {"id", "status", "welcomeUrl"} and reg["status"] == "PENDING"
    got = http.get(f"{running.api_url}/registrations/{reg['id']}", headers=hdrs())
    assert got.status_code == 200 and got.json() == {"registration": reg}
    assert len(sandbox.registrations) == 1


@pytest.mark.parametrize(("body", "path", "words"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_each_invalid_registration_is_400_1_naming_the_field_and_stores_nothing(
    http, running, sandbox, body, path, words
):
    h = hdrs()
    answer = http.post(f"{running.api_url}/registrations", json=body, headers=h)
    assert answer.status_code == 400 and answer.headers["Response-Id"] == h["Request-Id"]
    err = answer.json()
    assert err["code"] == "400.1"
    assert err["errors"][0]["field"] == path and words in err["errors"][0]["reason"]
    assert err["message"].startswith(f"Invalid Data: {path}: " if path else "Invalid Data: ")
    assert sandbox.registrations == []


@pytest.mark.parametrize(
    ("headers", "field"),
    [
        ({"Partner-Id": S2P_PARTNER_ID}, "Request-Id"),
        ({"Request-Id": "0123456789abcdef0123456789abcdef"}, "Partner-Id"),
        ({"Request-Id": "too-short", "Partner-Id": S2P_PARTNER_ID}, "Request-Id"),
        ({"Request-Id": uuid.uuid4().hex, "Partner-Id": "another-partner-0123456789abcdef"}, "Partner-Id"),
    ],
)
def test_headers_are_checked(http, running, sandbox, headers, field):
    answer = http.post(f"{running.api_url}/registrations", json=VALID, headers=headers)
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == field
    assert sandbox.registrations == []


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"{not json", "the body is not JSON"),
        (b"[" + b"0," * 150_000 + b"0]", "larger than"),
    ],
)
def test_unreadable_bodies(http, running, sandbox, raw, words):
    answer = http.post(
        f"{running.api_url}/registrations", content=raw, headers=hdrs(**{"Content-Type": "application/json"})
    )
    assert answer.status_code == 400 and words in answer.json()["message"]
    assert sandbox.registrations == []


@pytest.mark.parametrize(("reg_id", "reason"), [("short", "26 to 128"), ("b" * 36, "no such registration")])
def test_get_unknown_or_malformed_registration(http, running, reg_id, reason):
    answer = http.get(f"{running.api_url}/registrations/{reg_id}", headers=hdrs())
    assert answer.status_code == 400 and answer.json()["errors"] == [
        {"field": "regId", "reason": answer.json()["errors"][0]["reason"]}
    ]
    assert reason in answer.json()["message"]


@pytest.mark.parametrize(
    ("header", "status", "code", "retry_after"),
    [
        ("503.1", 503, "503.1", "1"),
        ("503.2=7", 503, "503.2", "7"),
        ("503=2", 503, "503.1", "2"),
        ("500.1", 500, "500.1", None),
        ("500", 500, "500.1", None),
    ],
)
def test_faults_per_request(http, running, sandbox, header, status, code, retry_after):
    h = hdrs(**{"x-linkkit-fault": header})
    answer = http.post(f"{running.api_url}/registrations", json=VALID, headers=h)
    assert answer.status_code == status and answer.json()["code"] == code
    assert answer.headers.get("Retry-After") == retry_after
    assert answer.headers["Response-Id"] == h["Request-Id"]
    assert sandbox.registrations == []


def test_faults_per_run(http, running, sandbox):
    sandbox.faults.fail_next("503.1", retry_after=3, times=2)
    codes = [http.post(f"{running.api_url}/registrations", json=VALID, headers=hdrs()).status_code for _ in range(3)]
    assert codes == [503, 503, 201]
    sandbox.faults.start_outage("503.2", retry_after=30)
    answer = http.get(f"{running.api_url}/registrations/{'a' * 36}", headers=hdrs())
    assert (answer.status_code, answer.headers["Retry-After"], answer.json()["message"]) == (
        503,
        "30",
        "API Temporarily Unavailable",
    )
    sandbox.faults.clear()
    assert http.post(f"{running.api_url}/registrations", json=VALID, headers=hdrs()).status_code == 201


def test_an_unknown_fault_header_is_ignored(http, running):
    answer = http.post(f"{running.api_url}/registrations", json=VALID, headers=hdrs(**{"x-linkkit-fault": "401"}))
    assert answer.status_code == 201


def test_unknown_routes_answer_json(http, running):
    answer = http.get(f"{running.api_url}/cards", headers=hdrs())
    assert answer.status_code == 404 and answer.json() == {"message": "Not Found"}
    assert http.delete(f"{running.api_url}/registrations/{'a' * 36}", headers=hdrs()).status_code == 405


def test_the_api_refuses_to_work_without_mutual_tls(sandbox):
    # Served by mistake over plain HTTP, the app itself still refuses.
    with ServerThread(sandbox.api_app) as server:
        answer = httpx.post(f"{server.url}/ext/v1/registrations", json=copy.deepcopy(VALID), headers=hdrs())
    assert answer.status_code == 400 and "a client certificate is required" in answer.json()["message"]
    assert sandbox.registrations == []


def test_a_registration_not_declared_json_is_415(http, running, sandbox):
    import json

    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        answer = http.post(
            f"{running.api_url}/registrations",
            content=json.dumps(VALID).encode(),
            headers=hdrs(**{"Content-Type": content_type}),
        )
        assert answer.status_code == 415 and "Content-Type" in answer.json()["message"]
    assert len(sandbox.registrations) == 0
