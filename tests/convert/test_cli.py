"""``linkkit convert``: files written only when the card is valid, --json, links, bulk with progress."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from linkkit.cli.main import main
from linkkit.links import parse_link
from tests.conftest import CARD_ID, CERTIFICATE_ID

from ._zips import pkpass
from .conftest import EXAMPLES, IMAGE_BASE


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def config(identity_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LINKKIT_CONFIG", str(identity_dir / "linkkit.toml"))
    return identity_dir


def test_one_apple_pass_to_a_card_with_its_images(capsys, tmp_path: Path) -> None:
    card = tmp_path / "card.json"
    code, out, err = run(
        capsys, "convert", str(EXAMPLES / "apple/store-card.pass"), "--to", str(card), "--image-base-url", IMAGE_BASE
    )
    assert code == 0, err
    assert out.startswith(f"{card}: loyalty/others from an apple storeCard\n")
    assert "dropped: webServiceURL: Apple's update service" in out and "localized: cy" in out
    written = json.loads(card.read_text())
    assert written["card"]["type"] == "loyalty" and card.stat().st_mode & 0o777 == 0o600
    images = sorted(p.name for p in (tmp_path / "card-images").iterdir())
    assert len(images) == 3 and all(f"{IMAGE_BASE}/{name}" in out for name in images)


def test_json_output_and_the_report_file(capsys, tmp_path: Path) -> None:
    card, report = tmp_path / "c.json", tmp_path / "r.json"
    code, out, _ = run(
        capsys, "convert", str(EXAMPLES / "google/event-ticket.object.json"), "--class",
        str(EXAMPLES / "google/event-ticket.class.json"), "--to", str(card), "--report", str(report),
        "--sub-type", "performances", "--ref-id", "ticket-ref-1", "--json",
    )  # fmt: skip
    assert code == 0
    body = json.loads(out)
    assert (body["type"], body["subType"], body["refId"]) == ("ticket", "performances", "ticket-ref-1")
    assert body["sourceId"] == "3388000000022139123.NIGHTOWLS-20261204-112F09" and body["images"] == []
    assert body["report"] == json.loads(report.read_text())
    assert {"field": "class.dateTime.doorsOpen", "reason": "Samsung tickets have no doors-open time"} in body["report"][
        "dropped"
    ]


def test_to_stdout(capsys) -> None:
    code, out, err = run(capsys, "convert", str(EXAMPLES / "google/generic.json"), "--to", "-")
    assert code == 0 and json.loads(out)["card"]["type"] == "generic"
    assert "the card: generic/others from a" not in out and "generic/others" in err


def test_links_fetch_and_transmit(capsys, tmp_path: Path, config: Path) -> None:
    flight = str(EXAMPLES / "google/flight.json")
    zone = ("--time-zone", "America/Los_Angeles", "--arrival-time-zone", "Europe/Zurich")
    code, out, _ = run(capsys, "convert", flight, "--to", str(tmp_path / "f.json"), *zone, "--link", "fetch", "--json")
    assert code == 0
    body = json.loads(out)
    link = parse_link(body["link"])
    assert (link.kind, link.card_id, link.ref_id) == ("fetch", CARD_ID, body["refId"])  # type: ignore[union-attr]
    assert link.certificate_id == CERTIFICATE_ID  # type: ignore[union-attr]
    code, out, err = run(capsys, "convert", flight, "--to", str(tmp_path / "t.json"), *zone, "--link", "transmit")
    assert code == 0 and parse_link(out.strip().splitlines()[-1]).kind == "transmit"
    assert "valid for 30 seconds" in err


def test_a_missing_setting_writes_nothing(capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LINKKIT_CONFIG", raising=False)
    monkeypatch.delenv("LINKKIT_CARD_ID", raising=False)
    code, _, err = run(capsys, "convert", str(EXAMPLES / "google/generic.json"), "--to", "card.json", "--link", "fetch")
    assert code == 2 and "--card-id is required" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pkpass({"pass.json": b"{}", "logo.png": b"\0" * (1024 * 1024)}), "compressed like a zip bomb"),
        (pkpass({"pass.json": b"{}", "../../evil.png": b"x"}), "is not a pass file name"),
        (pkpass({"pass.json": b'{"formatVersion": 1, "generic": {"a": '}), "pass.json: not JSON"),
    ],
)
def test_hostile_input_is_one_line_and_writes_nothing(capsys, tmp_path: Path, data: bytes, message: str) -> None:
    source = tmp_path / "in" / "bad.pkpass"
    source.parent.mkdir()
    source.write_bytes(data)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, _, err = run(
        capsys, "convert", str(source), "--to", str(out_dir / "card.json"), "--image-base-url", IMAGE_BASE
    )
    assert code == 1 and err.startswith("linkkit: error: ") and message in err and err.count("\n") == 1
    assert "Traceback" not in err and list(out_dir.iterdir()) == []


def test_a_required_attribute_missing_is_explained(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "convert", str(EXAMPLES / "apple/coupon.pass"), "--to", str(tmp_path / "c.json"))
    assert code == 1
    assert "mainImg: required: the pass has the image, but it must be hosted" in err and "(and " in err
    assert list(tmp_path.iterdir()) == []
    code, _, err = run(
        capsys, "convert", str(EXAMPLES / "apple/coupon.pass"), "--to", str(tmp_path / "c.json"),
        "--image-base-url", IMAGE_BASE, "--set", "appLinkData=https://brewbean.example/app", "--set", "bad",
    )  # fmt: skip
    assert code == 2 and "NAME=VALUE" in err


def test_a_folder_with_a_progress_line_and_a_summary(capsys, tmp_path: Path) -> None:
    root = tmp_path / "passes"
    shutil.copytree(EXAMPLES / "google", root)
    (root / "broken.json").write_text("{")
    out_dir = tmp_path / "out"
    code, out, err = run(
        capsys, "convert", str(root), "--out", str(out_dir), "--time-zone", "America/Los_Angeles", "--json",
        "--progress", "json",
    )  # fmt: skip
    assert code == 1  # one pass failed
    assert json.loads(out) == {"passes": 8, "ok": 7, "failed": 1, "resumed": 0, "out": str(out_dir)}
    progress = [json.loads(line) for line in err.splitlines()]
    assert progress[-1]["event"] == "done" and progress[-1]["done"] == 8
    code, out, _ = run(capsys, "convert", str(root), "--out", str(out_dir), "--time-zone", "America/Los_Angeles")
    assert out == f"7 cards in {out_dir}/cards, 1 passes in {out_dir}/errors.csv (8 already done)\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--to", "x.json"], "--to is for one pass"), (["--link", "transmit"], "dies 30 seconds"),
     ([], "--out DIR is required")],
)  # fmt: skip
def test_bulk_usage_errors(capsys, tmp_path: Path, args: list[str], message: str) -> None:
    out = ["--out", str(tmp_path / "o")] if args else []
    code, _, err = run(capsys, "convert", str(EXAMPLES / "google"), *out, *args)
    assert code == 2 and message in err


def test_help_teaches(capsys) -> None:
    code, out, _ = run(capsys, "convert", "--help")
    assert code == 0
    assert "Examples:" in out and "--image-base-url" in out and "--set NAME=VALUE" in out and "resume" in out
