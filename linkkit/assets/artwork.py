"""The shipped button artwork: find a file and its exact pixel size in ``web/buttons/manifest.json``.

The files and the manifest are made by ``scripts/build_buttons.py``; they ship in the wheel
(see :mod:`linkkit.resources`), so looking one up needs no build step and no network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, Literal

from linkkit.assets.locales import ButtonKind, Locale
from linkkit.errors import AssetError
from linkkit.resources import shipped_file

Theme = Literal["light", "dark"]
Layout = Literal["horizontal", "vertical"]
ImageFormat = Literal["svg", "png"]

THEMES: Final = ("light", "dark")
LAYOUTS: Final = ("horizontal", "vertical")
KINDS: Final = ("wallet", "pay")
#: PNG densities shipped for every button.
SCALES: Final = (1, 2, 3)

MANIFEST: Final = "buttons/manifest.json"


@dataclass(frozen=True, slots=True)
class ButtonImage:
    """One shipped image file.

    ``path`` is relative to ``web/`` (``buttons/wallet/en-US/light-horizontal@2x.png``);
    ``width``/``height`` are its pixels; ``css_width``/``css_height`` the size to display it at.
    """

    path: str
    format: ImageFormat
    scale: int
    width: int
    height: int
    css_width: int
    css_height: int


@dataclass(frozen=True, slots=True)
class ButtonColours:
    """The colours of one theme, as drawn in the artwork."""

    background: str
    label: str
    border: str
    accent: str


@cache
def manifest() -> dict[str, Any]:
    """The parsed manifest (read once; it is a shipped, read-only file)."""
    try:
        data: dict[str, Any] = json.loads(shipped_file("web", MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AssetError(f"the shipped button manifest web/{MANIFEST} is missing or unreadable") from exc
    return data


@cache
def _index() -> dict[tuple[str, str, str, str, str, int], ButtonImage]:
    out = {}
    for entry in manifest()["files"]:
        scale = int(entry["scale"])
        css_w = int(entry.get("css_width", entry["width"]))
        css_h = int(entry.get("css_height", entry["height"]))
        key = (entry["kind"], entry["locale"], entry["theme"], entry["layout"], entry["format"], scale)
        out[key] = ButtonImage(
            path="buttons/" + entry["file"],
            format=entry["format"],
            scale=scale,
            width=int(entry["width"]),
            height=int(entry["height"]),
            css_width=css_w,
            css_height=css_h,
        )
    return out


def check_choice(value: object, name: str, allowed: tuple[str, ...]) -> str:
    """Programmer misuse (a value outside a fixed set) is a ValueError naming the argument."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)} (got {value!r})")
    return str(value)


def button_image(
    kind: ButtonKind,
    locale: Locale,
    theme: Theme,
    layout: Layout,
    *,
    format: ImageFormat = "svg",
    scale: int = 1,
) -> ButtonImage:
    """The shipped image for a resolved locale (see :func:`linkkit.assets.locales.resolve_locale`)."""
    check_choice(kind, "kind", KINDS)
    check_choice(theme, "theme", THEMES)
    check_choice(layout, "layout", LAYOUTS)
    check_choice(format, "format", ("svg", "png"))
    if format == "svg":
        scale = 1
    elif scale not in SCALES:
        raise ValueError(f"scale must be one of 1, 2, 3 (got {scale!r})")
    try:
        return _index()[(kind, locale.tag, theme, layout, format, scale)]
    except KeyError as exc:
        raise AssetError(f"no shipped button for {kind}/{locale.tag}/{theme}-{layout} ({format} @{scale}x)") from exc


def theme_colours(theme: Theme) -> ButtonColours:
    """The colours the artwork of ``theme`` uses (from the manifest, i.e. from the build script)."""
    check_choice(theme, "theme", THEMES)
    c = manifest()["themes"][theme]
    return ButtonColours(background=c["background"], label=c["label"], border=c["border"], accent=c["accent"])
