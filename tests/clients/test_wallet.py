"""WalletClient: the exact requests it sends (as Samsung documents them), checked by a recording server and by
opening its tokens the way Samsung does; the sandbox round trips live in tests/sandbox."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from linkkit._serving import ServerThread
from linkkit.clients import NO_RETRY
from linkkit.clients.wallet import BatchUpdate, Cancellation, CardUpdate, WalletClient
from linkkit.config import Endpoints
from linkkit.errors import ApiError, ValidationError
from linkkit.tokens import TokenSigner
from linkkit.verify import TokenVerifier
from tests.conftest import CARD_ID, PARTNER_ID

Answer = tuple[int, bytes]


class Recorder:
    """Answers from a script and keeps every request it got."""

    def __init__(self) -> None:
        self.answers: list[Answer] = []
        self.seen: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        with self.lock:
            self.seen.append(
                {
                    "method": environ["REQUEST_METHOD"],
                    "path": environ["PATH_INFO"],
                    "query": environ.get("QUERY_STRING", ""),
                    "headers": headers,
                    "body": json.loads(body) if body else None,
                }
            )
            status, payload = self.answers.pop(0) if self.answers else (200, b"")
        start_response(f"{status} X", [("Content-Type", "application/json")])
        return [payload]


@pytest.fixture
def recorder() -> Iterator[tuple[Recorder, str]]:
    app = Recorder()
    with ServerThread(app) as server:
        yield app, server.url


@pytest.fixture
def wallet(signer: TokenSigner, recorder: tuple[Recorder, str]) -> Iterator[WalletClient]:
    with WalletClient(signer, Endpoints.sandbox(recorder[1]), retry=NO_RETRY) as client:
        yield client


def _check_auth(seen: dict[str, Any], verifier: TokenVerifier) -> None:
    headers = seen["headers"]
    assert headers["authorization"].startswith("Bearer ")
    verified = verifier.verify_auth_token(headers["authorization"], method=seen["method"], path=seen["path"])
    assert verified.method == seen["method"]
    assert headers["x-smcs-partner-id"] == PARTNER_ID
    assert len(headers["x-request-id"]) == 32 and int(headers["x-request-id"], 16) >= 0


def test_create_template_request(wallet: WalletClient, recorder: tuple[Recorder, str], verifier: TokenVerifier) -> None:
    app, _ = recorder
    app.answers = [(200, b'{"cardId":"3hdpejr6qi380","resultCode":"0","resultMessage":"SUCCESS"}')]
    result = wallet.create_template(
        {"templateRefId": "1", "title": "Coupon", "countryCode": "KR", "cardType": "coupon", "subType": "others"},
        cc2="kr",
    )
    assert (result.card_id, result.result_code, result.result_message) == ("3hdpejr6qi380", "0", "SUCCESS")
    [seen] = app.seen
    assert (seen["method"], seen["path"]) == ("POST", "/partner/v1/card/template")
    assert seen["headers"]["x-request-cc2"] == "KR" and result.request_id == seen["headers"]["x-request-id"]
    _check_auth(seen, verifier)
    assert set(seen["body"]) == {"ctemplate"}
    template = verifier.open_card_data_token(seen["body"]["ctemplate"]).card
    assert template == {
        "cardTemplate": {
            "prtnrId": PARTNER_ID,
            "templateRefId": "1",
            "title": "Coupon",
            "countryCode": "KR",
            "cardType": "coupon",
            "subType": "others",
        }
    }


def test_update_template_request(wallet: WalletClient, recorder: tuple[Recorder, str], verifier: TokenVerifier) -> None:
    app, _ = recorder
    app.answers = [(200, b'{"cardId":"3hdpejr6qi380","resultCode":"0","resultMessage":"SUCCESS"}')]
    wallet.update_template("3hdpejr6qi380", {"templateRefId": "1", "title": "New"})
    [seen] = app.seen
    assert seen["path"] == "/partner/v1/card/template/3hdpejr6qi380" and "x-request-cc2" not in seen["headers"]
    _check_auth(seen, verifier)
    template = verifier.open_card_data_token(seen["body"]["ctemplate"]).card["cardTemplate"]
    assert template["cardId"] == "3hdpejr6qi380" and template["prtnrId"] == PARTNER_ID
    with pytest.raises(ValueError, match="cardId"):
        wallet.update_template("3hdpejr6qi380", {"cardId": "other"})


def test_add_card_request_carries_the_account_inside_cdata(
    wallet: WalletClient, recorder: tuple[Recorder, str], verifier: TokenVerifier, loyalty_card: dict[str, Any]
) -> None:
    app, _ = recorder
    accepted = wallet.add_card(CARD_ID, loyalty_card, account={"type": "email", "value": "a@example.com"}, cc2="US")
    assert accepted.status == 200 and accepted.card_exists
    [seen] = app.seen
    assert seen["path"] == f"/atw/v1/cards/{CARD_ID}" and seen["headers"]["x-request-cc2"] == "US"
    _check_auth(seen, verifier)
    payload = verifier.open_card_data_token(seen["body"]["cdata"]).card
    assert payload == {**loyalty_card, "account": {"type": "email", "value": "a@example.com"}}


@pytest.mark.parametrize(
    ("call", "path", "body"),
    [
        (
            lambda w: w.update_notification(
                CARD_ID, "ticket", [CardUpdate("ref-1", "UPDATED", fields="balance")], cc2="us"
            ),
            f"/US/wltex/cards/{CARD_ID}/updates",
            {"card": {"type": "ticket", "data": [{"refId": "ref-1", "state": "UPDATED", "fields": "balance"}]}},
        ),
        (
            lambda w: w.batch_update_notification(CARD_ID, "ticket", [BatchUpdate("event-0001", "UPDATED")], cc2="US"),
            f"/US/wltex/cards/{CARD_ID}/batch/updates",
            {"card": {"type": "ticket", "data": [{"eventId": "event-0001", "state": "UPDATED"}]}},
        ),
        (
            lambda w: w.cancel_notification(CARD_ID, "ticket", [Cancellation(event_id="event-722164a1a7")], cc2="US"),
            f"/US/wltex/cards/{CARD_ID}/cancels",
            {"card": {"type": "ticket", "data": [{"eventId": "event-722164a1a7", "state": "CANCELED"}]}},
        ),
        (
            lambda w: w.cancel_notification(
                CARD_ID,
                "boardingpass",
                [Cancellation(vehicle_number="KE0017", estimated_or_actual_start_date=1_795_000_000_000)],
                cc2="KR",
            ),
            f"/KR/wltex/cards/{CARD_ID}/cancels",
            {
                "card": {
                    "type": "boardingpass",
                    "data": [
                        {
                            "vehicleNumber": "KE0017",
                            "estimatedOrActualStartDate": 1_795_000_000_000,
                            "state": "CANCELED",
                        }
                    ],
                }
            },
        ),
    ],
)
def test_notification_requests(
    wallet: WalletClient,
    recorder: tuple[Recorder, str],
    verifier: TokenVerifier,
    call: Any,
    path: str,
    body: dict[str, Any],
) -> None:
    app, _ = recorder
    assert call(wallet).status == 200
    [seen] = app.seen
    assert (seen["method"], seen["path"], seen["body"]) == ("POST", path, body)
    _check_auth(seen, verifier)


def test_a_204_means_the_card_does_not_exist(wallet: WalletClient, recorder: tuple[Recorder, str]) -> None:
    recorder[0].answers = [(204, b"")]
    accepted = wallet.update_notification(CARD_ID, "ticket", [{"refId": "r", "state": "DELETED"}], cc2="US")
    assert accepted.status == 204 and not accepted.card_exists


def test_the_callback_replaces_the_base_and_the_country(
    wallet: WalletClient, recorder: tuple[Recorder, str], verifier: TokenVerifier
) -> None:
    app, url = recorder
    wallet.update_notification(CARD_ID, "ticket", [CardUpdate("ref-1", "UPDATED")], callback=url + "/private/")
    assert app.seen[0]["path"] == f"/private/wltex/cards/{CARD_ID}/updates"
    _check_auth(app.seen[0], verifier)  # the token is bound to the full path, prefix included


def test_get_reference_ids_request(
    wallet: WalletClient, recorder: tuple[Recorder, str], verifier: TokenVerifier
) -> None:
    app, _ = recorder
    app.answers = [(200, b'{"count":"1","refIds":["12345"]}')]
    ids = wallet.get_reference_ids(CARD_ID, event_id="testing", card_type="boardingpass", cc2="US")
    assert (ids.count, ids.ref_ids) == (1, ("12345",))
    [seen] = app.seen
    assert (seen["method"], seen["path"], seen["query"]) == (
        "GET",
        f"/US/wltex/cards/{CARD_ID}",
        "eventId=testing&type=boardingpass",
    )
    assert seen["headers"]["x-smcs-cc2"] == "US"
    _check_auth(seen, verifier)


@pytest.mark.parametrize(
    ("answer", "call"),
    [
        ((200, b"{}"), lambda w: w.create_template({"title": "x"})),
        ((200, b"not json"), lambda w: w.get_reference_ids(CARD_ID, event_id="e", card_type="ticket", cc2="US")),
        (
            (200, b'{"count":"x","refIds":[]}'),
            lambda w: w.get_reference_ids(CARD_ID, event_id="e", card_type="ticket", cc2="US"),
        ),
    ],
)
def test_malformed_answers_are_api_errors(
    wallet: WalletClient, recorder: tuple[Recorder, str], answer: Answer, call: Any
) -> None:
    recorder[0].answers = [answer]
    with pytest.raises(ApiError) as info:
        call(wallet)
    assert info.value.status == 200 and info.value.request_id


def test_invalid_updates_are_refused_before_sending(wallet: WalletClient, recorder: tuple[Recorder, str]) -> None:
    with pytest.raises(ValidationError) as info:
        wallet.update_notification(CARD_ID, "ticket", [CardUpdate("ref-1", "MIGRATED")], cc2="US")
    assert info.value.field == "card.data[0].oldRefId"
    with pytest.raises(ValueError, match="at least one"):
        wallet.batch_update_notification(CARD_ID, "ticket", [], cc2="US")
    assert recorder[0].seen == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "cc2"),
        ({"cc2": "USA"}, "cc2"),
        ({"callback": "ftp://x"}, "callback"),
        ({"callback": "https://x/?q=1"}, "callback"),
    ],
)
def test_where_notifications_go_must_be_known(wallet: WalletClient, kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        wallet.cancel_notification(CARD_ID, "ticket", [Cancellation(ref_id="r")], **kwargs)


def test_misuse(signer: TokenSigner) -> None:
    with pytest.raises(TypeError):
        WalletClient("not a signer")  # type: ignore[arg-type]
    client = WalletClient(signer)
    assert "tsapi-card.walletsvc.samsung.com" in repr(client)  # production by default
    with pytest.raises(ValueError, match="card_id"):
        client.add_card("../x", {})
    with pytest.raises(ValueError, match="cc2"):
        client.create_template({}, cc2="K")
    client.close()


def test_a_given_http_client_is_left_open(signer: TokenSigner) -> None:
    http = httpx.Client()
    with WalletClient(signer, http=http):
        pass
    assert not http.is_closed
    http.close()
