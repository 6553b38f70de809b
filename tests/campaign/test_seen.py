"""Duplicate recipients found in constant memory, in a private SQLite file nobody sees."""

from __future__ import annotations

import os

from linkkit.campaign.seen import SeenKeys


def test_first_row_of_each_key_case_insensitive():
    with SeenKeys() as seen:
        assert seen.first_row("ann@example.com", 1) == 1
        assert seen.first_row("bob@example.com", 2) == 2
        assert seen.first_row("ANN@example.com", 3) == 1
        for row in range(4, 20_000):
            assert seen.first_row(f"user{row}@example.com", row) == row
        assert seen.first_row("user4@example.com", 20_000) == 4


def test_the_store_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    with SeenKeys() as seen:
        for row in range(1, 5000):
            seen.first_row(f"k{row}", row)
        # SQLite's private temporary database is unlinked as soon as it is opened.
        assert os.listdir(tmp_path) == []
    assert os.listdir(tmp_path) == []
