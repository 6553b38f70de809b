from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkkit import errors
from linkkit.campaign import count_rows, iter_rows
from linkkit.campaign.rows import MAX_FIELD_CHARS, MAX_ROW_CHARS, _csv_records, _Lines, read_header


def test_csv_rows_and_problems(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(
        b"\xef\xbb\xbfemail,name\n"
        b"a@x.com,Ann\n"
        b"\n"
        b"b@x.com,B\xffob\n"
        b"c@x.com\n"
        b'd@x.com,"multi\nline"\n' + b"e@x.com," + b"x" * (MAX_FIELD_CHARS + 1) + b"\n"
    )
    assert read_header(path) == ["email", "name"]
    rows = list(iter_rows(path))
    assert [r.number for r in rows] == [1, 2, 3, 4, 5]
    assert [r.line for r in rows] == [2, 4, 5, 6, 8]
    assert rows[0].values == {"email": "a@x.com", "name": "Ann"}
    assert rows[1].error and rows[1].error.reason == "not valid UTF-8" and rows[1].error.path == "row 2.name"
    assert rows[2].error and "has 1 columns, the header has 2" in rows[2].error.reason
    assert rows[3].values == {"email": "d@x.com", "name": "multi\nline"}
    assert rows[4].error and "longer than" in rows[4].error.reason
    assert count_rows(path) == 5


def test_an_unclosed_quote_costs_its_row_only(tmp_path):
    # Before: the quote on line 5 swallowed every later line into one field, and the run went on.
    path = tmp_path / "r.csv"
    lines = ["email,name"] + [f"u{i}@x.com,User {i}" for i in range(10)]
    lines[4] = 'u3@x.com,"User 3'
    path.write_text("\n".join(lines) + "\n")
    rows = list(iter_rows(path))
    assert [r.number for r in rows] == list(range(1, 11))
    broken = rows[3]
    assert broken.values is None and broken.line == 5
    assert broken.error.path == "row 4 (line 5)" and "not closed" in broken.error.reason
    assert [r.values["email"] for r in rows if r.values] == [f"u{i}@x.com" for i in range(10) if i != 3]


def test_a_quote_open_for_longer_than_a_row_is_cut_there(tmp_path):
    path = tmp_path / "r.csv"
    filler = "".join(f"u{i}@x.com,{'n' * 60}\n" for i in range(3000))  # far more than MAX_ROW_CHARS
    path.write_text('email,name\na@x.com,"open\n' + filler)
    rows = list(iter_rows(path))
    assert len(rows) == 3001
    assert "not closed within" in rows[0].error.reason and rows[0].line == 2
    assert all(r.values for r in rows[1:])


def test_a_character_after_a_closing_quote_and_an_overlong_line(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text('email,name\na@x.com,"Ann"x\n' + "b" * (MAX_ROW_CHARS + 10) + "\nc@x.com,Cy\n")
    rows = list(iter_rows(path))
    assert [r.line for r in rows] == [2, 3, 4]
    assert "broken CSV" in rows[0].error.reason
    assert f"line 3 is longer than {MAX_ROW_CHARS}" in rows[1].error.reason
    assert rows[2].values == {"email": "c@x.com", "name": "Cy"}


def test_jsonl_rows(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(
        b'{"email":"a@x","points":12}\n[1]\n{"email":"b@x","n":null}\nnot json\n\n{"e":"\xff"}\n'
        b'{"a":"1","a":"2"}\n{"big":1e999}\n'
    )
    rows = list(iter_rows(path))
    assert rows[0].values == {"email": "a@x", "points": "12"}
    reasons = [r.error.reason for r in rows[1:]]
    assert reasons[:2] == ["must be a JSON object", "must be a string or a number"]
    assert reasons[2].startswith("not JSON (Expecting value")
    assert reasons[3:] == ["not valid UTF-8", "not JSON (duplicate member 'a')", "must be a string or a number"]
    assert [r.line for r in rows] == [1, 2, 3, 4, 6, 7, 8]


def test_a_deeply_nested_json_line_is_an_error_row_not_a_recursion_error(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"email":"a@x"}\n' + '{"x":' * 100_000 + "1" + "}" * 100_000 + '\n{"email":"b@x"}\n')
    rows = list(iter_rows(path))
    assert len(rows) == 3 and rows[0].values and rows[2].values
    assert rows[1].error.path == "row 2 (line 2)"
    assert "longer than" in rows[1].error.reason  # 600 KB: refused before parsing
    path.write_text('{"x":' * 100 + "1" + "}" * 100 + "\n")
    (row,) = iter_rows(path)
    assert row.error.reason == "nested deeper than 8 levels"


@pytest.mark.parametrize("content,message", [(b"", "empty"), (b"a,a\n1,2\n", "repeated"), (b",b\n", "empty")])
def test_bad_headers(tmp_path, content, message):
    path = tmp_path / "r.csv"
    path.write_bytes(content)
    with pytest.raises(errors.ConfigError, match=message):
        read_header(path)


def test_a_header_with_an_unclosed_quote_names_the_line(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text('\n"email,name\na,b\n')
    with pytest.raises(errors.ConfigError, match=r"header \(line 2\) is not readable"):
        read_header(path)


def test_unknown_format(tmp_path):
    with pytest.raises(errors.ConfigError, match=".csv or .jsonl"):
        list(iter_rows(tmp_path / "r.xlsx"))


def test_json_numbers_become_text(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"id": 7, "score": 1.5}) + "\n")
    assert next(iter_rows(path)).values == {"id": "7", "score": "1.5"}


# Damaged CSV: quotes, separators and line breaks in any order.
_csv_text = st.lists(st.sampled_from(['"', ",", "\n", "\r\n", "a", "b", " ", '""']), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(_csv_text)
def test_every_line_of_any_csv_is_accounted_for(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("csv") / "r.csv"
    path.write_text(text, newline="")
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as fh:
        lines = _Lines(fh)
        records = list(_csv_records(lines))
        total = lines.read
    # The spans tile the file: each line is in exactly one record, in order, none skipped.
    expected = 1
    for first, last, record, problem in records:
        assert first == expected and last >= first
        assert (record is None) == (problem is not None)
        if record is None:
            assert last == first  # a broken record costs its first line; the rest are read again
        expected = last + 1
    assert expected == total + 1


@settings(max_examples=200, deadline=None)
@given(_csv_text)
def test_iter_rows_never_raises_past_the_header(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("csv") / "r.csv"
    path.write_text("email,name\n" + text, newline="")
    rows = list(iter_rows(path))
    assert [r.number for r in rows] == list(range(1, len(rows) + 1))
    assert all((r.values is None) == (r.error is not None) for r in rows)
