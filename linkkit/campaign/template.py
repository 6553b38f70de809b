"""Card templates: the card JSON of a campaign with ``{{column}}`` placeholders filled per row.

::

    {"card": {"type": "coupon", "subType": "others", "data": [{
        "refId": "{{ref_id}}", "createdAt": "{{now:int}}", "updatedAt": "{{now:int}}", "language": "en",
        "attributes": {"title": "{{first_name}}, 20% off", "expiry": "{{expiry:int}}", ...}}]}}

* ``{{name}}`` inside a string is replaced by the row's value (or a built-in: ``ref_id``, ``now``).
* A string that is exactly one placeholder with ``:int`` becomes a JSON integer (epoch-ms fields,
  Long(13) in Samsung's tables); ``:ms`` also accepts an ISO date or date-time (UTC unless an offset
  is given) and converts it to epoch milliseconds.
* Only strings are touched: the template's structure is never changed by a row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from linkkit._json import read_json
from linkkit.errors import ConfigError, FieldError, JSONInputError, ValidationError

_PLACEHOLDER: Final = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)(?::(int|ms))?\s*\}\}")
#: A card template is a few KB; this leaves room for long texts in every attribute.
MAX_TEMPLATE_BYTES: Final = 256 * 1024
_EPOCH_MS: Final = re.compile(r"-?[0-9]{1,16}")
#: Filled by the campaign itself, not by a column.
BUILTINS: Final = frozenset({"ref_id", "now"})


def to_epoch_ms(value: str) -> int:
    text = value.strip()
    if _EPOCH_MS.fullmatch(text):
        return int(text)
    parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return int(parsed.timestamp() * 1000)


@dataclass(frozen=True)
class CardTemplate:
    """A parsed card template; :meth:`render` fills it for one row."""

    source: Any
    #: Column names the template uses (built-ins excluded).
    columns: frozenset[str]

    @classmethod
    def from_obj(cls, obj: Any) -> CardTemplate:
        if not isinstance(obj, dict) or not isinstance(obj.get("card"), dict):
            raise ConfigError('template: must be a card JSON object {"card": {...}}')
        names: set[str] = set()

        def walk(node: Any) -> None:
            if isinstance(node, str):
                names.update(m.group(1) for m in _PLACEHOLDER.finditer(node))
            elif isinstance(node, dict):
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(obj)
        return cls(obj, frozenset(names - BUILTINS))

    @classmethod
    def load(cls, path: str | Path) -> CardTemplate:
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the template ({exc.strerror or exc})") from exc
        try:
            obj = read_json(raw, what=f"template {path}", max_bytes=MAX_TEMPLATE_BYTES)
        except JSONInputError as exc:
            raise ConfigError(str(exc)) from exc
        return cls.from_obj(obj)

    def missing_columns(self, available: set[str] | frozenset[str]) -> list[str]:
        return sorted(self.columns - set(available))

    def render(self, values: Mapping[str, str], *, ref_id: str, now_ms: int) -> dict[str, Any]:
        """The card for one row.

        :raises ValidationError: a missing column or a value that does not convert, naming the
            template path and the column.
        """
        context = {**values, "ref_id": ref_id, "now": str(now_ms)}
        errors: list[FieldError] = []

        def fill(node: Any, path: str) -> Any:
            if isinstance(node, str):
                return self._fill_string(node, path, context, errors)
            if isinstance(node, dict):
                return {k: fill(v, f"{path}.{k}" if path else k) for k, v in node.items()}
            if isinstance(node, list):
                return [fill(v, f"{path}[{i}]") for i, v in enumerate(node)]
            return node

        card = fill(self.source, "")
        if errors:
            raise ValidationError(errors)
        assert isinstance(card, dict)
        return card

    @staticmethod
    def _fill_string(text: str, path: str, context: Mapping[str, str], errors: list[FieldError]) -> Any:
        whole = _PLACEHOLDER.fullmatch(text)
        if whole and whole.group(2):
            name, kind = whole.group(1), whole.group(2)
            if name not in context:
                errors.append(FieldError(path, f"column {name!r} is missing"))
                return text
            raw = context[name]
            try:
                return int(raw.strip()) if kind == "int" else to_epoch_ms(raw)
            except ValueError:
                want = "an integer" if kind == "int" else "epoch milliseconds or an ISO date"
                errors.append(FieldError(path, f"column {name!r} must be {want} (got {raw[:40]!r})"))
                return text

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in context:
                errors.append(FieldError(path, f"column {name!r} is missing"))
                return ""
            return context[name]

        return _PLACEHOLDER.sub(replace, text)
