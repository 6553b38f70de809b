"""The web and email button snippets of one campaign link (built by :mod:`linkkit.assets.buttons`)."""

from __future__ import annotations

from linkkit.assets.buttons import email_button, web_button


def button_snippets(link: str, *, locale: str, asset_base_url: str) -> dict[str, str]:
    """``{"web_html": ..., "email_html": ...}`` for ``link``: escaped, script-free markup.

    Both use absolute image URLs under ``asset_base_url``: the snippets are pasted into pages and
    mail templates that are not served by the partner's site.
    """
    return {
        "web_html": str(web_button(link, kind="wallet", locale=locale, asset_base=asset_base_url)),
        "email_html": str(email_button(link, kind="wallet", locale=locale, asset_base=asset_base_url)),
    }
