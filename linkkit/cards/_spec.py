"""One row of the card-type table (see :mod:`linkkit.cards.registry`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from linkkit.cards._attributes import BARCODE_GROUP
from linkkit.cards._kinds import Kind


@dataclass(frozen=True, slots=True)
class CardSpec:
    """One card type: its sub-types, required attributes and every attribute it knows."""

    #: ``card.type``, e.g. ``"loyalty"``.
    type: str
    #: Allowed ``card.subType`` values.
    sub_types: tuple[str, ...]
    #: Attributes required in ``data[].attributes`` (never in ``localization[].attributes``).
    required: tuple[str, ...]
    #: Every known attribute (required ones included) and its kind.
    attributes: Mapping[str, Kind]
    #: Extra required attributes for a given sub-type ("Required if subType is airlines").
    required_by_sub_type: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: ``(prefix, keys)``: when any attribute starts with ``prefix``, ``keys`` are required.
    groups: tuple[tuple[str, tuple[str, ...]], ...] = (BARCODE_GROUP,)
    #: ``True`` when the whole Samsung table was captured, ``False`` when only its beginning was.
    complete: bool = False
    #: Where the rules come from.
    source: str = ""
    # Plain dicts and sets for the validator's hot loop (a mappingproxy lookup costs twice as much).
    _lookup: dict[str, Kind] = field(init=False, repr=False, compare=False)
    _group_keys: tuple[frozenset[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        missing = [name for name in self.required if name not in self.attributes]
        for names in self.required_by_sub_type.values():
            missing += [name for name in names if name not in self.attributes]
        if missing:
            raise ValueError(f"{self.type}: required attributes without a kind: {missing}")
        lookup = dict(self.attributes)
        object.__setattr__(self, "_lookup", lookup)
        object.__setattr__(self, "attributes", MappingProxyType(lookup))
        group_keys = tuple(frozenset(k for k in lookup if k.startswith(prefix)) for prefix, _ in self.groups)
        object.__setattr__(self, "_group_keys", group_keys)
        object.__setattr__(self, "required_by_sub_type", MappingProxyType(dict(self.required_by_sub_type)))

    def lookup(self) -> dict[str, Kind]:
        """The attribute table as a plain dict, for hot loops; never mutate it."""
        return self._lookup

    def group_keys(self) -> tuple[frozenset[str], ...]:
        """For each of :attr:`groups`, the known attributes that start with its prefix."""
        return self._group_keys

    @property
    def default_sub_type(self) -> str | None:
        """The type's only sub-type (builders fill it when it is omitted), or ``None`` when it has several."""
        return self.sub_types[0] if len(self.sub_types) == 1 else None

    def required_for(self, sub_type: object) -> tuple[str, ...]:
        """Required attributes for ``sub_type`` (the type's own plus the sub-type's)."""
        extra = self.required_by_sub_type.get(sub_type) if isinstance(sub_type, str) else None
        return self.required + extra if extra else self.required
