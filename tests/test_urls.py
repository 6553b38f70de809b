"""The one URL rule: well-formed http(s) only, and sending only where an allow-list says."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkkit._urls import URLAllowList, parse_http_url
from linkkit.errors import UnsafeURLError

SAMSUNG = URLAllowList(hosts=("*.walletsvc.samsung.com",), origins=("http://127.0.0.1:8800",))


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("http://[::1", "malformed"),
        ("https://host:99999/", "malformed"),
        ("https://host:port/", "malformed"),
        ("https://a.example\r\nX-Evil: 1", "malformed"),
        ("https://a.example/ path", "malformed"),
        ("https://bücher.example/", "malformed"),
        ("https://a.example\\@evil.example/", "malformed"),
        ("ftp://a.example/", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("//a.example/", "scheme"),
        ("https://user@evil.example", "userinfo"),
        ("https://user:pw@a.example/", "userinfo"),
        ("https:///path", "host"),
        ("https://-bad-.example/", "host"),
        ("https://a..example/", "host"),
        ("https://a.example/#frag", "fragment"),
        ("", "malformed"),
        (None, "malformed"),
        ("https://a.example/" + "x" * 3000, "too_long"),
    ],
)
def test_malformed_urls_are_refused_with_a_code(value: object, code: str) -> None:
    with pytest.raises(UnsafeURLError) as caught:
        parse_http_url(value, what="callback")
    assert caught.value.code == code
    assert str(caught.value).startswith("callback: ")
    assert isinstance(caught.value, ValueError)


def test_parsed_parts_and_origin() -> None:
    url = parse_http_url("https://API.Example.com:8443/v1/x?a=1")
    assert (url.scheme, url.host, url.port, url.path, url.query) == ("https", "api.example.com", 8443, "/v1/x", "a=1")
    assert url.origin == "https://api.example.com:8443"
    assert parse_http_url("http://[::1]:80/").origin == "http://[::1]"


@pytest.mark.parametrize(
    "value",
    [
        "https://tsapi-card.walletsvc.samsung.com",
        "https://us-tsapi.walletsvc.samsung.com/",
        "https://a.b.walletsvc.samsung.com/path",
        "http://127.0.0.1:8800",
        "http://127.0.0.1:8800/cards",
    ],
)
def test_allowed(value: str) -> None:
    assert SAMSUNG.check(value, what="callback").host


@pytest.mark.parametrize(
    "value",
    [
        "https://attacker.example",
        "https://walletsvc.samsung.com",  # the apex is not a subdomain
        "https://walletsvc.samsung.com.evil.example",
        "https://evilwalletsvc.samsung.com",
        "http://tsapi-card.walletsvc.samsung.com",  # https only for host patterns
        "https://tsapi-card.walletsvc.samsung.com:8443",
        "http://127.0.0.1:8801",
        "https://127.0.0.1:8800",
        "http://localhost:8800",
    ],
)
def test_refused_by_the_allow_list(value: str) -> None:
    with pytest.raises(UnsafeURLError) as caught:
        SAMSUNG.check(value, what="callback")
    assert caught.value.code == "not_allowed"


def test_messages_never_quote_the_url() -> None:
    for value in ("https://user:hunter2@a.example", "https://secret-host.example/", "http://[::1"):
        with pytest.raises(UnsafeURLError) as caught:
            SAMSUNG.check(value)
        assert "hunter2" not in str(caught.value) and "secret-host" not in str(caught.value)


@pytest.mark.parametrize("pattern", ["", "*", "*.", "a.*.b", "*.127.0.0.1", "bad host"])
def test_bad_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(ValueError):
        URLAllowList(hosts=(pattern,))


@given(st.text(max_size=80))
def test_any_text_gives_a_url_or_an_unsafe_url_error(value: str) -> None:
    try:
        parse_http_url(value)
    except UnsafeURLError:
        pass
