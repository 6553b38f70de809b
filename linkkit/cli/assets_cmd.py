"""``linkkit button`` (HTML for web pages and emails) and ``linkkit qr`` (SVG/PNG for print)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import click

from linkkit._atomic import atomic_write
from linkkit.assets.buttons import DEFAULT_WEB_BASE, email_button, web_button
from linkkit.assets.locales import LOCALES
from linkkit.assets.qr import DEFAULT_QUIET_ZONE, make_qr
from linkkit.cli._suggest import locale_callback

_LOCALE_HELP = (
    "A BCP 47 tag served by a shipped locale (pt-BR -> pt; en-AU -> en-US). Shipped: " + ", ".join(LOCALES) + "."
)


@click.command()
@click.option("--link", required=True, help="The Add to Wallet link (a Data Fetch link for email).")
@click.option(
    "--kind",
    type=click.Choice(["wallet", "pay"]),
    default="wallet",
    show_default=True,
    help='"Add to Samsung Wallet" or "Save to Samsung Pay".',
)
@click.option("--locale", default="en-US", show_default=True, callback=locale_callback, help=_LOCALE_HELP)
@click.option(
    "--theme",
    type=click.Choice(["light", "dark", "auto"]),
    default="light",
    show_default=True,
    help="light: for light pages; dark: for dark pages; auto: follow prefers-color-scheme.",
)
@click.option("--layout", type=click.Choice(["horizontal", "vertical"]), default="horizontal", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["web", "email"]), default="web", show_default=True)
@click.option(
    "--asset-base",
    metavar="URL",
    help=f"Where web/ is served; web default {DEFAULT_WEB_BASE}, email needs an absolute http(s) URL.",
)
@click.option(
    "--source",
    type=click.Choice(["linkkit", "samsung"]),
    default="linkkit",
    show_default=True,
    help="Our artwork, or Samsung's CDN images.",
)
@click.option("--size", metavar="WxH", help="Display size for email with --source samsung, e.g. 200x40.")
def button(
    link: str,
    kind: str,
    locale: str,
    theme: str,
    layout: str,
    fmt: str,
    asset_base: str | None,
    source: str,
    size: str | None,
) -> None:
    """Print the HTML of a button: an accessible link for web pages, or a table with a PNG for email."""
    common = {"kind": kind, "locale": locale, "theme": theme, "layout": layout, "source": source}
    if fmt == "web":
        html = web_button(link, asset_base=asset_base or DEFAULT_WEB_BASE, **common)  # type: ignore[arg-type]
    else:
        if not asset_base:
            raise click.BadParameter(
                "email images need an absolute URL, e.g. https://shop.example/static/linkkit", param_hint="--asset-base"
            )
        html = email_button(link, asset_base=asset_base, size=_parse_size(size), **common)  # type: ignore[arg-type]
    click.echo(str(html))


def _parse_size(size: str | None) -> tuple[int, int] | None:
    if size is None:
        return None
    try:
        width, height = (int(part) for part in size.lower().split("x"))
    except ValueError:
        raise click.BadParameter(f"expected WIDTHxHEIGHT such as 200x40 (got {size!r})", param_hint="--size") from None
    return width, height


@click.command()
@click.argument("url")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.svg or FILE.png (written atomically).",
)
@click.option(
    "--size-cm",
    type=click.FloatRange(min=0.1, max=1000),
    default=3.0,
    show_default=True,
    help="Printed width, quiet zone included.",
)
@click.option(
    "--level",
    type=click.Choice(["L", "M", "Q", "H"]),
    default="M",
    show_default=True,
    help="Error correction: L 7%, M 15%, Q 25%, H 30%.",
)
@click.option(
    "--border",
    type=click.IntRange(0, 100),
    default=DEFAULT_QUIET_ZONE,
    show_default=True,
    help="Quiet zone in modules (ISO/IEC 18004 asks for 4).",
)
@click.option(
    "--dpi",
    type=click.IntRange(72, 2400),
    default=300,
    show_default=True,
    help="PNG only: print resolution; the PNG records it so it prints at --size-cm.",
)
@click.option(
    "--distance-cm",
    type=click.FloatRange(min=1, max=10000),
    default=20.0,
    show_default=True,
    help="Scanning distance the verdict is for.",
)
@click.option(
    "--max-version",
    type=click.IntRange(1, 40),
    default=40,
    show_default=True,
    help="Refuse denser codes (15 keeps print comfortable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scannability report as JSON.")
def qr(
    url: str,
    output: Path,
    size_cm: float,
    level: str,
    border: int,
    dpi: int,
    distance_cm: float,
    max_version: int,
    as_json: bool,
) -> None:
    """Write URL as a QR code to FILE.svg or FILE.png and print how well it will scan at --size-cm."""
    suffix = output.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise click.BadParameter("the file name must end in .svg or .png", param_hint="--output")
    code = make_qr(url, level=level, max_version=max_version)  # type: ignore[arg-type]
    if suffix == ".svg":
        data = code.svg(border=border, size=f"{size_cm:g}cm").encode()
    else:
        modules = code.modules + 2 * border
        inches = size_cm / 2.54
        scale = max(1, math.ceil(inches * dpi / modules))
        data = code.png(border=border, scale=scale, dpi=max(1, round(modules * scale / inches)))
    atomic_write(output, data)
    report = code.scannability(size_cm, border=border, distance_cm=distance_cm)
    if as_json:
        click.echo(json.dumps({"file": str(output), "bytes": len(data), **report.as_dict()}))
    else:
        click.echo(f"wrote {output} ({len(data)} bytes)")
        click.echo(str(report))
