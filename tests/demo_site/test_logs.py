"""Log lines never carry a refId, a token or a capability URL (werkzeug and httpx print URLs)."""

from __future__ import annotations

import io
import logging

import pytest

from demo_site.logs import RedactingFilter, configure_logging, install_redaction, redact
from linkkit.links import new_ref_id

REF = new_ref_id()
JWS = "eyJhbGciOiJSUzI1NiJ9.eyJjYXJkIjoxfQ.c2lnbmF0dXJlLXBhcnQ"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            f'"GET /samsung/cards/northwind-gift/{REF}?fields=balance HTTP/1.1" 200',
            '"GET /samsung/cards/northwind-gift/…?fields=balance HTTP/1.1" 200',
        ),
        (
            f'"POST /samsung/cards/northwind-gift/{REF}?cc2=US&event=ADDED HTTP/1.1" 200',
            '"POST /samsung/cards/northwind-gift/…?cc2=US&event=ADDED HTTP/1.1" 200',
        ),
        (
            f'"POST /samsung/cards/northwind-rewards/{REF}/requestAction HTTP/1.1" 400',
            '"POST /samsung/cards/northwind-rewards/…/requestAction HTTP/1.1" 400',
        ),
        ('"GET /samsung/w/AbCdEfGhIjKl0123456789_-AbCd HTTP/1.1" 302', '"GET /samsung/w/… HTTP/1.1" 302'),
        ('"GET /v1/welcome/q1w2e3r4t5y6u7i8o9p0 HTTP/1.1" 200', '"GET /v1/welcome/… HTTP/1.1" 200'),
        ('"POST /v1/wallet/q1w2e3r4t5y6u7i8o9p0/initiate HTTP/1.1" 200', '"POST /v1/wallet/…/initiate HTTP/1.1" 200'),
        ('"GET /_sandbox/s/39P7x1rcVEv2Iaw0KJb-pkZ8 HTTP/1.1" 200', '"GET /_sandbox/s/… HTTP/1.1" 200'),
        (
            f"https://a.swallet.link/atw/v3/YMtt/card#Clip?pdata={REF}",
            "https://a.swallet.link/atw/v3/YMtt/card#Clip?pdata=…",
        ),
        (f"https://a.swallet.link/atw/v3/card#Clip?cdata={JWS}", "https://a.swallet.link/atw/v3/card#Clip?cdata=…"),
        (f"Authorization: Bearer {JWS}", "Authorization: [redacted]"),
        ('"GET /_sandbox/static/landing.js HTTP/1.1" 200', '"GET /_sandbox/static/landing.js HTTP/1.1" 200'),
    ],
)
def test_redact(line: str, expected: str) -> None:
    assert redact(line) == expected


def test_handler_filter_redacts_records_of_every_logger() -> None:
    stream = io.StringIO()
    handler = configure_logging(stream)
    try:
        logging.getLogger("some.library").warning('"%s" %s', f"GET /samsung/cards/c/{REF} HTTP/1.1", 200)
        logging.getLogger("httpx").warning("HTTP Request: GET http://x/samsung/w/AbCdEfGhIjKl0123456789_-AbCd")
    finally:
        logging.getLogger().removeHandler(handler)
    text = stream.getvalue()
    assert REF not in text and "AbCdEfGhIjKl" not in text
    assert '[some.library] "GET /samsung/cards/c/… HTTP/1.1" 200' in text


def test_install_redaction_filters_werkzeug_once(caplog: pytest.LogCaptureFixture) -> None:
    install_redaction()
    install_redaction()
    werkzeug = logging.getLogger("werkzeug")
    assert sum(isinstance(f, RedactingFilter) for f in werkzeug.filters) == 1
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        werkzeug.info('"%s" %s', f"GET /samsung/cards/c/{REF} HTTP/1.1", 200)
    assert REF not in caplog.text and "/samsung/cards/c/…" in caplog.text
