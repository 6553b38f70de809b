"""The report as text, JSON and JUnit XML, read back the way people and CI tools read them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable

from linkkit.probe import Probe, ProbeConfig, ProbeReport, junit_xml, render_text
from tests.probe.conftest import LivePartner


def _report(partner: LivePartner, probe_config: Callable[..., ProbeConfig], **kwargs: object) -> ProbeReport:
    return Probe(probe_config(partner.url, **kwargs)).run()


def test_junit_has_one_case_per_check_with_failures_and_skips(
    broken_partner: Callable[..., LivePartner], probe_config: Callable[..., ProbeConfig]
) -> None:
    report = _report(broken_partner("accepts_replays"), probe_config)
    root = ET.fromstring(junit_xml(report))
    suite = root.find("testsuite")
    assert suite is not None and root.tag == "testsuites"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == [r.name for r in report.results]
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("22", "2", "2")
    failure = cases["replayed_token"].find("failure")
    assert failure is not None and failure.get("message") == report.result("replayed_token").reason
    assert "x-request-id" in (failure.text or "")
    skipped = cases["request_action_sequence"].find("skipped")
    assert skipped is not None and "--request-action" in (skipped.get("message") or "")
    assert cases["get_card_data"].find("system-out") is not None
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["cardId"] == report.card_id and properties["baseUrl"] == report.base_url


def test_text_report_shape(linkkit_partner: LivePartner, probe_config: Callable[..., ProbeConfig]) -> None:
    report = _report(linkkit_partner, probe_config, request_ids=iter(f"id-{i}" for i in range(99)).__next__)
    text = render_text(report)
    lines = text.splitlines()
    assert lines[0] == f"linkkit probe of {linkkit_partner.url} (card 3glji6d406000, partner 4030093436155138240)"
    assert lines[2].startswith("PASS  get_card_data: cdata verified and decrypted: loyalty/others, 1 entry")
    assert lines[-1] == "22 checks: 20 passed, 0 failed, 2 skipped; 32 requests sent (at most 36)"
    assert "x-request-id id-" not in text  # only failed checks, or --verbose, show them
    assert "x-request-id id-0" in render_text(report, verbose=True)


def test_json_report_round_trips(linkkit_partner: LivePartner, probe_config: Callable[..., ProbeConfig]) -> None:
    report = _report(linkkit_partner, probe_config)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["counts"] == {"pass": 20, "fail": 0, "skip": 2}
    first = data["checks"][0]
    assert first["covers"] == ["checklist:card-data", "api:get-card-data", "api:card-data-token"]
    assert first["exchanges"][0]["answer"]["shape"] == "cdata"
    assert first["exchanges"][0]["request"]["path"].endswith("/{refId}")
