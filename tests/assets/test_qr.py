"""Public QR API: every code is decoded back by zbar; SVG, PNG, data URIs, capacity, scannability."""

from __future__ import annotations

import base64
import io
import re
import secrets

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from linkkit.assets.qr import GOOD_MODULE_MM, QRCode, make_qr
from linkkit.errors import AssetError, AssetOptionError, LinkKitError, QRCapacityError
from tests.assets._decode import decode_png, decode_svg, svg_modules

FETCH = "https://a.swallet.link/atw/v3/YMtt/3glji6d406000#Clip?pdata=8bUAc3LoPtwFpNvWQ0qS1A"
TRANSMIT = "https://a.swallet.link/atw/v3/3glji6d406000#Clip?cdata=" + "e" * 300


def fetch_link() -> str:
    return (
        f"https://a.swallet.link/atw/v3/{secrets.token_hex(2)}/{secrets.token_urlsafe(12)}"
        f"#Clip?pdata={secrets.token_urlsafe(24)}"
    )


@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
def test_png_and_svg_decode_back_to_the_link(level: str) -> None:
    qr = make_qr(FETCH, level=level)  # type: ignore[arg-type]
    assert qr.level == level
    assert decode_png(qr.png()) == [FETCH.encode()]
    assert decode_svg(qr.svg()) == [FETCH.encode()]


def test_many_distinct_links_decode() -> None:
    for _ in range(25):
        link = fetch_link()
        assert decode_png(make_qr(link).png(scale=4)) == [link.encode()]


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=300))
def test_any_url_text_round_trips_through_zbar(text: str) -> None:
    # links are ASCII (RFC 3986); zbar guesses a charset for other bytes, so compare ASCII only
    qr = make_qr(text, level="L")
    assert decode_png(qr.png(scale=3)) == [text.encode("ascii")]


#: Short UTF-8 text that zbar reads as Shift-JIS when no ECI says UTF-8 ("é" comes out as "矇").
MISREAD_WITHOUT_ECI = [
    "é", "ñ", "ü", "ø", "å", "ç", "héllo", "Größe", "café", "naïve", "Zürich", "Málaga", "São Paulo",
    "Kraków", "Ελλάδα", "עברית", "€5", "½", "©", "°C", "µ", "™", "…",
]  # fmt: skip


@pytest.mark.parametrize("text", MISREAD_WITHOUT_ECI)
def test_non_ascii_text_declares_utf8_and_reads_back_exactly(text: str) -> None:
    qr = make_qr(text)
    assert qr.eci
    assert decode_png(qr.png(scale=4)) == [text.encode()]
    assert decode_svg(qr.svg()) == [text.encode()]


def test_without_the_eci_zbar_guesses_another_charset() -> None:
    # Why the ECI is on by default: the same bytes without it are read as Shift-JIS.
    misread = [t for t in MISREAD_WITHOUT_ECI if decode_png(make_qr(t, eci=False).png(scale=4)) != [t.encode()]]
    assert misread == MISREAD_WITHOUT_ECI


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=120).filter(lambda t: not t.isascii()))
def test_any_text_round_trips_through_zbar_as_utf8(text: str) -> None:
    assert decode_png(make_qr(text, level="L").png(scale=3)) == [text.encode()]


def test_the_eci_is_chosen_by_content_and_can_be_forced() -> None:
    assert not make_qr(FETCH).eci  # links are ASCII: no header, the same symbol as before
    assert not make_qr(FETCH.encode()).eci  # bytes of unknown charset: nothing declared
    assert make_qr("Größe".encode(), eci=True).eci
    assert not make_qr("Größe", eci=False).eci
    # 12 header bits: 14 bytes fill version 1-M without the ECI and need version 2 with it
    assert make_qr(b"x" * 14, eci=False).version == 1
    assert make_qr(b"x" * 14, eci=True).version == 2
    with pytest.raises(AssetOptionError, match="eci: True declares the data UTF-8"):
        make_qr(b"\xff\xfe", eci=True)


def test_large_versions_decode() -> None:
    link = "https://example.com/r/" + secrets.token_urlsafe(900)
    qr = make_qr(link, level="L")
    assert qr.version >= 20
    assert decode_png(qr.png(scale=3)) == [link.encode()]


def test_svg_is_one_path_without_module_shapes() -> None:
    svg = make_qr(FETCH).svg()
    assert svg.count("<path") == 1
    assert svg.count("<rect") == 1  # the background only
    assert "<script" not in svg
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 45 45"')


def test_svg_options() -> None:
    qr = make_qr(FETCH)
    svg = qr.svg(border=2, dark="#123", light=None, size="3cm", title='scan "me" <now>')
    width, dark = svg_modules(svg)
    assert width == qr.modules + 4
    assert (2, 2) in dark  # the finder pattern's corner sits at the quiet zone's edge
    assert "<rect" not in svg
    assert 'width="3cm" height="3cm"' in svg
    assert 'stroke="#123"' in svg
    assert 'aria-label="scan &#34;me&#34; &lt;now&gt;"' in svg
    assert str(qr.svg_markup()) == qr.svg()


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"dark": '#000" onload="alert(1)'}, "dark"),
        ({"light": "red"}, "light"),
        ({"size": "3cm;x"}, "size"),
        ({"border": -1}, "border"),
        ({"border": True}, "border"),
    ],
)
def test_svg_refuses_values_that_could_inject_markup(options: dict[str, object], field: str) -> None:
    with pytest.raises(AssetOptionError, match=f"^{field}: "):
        make_qr(FETCH).svg(**options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: make_qr(12345), "data"),  # type: ignore[arg-type]
        (lambda: make_qr(FETCH, level="Z"), "level"),  # type: ignore[arg-type]
        (lambda: make_qr(FETCH, version=0), "version"),
        (lambda: make_qr(FETCH, version="5"), "version"),  # type: ignore[arg-type]
        (lambda: make_qr(FETCH, mask=8), "mask"),
        (lambda: make_qr(FETCH, max_version=41), "max_version"),
        (lambda: make_qr(FETCH, eci="yes"), "eci"),  # type: ignore[arg-type]
        (lambda: make_qr(FETCH).png(scale=0), "scale"),
        (lambda: make_qr(FETCH).png(dpi=-1), "dpi"),
        (lambda: make_qr(FETCH).png(dark="black"), "dark"),
        (lambda: make_qr(FETCH).scannability(size_cm=True), "size_cm"),  # type: ignore[arg-type]
    ],
)
def test_every_bad_option_is_an_asset_option_error_naming_it(make: object, field: str) -> None:
    with pytest.raises(AssetOptionError, match=f"^{field}: ") as info:
        make()  # type: ignore[operator]
    # one tree: catchable as linkkit's, as an asset problem, and as the ValueError it is
    assert isinstance(info.value, LinkKitError) and isinstance(info.value, AssetError)
    assert isinstance(info.value, ValueError)


def test_png_geometry_colours_and_dpi() -> None:
    qr = make_qr(FETCH)
    png = qr.png(scale=7, border=3, dark="#102030", light=None, dpi=300)
    image = Image.open(io.BytesIO(png))
    side = (qr.modules + 6) * 7
    assert image.size == (side, side)
    assert image.mode == "P"
    assert image.info["transparency"] == 0
    assert round(image.info["dpi"][0]) == 300
    rgba = image.convert("RGBA")
    assert rgba.getpixel((0, 0)) == (255, 255, 255, 0)
    assert rgba.getpixel((3 * 7, 3 * 7)) == (0x10, 0x20, 0x30, 255)  # finder corner
    opaque = Image.new("RGBA", rgba.size, "white")
    opaque.alpha_composite(rgba)
    buf = io.BytesIO()
    opaque.save(buf, "PNG")
    assert decode_png(buf.getvalue()) == [FETCH.encode()]


@pytest.mark.parametrize(("scale", "dpi"), [(0, None), (101, None), (10, 0)])
def test_png_refuses_bad_parameters(scale: int, dpi: int | None) -> None:
    with pytest.raises(AssetOptionError):
        make_qr(FETCH).png(scale=scale, dpi=dpi)


def test_data_uris() -> None:
    qr = make_qr(FETCH)
    png_uri = qr.png_data_uri(scale=5)
    assert png_uri.startswith("data:image/png;base64,")
    assert decode_png(base64.b64decode(png_uri.split(",", 1)[1])) == [FETCH.encode()]
    svg_uri = qr.svg_data_uri()
    assert base64.b64decode(svg_uri.split(",", 1)[1]).decode() == qr.svg()


def test_too_long_a_link_is_refused_with_advice() -> None:
    link = "https://a.swallet.link/atw/v3/3glji6d406000#Clip?cdata=" + "x" * 2400
    with pytest.raises(QRCapacityError) as info:
        make_qr(link)
    message = str(info.value)
    assert message.startswith("data: ")
    assert "2331" in message
    assert "Data Fetch link" in message and "short link" in message
    assert isinstance(info.value, LinkKitError)


def test_max_version_refuses_dense_codes() -> None:
    with pytest.raises(QRCapacityError, match="above max_version 15"):
        make_qr(TRANSMIT + "y" * 300, max_version=15)
    assert make_qr(FETCH, max_version=6).version <= 6


def test_forced_version_and_mask() -> None:
    qr = make_qr(FETCH, version=10, mask=3)
    assert (qr.version, qr.mask, qr.modules) == (10, 3, 57)
    assert decode_png(qr.png(scale=4)) == [FETCH.encode()]
    with pytest.raises(QRCapacityError, match="need QR version"):
        make_qr(FETCH, version=2)


def test_scannability_report_for_print() -> None:
    qr = make_qr(FETCH)  # version 5: 37 modules + 8 of quiet zone = 45
    report = qr.scannability(size_cm=2.5)
    assert report.module_mm == pytest.approx(25 / (qr.modules + 8))
    assert report.verdict == "good"
    assert report.min_module_mm == pytest.approx(GOOD_MODULE_MM)
    assert report.max_distance_cm == pytest.approx(report.module_mm / 0.4 * 20)
    assert re.search(r"module 0\.\d\d mm", str(report))
    assert report.as_dict()["verdict"] == "good"
    assert qr.scannability(size_cm=1.5).verdict == "marginal"
    assert qr.scannability(size_cm=1.0).verdict == "too small"
    assert qr.scannability(size_cm=2.5, distance_cm=60).verdict == "too small"


def test_scannability_notes() -> None:
    transmit = make_qr(TRANSMIT)
    notes = transmit.scannability(size_cm=4, border=2).notes
    assert any("never print it" in note for note in notes)
    assert any("quiet zone of 2 modules" in note for note in notes)
    dense = make_qr("https://example.com/" + "a" * 700)
    assert dense.version > 15
    assert any("dense for print" in note for note in dense.scannability(size_cm=10).notes)
    with pytest.raises(AssetOptionError, match="size_cm"):
        make_qr(FETCH).scannability(size_cm=0)
    with pytest.raises(AssetOptionError, match="distance_cm"):
        make_qr(FETCH).scannability(size_cm=3, distance_cm=float("nan"))


def test_qrcode_object_is_immutable_and_keeps_its_data() -> None:
    qr = make_qr(FETCH)
    assert isinstance(qr, QRCode)
    assert qr.data == FETCH.encode()
    with pytest.raises(AttributeError):
        qr.data = b"x"  # type: ignore[misc]
