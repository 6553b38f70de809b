"""The funnel report (by card, by day, rates), on both engines, and ``linkkit stats`` (text, JSON, PNG)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from linkkit.cli.main import main
from linkkit.partner import CardEventRecord, SQLiteStore
from linkkit.partner.stats import funnel_report

T0 = 1_767_225_600.0  # 2026-01-01T00:00:00Z
DAY = 86_400.0


def fill(store: Any) -> None:
    beacons = [("c1", "impression")] * 8 + [("c1", "click")] * 4 + [("c1", "mint")] * 3 + [("c1", "mint-error")]
    for card, event in beacons:
        store.record_beacon(card, event, T0 + 60)
    for card, event in [("c2", "impression")] * 5 + [("c2", "click")]:
        store.record_beacon(card, event, T0 + DAY + 60)
    for i, (ref, event, at) in enumerate(
        [("r1", "ADDED", T0 + 100), ("r2", "ADDED", T0 + 200), ("r1", "DELETED", T0 + DAY + 100)]
    ):
        store.record_event(CardEventRecord("c1", ref, event, "US", None, f"id{i}", at))


def test_report_by_card_and_by_day(store: Any) -> None:
    fill(store)
    report = funnel_report(store, since=T0, until=T0 + 3 * DAY)
    c1, c2 = report.by_card
    assert (c1.card_id, c1.count("impression"), c1.count("click"), c1.count("add"), c1.count("remove")) == (
        "c1",
        8,
        4,
        2,
        1,
    )
    assert (c1.click_rate, c1.conversion) == (0.5, 0.5)
    assert (c2.card_id, c2.click_rate, c2.conversion) == ("c2", 0.2, 0.0)
    assert [r.day for r in report.by_day] == ["2026-01-01", "2026-01-02"]
    assert report.days() == ["2026-01-01", "2026-01-02", "2026-01-03"]
    assert report.total.count("impression") == 13 and report.total.count("mint-error") == 1
    only = funnel_report(store, since=T0, until=T0 + 3 * DAY, card_id="c2")
    assert [r.card_id for r in only.by_card] == ["c2"] and only.total.count("add") == 0
    with pytest.raises(ValueError, match="^until:"):
        funnel_report(store, since=T0, until=T0)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    store = SQLiteStore(tmp_path / "p.sqlite3")
    fill(store)
    store.close()
    return str(tmp_path / "p.sqlite3")


def test_stats_command_text_json_and_png(capsys: pytest.CaptureFixture[str], store_url: str, tmp_path: Path) -> None:
    window = ("--store-url", store_url, "--since", "2026-01-01", "--until", "2026-01-07")
    code, out, err = run(capsys, "stats", *window, "--png", str(tmp_path / "funnel.png"))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Button funnel 2026-01-01 .. 2026-01-07 (UTC)"
    row = next(line for line in lines if line.startswith("c1 "))
    assert row.split() == ["c1", "8", "4", "3", "1", "2", "1", "50.0%", "50.0%"]
    assert any(line.startswith("2026-01-02") for line in lines)
    image = Image.open(io.BytesIO((tmp_path / "funnel.png").read_bytes()))
    assert image.format == "PNG" and image.size == (960, 420)
    colours = {c for _, c in image.convert("RGB").getcolors(maxcolors=100_000)}  # type: ignore[union-attr]
    assert {(142, 145, 143), (26, 90, 224), (24, 128, 56), (179, 38, 30)} <= colours  # every series drawn
    code, out, _ = run(capsys, "stats", *window, "--json", "--card", "c1")
    report = json.loads(out)
    assert code == 0 and report["since"] == "2026-01-01" and report["until"] == "2026-01-08"
    assert report["total"] == {
        "impression": 8,
        "click": 4,
        "mint": 3,
        "mint-error": 1,
        "add": 2,
        "remove": 1,
        "click_rate": 0.5,
        "conversion": 0.5,
    }
    assert [d["day"] for d in report["by_day"]] == ["2026-01-01", "2026-01-02"]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (("--since", "yesterday"), "--since"),
        (("--since", "2026-02-01", "--until", "2026-01-01"), "--since"),
    ],
)
def test_stats_command_refusals_name_the_flag(
    capsys: pytest.CaptureFixture[str], store_url: str, argv: tuple[str, ...], needle: str
) -> None:
    code, _, err = run(capsys, "stats", "--store-url", store_url, *argv)
    assert code == 2 and needle in err


def test_stats_command_needs_a_store(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINKKIT_STORE_URL", raising=False)
    code, _, err = run(capsys, "stats")
    assert code == 2 and "--store-url is required" in err
