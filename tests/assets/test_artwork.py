"""The shipped button files: manifest complete, PNG pixel sizes exact, SVG labels as outlines."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from PIL import Image

from linkkit.assets.artwork import button_image, manifest, theme_colours
from linkkit.assets.locales import LOCALES
from linkkit.errors import AssetError
from linkkit.resources import shipped_dir

WEB = shipped_dir("web")
ROOT = Path(__file__).resolve().parents[2]


def test_manifest_covers_the_whole_matrix() -> None:
    files = manifest()["files"]
    keys = {(f["kind"], f["locale"], f["theme"], f["layout"], f["format"], f["scale"]) for f in files}
    expected = {
        (kind, tag, theme, layout, fmt, scale)
        for kind in ("wallet", "pay")
        for tag in LOCALES
        for theme in ("light", "dark")
        for layout in ("horizontal", "vertical")
        for fmt, scale in (("svg", 1), ("png", 1), ("png", 2), ("png", 3))
    }
    assert keys == expected
    assert len(files) == len(expected)


def test_every_png_has_its_recorded_pixel_size() -> None:
    pngs = [f for f in manifest()["files"] if f["format"] == "png"]
    for entry in pngs:
        with Image.open(WEB / "buttons" / entry["file"]) as image:
            assert image.size == (entry["width"], entry["height"]), entry["file"]
            assert image.size == (entry["css_width"] * entry["scale"], entry["css_height"] * entry["scale"])


def test_svgs_carry_the_label_as_outlines_and_their_size() -> None:
    for entry in (f for f in manifest()["files"] if f["format"] == "svg"):
        svg = (WEB / "buttons" / entry["file"]).read_text(encoding="utf-8")
        assert f'width="{entry["width"]}" height="{entry["height"]}"' in svg
        assert "<text" not in svg and "<script" not in svg and "href" not in svg
        assert re.search(r'<path id="label" fill="#[0-9a-f]{6}" d="M0 0m', svg)
        colours = manifest()["themes"][entry["theme"]]
        assert f'fill="{colours["background"]}"' in svg and f'fill="{colours["label"]}"' in svg


def test_no_stray_files_and_reasonable_total_size() -> None:
    listed = {"buttons/" + f["file"] for f in manifest()["files"]} | {"buttons/manifest.json"}
    on_disk = {p.relative_to(WEB).as_posix() for p in (WEB / "buttons").rglob("*") if p.is_file()}
    assert on_disk == listed
    total = sum((WEB / name).stat().st_size for name in on_disk)
    assert total < 4_000_000


def test_lookup() -> None:
    image = button_image("pay", LOCALES["ja"], "dark", "vertical", format="png", scale=3)
    assert image.path == "buttons/pay/ja/dark-vertical@3x.png"
    assert (image.width, image.height) == (image.css_width * 3, image.css_height * 3)
    svg = button_image("pay", LOCALES["ja"], "dark", "vertical", format="svg", scale=3)
    assert svg.scale == 1 and svg.path.endswith(".svg")
    with pytest.raises(ValueError, match="scale"):
        button_image("pay", LOCALES["ja"], "dark", "vertical", format="png", scale=4)
    with pytest.raises(ValueError, match="theme"):
        button_image("pay", LOCALES["ja"], "sepia", "vertical")  # type: ignore[arg-type]


def test_theme_colours_come_from_the_manifest() -> None:
    assert theme_colours("light").background == manifest()["themes"]["light"]["background"]
    with pytest.raises(AssetError):
        from linkkit.assets.artwork import Locale

        button_image("wallet", Locale("xx", "ltr", "a", "b"), "light", "horizontal")


def _build_tools_missing() -> str | None:
    if importlib.util.find_spec("uharfbuzz") is None:
        return "uharfbuzz not installed (pip install uharfbuzz)"
    fonts = ("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
    for font in fonts:
        if not Path(font).is_file():
            return f"{font} missing (apt-get install fonts-noto-core fonts-noto-cjk)"
    return None


@pytest.mark.skipif(_build_tools_missing() is not None, reason=str(_build_tools_missing()))
def test_svg_sources_rebuild_byte_for_byte() -> None:
    """The SVG half of ``scripts/build_buttons.py --check`` (the PNG half needs Chromium: see docs/buttons.md)."""
    spec = importlib.util.spec_from_file_location("build_buttons", ROOT / "scripts" / "build_buttons.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_buttons"] = module  # dataclasses look their module up while executing it
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["build_buttons"]
    for kind in ("wallet", "pay"):
        for tag in ("en-US", "ar", "ja", "th"):
            for theme in ("light", "dark"):
                for layout in ("horizontal", "vertical"):
                    svg, _, _ = module.build_svg(kind, LOCALES[tag], theme, layout)
                    committed = (WEB / "buttons" / kind / tag / f"{theme}-{layout}.svg").read_text(encoding="utf-8")
                    assert svg == committed, (kind, tag, theme, layout)
