"""docs/save-to-pay.md lists every member of the field tables, and every sandbox outcome."""

from __future__ import annotations

from pathlib import Path

from linkkit.s2p.schema import NOTIFICATION_FIELDS, REGISTRATION_FIELDS, Object
from linkkit.sandbox.s2p import WALLET_OUTCOMES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "save-to-pay.md").read_text("utf-8")


def test_every_field_is_documented():
    for field in (*REGISTRATION_FIELDS, *NOTIFICATION_FIELDS):
        if not isinstance(field.kind, Object):
            assert f"`{field.path}`" in DOC, field.path


def test_every_wallet_outcome_is_documented():
    for outcome in WALLET_OUTCOMES:
        assert f"| `{outcome}`" in DOC, outcome
