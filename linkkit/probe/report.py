"""A probe report for people (:func:`render_text`) and for CI (:func:`junit_xml`); JSON is
:meth:`~linkkit.probe.results.ProbeReport.to_dict`.

Nothing here can print a secret: the report holds summaries only (:mod:`linkkit.probe.results`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Final

from linkkit.probe.results import CheckResult, Exchange, Outcome, ProbeReport

_MARK: Final = {Outcome.PASS: "PASS", Outcome.FAIL: "FAIL", Outcome.SKIP: "SKIP"}
_INDENT: Final = "      "


def _exchange_line(exchange: Exchange, with_id: bool) -> str:
    sent = exchange.sent
    line = sent.line()
    if with_id and sent.request_id:
        line += f" x-request-id {sent.request_id}"
    return f"{line} → {exchange.answer.line()}"


def render_check(result: CheckResult, *, verbose: bool = False) -> str:
    """One check's paragraph of :func:`render_text`."""
    return "\n".join(_check_lines(result, verbose))


def _check_lines(result: CheckResult, verbose: bool) -> list[str]:
    prerequisite = " (run as a prerequisite)" if result.prerequisite else ""
    lines = [f"{_MARK[result.outcome]}  {result.name}{prerequisite}: {result.reason}"]
    # Request ids are evidence: a failed check shows them, so the partner's logs can be searched.
    with_id = verbose or result.failed
    lines.extend(_INDENT + _exchange_line(e, with_id) for e in result.exchanges)
    lines.extend(f"{_INDENT}note: {note}" for note in result.notes)
    return lines


def summary_line(report: ProbeReport) -> str:
    counts = report.counts()
    checks = len(report.results)
    return (
        f"{checks} check{'s' if checks != 1 else ''}: {counts['pass']} passed, {counts['fail']} failed, "
        f"{counts['skip']} skipped; {report.requests} requests sent (at most {report.budget})"
    )


def render_text(report: ProbeReport, *, verbose: bool = False) -> str:
    """The report as text: one paragraph per check, then the totals.

    :param verbose: show the ``x-request-id`` of every request (failed checks always show them).
    """
    lines = [f"linkkit probe of {report.base_url} (card {report.card_id}, partner {report.partner_id})", ""]
    for result in report.results:
        lines.extend(_check_lines(result, verbose))
    lines.extend(["", summary_line(report)])
    return "\n".join(lines) + "\n"


def junit_xml(report: ProbeReport) -> bytes:
    """The report as JUnit XML: one ``testcase`` per check, a ``failure`` or ``skipped`` element where due."""
    counts = report.counts()
    attrs = {
        "name": "linkkit probe",
        "tests": str(len(report.results)),
        "failures": str(counts["fail"]),
        "errors": "0",
        "skipped": str(counts["skip"]),
        "time": f"{report.elapsed_s:.3f}",
    }
    root = ET.Element("testsuites", attrs)
    suite = ET.SubElement(root, "testsuite", attrs)
    properties = ET.SubElement(suite, "properties")
    for name, value in (("baseUrl", report.base_url), ("cardId", report.card_id), ("partnerId", report.partner_id)):
        ET.SubElement(properties, "property", {"name": name, "value": value})
    for result in report.results:
        seconds = sum(e.answer.elapsed_ms for e in result.exchanges) / 1000
        case = ET.SubElement(
            suite, "testcase", {"classname": "linkkit.probe", "name": result.name, "time": f"{seconds:.3f}"}
        )
        details = "\n".join([*(_exchange_line(e, True) for e in result.exchanges), *result.notes])
        if result.outcome is Outcome.FAIL:
            failure = ET.SubElement(case, "failure", {"message": result.reason, "type": "ProbeCheckFailed"})
            failure.text = details
        elif result.outcome is Outcome.SKIP:
            ET.SubElement(case, "skipped", {"message": result.reason})
        else:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join([result.reason, details]) if details else result.reason
    ET.indent(root)
    text: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return text + b"\n"
