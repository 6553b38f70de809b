"""The ``actionType`` values of the Request Action sequence, shared by both sides.

::

    Samsung → CHECK_ELIGIBILITY {signedAtwLink}    partner → 200 USER_AUTH {fields: ["phone", "otp"]}
    Samsung → USER_AUTH {phone, otp}               partner → 200 REGISTER {cdata | refId}
    (a 204 answer ends the sequence: the card does not exist)
"""

from __future__ import annotations

from typing import Final

CHECK_ELIGIBILITY: Final = "CHECK_ELIGIBILITY"
USER_AUTH: Final = "USER_AUTH"
REGISTER: Final = "REGISTER"
#: Every actionType of the sequence; any other gets 400 with an ``actionDetails.code``.
ACTION_TYPES: Final = frozenset({CHECK_ELIGIBILITY, USER_AUTH, REGISTER})
