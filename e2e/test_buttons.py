"""The button matrix and QR codes as Chromium renders them.

One page holds every shipped button (kinds x themes x layouts x locales) as inline SVG; the
test measures each rendered label against its button, checks label/background contrast from
the colours the SVGs actually use (and the pixels Chromium actually drew), and saves the page as
``test-artifacts/buttons/contact-sheet.png``. A second page renders QR code SVGs and decodes
Chromium's screenshots with zbar.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pyzbar.pyzbar import ZBarSymbol
from pyzbar.pyzbar import decode as zbar_decode

from linkkit.assets.artwork import manifest
from linkkit.assets.qr import make_qr
from linkkit.resources import shipped_dir

WEB = shipped_dir("web")
ARTIFACTS = Path("test-artifacts") / "buttons"
#: Page backgrounds the themes are meant for (light pages get the dark button and vice versa).
PAGE_BG = {"light": "#f4f5f7", "dark": "#202124"}
#: Clear space we require between the label's ink and the button's edge, in CSS px.
MIN_INSET = 4


def luminance(hex_colour: str) -> float:
    """Relative luminance, WCAG 2.2 §"relative luminance"."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def svg_entries() -> list[dict[str, Any]]:
    return [f for f in manifest()["files"] if f["format"] == "svg"]


def matrix_page() -> str:
    cells = []
    for entry in svg_entries():
        svg = (WEB / "buttons" / entry["file"]).read_text(encoding="utf-8")
        key = f"{entry['kind']}/{entry['locale']}/{entry['theme']}-{entry['layout']}"
        cells.append(f'<div class="cell {entry["theme"]}" data-key="{key}">{svg}</div>')
    style = (
        "body{margin:0;padding:8px;font:12px sans-serif;display:flex;flex-wrap:wrap;align-items:flex-start;"
        "gap:6px;width:1800px}"
        f".cell{{padding:6px;line-height:0}}.light{{background:{PAGE_BG['light']}}}.dark{{background:{PAGE_BG['dark']}}}"
    )
    return f"<!doctype html><html><head><style>{style}</style></head><body>{''.join(cells)}</body></html>"


def test_button_matrix_fits_contrasts_and_is_recorded(page: Any) -> None:
    entries = svg_entries()
    assert len(entries) >= 2 * 2 * 2 * 12
    page.set_viewport_size({"width": 1816, "height": 900})
    page.set_content(matrix_page())
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.cell')].map(cell => {
            const box = el => { const r = cell.querySelector(el).getBoundingClientRect();
                                return {x: r.x, y: r.y, w: r.width, h: r.height}; };
            return {key: cell.dataset.key, bg: box('[id=bg]'), label: box('[id=label]'), glyph: box('[id=glyph]')};
        })"""
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    sheet_path = ARTIFACTS / "contact-sheet.png"
    page.screenshot(path=str(sheet_path), full_page=True)
    sheet = Image.open(sheet_path).convert("RGB")
    assert len(boxes) == len(entries)
    themes = manifest()["themes"]
    problems = []
    for entry, measured in zip(entries, boxes, strict=True):
        key, bg, label, glyph = measured["key"], measured["bg"], measured["label"], measured["glyph"]
        assert key.endswith(f"{entry['theme']}-{entry['layout']}")
        # the rect is inset by half its 1px stroke
        assert (round(bg["w"] + 1), round(bg["h"] + 1)) == (entry["width"], entry["height"]), key
        inside = (
            label["x"] >= bg["x"] + MIN_INSET
            and label["y"] >= bg["y"] + MIN_INSET
            and label["x"] + label["w"] <= bg["x"] + bg["w"] - MIN_INSET
            and label["y"] + label["h"] <= bg["y"] + bg["h"] - MIN_INSET
        )
        if not inside:
            problems.append(f"{key}: label {label} overflows button {bg}")
        overlap_x = min(label["x"] + label["w"], glyph["x"] + glyph["w"]) - max(label["x"], glyph["x"])
        overlap_y = min(label["y"] + label["h"], glyph["y"] + glyph["h"]) - max(label["y"], glyph["y"])
        if overlap_x > 0 and overlap_y > 0:
            problems.append(f"{key}: label overlaps the glyph")
        # contrast from the colours the SVG really uses ...
        svg = (WEB / "buttons" / entry["file"]).read_text(encoding="utf-8")
        bg_fill = re.search(r'<rect id="bg"[^>]* fill="(#[0-9a-f]{6})"', svg).group(1)  # type: ignore[union-attr]
        label_fill = re.search(r'<path id="label" fill="(#[0-9a-f]{6})"', svg).group(1)  # type: ignore[union-attr]
        assert (bg_fill, label_fill) == (themes[entry["theme"]]["background"], themes[entry["theme"]]["label"])
        if contrast(bg_fill, label_fill) < 4.5:
            problems.append(f"{key}: contrast {contrast(bg_fill, label_fill):.2f} < 4.5")
        # ... and that Chromium painted that background (sampled in the padding, clear of ink)
        sample = sheet.getpixel((round(bg["x"] + 3), round(bg["y"] + bg["h"] / 2)))
        painted = "#%02x%02x%02x" % sample  # noqa: UP031
        if contrast(painted, bg_fill) > 1.05:
            problems.append(f"{key}: painted background {painted} is not {bg_fill}")
    assert not problems, "\n".join(problems[:20])


@pytest.fixture(scope="module")
def shop() -> Any:
    """A real Flask app with LinkKit on 127.0.0.1, serving a page under a strict CSP."""
    from flask import Flask, render_template_string

    from linkkit._serving import ServerThread
    from linkkit.flask import LinkKit

    app = Flask(__name__)
    LinkKit(app)

    @app.get("/")
    def index() -> Any:
        html = render_template_string(
            "<!doctype html><html><head>"
            '<link rel="stylesheet" href="{{ linkkit_asset_url("linkkit-buttons.css") }}"></head>'
            "<body><p><a href='#top'>skip</a></p>"
            "{{ linkkit_button(link, locale='ar') }} {{ linkkit_button(link, kind='pay', theme='auto', image='png') }}"
            "</body></html>",
            link="https://a.swallet.link/atw/v3/YMtt/card#Clip?pdata=ref",
        )
        # no 'unsafe-inline' anywhere: the snippets need no inline style or script
        return html, {"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'"}

    with ServerThread(app) as server:
        yield server


def test_web_buttons_under_strict_csp_focus_ring_and_names(page: Any, shop: Any) -> None:
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(shop.url + "/")
    images = page.evaluate("() => [...document.images].map(i => [i.complete && i.naturalWidth > 0, i.alt])")
    assert images == [[True, "إضافة إلى Samsung Wallet"], [True, "Save to Samsung Pay"]]
    assert page.locator("a.linkkit-button").first.get_attribute("dir") == "rtl"
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the first button
    assert page.evaluate("() => document.activeElement.classList.contains('linkkit-button')")
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert ring == ["solid", "3px"]
    assert violations == []


@pytest.mark.parametrize(("level", "size_px"), [("L", 120), ("M", 200), ("H", 333)])
def test_qr_svg_rendered_by_chromium_decodes(page: Any, level: str, size_px: int) -> None:
    link = f"https://a.swallet.link/atw/v3/YMtt/3glji6d406000#Clip?pdata=Level{level}Ref0123456789abcdef"
    svg = make_qr(link, level=level).svg(size=str(size_px))  # type: ignore[arg-type]
    page.set_content(f"<!doctype html><html><body style='margin:0;background:#fff'>{svg}</body></html>")
    shot = page.locator("svg").screenshot()
    image = Image.open(io.BytesIO(shot)).convert("L")
    assert image.size == (size_px, size_px)
    found = [s.data for s in zbar_decode(image, symbols=[ZBarSymbol.QRCODE])]
    assert found == [link.encode()]
