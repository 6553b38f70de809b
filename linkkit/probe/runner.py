"""Run the suite against one partner server: :class:`Probe`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Final

from linkkit._redact import get_logger
from linkkit.probe.config import ProbeConfig
from linkkit.probe.context import FACTS, Check, Finding, ProbeContext, failed, skipped
from linkkit.probe.results import CheckResult, Outcome, ProbeReport
from linkkit.probe.suite import select
from linkkit.probe.transport import SamsungClient

logger = get_logger("linkkit.probe")

_PAST: Final = {Outcome.PASS: "passed", Outcome.FAIL: "failed", Outcome.SKIP: "skipped"}


class Probe:
    """Plays Samsung against one partner server and grades each answer::

        probe = Probe(ProbeConfig(base_url="https://partner.example.com/samsung", card_id=..., ref_id=...,
                                  identity=ProbeIdentity.from_folder("keys", partner_id=..., certificate_id=...)))
        report = probe.run(skip=["oversize_body"])
        assert report.passed, render_text(report)

    Every request goes to the partner in the order of :data:`~linkkit.probe.suite.SUITE`, one at a
    time, each bounded by ``config.timeout``; a run sends at most :meth:`budget` requests.
    """

    def __init__(self, config: ProbeConfig) -> None:
        if not isinstance(config, ProbeConfig):
            raise TypeError("config must be a ProbeConfig")
        self.config = config

    def plan(self, *, only: Iterable[str] = (), skip: Iterable[str] = ()) -> tuple[Check, ...]:
        """The checks a run with ``only`` and ``skip`` performs, in order."""
        return select(only, skip)[0]

    def budget(self, *, only: Iterable[str] = (), skip: Iterable[str] = ()) -> int:
        """The most requests such a run sends."""
        return sum(check.budget for check in self.plan(only=only, skip=skip))

    def run(
        self,
        *,
        only: Iterable[str] = (),
        skip: Iterable[str] = (),
        on_result: Callable[[CheckResult], None] | None = None,
    ) -> ProbeReport:
        """Run the checks; ``on_result`` is called after each one (progress bars, live output).

        :raises linkkit.errors.ConfigError: ``only`` or ``skip`` names no check.
        """
        checks, prerequisites = select(only, skip)
        client = SamsungClient(self.config)
        ctx = ProbeContext(self.config, client)
        results: list[CheckResult] = []
        started = time.perf_counter()
        try:
            for check in checks:
                finding = self._run_one(check, ctx, results)
                result = CheckResult(
                    name=check.name,
                    title=check.title,
                    outcome=finding.outcome,
                    reason=finding.reason,
                    exchanges=finding.exchanges,
                    notes=finding.notes,
                    covers=check.covers,
                    prerequisite=check.name in prerequisites,
                )
                results.append(result)
                if on_result is not None:
                    on_result(result)
        finally:
            client.close()
        return ProbeReport(
            base_url=self.config.base_url,
            card_id=self.config.card_id,
            partner_id=self.config.identity.partner_id,
            results=tuple(results),
            requests=client.sent,
            budget=sum(check.budget for check in checks),
            elapsed_s=time.perf_counter() - started,
        )

    def _run_one(self, check: Check, ctx: ProbeContext, done: list[CheckResult]) -> Finding:
        unavailable = check.unavailable(self.config)
        if unavailable:
            return skipped(unavailable)
        for fact in check.needs:
            if fact not in ctx.facts:
                producer, why = FACTS[fact]
                before = next((r for r in done if r.name == producer), None)
                state = _PAST[before.outcome] if before is not None else "not selected"
                return skipped(f"needs {producer} ({state}): {why}")
        ctx.client.allow(check.budget)
        try:
            return check.run(ctx)
        except Exception as exc:
            # A defect of the probe, not of the partner: say so instead of blaming the server.
            logger.exception("probe check %s could not complete", check.name)
            return failed(f"the probe itself failed in this check ({type(exc).__name__}); please report it")
        finally:
            ctx.client.allow(0)
