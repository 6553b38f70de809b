"""Samsung's own button assets: the CDN images and the ``<samsung:wallet>`` tag of wallet-card.js.

Facts from Samsung's public pages https://developer.samsung.com/wallet/api/implement-the-button.html and
https://developer.samsung.com/wallet/api/image-resources.html (Samsung's "Implement the button" and
"Image resources" pages). Samsung does not publish the pixel sizes of its images nor its full
locale list, so callers of the email snippet pass the size they display.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from markupsafe import Markup

from linkkit.assets._html import attrs, check_url
from linkkit.assets.artwork import Layout, Theme, check_choice
from linkkit.assets.locales import ButtonKind, Locale
from linkkit.errors import AssetError, FieldError, ValidationError

#: CDN base of Samsung's button images and script (US; a KR mirror exists).
SAMSUNG_CDN: Final = "https://us-cdn-gpp.mcsvc.samsung.com/lib"
#: The script that turns ``<samsung:wallet>`` tags into buttons.
SAMSUNG_WALLET_SCRIPT: Final = SAMSUNG_CDN + "/wallet-card.js"

MediaTheme = Literal["default", "inversion", "lightonly", "darkonly"]
ButtonType = Literal["btnSW", "btnATSW"]

_ID: Final = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: A compact JWS/JWE token (base64url segments and dots): what cdata may hold.
_TOKEN: Final = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}")
#: A refId: URL-safe, at most String(32) (Samsung's card JSON, ``data[].refId``).
_REF_ID: Final = re.compile(r"[A-Za-z0-9_-]{1,32}")


def samsung_image_url(kind: ButtonKind, locale: Locale, theme: Theme, layout: Layout) -> str:
    """Samsung's localized "Add to Samsung Wallet" (btnATSW) image on its CDN.

    File names follow Samsung's image resources page: ``add-to-samsung-wallet[_dark][_ver]_{locale}.png``; the locale is
    the lower-cased tag (``en-us``), Samsung's default form.

    :raises AssetError: for ``kind="pay"``: Samsung publishes no CDN image for Save to Samsung Pay.
    """
    check_choice(theme, "theme", ("light", "dark"))
    check_choice(layout, "layout", ("horizontal", "vertical"))
    if kind != "wallet":
        raise AssetError(
            "source='samsung' has images for kind='wallet' only; Samsung publishes no CDN image for "
            "'Save to Samsung Pay' (use the shipped art, source='linkkit')"
        )
    dark = "_dark" if theme == "dark" else ""
    ver = "_ver" if layout == "vertical" else ""
    return f"{SAMSUNG_CDN}/add-to-samsung-wallet{dark}{ver}_{locale.tag.lower()}.png"


def samsung_wallet_tag(
    *,
    card_id: str,
    partner_code: str,
    button_id: str,
    rd_click_url: str,
    rd_impression_url: str,
    ref_id: str | None = None,
    cdata: str | None = None,
    locale: Locale | None = None,
    button_type: ButtonType = "btnSW",
    media_theme: MediaTheme = "default",
    inline: bool = True,
    show_forced: bool = False,
) -> Markup:
    """The ``<samsung:wallet>`` tag that Samsung's wallet-card.js renders (attributes as on the
    "Implement the button" page).

    Give exactly one of ``ref_id`` (Data Fetch, ``pdata``; right for pages served to many) or
    ``cdata`` (a Data Transmit token; it dies 30 s after minting, so render it per request).
    Samsung requires the click and impression tracking URLs. Load the script yourself with
    ``<script src="{SAMSUNG_WALLET_SCRIPT}">``; this helper emits no script.

    :raises ValidationError: naming the bad argument.
    """
    for name, value in (("card_id", card_id), ("partner_code", partner_code), ("button_id", button_id)):
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise ValidationError(FieldError(name, "must be 1-64 characters of A-Z a-z 0-9 . _ -"))
    if (ref_id is None) == (cdata is None):
        raise ValueError("give exactly one of ref_id (Data Fetch) or cdata (Data Transmit)")
    if ref_id is not None and not (isinstance(ref_id, str) and _REF_ID.fullmatch(ref_id)):
        raise ValidationError(FieldError("ref_id", "must be 1-32 URL-safe characters"))
    if cdata is not None and not (isinstance(cdata, str) and _TOKEN.fullmatch(cdata)):
        raise ValidationError(FieldError("cdata", "must be a compact JWS/JWE token"))
    check_choice(button_type, "button_type", ("btnSW", "btnATSW"))
    check_choice(media_theme, "media_theme", ("default", "inversion", "lightonly", "darkonly"))
    pairs: list[tuple[str, str | int | None]] = [
        ("type", "atw"),
        ("cardid", card_id),
        ("cdata", cdata),
        ("pdata", ref_id),
        ("partnercode", partner_code),
        ("buttonid", button_id),
        ("buttontype", button_type),
        ("inline", "true" if inline else "false"),
        ("locale", locale.tag if locale else None),
        ("mediatheme", media_theme),
        ("rdclickurl", check_url(rd_click_url, "rd_click_url")),
        ("rdimpressionurl", check_url(rd_impression_url, "rd_impression_url")),
        ("showforced", "true" if show_forced else None),
    ]
    return Markup(f"<samsung:wallet{attrs(pairs)}></samsung:wallet>")  # noqa: S704 - attrs() escapes
