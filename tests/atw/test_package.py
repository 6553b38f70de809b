"""``linkkit.atw``: its ``__all__`` is its API, and every pre-``atw`` module path still hands out the very
same objects (the deprecated re-export modules, kept until 2.0)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import linkkit
import linkkit.atw

PACKAGE = Path(linkkit.__file__).resolve().parent

#: old module path -> the module it moved to.
MOVED = {
    "linkkit.tokens": "linkkit.atw.tokens",
    "linkkit.verify": "linkkit.atw.verify",
    "linkkit.links": "linkkit.atw.links",
    "linkkit.atw_signature": "linkkit.atw.signature",
    "linkkit.action_types": "linkkit.atw.action_types",
    "linkkit.replay": "linkkit.atw.replay",
    "linkkit.authorization": "linkkit.atw.authorization",
}


def public_names(module_name: str) -> set[str]:
    """The public names a module defines (functions, classes, constants) or re-exports, read from its source."""
    path = PACKAGE.parent / (module_name.replace(".", "/") + ".py")
    names: set[str] = set()
    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom):
            # ``from linkkit.atw._jose import X as X``: an explicit re-export is part of the module's API
            names.update(a.name for a in node.names if a.asname == a.name)
    return {n for n in names if not n.startswith("_")}


def test_all_names_every_public_name_once():
    # (ruff's RUF022 keeps it sorted, constants first)
    assert len(linkkit.atw.__all__) == len(set(linkkit.atw.__all__))
    public = {n for n in vars(linkkit.atw) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(linkkit.atw, n)).__name__ == "module"}
    assert public - modules == set(linkkit.atw.__all__)


def test_the_top_level_api_is_the_atw_one():
    for name in set(linkkit.__all__) & set(linkkit.atw.__all__):
        assert getattr(linkkit, name) is getattr(linkkit.atw, name), name


@pytest.mark.parametrize("old,new", sorted(MOVED.items()))
def test_old_path_re_exports_every_public_name_of_the_new_one(old, new):
    old_module, new_module = importlib.import_module(old), importlib.import_module(new)
    expected = public_names(new)
    assert expected, f"{new} defines no public name: the test would prove nothing"
    missing = sorted(n for n in expected if not hasattr(old_module, n))
    assert not missing, f"{old} lost {missing}"
    for name in expected:
        assert getattr(old_module, name) is getattr(new_module, name), f"{old}.{name} is a copy"


@pytest.mark.parametrize("old", sorted(MOVED))
def test_old_path_is_only_a_re_export_with_a_deprecation_note(old):
    path = PACKAGE.parent / (old.replace(".", "/") + ".py")
    tree = ast.parse(path.read_text("utf-8"))
    doc = ast.get_docstring(tree) or ""
    assert doc.startswith(f"Deprecated: import from ``{MOVED[old]}``"), doc
    body = tree.body[1:]  # after the docstring
    assert body and all(isinstance(node, ast.ImportFrom) and node.module == MOVED[old] for node in body)
