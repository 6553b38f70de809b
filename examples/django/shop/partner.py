"""The shop's partner server: its keys, its cards, its store. linkkit.django calls build_server()."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from linkkit.atw.tokens import TokenSigner
from linkkit.cards import Barcode, loyalty_card
from linkkit.config import Endpoints
from linkkit.keys import load_certificate, load_private_key, public_key_of
from linkkit.partner import ClickLinks, PartnerConfig, PartnerServer, open_store

MEMBERS = {"ref-1001": "Ada Lovelace", "ref-1002": "Grace Hopper"}


class MemberCards:
    """The shop's loyalty cards (a real shop reads its own database here)."""

    def get_card(self, card_id: str, ref_id: str, fields: tuple[str, ...] | None) -> dict[str, Any] | None:
        name = MEMBERS.get(ref_id)
        if name is None:
            return None  # answered 204: no such card
        return loyalty_card(
            ref_id=ref_id,
            title=f"{name}, Gold Member",
            provider_name="Coffee & Co",
            app_link_logo="https://example.com/logo.png",
            app_link_name="Coffee & Co",
            app_link_data="https://example.com/app",
            barcode=Barcode(value=ref_id.removeprefix("ref-")),
        )


def build_server() -> PartnerServer:
    """Keys and ids from the identity folder's linkkit.toml (LINKKIT_CONFIG), the store from
    LINKKIT_STORE_URL, Samsung's endpoints from LINKKIT_* (production by default)."""
    toml = Path(os.environ["LINKKIT_CONFIG"])
    ids = tomllib.loads(toml.read_text("utf-8"))
    signer = TokenSigner(
        partner_id=ids["partner_id"],
        certificate_id=ids["certificate_id"],
        private_key=load_private_key(toml.parent / ids["key"]),
        samsung_public_key=public_key_of(load_certificate(toml.parent / ids["samsung_cert"])),
    )
    store = open_store(os.environ.get("LINKKIT_STORE_URL", "sqlite:///partner.sqlite3"))
    endpoints = Endpoints.from_env()
    links = ClickLinks(
        store=store,
        secrets=bytes.fromhex(os.environ["SHOP_CLICK_SECRET"]),
        base_url=os.environ.get("SHOP_PUBLIC_URL", "http://127.0.0.1:8000") + "/samsung/w",
    )
    config = PartnerConfig(signer=signer, card_ids={ids["card_id"]}, endpoints=endpoints)
    return PartnerServer(config, MemberCards(), store=store, click_links=links)
