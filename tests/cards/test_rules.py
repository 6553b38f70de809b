"""linkkit.cards.rules: one table holds every rule's tier and evidence, and the validator obeys it."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest

import linkkit.cards._walk as walk_module
from linkkit.cards import RULES, Source, Tier, check_card, review_card, validate_card
from linkkit.cards.doctable import render_rules

from ._examples import make_card
from ._samples import sample

CARDS = Path(__file__).resolve().parents[2] / "linkkit" / "cards"


def _strings(node: ast.AST) -> set[str]:
    """String constants of ``node`` itself or of both arms of a conditional expression."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    return set()


def rule_ids_in_code() -> set[str]:
    """Every rule id the validator's code names: ``run.report("id", ...)`` calls, ``("id", reason)``
    problems, ``wrong_type(...)`` (json-type) and ``_format_rule`` (value-format / json-type)."""
    found: set[str] = set()
    for name in ("_walk.py", "_kinds.py", "_json_kinds.py"):
        tree = ast.parse((CARDS / name).read_text(encoding="utf-8"))
        loop_tuples = {id(node.iter) for node in ast.walk(tree) if isinstance(node, ast.For)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "report":
                found |= _strings(node.args[0])
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "wrong_type":
                found.add("json-type")
            elif isinstance(node, ast.Tuple) and len(node.elts) == 2 and id(node) not in loop_tuples:
                found |= {s for s in _strings(node.elts[0]) if re.fullmatch(r"[a-z]+(?:-[a-z]+)+|[a-z]+", s)}
            elif isinstance(node, ast.FunctionDef) and node.name == "_format_rule":
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Return) and inner.value is not None:
                        found |= _strings(inner.value)
    return found


def test_every_rule_the_code_names_is_in_the_table_and_every_rule_is_used() -> None:
    named = rule_ids_in_code()
    assert named <= set(RULES), named - set(RULES)
    assert set(RULES) <= named, set(RULES) - named


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_each_rule_names_its_evidence(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert rule.id == rule_id and rule.summary and rule.evidence
    for item in rule.evidence:
        assert item.note
        if item.source is Source.LINKKIT:
            assert item.url == ""  # a decision of linkkit's, explained in the note
        else:
            assert item.url.startswith(("https://developer.samsung.com/", "https://github.com/")), item.url
    if rule.tier is Tier.WARNING:
        assert rule.docs and rule.sends  # each warning says what the docs say and what linkkit sends


def test_warnings_are_backed_by_more_than_the_current_docs() -> None:
    for rule in RULES.values():
        if rule.tier is Tier.WARNING:
            sources = {item.source for item in rule.evidence}
            assert sources - {Source.CURRENT_DOCS} or len(rule.evidence) > 1, rule.id


def test_one_edit_of_the_table_moves_a_rule_between_tiers(monkeypatch: pytest.MonkeyPatch) -> None:
    ticket = sample("event ticket")
    unknown_type = make_card()
    unknown_type["card"]["type"] = "loyality"
    assert check_card(ticket) == [] and len(check_card(unknown_type)) == 1

    table = dict(RULES)
    table["light-url-missing"] = dataclasses.replace(RULES["light-url-missing"], tier=Tier.ERROR)
    table["card-type"] = dataclasses.replace(RULES["card-type"], tier=Tier.WARNING, docs="d", sends="s")
    monkeypatch.setattr(walk_module, "RULES", table)

    assert [(e.path, e.reason) for e in check_card(ticket)] == [
        ("card.data[0].attributes.logoImage.lightUrl", "missing")
    ]
    review = review_card(unknown_type)
    assert review.errors == () and [w.rule_id for w in review.warnings] == ["card-type"]


def test_the_docs_table_lists_every_rule_with_its_tier() -> None:
    table = render_rules()
    for rule in RULES.values():
        assert f"| `{rule.id}` | {rule.tier} |" in table


def test_validate_card_report_carries_rule_objects() -> None:
    (warning, *_) = validate_card(sample("coupon")).warnings
    assert warning.rule is RULES[warning.rule_id]
    as_dict = warning.to_dict()
    assert as_dict["rule"] == warning.rule_id and as_dict["path"] == warning.path
    assert as_dict["message"] == warning.message and as_dict["evidence"][0]["source"] == "current docs"
    assert str(warning).endswith(f"[{warning.rule_id}]") and str(warning).startswith(f"{warning.path}: ")
