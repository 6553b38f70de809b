"""``linkkit probe``: play Samsung against a deployed partner server and grade it (:mod:`linkkit.probe`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from linkkit._atomic import atomic_write
from linkkit.cli._settings import Setting, require
from linkkit.errors import ConfigError
from linkkit.probe import (
    COVERAGE,
    DEFAULT_CALLBACK,
    DEFAULT_TIMEOUT_S,
    SUITE,
    CheckResult,
    Probe,
    ProbeConfig,
    ProbeIdentity,
    junit_xml,
    render_text,
)

EXIT_FAILED = 1


def _inputs(values: tuple[str, ...]) -> dict[str, str]:
    inputs: dict[str, str] = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{name or value!r}: write NAME=VALUE", param_hint="--action-input")
        inputs[name.strip()] = text
    return inputs


def _list_checks() -> None:
    width = max(len(check.name) for check in SUITE)
    for check in SUITE:
        click.echo(f"{check.name:<{width}}  {check.title}")
        covers = "; ".join(COVERAGE[key].label.split(":")[0] for key in check.covers)
        click.echo(f"{'':<{width}}  covers: {covers}")


@click.command("probe")
@click.argument("base_url", required=False)
@click.option("--card-id", cls=Setting, help="The Wallet card id the partner serves.")
@click.option("--ref-id", cls=Setting, help="refId of a TEST card the partner issued (it gets DELETED last).")
@click.option("--samsung-key", cls=Setting, help="Samsung TEST private key (PEM): signs as Samsung, decrypts cdata.")
@click.option("--partner-cert", cls=Setting, help="Partner certificate (PEM): verifies the partner's cdata.")
@click.option("--partner-id", cls=Setting, help="The partner code (partnerId).")
@click.option("--certificate-id", cls=Setting, help="The partner certificate's id (certificateId).")
@click.option(
    "--samsung-certificate-id",
    cls=Setting,
    help="certificateId of the AUTH tokens the probe sends (default: --certificate-id, as the sandbox).",
)
@click.option("--fields", help="Attributes the fields= check asks for, comma-separated (default: two of the card's).")
@click.option("--cc2", default="US", show_default=True, help="Country of the probe's Send Card State calls.")
@click.option("--callback", default=DEFAULT_CALLBACK, show_default=True, help="The callback Send Card State carries.")
@click.option(
    "--request-action", is_flag=True, help="Also check Request Action (CHECK_ELIGIBILITY, USER_AUTH, REGISTER)."
)
@click.option(
    "--action-input",
    "action_inputs",
    multiple=True,
    metavar="NAME=VALUE",
    help="What the simulated user types when the partner asks (USER_AUTH fields); repeat it.",
)
@click.option("--only", multiple=True, metavar="CHECK[,CHECK]", help="Run only these checks (and what they need).")
@click.option("--skip", multiple=True, metavar="CHECK[,CHECK]", help="Leave these checks out.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True, max=120),
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    help="Seconds per request, connect to last byte.",
)
@click.option("--ca-cert", type=click.Path(exists=True, dir_okay=False), help="CA bundle to verify the partner's TLS.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--junit", type=click.Path(dir_okay=False, path_type=Path), help="Also write the report as JUnit XML.")
@click.option("-v", "--verbose", is_flag=True, help="Show the x-request-id of every request.")
@click.option("--list", "list_checks", is_flag=True, help="List the checks and what they stand for, then exit.")
def probe(
    base_url: str | None,
    card_id: str | None,
    ref_id: str | None,
    samsung_key: str | None,
    partner_cert: str | None,
    partner_id: str | None,
    certificate_id: str | None,
    samsung_certificate_id: str | None,
    fields: str | None,
    cc2: str,
    callback: str,
    request_action: bool,
    action_inputs: tuple[str, ...],
    only: tuple[str, ...],
    skip: tuple[str, ...],
    timeout: float,
    ca_cert: str | None,
    as_json: bool,
    junit: Path | None,
    verbose: bool,
    list_checks: bool,
) -> int:
    """Play Samsung against the partner server at BASE_URL and grade it.

    BASE_URL is the partner URL registered with Samsung (Get Card Data is BASE_URL/cards/...).
    The probe calls Get Card Data, Send Card State and (with --request-action) Request Action as
    Samsung would, then with one thing wrong at a time: no token, altered and foreign signatures,
    alg none, HS256 key confusion, stale and future utc, swapped method and path, replayed request
    ids and tokens, malformed and oversize bodies, path traversal. Exit code 0 when no check fails.

    The partner under test must verify with the TEST Samsung certificate of the identity set
    (as for the sandbox), and --ref-id must be a test card: it is sent DELETED at the end.

    \b
    Example:
      LINKKIT_CONFIG=keys/linkkit.toml linkkit probe https://staging.example.com/samsung \\
        --ref-id test-card-0001 --junit probe.xml
    """
    if list_checks:
        _list_checks()
        return 0
    if not base_url:
        raise click.UsageError("BASE_URL is required (the partner URL registered with Samsung)")
    identity = ProbeIdentity.from_files(
        samsung_key=require(samsung_key, "--samsung-key"),
        partner_cert=require(partner_cert, "--partner-cert"),
        partner_id=require(partner_id, "--partner-id"),
        certificate_id=require(certificate_id, "--certificate-id"),
        samsung_certificate_id=samsung_certificate_id or None,
    )
    config = ProbeConfig(
        base_url=base_url,
        card_id=require(card_id, "--card-id"),
        ref_id=require(ref_id, "--ref-id"),
        identity=identity,
        fields=tuple(f.strip() for f in fields.split(",")) if fields else None,
        cc2=cc2,
        callback=callback or None,
        request_action=request_action,
        action_inputs=_inputs(action_inputs),
        timeout=timeout,
        verify=ca_cert or True,
    )
    runner = Probe(config)
    plan = runner.plan(only=only, skip=skip)
    if not plan:
        raise ConfigError("--skip leaves no check to run")
    with click.progressbar(length=len(plan), label="probing", file=sys.stderr) as bar:

        def advance(_: CheckResult) -> None:
            bar.update(1)

        report = runner.run(only=only, skip=skip, on_result=advance)
    if junit is not None:
        atomic_write(junit, junit_xml(report))
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        click.echo(render_text(report, verbose=verbose), nl=False)
    return 0 if report.passed else EXIT_FAILED
