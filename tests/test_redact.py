"""The one redaction helper: secret-shaped runs never reach a log line, everything else stays readable."""

from __future__ import annotations

import logging

import pytest

from linkkit._redact import REDACTED, fingerprint, get_logger, redact_text
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
