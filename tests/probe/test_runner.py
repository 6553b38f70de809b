"""The whole suite against linkkit's own PartnerServer on a real socket: every check passes, the server
receives exactly the requests the report counts (never more than the budget), and nothing secret is
in any form of the report."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from linkkit.probe import CHECK_NAMES, SUITE, Outcome, Probe, ProbeConfig, junit_xml, render_text
from linkkit.probe.context import FACTS
from tests.probe.conftest import OTP, REF_ID, LivePartner


def test_every_check_passes_against_linkkit_partner_server(
    linkkit_partner: LivePartner, probe_config: Callable[..., ProbeConfig]
) -> None:
    config = probe_config(linkkit_partner.url, request_action=True, action_inputs={"otp": OTP})
    report = Probe(config).run()
    assert [r.name for r in report.results] == list(CHECK_NAMES)
    assert report.passed, render_text(report)
    assert {r.outcome for r in report.results} == {Outcome.PASS}
    # the server saw exactly what the report counts, and the suite stayed within its budget
    assert linkkit_partner.requests == report.requests <= report.budget == sum(c.budget for c in SUITE)
    # Send Card State reached the partner's hook once per event (the repeats are duplicates)
    assert [(e.event, e.callback) for e in linkkit_partner.events] == [
        ("ADDED", "https://us-tsapi.walletsvc.samsung.com"),
        ("UPDATED", "https://us-tsapi.walletsvc.samsung.com"),
        ("DELETED", "https://us-tsapi.walletsvc.samsung.com"),
    ]


def test_without_request_action_those_checks_skip_and_send_nothing(
    linkkit_partner: LivePartner, probe_config: Callable[..., ProbeConfig]
) -> None:
    report = Probe(probe_config(linkkit_partner.url)).run()
    skipped = {r.name: r.reason for r in report.results if r.outcome is Outcome.SKIP}
    assert set(skipped) == {"request_action_sequence", "request_action_forged_link"}
    assert all("--request-action" in reason for reason in skipped.values())
    assert report.passed and linkkit_partner.requests == report.requests == report.budget - 4


def test_a_partner_asking_for_an_input_nobody_gave_is_told_which(
    linkkit_partner: LivePartner, probe_config: Callable[..., ProbeConfig]
) -> None:
    report = Probe(probe_config(linkkit_partner.url, request_action=True)).run(only=["request_action_sequence"])
    result = report.result("request_action_sequence")
    assert result.failed and "--action-input otp=" in result.reason
    wrong = Probe(probe_config(linkkit_partner.url, request_action=True, action_inputs={"otp": "000000"}))
    result = wrong.run(only=["request_action_sequence"]).result("request_action_sequence")
    assert result.failed and "USER_AUTH" in result.reason and "AUTH_FAILED" in result.reason


def test_a_wrong_identity_fails_one_check_and_skips_those_that_would_prove_nothing(
    linkkit_partner: LivePartner, probe_config: Callable[..., ProbeConfig], identity: Any
) -> None:
    from linkkit.probe import ProbeIdentity

    stranger = ProbeIdentity(
        partner_id="4030093436155138240",
        certificate_id="YMtt",
        samsung_key=identity.partner_key,  # not Samsung's key: every token is refused
        partner_public_key=identity.partner_cert.public_key(),
    )
    report = Probe(probe_config(linkkit_partner.url, identity=stranger)).run()
    assert [r.name for r in report.failures] == ["get_card_data"]
    assert "refused Samsung's valid token with 401" in report.result("get_card_data").reason
    others = [r for r in report.results if r.name != "get_card_data"]
    assert {r.outcome for r in others} == {Outcome.SKIP}
    needing = [r for r in others if "--request-action" not in r.reason]
    assert all(r.reason.startswith("needs get_card_data (failed)") for r in needing)
    assert report.requests == linkkit_partner.requests == 1


def test_an_unknown_ref_id_fails_get_card_data_but_the_attacks_still_run(
    linkkit_partner: LivePartner, probe_config: Callable[..., ProbeConfig]
) -> None:
    report = Probe(probe_config(linkkit_partner.url, ref_id="not-a-card-we-issued")).run()
    first = report.result("get_card_data")
    assert first.failed and "204" in first.reason and "--ref-id" in first.reason
    # 204 came after the partner's token checks: the identity works, so the refusal checks mean something
    assert report.result("bad_signature").passed and report.result("alg_none").passed
    assert report.result("get_card_data_fields").outcome is Outcome.SKIP


def test_nothing_secret_reaches_any_form_of_the_report(
    linkkit_partner: LivePartner, probe_config: Callable[..., ProbeConfig]
) -> None:
    config = probe_config(linkkit_partner.url, request_action=True, action_inputs={"otp": OTP})
    report = Probe(config).run()
    forms = [render_text(report, verbose=True), json.dumps(report.to_dict()), junit_xml(report).decode()]
    for text in forms:
        assert REF_ID not in text
        assert OTP not in text
        assert "eyJ" not in text  # no JWS or JWE, whole or in part
        assert "Bearer" not in text
        assert "{refId}" in text


@pytest.mark.parametrize("name", sorted(FACTS))
def test_every_fact_is_established_by_a_check_of_the_suite(name: str) -> None:
    assert FACTS[name][0] in CHECK_NAMES


def test_every_check_is_covered_by_a_known_source() -> None:
    from linkkit.probe import COVERAGE

    for check in SUITE:
        assert check.covers and set(check.covers) <= set(COVERAGE), check.name
        assert check.budget >= 1
    assert {key for check in SUITE for key in check.covers} == set(COVERAGE)


def test_the_report_names_requests_and_budget_in_json(
    linkkit_partner: LivePartner, probe_config: Callable[..., ProbeConfig]
) -> None:
    report = Probe(probe_config(linkkit_partner.url)).run(only=["no_token"])
    data = report.to_dict()
    assert data["passed"] is True and data["requests"] == 2 and data["budget"] == 2
    assert [c["name"] for c in data["checks"]] == ["get_card_data", "no_token"]
    assert data["checks"][0]["prerequisite"] is True
    exchange = data["checks"][1]["exchanges"][0]
    assert exchange["request"]["credential"] == "no Authorization header"
    assert exchange["answer"]["status"] == 401 and exchange["answer"]["code"] == "missing_credentials"
