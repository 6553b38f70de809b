"""Code 128: zbar reads back every value, the SVG is parsed back without linkkit, bad values are refused."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pyzbar.pyzbar import ZBarSymbol
from pyzbar.pyzbar import decode as zbar_decode

from linkkit.assets.barcode import MAX_LENGTH, QUIET_ZONE_MODULES, code128_svg, code128_widths

PRINTABLE = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=40)


def raster(widths: tuple[int, ...], scale: int = 3, height: int = 60) -> Image.Image:
    """Draw the bars by hand (bar first, alternating) with the quiet zone, as a camera would see them."""
    total = sum(widths) + 2 * QUIET_ZONE_MODULES
    image = Image.new("L", (total * scale, height), 255)
    x = QUIET_ZONE_MODULES
    for index, width in enumerate(widths):
        if index % 2 == 0:
            image.paste(0, (x * scale, 0, (x + width) * scale, height))
        x += width
    return image


def zbar(image: Image.Image) -> list[bytes]:
    return [s.data for s in zbar_decode(image, symbols=[ZBarSymbol.CODE128])]


@pytest.mark.parametrize(
    "value", ["1234567890", "123", "7", "12345", "0042", "CARD-0042", "Gold Member #7", " ~!", "a" * 30]
)
def test_zbar_reads_back_the_value(value: str) -> None:
    assert zbar(raster(code128_widths(value))) == [value.encode()]


@settings(max_examples=150, deadline=None)
@given(PRINTABLE | st.text(alphabet=string.digits, min_size=1, max_size=40))
def test_any_printable_value_round_trips_through_zbar(value: str) -> None:
    assert zbar(raster(code128_widths(value))) == [value.encode()]


def test_every_symbol_is_eleven_modules_and_the_stop_thirteen() -> None:
    widths = code128_widths("AB")  # start, A, B, check, stop
    assert len(widths) == 4 * 6 + 7
    symbols = [widths[i : i + 6] for i in range(0, 24, 6)]
    assert all(sum(s) == 11 for s in symbols)
    assert sum(widths[24:]) == 13


def test_digits_use_code_set_c_which_halves_the_width() -> None:
    assert sum(code128_widths("12345678")) < sum(code128_widths("1234567A"))
    assert code128_widths("1234")[:6] == (2, 1, 1, 2, 3, 2)  # start C


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "non-empty"),
        ("café", "printable ASCII"),
        ("a\nb", "printable ASCII"),
        ("1" * (MAX_LENGTH + 1), "more than"),
    ],
)
def test_values_that_cannot_be_drawn_are_refused(value: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        code128_widths(value)


def svg_columns(svg: str) -> tuple[int, set[int]]:
    """Read the SVG back without linkkit: the viewBox width and the dark module columns."""
    width = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))  # type: ignore[union-attr]
    d = re.search(r' d="([^"]*)"', svg).group(1)  # type: ignore[union-attr]
    columns = {int(x) for x in re.findall(r"M(\d+)\.5 0v\d+", d)}
    assert re.sub(r"M\d+\.5 0v\d+", "", d) == ""
    return width, columns


def test_the_svg_draws_exactly_the_bars_and_zbar_reads_it() -> None:
    value = "CARD-0042"
    width, columns = svg_columns(code128_svg(value))
    image = Image.new("L", (width * 3, 60), 255)
    for column in columns:
        image.paste(0, (column * 3, 0, (column + 1) * 3, 60))
    assert zbar(image) == [value.encode()]
    assert width == sum(code128_widths(value)) + 2 * QUIET_ZONE_MODULES
    assert min(columns) == QUIET_ZONE_MODULES


def test_the_svg_label_is_escaped_and_colours_are_checked() -> None:
    svg = code128_svg('"><script>x</script>')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    with pytest.raises(ValueError, match="colour"):
        code128_svg("1", colour="red;x")
    with pytest.raises(ValueError, match="module_px"):
        code128_svg("1", module_px=0)


@pytest.mark.parametrize(("value", "symbols"), [("7", 1), ("123", 3), ("12345", 4), ("123456", 3)])
def test_the_shorter_code_set_is_chosen(value: str, symbols: int) -> None:
    # data symbols = all widths minus start, check (6 each) and stop (7), over 6 widths per symbol
    assert (len(code128_widths(value)) - 19) // 6 == symbols
