"""Headers, error bodies and JSON bodies of the S2P API."""

from __future__ import annotations

import pytest

from linkkit.errors import FieldError, ValidationError
from linkkit.s2p.wire import (
    check_headers,
    dump_json,
    error_body,
    error_status,
    parse_json_body,
    request_id_of,
)

PID = "3f1c2a9e-8b7d-4c6e-9a0b-1d2e3f4a5b6c"
RID = "0123456789abcdef0123456789abcdef"


def test_error_body_names_the_first_field():
    body = error_body(
        "400.1",
        [FieldError("registration.custom.cardName", "required"), FieldError("registration.phone", "must match")],
    )
    assert body == {
        "code": "400.1",
        "message": "Invalid Data: registration.custom.cardName: required (and 1 more)",
        "errors": [
            {"field": "registration.custom.cardName", "reason": "required"},
            {"field": "registration.phone", "reason": "must match"},
        ],
    }
    assert error_body("503.2") == {"code": "503.2", "message": "API Temporarily Unavailable"}
    assert error_status("503.1") == 503 and error_status("500.1") == 500
    with pytest.raises(ValueError):
        error_body("404.1")


def test_headers_are_required_uuids_and_the_partner_id_must_match():
    assert check_headers({"Request-Id": RID, "Partner-Id": PID}, partner_id=PID) == []
    assert check_headers({"request-id": RID, "partner-id": PID}, partner_id=PID) == []  # case-insensitive
    assert check_headers({}) == [FieldError("Request-Id", "required"), FieldError("Partner-Id", "required")]
    assert check_headers({"Request-Id": "short", "Partner-Id": PID})[0].path == "Request-Id"
    assert check_headers({"Request-Id": RID, "Partner-Id": "x" * 30}, partner_id=PID) == [
        FieldError("Partner-Id", "is not the Partner ID of this endpoint")
    ]


def test_request_id_is_echoed_only_when_valid():
    assert request_id_of({"Request-Id": RID}) == RID
    assert request_id_of({"Request-Id": "bad\r\nX-Injected: 1"}) is None
    assert request_id_of({}) is None


def test_json_bodies():
    assert parse_json_body(dump_json({"a": "é"})) == {"a": "é"}
    with pytest.raises(ValidationError, match="the body is not JSON"):
        parse_json_body(b"{nope")
    with pytest.raises(ValidationError, match="the body is not JSON"):
        parse_json_body(b"\xff\xfe")
    with pytest.raises(ValidationError, match="larger than 10 bytes"):
        parse_json_body(b"[" + b"1," * 10 + b"1]", max_bytes=10)
