"""The barcode of a card, as the flat ``barcode.*`` attributes Samsung expects (flat dotted keys,
"not a nested object path": https://developer.samsung.com/wallet/addtosamsungwallet/walletcards/overview.html).

::

    >>> sorted(Barcode(value="CS1613835321").attributes().items())  # doctest: +NORMALIZE_WHITESPACE
    [('barcode.ptFormat', 'QRCODESERIAL'), ('barcode.ptSubFormat', 'QR_CODE'),
     ('barcode.serialType', 'QRCODE'), ('barcode.value', 'CS1613835321')]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from linkkit.cards._attributes import BARCODE
from linkkit.cards.rules import RULES, Tier

#: Presentation format used when none is given: the code with its serial number printed under it,
#: as in Samsung's samples (QRCODE → QRCODESERIAL, BARCODE → BARCODESERIAL).
DEFAULT_PT_FORMAT: Final = {"QRCODE": "QRCODESERIAL", "BARCODE": "BARCODESERIAL", "SERIALNUMBER": "SERIAL"}
#: Symbology used when none is given (ZXing names, barcode presentation page).
DEFAULT_PT_SUB_FORMAT: Final = {"QRCODE": "QR_CODE", "BARCODE": "CODE_128"}

_FIELDS: Final = (
    ("value", "barcode.value"),
    ("serial_type", "barcode.serialType"),
    ("pt_format", "barcode.ptFormat"),
    ("pt_sub_format", "barcode.ptSubFormat"),
    ("error_correction_level", "barcode.errorCorrectionLevel"),
    ("pin", "barcode.pin"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Barcode:
    """A barcode, QR code or serial number shown on the card.

    :param value: the data the scanner reads (``barcode.value``, String(4096)).
    :param serial_type: ``QRCODE``, ``BARCODE``, ``SERIALNUMBER`` ... (``barcode.serialType``).
    :param pt_format: presentation format; derived from ``serial_type`` when ``None``.
    :param pt_sub_format: symbology such as ``QR_CODE`` or ``CODE_128``; derived when ``None``.
    :param error_correction_level: ``L``, ``M``, ``Q`` or ``H`` for QR codes, or ``None``.
    :param pin: the PIN shown with the ``BARCODEPIN`` format, or ``None``.
    :raises ValueError: when a field breaks its rule (these are fixed by the programmer, not data).
    """

    value: str
    serial_type: str = "QRCODE"
    pt_format: str | None = None
    pt_sub_format: str | None = None
    error_correction_level: str | None = None
    pin: str | None = None

    def __post_init__(self) -> None:
        if self.pt_format is None:
            object.__setattr__(self, "pt_format", DEFAULT_PT_FORMAT.get(self.serial_type))
        if self.pt_sub_format is None:
            object.__setattr__(self, "pt_sub_format", DEFAULT_PT_SUB_FORMAT.get(self.serial_type))
        for name, key in _FIELDS:
            value = getattr(self, name)
            if value is None and name not in ("value", "serial_type", "pt_format"):
                continue
            if value is None:
                raise ValueError(f"Barcode.{name}: is required for this serial_type")
            problem = BARCODE[key].judge(value)
            if problem is not None and RULES[problem[0]].tier is Tier.ERROR:
                raise ValueError(f"Barcode.{name}: {problem[1]}")

    def attributes(self) -> dict[str, str]:
        """The flat ``barcode.*`` attributes, ready to merge into ``data[].attributes``."""
        out: dict[str, str] = {}
        for name, key in _FIELDS:
            value = getattr(self, name)
            if value is not None:
                out[key] = value
        return out
