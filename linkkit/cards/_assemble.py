"""The structure every builder fills: one ``data`` entry, converted attributes, a validated card.

Shared by the public builders in :mod:`linkkit.cards.builders`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

from linkkit.cards._json_kinds import JsonString
from linkkit.cards._kinds import REF_ID_MAX, YesNo
from linkkit.cards.barcode import Barcode
from linkkit.cards.registry import CardSpec
from linkkit.cards.validate import validate_card
from linkkit.errors import FieldError, ValidationError

#: A clock returning epoch seconds (``time.time`` by default); injectable for tests.
Clock: TypeAlias = Callable[[], float]
#: A card as plain JSON-ready data.
CardDict: TypeAlias = dict[str, Any]
#: ``{"ko": {"title": "..."}}``: localized attributes by language.
Localization: TypeAlias = Mapping[str, Mapping[str, object]]


def _camel(name: str) -> str:
    if "_" not in name or "." in name:
        return name
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _convert(spec: CardSpec, given: Mapping[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for raw_name, value in given.items():
        if value is None:
            continue
        name = _camel(raw_name)
        kind = spec.attributes.get(name)
        if isinstance(kind, YesNo) and isinstance(value, bool):
            value = "Y" if value else "N"
        elif isinstance(kind, JsonString) and isinstance(value, (dict, list)):
            value = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        out[name] = value
    return out


def stamps_of(created_at: int | None, updated_at: int | None, clock: Clock) -> tuple[int, int]:
    if created_at is None:
        created_at = int(clock() * 1000)  # Samsung's card JSON: timestamps are epoch milliseconds
    return created_at, created_at if updated_at is None else updated_at


def build(
    spec: CardSpec,
    sub_type: str | None,
    attributes: Mapping[str, object],
    *,
    stamps: tuple[int, int],
    ref_id: str,
    language: str,
    barcode: Barcode | None,
    localization: Localization | None,
    account: Mapping[str, str] | None,
    extra: Mapping[str, object],
) -> CardDict:
    if barcode is not None and not isinstance(barcode, Barcode):
        raise TypeError(f"barcode must be a Barcode or None, not {type(barcode).__name__}")
    attrs = _convert(spec, attributes)
    if barcode is not None:
        attrs.update(barcode.attributes())
    attrs.update(_convert(spec, extra))
    entry: dict[str, Any] = {
        "refId": ref_id,
        "createdAt": stamps[0],
        "updatedAt": stamps[1],
        "language": language,
        "attributes": attrs,
    }
    if localization:
        entry["localization"] = [
            {"language": lang, "attributes": _convert(spec, localized)} for lang, localized in localization.items()
        ]
    sub_type = sub_type or spec.default_sub_type
    if sub_type is None:
        allowed = ", ".join(f'"{s}"' for s in spec.sub_types)
        raise ValidationError(FieldError("card.subType", f'required: one of {allowed} for type "{spec.type}"'))
    card: CardDict = {"card": {"type": spec.type, "subType": sub_type, "data": [entry]}}
    if account is not None:
        card["account"] = dict(account)
    validate_card(card, strict=True, ref_id_max=REF_ID_MAX)
    return card
