"""Bulk conversion: a folder or a campaign file, resumable, one bad pass never stopping the run."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from linkkit.convert import BulkSpec, ConvertOptions, run_bulk
from linkkit.convert import bulk as bulk_module
from linkkit.errors import ConfigError
from linkkit.links import parse_link
from tests.conftest import CARD_ID, CERTIFICATE_ID

from ._zips import folder_files, pkpass
from .conftest import EXAMPLES, IMAGE_BASE

OPTIONS = ConvertOptions(image_base_url=IMAGE_BASE, time_zone="America/Los_Angeles")


@pytest.fixture
def passes(tmp_path: Path) -> Path:
    root = tmp_path / "passes"
    shutil.copytree(EXAMPLES / "apple" / "event-ticket.pass", root / "event-ticket.pass")
    (root / "coupon.pkpass").write_bytes(pkpass(folder_files("apple/coupon.pass")))
    (root / "google").mkdir()
    for name in ("event-ticket.object.json", "event-ticket.class.json", "loyalty.json"):
        shutil.copy(EXAMPLES / "google" / name, root / "google" / name)
    (root / "broken.pkpass").write_bytes(b"PK\x03\x04 not really")
    (root / "notes.txt").write_text("not a pass")
    return root


def _manifest(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


def _errors(out: Path) -> list[dict[str, str]]:
    with open(out / "errors.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_folder_converts_every_pass_and_lists_the_bad_one(passes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = BulkSpec(
        source=str(passes), out_dir=str(out), options=OPTIONS, card_id=CARD_ID, certificate_id=CERTIFICATE_ID
    )
    seen: list[tuple[int, int]] = []
    result = run_bulk(spec, progress=lambda done, total: seen.append((done, total)))
    assert (result.total, result.ok, result.failed, result.resumed) == (5, 4, 1, 0)
    assert seen[-1] == (5, 5)
    lines = _manifest(out)
    assert [line["source"] for line in lines] == [
        "event-ticket.pass", "coupon.pkpass", "google/event-ticket.object.json", "google/loyalty.json",
    ]  # fmt: skip
    for line in lines:
        card = json.loads((out / str(line["card"])).read_text())
        assert card["card"]["data"][0]["refId"] == line["ref_id"]
        assert parse_link(str(line["link"])).kind == "fetch"
        assert json.loads((out / str(line["report"])).read_text())["card"]["type"] == line["card_type"]
        assert (out / str(line["card"])).stat().st_mode & 0o777 == 0o600
    assert lines[2]["card_type"] == "ticket"  # its class was found beside it as event-ticket.class.json
    [error] = _errors(out)
    assert error["source"] == "broken.pkpass" and error["code"] == "not_a_pass"
    assert sorted(p.name for p in (out / "images").iterdir())  # the Apple passes' images, to upload


def test_a_second_run_resumes_and_redoes_only_what_changed(passes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = BulkSpec(source=str(passes), out_dir=str(out), options=OPTIONS)
    first = run_bulk(spec)
    before = {line["source"]: line["ref_id"] for line in _manifest(out)}
    assert run_bulk(spec).resumed == first.total  # a failed pass that did not change fails the same: kept
    data = json.loads((passes / "google" / "loyalty.json").read_text())
    data["accountName"] = "Sam T. Taylor"
    (passes / "google" / "loyalty.json").write_text(json.dumps(data))
    third = run_bulk(spec)
    assert third.resumed == first.total - 1
    after = {line["source"]: line["ref_id"] for line in _manifest(out)}
    assert after == before  # refIds are HMAC(secret, source): the same card keeps its refId
    card = json.loads((out / "cards" / f"{bulk_module._safe_name('google/loyalty.json')}.json").read_text())
    assert card["card"]["data"][0]["attributes"]["subtitle1"] == "Sam T. Taylor"


def test_a_run_refuses_a_folder_of_another_run_unless_restarted(passes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_bulk(BulkSpec(source=str(passes), out_dir=str(out), options=OPTIONS))
    other = BulkSpec(
        source=str(passes), out_dir=str(out), options=ConvertOptions(image_base_url="https://other.example")
    )
    with pytest.raises(ConfigError, match="holds another conversion"):
        run_bulk(other)
    assert run_bulk(other, restart=True).resumed == 0


def test_a_campaign_file_names_one_pass_per_recipient(tmp_path: Path) -> None:
    root = tmp_path / "campaign"
    root.mkdir()
    shutil.copy(EXAMPLES / "google" / "loyalty.json", root / "ann.json")
    shutil.copy(EXAMPLES / "google" / "gift-card.json", root / "bob.json")
    outside = tmp_path / "secret.json"
    outside.write_text("{}")
    rows = [
        ["recipient_id", "pass", "ref_id"],
        ["ann", "ann.json", "ref-ann-0001"],
        ["bob", "bob.json", ""],
        ["eve", "../secret.json", ""],
        ["mallory", "/etc/passwd", ""],
    ]
    with open(root / "members.csv", "w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    out = tmp_path / "out"
    result = run_bulk(BulkSpec(source=str(root / "members.csv"), out_dir=str(out)))
    assert (result.ok, result.failed) == (2, 2)
    lines = {line["source"]: line for line in _manifest(out)}
    assert lines["ann"]["ref_id"] == "ref-ann-0001" and lines["ann"]["card_type"] == "loyalty"
    assert len(str(lines["bob"]["ref_id"])) == 32
    assert [(e["source"], e["reason"]) for e in _errors(out)] == [
        ("eve", "row 3.pass: a path inside campaign/ is required"),
        ("mallory", "row 4.pass: a path inside campaign/ is required"),
    ]


def test_symlinks_in_the_folder_are_not_followed(passes: Path, tmp_path: Path) -> None:
    (passes / "sneaky.pkpass").symlink_to("/etc/passwd")
    (passes / "loop").symlink_to(passes)
    out = tmp_path / "out"
    run_bulk(BulkSpec(source=str(passes), out_dir=str(out), options=OPTIONS))
    errors = {e["source"]: e["reason"] for e in _errors(out)}
    assert errors["sneaky.pkpass"] == "a symbolic link: not followed"
    assert errors["loop"] == "a symbolic link: not followed"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"options": ConvertOptions(ref_id="one")}, "every card its own refId"),
     ({"card_id": CARD_ID}, "give both"),
     ({"options": ConvertOptions(image_host=lambda image: "https://x.example/i.png")}, "image_base_url")],
)  # fmt: skip
def test_bulk_options_that_cannot_work(kwargs: dict[str, object], message: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=message):
        BulkSpec(source=str(tmp_path), out_dir=str(tmp_path / "out"), **kwargs)  # type: ignore[arg-type]
