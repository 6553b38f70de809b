"""Invalid registrations, one per rule of Save to Pay's data types and registration, with the field each
must name.

Shared by the client-side validator tests and the sandbox API tests (raw HTTP, no client checks).
"""

from __future__ import annotations

import copy
from typing import Any

VALID: dict[str, Any] = {
    "registration": {
        "email": "user@example.com",
        "enforceEmailMatching": True,
        "hideEmail": False,
        "phone": "+1(555)0100",
        "enforcePhoneMatching": False,
        "hidePhone": True,
        "welcomeCallbackUrl": "https://shop.example/s2p/done",
        "allowOfflineCommunication": True,
        "data": {"anything": [1, 2, {"x": None}]},
        "custom": {
            "cardName": "Acme Platinum",
            "cardArtUrl": "https://bank.example/art.png",
            "partnerName": "Acme Bank",
            "partnerLogoUrl": "https://bank.example/logo.png",
            "partnerTncUrl": "https://bank.example/terms",
        },
    }
}

_DROP = object()


def _with(path: str, value: Any) -> dict[str, Any]:
    body = copy.deepcopy(VALID)
    *parents, leaf = path.split(".")
    node = body
    for name in parents:
        node = node[name]
    if value is _DROP:
        del node[leaf]
    else:
        node[leaf] = value
    return body


def _enforced_phone_without_phone() -> dict[str, Any]:
    body = _with("registration.enforcePhoneMatching", True)
    del body["registration"]["phone"]
    return body


#: (id, body, field the error names, words in its reason)
INVALID: list[tuple[str, Any, str, str]] = [
    ("body-not-object", ["registration"], "", "JSON object"),
    ("no-registration", {}, "registration", "required"),
    ("registration-not-object", {"registration": "x"}, "registration", "JSON object"),
    ("no-custom", _with("registration.custom", _DROP), "registration.custom", "required"),
    ("custom-not-object", _with("registration.custom", []), "registration.custom", "JSON object"),
    *(
        (f"missing-{name}", _with(f"registration.custom.{name}", _DROP), f"registration.custom.{name}", "required")
        for name in ("cardName", "cardArtUrl", "partnerName", "partnerLogoUrl")
    ),
    ("null-cardName", _with("registration.custom.cardName", None), "registration.custom.cardName", "required"),
    ("empty-partnerName", _with("registration.custom.partnerName", ""), "registration.custom.partnerName", "empty"),
    (
        "cardName-too-long",
        _with("registration.custom.cardName", "x" * 2049),
        "registration.custom.cardName",
        "at most 2048",
    ),
    ("cardName-not-string", _with("registration.custom.cardName", 7), "registration.custom.cardName", "string"),
    (
        "partnerName-too-long",
        _with("registration.custom.partnerName", "x" * 2049),
        "registration.custom.partnerName",
        "at most 2048",
    ),
    ("email-not-string", _with("registration.email", ["a@b"]), "registration.email", "string"),
    ("email-too-long", _with("registration.email", "a" * 2049), "registration.email", "at most 2048"),
    *(
        (f"{flag}-not-boolean", _with(f"registration.{flag}", "true"), f"registration.{flag}", "true or false")
        for flag in (
            "enforceEmailMatching",
            "hideEmail",
            "enforcePhoneMatching",
            "hidePhone",
            "allowOfflineCommunication",
        )
    ),
    ("phone-pattern", _with("registration.phone", "+1 555 0100"), "registration.phone", "[0-9+()-]+"),
    ("phone-not-string", _with("registration.phone", 5550100), "registration.phone", "string"),
    *(
        (f"{name}-relative", _with(path, "/x.png"), path, "absolute http(s) URL")
        for name, path in (
            ("cardArtUrl", "registration.custom.cardArtUrl"),
            ("partnerLogoUrl", "registration.custom.partnerLogoUrl"),
            ("partnerTncUrl", "registration.custom.partnerTncUrl"),
            ("welcomeCallbackUrl", "registration.welcomeCallbackUrl"),
        )
    ),
    (
        "url-scheme",
        _with("registration.welcomeCallbackUrl", "javascript:alert(1)"),
        "registration.welcomeCallbackUrl",
        "absolute http(s) URL",
    ),
    (
        "url-too-long",
        _with("registration.custom.cardArtUrl", "https://a.example/" + "a" * 2040),
        "registration.custom.cardArtUrl",
        "at most 2048",
    ),
    (
        "url-space",
        _with("registration.custom.partnerLogoUrl", "https://a.example/a b.png"),
        "registration.custom.partnerLogoUrl",
        "RFC 2396",
    ),
    ("data-not-object", _with("registration.data", "blob"), "registration.data", "JSON object"),
    (
        "unknown-member",
        _with("registration.custom.cardname", "x"),
        "registration.custom.cardname",
        "did you mean registration.custom.cardName",
    ),
    ("unknown-top", _with("registration.extra", 1), "registration.extra", "unknown field"),
    (
        "enforce-email-without-email",
        _with("registration.email", _DROP),
        "registration.email",
        "required when registration.enforceEmailMatching is true",
    ),
    (
        "enforce-phone-without-phone",
        _enforced_phone_without_phone(),
        "registration.phone",
        "required when registration.enforcePhoneMatching is true",
    ),
]
