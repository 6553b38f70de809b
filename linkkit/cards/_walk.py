"""The walk over a card's JSON that finds every broken rule (behind :mod:`linkkit.cards.validate`).

Every finding names a rule of :data:`linkkit.cards.rules.RULES`; :meth:`_Run.report` reads the rule's
tier there, so a rule moves between errors and warnings with one edit of the table. The walk compiles
nothing and copies nothing per call: it runs on every Get Card Data and on 100,000-row campaigns.
Reasons never repeat the offending value (it may be a refId, a barcode or personal data).
"""

from __future__ import annotations

from typing import Final

from linkkit.cards._attributes import LIGHT_URLS
from linkkit.cards._hints import attribute_hint, did_you_mean, sub_type_reason, type_reason
from linkkit.cards._json_kinds import JsonString
from linkkit.cards._kinds import REF_ID_MAX, EpochMillis, Language, Problem, RefId, Str, join_path, type_name
from linkkit.cards.findings import CardWarning
from linkkit.cards.registry import ACCOUNT_TYPES, CARD_TYPES, MAX_DATA_ENTRIES, CardSpec
from linkkit.cards.rules import RULES, Tier
from linkkit.cards.states import state_reason
from linkkit.errors import FieldError

# The card object table marks data[].refId, createdAt, updatedAt, language and attributes Required;
# its own examples omit updatedAt, so a missing one is the warning rule updated-at-missing.
# data[].state appears in Get Card Data answers.
_ENTRY_REQUIRED: Final = ("refId", "createdAt", "updatedAt", "language", "attributes")
_ENTRY_ALLOWED: Final = "refId, createdAt, updatedAt, language, state, attributes, localization"
_MS: Final = EpochMillis()
_LANGUAGE: Final = Language()
_ACCOUNT_VALUE: Final = Str(64)  # account.value String(64) (Adding Wallet Cards)
_ACCOUNT_REASON: Final = "must be one of " + ", ".join(f'"{t}"' for t in ACCOUNT_TYPES)
# "Did you mean" for the first few unknown names of a card only: difflib's cost adds up.
_HINTS_PER_CARD: Final = 16


class _Run:
    """The findings of one validation run and its options."""

    __slots__ = ("errors", "hints_left", "keep_warnings", "ref_id", "strict", "warnings")

    def __init__(self, *, strict: bool, ref_id: RefId, keep_warnings: bool = True) -> None:
        self.errors: list[FieldError] = []
        self.warnings: list[CardWarning] = []
        self.strict = strict
        self.ref_id = ref_id
        #: ``False`` when the caller only wants errors (check_card): warnings are not even built.
        self.keep_warnings = keep_warnings
        self.hints_left = _HINTS_PER_CARD

    def counts(self, rule_id: str) -> bool:
        """Whether a finding of ``rule_id`` would be kept (to skip work for one that would not)."""
        return self.strict or self.keep_warnings or RULES[rule_id].tier is Tier.ERROR

    def hint(self, card_type: str, name: str) -> str:
        """`` (did you mean "x"?)`` for an unknown attribute name, or ``""``."""
        if self.hints_left <= 0:
            return ""
        self.hints_left -= 1
        return did_you_mean(attribute_hint(card_type, name))

    def report(self, rule_id: str, path: str, reason: str) -> None:
        """Record a finding of rule ``rule_id``; its tier in :data:`RULES` decides error or warning."""
        rule = RULES[rule_id]
        if rule.tier is Tier.ERROR:
            self.errors.append(FieldError(path, reason))
            return
        warning = CardWarning(path, reason, rule)
        if self.strict:
            self.errors.append(warning.as_error())
        elif self.keep_warnings:
            self.warnings.append(warning)

    def problem(self, path: str, problem: Problem) -> None:
        self.report(problem[0], path, problem[1])

    def unknown(self, path: str, key: object, allowed: str) -> None:
        if isinstance(key, str):
            self.report("member", path, f"is not allowed (allowed: {allowed})")
        else:
            self.report("json-type", path, f"member names must be strings (got {type_name(key)})")


def _check_root(obj: object, run: _Run) -> None:
    if not isinstance(obj, dict):
        run.report("json-type", "", f'must be an object with a "card" member (got {type_name(obj)})')
        return
    for key, value in obj.items():
        if key == "card":
            _check_card(value, run)
        elif key == "account":
            _check_account(value, run)
        else:
            run.unknown(join_path("", key), key, "card, account")
    if "card" not in obj:
        run.report("required", "card", "required")


def _check_card(card: object, run: _Run) -> None:
    if not isinstance(card, dict):
        run.report("json-type", "card", f"must be an object (got {type_name(card)})")
        return
    card_type = card.get("type")
    spec = CARD_TYPES.get(card_type) if isinstance(card_type, str) else None
    sub_type = card.get("subType")
    for key, value in card.items():
        if key == "type":
            if spec is None:
                run.report("card-type", "card.type", type_reason(value))
        elif key == "subType":
            if not isinstance(value, str):
                run.report("json-type", "card.subType", f"must be a string (got {type_name(value)})")
            elif spec is not None and value not in spec.sub_types:
                run.report("sub-type", "card.subType", sub_type_reason(spec, value))
        elif key == "data":
            _check_data(value, spec, sub_type, run)
        else:
            run.unknown(join_path("card", key), key, "type, subType, data")
    if "type" not in card:
        run.report("required", "card.type", "required")
    if "subType" not in card:
        if spec is None:
            run.report("required", "card.subType", "required")
        elif spec.default_sub_type is not None:
            reason = f'missing ({spec.type} has one sub-type, "{spec.default_sub_type}")'
            run.report("sub-type-missing", "card.subType", reason)
        else:
            run.report("sub-type", "card.subType", "required: " + sub_type_reason(spec, None))
    if "data" not in card:
        run.report("required", "card.data", "required")


def _check_data(data: object, spec: CardSpec | None, sub_type: object, run: _Run) -> None:
    if not isinstance(data, list):
        run.report("json-type", "card.data", f"must be an array (got {type_name(data)})")
        return
    if not 1 <= len(data) <= MAX_DATA_ENTRIES:
        run.report("data-entries", "card.data", f"must hold 1 to {MAX_DATA_ENTRIES} entries (got {len(data)})")
    seen: set[str] = set()
    for index, entry in enumerate(data):
        _check_entry(entry, f"card.data[{index}]", spec, sub_type, run, seen)


def _check_entry(entry: object, path: str, spec: CardSpec | None, sub_type: object, run: _Run, seen: set[str]) -> None:
    if not isinstance(entry, dict):
        run.report("json-type", path, f"must be an object (got {type_name(entry)})")
        return
    created: object = None
    updated: object = None
    for key, value in entry.items():
        problem: Problem | None
        if key == "refId":
            problem = run.ref_id.judge(value)
            if problem is None and isinstance(value, str):
                if len(value) > REF_ID_MAX:
                    run.report("ref-id-length", f"{path}.refId", f"is longer than {REF_ID_MAX} characters")
                if value in seen:
                    problem = ("duplicate", "must be unique within card.data")
                seen.add(value)
        elif key == "createdAt" or key == "updatedAt":
            problem = _MS.judge(value)
            if problem is None:
                if key == "createdAt":
                    created = value
                else:
                    updated = value
        elif key == "language":
            problem = _LANGUAGE.judge(value)
        elif key == "state":
            reason = state_reason(value)
            problem = None if reason is None else ("value-format" if isinstance(value, str) else "json-type", reason)
        elif key == "attributes":
            _check_attributes(value, f"{path}.attributes", spec, sub_type, run, main=True)
            continue
        elif key == "localization":
            _check_localization(value, f"{path}.localization", spec, sub_type, run)
            continue
        else:
            run.unknown(join_path(path, key), key, _ENTRY_ALLOWED)
            continue
        if problem is not None:
            run.problem(f"{path}.{key}", problem)
    for key in _ENTRY_REQUIRED:
        if key not in entry:
            run.report("updated-at-missing" if key == "updatedAt" else "required", f"{path}.{key}", "required")
    if isinstance(created, int) and isinstance(updated, int) and updated < created:
        run.report("timestamp-order", f"{path}.updatedAt", "must not be earlier than createdAt")


def _nested_reason(key: str, value: dict[object, object]) -> str:
    sub = next((k for k in value if isinstance(k, str) and len(k) <= 32), "darkUrl")
    return f'must not be a nested object: use flat dotted keys such as "{key}.{sub}"'


def _check_attributes(
    attrs: object, prefix: str, spec: CardSpec | None, sub_type: object, run: _Run, *, main: bool
) -> None:
    if not isinstance(attrs, dict):
        run.report("json-type", prefix, f"must be an object (got {type_name(attrs)})")
        return
    if spec is None:
        # Unknown card type (reported at card.type): only the flat-key rule can be checked.
        for key, value in attrs.items():
            if not isinstance(key, str):
                run.report("json-type", prefix, f"attribute names must be strings (got {type_name(key)})")
            elif isinstance(value, dict):
                run.report("flat-keys", join_path(prefix, key), _nested_reason(key, value))
        return
    lookup = spec.lookup()
    required = spec.required_for(sub_type) if main else ()
    for key, value in attrs.items():
        kind = lookup.get(key)
        if kind is not None:
            problem = kind.judge(value)
            if problem is None:
                if value == "" and key in required:
                    run.report("required", f"{prefix}.{key}", "must not be empty")
            elif isinstance(value, dict) and not isinstance(kind, JsonString):
                # Samsung: keys are "a flat key name, not a nested object path".
                run.report("flat-keys", f"{prefix}.{key}", _nested_reason(key, value))
            elif value == "" and type(kind) is EpochMillis:
                # Samsung's Coupon.json sends "redeemDate": "": an empty timestamp counts as absent.
                if key in required:
                    run.report("required", f"{prefix}.{key}", 'required (an empty string "" counts as absent)')
                else:
                    run.report("empty-timestamp", f"{prefix}.{key}", 'is "" (an empty string), treated as absent')
            else:
                run.problem(f"{prefix}.{key}", problem)
        elif not isinstance(key, str):
            run.report("json-type", prefix, f"attribute names must be strings (got {type_name(key)})")
        elif isinstance(value, dict):
            run.report("flat-keys", join_path(prefix, key), _nested_reason(key, value))
        elif run.counts("unknown-attribute"):
            hint = run.hint(spec.type, key)
            run.report(
                "unknown-attribute", join_path(prefix, key), f"is not a known attribute of {spec.type} cards{hint}"
            )
    if not main:
        return  # localized attributes replace some of the defaults; nothing is required there
    for name in required:
        if name not in attrs:
            if name in LIGHT_URLS:
                run.report("light-url-missing", f"{prefix}.{name}", "missing")
            else:
                run.report("required", f"{prefix}.{name}", "required")
    for (group_prefix, names), known in zip(spec.groups, spec.group_keys(), strict=True):
        if not known.isdisjoint(attrs.keys()):
            for name in names:
                if name not in attrs:
                    reason = f'required when any "{group_prefix}*" attribute is present'
                    run.report("required", f"{prefix}.{name}", reason)


def _check_localization(localization: object, path: str, spec: CardSpec | None, sub_type: object, run: _Run) -> None:
    if not isinstance(localization, list):
        run.report("json-type", path, f"must be an array (got {type_name(localization)})")
        return
    languages: set[str] = set()
    for index, item in enumerate(localization):
        where = f"{path}[{index}]"
        if not isinstance(item, dict):
            run.report("json-type", where, f"must be an object (got {type_name(item)})")
            continue
        for key, value in item.items():
            if key == "language":
                problem = _LANGUAGE.judge(value)
                if problem is None and isinstance(value, str):
                    if value in languages:
                        problem = ("duplicate", "must be unique within localization")
                    languages.add(value)
                if problem is not None:
                    run.problem(f"{where}.language", problem)
            elif key == "attributes":
                _check_attributes(value, f"{where}.attributes", spec, sub_type, run, main=False)
            else:
                run.unknown(join_path(where, key), key, "language, attributes")
        for key in ("language", "attributes"):
            if key not in item:
                run.report("required", f"{where}.{key}", "required")


def _check_account(account: object, run: _Run) -> None:
    # account {type String(16), value String(64)} (Adding Wallet Cards).
    if not isinstance(account, dict):
        run.report("json-type", "account", f"must be an object (got {type_name(account)})")
        return
    for key, value in account.items():
        if key == "type":
            if not (isinstance(value, str) and value in ACCOUNT_TYPES):
                run.report("value-format" if isinstance(value, str) else "json-type", "account.type", _ACCOUNT_REASON)
        elif key == "value":
            problem = _ACCOUNT_VALUE.judge(value)
            if problem is None and value == "":
                problem = ("required", "must not be empty")
            if problem is not None:
                run.problem("account.value", problem)
        else:
            run.unknown(join_path("account", key), key, "type, value")
    for key in ("type", "value"):
        if key not in account:
            run.report("required", f"account.{key}", "required")


def walk(obj: object, *, strict: bool, ref_id: RefId, keep_warnings: bool = True) -> _Run:
    """Every finding of the card JSON ``obj``, in document order (warnings dropped unless ``keep_warnings``)."""
    run = _Run(strict=strict, ref_id=ref_id, keep_warnings=keep_warnings)
    _check_root(obj, run)
    return run
