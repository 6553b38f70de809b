"""The ``linkkit`` command: link → inspect with generated keys, settings sources, clean errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from linkkit.cli.main import main
from linkkit.links import parse_link

from ..conftest import CARD_ID, CERTIFICATE_ID, PARTNER_ID


@pytest.fixture
def card_file(tmp_path: Path, loyalty_card) -> Path:
    path = tmp_path / "card.json"
    path.write_text(json.dumps(loyalty_card), encoding="utf-8")
    return path


@pytest.fixture
def config(identity_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LINKKIT_CONFIG", str(identity_dir / "linkkit.toml"))
    return identity_dir


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_transmit_then_inspect_is_valid(capsys, config, card_file):
    code, out, err = run(capsys, "link", "transmit", str(card_file))
    assert code == 0, err
    link = out.strip()
    assert parse_link(link).kind == "transmit" and link.startswith(f"https://a.swallet.link/atw/v3/{CARD_ID}#Clip?")
    code, out, _ = run(capsys, "inspect", link)
    assert code == 0, out
    assert "VALID" in out and "✓ signature" in out and "✓ decrypt" in out and "✓ card" in out
    code, out, _ = run(capsys, "inspect", link, "--json")
    report = json.loads(out)
    assert report["valid"] and report["kind"] == "transmit" and report["card"]["type"] == "loyalty"


def test_inspect_reports_an_expired_token(capsys, config, card_file):
    code, out, _ = run(capsys, "link", "transmit", str(card_file))
    link = out.strip()
    code, out, _ = run(capsys, "inspect", link, "--max-age", "0", "--skew", "0")
    assert code == 1 and "✗ age" in out and "NOT VALID" in out


def test_inspect_without_keys_is_not_valid(capsys, identity_dir, card_file, monkeypatch):
    monkeypatch.setenv("LINKKIT_CONFIG", str(identity_dir / "linkkit.toml"))
    code, out, _ = run(capsys, "link", "transmit", str(card_file))
    monkeypatch.delenv("LINKKIT_CONFIG")
    monkeypatch.chdir(identity_dir.parent)
    code, out, _ = run(capsys, "inspect", out.strip())
    assert code == 1 and "- signature: not verified" in out


def test_flags_beat_env_beat_toml(capsys, config, monkeypatch):
    code, out, _ = run(capsys, "link", "fetch", "ref-1", "--json")
    assert json.loads(out)["link"] == f"https://a.swallet.link/atw/v3/{CERTIFICATE_ID}/{CARD_ID}#Clip?pdata=ref-1"
    monkeypatch.setenv("LINKKIT_CARD_ID", "envcard")
    code, out, _ = run(capsys, "link", "fetch", "ref-1")
    assert "/envcard#" in out
    code, out, _ = run(capsys, "link", "fetch", "ref-1", "--card-id", "flagcard")
    assert code == 0 and "/flagcard#" in out


def test_fetch_makes_a_fresh_ref_id_and_action(capsys, config):
    code, out, _ = run(capsys, "link", "fetch", "--json")
    result = json.loads(out)
    assert code == 0 and len(result["ref_id"]) == 32 and result["link"].endswith(result["ref_id"])
    code, out, _ = run(capsys, "link", "action")
    assert out.strip().endswith("#Clip?adata=user_auth")


def test_stdin_card(config, card_file):
    proc = subprocess.run(
        [sys.executable, "-m", "linkkit.cli.main", "link", "transmit", "-"],
        input=card_file.read_bytes(),
        capture_output=True,
        env=os.environ.copy(),
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().startswith("https://a.swallet.link/atw/v3/")


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda c: c["card"]["data"][0]["attributes"].pop("title"), "card.data[0].attributes.title: required"),
        (lambda c: c["card"].update(type="spaceship"), "card.type"),
    ],
)
def test_bad_cards_give_one_line_naming_the_field(capsys, config, tmp_path, loyalty_card, mutate, message):
    mutate(loyalty_card)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(loyalty_card))
    code, out, err = run(capsys, "link", "transmit", str(path))
    assert code == 1 and out == ""
    assert err.startswith("linkkit: error: ") and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_broken_json_and_missing_files(capsys, config, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"card": ')
    code, _, err = run(capsys, "link", "transmit", str(path))
    assert code == 1 and "not JSON" in err and "line 1" in err
    code, _, err = run(capsys, "link", "transmit", str(tmp_path / "nope.json"))
    assert code == 2 and "cannot read" in err


def test_missing_setting_names_flag_variable_and_toml_key(capsys, tmp_path, monkeypatch, card_file):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "link", "fetch", "r1")
    expected = "--certificate-id is required (or LINKKIT_CERTIFICATE_ID, or certificate_id in linkkit.toml)"
    assert code == 2 and expected in err


def test_bad_key_file_message_has_no_key_material(capsys, config, card_file, tmp_path):
    bad = tmp_path / "bad.key"
    bad.write_text("-----BEGIN PRIVATE KEY-----\nc2VjcmV0c2VjcmV0\n-----END PRIVATE KEY-----\n")
    code, _, err = run(capsys, "link", "transmit", str(card_file), "--key", str(bad))
    assert code == 2 and "not a PEM private key" in err and "c2VjcmV0" not in err


def test_keys_generate_and_check(capsys, tmp_path):
    out_dir = tmp_path / "keys"
    code, out, err = run(capsys, "keys", "generate", "--out", str(out_dir), "--partner-id", PARTNER_ID, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["partner_id"] == PARTNER_ID and "partner.key" in result["files"]
    assert "BEGIN" not in out + err
    code, out, err = run(capsys, "keys", "generate", "--out", str(out_dir))
    assert code == 2 and "would overwrite" in err
    code, out, _ = run(capsys, "keys", "check", str(out_dir / "partner.key"), str(out_dir / "partner.crt"))
    assert code == 0 and out.startswith("ok:")
    code, _, err = run(capsys, "keys", "check", str(out_dir / "partner.key"), str(out_dir / "samsung.crt"))
    assert code == 2 and "does not belong" in err


def test_plan(capsys, card_file):
    code, out, _ = run(capsys, "plan", str(card_file), "--channel", "email", "--json")
    plan = json.loads(out)
    assert code == 0 and plan["recommended"] == "fetch" and plan["qr"]["version"]
    code, out, _ = run(capsys, "plan", str(card_file), "--channel", "web")
    assert "recommended: transmit" in out
    code, _, err = run(capsys, "plan", str(card_file), "--channel", "fax")
    assert code == 2 and "fax" in err


def test_help_teaches(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "linkkit keys generate" in out
    code, out, _ = run(capsys, "link", "transmit", "--help")
    assert "LINKKIT_PARTNER_ID" in out and "Example" in out


def test_installed_console_script(card_file, config):
    exe = Path(sys.executable).with_name("linkkit")
    proc = subprocess.run([str(exe), "link", "transmit", str(card_file)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    proc2 = subprocess.run([str(exe), "inspect", proc.stdout.strip()], capture_output=True, text=True, check=False)
    assert proc2.returncode == 0 and proc2.stdout.strip().endswith("VALID")


def test_config_option_and_one_line_usage_errors(capsys, identity_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "--config", str(identity_dir / "linkkit.toml"), "link", "fetch", "ref-1")
    assert code == 0 and f"/{CERTIFICATE_ID}/{CARD_ID}#" in out
    code, _, err = run(capsys, "--config", str(tmp_path / "none.toml"), "link", "fetch", "r")
    assert code == 2 and "configuration file not found" in err
    code, _, err = run(capsys, "link", "fetch", "r", "--bogus")
    assert code == 2 and err.count("\n") == 1 and err.startswith("linkkit: error: No such option")
    assert "(see: linkkit link fetch --help)" in err


def test_bad_ids_and_bad_stdin_never_trace(capsys, config, card_file, monkeypatch):
    code, _, err = run(capsys, "link", "transmit", str(card_file), "--partner-id", "é")
    assert code == 2 and "partner_id" in err and "Traceback" not in err
    monkeypatch.setattr("sys.stdin", None)
    code, _, err = run(capsys, "inspect", "-")
    assert code == 2 and "stdin is closed" in err


def test_inspect_refuses_binary_stdin_and_nan(config, capsys):
    proc = subprocess.run(
        [sys.executable, "-m", "linkkit.cli.main", "inspect", "-"], input=b"\xff\xfe", capture_output=True, check=False
    )
    assert proc.returncode == 2 and b"ASCII" in proc.stderr and b"Traceback" not in proc.stderr
    code, _, err = run(capsys, "inspect", "x.y.z", "--max-age", "nan")
    assert code == 2 and "finite" in err


def test_inspect_warns_on_short_ref_ids(capsys, config):
    code, out, _ = run(capsys, "inspect", f"https://a.swallet.link/atw/v3/{CERTIFICATE_ID}/{CARD_ID}#Clip?pdata=1")
    assert code == 0 and "! refId: only 1 characters" in out


def test_keys_generate_refuses_bad_ids(capsys, tmp_path):
    code, _, err = run(capsys, "keys", "generate", "--out", str(tmp_path / "k"), "--partner-id", 'a"b')
    assert code == 2 and "partner_id" in err and not (tmp_path / "k" / "partner.key").exists()
