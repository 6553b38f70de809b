"""Labels a person reads instead of field names, and the sandbox's forms and previews that use them."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from linkkit.links import action_link
from linkkit.sandbox.labels import FieldSpec, field_spec, human_label, words
from linkkit.testing import SandboxHandle
from tests.conftest import CARD_ID, CERTIFICATE_ID
from tests.sandbox.conftest import Partner


def test_known_inputs_get_a_label_and_the_right_keyboard() -> None:
    assert field_spec("phone") == FieldSpec("Mobile number", "tel", "tel", "tel")
    assert field_spec("otp") == FieldSpec("One-time code", "text", "one-time-code", "numeric")
    assert field_spec("e-mail").type == "email"
    assert field_spec("favouriteDrink") == FieldSpec("Favourite drink")


def test_attribute_names_read_as_words() -> None:
    assert [human_label(n) for n in ("startDate", "expiry", "seatNumber", "loyaltyNumber", "barcode.value")] == [
        "Starts",
        "Expires",
        "Seat",
        "Loyalty number",
        "Barcode value",
    ]
    assert words("URLLink") == "URL link" and words("seat_row2") == "Seat row 2"


@given(st.text(max_size=60))
def test_any_name_gets_a_label(name: str) -> None:
    label = human_label(name)
    assert isinstance(label, str) and (label or not name.strip("._- \t\n\r\x0b\x0c"))


def test_the_collect_form_shows_labels_and_sends_the_partners_names(
    linkkit_sandbox: SandboxHandle, partner: Partner
) -> None:
    opened = linkkit_sandbox.http.post(
        "/_sandbox/open", data={"link": action_link(CERTIFICATE_ID, CARD_ID, base=linkkit_sandbox.url)}
    )
    page = linkkit_sandbox.http.get(opened.headers["location"]).text
    labels = re.findall(r'<label for="field-\d">([^<]+)</label>', page)
    assert labels == ["Mobile number", "One-time code"]
    assert re.findall(r'<input id="field-\d" name="(\w+)" type="(\w+)" autocomplete="([\w-]+)"', page) == [
        ("phone", "tel", "tel"),
        ("otp", "text", "one-time-code"),
    ]
