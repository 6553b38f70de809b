"""The probe against a partner written without linkkit (PyJWT and jwcrypto): clean, it passes every
check; with one flaw switched on, exactly the checks named for that flaw fail, and nothing else."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from linkkit.probe import Outcome, Probe, ProbeConfig, render_text
from tests.probe.broken_partner import FAILS, FLAWS
from tests.probe.conftest import OTP, LivePartner

Start = Callable[..., LivePartner]


def _run(partner: LivePartner, probe_config: Callable[..., ProbeConfig]) -> tuple[dict[str, str], str]:
    config = probe_config(partner.url, request_action=True, action_inputs={"otp": OTP})
    report = Probe(config).run()
    assert report.requests == partner.requests <= report.budget
    assert not [r for r in report.results if r.outcome is Outcome.SKIP], render_text(report)
    return {r.name: r.reason for r in report.failures}, render_text(report)


def test_the_clean_independent_partner_passes_everything(
    broken_partner: Start, probe_config: Callable[..., ProbeConfig]
) -> None:
    failures, text = _run(broken_partner(), probe_config)
    assert failures == {}, text


@pytest.mark.parametrize("flaw", sorted(FLAWS))
def test_each_flaw_is_reported_by_its_checks_and_nothing_else(
    flaw: str, broken_partner: Start, probe_config: Callable[..., ProbeConfig]
) -> None:
    failures, text = _run(broken_partner(flaw), probe_config)
    assert set(failures) == FAILS[flaw], text


def test_the_reasons_say_what_went_wrong(broken_partner: Start, probe_config: Callable[..., ProbeConfig]) -> None:
    failures, text = _run(broken_partner(*FLAWS), probe_config)
    assert set(failures) == set().union(*FAILS.values()), text
    assert failures["replayed_request_id"] == "a fresh token under an x-request-id already used: accepted with 200"
    assert failures["replayed_token"] == "a used token under a new x-request-id: accepted with 200"
    assert failures["path_swapped"] == "a token bound to another card's path: accepted with 200"
    assert "answered 500, a server error" in failures["bad_signature"]
    assert "leaks a stack trace (Python traceback)" in failures["malformed_body"]
    assert failures["oversize_body"] == "a 1 MiB body: accepted with 200"
    # a failed check shows the request ids, so the partner's logs can be searched for them
    assert "x-request-id" in text.split("FAIL  replayed_request_id")[1].split("\n\n")[0]
