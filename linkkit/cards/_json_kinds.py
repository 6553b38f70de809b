"""Attribute kinds for JSON carried as a string: csInfo, locations, extraInfo, person1 ...

Samsung's pages call these "data in JSON format converted to escape string": the attribute value is
a string that itself holds JSON. Reasons never echo the value (the rule of
:mod:`linkkit.cards._kinds` applies here too).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from linkkit.cards._kinds import Kind, Problem, quoted, type_name, wrong_type


@dataclass(frozen=True, slots=True)
class JsonShape:
    """What the decoded JSON must look like. ``kind`` is "object", "array" or "any"."""

    kind: str
    #: Allowed keys of the object (or of each array item); ``None`` allows any.
    keys: tuple[str, ...] | None = None
    #: Keys that must be present (object, or each array item).
    required: tuple[str, ...] = ()
    #: Keys (of each item) whose values must be JSON numbers.
    numbers: tuple[str, ...] = ()
    max_items: int | None = None
    label: str = ""

    def check(self, data: object) -> str | None:
        if self.kind == "any":
            return None
        if self.kind == "object":
            if not isinstance(data, dict):
                return f"must encode a JSON object (got {type_name(data)})"
            return self._check_members(data, "")
        if not isinstance(data, list):
            return f"must encode a JSON array (got {type_name(data)})"
        if self.max_items is not None and len(data) > self.max_items:
            return f"must encode at most {self.max_items} items (got {len(data)})"
        for index, item in enumerate(data):
            if not isinstance(item, dict):
                return f"item {index} must be a JSON object (got {type_name(item)})"
            reason = self._check_members(item, f"item {index}: ")
            if reason is not None:
                return reason
        return None

    def _check_members(self, obj: dict[object, object], where: str) -> str | None:
        if self.keys is not None:
            for key in obj:
                if key not in self.keys:
                    name = key if isinstance(key, str) and len(key) <= 40 else "…"
                    return f'{where}key "{name}" is not allowed (allowed: {quoted(self.keys)})'
        for key in self.required:
            if key not in obj:
                return f'{where}"{key}" is required'
        for key in self.numbers:
            number = obj.get(key)
            if key in obj and (isinstance(number, bool) or not isinstance(number, (int, float))):
                return f'{where}"{key}" must be a number'
        return None


@dataclass(frozen=True, slots=True)
class JsonString(Kind):
    """A string holding JSON of a given :class:`JsonShape` (``String(max_len)``)."""

    shape: JsonShape
    max_len: int | None = None

    def judge(self, value: object) -> Problem | None:
        if not isinstance(value, str):
            if isinstance(value, (dict, list)):
                # The JSON itself instead of a string holding it (Samsung's Ticket.json does this).
                return (
                    "json-string",
                    f"must be a JSON string, not an {type_name(value)}: "
                    "encode it with json.dumps (the builders do this for you)",
                )
            return wrong_type("a string holding JSON", value)
        if self.max_len is not None and len(value) > self.max_len:
            return ("string-length", f"must be at most {self.max_len} characters (got {len(value)})")
        try:
            data = json.loads(value)
        except (ValueError, RecursionError):
            return ("json-string", "must be a string holding valid JSON")
        reason = self.shape.check(data)
        return None if reason is None else ("json-string", reason)

    def describe(self) -> str:
        size = "" if self.max_len is None else f"({self.max_len})"
        return f"JSON string{size}: {self.shape.label}" if self.shape.label else f"JSON string{size}"
