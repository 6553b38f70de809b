"""Hostile input to the framework-free router: only answers come out, never an exception."""

from __future__ import annotations

import json
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkkit.partner import ClickLinks, PartnerServer
from linkkit.partner.wire import Headers, Request
from linkkit.tokens import TokenSigner
from tests.conftest import CARD_ID

segment = st.one_of(
    st.sampled_from([CARD_ID, "ref-1", "requestAction", "..", "%2E%2E", "..%2F", "%00", "w", "cards", ""]),
    st.text(max_size=40),
)
paths = st.lists(segment, min_size=0, max_size=6).map(lambda parts: "/" + "/".join(parts))
bodies = st.one_of(
    st.binary(max_size=200),
    st.builds(
        lambda o: json.dumps(o).encode(),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda c: (
                st.lists(c, max_size=3)
                | st.dictionaries(
                    st.sampled_from(["actionType", "actionPayload", "signedAtwLink", "callback", "x"]), c, max_size=3
                )
            ),
            max_leaves=8,
        ),
    ),
)
STATUSES = {200, 204, 302, 400, 401, 404, 405, 410, 500}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    method=st.sampled_from(["GET", "POST", "HEAD", "PUT"]),
    path=paths,
    body=bodies,
    query=st.dictionaries(st.sampled_from(["cc2", "event", "fields", "select"]), st.text(max_size=10), max_size=3),
    with_token=st.booleans(),
)
def test_the_router_only_answers(
    partner: PartnerServer,
    samsung_signer: TokenSigner,
    method: str,
    path: str,
    body: bytes,
    query: dict[str, str],
    with_token: bool,
) -> None:
    headers = {"x-request-id": uuid.uuid4().hex}
    samsung_signer.clock.now += 0.002  # type: ignore[attr-defined]  # a new token each time (FrozenClock)
    if with_token:
        headers["authorization"] = samsung_signer.auth_token(
            method if method != "HEAD" else "GET",
            path if path.startswith("/") and "?" not in path and "#" not in path else "/",
        )
    response = partner.handle(Request(method, path, path, Headers(headers), query, body))
    assert response.status in STATUSES


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_click_tokens_only_verify_or_not(click_links: ClickLinks, token: str) -> None:
    assert click_links.link_id(token) is None
