"""Hostile bodies against the sandbox over a real socket: a 4xx with a reason, never a 500."""

from __future__ import annotations

import pytest

from linkkit.sandbox.landing import preview
from linkkit.testing import SandboxHandle

DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 50_000 + b"1" + b"}" * 50_000


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["array", "object"])
@pytest.mark.parametrize(
    "path",
    [
        "/_sandbox/api/open",
        "/_sandbox/api/s/nosuch/auth",
        "/_sandbox/templates/3glji6d406000/state",
        "/_sandbox/samsung-certificates",
        "/partner/v1/card/template",
        "/atw/v1/cards/3glji6d406000",
    ],
)
def test_deeply_nested_json_is_a_4xx(linkkit_sandbox: SandboxHandle, path: str, body: bytes) -> None:
    response = linkkit_sandbox.http.post(path, content=body, headers={"Content-Type": "application/json"})
    assert 400 <= response.status_code < 500, (path, response.status_code, response.text[:200])


@pytest.mark.parametrize("value", [10**17, -(10**17), 2**63])
def test_a_date_no_calendar_holds_is_shown_not_crashed_on(value: int) -> None:
    card = {"card": {"type": "ticket", "data": [{"attributes": {"title": "t", "startDate": value}}]}}
    assert preview(card)["dates"] == [("startDate", f"{value} (not a date)")]
