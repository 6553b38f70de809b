"""The one exception tree: every public exception class lives in ``linkkit/errors.py`` and derives from
``LinkKitError``; the modules that defined one before still hand out the same class."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from linkkit import errors

PACKAGE = Path(errors.__file__).resolve().parent

#: Exceptions that stay outside errors.py, each with the comment above it saying why (private control flow).
PRIVATE_OUTSIDE = {
    ("linkkit._serving", "_HeadTooLarge"),
    ("linkkit.asgi", "_Disconnected"),
    ("linkkit.campaign.batch", "_Abandoned"),
    ("linkkit.campaign.rows", "_RowTooLong"),
    ("linkkit.convert._values", "DateProblem"),
    ("linkkit.partner.request_action", "_LinkMismatch"),
}

#: Where a class was defined before it moved into errors.py: that name still works.
MOVED = {
    ("linkkit.atw.replay", "ReplayCapacityError"): "ReplayCapacityError",
    ("linkkit.replay", "ReplayCapacityError"): "ReplayCapacityError",
    ("linkkit.partner.auth", "MissingCredentialsError"): "MissingCredentialsError",
    ("linkkit.partner.s2p", "UnknownRegistrationError"): "UnknownRegistrationError",
    ("linkkit.clients.s2p", "RegistrationConflictError"): "RegistrationConflictError",
    ("linkkit.clients", "RegistrationConflictError"): "RegistrationConflictError",
    ("linkkit.partner.wire", "BodyTooLarge"): "BodyTooLarge",
    ("linkkit.sandbox.s2p.flow", "WalletRefusal"): "WalletRefusal",
    ("linkkit.sandbox.partner_calls", "Refusal"): "SandboxRefusal",
}

_EXCEPTION_BASES = {"Exception", "BaseException", "ValueError", "RuntimeError", "LookupError", "KeyError"}


def exception_classes_outside_errors() -> set[tuple[str, str]]:
    """(module, class) of each class whose base names an exception, in every module but errors.py."""
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "errors.py":
            continue
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {ast.unparse(base).rpartition(".")[2] for base in node.bases}
            if bases & _EXCEPTION_BASES or any(b.endswith(("Error", "Refusal")) for b in bases):
                found.add((module, node.name))
    return found


def test_no_exception_class_outside_errors_py_but_the_private_ones():
    found = exception_classes_outside_errors()
    assert ("linkkit.asgi", "_Disconnected") in found, "the scan finds nothing: the test would prove nothing"
    assert found == PRIVATE_OUTSIDE


@pytest.mark.parametrize("where,name", sorted(MOVED.items()), ids=[f"{m}.{c}" for m, c in sorted(MOVED)])
def test_a_moved_exception_is_the_same_class_at_its_old_place(where, name):
    module, old_name = where
    moved = getattr(errors, name)
    assert getattr(importlib.import_module(module), old_name) is moved
    assert issubclass(moved, errors.LinkKitError)


def test_every_class_of_errors_py_is_in_the_tree_drawn_in_its_docstring():
    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.LinkKitError)]
    doc = errors.__doc__ or ""
    assert len(classes) > 30
    missing = sorted(c.__name__ for c in classes if f"── {c.__name__}" not in doc and c is not errors.LinkKitError)
    assert not missing, f"add {missing} to the tree in linkkit/errors.py's docstring"


def test_sandbox_refusals_keep_their_answer_fields():
    refusal = errors.SandboxRefusal("invalid_card", "the card is not valid", 422)
    assert (refusal.status, refusal.to_json()) == (422, {"code": "invalid_card", "message": "the card is not valid"})
    wallet = errors.WalletRefusal("unknown link", status=404)
    assert (wallet.status, wallet.message, str(wallet)) == (404, "unknown link", "unknown link")
    assert errors.UnknownRegistrationError().field == "event.regId"
    assert errors.RegistrationConflictError("again", state="pending").state == "pending"
    assert errors.ReplayCapacityError("full").code == "replay_capacity"
    assert errors.MissingCredentialsError("no Authorization").code == "missing_credentials"
