"""Barcode symbologies: Apple ``PKBarcodeFormat*`` and Google ``BarcodeType`` to Samsung's barcode fields.

Samsung describes a code by ``barcode.serialType`` (QRCODE, BARCODE, SERIALNUMBER ...), a presentation
``barcode.ptFormat`` (with or without the text under the code: ``QRCODESERIAL`` / ``QRCODE``) and the ZXing
symbology in ``barcode.ptSubFormat``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Symbology:
    serial_type: str
    sub_format: str | None

    def pt_format(self, *, with_text: bool) -> str:
        """Presentation: the code alone, or the code with ``barcode.value`` printed under it."""
        if self.serial_type == "SERIALNUMBER":
            return "SERIAL"
        base = "QRCODE" if self.serial_type == "QRCODE" else "BARCODE"
        return base + "SERIAL" if with_text else base


_QR: Final = Symbology("QRCODE", "QR_CODE")
_TEXT: Final = Symbology("SERIALNUMBER", None)

#: Apple pass.json ``barcodes[].format`` (Wallet Passes "Pass.Barcodes").
APPLE: Final = {
    "PKBarcodeFormatQR": _QR,
    "PKBarcodeFormatPDF417": Symbology("BARCODE", "PDF_417"),
    "PKBarcodeFormatAztec": Symbology("BARCODE", "AZTEC"),
    "PKBarcodeFormatCode128": Symbology("BARCODE", "CODE_128"),
}

_GOOGLE_CANONICAL: Final = {
    "QR_CODE": _QR,
    "AZTEC": Symbology("BARCODE", "AZTEC"),
    "CODE_39": Symbology("BARCODE", "CODE_39"),
    "CODE_128": Symbology("BARCODE", "CODE_128"),
    "CODABAR": Symbology("BARCODE", "CODABAR"),
    "DATA_MATRIX": Symbology("BARCODE", "DATA_MATRIX"),
    "EAN_8": Symbology("BARCODE", "EAN_8"),
    "EAN_13": Symbology("BARCODE", "EAN_13"),
    "ITF_14": Symbology("BARCODE", "ITF"),
    "PDF_417": Symbology("BARCODE", "PDF_417"),
    "UPC_A": Symbology("BARCODE", "UPC_A"),
    "TEXT_ONLY": _TEXT,
}
# Google's legacy camelCase aliases ("Legacy alias for `QR_CODE`. Deprecated.") read the same.
_GOOGLE_ALIASES: Final = {
    "qrCode": "QR_CODE", "qrcode": "QR_CODE", "aztec": "AZTEC", "code39": "CODE_39", "code128": "CODE_128",
    "codabar": "CODABAR", "dataMatrix": "DATA_MATRIX", "ean8": "EAN_8", "ean13": "EAN_13", "EAN13": "EAN_13",
    "itf14": "ITF_14", "pdf417": "PDF_417", "PDF417": "PDF_417", "upcA": "UPC_A", "textOnly": "TEXT_ONLY",
}  # fmt: skip


def google(kind: str | None) -> Symbology | None:
    """The symbology of a Google ``barcode.type`` (``None`` when it is unset or unknown)."""
    if kind is None:
        return None
    return _GOOGLE_CANONICAL.get(_GOOGLE_ALIASES.get(kind, kind))


#: ``serialType`` for a card number without a barcode: the number shown as text.
TEXT_ONLY: Final = _TEXT
