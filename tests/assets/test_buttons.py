"""Web and email snippets: structure, escaping, hostile input, email constraints."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from linkkit.assets.artwork import button_image, manifest
from linkkit.assets.buttons import email_button, web_button
from linkkit.assets.locales import LOCALES
from linkkit.errors import AssetError, ValidationError
from tests.assets._html_check import parse

ROOT = Path(__file__).resolve().parent.parent.parent
LINK = "https://a.swallet.link/atw/v3/YMtt/3glji6d406000#Clip?pdata=8bUAc3LoPtwFpNvWQ0qS1A"
BASE = "https://shop.example/static/linkkit"

HOSTILE_LABELS = [
    '"><script>alert(1)</script>',
    "' onerror='alert(1)",
    "\u202eWallet gnisu yap\u202c",
    "Add\nto\r\nWallet\t<b>",
    "\u2066evil\u2069 & <i>",
]


def test_web_button_structure() -> None:
    html = web_button(LINK, locale="de")
    assert isinstance(html, Markup)
    doc = parse(html)
    a = doc.one("a")
    assert a.attrs["href"] == LINK
    assert a.attrs["class"] == "linkkit-button linkkit-button--wallet linkkit-button--horizontal"
    assert (a.attrs["lang"], a.attrs["dir"]) == ("de", "ltr")
    assert "target" not in a.attrs and a.attrs["rel"] == "noreferrer"
    img = doc.one("img")
    expected = button_image("wallet", LOCALES["de"], "light", "horizontal")
    assert img.attrs["src"] == "/_linkkit/web/" + expected.path
    assert (img.attrs["width"], img.attrs["height"]) == (str(expected.css_width), str(expected.css_height))
    assert img.attrs["alt"] == "Zu Samsung Wallet hinzufügen"
    # CSP-friendly: no inline style, no script, no event handlers
    assert "style=" not in html and "<script" not in html and not re.search(r"\son\w+=", html)


def test_web_button_in_jinja_is_not_escaped_twice() -> None:
    from jinja2 import Environment

    env = Environment(autoescape=True)
    rendered = env.from_string("{{ b }}").render(b=web_button(LINK))
    assert rendered == str(web_button(LINK))


def test_web_button_rtl_png_new_tab_and_auto_theme() -> None:
    html = web_button(LINK, locale="ar-EG", kind="pay", image="png", new_tab=True, theme="auto", layout="vertical")
    doc = parse(html)
    a = doc.one("a")
    assert (a.attrs["lang"], a.attrs["dir"]) == ("ar", "rtl")
    assert (a.attrs["target"], a.attrs["rel"]) == ("_blank", "noopener noreferrer")
    source = doc.one("source")
    assert source.attrs["media"] == "(prefers-color-scheme: dark)"
    assert source.attrs["srcset"].endswith("/buttons/pay/ar/dark-vertical@1x.png")
    img = doc.one("img")
    assert img.attrs["src"].endswith("/buttons/pay/ar/light-vertical@1x.png")
    assert img.attrs["srcset"] == (
        "/_linkkit/web/buttons/pay/ar/light-vertical@2x.png 2x, /_linkkit/web/buttons/pay/ar/light-vertical@3x.png 3x"
    )
    assert img.attrs["alt"] == LOCALES["ar"].pay


def test_samsung_source() -> None:
    doc = parse(web_button(LINK, source="samsung", theme="dark", layout="vertical", locale="fr"))
    assert (
        doc.one("img").attrs["src"] == "https://us-cdn-gpp.mcsvc.samsung.com/lib/add-to-samsung-wallet_dark_ver_fr.png"
    )
    assert "linkkit-button--samsung" in (doc.one("a").attrs["class"] or "")
    with pytest.raises(AssetError, match="wallet"):
        web_button(LINK, source="samsung", kind="pay")
    with pytest.raises(ValidationError, match="size"):
        email_button(LINK, asset_base=BASE, source="samsung")
    email = parse(email_button(LINK, asset_base=BASE, source="samsung", size=(200, 40)))
    assert email.one("img").attrs["width"] == "200"


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "/relative/path",
        "https://a.swallet.link/atw/v3/x#Clip?pdata=a b",
        "https://a.swallet.link/\natw",
        "https://a.swallet.link/atw\t",
        "https://a.swallet.link/\u202eatw",
        "https://a.swallet.link/\x00",
        "https:///no-host",
        "",
    ],
)
@pytest.mark.parametrize("make", [web_button, lambda link: email_button(link, asset_base=BASE)])
def test_bad_links_are_refused_naming_the_argument(link: str, make: object) -> None:
    with pytest.raises(ValidationError) as info:
        make(link)  # type: ignore[operator]
    assert info.value.field == "link"
    assert str(info.value).startswith("link: ")


def test_quotes_and_brackets_in_a_link_stay_inside_the_attribute() -> None:
    link = 'https://shop.example/r/"onmouseover="alert(1)\'<script>'
    for html in (web_button(link), email_button(link, asset_base=BASE)):
        doc = parse(html)
        assert doc.one("a").attrs["href"] == link  # parsed back exactly: the value never left its quotes
        assert not doc.all("script")
        assert "onmouseover" not in {k for e in doc.elements for k in e.attrs}


@pytest.mark.parametrize("label", HOSTILE_LABELS)
def test_hostile_labels_come_out_inert(label: str) -> None:
    for html in (web_button(LINK, label=label, locale="ar"), email_button(LINK, asset_base=BASE, label=label)):
        doc = parse(html)
        assert not doc.all("script") and not doc.all("b") and not doc.all("i")
        alt = doc.one("img").attrs["alt"] or ""
        assert not re.search(r"[\u202a-\u202e\u2066-\u2069\n\r\t]", alt)
        assert {k for e in doc.elements for k in e.attrs} <= {
            "class",
            "href",
            "lang",
            "dir",
            "rel",
            "target",
            "src",
            "srcset",
            "width",
            "height",
            "alt",
            "decoding",
            "role",
            "border",
            "cellpadding",
            "cellspacing",
            "style",
            "align",
            "media",
            "id",
        }


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=60).filter(lambda s: s.strip(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0")))
def test_any_label_is_escaped_or_refused(label: str) -> None:
    try:
        html = web_button(LINK, label=label)
    except ValidationError as exc:
        assert exc.field == "label"
        return
    doc = parse(html)
    assert len(doc.elements) == 2  # <a> and <img>, whatever the label held
    assert "<" not in (doc.one("img").attrs["alt"] or "") or str(escape("<")) in html


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"asset_base": "javascript:alert(1)//"}, "asset_base"),
        ({"asset_base": "/static/x?y=1"}, "asset_base"),
        ({"label": "   "}, "label"),
        ({"element_id": "a b"}, "element_id"),
    ],
)
def test_web_button_field_errors(kwargs: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        web_button(LINK, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


@pytest.mark.parametrize(("name", "value"), [("kind", "coupon"), ("theme", "sepia"), ("layout", "diagonal")])
def test_programmer_misuse_is_a_value_error(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        web_button(LINK, **{name: value})  # type: ignore[arg-type]


# --- email -----------------------------------------------------------------------------------


def assert_email_safe(html: str) -> None:
    """The email constraints of issue 3, checked on the parsed markup."""
    doc = parse(html)
    tags = {e.tag for e in doc.elements}
    assert not tags & {"script", "link", "style", "svg", "iframe", "form"}
    assert all("class" not in e.attrs for e in doc.elements)
    assert all(not k.startswith("on") for e in doc.elements for k in e.attrs)
    table = doc.one("table")
    assert table.attrs["role"] == "presentation" and table.attrs["border"] == "0"
    img = doc.one("img")
    src = urlsplit(img.attrs["src"] or "")
    assert src.scheme in ("http", "https") and src.netloc
    assert (img.attrs["width"] or "").isdigit() and (img.attrs["height"] or "").isdigit()
    assert img.attrs["alt"]
    assert img.attrs["border"] == "0"
    assert "display:block" in (img.attrs["style"] or "")
    for source in doc.all("source"):
        assert urlsplit(source.attrs["srcset"] or "").scheme in ("http", "https")


@pytest.mark.parametrize("theme", ["light", "dark", "auto"])
@pytest.mark.parametrize("locale", ["en-US", "ar", "ja", "pt-BR"])
def test_email_button_meets_the_email_constraints(theme: str, locale: str) -> None:
    html = email_button(LINK, asset_base=BASE, theme=theme, locale=locale)  # type: ignore[arg-type]
    assert isinstance(html, Markup)
    assert_email_safe(html)


def test_email_button_uses_the_2x_png_at_its_1x_size() -> None:
    doc = parse(email_button(LINK, asset_base=BASE + "/", kind="pay", locale="ko", layout="vertical"))
    img = doc.one("img")
    two = button_image("pay", LOCALES["ko"], "light", "vertical", format="png", scale=2)
    assert img.attrs["src"] == f"{BASE}/{two.path}"
    assert (img.attrs["width"], img.attrs["height"]) == (str(two.css_width), str(two.css_height))
    assert f"width:{two.css_width}px" in (img.attrs["style"] or "")
    table = doc.one("table")
    assert (table.attrs["dir"], table.attrs["lang"]) == ("ltr", "ko")
    colours = manifest()["themes"]["light"]
    assert f"background-color:{colours['background']}" in (img.attrs["style"] or "")


@pytest.mark.parametrize("layout", ["horizontal", "vertical"])
def test_email_button_background_stays_inside_the_rounded_artwork(layout: str) -> None:
    # The alt-text background must not fill the PNG's transparent corners (square dark corners):
    # it is clipped just inside the artwork's outline, whose radius the SVG states.
    img = parse(email_button(LINK, asset_base=BASE, layout=layout)).one("img")  # type: ignore[arg-type]
    radius = int(re.search(r"border-radius:(\d+)px", img.attrs["style"] or "").group(1))  # type: ignore[union-attr]
    svg = (ROOT / "web" / button_image("wallet", LOCALES["en-US"], "light", layout).path).read_text()  # type: ignore[arg-type]
    outline = re.search(r'<rect id="bg" x="0.5" y="0.5" [^>]*rx="(\d+)"', svg)
    assert outline is not None
    # the stroke's outer corner has radius rx + 0.5; a clip radius at least that keeps the background under it
    assert float(outline.group(1)) + 0.5 <= radius <= float(outline.group(1)) + 1.5


@pytest.mark.parametrize("base", ["/static/linkkit", "static/linkkit", "ftp://x.example/", "https://x.example/a b"])
def test_email_button_needs_an_absolute_asset_base(base: str) -> None:
    with pytest.raises(ValidationError) as info:
        email_button(LINK, asset_base=base)
    assert info.value.field == "asset_base"


def test_email_size_must_be_sane() -> None:
    for size in [(0, 10), (10,), ("10", "10"), (True, 10), (5000, 10)]:
        with pytest.raises(ValidationError, match="size"):
            email_button(LINK, asset_base=BASE, size=size)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=80), st.from_regex(r"https?://[^\s]{1,40}", fullmatch=True)))
def test_links_are_either_refused_with_a_linkkit_error_or_emitted_exactly(link: str) -> None:
    try:
        html = web_button(link)
    except ValidationError as exc:
        assert exc.field == "link"
        return
    assert urlsplit(link).scheme.lower() in ("http", "https")
    assert parse(html).one("a").attrs["href"] == link
