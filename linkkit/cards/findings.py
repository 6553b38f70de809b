"""What card validation finds: warnings with their rule and evidence, and the reports that carry them.

Errors stay plain :class:`~linkkit.errors.FieldError` objects (``path`` and ``reason``), as everywhere in
linkkit. A warning is a :class:`CardWarning`: the same ``path`` and ``reason``, plus the
:class:`~linkkit.cards.rules.Rule` it comes from, which says what Samsung's docs say, what linkkit
sends, and the public evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from linkkit.cards.rules import Evidence, Rule
from linkkit.errors import FieldError

__all__ = ["CardReview", "CardWarning", "ValidationReport"]


@dataclass(frozen=True, slots=True)
class CardWarning:
    """A finding that does not stop the card: the current docs say otherwise, Samsung's own material does it."""

    #: JSON path of the member, e.g. ``card.data[0].attributes.logoImage.lightUrl``.
    path: str
    #: What is wrong with it, e.g. ``missing``; never the value itself.
    reason: str
    #: The rule of :data:`linkkit.cards.rules.RULES` it breaks.
    rule: Rule

    @property
    def rule_id(self) -> str:
        """The rule's id, e.g. ``"light-url-missing"``."""
        return self.rule.id

    @property
    def message(self) -> str:
        """The reason, what Samsung's docs say, and what linkkit sends."""
        return "; ".join(part for part in (self.reason, self.rule.docs, self.rule.sends) if part)

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The public sources behind the rule."""
        return self.rule.evidence

    def as_error(self) -> FieldError:
        """The :class:`~linkkit.errors.FieldError` strict mode raises instead of this warning."""
        docs = f"; {self.rule.docs}" if self.rule.docs else ""
        return FieldError(self.path, f"{self.reason}{docs} (refused in strict mode)")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, for ``--json`` output and logs."""
        return {
            "rule": self.rule.id,
            "path": self.path,
            "message": self.message,
            "evidence": [{"source": str(e.source), "url": e.url, "note": e.note} for e in self.rule.evidence],
        }

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.message} [{self.rule.id}]"


@dataclass(frozen=True, slots=True)
class CardReview:
    """Everything :func:`~linkkit.cards.review_card` found, errors and warnings; it never raises."""

    #: Rules the card breaks (Samsung would refuse it), in document order.
    errors: tuple[FieldError, ...]
    #: Deviations linkkit lets through (empty in strict mode: they are errors there).
    warnings: tuple[CardWarning, ...]

    @property
    def ok(self) -> bool:
        """``True`` when there are no errors."""
        return not self.errors


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The result of a successful :func:`~linkkit.cards.validate_card`."""

    #: ``card.type`` of the validated card.
    card_type: str
    #: ``card.subType`` of the validated card; the type's only sub-type when the card omits it.
    sub_type: str
    #: Number of entries in ``card.data``.
    entries: int
    #: What the card does that Samsung's current docs do not (see :class:`CardWarning`).
    warnings: tuple[CardWarning, ...] = ()
