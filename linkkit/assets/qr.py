"""QR codes for links: SVG (one path), PNG (1-bit), data URIs, and a scannability report for print.

::

    >>> qr = make_qr("https://a.swallet.link/atw/v3/3ab4/card-1#Clip?pdata=ref-1")
    >>> qr.version, qr.level
    (4, 'M')
    >>> svg = qr.svg()                     # '<svg ...><rect .../><path .../></svg>'
    >>> png = qr.png(scale=10)             # bytes of a 1-bit PNG
    >>> print(qr.scannability(size_cm=3))  # doctest: +ELLIPSIS
    QR version 4 (33x33 modules + 4-module quiet zone) at 3 cm: module 0.73 mm; ...: good (scans up to ~37 cm)

Text that is not ASCII gets a UTF-8 ECI header by default, so that every reader decodes it as
UTF-8 instead of guessing a charset::

    >>> make_qr("Größe 42").eci, make_qr("https://example.com/").eci
    (True, False)

A link that does not fit, or that needs a denser symbol than ``max_version``, is refused with
:class:`~linkkit.errors.QRCapacityError`: print and email need a Data Fetch link or a click-time
short link (docs/qr.md), never a Data Transmit link whose token dies in 30 seconds. A bad option
raises :class:`~linkkit.errors.AssetOptionError` (a ``ValueError``) naming it.
"""

from __future__ import annotations

import base64
import math
import re
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from markupsafe import Markup, escape

from linkkit.assets._qr_encoder import QRMatrix, byte_capacity, encode, smallest_version
from linkkit.assets._qr_writers import check_colour, png_bytes, svg_document
from linkkit.errors import AssetOptionError, QRCapacityError
from linkkit.qr_capacity import QR_COMFORTABLE_MAX_VERSION, ErrorLevel

#: Quiet zone around the symbol in modules; ISO/IEC 18004:2015 §9.1 requires at least 4.
DEFAULT_QUIET_ZONE: Final = 4

#: Smallest module (X-dimension) we call "good" for a phone camera at :data:`REFERENCE_DISTANCE_CM`.
#: Source: GS1 General Specifications §5.12.3.1 sets 0.396 mm as the minimum X-dimension of QR
#: codes scanned at retail point of sale, i.e. by hand-held imagers at roughly arm's length down
#: to ~20 cm; we round it to 0.4 mm. The required size grows linearly with distance (a camera
#: resolves a fixed angle), which is the "scan distance is about 10x the code width" rule of
#: thumb printers use.
GOOD_MODULE_MM: Final = 0.4
#: Below this a phone may still scan at close range, but not reliably: our "marginal" band.
MARGINAL_MODULE_MM: Final = 0.3
#: The scanning distance the thresholds above are stated for.
REFERENCE_DISTANCE_CM: Final = 20.0

_ADVICE: Final = "use a Data Fetch link (#Clip?pdata=refId) or a click-time short link instead"
_LEVELS: Final = ("L", "M", "Q", "H")

_CSS_LENGTH: Final = re.compile(r"\d+(\.\d+)?(px|mm|cm|in|pt|em|rem|%)?")

Verdict = Literal["good", "marginal", "too small"]


@dataclass(frozen=True, kw_only=True)
class ScanReport:
    """How well a printed QR code will scan. ``str(report)`` is a one-line human summary."""

    #: QR version (1..40) and modules per side, without the quiet zone.
    version: int
    modules: int
    #: Quiet zone in modules on each side.
    quiet_zone: int
    level: ErrorLevel
    #: Printed width of the whole image, quiet zone included.
    size_cm: float
    #: Width of one module on paper.
    module_mm: float
    #: The distance the verdict is for, and the module size needed there.
    distance_cm: float
    min_module_mm: float
    verdict: Verdict
    #: The farthest distance at which ``module_mm`` still meets the "good" threshold.
    max_distance_cm: float
    #: Extra warnings (dense symbol, thin quiet zone, short-lived token in the link).
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (the CLI's ``--json`` output)."""
        return {
            "version": self.version,
            "modules": self.modules,
            "quiet_zone": self.quiet_zone,
            "level": self.level,
            "size_cm": self.size_cm,
            "module_mm": round(self.module_mm, 3),
            "distance_cm": self.distance_cm,
            "min_module_mm": round(self.min_module_mm, 3),
            "verdict": self.verdict,
            "max_distance_cm": round(self.max_distance_cm, 1),
            "notes": list(self.notes),
        }

    def __str__(self) -> str:
        line = (
            f"QR version {self.version} ({self.modules}x{self.modules} modules + {self.quiet_zone}-module "
            f"quiet zone) at {self.size_cm:g} cm: module {self.module_mm:.2f} mm; at {self.distance_cm:g} cm "
            f"a phone needs >= {self.min_module_mm:.2f} mm: {self.verdict} "
            f"(scans up to ~{self.max_distance_cm:.0f} cm)"
        )
        return "; ".join((line, *self.notes))


@dataclass(frozen=True, eq=False)
class QRCode:
    """An encoded QR code of ``data``; render it with :meth:`svg`, :meth:`png` or a data URI."""

    data: bytes
    matrix: QRMatrix = field(repr=False)

    @property
    def version(self) -> int:
        return self.matrix.version

    @property
    def level(self) -> ErrorLevel:
        return self.matrix.level

    @property
    def mask(self) -> int:
        return self.matrix.mask

    @property
    def eci(self) -> bool:
        """Whether the symbol declares its bytes UTF-8 (an ECI 26 header before the data)."""
        return self.matrix.eci

    @property
    def modules(self) -> int:
        """Modules per side, without the quiet zone."""
        return self.matrix.size

    def svg(
        self,
        *,
        border: int = DEFAULT_QUIET_ZONE,
        dark: str = "#000",
        light: str | None = "#fff",
        size: str | None = None,
        title: str | None = None,
    ) -> str:
        """A compact SVG document: one background ``<rect>`` and one ``<path>``, no per-module shapes.

        :param border: quiet zone in modules.
        :param dark: colour of dark modules (``#rgb``/``#rrggbb``).
        :param light: background colour, or None for transparent (only on light surfaces!).
        :param size: CSS length for ``width``/``height`` (``"3cm"``, ``"200"``); None scales to its box.
        :param title: accessible name (``role="img"``, ``<title>``); escaped here.
        """
        _check_border(border)
        return svg_document(
            self.matrix,
            border=border,
            dark=check_colour(dark, "dark"),
            light=check_colour(light, "light") if light is not None else None,
            size=_check_css_length(size) if size is not None else None,
            title=str(escape(title)) if title else None,
        )

    def svg_markup(self, **options: Any) -> Markup:
        """:meth:`svg` as :class:`markupsafe.Markup`, ready to drop into a Jinja template."""
        return Markup(self.svg(**options))  # noqa: S704 - built from escaped, validated parts

    def png(
        self,
        *,
        border: int = DEFAULT_QUIET_ZONE,
        scale: int = 10,
        dark: str = "#000",
        light: str | None = "#fff",
        dpi: int | None = None,
    ) -> bytes:
        """A 1-bit palette PNG, ``scale`` pixels per module; ``dpi`` records the print resolution."""
        _check_border(border)
        if not _is_int(scale) or not 1 <= scale <= 100:
            raise AssetOptionError(f"scale: must be an integer 1..100 (got {scale!r})")
        if dpi is not None and (not _is_int(dpi) or dpi <= 0):
            raise AssetOptionError(f"dpi: must be a positive integer (got {dpi!r})")
        return png_bytes(
            self.matrix,
            border=border,
            scale=scale,
            dark=check_colour(dark, "dark"),
            light=check_colour(light, "light") if light is not None else None,
            dpi=dpi,
        )

    def svg_data_uri(self, **options: Any) -> str:
        """``data:image/svg+xml;base64,...`` of :meth:`svg`."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg(**options).encode()).decode()

    def png_data_uri(self, **options: Any) -> str:
        """``data:image/png;base64,...`` of :meth:`png`."""
        return "data:image/png;base64," + base64.b64encode(self.png(**options)).decode()

    def scannability(
        self,
        size_cm: float,
        *,
        border: int = DEFAULT_QUIET_ZONE,
        distance_cm: float = REFERENCE_DISTANCE_CM,
    ) -> ScanReport:
        """Judge a print of ``size_cm`` (whole image, quiet zone included) scanned from ``distance_cm``."""
        _check_border(border)
        for name, value in (("size_cm", size_cm), ("distance_cm", distance_cm)):
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
                raise AssetOptionError(f"{name}: must be a positive number (got {value!r})")
        module_mm = size_cm * 10 / (self.modules + 2 * border)
        need = GOOD_MODULE_MM * distance_cm / REFERENCE_DISTANCE_CM
        marginal = MARGINAL_MODULE_MM * distance_cm / REFERENCE_DISTANCE_CM
        verdict: Verdict = "good" if module_mm >= need else "marginal" if module_mm >= marginal else "too small"
        notes = []
        if self.version > QR_COMFORTABLE_MAX_VERSION:
            notes.append(f"version {self.version} is dense for print; {_ADVICE}")
        if border < DEFAULT_QUIET_ZONE:
            notes.append(f"quiet zone of {border} modules is below the 4 that ISO/IEC 18004 §9.1 requires")
        if b"#Clip?cdata=" in self.data:
            notes.append("this Data Transmit link expires 30 s after minting: never print it")
        return ScanReport(
            version=self.version,
            modules=self.modules,
            quiet_zone=border,
            level=self.level,
            size_cm=float(size_cm),
            module_mm=module_mm,
            distance_cm=float(distance_cm),
            min_module_mm=need,
            verdict=verdict,
            max_distance_cm=module_mm / GOOD_MODULE_MM * REFERENCE_DISTANCE_CM,
            notes=tuple(notes),
        )


def make_qr(
    data: str | bytes,
    *,
    level: ErrorLevel = "M",
    version: int | None = None,
    mask: int | None = None,
    max_version: int = 40,
    eci: bool | None = None,
) -> QRCode:
    """Encode ``data`` (a link or any text; str is UTF-8 encoded) as a QR code in byte mode.

    :param level: error correction, ``"L"`` 7%, ``"M"`` 15% (default), ``"Q"`` 25%, ``"H"`` 30%.
    :param version: force a version (1..40); None picks the smallest that fits.
    :param mask: force a mask (0..7); None picks the best by ISO/IEC 18004 §7.8.3.
    :param max_version: refuse anything denser, e.g. :data:`~linkkit.qr_capacity.QR_COMFORTABLE_MAX_VERSION`.
    :param eci: declare the bytes UTF-8 with an ECI header (12 bits). None (the default) declares it
        exactly when ``data`` is a str that is not ASCII: without it readers guess the charset, and
        zbar, for one, reads short UTF-8 text as Shift-JIS. ASCII links stay as compact as before.
        True with ``bytes`` requires them to be UTF-8.
    :raises QRCapacityError: the data does not fit (or not within ``max_version``).
    :raises AssetOptionError: an option out of range (a ``ValueError``); the message names it.
    """
    if isinstance(data, str):
        payload = data.encode("utf-8")
        utf8 = not data.isascii()
    elif isinstance(data, bytes):
        payload = data
        utf8 = False
    else:
        raise AssetOptionError(f"data: must be str or bytes (got {type(data).__name__})")
    if level not in _LEVELS:
        raise AssetOptionError(f"level: must be one of L, M, Q, H (got {level!r})")
    if not _is_int(max_version) or not 1 <= max_version <= 40:
        raise AssetOptionError(f"max_version: must be an integer 1..40 (got {max_version!r})")
    if version is not None and (not _is_int(version) or not 1 <= version <= 40):
        raise AssetOptionError(f"version: must be an integer 1..40 or None (got {version!r})")
    if mask is not None and (not _is_int(mask) or not 0 <= mask <= 7):
        raise AssetOptionError(f"mask: must be an integer 0..7 or None (got {mask!r})")
    if eci is None:
        eci = utf8
    elif not isinstance(eci, bool):
        raise AssetOptionError(f"eci: must be True, False or None (got {eci!r})")
    elif eci and isinstance(data, bytes):
        try:
            payload.decode("utf-8")
        except UnicodeDecodeError:
            raise AssetOptionError("eci: True declares the data UTF-8, but these bytes are not UTF-8") from None
    needed = smallest_version(len(payload), level, eci=eci)
    if needed is None:
        limit = byte_capacity(40, level, eci=eci)
        raise QRCapacityError(
            f"data: {len(payload)} bytes do not fit a QR code (at most {limit} bytes at level {level}); {_ADVICE}"
        )
    if needed > max_version:
        raise QRCapacityError(
            f"data: {len(payload)} bytes need QR version {needed} at level {level}, above max_version "
            f"{max_version}; {_ADVICE}"
        )
    if version is not None and version < needed:
        raise QRCapacityError(
            f"data: {len(payload)} bytes need QR version {needed} or more at level {level} (got version {version})"
        )
    return QRCode(payload, encode(payload, level, version=version, mask=mask, eci=eci))


def _is_int(value: object) -> bool:
    # bool is an int subclass; True is not a version, a scale or a mask
    return isinstance(value, int) and not isinstance(value, bool)


def _check_border(border: int) -> None:
    if not _is_int(border) or not 0 <= border <= 100:
        raise AssetOptionError(f"border: must be an integer 0..100 modules (got {border!r})")


def _check_css_length(size: str) -> str:
    if not isinstance(size, str) or not _CSS_LENGTH.fullmatch(size):
        raise AssetOptionError(f"size: must be a CSS length such as '3cm' or '240' (got {size!r})")
    return size
