"""The app factory and configuration: precedence (defaults < instance secrets < instance config.py <
LINKKIT_* environment < test_config), generated demo secrets, and errors that name the setting."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from demo_site.services import services_of
from demo_site.settings import DEFAULT_CARD_IDS, DEFAULTS, DemoSettings, load_or_create_secrets
from linkkit.errors import ConfigError


def test_factory_builds_the_app_with_its_blueprints_and_services(app: Flask) -> None:
    assert {"shop", "campaign", "join", "pay", "operator", "linkkit", "linkkit_partner"} <= set(app.blueprints)
    services = services_of(app)
    assert services.settings.card_ids == dict(DEFAULT_CARD_IDS)
    # The partner endpoints Samsung calls are mounted under PARTNER_PREFIX.
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert "/samsung/cards/<path:rest>" in rules and "/samsung/w/<path:token>" in rules
    assert services.settings.partner_base_url == "http://127.0.0.1:5000/samsung"
    # The S2P Partner-Id comes from the identity's linkkit.toml unless configured.
    assert services.s2p_partner_id == services.identity.s2p_partner_id


def test_demo_secrets_are_generated_once_private_and_reused(make_app: Callable[..., Flask], tmp_path: Path) -> None:
    first = make_app(instance=tmp_path / "inst")
    path = tmp_path / "inst" / "secrets.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = json.loads(path.read_text())
    assert set(saved) == {"SECRET_KEY", "CLICK_LINK_SECRET"} and all(len(v) >= 40 for v in saved.values())
    second = make_app(instance=tmp_path / "inst")
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == saved["SECRET_KEY"]
    # A damaged file says what to do.
    path.write_text("{not json")
    with pytest.raises(ConfigError, match="delete it"):
        load_or_create_secrets(tmp_path / "inst")


def test_precedence_defaults_file_environment_test_config(
    make_app: Callable[..., Flask], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = tmp_path / "inst"
    instance.mkdir()
    (instance / "config.py").write_text('BRAND = "FromFile"\nDEMO_OTP = "333444"\nPARTNER_PREFIX = "/nw"\n')
    app = make_app(instance=instance)
    settings = services_of(app).settings
    assert (settings.brand, settings.otp, settings.partner_prefix) == ("FromFile", "333444", "/nw")
    assert app.config["SESSION_COOKIE_SAMESITE"] == DEFAULTS["SESSION_COOKIE_SAMESITE"]
    assert "/nw/cards/<path:rest>" in {rule.rule for rule in app.url_map.iter_rules()}

    # LINKKIT_* beats the file; values are JSON-decoded (111222 arrives as an int and is coerced).
    monkeypatch.setenv("LINKKIT_DEMO_OTP", "111222")
    monkeypatch.setenv("LINKKIT_PARTNER_PREFIX", "/partner")
    settings = services_of(make_app(instance=instance)).settings
    assert (settings.brand, settings.otp, settings.partner_prefix) == ("FromFile", "111222", "/partner")

    # test_config beats everything.
    settings = services_of(make_app({"DEMO_OTP": "999000", "BRAND": "Given"}, instance=instance)).settings
    assert (settings.brand, settings.otp, settings.partner_prefix) == ("Given", "999000", "/partner")


def test_environment_sets_urls(make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINKKIT_PUBLIC_URL", "http://127.0.0.1:8000/")
    settings = services_of(make_app()).settings
    assert settings.public_url == "http://127.0.0.1:8000"
    assert settings.partner_base_url == "http://127.0.0.1:8000/samsung"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("SANDBOX_URL", "ftp://127.0.0.1", "SANDBOX_URL: must be an absolute http/https URL"),
        ("PUBLIC_URL", "http://x/?q=1", "PUBLIC_URL"),
        ("S2P_API_URL", "http://127.0.0.1:1/ext/v1", "S2P_API_URL: must be an absolute https URL"),
        ("S2P_PARTNER_ID", "short", "S2P_PARTNER_ID"),
        ("DEMO_OTP", "12ab", "DEMO_OTP: must be 4 to 8 digits"),
        ("CARD_IDS", {"rewards": "x"}, "CARD_IDS: must name exactly the kinds"),
        ("CARD_IDS", {**DEFAULT_CARD_IDS, "gift": "bad id!"}, "CARD_IDS.gift"),
        ("CARD_IDS", {**DEFAULT_CARD_IDS, "gift": DEFAULT_CARD_IDS["rewards"]}, "its own Wallet card id"),
        ("PARTNER_PREFIX", "samsung", "PARTNER_PREFIX"),
        ("CLICK_LINK_SECRET", "short", "CLICK_LINK_SECRET: must be at least 32 bytes"),
        ("HTTP_TIMEOUT", "soon", "HTTP_TIMEOUT"),
        ("HTTP_TIMEOUT", 0, "HTTP_TIMEOUT: must be a positive"),
    ],
)
def test_a_bad_setting_is_named(make_app: Callable[..., Flask], key: str, value: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        make_app({key: value})


def test_settings_repr_hides_secrets(app: Flask) -> None:
    settings = services_of(app).settings
    text = repr(settings)
    assert settings.otp not in text and "click_link_secret" not in text and "otp=" not in text


def test_settings_map_card_ids_back_to_kinds(app: Flask) -> None:
    settings: DemoSettings = services_of(app).settings
    assert settings.kind_of("northwind-air") == "air"
    assert settings.kind_of("someone-else") is None


def test_a_relative_instance_path_is_made_absolute(
    make_app: Callable[..., Flask], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(instance=Path("relative-instance"))
    assert app.instance_path == str(tmp_path / "relative-instance")
    assert (tmp_path / "relative-instance" / "secrets.json").is_file()
