"""JSON endpoints read a body as JSON only when it says it is JSON: ``application/json``, optionally with
``charset=utf-8`` (what Samsung sends: Wallet server calls ``application/json``, Save to Pay
``application/json;charset=UTF-8``). Anything else is 415 and nothing is stored: ``text/plain`` is what
any web page can post cross-site without a preflight."""

from __future__ import annotations

import json

import pytest

from linkkit._json import is_json_media_type
from tests.conftest import CARD_ID
from tests.partner.conftest import AnyStore, Live

CARD_PATH = f"/cards/{CARD_ID}/ref-1"
BODY = json.dumps({"callback": "https://us-tsapi.walletsvc.samsung.com"}).encode()
ACCEPTED = ["application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8", "Application/JSON"]
REFUSED = [
    None,
    "",
    "text/plain",
    "text/plain; charset=utf-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/jsonp",
    "application/json-patch+json",
    "application/json; charset=latin-1",
    "application/json; charset=utf-8; boundary=x",
    "text/json",
]


@pytest.mark.parametrize("value", ACCEPTED)
def test_what_samsung_sends_is_json(value: str) -> None:
    assert is_json_media_type(value)


@pytest.mark.parametrize("value", REFUSED)
def test_everything_else_is_not(value: str | None) -> None:
    assert not is_json_media_type(value)


@pytest.mark.parametrize("content_type", ACCEPTED)
def test_send_card_state_reads_a_json_body(live: Live, store: AnyStore, content_type: str) -> None:
    answer = live.call(
        "POST", CARD_PATH, query={"cc2": "US", "event": "ADDED"}, content=BODY, headers={"content-type": content_type}
    )
    assert answer.status_code == 200
    status = store.card_status(CARD_ID, "ref-1")
    assert status is not None and status.callback == "https://us-tsapi.walletsvc.samsung.com"


@pytest.mark.parametrize("content_type", [v for v in REFUSED if v is not None])
def test_send_card_state_refuses_a_body_of_another_type(live: Live, store: AnyStore, content_type: str) -> None:
    answer = live.call(
        "POST", CARD_PATH, query={"cc2": "US", "event": "ADDED"}, content=BODY, headers={"content-type": content_type}
    )
    assert answer.status_code == 415 and answer.json()["code"] == "unsupported_media_type"
    assert "Content-Type" in answer.json()["message"]
    assert store.events() == []


def test_a_body_without_a_type_is_refused_and_no_body_needs_none(live: Live, store: AnyStore) -> None:
    answer = live.call("POST", CARD_PATH, query={"cc2": "US", "event": "ADDED"}, content=BODY)
    assert answer.status_code == 415
    assert live.call("POST", CARD_PATH, query={"cc2": "US", "event": "DELETED"}).status_code == 200  # no body at all


def test_request_action_refuses_a_text_plain_body(live: Live) -> None:
    body = json.dumps({"actionType": "CHECK_ELIGIBILITY", "actionPayload": {}}).encode()
    answer = live.call("POST", CARD_PATH + "/requestAction", content=body, headers={"content-type": "text/plain"})
    assert answer.status_code == 415
    assert answer.json()["actionPayload"]["actionDetails"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
