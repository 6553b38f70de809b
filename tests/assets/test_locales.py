"""Locale table and fallback chain."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkkit.assets.locales import DEFAULT_LOCALE, LOCALES, fallback_chain, resolve_locale

REQUIRED = ["ko", "ja", "zh-CN", "zh-TW", "ar", "de", "fr", "es", "pt-BR", "pt", "it", "en-US", "en-GB", "nl", "pl"]


def test_required_locales_are_shipped() -> None:
    assert set(REQUIRED) <= set(LOCALES)
    assert len(LOCALES) >= 12


@pytest.mark.parametrize("tag", list(LOCALES))
def test_every_locale_has_two_distinct_labels_naming_the_product(tag: str) -> None:
    loc = LOCALES[tag]
    assert "Samsung Wallet" in loc.label("wallet")
    assert "Samsung Pay" in loc.label("pay")
    assert loc.direction == ("rtl" if tag in ("ar", "he") else "ltr")


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("pt-BR", "pt-BR"),
        ("pt_br", "pt-BR"),
        ("PT-PT", "pt"),
        ("pt-AO", "pt"),
        ("en", "en-US"),
        ("en-AU", "en-US"),
        ("en-gb", "en-GB"),
        ("zh", "zh-CN"),
        ("zh-HK", "zh-TW"),
        ("zh-Hant-HK", "zh-TW"),
        ("zh-Hans-SG", "zh-CN"),
        ("ar-EG", "ar"),
        ("iw", "he"),
        ("de-CH", "de"),
        ("xx", "en-US"),
        ("", "en-US"),
        (None, "en-US"),
        ('ko"><script>', "en-US"),
        ("de-DE,de;q=0.9", "en-US"),
    ],
)
def test_fallback(tag: str | None, expected: str) -> None:
    assert resolve_locale(tag).tag == expected


def test_chain_shape() -> None:
    assert fallback_chain("pt-BR") == ("pt-BR", "pt", "en-US")
    assert fallback_chain("fr-CA") == ("fr-CA", "fr", "en-US")
    assert fallback_chain(None) == (DEFAULT_LOCALE,)


@given(st.text(max_size=40))
def test_any_input_resolves_to_a_shipped_locale(tag: str) -> None:
    assert resolve_locale(tag).tag in LOCALES
    assert fallback_chain(tag)[-1] == DEFAULT_LOCALE


def test_bad_kind_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="kind"):
        LOCALES["en-US"].label("coupon")  # type: ignore[arg-type]
