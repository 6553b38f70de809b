"""Picking checks: --only keeps what a check needs, --skip drops, unknown names get a did-you-mean;
and the configuration refuses what cannot be probed, naming the field."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from linkkit.errors import ConfigError
from linkkit.probe import CHECK_NAMES, SUITE, Probe, ProbeConfig, ProbeIdentity
from linkkit.probe.suite import select


def _names(only: tuple[str, ...] = (), skip: tuple[str, ...] = ()) -> tuple[list[str], set[str]]:
    checks, prerequisites = select(only, skip)
    return [c.name for c in checks], set(prerequisites)


def test_everything_in_suite_order_by_default() -> None:
    assert _names() == (list(CHECK_NAMES), set())
    assert len(set(CHECK_NAMES)) == len(CHECK_NAMES) == 22
    assert CHECK_NAMES[0] == "get_card_data" and CHECK_NAMES[-1] == "send_card_state_deleted"


def test_only_adds_what_the_checks_need() -> None:
    assert _names(("no_token",)) == (["get_card_data", "no_token"], {"get_card_data"})
    # malformed_body needs an accepted Send Card State, which needs an accepted Get Card Data
    assert _names(("malformed_body",)) == (
        ["get_card_data", "send_card_state_added", "malformed_body"],
        {"get_card_data", "send_card_state_added"},
    )
    assert _names(("get_card_data,unknown_card",)) == (["get_card_data", "unknown_card"], set())


def test_a_skipped_prerequisite_is_not_brought_back() -> None:
    assert _names(("no_token",), ("get_card_data",)) == (["no_token"], set())


def test_skip_drops_checks() -> None:
    names, _ = _names(skip=("oversize_body", "request_action_sequence,request_action_forged_link"))
    assert names == [n for n in CHECK_NAMES if n not in {"oversize_body"} and not n.startswith("request_action")]


@pytest.mark.parametrize(
    ("only", "skip", "message"),
    [
        (("replay_token",), (), "only: no check is called 'replay_token' (did you mean replayed_token?)"),
        ((), ("alg-none",), "skip: no check is called 'alg-none' (did you mean alg_none?)"),
        (("zzz",), (), "only: no check is called 'zzz'; see linkkit probe --list"),
    ],
)
def test_unknown_names_are_an_error_with_a_suggestion(
    only: tuple[str, ...], skip: tuple[str, ...], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        select(only, skip)
    assert str(caught.value).startswith(message.split(";")[0])


def test_a_skipped_need_makes_the_check_skip_without_a_request(
    linkkit_partner, probe_config: Callable[..., ProbeConfig]
) -> None:
    report = Probe(probe_config(linkkit_partner.url)).run(only=["no_token"], skip=["get_card_data"])
    result = report.result("no_token")
    assert result.reason.startswith("needs get_card_data (not selected)") and report.requests == 0


def test_the_budget_is_the_sum_of_the_selected_checks(probe_config: Callable[..., ProbeConfig]) -> None:
    probe = Probe(probe_config("http://127.0.0.1:9/samsung"))
    assert probe.budget() == sum(c.budget for c in SUITE)
    assert probe.budget(only=["replayed_token"]) == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("base_url", "ftp://partner.example.com", "base_url: the scheme must be https or http"),
        ("base_url", "https://partner.example.com/samsung?x=1", "base_url: a query string is not allowed"),
        ("card_id", "../card", "card_id: 1-32 letters"),
        ("ref_id", "a/b", "ref_id: 1-128 letters"),
        ("cc2", "USA", "cc2: a 2-letter country code"),
        ("callback", "http://us-tsapi.walletsvc.samsung.com", "callback: the scheme must be https"),
        ("fields", ("a,b",), "fields: 1 or more attribute names"),
        ("fields", ("x" * 60,) * 3, "fields: at most 128 characters"),
        ("timeout", 0, "timeout: more than 0"),
        ("timeout", float("nan"), "timeout: more than 0"),
    ],
)
def test_the_configuration_names_the_field_it_refuses(
    field: str, value: object, message: str, probe_config: Callable[..., ProbeConfig]
) -> None:
    settings = {"base_url": "https://partner.example.com/samsung", field: value}
    with pytest.raises(ConfigError) as caught:
        probe_config(**settings)
    assert str(caught.value).startswith(message)


def test_base_url_loses_its_trailing_slash(probe_config: Callable[..., ProbeConfig]) -> None:
    config = probe_config("https://partner.example.com/samsung/")
    assert config.base_url == "https://partner.example.com/samsung" and config.base_path == "/samsung"
    assert probe_config("https://partner.example.com").base_path == ""


def test_the_identity_comes_from_a_keys_folder(identity_dir, probe_identity: ProbeIdentity) -> None:
    loaded = ProbeIdentity.from_folder(identity_dir)
    assert (loaded.partner_id, loaded.certificate_id) == (probe_identity.partner_id, probe_identity.certificate_id)
    # the identity's linkkit.toml names Samsung's certificateId: the probe's AUTH tokens carry it
    assert loaded.auth_certificate_id == loaded.samsung_certificate_id and loaded.samsung_certificate_id
    assert "samsung_key" not in repr(loaded)
    with pytest.raises(ConfigError, match="partner_id"):
        ProbeIdentity(
            partner_id="",
            certificate_id="c",
            samsung_key=probe_identity.samsung_key,
            partner_public_key=probe_identity.partner_public_key,
        )
