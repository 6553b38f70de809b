"""InboundAuth: every check of a call Samsung makes, each refused on its own (mutation-tested)."""

from __future__ import annotations

import pytest

from linkkit import errors
from linkkit.partner.auth import InboundAuth, MissingCredentialsError
from linkkit.partner.wire import Headers, Request
from linkkit.replay import ReplayGuard

PATH = "/cards/3glji6d406000/ref-1"


@pytest.fixture
def auth(partner_config, clock):
    return InboundAuth(partner_config, ReplayGuard(clock=clock))


def _request(headers: dict[str, str]) -> Request:
    return Request(method="GET", path=PATH, route=PATH, headers=Headers(headers))


def _call(samsung_signer, clock, *, request_id: str = "req-1", ref_id: str | None = None) -> Request:
    clock.now += 0.002  # a new utc: a new token, not a replay of the last one
    token = samsung_signer.auth_token("GET", PATH, ref_id=ref_id)
    return _request({"Authorization": "Bearer " + token, "x-request-id": request_id})


def test_a_good_call_passes_once(auth, samsung_signer, clock):
    request = _call(samsung_signer, clock)
    assert auth.check(request).path == PATH
    with pytest.raises(errors.ReplayError):
        auth.check(request)


@pytest.mark.parametrize("authorization", [None, ""])
def test_no_authorization_is_missing_credentials(auth, authorization):
    headers = {"x-request-id": "req-1"} | ({} if authorization is None else {"Authorization": authorization})
    with pytest.raises(MissingCredentialsError, match="Authorization") as caught:
        auth.check(_request(headers))
    assert caught.value.code == "missing_credentials"


@pytest.mark.parametrize("request_id", ["", "a" * 65, "req 1", "req/1", "ré"])
def test_a_bad_request_id_is_missing_credentials_even_with_a_good_token(auth, samsung_signer, clock, request_id):
    with pytest.raises(MissingCredentialsError, match="x-request-id"):
        auth.check(_call(samsung_signer, clock, request_id=request_id))


def test_the_longest_request_id_passes(auth, samsung_signer, clock):
    auth.check(_call(samsung_signer, clock, request_id="A-z.0_9:" * 8))


def test_the_refid_claim_must_equal_the_paths_when_both_are_given(auth, samsung_signer, clock):
    auth.check(_call(samsung_signer, clock, request_id="r1", ref_id="ref-1"), ref_id="ref-1")
    auth.check(_call(samsung_signer, clock, request_id="r2"), ref_id="ref-1")  # no claim: nothing to compare
    auth.check(_call(samsung_signer, clock, request_id="r3", ref_id="ref-1"))  # no path refId
    with pytest.raises(errors.ClaimMismatchError, match="refId"):
        auth.check(_call(samsung_signer, clock, request_id="r4", ref_id="ref-2"), ref_id="ref-1")
