"""pytest plugin (opt-in): grade a partner server from your own test suite or CI.

Opt in from your project's top-level ``conftest.py`` (or with ``-p linkkit.probe.pytest_plugin``)::

    pytest_plugins = ["linkkit.testing", "linkkit.probe.pytest_plugin"]

(``linkkit.testing`` is needed only when the probe should use its ``linkkit_identity`` fixture.)

Then either use the fixture in a test of your own::

    def test_partner_passes_the_probe(linkkit_probe, partner_url):
        report = linkkit_probe.run(partner_url, ref_id="test-card-0001")
        assert report.passed, report.text

or let the plugin add one test per check for a deployed server::

    pytest -p linkkit.probe.pytest_plugin -m linkkit_probe \\
        --linkkit-probe https://staging.example.com/samsung \\
        --linkkit-probe-identity keys/ --linkkit-probe-ref-id test-card-0001

Options (each also read from the environment variable named in ``pytest --help``):

* ``--linkkit-probe URL``: run the suite against URL, one test item per check (marker ``linkkit_probe``);
* ``--linkkit-probe-identity DIR``: the identity folder (``linkkit keys generate``); without it the
  fixture uses ``linkkit_identity`` of :mod:`linkkit.testing` (enable that plugin too), as the sandbox does;
* ``--linkkit-probe-card-id``, ``--linkkit-probe-ref-id``, ``--linkkit-probe-request-action``,
  ``--linkkit-probe-input NAME=VALUE``, ``--linkkit-probe-only CHECK``, ``--linkkit-probe-skip CHECK``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from linkkit.errors import ConfigError, MissingDependencyError

try:
    import pytest
except ImportError as exc:  # a pytest plugin: only a test suite imports it
    raise MissingDependencyError("linkkit.probe.pytest_plugin", package="pytest", extra="testing") from exc

from linkkit.probe.config import ProbeConfig, ProbeIdentity, folder_settings
from linkkit.probe.report import render_check, render_text
from linkkit.probe.results import CheckResult, Outcome, ProbeReport
from linkkit.probe.runner import Probe
from linkkit.probe.suite import select

__all__ = ["ProbeFixture", "ProbeItem", "RunReport"]

MARKER = "linkkit_probe"
_OPTIONS = (
    ("--linkkit-probe", "LINKKIT_PROBE_URL", "run the linkkit probe against this partner base URL"),
    ("--linkkit-probe-identity", "LINKKIT_PROBE_IDENTITY", "identity folder (linkkit keys generate --out DIR)"),
    ("--linkkit-probe-card-id", "LINKKIT_PROBE_CARD_ID", "card id (default: card_id of the identity's linkkit.toml)"),
    ("--linkkit-probe-ref-id", "LINKKIT_PROBE_REF_ID", "refId of a test card the partner issued"),
)
_REPORT = pytest.StashKey["ProbeReport"]()


@dataclass(frozen=True)
class RunReport:
    """A :class:`~linkkit.probe.results.ProbeReport` with its text, for ``assert report.passed, report.text``."""

    report: ProbeReport

    @property
    def passed(self) -> bool:
        return self.report.passed

    @property
    def text(self) -> str:
        return render_text(self.report)

    def result(self, name: str) -> CheckResult:
        return self.report.result(name)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("linkkit-probe", "linkkit probe of a partner server")
    for flag, env, help_text in _OPTIONS:
        group.addoption(flag, default=os.environ.get(env), help=f"{help_text} (env {env})")
    group.addoption("--linkkit-probe-request-action", action="store_true", help="also check Request Action")
    group.addoption("--linkkit-probe-input", action="append", default=[], metavar="NAME=VALUE", help="USER_AUTH input")
    group.addoption("--linkkit-probe-only", action="append", default=[], metavar="CHECK", help="run only these checks")
    group.addoption("--linkkit-probe-skip", action="append", default=[], metavar="CHECK", help="leave these checks out")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}: one check of the linkkit probe of a partner server")


def _inputs(values: Iterable[str]) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name:
            raise pytest.UsageError(f"--linkkit-probe-input {value!r}: write NAME=VALUE")
        pairs[name] = text
    return pairs


class ProbeFixture:
    """What the ``linkkit_probe`` fixture gives a test: :meth:`run` a probe with the session's identity."""

    def __init__(self, config: pytest.Config, identity: ProbeIdentity, card_id: str | None) -> None:
        self._options = config
        self.identity = identity
        self.card_id = card_id

    def config(self, base_url: str, *, ref_id: str | None = None, **overrides: Any) -> ProbeConfig:
        """A :class:`~linkkit.probe.config.ProbeConfig` from the command-line options and ``overrides``."""
        option = self._options.getoption
        settings: dict[str, Any] = {
            "base_url": base_url,
            "card_id": self.card_id,
            "ref_id": ref_id or option("--linkkit-probe-ref-id"),
            "identity": self.identity,
            "request_action": bool(option("--linkkit-probe-request-action")),
            "action_inputs": _inputs(option("--linkkit-probe-input")),
        }
        settings.update(overrides)
        if not settings["card_id"]:
            raise pytest.UsageError("the linkkit probe needs a card id (--linkkit-probe-card-id)")
        if not settings["ref_id"]:
            raise pytest.UsageError("the linkkit probe needs the refId of a test card (--linkkit-probe-ref-id)")
        return ProbeConfig(**settings)

    def run(self, base_url: str, *, only: Iterable[str] = (), skip: Iterable[str] = (), **overrides: Any) -> RunReport:
        """Run the suite against ``base_url``; ``overrides`` are :class:`ProbeConfig` fields."""
        return RunReport(Probe(self.config(base_url, **overrides)).run(only=only, skip=skip))


def _linkkit_identity(request: pytest.FixtureRequest) -> Any:
    """The ``linkkit_identity`` fixture of :mod:`linkkit.testing`, or ``None`` when that plugin is off."""
    try:
        return request.getfixturevalue("linkkit_identity")
    except pytest.FixtureLookupError:
        return None


def _fixture(config: pytest.Config, request: pytest.FixtureRequest | None) -> ProbeFixture:
    folder = config.getoption("--linkkit-probe-identity")
    card_id = config.getoption("--linkkit-probe-card-id")
    try:
        if folder:
            identity = ProbeIdentity.from_folder(folder)
            card_id = card_id or folder_settings(folder).get("card_id")
        elif request is not None and (local := _linkkit_identity(request)) is not None:
            identity = ProbeIdentity(
                partner_id=local.partner_id,
                certificate_id=local.certificate_id,
                samsung_key=local.samsung_key,
                partner_public_key=local.partner_cert.public_key(),
            )
            card_id = card_id or local.card_id
        else:
            raise pytest.UsageError(
                "the linkkit probe needs --linkkit-probe-identity DIR (linkkit keys generate), "
                'or pytest_plugins = ["linkkit.testing"] for its linkkit_identity fixture'
            )
    except ConfigError as exc:
        raise pytest.UsageError(f"linkkit probe: {exc}") from exc
    return ProbeFixture(config, identity, card_id)


@pytest.fixture
def linkkit_probe(request: pytest.FixtureRequest) -> Iterator[ProbeFixture]:
    """Runs the linkkit probe against a partner server: ``linkkit_probe.run(url, ref_id=...)``."""
    yield _fixture(request.config, request)


class ProbeItem(pytest.Item):
    """One check of the probe run that ``--linkkit-probe URL`` asks for; the run happens once, at the first."""

    def __init__(self, *, check: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check
        self.add_marker(MARKER)

    def _report(self) -> ProbeReport:
        session = self.session
        if _REPORT not in session.stash:
            names = [item.check for item in session.items if isinstance(item, ProbeItem)]
            fixture = _fixture(self.config, None)
            config = fixture.config(self.config.getoption("--linkkit-probe"))
            session.stash[_REPORT] = Probe(config).run(only=names)
        return session.stash[_REPORT]

    def runtest(self) -> None:
        result = self._report().result(self.check)
        if result.outcome is Outcome.SKIP:
            # reported at this item, not at the line of this plugin that skips it
            raise pytest.skip.Exception(result.reason, _use_item_location=True)
        if result.outcome is Outcome.FAIL:
            pytest.fail(render_check(result, verbose=True), pytrace=False)

    def reportinfo(self) -> tuple[str, int, str]:
        return MARKER, 0, f"{MARKER}::{self.check}"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    # tryfirst: the items are added before -k and -m pick among them.
    if not config.getoption("--linkkit-probe"):
        return
    only = config.getoption("--linkkit-probe-only")
    skip = config.getoption("--linkkit-probe-skip")
    try:
        checks, _ = select(only, skip)
    except ConfigError as exc:
        raise pytest.UsageError(f"linkkit probe: {exc}") from exc
    for check in checks:
        items.append(
            ProbeItem.from_parent(session, name=check.name, nodeid=f"{MARKER}::{check.name}", check=check.name)
        )
