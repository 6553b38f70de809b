"""Welcome protocol constants and Samsung's saveToPayUI enums, cross-checked with the shipped shim."""

from __future__ import annotations

import re

import pytest

from linkkit.resources import shipped_file
from linkkit.s2p import protocol as p


def _js_array(name: str) -> list[str]:
    source = shipped_file("js", "spay-s2p.js").read_text("utf-8")
    match = re.search(rf"var {name} = \[(.*?)\]", source, re.S)
    assert match, f"{name} not found in the shim"
    return re.findall(r"'([A-Za-z_]+)'", match.group(1))


def test_enums_match_the_shim():
    # Two independent transcriptions of Samsung's saveToPayUI interface must agree.
    assert list(p.STATUSES) == _js_array("STATUS")
    assert list(p.ERROR_CODES) == _js_array("ERROR_CODE")
    assert list(p.DEVICES) == _js_array("DEVICES")


def test_status_message_shapes():
    assert p.status_message("SUCCESS", final=True) == {"type": "s2p:status", "v": 1, "status": "SUCCESS", "final": True}
    assert p.status_message(
        "FAILURE", final=True, error_code="CANCELED", message="user canceled", redirect_url="https://shop.example/done"
    ) == {
        "type": "s2p:status",
        "v": 1,
        "status": "FAILURE",
        "final": True,
        "details": {"errorCode": "CANCELED", "message": "user canceled"},
        "redirectUrl": "https://shop.example/done",
    }


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": "DONE", "final": True},
        {"status": "FAILURE", "final": True, "error_code": "OOPS"},
        {"status": "FAILURE", "final": True, "message": "no code"},
    ],
)
def test_status_message_refuses_values_outside_the_enums(kwargs):
    with pytest.raises(ValueError):
        p.status_message(**kwargs)


def test_application_codes_are_samsungs():
    assert {code: status for code, (status, _m) in p.APPLICATION_CODES.items()} == {
        "400.1": 400,
        "500.1": 500,
        "503.1": 503,
        "503.2": 503,
    }
