"""What the checks stand for: the items of Samsung's acceptance checklist and the API pages behind them.

Samsung's "Test Strategy and Acceptance Checklist" lists the areas a partner must verify before go-live
(card data, security, add flow, callback flow, lifecycle, availability, operations). It publishes no
list of individual test cases, so each check names the checklist area it serves *and* the API page
whose rule it tests. The Request Action bodies are not public: those checks test linkkit's documented
wire format (docs/partner.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

_SAMSUNG: Final = "https://developer.samsung.com/wallet"


@dataclass(frozen=True, slots=True)
class Source:
    """One checklist item or API rule, and where it is published."""

    label: str
    url: str


#: Every key a check's ``covers`` may name.
COVERAGE: Final[Mapping[str, Source]] = {
    "checklist:card-data": Source(
        "Acceptance checklist, Card data: required fields present, documented formats",
        f"{_SAMSUNG}/TestAndGoLive/TestStrategyAndAcceptanceChecklist.html",
    ),
    "checklist:security": Source(
        "Acceptance checklist, Security: correct headers, algorithms, identifiers and validity; "
        "altered, expired and replayed requests fail safely",
        f"{_SAMSUNG}/TestAndGoLive/TestStrategyAndAcceptanceChecklist.html",
    ),
    "checklist:callback": Source(
        "Acceptance checklist, Callback flow: receives and correlates card-state events, authenticates "
        "requests, handles duplicates idempotently",
        f"{_SAMSUNG}/TestAndGoLive/TestStrategyAndAcceptanceChecklist.html",
    ),
    "checklist:lifecycle": Source(
        "Acceptance checklist, Lifecycle: updates and user deletion produce the expected partner state",
        f"{_SAMSUNG}/TestAndGoLive/TestStrategyAndAcceptanceChecklist.html",
    ),
    "checklist:operations": Source(
        "Acceptance checklist, Operations: secrets are not exposed, request IDs are traceable",
        f"{_SAMSUNG}/TestAndGoLive/TestStrategyAndAcceptanceChecklist.html",
    ),
    "api:get-card-data": Source(
        "Get Card Data: GET {partner}/cards/{cardId}/{refId}?fields= → 200 cdata or card, 204 no such card, 401",
        f"{_SAMSUNG}/ManageCardLifecycle/CardLifecycleAPIs.html",
    ),
    "api:send-card-state": Source(
        "Send Card State: POST {partner}/cards/{cardId}/{refId}?cc2=&event= → 200; retries and duplicates "
        "handled safely",
        f"{_SAMSUNG}/ManageCardLifecycle/CardLifecycleAPIs.html",
    ),
    "api:card-data-token": Source(
        "Card Data Token: JWS (RS256, cty CARD, partnerId, certificateId, utc) around a JWE (RSA1_5, A128GCM)",
        f"{_SAMSUNG}/SecureYourIntegration/CardDataToken.html",
    ),
    "api:auth-token": Source(
        "Authorization Token: RS256, cty AUTH, ids and utc in the header; validators MUST check API.method "
        "and API.path against the received request",
        f"{_SAMSUNG}/securityauthentication/restapiauthorizationtoken.html",
    ),
    "api:replay": Source(
        "Operational Security Controls: replay prevention and time discipline, x-request-id",
        f"{_SAMSUNG}/securityauthentication/operationalsecuritycontrols.html",
    ),
    "api:request-action": Source(
        "Request Action (Action Data flow, Samsung → partner); bodies as linkkit's docs/partner.md sets them",
        f"{_SAMSUNG}/AdvancedIntegrations/ActionData.html",
    ),
}
