"""One file-name rule for names made from data: safe whatever the value, proven on any text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from linkkit.campaign.filenames import MAX_NAME_BYTES, safe_file_name

_DEVICES = {"con", "prn", "aux", "nul", "conin$", "conout$"} | {
    f"{p}{n}" for p in ("com", "lpt") for n in "0123456789¹²³"
}


def assert_safe(name: str, suffix: str) -> None:
    assert name.endswith(suffix)
    assert name and name[0] not in "-." and not name.endswith((".", " "))
    assert "/" not in name and "\\" not in name and "\x00" not in name and ".." not in name
    assert all(ch in "-_." or (ch.isalnum() and ch.isprintable()) for ch in name)
    assert not any(unicodedata.category(ch).startswith(("C", "Z")) for ch in name)
    assert name.split(".", 1)[0].casefold() not in _DEVICES
    assert len(name.encode()) <= MAX_NAME_BYTES


@settings(max_examples=500, deadline=None)
@given(st.text(), st.sampled_from(["", ".svg", ".png", ".tar.gz"]))
@example("-rf", ".svg")
@example("--help", "")
@example("../../etc/passwd", ".svg")
@example("a/../b", ".svg")
@example("..", "")
@example(".hidden", ".png")
@example("nul", ".svg")
@example("COM1.txt", "")
@example("lpt¹", "")
@example("x\u202egnp.exe", ".svg")
@example("tab\there\r\n", ".svg")
@example("é" * 300, ".svg")
@example("\udcff", ".svg")
@example("", ".svg")
def test_any_value_gives_a_safe_name(value, suffix):
    name = safe_file_name(value, suffix)
    assert_safe(name, suffix)
    stem = name.removesuffix(suffix)
    assert safe_file_name(stem) == stem  # the rule is stable: a safe name stays as it is


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=MAX_NAME_BYTES, max_size=400), st.text(max_size=5))
def test_long_values_keep_distinct_names(value, tail):
    # Cut names end in a hash of the whole value: two long values that share a prefix do not collide.
    other = value + (tail or "x")
    if unicodedata.normalize("NFC", value) != unicodedata.normalize("NFC", other):
        assert safe_file_name(value, ".svg") != safe_file_name(other, ".svg")


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", min_size=32, max_size=32))
def test_ref_ids_keep_their_name_and_stay_distinct(ref_id):
    name = safe_file_name(ref_id, ".svg")
    assert name == (f"_{ref_id}.svg" if ref_id.startswith("-") else f"{ref_id}.svg")


def test_examples():
    assert safe_file_name("-rf /", ".svg") == "_-rf__.svg"
    assert safe_file_name("CON", ".png") == "_CON.png"
    assert safe_file_name("M-000123", ".svg") == "M-000123.svg"
    assert safe_file_name("Chloé", ".svg") == "Chloé.svg"


@pytest.mark.parametrize("suffix", ["svg", "./svg", ".s v g", "/..", "." + "x" * 17])
def test_a_bad_suffix_is_refused(suffix):
    with pytest.raises(ValueError, match="suffix"):
        safe_file_name("a", suffix)
