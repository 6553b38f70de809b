"""The one redaction helper: secret-shaped runs never reach a log line, everything else stays readable."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from linkkit._redact import REDACTED, URL_LOGGERS, RedactingFilter, fingerprint, get_logger, redact_text
from linkkit.links import new_ref_id

TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJBUEkiOnt9fQ.c2lnbmF0dXJlc2lnbmF0dXJl"


@pytest.mark.parametrize(
    "secret",
    [
        TOKEN,
        "eyJhbGciOiJSU0ExXzUifQ.d3JhcHBlZA.aXY.Y2lwaGVy.dGFn",  # a compact JWE
        "Bearer " + TOKEN,
        "bearer abc",
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----",
        new_ref_id(),
    ],
)
def test_secret_shapes_are_redacted(secret: str) -> None:
    out = redact_text(f"before {secret} after")
    assert secret not in out and REDACTED in out
    assert out.startswith("before ") and out.endswith(" after")


@pytest.mark.parametrize(
    "text",
    [
        "card.data[0].attributes.barcode.value: required",
        "request id 123e4567-e89b-12d3-a456-426614174000 refused (replayed)",
        "linkkit_partner_blueprint_and_more_words",
        "status 404, 17 rows in 0.25 s",
    ],
)
def test_ordinary_text_is_kept(text: str) -> None:
    assert redact_text(text) == text


def test_fingerprint_is_stable_and_hides_the_value() -> None:
    ref_id = "order-12345"
    assert fingerprint(ref_id) == fingerprint(ref_id) != fingerprint("order-12346")
    assert ref_id not in fingerprint(ref_id) and fingerprint(ref_id).startswith("ref#")


def test_logger_redacts_messages_arguments_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    logger = get_logger("linkkit.tests.redact")
    assert get_logger("linkkit.tests.redact").filters.count(logger.filters[0]) == 1
    ref_id = new_ref_id()
    with caplog.at_level(logging.INFO, logger="linkkit.tests.redact"):
        logger.info("got %s for %s", TOKEN, ref_id)
        try:
            raise ValueError(f"bad token {TOKEN}")
        except ValueError:
            logger.exception("failed")
    text = caplog.text + "".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert TOKEN not in text and ref_id not in text
    assert "got [redacted] for [redacted]" in text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # A short refId has no shape: its place in the path gives it away.
        ('"GET /cards/3glji6d406000/A-12 HTTP/1.1" 200', '"GET /cards/3glji6d406000/… HTTP/1.1" 200'),
        (
            '"POST /cards/3glji6d406000/A-12?cc2=US&event=ADDED HTTP/1.1" 200',
            '"POST /cards/3glji6d406000/…?cc2=US&event=ADDED HTTP/1.1" 200',
        ),
        ("POST http://x/wltex/cards/3glji6d406000/updates", "POST http://x/wltex/cards/3glji6d406000/updates"),
        ('"POST /mint/abcdefghij HTTP/1.1" 200', '"POST /mint/… HTTP/1.1" 200'),
        ("GET /s2p/status?regId=r-77&x=1", "GET /s2p/status?regId=…&x=1"),
        (
            "https://a.swallet.link/atw/v3/YMtt/card#Clip?pdata=A-12",
            "https://a.swallet.link/atw/v3/YMtt/card#Clip?pdata=…",
        ),
        ('"GET /js/spay-s2p.min.js HTTP/1.1" 200', '"GET /js/spay-s2p.min.js HTTP/1.1" 200'),
    ],
)
def test_secret_parts_of_urls_are_elided(line: str, expected: str) -> None:
    assert redact_text(line) == expected


def test_the_url_loggers_of_werkzeug_and_httpx_are_filtered_once(caplog: pytest.LogCaptureFixture) -> None:
    get_logger("linkkit.tests.redact")
    get_logger("linkkit.tests.redact.again")
    for name in URL_LOGGERS:
        assert sum(isinstance(f, RedactingFilter) for f in logging.getLogger(name).filters) == 1
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info('"%s" %s', "GET /cards/3glji6d406000/A-12 HTTP/1.1", 200)
    assert "A-12" not in caplog.text and "/cards/3glji6d406000/…" in caplog.text


# Where a module may call logging.getLogger itself: to configure handlers or levels, never to log.
_CONFIGURES_ONLY = {"linkkit/_redact.py", "linkkit/observability/logs.py", "demo_site/logs.py"}


def test_every_logger_comes_from_get_logger() -> None:
    """A logger's filters see only its own records, not its children's: one plain ``getLogger`` in one
    module and that module's lines skip the redaction."""
    root = Path(__file__).resolve().parents[1]
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("linkkit", "demo_site")
        for path in sorted((root / folder).rglob("*.py"))
        if str(path.relative_to(root)) not in _CONFIGURES_ONLY
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "getLogger(" in line
    ]
    assert offenders == []
