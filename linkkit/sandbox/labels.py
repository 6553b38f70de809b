"""Words a person reads for the field names the sandbox pages show (``phone``, ``otp``, ``startDate``).

A partner's Request Action names the inputs it wants (``actionPayload.fields``) and card attributes
have camelCase names; the wallet shows people labels, not identifiers. Known names get the label
and input kind a phone's wallet would use; any other name is split into words (``loyaltyNumber`` →
"Loyalty number", ``barcode.value`` → "Barcode value"), so a partner's own field still reads well.
The identifier stays in the form's ``name`` (what is sent) and in the page's developer details.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """How to show one input: its label and the HTML ``type``, ``autocomplete`` and ``inputmode``."""

    label: str
    type: str = "text"
    autocomplete: str = "off"
    inputmode: str | None = None


_INPUTS: Final = {
    "phone": FieldSpec("Mobile number", "tel", "tel", "tel"),
    "phonenumber": FieldSpec("Mobile number", "tel", "tel", "tel"),
    "mobile": FieldSpec("Mobile number", "tel", "tel", "tel"),
    "otp": FieldSpec("One-time code", "text", "one-time-code", "numeric"),
    "code": FieldSpec("Code", "text", "one-time-code", "numeric"),
    "pin": FieldSpec("PIN", "password", "off", "numeric"),
    "email": FieldSpec("Email address", "email", "email"),
    "name": FieldSpec("Name", "text", "name"),
    "firstname": FieldSpec("First name", "text", "given-name"),
    "lastname": FieldSpec("Last name", "text", "family-name"),
    "birthdate": FieldSpec("Date of birth", "date", "bday"),
    "postalcode": FieldSpec("Postcode", "text", "postal-code"),
    "zipcode": FieldSpec("ZIP code", "text", "postal-code"),
    "membernumber": FieldSpec("Member number", "text", "off", "numeric"),
}

#: Card attributes whose plain split would read oddly.
_ATTRIBUTES: Final = {
    "startDate": "Starts",
    "endDate": "Ends",
    "expiry": "Expires",
    "issueDate": "Issued",
    "boardingTime": "Boarding",
    "departTime": "Departs",
    "arriveTime": "Arrives",
    "estimatedOrActualStartDate": "Starts (expected)",
    "seatNumber": "Seat",
    "cc2": "Country",
}

_WORD: Final = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b)|[A-Z]?[a-z]+|[A-Z]+|\d+")


def words(name: str) -> str:
    """``loyaltyNumber`` → "Loyalty number"; ``barcode.value`` → "Barcode value"; ``seat_row2`` → "Seat row 2"."""
    parts = [w for chunk in re.split(r"[._\-\s]+", name) for w in _WORD.findall(chunk)]
    if not parts:
        return name
    text = " ".join(p if p.isupper() and len(p) > 1 else p.lower() for p in parts)
    return text[0].upper() + text[1:]


def field_spec(name: str) -> FieldSpec:
    """The label and input kind for an input the partner asked for."""
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    return _INPUTS.get(key) or FieldSpec(words(name))


def human_label(name: str) -> str:
    """The label of a card attribute or an input."""
    if name in _ATTRIBUTES:
        return _ATTRIBUTES[name]
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    if key in _INPUTS:
        return _INPUTS[key].label
    return words(name)
