"""linkkit.cards.findings: a warning's message, its strict-mode error, and the reports."""

from __future__ import annotations

from linkkit.cards import RULES, CardReview, CardWarning
from linkkit.errors import FieldError


def test_a_warning_says_what_the_docs_say_and_what_linkkit_sends() -> None:
    rule = RULES["sub-type-missing"]
    warning = CardWarning("card.subType", 'missing (coupon has one sub-type, "others")', rule)
    assert warning.rule_id == "sub-type-missing" and warning.evidence == rule.evidence
    assert warning.message == f'missing (coupon has one sub-type, "others"); {rule.docs}; {rule.sends}'
    assert str(warning) == f"card.subType: {warning.message} [sub-type-missing]"
    assert warning.as_error() == FieldError(
        "card.subType", f'missing (coupon has one sub-type, "others"); {rule.docs} (refused in strict mode)'
    )


def test_a_warning_at_the_root_has_no_path_prefix() -> None:
    warning = CardWarning("", "odd", RULES["unknown-attribute"])
    assert str(warning).startswith("odd; ")


def test_review_ok() -> None:
    assert CardReview(errors=(), warnings=()).ok
    assert not CardReview(errors=(FieldError("card", "required"),), warnings=()).ok
