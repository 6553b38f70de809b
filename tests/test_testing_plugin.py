"""The pytest plugin as a user gets it: separate pytest runs in a fresh project folder.

The plugin is opt-in (``pytest_plugins = ["linkkit.testing"]``): installing linkkit must not load
it, or linkkit itself, into every pytest session of a user's machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from linkkit.errors import ConfigError
from linkkit.testing import IDENTITY_ENV, LocalIdentity
from tests.conftest import CARD_ID

USER_SUITE = """
import pytest
from linkkit.cards import loyalty_card
from linkkit.clients.wallet import CardUpdate, WalletClient
from linkkit.errors import ServiceUnavailableError
from linkkit.clients import RetryPolicy
from linkkit.links import transmit_link


def _card(ref_id):
    return loyalty_card(ref_id=ref_id, title="Gold", provider_name="Coffee", app_link_logo="https://e.x/l.png",
                        app_link_name="Coffee", app_link_data="https://e.x/app")


def test_a_user_opens_and_adds_a_card(linkkit_sandbox):
    signer = linkkit_sandbox.partner_signer()
    link = transmit_link(linkkit_sandbox.identity.card_id, signer.card_data_token(_card("ref-user-1")),
                         base=linkkit_sandbox.url)
    session = linkkit_sandbox.open_link(link)
    assert session["step"] == "preview"
    assert linkkit_sandbox.add(session)["partnerStatus"] == [0]  # no partner URL in this suite
    assert [c["refId"] for c in linkkit_sandbox.cards()] == ["ref-user-1"]


def test_each_test_starts_empty(linkkit_sandbox):
    assert linkkit_sandbox.cards() == []


def test_failure_paths(linkkit_sandbox):
    waits = []
    client = WalletClient(linkkit_sandbox.partner_signer(), linkkit_sandbox.endpoints, sleep=waits.append,
                          retry=RetryPolicy(attempts=2))
    with linkkit_sandbox.faults.inject("503", value=3):
        with pytest.raises(ServiceUnavailableError):
            client.update_notification(linkkit_sandbox.identity.card_id, "loyalty",
                                       [CardUpdate("ref-user-1", "UPDATED")], cc2="US")
    assert waits == [3.0]
    assert client.update_notification(linkkit_sandbox.identity.card_id, "loyalty",
                                      [CardUpdate("ref-user-1", "UPDATED")], cc2="US").status == 204
"""


def run_pytest(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # PYTEST_DISABLE_PLUGIN_AUTOLOAD would hide what installed entry points do in a user's project
    environ = {k: v for k, v in os.environ.items() if k != "PYTEST_DISABLE_PLUGIN_AUTOLOAD"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env={**environ, **(env or {})},
    )


def test_the_plugin_in_a_separate_suite(tmp_path: Path, identity_dir: Path) -> None:
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["linkkit.testing"]\n')  # as docs/sandbox.md says
    (tmp_path / "test_user.py").write_text(USER_SUITE)
    # the session's identity folder, so that the run does not generate 8 RSA keys again
    result = run_pytest(tmp_path, "test_user.py", env={IDENTITY_ENV: str(identity_dir)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


def test_installing_linkkit_loads_nothing_into_other_projects(tmp_path: Path) -> None:
    (tmp_path / "test_other.py").write_text(
        "import sys\n\n\ndef test_linkkit_was_not_imported():\n"
        "    assert not [m for m in sys.modules if m == 'linkkit' or m.startswith('linkkit.')]\n"
    )
    result = run_pytest(tmp_path, "test_other.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "linkkit_sandbox" not in run_pytest(tmp_path, "--fixtures", "test_other.py").stdout
    # the command-line opt-in works too
    result = run_pytest(tmp_path, "-p", "linkkit.testing", "--fixtures", "test_other.py")
    assert "linkkit_sandbox" in result.stdout, result.stdout + result.stderr


def test_an_identity_folder_loads(identity_dir: Path, tmp_path: Path) -> None:
    loaded = LocalIdentity.load(identity_dir)
    assert loaded.card_id == CARD_ID
    assert loaded.partner_signer().samsung_public_key is not None
    with pytest.raises(ConfigError, match="identity folder"):
        LocalIdentity.load(tmp_path)
