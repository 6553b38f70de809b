"""What a check is, what it returns, and the context every check runs in.

A :class:`Check` declares its name, what it stands for (``covers``), the most requests it sends
(``budget``) and the facts it needs from earlier checks (``needs``): a negative check is only worth
something once a valid call was accepted, or its refusal could come from a wrong identity instead
of the defect it is after. Facts are established by the checks named in :data:`FACTS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from linkkit.atw.tokens import dumps_compact
from linkkit.atw.verify import TokenVerifier
from linkkit.probe.config import ProbeConfig
from linkkit.probe.results import Exchange, Outcome
from linkkit.probe.transport import SamsungClient

#: A fact a check can need: (the check that establishes it, why a check without it is skipped).
FACTS: Final[Mapping[str, tuple[str, str]]] = {
    "identity": (
        "get_card_data",
        "Samsung's valid call was not accepted, so a refusal here would prove nothing: check that the partner "
        "verifies with the test Samsung certificate and knows partner id and card id",
    ),
    "card": ("get_card_data", "no card was opened from Get Card Data to take attribute names from"),
    "card_state": (
        "send_card_state_added",
        "the partner did not accept a valid Send Card State, so a refused body would prove nothing",
    ),
}

#: Describes the default ``Authorization`` of a request: a valid AUTH token for its method and path.
VALID_CREDENTIAL: Final = "AUTH token"


@dataclass(frozen=True, slots=True)
class Finding:
    """What a check function returns; the runner adds the check's name, title and coverage."""

    outcome: Outcome
    reason: str
    exchanges: tuple[Exchange, ...] = ()
    notes: tuple[str, ...] = ()


def passed(reason: str, exchanges: tuple[Exchange, ...] | list[Exchange] = (), notes: tuple[str, ...] = ()) -> Finding:
    return Finding(Outcome.PASS, reason, tuple(exchanges), tuple(notes))


def failed(reason: str, exchanges: tuple[Exchange, ...] | list[Exchange] = (), notes: tuple[str, ...] = ()) -> Finding:
    return Finding(Outcome.FAIL, reason, tuple(exchanges), tuple(notes))


def skipped(reason: str, exchanges: tuple[Exchange, ...] | list[Exchange] = ()) -> Finding:
    return Finding(Outcome.SKIP, reason, tuple(exchanges))


@dataclass(frozen=True, slots=True)
class Check:
    """One named check of the suite."""

    name: str
    title: str
    run: Callable[[ProbeContext], Finding] = field(repr=False)
    #: The most requests the check sends.
    budget: int
    #: Keys of :data:`linkkit.probe.coverage.COVERAGE`: the checklist items and API sections it stands for.
    covers: tuple[str, ...]
    needs: tuple[str, ...] = ("identity",)
    #: Returns why the check cannot run with this configuration (``None``: it can).
    unavailable: Callable[[ProbeConfig], str | None] = field(default=lambda config: None, repr=False)


class ProbeContext:
    """The client, the verifier for the partner's tokens, and what earlier checks found."""

    def __init__(self, config: ProbeConfig, client: SamsungClient) -> None:
        self.config = config
        self.client = client
        identity = config.identity
        #: Opens the partner's Card Data Tokens exactly as Samsung does.
        self.verifier = TokenVerifier(
            signer_public_key=identity.partner_public_key,
            partner_id=identity.partner_id,
            certificate_id=identity.certificate_id,
            decryption_key=identity.samsung_key,
            clock=config.clock,
        )
        self.samsung_public_key = identity.samsung_key.public_key()
        self.facts: set[str] = set()
        #: The card Get Card Data answered (opened), for the ``fields=`` check.
        self.card: dict[str, Any] | None = None

    def call(
        self,
        method: str,
        path: str,
        *,
        authorization: str | None = None,
        credential: str = VALID_CREDENTIAL,
        valid: bool = True,
        query: Mapping[str, str] | None = None,
        request_id: str | None = None,
        body: bytes | None = None,
        body_label: str = "",
    ) -> Exchange:
        """Send ``method path``; with ``valid`` and no ``authorization``, a fresh AUTH token for exactly it."""
        if authorization is None and valid:
            authorization = self.client.authorization(method, path)
        return self.client.send(
            method,
            path,
            authorization=authorization,
            credential=credential if authorization is not None else "no Authorization header",
            query=query,
            request_id=request_id,
            body=body,
            body_label=body_label,
        )

    def card_state(self, event: str, **kwargs: Any) -> Exchange:
        """Send Card State ``event`` for the configured card, with the configured ``callback``."""
        kwargs.setdefault("query", {"cc2": self.config.cc2, "event": event})
        if "body" not in kwargs and self.config.callback is not None:
            kwargs["body"] = dumps_compact({"callback": self.config.callback})
            kwargs["body_label"] = "JSON {callback}"
        return self.call("POST", self.client.card_path(), **kwargs)
