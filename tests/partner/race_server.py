"""One partner server process for the race tests (and nothing else).

    python -m tests.partner.race_server IDENTITY_DIR STORE_URL

Serves the partner endpoints and click-time links on 127.0.0.1 and a free port with its own store
connection (SQLite file or PostgreSQL), prints ``ready <port>``, and runs until stdin closes: the
test holds the pipe, so the server also ends when the test process dies.
"""

from __future__ import annotations

import logging
import sys
import threading
import tomllib
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

from linkkit.cards import Barcode, loyalty_card
from linkkit.config import Endpoints
from linkkit.keys import load_certificate, load_private_key, public_key_of
from linkkit.partner import ClickLinks, PartnerConfig, PartnerServer, open_store
from linkkit.tokens import TokenSigner

CLICK_SECRET = b"race-click-secret-0123456789abcdef"
CLICK_BASE = "http://127.0.0.1/w"


class AnyCard:
    """A valid loyalty card for every refId."""

    def get_card(self, card_id: str, ref_id: str, fields: tuple[str, ...] | None) -> dict[str, Any]:
        return loyalty_card(
            ref_id=ref_id,
            title="Race Member",
            provider_name="Race & Co",
            app_link_logo="https://example.com/logo.png",
            app_link_name="Race & Co",
            app_link_data="https://example.com/app",
            barcode=Barcode(value="1234567890"),
            created_at=1_795_000_000_000,
        )


def build(identity: Path, store_url: str) -> PartnerServer:
    ids = tomllib.loads((identity / "linkkit.toml").read_text("utf-8"))
    signer = TokenSigner(
        partner_id=ids["partner_id"],
        certificate_id=ids["certificate_id"],
        private_key=load_private_key(identity / "partner.key"),
        samsung_public_key=public_key_of(load_certificate(identity / "samsung.crt")),
    )
    store = open_store(store_url)
    config = PartnerConfig(signer=signer, card_ids={ids["card_id"]}, endpoints=Endpoints.sandbox("http://127.0.0.1:9"))
    links = ClickLinks(store=store, secrets=CLICK_SECRET, base_url=CLICK_BASE)
    return PartnerServer(config, AnyCard(), store=store, click_links=links)


def main() -> int:
    logging.basicConfig(level=logging.ERROR)  # the refusals are the point: the test counts them
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    identity, store_url = Path(sys.argv[1]), sys.argv[2]
    server = make_server("127.0.0.1", 0, build(identity, store_url).wsgi_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    print(f"ready {server.server_port}", flush=True)
    sys.stdin.read()  # until the test closes the pipe (or dies)
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
