"""The probe against the demo's partner endpoints, served by a real server: the Northwind app as
``python -m demo_site`` builds it (its merchant database, its sign-up Request Action), every check
passes, including the sign-up sequence with the demo's one-time code."""

from __future__ import annotations

import time
from pathlib import Path

from demo_site import create_app
from demo_site.catalogue import initial_attrs
from demo_site.services import services_of
from demo_site.settings import DEFAULT_CARD_IDS
from linkkit._serving import ServerThread
from linkkit.links import new_ref_id
from linkkit.probe import Outcome, Probe, ProbeConfig, ProbeIdentity, render_text
from tests.conftest import CERTIFICATE_ID, PARTNER_ID

DEMO_OTP = "246810"


def test_every_check_passes_against_the_demo_site(tmp_path: Path, identity_dir: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "IDENTITY_DIR": str(identity_dir),
            "SANDBOX_URL": "http://127.0.0.1:9",  # the probe plays Samsung: no sandbox is needed
            "S2P_API_URL": "https://127.0.0.1:9/ext/v1",
            "DEMO_OTP": DEMO_OTP,
        },
        instance_path=str(tmp_path / "instance"),
    )
    services = services_of(app)
    attrs = initial_attrs("rewards", int(time.time() * 1000))
    member = services.db.issue(ref_id=new_ref_id(), kind="rewards", holder="Probe Tester", attrs=attrs)
    try:
        with ServerThread(app) as server:
            config = ProbeConfig(
                base_url=f"{server.url}{services.settings.partner_prefix}",
                card_id=DEFAULT_CARD_IDS["rewards"],
                ref_id=member.ref_id,
                identity=ProbeIdentity.from_folder(identity_dir),
                request_action=True,
                action_inputs={"phone": "+1 415 555 0100", "otp": DEMO_OTP},
            )
            report = Probe(config).run()
    finally:
        services.close()
    assert report.passed, render_text(report)
    assert {r.outcome for r in report.results} == {Outcome.PASS}
    sequence = report.result("request_action_sequence")
    assert "CHECK_ELIGIBILITY → USER_AUTH → REGISTER" in sequence.reason
    assert report.partner_id == PARTNER_ID and config.identity.certificate_id == CERTIFICATE_ID
