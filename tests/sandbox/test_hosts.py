"""The sandbox answers only to its own names and only its own pages may change it: a web page the
developer visits cannot reset it or repoint it (cross-site posts), nor reach it under a name of its
own (DNS rebinding); the callback it hands the partner never comes from the Host header."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import pytest

from linkkit.links import fetch_link
from linkkit.testing import SandboxHandle
from tests.conftest import CARD_ID, CERTIFICATE_ID
from tests.sandbox.conftest import Partner


def _info(sandbox: SandboxHandle) -> dict[str, object]:
    return dict(httpx.get(f"{sandbox.url}/_sandbox/info").json())


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},  # a sandboxed iframe or a file:// page
        {"Origin": "http://127.0.0.1.evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://127.0.0.1:5000"},
    ],
)
def test_cross_site_state_changes_are_refused(
    linkkit_sandbox: SandboxHandle, partner: Partner, headers: dict[str, str]
) -> None:
    linkkit_sandbox.faults.add("slow", value=0.01, times=5)
    before = _info(linkkit_sandbox)["partnerBaseUrl"]
    url = linkkit_sandbox.url
    reset = httpx.post(f"{url}/_sandbox/reset", headers=headers)
    moved = httpx.put(f"{url}/_sandbox/settings", json={"partnerBaseUrl": "http://203.0.113.9"}, headers=headers)
    form = httpx.post(
        f"{url}/_sandbox/reset",
        content=b"x=1",
        headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
    )
    assert (reset.status_code, moved.status_code, form.status_code) == (403, 403, 403)
    assert reset.json()["code"] in ("cross_site", "foreign_origin")
    assert _info(linkkit_sandbox)["partnerBaseUrl"] == before
    assert httpx.get(f"{url}/_sandbox/faults").json()["faults"]  # not reset


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "http://127.0.0.1:5000"}, {"Origin": "http://localhost:5000", "Sec-Fetch-Site": "same-site"}],
)
def test_the_sandboxs_own_pages_and_local_tools_still_change_it(
    linkkit_sandbox: SandboxHandle, headers: dict[str, str]
) -> None:
    assert httpx.post(f"{linkkit_sandbox.url}/_sandbox/reset", headers=headers).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8800", "127.0.0.1.nip.io", "", "[::1"])
def test_a_foreign_host_name_is_refused_before_any_route(linkkit_sandbox: SandboxHandle, host: str) -> None:
    before = _info(linkkit_sandbox)["partnerBaseUrl"]
    url = linkkit_sandbox.url
    for method, path, body in (
        ("GET", "/_sandbox/info", None),
        ("PUT", "/_sandbox/settings", {"partnerBaseUrl": "http://203.0.113.9"}),
        ("POST", "/_sandbox/reset", None),
    ):
        answer = httpx.request(method, url + path, json=body, headers={"Host": host})
        assert answer.status_code == 400, (method, path)
        assert answer.json()["code"] == "invalid_host"
    assert _info(linkkit_sandbox)["partnerBaseUrl"] == before


def test_the_callback_handed_to_the_partner_is_the_bound_address(
    linkkit_sandbox: SandboxHandle, partner: Partner
) -> None:
    port = urlsplit(linkkit_sandbox.url).port
    local_name = {"Host": f"localhost:{port}"}  # a name the sandbox answers to, but not the one it is bound to
    link = fetch_link(CERTIFICATE_ID, CARD_ID, "ref-1", base=linkkit_sandbox.url)
    opened = httpx.post(f"{linkkit_sandbox.url}/_sandbox/api/open", json={"link": link}, headers=local_name)
    assert opened.status_code == 200 and opened.json()["step"] == "preview"
    added = httpx.post(f"{linkkit_sandbox.url}/_sandbox/api/s/{opened.json()['session']}/add", headers=local_name)
    assert added.status_code == 200 and added.json()["step"] == "added"
    status = partner.store.card_status(CARD_ID, "ref-1")
    assert status is not None and status.callback == linkkit_sandbox.url
    evil = httpx.post(f"{linkkit_sandbox.url}/_sandbox/api/open", json={"link": link}, headers={"Host": "evil.example"})
    assert evil.status_code == 400
