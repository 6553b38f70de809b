"""``linkkit probe``: play Samsung against a deployed partner server (any language) and grade it.

::

    from linkkit.probe import Probe, ProbeConfig, ProbeIdentity, render_text

    identity = ProbeIdentity.from_folder("keys", partner_id="4030093436155138240", certificate_id="YMtt")
    config = ProbeConfig(base_url="https://partner.example.com/samsung", card_id="3glji6d406000",
                         ref_id="a-test-card-ref", identity=identity)
    report = Probe(config).run()
    print(render_text(report))

The checks (:data:`SUITE`) call Get Card Data, Send Card State and, when enabled, Request Action as
Samsung would, then with one thing wrong at a time (no token, altered or foreign signatures, ``alg``
none, HS256 key confusion, stale and future ``utc``, swapped method and path, replayed request ids
and tokens, malformed and oversize bodies, path traversal). See docs/probe.md.
"""

from linkkit.probe.config import DEFAULT_CALLBACK as DEFAULT_CALLBACK
from linkkit.probe.config import DEFAULT_TIMEOUT_S as DEFAULT_TIMEOUT_S
from linkkit.probe.config import ProbeConfig as ProbeConfig
from linkkit.probe.config import ProbeIdentity as ProbeIdentity
from linkkit.probe.context import Check as Check
from linkkit.probe.coverage import COVERAGE as COVERAGE
from linkkit.probe.report import junit_xml as junit_xml
from linkkit.probe.report import render_text as render_text
from linkkit.probe.results import Answer as Answer
from linkkit.probe.results import CheckResult as CheckResult
from linkkit.probe.results import Exchange as Exchange
from linkkit.probe.results import Outcome as Outcome
from linkkit.probe.results import ProbeReport as ProbeReport
from linkkit.probe.results import Sent as Sent
from linkkit.probe.runner import Probe as Probe
from linkkit.probe.suite import CHECK_NAMES as CHECK_NAMES
from linkkit.probe.suite import SUITE as SUITE

__all__ = [
    "CHECK_NAMES",
    "COVERAGE",
    "DEFAULT_CALLBACK",
    "DEFAULT_TIMEOUT_S",
    "SUITE",
    "Answer",
    "Check",
    "CheckResult",
    "Exchange",
    "Outcome",
    "Probe",
    "ProbeConfig",
    "ProbeIdentity",
    "ProbeReport",
    "Sent",
    "junit_xml",
    "render_text",
]
