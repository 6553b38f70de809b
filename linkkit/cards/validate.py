"""Validate Samsung Wallet card JSON against the card-type table (SPEC.md §2, seed 003).

::

    {"card": {"type", "subType", "data": [{"refId", "createdAt", "updatedAt", "language",
              "attributes": {...}, "localization": [{"language", "attributes"}]}]},
     "account"?: {"type", "value"}}

Every broken rule becomes a :class:`~linkkit.errors.FieldError` whose path names the member
(``card.data[0].attributes.title``); all of them are collected, in document order: the members of
each object in the order they appear, then the required members it lacks. Nothing is echoed back
from the values (they may be refIds, barcodes or personal data).

:func:`check_card` never raises; :func:`validate_card` raises :class:`~linkkit.errors.ValidationError`
and otherwise returns a :class:`ValidationReport` with the warnings of lenient mode.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from linkkit.cards._kinds import (
    REF_ID_MAX,
    REF_ID_MAX_INCOMING,
    EpochMillis,
    JsonString,
    Language,
    RefId,
    Soft,
    Str,
    join_path,
    type_name,
)
from linkkit.cards.registry import ACCOUNT_TYPES, CARD_TYPES, MAX_DATA_ENTRIES, CardSpec
from linkkit.cards.states import state_reason
from linkkit.errors import FieldError, ValidationError

# seed 003 "Adding Wallet Cards": data[].refId, createdAt, updatedAt, language, attributes are
# Required (its example omits updatedAt; the table wins). data[].state appears in the Get Card Data
# response of seed 004, so it is accepted here too.
_ENTRY_REQUIRED: Final = ("refId", "createdAt", "updatedAt", "language", "attributes")
_ENTRY_ALLOWED: Final = "refId, createdAt, updatedAt, language, state, attributes, localization"
_MS: Final = EpochMillis()
_LANGUAGE: Final = Language()
_ACCOUNT_VALUE: Final = Str(64)  # account.value String(64) (seed 003)
_REF_IDS: Final = {REF_ID_MAX: RefId(REF_ID_MAX), REF_ID_MAX_INCOMING: RefId(REF_ID_MAX_INCOMING)}
_TYPE_REASON: Final = "must be one of " + ", ".join(f'"{t}"' for t in CARD_TYPES)
_ACCOUNT_REASON: Final = "must be one of " + ", ".join(f'"{t}"' for t in ACCOUNT_TYPES)
_LONG_REF_ID: Final = (
    "is longer than 32 characters: seed 003 documents data[].refId as String(32); "
    "only places that allow String(128) (Data Fetch pdata) will take it"
)


def _fold(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


# Unknown attributes get a "did you mean" when they differ only in case, "_" or "-".
_FOLDED: Final[Mapping[str, Mapping[str, str]]] = {
    spec.type: {_fold(name): name for name in spec.attributes} for spec in CARD_TYPES.values()
}


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The result of a successful :func:`validate_card`."""

    #: ``card.type`` of the validated card.
    card_type: str
    #: ``card.subType`` of the validated card.
    sub_type: str
    #: Number of entries in ``card.data``.
    entries: int
    #: Findings that do not make the card invalid: unknown attributes in lenient mode, values outside
    #: an open list, refIds longer than String(32).
    warnings: tuple[FieldError, ...] = ()


class _Run:
    """The findings of one validation run and its options."""

    __slots__ = ("errors", "ref_id", "strict", "warnings")

    def __init__(self, *, strict: bool, ref_id: RefId) -> None:
        self.errors: list[FieldError] = []
        self.warnings: list[FieldError] = []
        self.strict = strict
        self.ref_id = ref_id

    def error(self, path: str, reason: str) -> None:
        self.errors.append(FieldError(path, reason))

    def unknown(self, path: str, key: object, allowed: str) -> None:
        if isinstance(key, str):
            self.errors.append(FieldError(path, f"is not allowed (allowed: {allowed})"))
        else:
            self.errors.append(FieldError(path, f"member names must be strings (got {type_name(key)})"))


def _check_root(obj: object, run: _Run) -> None:
    if not isinstance(obj, dict):
        run.error("", f'must be an object with a "card" member (got {type_name(obj)})')
        return
    for key, value in obj.items():
        if key == "card":
            _check_card(value, run)
        elif key == "account":
            _check_account(value, run)
        else:
            run.unknown(join_path("", key), key, "card, account")
    if "card" not in obj:
        run.error("card", "required")


def _check_card(card: object, run: _Run) -> None:
    if not isinstance(card, dict):
        run.error("card", f"must be an object (got {type_name(card)})")
        return
    card_type = card.get("type")
    spec = CARD_TYPES.get(card_type) if isinstance(card_type, str) else None
    sub_type = card.get("subType")
    for key, value in card.items():
        if key == "type":
            if spec is None:
                run.error("card.type", _TYPE_REASON)
        elif key == "subType":
            if not isinstance(value, str):
                run.error("card.subType", f"must be a string (got {type_name(value)})")
            elif spec is not None and value not in spec.sub_types:
                allowed = ", ".join(f'"{s}"' for s in spec.sub_types)
                run.error("card.subType", f'must be one of {allowed} for type "{spec.type}"')
        elif key == "data":
            _check_data(value, spec, sub_type, run)
        else:
            run.unknown(join_path("card", key), key, "type, subType, data")
    for key in ("type", "subType", "data"):
        if key not in card:
            run.error(f"card.{key}", "required")


def _check_data(data: object, spec: CardSpec | None, sub_type: object, run: _Run) -> None:
    if not isinstance(data, list):
        run.error("card.data", f"must be an array (got {type_name(data)})")
        return
    if not 1 <= len(data) <= MAX_DATA_ENTRIES:
        run.error("card.data", f"must hold 1 to {MAX_DATA_ENTRIES} entries (got {len(data)})")
    seen: set[str] = set()
    for index, entry in enumerate(data):
        _check_entry(entry, f"card.data[{index}]", spec, sub_type, run, seen)


def _check_entry(entry: object, path: str, spec: CardSpec | None, sub_type: object, run: _Run, seen: set[str]) -> None:
    if not isinstance(entry, dict):
        run.error(path, f"must be an object (got {type_name(entry)})")
        return
    created: object = None
    updated: object = None
    for key, value in entry.items():
        reason: str | None
        if key == "refId":
            reason = run.ref_id.check(value)
            if reason is None and isinstance(value, str):
                if len(value) > REF_ID_MAX:
                    run.warnings.append(FieldError(f"{path}.refId", _LONG_REF_ID))
                if value in seen:
                    reason = "must be unique within card.data"
                seen.add(value)
        elif key == "createdAt" or key == "updatedAt":
            reason = _MS.check(value)
            if reason is None:
                if key == "createdAt":
                    created = value
                else:
                    updated = value
        elif key == "language":
            reason = _LANGUAGE.check(value)
        elif key == "state":
            reason = state_reason(value)
        elif key == "attributes":
            _check_attributes(value, f"{path}.attributes", spec, sub_type, run, main=True)
            continue
        elif key == "localization":
            _check_localization(value, f"{path}.localization", spec, sub_type, run)
            continue
        else:
            run.unknown(join_path(path, key), key, _ENTRY_ALLOWED)
            continue
        if reason is not None:
            run.error(f"{path}.{key}", reason)
    for key in _ENTRY_REQUIRED:
        if key not in entry:
            run.error(f"{path}.{key}", "required")
    if isinstance(created, int) and isinstance(updated, int) and updated < created:
        run.error(f"{path}.updatedAt", "must not be earlier than createdAt")


def _nested_reason(key: str, value: dict[object, object]) -> str:
    sub = next((k for k in value if isinstance(k, str) and len(k) <= 32), "darkUrl")
    return f'must not be a nested object: use flat dotted keys such as "{key}.{sub}"'


def _check_attributes(
    attrs: object, prefix: str, spec: CardSpec | None, sub_type: object, run: _Run, *, main: bool
) -> None:
    if not isinstance(attrs, dict):
        run.error(prefix, f"must be an object (got {type_name(attrs)})")
        return
    if spec is None:
        # Unknown card type (reported at card.type): only the flat-key rule can be checked.
        for key, value in attrs.items():
            if not isinstance(key, str):
                run.error(prefix, f"attribute names must be strings (got {type_name(key)})")
            elif isinstance(value, dict):
                run.error(join_path(prefix, key), _nested_reason(key, value))
        return
    lookup = spec.lookup()
    required = spec.required_for(sub_type) if main else ()
    errors = run.errors
    for key, value in attrs.items():
        kind = lookup.get(key)
        if kind is not None:
            reason = kind.check(value)
            if reason is None:
                if value == "" and key in required:
                    errors.append(FieldError(f"{prefix}.{key}", "must not be empty"))
            elif isinstance(value, dict) and not isinstance(kind, JsonString):
                # research §5.1: keys are "flat key name[s], not a nested object path".
                errors.append(FieldError(f"{prefix}.{key}", _nested_reason(key, value)))
            elif type(reason) is Soft:
                run.warnings.append(FieldError(f"{prefix}.{key}", reason))
            else:
                errors.append(FieldError(f"{prefix}.{key}", reason))
        elif not isinstance(key, str):
            errors.append(FieldError(prefix, f"attribute names must be strings (got {type_name(key)})"))
        elif isinstance(value, dict):
            errors.append(FieldError(join_path(prefix, key), _nested_reason(key, value)))
        else:
            found = f"is not a known attribute of {spec.type} cards"
            hint = _FOLDED[spec.type].get(_fold(key))
            if hint is not None:
                found += f' (did you mean "{hint}"?)'
            (errors if run.strict else run.warnings).append(FieldError(join_path(prefix, key), found))
    if not main:
        return  # localized attributes replace some of the defaults; nothing is required there
    for name in required:
        if name not in attrs:
            errors.append(FieldError(f"{prefix}.{name}", "required"))
    for (group_prefix, names), known in zip(spec.groups, spec.group_keys(), strict=True):
        if not known.isdisjoint(attrs.keys()):
            for name in names:
                if name not in attrs:
                    errors.append(
                        FieldError(f"{prefix}.{name}", f'required when any "{group_prefix}*" attribute is present')
                    )


def _check_localization(localization: object, path: str, spec: CardSpec | None, sub_type: object, run: _Run) -> None:
    if not isinstance(localization, list):
        run.error(path, f"must be an array (got {type_name(localization)})")
        return
    languages: set[str] = set()
    for index, item in enumerate(localization):
        where = f"{path}[{index}]"
        if not isinstance(item, dict):
            run.error(where, f"must be an object (got {type_name(item)})")
            continue
        for key, value in item.items():
            if key == "language":
                reason = _LANGUAGE.check(value)
                if reason is None and isinstance(value, str):
                    if value in languages:
                        reason = "must be unique within localization"
                    languages.add(value)
                if reason is not None:
                    run.error(f"{where}.language", reason)
            elif key == "attributes":
                _check_attributes(value, f"{where}.attributes", spec, sub_type, run, main=False)
            else:
                run.unknown(join_path(where, key), key, "language, attributes")
        for key in ("language", "attributes"):
            if key not in item:
                run.error(f"{where}.{key}", "required")


def _check_account(account: object, run: _Run) -> None:
    # account {type String(16), value String(64)} (seed 003); type values from research §3.6.
    if not isinstance(account, dict):
        run.error("account", f"must be an object (got {type_name(account)})")
        return
    for key, value in account.items():
        if key == "type":
            if not (isinstance(value, str) and value in ACCOUNT_TYPES):
                run.error("account.type", _ACCOUNT_REASON)
        elif key == "value":
            reason = _ACCOUNT_VALUE.check(value)
            if reason is None and value == "":
                reason = "must not be empty"
            if reason is not None:
                run.error("account.value", reason)
        else:
            run.unknown(join_path("account", key), key, "type, value")
    for key in ("type", "value"):
        if key not in account:
            run.error(f"account.{key}", "required")


def _run(obj: object, strict: bool, ref_id_max: int) -> _Run:
    ref_id = _REF_IDS.get(ref_id_max)
    if ref_id is None:
        if isinstance(ref_id_max, bool) or not isinstance(ref_id_max, int) or not 1 <= ref_id_max <= 4096:
            raise ValueError(f"ref_id_max must be an integer from 1 to 4096 (got {ref_id_max!r})")
        ref_id = RefId(ref_id_max)
    run = _Run(strict=bool(strict), ref_id=ref_id)
    _check_root(obj, run)
    return run


def check_card(obj: object, *, strict: bool = True, ref_id_max: int = REF_ID_MAX_INCOMING) -> list[FieldError]:
    """Every broken rule of the card JSON ``obj``, in document order; ``[]`` when it is valid.

    Never raises for any JSON-like input (only a bad ``ref_id_max`` raises ``ValueError``).

    :param obj: the decoded card JSON (``json.loads`` output or a builder's dict).
    :param strict: refuse attributes the card type does not know (the default); with ``False`` they
        are not errors (:func:`validate_card` returns them as warnings).
    :param ref_id_max: longest accepted refId: 128 for cards received from elsewhere (seed 004),
        32 for cards linkkit builds (seed 003, SPEC.md §2).
    """
    return _run(obj, strict, ref_id_max).errors


def validate_card(obj: object, *, strict: bool = True, ref_id_max: int = REF_ID_MAX_INCOMING) -> ValidationReport:
    """Validate the card JSON ``obj`` and return a :class:`ValidationReport`.

    ::

        >>> report = validate_card(card)            # doctest: +SKIP
        >>> report.card_type, report.warnings        # doctest: +SKIP
        ('loyalty', ())

    :param obj: the decoded card JSON.
    :param strict: see :func:`check_card`; lenient mode reports unknown attributes as warnings.
    :param ref_id_max: see :func:`check_card`.
    :raises linkkit.errors.ValidationError: with every broken rule in ``.errors``.
    """
    run = _run(obj, strict, ref_id_max)
    if run.errors:
        raise ValidationError(run.errors)
    assert isinstance(obj, dict)  # no errors means the shape is known (for the type checker)
    card = obj["card"]
    return ValidationReport(
        card_type=card["type"],
        sub_type=card["subType"],
        entries=len(card["data"]),
        warnings=tuple(run.warnings),
    )
