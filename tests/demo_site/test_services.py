"""The demo's services read time from one injected clock, and the card source answers only for the
card id of the row's kind."""

from __future__ import annotations

from pathlib import Path

from demo_site.catalogue import initial_attrs
from demo_site.services import build_services
from demo_site.settings import DEFAULTS, DemoSettings
from linkkit.cards import validate_card
from tests.conftest import NOW, FrozenClock


def test_services_use_the_injected_clock(identity_dir: Path, tmp_path: Path) -> None:
    config = {**DEFAULTS, "IDENTITY_DIR": str(identity_dir), "CLICK_LINK_SECRET": "x" * 43}
    services = build_services(DemoSettings.from_config(config, tmp_path), clock=FrozenClock())
    try:
        assert services.now_ms() == int(NOW * 1000)
        card = services.db.issue(
            ref_id="ref-clock-0001", kind="cinema", holder="Alex Kim", attrs=initial_attrs("cinema", services.now_ms())
        )
        assert card.created_at == NOW
        built = services.catalogue.build(card)
        validate_card(built)
        entry = built["card"]["data"][0]
        assert entry["createdAt"] == entry["updatedAt"] == int(NOW * 1000)
        assert entry["attributes"]["startDate"] > int(NOW * 1000)  # the screening is in the future
        # The card source answers for the kind's own card id only.
        source = services.partner.cards
        assert source.get_card("northwind-cinema", card.ref_id, None) == built
        assert source.get_card("northwind-air", card.ref_id, None) is None
        assert source.get_card("northwind-cinema", "no-such-ref", None) is None
    finally:
        services.close()
