"""A partner server written without linkkit (PyJWT verifies Samsung's tokens, jwcrypto makes the Card
Data Tokens), as a merchant in any stack might write one, with flaws to switch on one at a time.

With no flaw it does everything the probe asks, which shows the probe grades behaviour on the wire and
not linkkit's own partner code. Each flaw is a mistake seen in real partner servers:

* ``accepts_replays``: remembers neither request ids nor tokens;
* ``ignores_path``: checks the token's method, not its path;
* ``ignores_method``: checks the token's path, not its method;
* ``ignores_utc``: takes tokens of any age;
* ``crashes_on_bad_signature``: the JWT library's InvalidSignatureError escapes (500);
* ``leaks_stack_trace``: a body it cannot parse is answered 400 with the traceback in it;
* ``no_body_limit``: reads bodies of any size.
"""

from __future__ import annotations

import json
import re
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import jwt
from jwcrypto import jwe, jwk, jws

FLAWS: Final = frozenset(
    {
        "accepts_replays",
        "ignores_path",
        "ignores_method",
        "ignores_utc",
        "crashes_on_bad_signature",
        "leaks_stack_trace",
        "no_body_limit",
    }
)
#: The checks each flaw must fail, and no other.
FAILS: Final = {
    "accepts_replays": {"replayed_request_id", "replayed_token"},
    "ignores_path": {"path_swapped"},
    "ignores_method": {"method_swapped"},
    "ignores_utc": {"stale_utc", "future_utc"},
    "crashes_on_bad_signature": {"bad_signature", "wrong_key"},
    "leaks_stack_trace": {"malformed_body"},
    "no_body_limit": {"oversize_body"},
}
MOUNT: Final = "/partner"
_REF: Final = re.compile(r"[A-Za-z0-9_-]{1,128}")
_MAX_BODY: Final = 64 * 1024


class Refused(Exception):
    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status = status
        self.code = code


def _json(status: int, payload: object) -> tuple[int, bytes]:
    return status, json.dumps(payload).encode()


class BrokenPartner:
    """A WSGI app serving ``{MOUNT}/cards/{cardId}/{refId}`` for one card id."""

    def __init__(
        self,
        *,
        files: Mapping[str, bytes],
        partner_id: str,
        certificate_id: str,
        card_id: str,
        cards: Mapping[str, dict[str, Any]],
        flaws: Iterable[str] = (),
        otp: str = "135790",
    ) -> None:
        self.flaws = frozenset(flaws)
        assert self.flaws <= FLAWS, self.flaws - FLAWS
        self.samsung_pem = files["samsung.crt"]
        self.samsung_jwk = jwk.JWK.from_pem(files["samsung.crt"])
        self.partner_jwk = jwk.JWK.from_pem(files["partner.key"])
        self.samsung_verify_key = self.samsung_jwk.get_op_key("verify")
        self.partner_id = partner_id
        self.certificate_id = certificate_id
        self.card_id = card_id
        self.cards = dict(cards)
        self.otp = otp
        self.seen: set[str] = set()
        self.events: list[tuple[str, str, str]] = []
        self.requests = 0
        self._lock = threading.Lock()

    # -- what a merchant writes -------------------------------------------------------------------

    def cdata(self, card: dict[str, Any]) -> str:
        inner = jwe.JWE(
            json.dumps(card).encode(),
            protected=json.dumps({"alg": "RSA1_5", "enc": "A128GCM"}),
            algs=["RSA1_5", "A128GCM"],
        )
        inner.add_recipient(self.samsung_jwk)
        header = {
            "cty": "CARD",
            "ver": "3",
            "partnerId": self.partner_id,
            "certificateId": self.certificate_id,
            "utc": int(time.time() * 1000),
            "alg": "RS256",
        }
        outer = jws.JWS(inner.serialize(compact=True).encode())
        outer.add_signature(self.partner_jwk, alg="RS256", protected=json.dumps(header))
        return str(outer.serialize(compact=True))

    def authenticate(self, environ: Mapping[str, Any], method: str, path: str) -> None:
        authorization = environ.get("HTTP_AUTHORIZATION", "")
        request_id = environ.get("HTTP_X_REQUEST_ID", "")
        if not authorization.startswith("Bearer ") or not request_id:
            raise Refused(401, "missing_credentials")
        token = authorization[7:]
        try:
            decoded = jwt.api_jws.decode_complete(token, key=self.samsung_verify_key, algorithms=["RS256"])
        except jwt.InvalidSignatureError:
            if "crashes_on_bad_signature" in self.flaws:
                raise
            raise Refused(401, "bad_signature") from None
        except jwt.PyJWTError:
            raise Refused(401, "invalid_token") from None
        header, claims = decoded["header"], json.loads(decoded["payload"])
        if header.get("cty") != "AUTH" or header.get("partnerId") != self.partner_id:
            raise Refused(401, "wrong_token")
        if "ignores_utc" not in self.flaws and abs(time.time() * 1000 - header.get("utc", 0)) > 60_000:
            raise Refused(401, "expired")
        api = claims.get("API", {})
        if "ignores_method" not in self.flaws and api.get("method") != method:
            raise Refused(401, "wrong_method")
        if "ignores_path" not in self.flaws and api.get("path") != path:
            raise Refused(401, "wrong_path")
        if "accepts_replays" not in self.flaws:
            with self._lock:
                keys = {f"id:{request_id}", f"sig:{token.rsplit('.', 1)[-1]}"}
                if keys & self.seen:
                    raise Refused(401, "replayed")
                self.seen |= keys

    def body(self, environ: Mapping[str, Any]) -> Any:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > _MAX_BODY and "no_body_limit" not in self.flaws:
            raise Refused(413, "too_large")
        raw = environ["wsgi.input"].read(length) if length else b""
        if not raw:
            return None
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            if "leaks_stack_trace" in self.flaws:
                raise Refused(400, traceback.format_exc()) from None
            raise Refused(400, "invalid_json") from None

    def handle(self, environ: Mapping[str, Any]) -> tuple[int, bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("RAW_URI", environ.get("PATH_INFO", "")).split("?", 1)[0]
        query = dict(p.split("=", 1) for p in environ.get("QUERY_STRING", "").split("&") if "=" in p)
        parts = path.removeprefix(MOUNT).split("/")
        if not path.startswith(MOUNT + "/cards/") or len(parts) not in (4, 5):
            return _json(404, {"code": "not_found"})
        try:
            self.authenticate(environ, method, path)
            card_id, ref_id = parts[2], parts[3]
            if card_id != self.card_id:
                return _json(404, {"code": "unknown_card"})
            if not _REF.fullmatch(ref_id):
                return _json(400, {"code": "invalid_ref_id"})
            if len(parts) == 5:
                return self.request_action(self.body(environ), ref_id) if parts[4] == "requestAction" else (404, b"")
            if method == "GET":
                card = self.cards.get(ref_id)
                return (204, b"") if card is None else _json(200, {"cdata": self.cdata(card)})
            body = self.body(environ)
            if body is not None and not isinstance(body, dict):
                return _json(400, {"code": "invalid_body"})
            with self._lock:
                self.events.append((ref_id, query.get("event", ""), query.get("cc2", "")))
            return 200, b""
        except Refused as exc:
            key = "trace" if "\n" in exc.code else "code"
            return _json(exc.status, {key: exc.code})

    def request_action(self, body: Any, ref_id: str) -> tuple[int, bytes]:
        if not isinstance(body, dict):
            return _json(400, {"code": "invalid_body"})
        kind, payload = body.get("actionType"), body.get("actionPayload") or {}
        if kind == "CHECK_ELIGIBILITY":
            signed = payload.get("signedAtwLink", "")
            try:
                text = jwt.utils.base64url_decode(signed).decode()
                link, _, signature = text.rpartition("&sig=")
                self.samsung_verify_key.verify(jwt.utils.base64url_decode(signature), link.encode(), *_pkcs1_sha256())
            except Exception:
                return _json(401, {"actionType": kind, "actionPayload": {"actionDetails": {"code": "BAD_LINK"}}})
            return _json(200, {"actionType": "USER_AUTH", "actionPayload": {"fields": ["otp"]}})
        if kind == "USER_AUTH" and payload.get("otp") == self.otp:
            card = json.loads(json.dumps(next(iter(self.cards.values()))))
            card["card"]["data"][0]["refId"] = "registered-" + ref_id[:16]
            return _json(200, {"actionType": "REGISTER", "actionPayload": {"cdata": self.cdata(card)}})
        return _json(400, {"actionType": kind, "actionPayload": {"actionDetails": {"code": "REFUSED"}}})

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with self._lock:
            self.requests += 1
        try:
            status, body = self.handle(environ)
        except Exception:
            status, body = 500, b'{"code":"internal"}'  # a crash: no details on the wire
        reasons = {200: "OK", 204: "No Content", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}
        headers = [("Content-Type", "application/json")] if body else []
        start_response(f"{status} {reasons.get(status, 'Error')}", [*headers, ("Content-Length", str(len(body)))])
        return [body]


def _pkcs1_sha256() -> tuple[Any, Any]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    return padding.PKCS1v15(), hashes.SHA256()
