#!/usr/bin/env python3
"""Build the button artwork in ``web/buttons/``: SVG sources with the label as outlines, PNGs at 1x/2x/3x.

Every label is shaped with HarfBuzz (uharfbuzz) and written as one SVG path, so the SVGs
render the same in every browser and mail client whatever fonts are installed. PNGs are the
same SVGs rendered by Debian's Chromium (through Playwright, as the e2e tests do) and
re-encoded by Pillow, so the bytes depend only on the pixels. ``manifest.json`` lists every
file with its pixel size.

Usage::

    .venv/bin/python scripts/build_buttons.py            # rebuild web/buttons/
    .venv/bin/python scripts/build_buttons.py --check    # rebuild in a temp dir, compare bytes
    .venv/bin/python scripts/build_buttons.py --only en-US --check

Needs (only to rebuild; the committed files need nothing): ``pip install uharfbuzz`` and the
Debian packages ``fonts-noto-core`` and ``fonts-noto-cjk``.

The artwork is ours: a plain wallet / card glyph and the label. It is not Samsung's artwork;
users who must use Samsung's official images select ``source="samsung"`` in
:mod:`linkkit.assets.buttons`.
"""

from __future__ import annotations

import argparse
import filecmp
import io
import json
import math
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linkkit.assets.locales import LOCALES, Locale  # noqa: E402

OUT = ROOT / "web" / "buttons"
NOTO = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
#: Face index inside NotoSansCJK-Bold.ttc: the regional glyph forms each locale expects.
CJK_FACE = {"ja": 0, "ko": 1, "zh-CN": 2, "zh-TW": 3}
SCRIPT_FONTS = {
    "latin": (NOTO / "NotoSans-Bold.ttf", 0),
    "arabic": (NOTO / "NotoSansArabic-Bold.ttf", 0),
    "hebrew": (NOTO / "NotoSansHebrew-Bold.ttf", 0),
    "thai": (NOTO / "NotoSansThai-Bold.ttf", 0),
}
CHROMIUM = "/usr/bin/chromium"
#: The same switches as e2e/conftest.py: no network, no GPU differences.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    "--font-render-hinting=none",
]
SCALES = (1, 2, 3)
KINDS = ("wallet", "pay")
LAYOUTS = ("horizontal", "vertical")

#: Colours per theme. "light" is for light pages (a dark button), "dark" for dark pages (a light
#: button). The grey border keeps the button's edge visible on either background, which is what
#: makes the PNGs safe in email clients that darken or invert the page.
THEMES: dict[str, dict[str, str]] = {
    "light": {"background": "#141414", "label": "#ffffff", "border": "#8e918f", "accent": "#6ea4ff"},
    "dark": {"background": "#ffffff", "label": "#141414", "border": "#8e918f", "accent": "#1a5ae0"},
}


@dataclass(frozen=True)
class Geometry:
    height: int
    font_px: float
    pad: int
    glyph: int
    gap: int
    radius: int


HORIZONTAL = Geometry(height=44, font_px=16, pad=16, glyph=22, gap=8, radius=8)
VERTICAL = Geometry(height=76, font_px=14, pad=14, glyph=26, gap=6, radius=10)


# --- Text: shape with HarfBuzz, emit outlines --------------------------------------------------


def script_of(ch: str) -> str | None:
    cp = ord(ch)
    if 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF:
        return "arabic"
    if 0x0590 <= cp <= 0x05FF or 0xFB1D <= cp <= 0xFB4F:
        return "hebrew"
    if 0x0E00 <= cp <= 0x0E7F:
        return "thai"
    if (
        0x1100 <= cp <= 0x11FF
        or 0x3000 <= cp <= 0x30FF
        or 0x3130 <= cp <= 0x318F
        or 0x3400 <= cp <= 0x9FFF
        or 0xAC00 <= cp <= 0xD7AF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFF00 <= cp <= 0xFFEF
    ):
        return "cjk"
    if ch.isalpha() or ch.isdigit():
        return "latin"
    return None  # neutral: space, punctuation


def runs_of(text: str) -> list[tuple[str, str]]:
    """Split into (script, text) runs; neutrals join the run before them (or the first run)."""
    runs: list[list[str]] = []
    for ch in text:
        script = script_of(ch)
        if runs and (script is None or script == runs[-1][0]):
            runs[-1][1] += ch
        elif script is None:
            runs.append(["?", ch])
        elif runs and runs[-1][0] == "?":
            runs[-1][0] = script
            runs[-1][1] += ch
        else:
            runs.append([script, ch])
    return [(script if script != "?" else "latin", body) for script, body in runs]


class _PathPen:
    """A fontTools-style pen writing relative SVG path commands in pixel coordinates.

    Points are rounded to 1/100 px first and the relative steps taken between rounded points,
    so the path is short and has no rounding drift.
    """

    def __init__(self, x0: float, baseline: float, scale: float, start: tuple[int, int]) -> None:
        self.x0, self.baseline, self.scale = x0, baseline, scale
        self.cur = start  # current point in 1/100 px
        self.first = start
        self.parts: list[str] = []

    def _steps(self, pts: tuple[tuple[float, float], ...]) -> str:
        out = []
        x0, y0 = self.cur
        for px, py in pts:
            x = round((self.x0 + px * self.scale) * 100)
            y = round((self.baseline - py * self.scale) * 100)
            out.append(f"{hund(x - x0)} {hund(y - y0)}")
        # curve control points are relative to the segment's start point
        last = pts[-1]
        self.cur = (round((self.x0 + last[0] * self.scale) * 100), round((self.baseline - last[1] * self.scale) * 100))
        return " ".join(out)

    def moveTo(self, p: tuple[float, float]) -> None:
        self.parts.append("m" + self._steps((p,)))
        self.first = self.cur

    def lineTo(self, p: tuple[float, float]) -> None:
        self.parts.append("l" + self._steps((p,)))

    def qCurveTo(self, *pts: tuple[float, float]) -> None:
        assert len(pts) == 2, "HarfBuzz draws one quadratic segment per call"
        self.parts.append("q" + self._steps(pts))

    def curveTo(self, *pts: tuple[float, float]) -> None:
        assert len(pts) == 3
        self.parts.append("c" + self._steps(pts))

    def closePath(self) -> None:
        self.parts.append("z")
        self.cur = self.first  # 'z' returns to the subpath's start

    endPath = closePath


def hund(value: int) -> str:
    """An integer count of 1/100 px as the shortest decimal: 150 -> '1.5', -5 -> '-.05'."""
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 100)
    text = f"{whole}.{frac:02d}".rstrip("0").rstrip(".")
    if text.startswith("0."):
        text = text[1:]
    return sign + (text or "0")


def num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_FONTS: dict[tuple[Path, int], Any] = {}


def hb_font(script: str, locale: Locale) -> Any:
    import uharfbuzz as hb

    if script == "cjk":
        key = (NOTO_CJK, CJK_FACE.get(locale.tag, CJK_FACE.get(locale.tag.split("-")[0], 0)))
    else:
        key = SCRIPT_FONTS[script]
    if key not in _FONTS:
        path, index = key
        if not path.is_file():
            raise SystemExit(f"missing font {path}: apt-get install fonts-noto-core fonts-noto-cjk")
        _FONTS[key] = hb.Font(hb.Face(hb.Blob.from_file_path(str(path)), index))
    return _FONTS[key]


@dataclass
class ShapedRun:
    font: Any
    glyphs: list[tuple[int, float, float, float]]  # gid, x_offset, y_offset, x_advance (font units)
    upem: int

    def width(self, px: float) -> float:
        return sum(g[3] for g in self.glyphs) * px / self.upem


def shape(text: str, locale: Locale) -> list[ShapedRun]:
    """Shaped runs in *visual* order, left to right."""
    import uharfbuzz as hb

    shaped = []
    for script, body in runs_of(text):
        font = hb_font(script, locale)
        buf = hb.Buffer()
        buf.add_str(body)
        buf.guess_segment_properties()
        buf.direction = "rtl" if script in ("arabic", "hebrew") else "ltr"
        buf.language = locale.tag.split("-")[0]
        hb.shape(font, buf, {"kern": True, "liga": True})
        glyphs = [
            (info.codepoint, pos.x_offset, pos.y_offset, pos.x_advance)
            for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True)
        ]
        shaped.append(ShapedRun(font, glyphs, font.face.upem))
    if locale.direction == "rtl":
        shaped.reverse()  # HarfBuzz already returns each RTL run in visual order
    return shaped


def label_path(runs: list[ShapedRun], x: float, baseline: float, px: float) -> str:
    parts: list[str] = ["M0 0"]
    cur = (0, 0)
    for run in runs:
        scale = px / run.upem
        for gid, x_off, y_off, advance in run.glyphs:
            pen = _PathPen(x + x_off * scale, baseline - y_off * scale, scale, cur)
            run.font.draw_glyph_with_pen(gid, pen)
            parts.extend(pen.parts)
            cur = pen.cur
            x += advance * scale
    return "".join(parts)


# --- Glyphs (ours) -------------------------------------------------------------------------------


def glyph_svg(kind: str, x: float, y: float, size: float, colours: dict[str, str]) -> str:
    """A 24-unit glyph scaled to ``size``: a wallet with a clasp, or a card with a stripe."""
    s = size / 24
    t = f'transform="translate({num(x)} {num(y)}) scale({num(s)})"'
    accent, bg, label = colours["accent"], colours["background"], colours["label"]
    if kind == "wallet":
        body = (
            f'<rect x="5" y="2.5" width="13" height="6" rx="1.5" fill="{label}"/>'
            f'<rect x="2" y="5.5" width="20" height="15" rx="3.5" fill="{accent}"/>'
            f'<rect x="14" y="10" width="8" height="6" rx="3" fill="{bg}"/>'
            f'<circle cx="17.5" cy="13" r="1.4" fill="{accent}"/>'
        )
    else:
        body = (
            f'<rect x="1.5" y="4.5" width="21" height="15" rx="2.5" fill="{accent}"/>'
            f'<rect x="1.5" y="8" width="21" height="2.6" fill="{bg}"/>'
            f'<rect x="4.5" y="13.2" width="5.5" height="3.6" rx="0.9" fill="{label}"/>'
        )
    return f'<g id="glyph" {t}>{body}</g>'


def build_svg(kind: str, locale: Locale, theme: str, layout: str) -> tuple[str, int, int]:
    colours = THEMES[theme]
    geo = HORIZONTAL if layout == "horizontal" else VERTICAL
    text = locale.label(kind)  # type: ignore[arg-type]
    runs = shape(text, locale)
    text_w = sum(run.width(geo.font_px) for run in runs)
    if layout == "horizontal":
        width = math.ceil(geo.pad + geo.glyph + geo.gap + text_w + geo.pad + 2)
        height = geo.height
        glyph_y = (height - geo.glyph) / 2
        if locale.direction == "rtl":
            text_x = geo.pad + 2
            glyph_x = width - geo.pad - geo.glyph
        else:
            glyph_x = geo.pad
            text_x = geo.pad + geo.glyph + geo.gap
        baseline = height / 2 + 0.36 * geo.font_px
    else:
        width = math.ceil(max(text_w, geo.glyph) + 2 * geo.pad)
        height = geo.height
        glyph_x = (width - geo.glyph) / 2
        glyph_y = 12
        text_x = (width - text_w) / 2
        baseline = glyph_y + geo.glyph + geo.gap + geo.font_px
    path = label_path(runs, text_x, baseline, geo.font_px)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{text}">'
        f"<title>{text}</title>"
        f'<rect id="bg" x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" rx="{geo.radius}" '
        f'fill="{colours["background"]}" stroke="{colours["border"]}"/>'
        f"{glyph_svg(kind, glyph_x, glyph_y, geo.glyph, colours)}"
        f'<path id="label" fill="{colours["label"]}" d="{path}"/>'
        "</svg>\n"
    )
    return svg, width, height


# --- Build ---------------------------------------------------------------------------------------


def rel(kind: str, tag: str, theme: str, layout: str, suffix: str) -> str:
    return f"{kind}/{tag}/{theme}-{layout}{suffix}"


def build(out: Path, tags: list[str]) -> None:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    jobs = []
    files: list[dict[str, Any]] = []
    for kind in KINDS:
        for tag in tags:
            locale = LOCALES[tag]
            for theme in THEMES:
                for layout in LAYOUTS:
                    svg, width, height = build_svg(kind, locale, theme, layout)
                    name = rel(kind, tag, theme, layout, ".svg")
                    (out / name).parent.mkdir(parents=True, exist_ok=True)
                    (out / name).write_text(svg, encoding="utf-8")
                    common = {"kind": kind, "locale": tag, "theme": theme, "layout": layout}
                    files.append(
                        {
                            "file": name,
                            "format": "svg",
                            **common,
                            "scale": 1,
                            "width": width,
                            "height": height,
                            "label": locale.label(kind),
                            "direction": locale.direction,
                        }
                    )  # type: ignore[arg-type]
                    jobs.append((svg, width, height, kind, tag, theme, layout))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for scale in SCALES:
            context = browser.new_context(device_scale_factor=scale)
            page = context.new_page()
            for svg, width, height, kind, tag, theme, layout in jobs:
                page.set_viewport_size({"width": width, "height": height})
                page.set_content(f"<!doctype html><html><body style='margin:0'>{svg}</body></html>")
                shot = page.screenshot(omit_background=True, clip={"x": 0, "y": 0, "width": width, "height": height})
                image = Image.open(io.BytesIO(shot)).convert("RGBA")
                assert image.size == (width * scale, height * scale), (image.size, width, height, scale)
                name = rel(kind, tag, theme, layout, f"@{scale}x.png")
                buf = io.BytesIO()
                # an adaptive palette keeps files small; the label and edges antialias in 256 levels
                image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
                    buf, "PNG", optimize=True
                )
                (out / name).write_bytes(buf.getvalue())
                files.append(
                    {
                        "file": name,
                        "format": "png",
                        "kind": kind,
                        "locale": tag,
                        "theme": theme,
                        "layout": layout,
                        "scale": scale,
                        "width": width * scale,
                        "height": height * scale,
                        "css_width": width,
                        "css_height": height,
                    }
                )
            context.close()
        browser.close()
    files.sort(key=lambda f: (f["kind"], f["locale"], f["theme"], f["layout"], f["format"], f["scale"]))
    manifest = {
        "generator": "scripts/build_buttons.py",
        "themes": THEMES,
        "scales": list(SCALES),
        "locales": {
            tag: {"direction": LOCALES[tag].direction, "wallet": LOCALES[tag].wallet, "pay": LOCALES[tag].pay}
            for tag in tags
        },
        "files": files,
    }
    (out / "manifest.json").write_text(dump_manifest(manifest), encoding="utf-8")


def dump_manifest(manifest: dict[str, Any]) -> str:
    """Readable JSON with one line per file entry (diffs stay small when one button changes)."""
    head = {k: v for k, v in manifest.items() if k != "files"}
    body = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    entries = ",\n".join("  " + json.dumps(f, ensure_ascii=False, separators=(", ", ": ")) for f in manifest["files"])
    return f'{body},\n "files": [\n{entries}\n ]\n}}\n'


def compare(built: Path, committed: Path, *, whole: bool) -> list[str]:
    """Byte comparison; ``whole`` (a full build) also compares the manifest and looks for extra files."""
    problems = []
    for path in sorted(built.rglob("*")):
        if path.is_file():
            name = path.relative_to(built)
            other = committed / name
            if name.name == "manifest.json" and not whole:
                continue
            if not other.is_file():
                problems.append(f"missing in web/buttons: {name}")
            elif not filecmp.cmp(path, other, shallow=False):
                problems.append(f"differs: {name}")
    if whole:
        extra = {p.relative_to(committed) for p in committed.rglob("*") if p.is_file()}
        extra -= {p.relative_to(built) for p in built.rglob("*") if p.is_file()}
        problems.extend(f"not made by the build: {name}" for name in sorted(extra))
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description="Build web/buttons/ (SVG + PNG + manifest.json).")
    parser.add_argument("--check", action="store_true", help="rebuild in a temp dir and compare with web/buttons")
    parser.add_argument("--only", action="append", metavar="LOCALE", help="limit to these locales (repeatable)")
    args = parser.parse_args()
    tags = args.only or list(LOCALES)
    unknown = [t for t in tags if t not in LOCALES]
    if unknown:
        parser.error(f"unknown locale(s): {', '.join(unknown)}")
    if args.only and not args.check:
        parser.error("--only needs --check: a partial build would leave an incomplete manifest")
    if not args.check:
        if OUT.exists():
            shutil.rmtree(OUT)
        build(OUT, tags)
        count = sum(1 for _ in OUT.rglob("*.*"))
        size = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
        print(f"wrote {count} files, {size / 1e6:.2f} MB, in {OUT.relative_to(ROOT)}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp)
        build(built, tags)
        problems = compare(built, OUT, whole=not args.only)
    for problem in problems:
        print(problem)
    verdict = f"{len(problems)} problem(s)" if problems else "reproducible: every rebuilt file equals the committed one"
    print(verdict)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
