"""The sandbox's own JSON API, its configuration, and fault parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkkit.errors import ConfigError
from linkkit.sandbox import ALL_FAULTS, Fault, SandboxConfig, create_app, sandbox_of
from linkkit.sandbox.faults import FaultBook, parse_fault_header
from linkkit.testing import SandboxHandle
from tests.conftest import CARD_ID, CERTIFICATE_ID, PARTNER_ID, Identity


def test_info_and_settings(linkkit_sandbox: SandboxHandle) -> None:
    info = linkkit_sandbox.http.get("/_sandbox/info").json()
    assert (info["partnerId"], info["certificateId"], info["cc2"]) == (PARTNER_ID, CERTIFICATE_ID, "US")
    linkkit_sandbox.set_partner_url("http://127.0.0.1:5001/base/")
    assert linkkit_sandbox.http.get("/_sandbox/info").json()["partnerBaseUrl"] == "http://127.0.0.1:5001/base"
    for bad in ({}, {"partnerBaseUrl": "ftp://x"}, {"partnerBaseUrl": 3}):
        assert linkkit_sandbox.http.put("/_sandbox/settings", json=bad).status_code == 400


def test_faults_api(linkkit_sandbox: SandboxHandle) -> None:
    faults = linkkit_sandbox.faults
    assert faults.set("503", {"name": "slow", "value": 0.5, "times": 2}) == [
        {"name": "503"},
        {"name": "slow", "value": 0.5, "times": 2},
    ]
    assert [f["name"] for f in faults.add("bad_signature")] == ["503", "slow", "bad_signature"]
    faults.clear()
    assert faults.queued() == []
    with faults.inject("500", times=3):
        assert faults.queued() == [{"name": "500", "times": 3}]
    assert faults.queued() == []
    for bad in (
        {"faults": ["teapot"]},
        {"faults": [{"name": "slow", "value": 99}]},
        {"faults": "503"},
        {"faults": [{"name": "503", "times": 0}]},
        {"faults": [{"name": "503", "value": "x"}]},
        {"faults": [7]},
        {"faults": [{"name": "503", "times": True}]},
    ):
        assert linkkit_sandbox.http.put("/_sandbox/faults", json=bad).status_code == 400


def test_calls_reset_and_template_state(linkkit_sandbox: SandboxHandle) -> None:
    linkkit_sandbox.http.post(f"/US/wltex/cards/{CARD_ID}/updates")  # refused: no token
    assert [c["status"] for c in linkkit_sandbox.calls()] == [401]
    assert "Authorization" not in str(linkkit_sandbox.calls())
    linkkit_sandbox.http.delete("/_sandbox/calls")
    assert linkkit_sandbox.calls() == []
    assert linkkit_sandbox.http.post("/_sandbox/templates/nope/state", json={"state": "ACTIVE"}).status_code == 404
    assert linkkit_sandbox.http.post("/_sandbox/templates/nope/state", json={"state": "LIVE"}).status_code == 400
    linkkit_sandbox.reset()
    assert linkkit_sandbox.wallet() == {"cards": [], "templates": []}


def test_faults_parse_and_count_down() -> None:
    assert parse_fault_header(None) == []
    assert parse_fault_header(" 503=2, slow=0.25 ,, bad_signature") == [
        Fault("503", 2.0),
        Fault("slow", 0.25),
        Fault("bad_signature"),
    ]
    with pytest.raises(ConfigError, match="unknown"):
        parse_fault_header("teapot")
    with pytest.raises(ConfigError, match="number"):
        parse_fault_header("slow=soon")
    book = FaultBook()
    book.set([Fault("503", times=2), Fault("expired_token"), Fault("slow", 0.1, times=1)])
    assert [f.name for f in book.take(frozenset({"503", "slow"}))] == ["503", "slow"]
    assert [f.to_json() for f in book.queued()] == [{"name": "503", "times": 1}, {"name": "expired_token"}]
    book.take(frozenset({"503"}))
    assert book.queued() == [Fault("expired_token")]
    assert Fault("503").seconds == 1.0 and "wrong_path" in ALL_FAULTS
    assert Fault.from_json("replay") == Fault("replay")


def test_config_from_an_identity_folder(identity_dir: Path, identity: Identity) -> None:
    config = SandboxConfig.from_identity(identity_dir, partner_base_url="http://127.0.0.1:5001/", cc2="kr")
    assert (config.partner_id, config.certificate_id, config.card_ids) == (
        PARTNER_ID,
        CERTIFICATE_ID,
        frozenset({CARD_ID}),
    )
    assert config.partner_base_url == "http://127.0.0.1:5001" and config.cc2 == "KR"
    assert "samsung_private_key" not in repr(config)
    app = create_app(config)
    assert sandbox_of(app).config is config


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"partner_id": "x y"}, "partner_id"),
        ({"card_ids": ["../x"]}, "card_ids"),
        ({"cc2": "USA"}, "cc2"),
        ({"partner_base_url": "ftp://x"}, "partner_base_url"),
        ({"public_url": "http://x/?a"}, "public_url"),
        ({"partner_timeout": 0}, "partner_timeout"),
    ],
)
def test_config_errors(identity: Identity, overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        SandboxConfig.from_identity(identity.files, **overrides)


def test_config_type_errors(identity: Identity, tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        SandboxConfig.from_identity(identity.files, partner_public_key="pem")
    with pytest.raises(TypeError):
        SandboxConfig.from_identity(identity.files, samsung_private_key=identity.samsung_key.public_key())
    with pytest.raises(ConfigError, match="cannot read"):
        SandboxConfig.from_identity(tmp_path)
    (tmp_path / "linkkit.toml").write_text("not = [toml")
    with pytest.raises(ConfigError, match="TOML"):
        SandboxConfig.from_identity(tmp_path)
    with pytest.raises(TypeError):
        create_app("config")  # type: ignore[arg-type]
    from flask import Flask

    with pytest.raises(TypeError):
        sandbox_of(Flask("other"))
