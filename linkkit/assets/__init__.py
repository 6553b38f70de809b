"""Buttons and QR codes for web pages, emails and print (SPEC.md §1, system S1)."""

from linkkit.assets.qr import QRCode, ScanReport, make_qr

__all__ = ["QRCode", "ScanReport", "make_qr"]
