"""Request Action: the registry where the merchant plugs in one handler per step.

The sequence a Data Action link starts (``#Clip?adata=user_auth``)::

    Samsung → CHECK_ELIGIBILITY {signedAtwLink}    partner → 200 USER_AUTH {fields: ["phone", "otp"]}
    Samsung → USER_AUTH {phone, otp}               partner → 200 REGISTER {cdata | refId}
    (204 ends a sequence: the card does not exist; 400 carries actionDetails.code)

linkkit does the protocol (token checks, the signedAtwLink, the order of steps, the fields the
user must send, the response shape); the handlers only decide::

    actions = ActionRegistry()

    @actions.on(CHECK_ELIGIBILITY)
    def eligible(ctx: ActionContext) -> ActionResult:
        return ask_user(["phone", "otp"])

    @actions.on(USER_AUTH)
    def authenticate(ctx: ActionContext) -> ActionResult:
        member = members.find(ctx.inputs["phone"], ctx.inputs["otp"])
        return register(card=member.card()) if member else reject("AUTH_FAILED", "wrong code")
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from linkkit.atw.action_types import REGISTER, USER_AUTH
from linkkit.atw.signature import SignedAtwLink

#: ``actionType`` values (CHECK_ELIGIBILITY → USER_AUTH → REGISTER). The sandbox keeps the same strings;
#: a test pins them equal.

#: ``actionDetails.code`` values linkkit itself answers with.
CODE_UNKNOWN_ACTION: Final = "UNSUPPORTED_ACTION_TYPE"
CODE_BAD_REQUEST: Final = "INVALID_REQUEST"
CODE_OUT_OF_SEQUENCE: Final = "OUT_OF_SEQUENCE"
CODE_MISSING_FIELDS: Final = "MISSING_FIELDS"
CODE_SIGNED_LINK: Final = "INVALID_SIGNED_ATW_LINK"
CODE_INTERNAL: Final = "INTERNAL_ERROR"

_FIELD_NAME: Final = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,31}")
#: ``actionType`` is String(32) in Samsung's Request Action; upper-case words joined by ``_``.
ACTION_TYPE_PATTERN: Final = re.compile(r"[A-Z][A-Z0-9_]{0,31}")
MAX_FIELDS: Final = 10


@dataclass(frozen=True, slots=True)
class ActionContext:
    """What a handler is told about one Request Action call."""

    card_id: str
    #: The path's refId; for a Data Action link it is the id Samsung gave the whole sequence.
    ref_id: str
    action_type: str
    #: ``actionPayload`` as Samsung sent it.
    payload: Mapping[str, Any]
    #: ``actionPayload.actionDetails`` (empty when absent).
    details: Mapping[str, Any]
    #: The inputs the wallet collected: ``actionPayload`` without ``actionDetails`` and ``signedAtwLink``.
    inputs: Mapping[str, Any]
    #: The verified signedAtwLink of a CHECK_ELIGIBILITY call (``None`` otherwise).
    signed_link: SignedAtwLink | None
    request_id: str


@dataclass(frozen=True, slots=True)
class ActionResult:
    """A handler's answer; make one with :func:`ask_user`, :func:`register`, :func:`end` or :func:`reject`."""

    status: int
    action_type: str | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)
    #: A card for :func:`register` to answer as a freshly minted Card Data Token.
    card: Mapping[str, Any] | None = field(default=None, repr=False)


ActionHandler = Callable[[ActionContext], ActionResult]


def _details(code: str | None = None, message: str | None = None, level: str | None = None) -> dict[str, str]:
    details = {"code": code, "message": message, "level": level}
    return {k: v for k, v in details.items() if v is not None}


def ask_user(fields: Sequence[str], *, message: str | None = None) -> ActionResult:
    """Answer ``USER_AUTH``: the wallet must collect ``fields`` and send them back."""
    if isinstance(fields, str) or not fields or len(fields) > MAX_FIELDS:
        raise ValueError(f"fields must be a list of 1-{MAX_FIELDS} input names")
    for name in fields:
        if not isinstance(name, str) or not _FIELD_NAME.fullmatch(name):
            raise ValueError(f"field name {name!r}: 1-32 letters, digits, '_', '.' or '-', starting with a letter")
    payload: dict[str, Any] = {"fields": list(fields)}
    if message is not None:
        payload["actionDetails"] = _details(message=message, level="INFO")
    return ActionResult(200, USER_AUTH, payload)


def register(
    *, cdata: str | None = None, ref_id: str | None = None, card: Mapping[str, Any] | None = None
) -> ActionResult:
    """Answer ``REGISTER`` with exactly one of: a Card Data Token, a refId (Samsung then calls Get Card
    Data), or a card that linkkit turns into a fresh Card Data Token."""
    if sum(x is not None for x in (cdata, ref_id, card)) != 1:
        raise ValueError("register() takes exactly one of cdata=, ref_id= or card=")
    if cdata is not None:
        return ActionResult(200, REGISTER, {"cdata": cdata})
    if ref_id is not None:
        return ActionResult(200, REGISTER, {"refId": ref_id})
    return ActionResult(200, REGISTER, {}, card=card)


def end() -> ActionResult:
    """Answer 204: the card does not exist, and the sequence ends (Samsung's meaning of 204 in Request Action)."""
    return ActionResult(204)


def reject(code: str, message: str, *, status: int = 400, action_type: str | None = None) -> ActionResult:
    """Answer an error with ``actionDetails.code`` and ``message`` (``status`` 400, 401 or 404)."""
    if status not in (400, 401, 404):
        raise ValueError("status must be 400, 401 or 404")
    return ActionResult(status, action_type, {"actionDetails": _details(code, message, "ERROR")})


class ActionRegistry:
    """The merchant's handlers, by ``actionType``."""

    def __init__(self) -> None:
        self._handlers: dict[str, ActionHandler] = {}

    def add(self, action_type: str, handler: ActionHandler) -> None:
        """Handle ``action_type`` with ``handler``; one handler per type."""
        if not ACTION_TYPE_PATTERN.fullmatch(action_type):
            raise ValueError(f"action type {action_type!r} must be upper-case letters, digits and '_' (String(32))")
        if action_type == REGISTER:
            raise ValueError("REGISTER is the partner's answer, not a request Samsung sends")
        if action_type in self._handlers:
            raise ValueError(f"a handler for {action_type} is already registered")
        self._handlers[action_type] = handler

    def on(self, action_type: str) -> Callable[[ActionHandler], ActionHandler]:
        """Decorator form of :meth:`add`."""

        def decorate(handler: ActionHandler) -> ActionHandler:
            self.add(action_type, handler)
            return handler

        return decorate

    def get(self, action_type: str) -> ActionHandler | None:
        return self._handlers.get(action_type)

    def __contains__(self, action_type: object) -> bool:
        return action_type in self._handlers

    def __repr__(self) -> str:
        return f"ActionRegistry({sorted(self._handlers)})"
