"""The shipped example passes, converted the way the tests and docs/convert.md convert them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from linkkit.convert import Conversion, ConvertOptions, convert_pass
from linkkit.convert.sources import load_json
from linkkit.testing import linkkit_sandbox, linkkit_sandbox_server
from tests.conftest import NOW
from tests.sandbox.conftest import linkkit_identity

# The plugin's sandbox fixtures, and the session identity the sandbox tests give them, used here by name.
__all__ = ["linkkit_identity", "linkkit_sandbox", "linkkit_sandbox_server"]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "convert"
IMAGE_BASE = "https://cdn.example.com/wallet"


@dataclass(frozen=True)
class Case:
    """One realistic pass of the examples and how it is converted."""

    path: str
    card_type: str
    sub_type: str
    options: dict[str, Any] = field(default_factory=dict)
    class_path: str | None = None

    @property
    def id(self) -> str:
        return self.path.split("/")[-1].split(".")[0].split("-")[0] + "-" + self.path.split("/")[0]

    def convert(self, **overrides: Any) -> Conversion:
        options = {"image_base_url": IMAGE_BASE, "ref_id": "ref-" + self.id, "clock": lambda: NOW, **self.options}
        options.update(overrides)
        class_doc = load_json(EXAMPLES / self.class_path) if self.class_path else None
        return convert_pass(EXAMPLES / self.path, ConvertOptions(**options), class_doc=class_doc)


CASES = [
    Case("apple/boarding-pass.pass", "boardingpass", "airlines"),
    Case("apple/event-ticket.pass", "ticket", "performances"),
    Case("apple/coupon.pass", "coupon", "others"),
    Case("apple/store-card.pass", "loyalty", "others"),
    Case("apple/gift-card.pass", "giftcard", "others", {"card_type": "giftcard"}),
    Case("apple/generic.pass", "generic", "others"),
    Case(
        "google/flight.json",
        "boardingpass",
        "airlines",
        {"time_zone": "America/Los_Angeles", "arrival_time_zone": "Europe/Zurich"},
    ),
    Case("google/transit.json", "boardingpass", "trains"),
    Case(
        "google/event-ticket.object.json",
        "ticket",
        "performances",
        {"sub_type": "performances"},
        "google/event-ticket.class.json",
    ),
    Case("google/offer.json", "coupon", "others"),
    Case("google/gift-card.json", "giftcard", "others"),
    Case("google/loyalty.json", "loyalty", "others"),
    Case("google/generic.json", "generic", "others"),
]
BY_ID = {case.id: case for case in CASES}


def case_params() -> Callable[[Callable[..., None]], Callable[..., None]]:
    return pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
