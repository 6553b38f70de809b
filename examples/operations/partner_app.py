"""A partner server made for production operations: its keys come from linkkit.toml and are read again when
the files change, it answers /healthz and /readyz, and it records metrics and spans when OpenTelemetry is
installed. Serve it with any WSGI server, several workers at once::

    LINKKIT_CONFIG=keys/linkkit.toml LINKKIT_STORE=partner.db \\
        gunicorn -w 2 -b 127.0.0.1:5001 --pythonpath examples/operations 'partner_app:create_app()'

Settings (environment):

* ``LINKKIT_CONFIG``: the linkkit.toml with the keyring (docs/operations.md);
* ``LINKKIT_STORE``: the SQLite file the workers share (request ids, events, click-time links);
* ``LINKKIT_KEYRING_CHECK_S``: seconds between two looks at the key files (default 5);
* ``LINKKIT_LOG_FORMAT=json``: one JSON line per call on stderr.

The card source is a stand-in: every refId gets the same loyalty card. A merchant's own looks its cards up.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from linkkit.keyring_file import KeyringFile, read_settings
from linkkit.partner import PartnerConfig, PartnerServer, SQLiteStore


class MemberCards:
    """Every refId is a member with the same card (a stand-in for the merchant's database)."""

    def get_card(self, card_id: str, ref_id: str, fields: tuple[str, ...] | None) -> Mapping[str, Any] | None:
        return {
            "card": {
                "type": "loyalty",
                "subType": "others",
                "data": [
                    {
                        "refId": ref_id,
                        "createdAt": 1_795_000_000_000,
                        "updatedAt": 1_795_000_000_000,
                        "language": "en",
                        "attributes": {
                            "title": "Member",
                            "providerName": "Coffee & Co",
                            "appLinkLogo": "https://example.com/logo.png",
                            "appLinkName": "Coffee & Co",
                            "appLinkData": "https://example.com/app",
                        },
                    }
                ],
            }
        }


def create_app() -> Any:
    """The WSGI application (one per worker process: each reads the keyring itself)."""
    config_path = os.environ["LINKKIT_CONFIG"]
    keys = KeyringFile(config_path, check_every=float(os.environ.get("LINKKIT_KEYRING_CHECK_S", "5")))
    card_id = str(read_settings(config_path)["card_id"])
    config = PartnerConfig(keyring=keys, card_ids={card_id})
    store = SQLiteStore(os.environ.get("LINKKIT_STORE", "partner.db"))
    return PartnerServer(config, MemberCards(), store=store).wsgi_app()
