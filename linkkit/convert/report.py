"""What a conversion made, and everything it could not carry over.

A :class:`ConversionReport` names fields by their path in the source (``boardingPass.auxiliaryFields[1].value``,
``object.barcode.value``, ``class.issuerName``) and attributes by their Samsung key (``seatNumber``). It never
holds a value: passes carry names, seat numbers and barcodes, and a report is meant to be printed, logged and
attached to tickets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from linkkit.cards import CardDict


@dataclass(frozen=True, slots=True)
class Mapped:
    """A source field that went into a Samsung attribute."""

    source: str
    target: str


@dataclass(frozen=True, slots=True)
class Defaulted:
    """A Samsung attribute that the source does not have, filled by linkkit or by you (``reason`` says which)."""

    target: str
    reason: str


@dataclass(frozen=True, slots=True)
class Truncated:
    """Text longer than the attribute's ``String(N)``: cut to ``limit`` characters, the last one an ellipsis."""

    source: str
    target: str
    length: int
    limit: int


@dataclass(frozen=True, slots=True)
class Dropped:
    """A source field with no Samsung counterpart (or none left for it), and why."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class HostedImage:
    """An image of the pass that the card points to: upload ``data`` so that ``url`` serves it."""

    name: str
    url: str
    data: bytes = field(repr=False)
    #: The attributes that use it (``logoImage``, ``logoImage.darkUrl`` ...), localized ones as ``fr:logoImage``.
    targets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ConversionReport:
    """Everything :func:`~linkkit.convert.convert_pass` decided, by source path and Samsung attribute."""

    #: ``"apple"`` or ``"google"``.
    source_format: str
    #: The source's own type: ``boardingPass``, ``storeCard`` ... or ``flight``, ``eventTicket`` ...
    source_type: str
    card_type: str
    sub_type: str
    mapped: tuple[Mapped, ...] = ()
    defaulted: tuple[Defaulted, ...] = ()
    truncated: tuple[Truncated, ...] = ()
    dropped: tuple[Dropped, ...] = ()
    #: Languages of ``card.data[0].localization``.
    localized: tuple[str, ...] = ()
    #: Findings that changed nothing in the card (a manifest that does not match, a second barcode ...).
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (the ``report`` member of ``linkkit convert --json``)."""
        return {
            "source": {"format": self.source_format, "type": self.source_type},
            "card": {"type": self.card_type, "subType": self.sub_type},
            "mapped": [{"from": m.source, "to": m.target} for m in self.mapped],
            "defaulted": [{"to": d.target, "reason": d.reason} for d in self.defaulted],
            "truncated": [
                {"from": t.source, "to": t.target, "length": t.length, "limit": t.limit} for t in self.truncated
            ],
            "dropped": [{"field": d.source, "reason": d.reason} for d in self.dropped],
            "localized": list(self.localized),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True, slots=True)
class Conversion:
    """A converted pass: the Samsung card, the report, and the images to host."""

    #: The card JSON, validated (``validate_card``) with refIds within String(32).
    card: CardDict
    report: ConversionReport
    #: Images the card points to; upload each ``data`` to its ``url`` before the link is used.
    images: tuple[HostedImage, ...] = ()
    #: The pass's own id (Apple ``serialNumber``, Google object ``id``): keep it with the refId to update later.
    source_id: str | None = None

    @property
    def ref_id(self) -> str:
        """``card.data[0].refId``."""
        return str(self.card["card"]["data"][0]["refId"])
