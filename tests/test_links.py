"""Add to Wallet links: exact layout, parsed back, refIds, fuzzed parser."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkkit import errors
from linkkit.links import (
    ActionLink,
    FetchLink,
    TransmitLink,
    action_link,
    fetch_link,
    is_valid_ref_id,
    new_ref_id,
    parse_link,
    transmit_link,
)

from .conftest import CARD_ID, CERTIFICATE_ID

CDATA = "eyJjdHkiOiJDQVJEIn0.ZXlK.c2ln"


def test_exact_layouts():
    assert transmit_link(CARD_ID, CDATA) == f"https://a.swallet.link/atw/v3/{CARD_ID}#Clip?cdata={CDATA}"
    assert transmit_link(CARD_ID, CDATA, version=1) == f"https://a.swallet.link/atw/v1/{CARD_ID}#Clip?cdata={CDATA}"
    assert (
        fetch_link(CERTIFICATE_ID, CARD_ID, "ref-1")
        == f"https://a.swallet.link/atw/v3/{CERTIFICATE_ID}/{CARD_ID}#Clip?pdata=ref-1"
    )
    assert (
        action_link(CERTIFICATE_ID, CARD_ID)
        == f"https://a.swallet.link/atw/v3/{CERTIFICATE_ID}/{CARD_ID}#Clip?adata=user_auth"
    )


def test_data_stays_in_the_fragment():
    for url in (transmit_link(CARD_ID, CDATA), fetch_link(CERTIFICATE_ID, CARD_ID, "r"), action_link("YMtt", "c")):
        parts = urlsplit(url)
        assert parts.query == "" and parts.fragment.startswith("Clip?")


def test_sandbox_base():
    url = fetch_link("YMtt", "c1", "r1", base="http://127.0.0.1:8800/")
    assert url == "http://127.0.0.1:8800/atw/v3/YMtt/c1#Clip?pdata=r1"
    with pytest.raises(errors.LinkError, match="base"):
        fetch_link("YMtt", "c1", "r1", base="javascript:alert(1)")


@pytest.mark.parametrize(
    "url,expected",
    [
        (f"https://a.swallet.link/atw/v3/{CARD_ID}#Clip?cdata={CDATA}", TransmitLink(card_id=CARD_ID, cdata=CDATA)),
        (
            f"https://a.swallet.link/atw/v1/{CARD_ID}#Clip?cdata={CDATA}",
            TransmitLink(card_id=CARD_ID, cdata=CDATA, version=1),
        ),
        (
            "https://a.swallet.link/atw/v3/YMtt/c1#Clip?pdata=r-1",
            FetchLink(certificate_id="YMtt", card_id="c1", ref_id="r-1"),
        ),
        (
            "https://a.swallet.link/atw/v1/c1#Clip?pdata=r-1",
            FetchLink(certificate_id=None, card_id="c1", ref_id="r-1", version=1),
        ),
        (
            "http://127.0.0.1:9/atw/v3/YMtt/c1#Clip?adata=user_auth",
            ActionLink(certificate_id="YMtt", card_id="c1", base="http://127.0.0.1:9"),
        ),
    ],
)
def test_parse_back(url, expected):
    parsed = parse_link(url)
    assert parsed == expected
    assert str(parsed) == url


@pytest.mark.parametrize(
    "url,message",
    [
        ("ftp://a.swallet.link/atw/v3/c#Clip?cdata=a.b.c", "https://"),
        ("https://a.swallet.link/atw/v2/c#Clip?cdata=a.b.c", "path"),
        ("https://a.swallet.link/atw/v3/c#clip?cdata=a.b.c", "capital C"),
        ("https://a.swallet.link/atw/v3/c?cdata=a.b.c", "query"),
        ("https://a.swallet.link/atw/v3/c#Clip?cdata=a.b", "compact JWS"),
        ("https://a.swallet.link/atw/v3/YMtt/c#Clip?cdata=a.b.c", "no certificateId"),
        ("https://a.swallet.link/atw/v3/c#Clip?pdata=r", "needs /{certificateId}"),
        ("https://a.swallet.link/atw/v3/Y/c#Clip?pdata=..", "pdata"),
        ("https://a.swallet.link/atw/v3/Y/c#Clip?pdata=a%2Fb", "pdata"),
        ("https://a.swallet.link/atw/v3/Y/c#Clip?adata=drop_tables", "unknown action"),
        ("https://a.swallet.link/atw/v3/Y/c#Clip?pdata=a&cdata=b", "exactly one"),
        ("https://a.swallet.link/atw/v3/Y/c#Clip?xdata=a", "cdata=, pdata= or adata="),
        ("https://a.swallet.link/atw/v3/Y/" + "c" * 33 + "#Clip?pdata=a", "cardId"),
        ("https://a.swallet.link/atw/v3/Y/c#Clip?pdata=a b", "whitespace"),
    ],
)
def test_parse_errors_name_the_part(url, message):
    with pytest.raises(errors.LinkError, match=re.escape(message)):
        parse_link(url)


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"certificate_id": "YM/t", "card_id": "c", "ref_id": "r"}, "certificate_id"),
        ({"certificate_id": "YMtt", "card_id": "../x", "ref_id": "r"}, "card_id"),
        ({"certificate_id": "YMtt", "card_id": "c", "ref_id": "a/b"}, "ref_id"),
        ({"certificate_id": "YMtt", "card_id": "c", "ref_id": "x" * 129}, "ref_id"),
        ({"certificate_id": "YMtt", "card_id": "c", "ref_id": "ü"}, "ref_id"),
    ],
)
def test_builders_name_the_field(kwargs, field):
    with pytest.raises(errors.LinkError, match=f"^{field}:"):
        fetch_link(**kwargs)


def test_transmit_refuses_non_tokens():
    with pytest.raises(errors.LinkError, match="cdata"):
        transmit_link("c", "not a token")
    with pytest.raises(errors.LinkError, match="version"):
        transmit_link("c", CDATA, version=2)  # type: ignore[arg-type]
    with pytest.raises(errors.LinkError, match="action"):
        action_link("YMtt", "c", "other")


def test_new_ref_id_is_random_url_safe_and_fits_string_32():
    ids = {new_ref_id() for _ in range(2000)}
    assert len(ids) == 2000
    for ref in ids:
        assert len(ref) == 32 and re.fullmatch(r"[A-Za-z0-9_-]{32}", ref) and is_valid_ref_id(ref)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200) | st.from_regex(r"https://a\.swallet\.link/atw/v[0-9]/[^#]{0,40}#Clip\?[a-z]{5}=.{0,40}"))
def test_fuzz_parser_raises_only_link_errors(text):
    try:
        parsed = parse_link(text)
    except errors.LinkError:
        return
    assert parse_link(str(parsed)) == parsed


@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(r"[A-Za-z0-9]{1,8}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9_-]{1,32}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9._~-]{0,20}[A-Za-z0-9][A-Za-z0-9._~-]{0,20}", fullmatch=True),
)
def test_fuzz_fetch_round_trip(cert, card, ref):
    parsed = parse_link(fetch_link(cert, card, ref))
    assert isinstance(parsed, FetchLink)
    assert (parsed.certificate_id, parsed.card_id, parsed.ref_id) == (cert, card, ref)


def test_ref_ids_never_start_with_a_dash_or_underscore():
    # A leading "-" reads as a CLI option and, in manifest.csv, as a spreadsheet formula.
    from linkkit.links import ref_id_from_bytes

    assert ref_id_from_bytes(b"\xf8" + bytes(23))[0] == "x"  # base64url of 0xf8.. starts with "-"
    assert ref_id_from_bytes(b"\xfc" + bytes(23))[0] == "y"  # .. and of 0xfc.. with "_"
    assert all(new_ref_id()[0] not in "-_" and len(new_ref_id()) == 32 for _ in range(2000))
