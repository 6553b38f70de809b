"""pass.strings: Apple's format in its encodings, errors that name the line, and bounds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkkit.convert._strings import MAX_STRINGS_BYTES, MAX_STRINGS_ENTRIES, parse_strings
from linkkit.errors import PassFileError

TEXT = '/* Header */\n"GATE" = "Porte";\n// a line comment\nSEAT = "Si\\u00e8ge";\n"Q" = "say \\"hi\\"\\n";\n'


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_every_encoding_apple_writes(encoding: str) -> None:
    assert parse_strings(TEXT.encode(encoding)) == {"GATE": "Porte", "SEAT": "Siège", "Q": 'say "hi"\n'}


def test_surrogate_pairs_and_unknown_escapes() -> None:
    assert parse_strings(b'"e" = "\\UD83D\\UDE00 \\q";') == {"e": "😀 q"}
    assert parse_strings(b'"e" = "\\uD83D";') == {"e": "\ufffd"}


@pytest.mark.parametrize(
    ("data", "where"),
    [(b'"A" = "B"', "line 1: expected ';'"), (b'"A" "B";', "line 1: expected '='"), (b'\n\n"A = "B";', "line 3"),
     (b"/* open", r"line 1: a /\* comment is not closed"), (b'"A" = "\\u12";', "four hex digits"), (b'"A" =', "ends")],
)  # fmt: skip
def test_errors_name_the_line(data: bytes, where: str) -> None:
    with pytest.raises(PassFileError, match=where) as info:
        parse_strings(data, "fr.lproj/pass.strings")
    assert info.value.code == "bad_strings" and "fr.lproj/pass.strings" in str(info.value)


def test_bounds() -> None:
    with pytest.raises(PassFileError) as info:
        parse_strings(b" " * (MAX_STRINGS_BYTES + 1))
    assert info.value.code == "too_large"
    many = "".join(f'"k{i}" = "v";\n' for i in range(MAX_STRINGS_ENTRIES + 1)).encode()
    with pytest.raises(PassFileError, match="entries"):
        parse_strings(many)
    with pytest.raises(PassFileError, match="neither UTF-16 nor UTF-8"):
        parse_strings(b"\xff\xfe\x00\xd8")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_give_a_table_or_a_pass_file_error(data: bytes) -> None:
    try:
        table = parse_strings(data)
    except PassFileError as exc:
        assert exc.code in ("bad_strings", "too_large")
    else:
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in table.items())


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=20), st.text(max_size=40), max_size=8))
def test_written_tables_read_back(table: dict[str, str]) -> None:
    def quote(text: str) -> str:
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        return '"' + escaped.replace("\t", "\\t").replace("\0", "\\0") + '"'

    data = "".join(f"{quote(k)} = {quote(v)};\n" for k, v in table.items())
    clean = {k: v for k, v in table.items() if not any(0xD800 <= ord(c) <= 0xDFFF for c in k + v)}
    if len(clean) == len(table):
        assert parse_strings(data.encode("utf-16")) == table
