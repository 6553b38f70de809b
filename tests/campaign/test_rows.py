from __future__ import annotations

import json

import pytest

from linkkit import errors
from linkkit.campaign import count_rows, iter_rows
from linkkit.campaign.rows import MAX_FIELD_CHARS, read_header


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
    assert rows[0].values == {"email": "a@x.com", "name": "Ann"}
    assert rows[1].error and rows[1].error.reason == "not valid UTF-8" and rows[1].error.path == "row 2.name"
    assert rows[2].error and "has 1 columns, the header has 2" in rows[2].error.reason
    assert rows[3].values == {"email": "d@x.com", "name": "multi\nline"}
    assert rows[4].error and "longer than" in rows[4].error.reason
    assert count_rows(path) == 5


def test_jsonl_rows(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"email":"a@x","points":12}\n[1]\n{"email":"b@x","n":null}\nnot json\n\n{"e":"\xff"}\n')
    rows = list(iter_rows(path))
    assert rows[0].values == {"email": "a@x", "points": "12"}
    assert [r.error.reason for r in rows[1:]] == [
        "must be a JSON object",
        "must be a string or a number",
        "not valid JSON (Expecting value)",
        "not valid UTF-8",
    ]


@pytest.mark.parametrize("content,message", [(b"", "empty"), (b"a,a\n1,2\n", "repeated"), (b",b\n", "empty")])
def test_bad_headers(tmp_path, content, message):
    path = tmp_path / "r.csv"
    path.write_bytes(content)
    with pytest.raises(errors.ConfigError, match=message):
        read_header(path)


def test_unknown_format(tmp_path):
    with pytest.raises(errors.ConfigError, match=".csv or .jsonl"):
        list(iter_rows(tmp_path / "r.xlsx"))


def test_json_numbers_become_text(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"id": 7, "score": 1.5}) + "\n")
    assert next(iter_rows(path)).values == {"id": "7", "score": "1.5"}
