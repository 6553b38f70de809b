from __future__ import annotations

import dataclasses

import pytest

from linkkit import errors
from linkkit.config import S2P_API_URL, WALLET_API_URL, Endpoints


def test_production_by_default_and_frozen():
    e = Endpoints()
    assert (e.atw_base_url, e.wallet_api_url, e.s2p_api_url) == ("https://a.swallet.link", WALLET_API_URL, S2P_API_URL)
    assert e.is_production
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.atw_base_url = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Endpoints("https://x")  # type: ignore[misc]  # keyword-only


def test_sandbox_and_env():
    e = Endpoints.sandbox("http://127.0.0.1:8800/")
    assert e.atw_base_url == "http://127.0.0.1:8800" and not e.is_production
    env = Endpoints.from_env({"LINKKIT_WALLET_API_URL": "http://127.0.0.1:1/"})
    assert env.wallet_api_url == "http://127.0.0.1:1" and env.atw_base_url == "https://a.swallet.link"


@pytest.mark.parametrize("value", ["a.swallet.link", "javascript:x", "https://x/?q=1", "https://x/#f"])
def test_bad_urls_name_the_setting(value):
    with pytest.raises(errors.ConfigError, match="atw_base_url"):
        Endpoints(atw_base_url=value)
