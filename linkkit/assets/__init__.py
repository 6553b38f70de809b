"""Buttons and QR codes for web pages, emails and print (the Add to Wallet and Save to Pay buttons)."""

from linkkit.assets.artwork import ButtonImage, button_image
from linkkit.assets.buttons import email_button, web_button
from linkkit.assets.locales import LOCALES, Locale, fallback_chain, resolve_locale
from linkkit.assets.qr import QRCode, ScanReport, make_qr
from linkkit.assets.samsung import samsung_image_url, samsung_wallet_tag

__all__ = [
    "LOCALES",
    "ButtonImage",
    "Locale",
    "QRCode",
    "ScanReport",
    "button_image",
    "email_button",
    "fallback_chain",
    "make_qr",
    "resolve_locale",
    "samsung_image_url",
    "samsung_wallet_tag",
    "web_button",
]
