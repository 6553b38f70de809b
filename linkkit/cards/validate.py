"""Card JSON validation with exact JSON paths, in two tiers (:mod:`linkkit.cards.rules`).

- An **error** is something Samsung will refuse: a wrong JSON type, a String(N) overrun, an unknown
  card type, a timestamp that is not epoch milliseconds, more than 6 entries, nested keys, a missing
  required attribute.
- A **warning** is something Samsung's current pages mark otherwise but Samsung's own samples or older
  pages do: a missing ``logoImage.lightUrl``, no ``card.subType`` where the type has one sub-type,
  ``"redeemDate": ""``, ``"appLinkData": "appLink url"``, an attribute linkkit's table does not know.
  linkkit sends such a card; each warning says what the docs say and what linkkit sends.

``strict=True`` turns warnings into errors. Which rule is which tier lives in one table,
:data:`linkkit.cards.rules.RULES`.

::

    report = validate_card(card)          # raises ValidationError on errors
    for warning in report.warnings:       # CardWarning: path, reason, rule_id, message, evidence
        print(warning)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from linkkit.cards._kinds import REF_ID_MAX, REF_ID_MAX_INCOMING, RefId
from linkkit.cards._walk import walk
from linkkit.cards.findings import CardReview, CardWarning, ValidationReport
from linkkit.cards.registry import CARD_TYPES
from linkkit.errors import FieldError, ValidationError

__all__ = [
    "CardReview",
    "CardWarning",
    "ValidationReport",
    "check_card",
    "effective_sub_type",
    "review_card",
    "validate_card",
]

_REF_IDS: Final = {n: RefId(n) for n in (REF_ID_MAX, REF_ID_MAX_INCOMING)}


def _ref_id_rule(ref_id_max: int) -> RefId:
    ref_id = _REF_IDS.get(ref_id_max)
    if ref_id is None:
        if isinstance(ref_id_max, bool) or not isinstance(ref_id_max, int) or not 1 <= ref_id_max <= 4096:
            raise ValueError(f"ref_id_max must be an integer from 1 to 4096 (got {ref_id_max!r})")
        ref_id = RefId(ref_id_max)
    return ref_id


def review_card(obj: object, *, strict: bool = False, ref_id_max: int = REF_ID_MAX_INCOMING) -> CardReview:
    """Every error and warning of the card JSON ``obj``, in document order; never raises for any JSON.

    :param obj: the decoded card JSON (``json.loads`` output or a builder's dict).
    :param strict: report warnings as errors (``CardReview.warnings`` is then empty).
    :param ref_id_max: longest accepted refId: 128 for cards received from elsewhere (Data Fetch
        pdata String(128)), 32 for cards linkkit builds (``data[].refId`` String(32)).
    :raises ValueError: only for a ``ref_id_max`` outside 1..4096 (a programming error).
    """
    run = walk(obj, strict=bool(strict), ref_id=_ref_id_rule(ref_id_max))
    return CardReview(errors=tuple(run.errors), warnings=tuple(run.warnings))


def check_card(obj: object, *, strict: bool = False, ref_id_max: int = REF_ID_MAX_INCOMING) -> list[FieldError]:
    """The errors of the card JSON ``obj`` (what Samsung would refuse), in document order; ``[]`` when none.

    Never raises for any JSON-like input. Warnings are not returned (use :func:`review_card` or
    :func:`validate_card` for them), unless ``strict=True`` makes them errors.

    :param strict: count warnings as errors.
    :param ref_id_max: see :func:`review_card`.
    """
    return walk(obj, strict=bool(strict), ref_id=_ref_id_rule(ref_id_max), keep_warnings=False).errors


def validate_card(obj: object, *, strict: bool = False, ref_id_max: int = REF_ID_MAX_INCOMING) -> ValidationReport:
    """Validate the card JSON ``obj``: raise on errors, return the warnings in a :class:`ValidationReport`.

    ::

        >>> report = validate_card(card)            # doctest: +SKIP
        >>> report.card_type, [w.rule_id for w in report.warnings]   # doctest: +SKIP
        ('coupon', ['sub-type-missing'])

    :param obj: the decoded card JSON.
    :param strict: refuse warnings too (``--strict`` on the command line).
    :param ref_id_max: see :func:`review_card`.
    :raises linkkit.errors.ValidationError: with every error in ``.errors`` (each a
        :class:`~linkkit.errors.FieldError` naming the field).
    """
    run = walk(obj, strict=bool(strict), ref_id=_ref_id_rule(ref_id_max))
    if run.errors:
        raise ValidationError(run.errors)
    assert isinstance(obj, dict)  # no errors means the shape is known (for the type checker)
    card = obj["card"]
    return ValidationReport(
        card_type=card["type"],
        sub_type=effective_sub_type(obj),
        entries=len(card["data"]),
        warnings=tuple(run.warnings),
    )


def effective_sub_type(card: Mapping[str, Any]) -> str:
    """``card.subType`` of the card JSON ``card``, or its type's only sub-type when the card omits it.

    Samsung's own Coupon sample leaves ``subType`` out; this is the sub-type such a card stands for.

    :raises linkkit.errors.ValidationError: when there is no sub-type to stand for (an unknown type, or
        a type with several sub-types).
    """
    body = card.get("card")
    if isinstance(body, Mapping):
        sub_type = body.get("subType")
        if isinstance(sub_type, str):
            return sub_type
        card_type = body.get("type")
        spec = CARD_TYPES.get(card_type) if isinstance(card_type, str) else None
        if spec is not None and spec.default_sub_type is not None and sub_type is None:
            return spec.default_sub_type
    raise ValidationError(FieldError("card.subType", "required"))
