"""What the wallet does when a user opens an Add to Wallet link, step by step (Samsung's Add to Wallet API).

* **Data Transmit** (``cdata``): verify and decrypt the Card Data Token (partner certificate, 30 s,
  partner and certificate ids) → preview.
* **Data Fetch** (``pdata``): call the partner's Get Card Data → preview.
* **Data Action** (``adata``): Request Action ``CHECK_ELIGIBILITY`` with a signedAtwLink → collect
  the fields the partner asks for → ``USER_AUTH`` → ``REGISTER`` (cdata, or a refId for Get Card
  Data) → preview.
* **Add**: the card goes into the simulated wallet, and the partner gets Send Card State ``ADDED``
  with the sandbox's base URL as ``callback``.

The landing page (HTML) and the JSON driver (``/_sandbox/api``) both run these functions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from linkkit.atw.action_types import CHECK_ELIGIBILITY, REGISTER, USER_AUTH
from linkkit.atw.links import ActionLink, FetchLink, TransmitLink, new_ref_id, parse_link
from linkkit.atw.signature import sign_atw_link
from linkkit.cards import effective_sub_type
from linkkit.errors import LinkError, SandboxRefusal, TokenError
from linkkit.sandbox.config import SandboxConfig
from linkkit.sandbox.faults import Fault
from linkkit.sandbox.partner_calls import PartnerAnswer, PartnerCaller, check_received_card
from linkkit.sandbox.state import SandboxState, Session, WalletCard

#: ``actionType`` values (CHECK_ELIGIBILITY → USER_AUTH → REGISTER); the partner side keeps the same
#: strings (a test pins them).
_FIELD_NAME: Final = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,31}")
_MAX_INPUT: Final = 256
_SOURCE: Final = "SAMSUNG_WALLET_SANDBOX"


class Flows:
    """The wallet's side of each link kind, over one sandbox's state."""

    def __init__(self, config: SandboxConfig, state: SandboxState, caller: PartnerCaller) -> None:
        self.config = config
        self.state = state
        self.caller = caller

    def known_card(self, card_id: str) -> bool:
        ids = self.config.card_ids
        return not ids or card_id in ids or card_id in self.state.templates

    def _details(self, event: str) -> dict[str, str]:
        return {"timestamp": str(int(self.config.clock() * 1000)), "event": event, "source": _SOURCE}

    # -- open -----------------------------------------------------------------------------------

    def open(self, link: str, *, faults: Sequence[Fault] = ()) -> Session:
        """Open ``link`` as the wallet would; the session says where it stands (never raises for the
        partner's behaviour; a malformed link raises :class:`SandboxRefusal`)."""
        try:
            parsed = parse_link(link)
        except LinkError as exc:
            raise SandboxRefusal("invalid_link", str(exc)) from exc
        session = self.state.new_session(parsed.kind, link, parsed.card_id)
        try:
            if not self.known_card(parsed.card_id):
                raise SandboxRefusal("unknown_card", "this card id is not registered with the sandbox", 404)
            if isinstance(parsed, TransmitLink):
                self._open_transmit(session, parsed)
            elif isinstance(parsed, FetchLink):
                if parsed.version == 3 and parsed.certificate_id not in self.caller.keys.partner_ids():
                    raise SandboxRefusal("wrong_certificate_id", "the link's certificateId is not the partner's")
                card, warnings = self.caller.get_card_data(parsed.card_id, parsed.ref_id, faults=faults)
                self._preview(session, card, warnings, parsed.ref_id)
            else:
                self._open_action(session, parsed, faults)
        except SandboxRefusal as exc:
            session.step, session.error = "error", exc.to_json()
        return session

    def _open_transmit(self, session: Session, link: TransmitLink) -> None:
        try:
            card = self.caller.open_card(link.cdata, version=link.version)
        except TokenError as exc:
            raise SandboxRefusal(exc.code, f"the Card Data Token was refused: {exc.message}") from exc
        self._preview(session, card, check_received_card(self.config, card), None)

    def _preview(self, session: Session, card: dict[str, Any], warnings: list[str], ref_id: str | None) -> None:
        session.card = card
        session.ref_id = ref_id or card["card"]["data"][0]["refId"]
        session.warnings = warnings
        session.step, session.error, session.fields = "preview", None, []

    def _open_action(self, session: Session, link: ActionLink, faults: Sequence[Fault]) -> None:
        if link.certificate_id not in self.caller.keys.partner_ids():
            raise SandboxRefusal("wrong_certificate_id", "the link's certificateId is not the partner's")
        # A Data Action link carries no refId: the sequence gets its own id in that path slot,
        # the same for every step, so the partner can tie USER_AUTH to its CHECK_ELIGIBILITY.
        session.ref_id = new_ref_id()
        signed = sign_atw_link(session.link, self.caller.keys.signing().private_key, clock=self.config.clock)
        payload = {"signedAtwLink": signed, "actionDetails": self._details("ATW_LINK_OPENED")}
        answer = self.caller.request_action(link.card_id, session.ref_id, CHECK_ELIGIBILITY, payload, faults)
        self._action_answer(session, answer, faults)

    def _action_answer(self, session: Session, answer: PartnerAnswer, faults: Sequence[Fault]) -> None:
        body: dict[str, Any] = answer.body if isinstance(answer.body, dict) else {}
        payload: dict[str, Any] = body["actionPayload"] if isinstance(body.get("actionPayload"), dict) else {}
        details: dict[str, Any] = payload["actionDetails"] if isinstance(payload.get("actionDetails"), dict) else {}
        if answer.status == 204:
            raise SandboxRefusal("card_not_found", "the partner ended the sequence: the card does not exist (204)", 404)
        if answer.status != 200:
            code = str(details.get("code") or "partner_error")
            message = str(details.get("message") or f"Request Action answered HTTP {answer.status or 'nothing'}")
            if session.step == "collect" and answer.status == 400:
                session.message, session.error = None, {"code": code, "message": message}
                return  # the user may correct the inputs and try again
            raise SandboxRefusal(code, message, 502 if answer.status in (0, 500, 503) else 400)
        action = body.get("actionType")
        if action == USER_AUTH:
            fields = payload.get("fields")
            if (
                not isinstance(fields, list)
                or not fields
                or not all(isinstance(f, str) and _FIELD_NAME.fullmatch(f) for f in fields)
            ):
                raise SandboxRefusal(
                    "partner_error", "USER_AUTH must list the inputs to collect in actionPayload.fields"
                )
            session.step, session.fields, session.error = "collect", fields[:10], None
            session.message = str(details["message"]) if isinstance(details.get("message"), str) else None
        elif action == REGISTER:
            self._register(session, payload, faults)
        else:
            raise SandboxRefusal("partner_error", f"unexpected actionType {str(action)[:32]!r} in the partner's answer")

    def _register(self, session: Session, payload: Mapping[str, Any], faults: Sequence[Fault]) -> None:
        if isinstance(payload.get("cdata"), str):
            try:
                card = self.caller.open_card(payload["cdata"])
            except TokenError as exc:
                raise SandboxRefusal(exc.code, f"the REGISTER Card Data Token was refused: {exc.message}") from exc
            self._preview(session, card, check_received_card(self.config, card), None)
        elif isinstance(payload.get("refId"), str):
            ref_id = payload["refId"]
            card, warnings = self.caller.get_card_data(session.card_id, ref_id, faults=faults)
            self._preview(session, card, warnings, ref_id)
        else:
            raise SandboxRefusal("partner_error", "REGISTER must carry actionPayload.cdata or actionPayload.refId")

    # -- the user's inputs ----------------------------------------------------------------------

    def user_auth(self, session: Session, inputs: Mapping[str, Any], *, faults: Sequence[Fault] = ()) -> Session:
        """Send the inputs the partner asked for (``USER_AUTH``)."""
        if session.step != "collect" or session.ref_id is None:
            raise SandboxRefusal("out_of_sequence", "this session is not waiting for the user's inputs", 409)
        values = {name: str(inputs.get(name, ""))[:_MAX_INPUT] for name in session.fields}
        payload = {**values, "actionDetails": self._details("USER_INPUT")}
        try:
            answer = self.caller.request_action(session.card_id, session.ref_id, USER_AUTH, payload, faults)
            self._action_answer(session, answer, faults)
        except SandboxRefusal as exc:
            session.step, session.error = "error", exc.to_json()
        return session

    # -- add ------------------------------------------------------------------------------------

    def add(self, session: Session, *, callback: str) -> Session:
        """The user presses "Add": the card enters the wallet and the partner hears ``ADDED``."""
        if session.step != "preview" or session.card is None:
            raise SandboxRefusal("out_of_sequence", "there is no card to add in this session", 409)
        session.partner_status = self.add_to_wallet(
            session.card_id, session.card, source=session.kind, callback=callback
        )
        session.step = "added"
        return session

    def add_to_wallet(
        self,
        card_id: str,
        card: Mapping[str, Any],
        *,
        source: str,
        callback: str,
        account: Mapping[str, Any] | None = None,
    ) -> list[int]:
        """Store every ``data[]`` entry of ``card`` and send Send Card State ``ADDED`` for each."""
        now = self.config.clock()
        body = card["card"]
        for entry in body["data"]:
            existing = self.state.cards.get((card_id, entry["refId"]))
            wallet_card = WalletCard(
                card_id=card_id,
                ref_id=entry["refId"],
                card_type=body["type"],
                sub_type=effective_sub_type(card),  # Samsung's own samples may omit it
                entry=dict(entry),
                state=str(entry.get("state", "ACTIVE")),
                source=source,
                added_at=existing.added_at if existing else now,
                updated_at=now,
                account=dict(account) if account else (existing.account if existing else None),
                history=[*(existing.history if existing else []), {"at": int(now * 1000), "event": "ADDED"}],
            )
            self.state.put_card(wallet_card)
        return [self.caller.send_card_state(card_id, entry["refId"], "ADDED", callback) for entry in body["data"]]
