"""The card-type table: one row per Samsung Wallet card type (Samsung's card pages).

This table drives :func:`~linkkit.cards.validate_card`, its error messages and the generated table in
``docs/cards.md`` (style guide point 8). Each row names its sources; the short names ([cards],
[old], [barcode], [helpful], [sample], [keyset]) are defined in :mod:`linkkit.cards._attributes`,
the rows themselves live in ``_travel.py``, ``_commerce.py`` and ``_identity.py``.

For most types only the beginning of Samsung's attribute table could be read from the public pages. A
row with ``complete=False`` says so: strict mode still refuses attributes it does not know (so a
typo never reaches Samsung), and lenient mode (``strict=False``) reports them as warnings.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from linkkit.cards._commerce import COUPON, GIFTCARD, LOYALTY, PAYASYOUGO
from linkkit.cards._identity import DIGITALKEY, GENERIC, IDCARD, RELYINGPARTY
from linkkit.cards._spec import CardSpec
from linkkit.cards._travel import BOARDINGPASS, CLIP, TICKET

__all__ = [
    "ACCOUNT_TYPES",
    "BOARDINGPASS",
    "CARD_TYPES",
    "CLIP",
    "COUPON",
    "DIGITALKEY",
    "GENERIC",
    "GIFTCARD",
    "IDCARD",
    "LOYALTY",
    "MAX_DATA_ENTRIES",
    "PAYASYOUGO",
    "RELYINGPARTY",
    "TICKET",
    "CardSpec",
]

#: Every card type, by ``card.type`` (in the order Samsung's overview lists them).
CARD_TYPES: Final[Mapping[str, CardSpec]] = MappingProxyType(
    {
        spec.type: spec
        for spec in (
            BOARDINGPASS,
            TICKET,
            COUPON,
            GIFTCARD,
            LOYALTY,
            GENERIC,
            IDCARD,
            PAYASYOUGO,
            DIGITALKEY,
            CLIP,
            RELYINGPARTY,
        )
    }
)

#: ``account.type`` values for server-initiated provisioning
#: (https://developer.samsung.com/wallet/AdvancedIntegrations/ServerInitiatedCardProvisioning.html).
ACCOUNT_TYPES: Final = ("email", "phoneNumber", "extPmId", "pmId", "dmId", "saId", "CI")
#: At most this many entries in ``card.data`` (current pages; older ones allowed 10).
MAX_DATA_ENTRIES: Final = 6
