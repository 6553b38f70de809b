"""The HTTP layer every linkkit API client shares: one request with retries, and errors by status.

Small on purpose; a client builds its own requests (headers, tokens, body) and hands them here::

    from linkkit.clients._http import RetryPolicy, new_request_id, send

    request_id = new_request_id()
    response = send(
        client,                                   # an httpx.Client the caller owns
        lambda attempt: client.build_request("POST", url, headers=..., json=body),
        operation="update notification",          # names the call in logs and errors
        request_id=request_id,
        retry=RetryPolicy(attempts=3),
    )

Rules (the same for the Wallet and the Save to Pay clients):

* **Retried**: ``503`` (waiting ``Retry-After`` when the server sends it, else exponential backoff
  with jitter) and connection failures where the request never left (connect error, connect or
  pool timeout). ``build`` is called again for each attempt, so a client can mint a fresh AUTH
  token; the request id stays the same, so a server can recognise a retry.
* **Not retried**: any ``4xx``, ``500``, and errors after the request was sent (read timeout,
  connection reset): the server may have acted, and repeating a ``POST`` blindly could act twice.
* **Errors** map to the :mod:`linkkit.errors` tree by status (:func:`error_for_response`).
* **Logs** name the operation, the status, the attempt and the request id; never a URL path
  (it can hold a refId), a header (it holds the token) or a body.
"""

from __future__ import annotations

import email.utils
import json
import random
import ssl
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import httpx

from linkkit._redact import get_logger
from linkkit._tls_purpose import enforce_peer_purpose
from linkkit.errors import (
    ApiError,
    BadRequestError,
    NotFoundError,
    PeerCertificateError,
    ServerError,
    ServiceUnavailableError,
    TransportError,
    UnauthorizedError,
    UnsafeURLError,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "NO_RETRY",
    "RetryPolicy",
    "error_for_response",
    "new_request_id",
    "parse_retry_after",
    "purpose_checked",
    "send",
]

logger = get_logger("linkkit.clients")

#: Connect within 5 s, and the whole exchange within 10 s, unless the caller says otherwise.
DEFAULT_TIMEOUT: Final = httpx.Timeout(10.0, connect=5.0)

#: JSON members an error body may name its application code with, in the order they are tried
#: (``code`` for S2P's ``400.1``/``503.2``, ``resultCode`` for the Wallet API, then our sandbox's).
_CODE_KEYS: Final = ("code", "resultCode", "errorCode", "reasonCode", "reason")
_MESSAGE_KEYS: Final = ("message", "resultMessage", "errorMessage")
#: Failures where the request certainly never reached the server, so a retry cannot act twice.
_UNSENT: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_STATUS_ERRORS: Final[dict[int, type[ApiError]]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    404: NotFoundError,
    500: ServerError,
}


def purpose_checked(verify: bool | str | ssl.SSLContext) -> bool | str | ssl.SSLContext:
    """``verify`` for an :class:`httpx.Client`: an :class:`ssl.SSLContext` is made to check that the
    server certificate carries the ``serverAuth`` extended key usage (:mod:`linkkit._tls_purpose`);
    ``True`` or a CA bundle path stay httpx's own (public CAs issue no server certificate without it)."""
    if isinstance(verify, ssl.SSLContext):
        enforce_peer_purpose(verify)
    return verify


def _peer_refusal(exc: BaseException) -> PeerCertificateError | None:
    """The certificate-purpose refusal behind a connect error (httpx wraps it twice), if that is the cause."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, PeerCertificateError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """How many times to try, and how long to wait in between.

    :param attempts: tries in total, the first included (1 = never retry).
    :param backoff: the wait before the second try when the server gave no ``Retry-After``;
        it doubles for each further try.
    :param max_backoff: the longest computed wait.
    :param jitter: fraction of each computed wait that is random (0 = none, 1 = "full jitter"),
        so that many clients refused at once do not come back at once.
    :param max_retry_after: a ``Retry-After`` longer than this is not waited for: the error is
        raised at once with its ``retry_after``, for the caller to schedule.
    """

    attempts: int = 3
    backoff: float = 0.5
    max_backoff: float = 8.0
    jitter: float = 0.5
    max_retry_after: float = 30.0

    def __post_init__(self) -> None:
        if not isinstance(self.attempts, int) or self.attempts < 1:
            raise ValueError("attempts must be an int of at least 1")
        if self.backoff < 0 or self.max_backoff < 0 or self.max_retry_after < 0:
            raise ValueError("backoff, max_backoff and max_retry_after must not be negative")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter must be between 0 and 1")

    def delay(self, retry_number: int, retry_after: float | None, rand: Callable[[], float] = random.random) -> float:
        """Seconds to wait before retry number ``retry_number`` (1 for the first retry)."""
        if retry_after is not None:
            return float(retry_after)
        base = min(self.max_backoff, self.backoff * 2 ** (retry_number - 1))
        return float(base * (1 - self.jitter * rand()))


#: Try once, never retry.
NO_RETRY: Final = RetryPolicy(attempts=1)


def new_request_id() -> str:
    """A fresh request id: a random UUID as 32 hex digits.

    Samsung's ``x-request-id`` is a "random generated UUID string" of String(32)
    (https://developer.samsung.com/wallet/securityauthentication/restapiauthorizationtoken.html).
    """
    return uuid.uuid4().hex


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date, RFC 9110 §10.2.3)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _body_fields(response: httpx.Response) -> tuple[str | None, str | None]:
    try:
        body = json.loads(response.content) if response.content else None
    except (ValueError, RecursionError):
        return None, None
    if not isinstance(body, dict):
        return None, None
    code = next((str(body[k]) for k in _CODE_KEYS if isinstance(body.get(k), (str, int))), None)
    message = next((body[k] for k in _MESSAGE_KEYS if isinstance(body.get(k), str)), None)
    return code, message


def error_for_response(response: httpx.Response, *, operation: str, request_id: str | None = None) -> ApiError:
    """The :mod:`linkkit.errors` exception for a non-2xx ``response``.

    ``400`` → :class:`~linkkit.errors.BadRequestError`, ``401`` → :class:`~linkkit.errors.UnauthorizedError`,
    ``404`` → :class:`~linkkit.errors.NotFoundError`, ``500`` and the other ``5xx`` →
    :class:`~linkkit.errors.ServerError`, ``503`` → :class:`~linkkit.errors.ServiceUnavailableError`
    (with ``retry_after``), anything else → :class:`~linkkit.errors.ApiError`. ``code`` is the
    application code of a JSON body when it has one; the server's message is kept (it names a field,
    never a token).
    """
    status = response.status_code
    code, server_message = _body_fields(response)
    message = f"{operation}: HTTP {status}"
    if server_message:
        message += f": {server_message[:300]}"
    if status == 503:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        return ServiceUnavailableError(message, code=code, request_id=request_id, retry_after=retry_after)
    cls = _STATUS_ERRORS.get(status) or (ServerError if status > 500 else ApiError)
    return cls(message, status=status, code=code, request_id=request_id)


def send(
    client: httpx.Client,
    build: Callable[[int], httpx.Request],
    *,
    operation: str,
    request_id: str | None = None,
    retry: RetryPolicy = RetryPolicy(),
    sleep: Callable[[float], None] = time.sleep,
    rand: Callable[[], float] = random.random,
) -> httpx.Response:
    """Send the request ``build(attempt)`` makes (attempt counts from 1); return the 2xx response.

    :param client: an :class:`httpx.Client`; its timeouts, TLS context and pool apply.
    :param build: makes the request for one attempt; called again for each retry.
    :param operation: a short name of the call for logs and error messages (no refIds).
    :param request_id: the request id the caller put in the request, for logs and errors.
    :param retry: when to try again (see the module docstring).
    :param sleep: waits between attempts; inject one in tests.
    :raises ApiError: a subclass by status (:func:`error_for_response`), or
        :class:`~linkkit.errors.TransportError` when no answer came.
    :raises linkkit.errors.UnsafeURLError: the request's URL is one httpx cannot send to.
    """
    for attempt in range(1, retry.attempts + 1):
        last = attempt == retry.attempts
        try:
            request = build(attempt)
        except httpx.InvalidURL as exc:
            # A URL httpx cannot send to is a caller's input error, in the linkkit tree like every other.
            raise UnsafeURLError(f"{operation}: the URL is not well-formed", code="malformed") from exc
        try:
            response = client.send(request)
        except _UNSENT as exc:
            refusal = _peer_refusal(exc)
            if refusal is not None:
                # The server's certificate is not a server certificate: trying again cannot help.
                raise TransportError(f"{operation}: {refusal.message}", request_id=request_id) from exc
            if last:
                raise TransportError(
                    f"{operation}: cannot connect ({type(exc).__name__}) after {attempt} attempt(s)",
                    request_id=request_id,
                ) from exc
            wait = retry.delay(attempt, None, rand)
            logger.warning(
                "%s: %s, retrying in %.2f s (attempt %d/%d, request id %s)",
                operation,
                type(exc).__name__,
                wait,
                attempt,
                retry.attempts,
                request_id,
            )
            sleep(wait)
            continue
        except httpx.HTTPError as exc:
            # The request may have reached the server: do not repeat it (module docstring).
            raise TransportError(f"{operation}: no answer ({type(exc).__name__})", request_id=request_id) from exc
        status = response.status_code
        if 200 <= status < 300:
            logger.debug("%s: HTTP %d (attempt %d, request id %s)", operation, status, attempt, request_id)
            return response
        error = error_for_response(response, operation=operation, request_id=request_id)
        retry_after = error.retry_after if isinstance(error, ServiceUnavailableError) else None
        if status != 503 or last or (retry_after is not None and retry_after > retry.max_retry_after):
            logger.info(
                "%s: HTTP %d (attempt %d/%d, request id %s)", operation, status, attempt, retry.attempts, request_id
            )
            raise error
        wait = retry.delay(attempt, retry_after, rand)
        logger.warning(
            "%s: HTTP 503, retrying in %.2f s (attempt %d/%d, request id %s)",
            operation,
            wait,
            attempt,
            retry.attempts,
            request_id,
        )
        sleep(wait)
    raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover
