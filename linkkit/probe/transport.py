"""Samsung's side of the wire, bounded: every request the probe sends goes through :class:`SamsungClient`.

It signs AUTH tokens with Samsung's test key (:class:`~linkkit.atw.tokens.TokenSigner`, as the sandbox
does), sends the path exactly as written (``..`` and ``%2F`` reach the server unchanged, since the
token binds the path the partner receives), follows no redirect, reads at most
:data:`MAX_ANSWER_BYTES` of an answer within the per-request timeout, and counts: a check may send
only the requests it declared, so one run never sends more than the suite.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import quote

import httpx

from linkkit._clock import DistinctMillis
from linkkit._json import read_json
from linkkit._redact import redact_shapes, redact_text
from linkkit._urls import parse_http_url
from linkkit.atw.tokens import TokenSigner
from linkkit.errors import JSONInputError
from linkkit.probe.config import ProbeConfig
from linkkit.probe.results import Answer, Exchange, Sent

#: Answers are read up to this many bytes (a Card Data Token is a few KB, a card JSON rarely 100 KB).
MAX_ANSWER_BYTES: Final = 1024 * 1024
#: Header the probe identifies itself with, so that partners can tell its calls from Samsung's.
USER_AGENT: Final = "linkkit-probe"
_CODE_CHARS: Final = 48


def _answer_code(payload: Any) -> str:
    if not isinstance(payload, dict):
        return ""
    code = payload.get("code", payload.get("error"))
    action = payload.get("actionPayload")
    if code is None and isinstance(action, dict) and isinstance(action.get("actionDetails"), dict):
        code = action["actionDetails"].get("code")
    return redact_text(str(code))[:_CODE_CHARS] if isinstance(code, str | int) else ""


def _answer_shape(status: int, content_type: str, body: bytes, payload: Any) -> str:
    if not body:
        return "empty"
    if isinstance(payload, dict):
        if isinstance(payload.get("cdata"), str):
            return "cdata"
        if isinstance(payload.get("card"), dict):
            return "card"
        if isinstance(payload.get("actionType"), str):
            return f"actionType {redact_text(payload['actionType'])[:32]}"
        return "JSON object"
    if payload is not None:
        return "JSON"
    if "html" in content_type:
        return "HTML page"
    return f"{len(body)} bytes of {content_type or 'untyped data'}"


def answer_json(answer: Answer) -> Any:
    """The answer's body as JSON, or ``None`` when it is empty or not strict JSON."""
    if not answer.body:
        return None
    try:
        return read_json(answer.body, what="the partner's answer", max_bytes=MAX_ANSWER_BYTES)
    except JSONInputError:
        return None


class SamsungClient:
    """Calls one partner server as Samsung does (see the module docstring)."""

    def __init__(self, config: ProbeConfig) -> None:
        self.config = config
        identity = config.identity
        #: Signs the AUTH tokens Samsung sends: Samsung's key, the partner's partnerId.
        self.signer = TokenSigner(
            partner_id=identity.partner_id,
            certificate_id=identity.auth_certificate_id,
            private_key=identity.samsung_key,
            clock=DistinctMillis(config.clock),
        )
        url = parse_http_url(config.base_url, what="base_url", allow_query=False)
        self._origin = url.origin
        self._base_path = config.base_path
        self._hidden: dict[str, str] = {config.ref_id: "{refId}"}
        verify = config.verify
        if isinstance(verify, str):  # a CA bundle: httpx takes an SSLContext for it
            verify = ssl.create_default_context(cafile=verify)
        self._http = httpx.Client(
            timeout=httpx.Timeout(config.timeout),
            verify=verify,
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json", "Accept-Encoding": "identity"},
        )
        self._allowed = 0
        #: Requests sent so far in this run.
        self.sent = 0

    def close(self) -> None:
        self._http.close()

    # -- paths and tokens -------------------------------------------------------------------------

    def hide(self, value: str, label: str) -> None:
        """Show ``label`` instead of ``value`` wherever a path is summarized (a refId the probe made up)."""
        self._hidden[value] = label

    def card_path(self, ref_id: str | None = None, *, card_id: str | None = None, tail: str = "") -> str:
        """``{base path}/cards/{cardId}/{refId}{tail}``, segments as given (no encoding is added)."""
        card = self.config.card_id if card_id is None else card_id
        ref = self.config.ref_id if ref_id is None else ref_id
        return f"{self._base_path}/cards/{card}/{ref}{tail}"

    def authorization(self, method: str, path: str, *, signer: TokenSigner | None = None) -> str:
        """``Bearer <AUTH token>`` bound to ``method`` and ``path``, signed as Samsung signs."""
        return "Bearer " + (signer or self.signer).auth_token(method, path)

    def shown(self, path: str) -> str:
        """``path`` as a report shows it: each refId the probe knows by its label, and anything shaped
        like a secret redacted. The refId segment is not elided by position (as log lines are): there
        it holds a label, or an attack the probe made up (``..%2F..%2Fetc%2Fpasswd``) that the report
        must show."""
        for value, label in sorted(self._hidden.items(), key=lambda item: -len(item[0])):
            path = path.replace(value, label)
        return redact_shapes(path)

    # -- sending ----------------------------------------------------------------------------------

    def allow(self, requests: int) -> None:
        """Let the next check send at most ``requests`` requests."""
        self._allowed = requests

    def new_request_id(self) -> str:
        return self.config.request_ids()

    def send(
        self,
        method: str,
        path: str,
        *,
        authorization: str | None,
        credential: str,
        query: Mapping[str, str] | None = None,
        request_id: str | None = None,
        body: bytes | None = None,
        body_label: str = "",
        content_type: str = "application/json",
    ) -> Exchange:
        """Send one request; never raises for the partner's behaviour (no answer is ``status`` 0).

        :param credential: how the ``Authorization`` value is described in the report (never the value).
        :param request_id: the ``x-request-id``; a fresh one when ``None``.
        """
        if self._allowed <= 0:
            # A check that sends more than it declared is a bug of the probe, not of the partner.
            raise RuntimeError("a probe check sent more requests than it declared")
        self._allowed -= 1
        self.sent += 1
        request_id = self.new_request_id() if request_id is None else request_id
        headers = {"x-request-id": request_id}
        if authorization is not None:
            headers["Authorization"] = authorization
        if body is not None:
            headers["Content-Type"] = content_type
        query_text = "&".join(f"{quote(k, safe='')}={quote(v, safe=',.')}" for k, v in (query or {}).items())
        target = path + (f"?{query_text}" if query_text else "")
        sent = Sent(
            method=method,
            path=self.shown(path),
            query=redact_text(query_text),
            credential=credential,
            request_id=request_id,
            body=body_label,
        )
        return Exchange(sent, self._exchange(method, target, headers, body))

    def _exchange(self, method: str, target: str, headers: dict[str, str], body: bytes | None) -> Answer:
        started = time.perf_counter()
        deadline = started + self.config.timeout
        chunks: list[bytes] = []
        size = 0
        error = ""
        try:
            with self._http.stream(
                method,
                self._origin + "/",
                headers=headers,
                content=body,
                # the request line carries the path as written: httpx would remove dot segments
                extensions={"target": target.encode("ascii")},
            ) as response:
                for chunk in response.iter_raw():
                    size += len(chunk)
                    if size > MAX_ANSWER_BYTES:
                        error = f"answer larger than {MAX_ANSWER_BYTES // 1024} KiB, cut"
                        break
                    chunks.append(chunk)
                    if time.perf_counter() > deadline:
                        error = f"answer not complete within {self.config.timeout:g} s, cut"
                        break
                status = response.status_code
                answer_headers = tuple((k.lower(), v) for k, v in response.headers.items())
        except httpx.TimeoutException:
            return self._no_answer(f"timeout after {self.config.timeout:g} s", started)
        except httpx.ConnectError as exc:
            if "CERTIFICATE_VERIFY_FAILED" in str(exc):
                return self._no_answer("its TLS certificate is not trusted; for a private CA give --ca-cert", started)
            return self._no_answer("could not connect", started)
        except (httpx.WriteError, httpx.RemoteProtocolError, httpx.ReadError):
            return self._no_answer("the server closed the connection", started)
        except httpx.HTTPError as exc:
            return self._no_answer(type(exc).__name__, started)
        data = b"".join(chunks)
        content_type = next((v for k, v in answer_headers if k == "content-type"), "").split(";")[0].strip().lower()
        provisional = Answer(status=status, body=data)
        payload = answer_json(provisional) if not error else None
        return Answer(
            status=status,
            content_type=content_type[:64],
            size=size if not error else len(data),
            code=_answer_code(payload),
            shape=_answer_shape(status, content_type, data, payload),
            error=error,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            body=data,
            headers=answer_headers,
        )

    @staticmethod
    def _no_answer(error: str, started: float) -> Answer:
        return Answer(status=0, error=error, elapsed_ms=(time.perf_counter() - started) * 1000)
