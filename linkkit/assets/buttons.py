"""HTML for "Add to Samsung Wallet" and "Save to Samsung Pay" buttons: web pages and emails.

Both functions return :class:`markupsafe.Markup`, so ``{{ linkkit_button(...) }}`` in Jinja
needs no ``|safe`` and is never escaped twice. Every attribute value is escaped; the link
must be an absolute http(s) URL without whitespace or control characters.

Web (:func:`web_button`)
    An ``<a>`` around the SVG art (or PNG with ``srcset``) whose ``alt`` is the localized label.
    Styling comes from the shipped ``web/linkkit-buttons.css`` (focus ring, sizes): no inline
    ``style``, no script, so it works under a strict Content-Security-Policy.

Email (:func:`email_button`)
    A ``<table>`` with the 2x PNG at an *absolute* URL, explicit ``width``/``height``, inline
    styles only, no classes: what Gmail, Outlook and Apple Mail all render. SVG is invisible in
    Gmail and Outlook (a common complaint of wallet-button integrators), so email never uses it.

Links in email and print must be Data Fetch links or click-time short links: a Card Data Token dies
30 s after it is minted.
"""

from __future__ import annotations

from typing import Final, Literal

from markupsafe import Markup

from linkkit.assets._html import attrs, check_base, check_url, clean_text
from linkkit.assets.artwork import ButtonImage, Layout, Theme, button_image, check_choice, theme_colours
from linkkit.assets.locales import ButtonKind, Locale, resolve_locale
from linkkit.assets.samsung import samsung_image_url
from linkkit.errors import FieldError, ValidationError

Source = Literal["linkkit", "samsung"]
WebTheme = Literal["light", "dark", "auto"]

#: Where :class:`linkkit.flask.LinkKit` serves ``web/`` by default.
DEFAULT_WEB_BASE: Final = "/_linkkit/web"
#: Height Samsung's images are shown at when their size is unknown (the height of our art).
_SAMSUNG_HEIGHT: Final = 44

#: CSS radius that keeps the email image's background inside the artwork's rounded outline: the
#: artwork's ``rx`` (8 horizontal, 10 vertical, scripts/build_buttons.py) plus its half-pixel
#: stroke inset, rounded up, so no background shows beyond the grey edge at a corner.
_EMAIL_CORNER_RADIUS: Final = {"horizontal": 9, "vertical": 11}


def _label(kind: ButtonKind, locale: Locale, label: str | None) -> str:
    return locale.label(kind) if label is None else clean_text(label, "label")


def _url(base: str, image: ButtonImage) -> str:
    return f"{base}/{image.path}"


def _web_img(
    kind: ButtonKind,
    locale: Locale,
    theme: Theme,
    layout: Layout,
    *,
    base: str,
    image: Literal["svg", "png"],
    alt: str,
) -> tuple[str, ButtonImage]:
    """The ``<img>`` tag (not Markup yet) and the 1x image it shows."""
    one = button_image(kind, locale, theme, layout, format=image)
    srcset = None
    if image == "png":
        srcset = ", ".join(
            f"{_url(base, button_image(kind, locale, theme, layout, format='png', scale=s))} {s}x" for s in (2, 3)
        )
    tag = "<img" + attrs(
        [
            ("src", _url(base, one)),
            ("srcset", srcset),
            ("width", one.css_width),
            ("height", one.css_height),
            ("alt", alt),
            ("decoding", "async"),
        ]
    )
    return tag + ">", one


def web_button(
    link: str,
    *,
    kind: ButtonKind = "wallet",
    locale: str | None = None,
    theme: WebTheme = "light",
    layout: Layout = "horizontal",
    asset_base: str = DEFAULT_WEB_BASE,
    image: Literal["svg", "png"] = "svg",
    source: Source = "linkkit",
    label: str | None = None,
    new_tab: bool = False,
    element_id: str | None = None,
) -> Markup:
    """An accessible link-button for a web page.

    :param link: the Add to Wallet link (a Data Fetch link, or your click-time short link).
    :param kind: ``"wallet"`` ("Add to Samsung Wallet") or ``"pay"`` ("Save to Samsung Pay").
    :param locale: any BCP 47 tag; resolved through the fallback chain (``pt-BR`` -> ``pt`` -> ``en-US``).
    :param theme: ``"light"`` (for light pages), ``"dark"``, or ``"auto"`` (follows
        ``prefers-color-scheme`` through ``<picture>``; no script).
    :param asset_base: where ``web/`` is served: a site path (``/_linkkit/web``) or an absolute URL.
    :param image: ``"svg"`` (crisp at any zoom) or ``"png"`` (with a 2x/3x ``srcset``).
    :param source: ``"linkkit"`` (our art, default) or ``"samsung"`` (Samsung's CDN images).
    :param label: replace the localized label (it becomes the ``alt`` text); cleaned and escaped.
    :param new_tab: open in a new tab (adds ``target="_blank" rel="noopener noreferrer"``).
    :raises ValidationError: a bad ``link``, ``asset_base`` or ``label``, naming it.
    :raises ValueError: a ``kind``/``theme``/``layout``/``image`` outside its set.
    """
    href = check_url(link, "link")
    check_choice(kind, "kind", ("wallet", "pay"))
    check_choice(theme, "theme", ("light", "dark", "auto"))
    check_choice(layout, "layout", ("horizontal", "vertical"))
    check_choice(image, "image", ("svg", "png"))
    check_choice(source, "source", ("linkkit", "samsung"))
    loc = resolve_locale(locale)
    alt = _label(kind, loc, label)
    base = check_base(asset_base, "asset_base", allow_path=True)
    light: Theme = "dark" if theme == "dark" else "light"
    if source == "samsung":
        img = (
            "<img"
            + attrs([("src", samsung_image_url(kind, loc, light, layout)), ("height", _SAMSUNG_HEIGHT), ("alt", alt)])
            + ">"
        )
    else:
        img, _ = _web_img(kind, loc, light, layout, base=base, image=image, alt=alt)
    if theme == "auto":
        if source == "samsung":
            dark_src = samsung_image_url(kind, loc, "dark", layout)
        else:
            dark_src = _url(base, button_image(kind, loc, "dark", layout, format=image))
        source_tag = "<source" + attrs([("media", "(prefers-color-scheme: dark)"), ("srcset", dark_src)]) + ">"
        img = f"<picture>{source_tag}{img}</picture>"
    classes = f"linkkit-button linkkit-button--{kind} linkkit-button--{layout}"
    if source == "samsung":
        classes += " linkkit-button--samsung"
    a = "<a" + attrs(
        [
            ("id", _check_id(element_id) if element_id is not None else None),
            ("class", classes),
            ("href", href),
            ("lang", loc.tag),
            ("dir", loc.direction),
            ("target", "_blank" if new_tab else None),
            # noreferrer: the partner page's URL need not reach Samsung; noopener with a new tab
            ("rel", "noopener noreferrer" if new_tab else "noreferrer"),
        ]
    )
    return Markup(f"{a}>{img}</a>")  # noqa: S704 - built from attrs(), which escapes every value


def email_button(
    link: str,
    *,
    asset_base: str,
    kind: ButtonKind = "wallet",
    locale: str | None = None,
    theme: WebTheme = "light",
    layout: Layout = "horizontal",
    source: Source = "linkkit",
    size: tuple[int, int] | None = None,
    label: str | None = None,
) -> Markup:
    """A bulletproof email button: table layout, the 2x PNG at an absolute URL, inline styles only.

    Both themes draw a grey border, so the button keeps its edge when a mail client darkens
    the message. ``theme="auto"`` adds a ``<picture>`` dark variant for the clients that honour
    ``prefers-color-scheme`` (Apple Mail); the others show the light image.

    :param asset_base: absolute http(s) URL where ``web/`` is served (mail has no "current site").
    :param size: display size ``(width, height)``; required for ``source="samsung"``, whose
        pixel sizes Samsung does not publish.
    :raises ValidationError: a bad ``link``, ``asset_base``, ``label`` or ``size``, naming it.
    """
    href = check_url(link, "link")
    base = check_base(asset_base, "asset_base", allow_path=False)
    check_choice(kind, "kind", ("wallet", "pay"))
    check_choice(theme, "theme", ("light", "dark", "auto"))
    check_choice(layout, "layout", ("horizontal", "vertical"))
    check_choice(source, "source", ("linkkit", "samsung"))
    loc = resolve_locale(locale)
    alt = _label(kind, loc, label)
    light: Theme = "dark" if theme == "dark" else "light"
    if source == "samsung":
        if size is None:
            raise ValidationError(FieldError("size", "is required with source='samsung' (Samsung publishes no sizes)"))
        src = samsung_image_url(kind, loc, light, layout)
        dark_src = samsung_image_url(kind, loc, "dark", layout)
    else:
        two = button_image(kind, loc, light, layout, format="png", scale=2)
        src = _url(base, two)
        dark_src = _url(base, button_image(kind, loc, "dark", layout, format="png", scale=2))
        size = size or (two.css_width, two.css_height)
    width, height = _check_size(size)
    colours = theme_colours(light)
    # alt text is styled so that it still reads as a button when images are blocked; the radius
    # clips that background to the artwork's rounded corners, which are transparent in the PNG
    # (without it, the background shows as square dark corners behind the image)
    corners = f"border-radius:{_EMAIL_CORNER_RADIUS[layout]}px;" if source == "linkkit" else ""
    img_style = (
        f"display:block;width:{width}px;height:{height}px;max-width:100%;border:0;outline:none;"
        f"text-decoration:none;color:{colours.label};background-color:{colours.background};{corners}"
        "font-family:Arial,Helvetica,sans-serif;font-size:14px;font-weight:bold;line-height:"
        f"{height}px;text-align:center"
    )
    img = (
        "<img"
        + attrs([("src", src), ("width", width), ("height", height), ("alt", alt), ("border", 0), ("style", img_style)])
        + ">"
    )
    if theme == "auto":
        source_tag = "<source" + attrs([("media", "(prefers-color-scheme: dark)"), ("srcset", dark_src)]) + ">"
        img = f"<picture>{source_tag}{img}</picture>"
    a = "<a" + attrs(
        [
            ("href", href),
            ("target", "_blank"),
            ("rel", "noopener noreferrer"),
            ("style", "display:inline-block;text-decoration:none;border:0"),
        ]
    )
    table = "<table" + attrs(
        [
            ("role", "presentation"),
            ("border", 0),
            ("cellpadding", 0),
            ("cellspacing", 0),
            ("dir", loc.direction),
            ("lang", loc.tag),
            ("style", "border-collapse:collapse;mso-table-lspace:0pt;mso-table-rspace:0pt"),
        ]
    )
    td = "<td" + attrs([("align", "center"), ("style", "padding:0")])
    return Markup(f"{table}><tr>{td}>{a}>{img}</a></td></tr></table>")  # noqa: S704 - attrs() escapes


def _check_size(size: object) -> tuple[int, int]:
    if (
        not isinstance(size, tuple)
        or len(size) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 2000 for v in size)
    ):
        raise ValidationError(FieldError("size", "must be (width, height) in pixels, each 1..2000"))
    return size[0], size[1]


def _check_id(value: str) -> str:
    if not isinstance(value, str) or not value or any(c.isspace() for c in value) or len(value) > 100:
        raise ValidationError(FieldError("element_id", "must be 1-100 characters without whitespace"))
    return value
