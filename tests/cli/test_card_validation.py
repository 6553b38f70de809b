"""Card validation on the command line: warnings print and the link is built, --strict refuses them,
--lenient is a deprecated no-op, errors still fail naming the field (link transmit and plan alike)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from linkkit.cli.main import main
from linkkit.links import parse_link
from tests.cards._samples import SAMPLES, sample

from .test_cli import run


@pytest.fixture
def config(identity_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LINKKIT_CONFIG", str(identity_dir / "linkkit.toml"))
    return identity_dir


def write(tmp_path: Path, card: dict[str, Any], name: str = "card.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(card), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_transmit_builds_the_link_of_a_sample_shaped_card_with_warnings(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path, name: str
) -> None:
    card, expected = SAMPLES[name]
    code, out, err = run(capsys, "link", "transmit", write(tmp_path, card))
    assert code == 0, err
    assert parse_link(out.strip()).kind == "transmit"
    lines = [line for line in err.strip().splitlines() if not line.startswith("linkkit: warning: cdata is")]
    assert len(lines) == len(expected)
    for line, (rule, path) in zip(lines, expected, strict=True):
        assert line.startswith(f"linkkit: warning: {path}: ") and line.endswith(f"[{rule}]")
        assert "linkkit sends" in line
    code, out, _ = run(capsys, "inspect", out.strip())
    assert code == 0 and "✓ card" in out  # the doctor gives the same verdict


def test_transmit_json_lists_the_warnings_with_their_evidence(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "link", "transmit", write(tmp_path, sample("coupon")), "--json")
    result = json.loads(out)
    assert code == 0 and [w["rule"] for w in result["warnings"]] == ["empty-timestamp", "sub-type-missing"]
    evidence = result["warnings"][1]["evidence"]
    assert {e["source"] for e in evidence} == {"current docs", "sample"} and all(e["url"] for e in evidence)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_strict_refuses_the_warnings(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path, name: str
) -> None:
    card, expected = SAMPLES[name]
    code, out, err = run(capsys, "link", "transmit", write(tmp_path, card), "--strict")
    assert code == 1 and out == ""
    first = expected[0][1]
    assert err.startswith(f"linkkit: error: {first}: ") and "refused in strict mode" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_lenient_still_works_is_deprecated_and_conflicts_with_strict(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path, loyalty_card: dict[str, Any]
) -> None:
    path = write(tmp_path, loyalty_card)
    code, out, err = run(capsys, "link", "transmit", path, "--lenient")
    assert code == 0 and out.startswith("https://") and "--lenient is deprecated" in err
    code, out, err = run(capsys, "link", "transmit", path, "--lenient", "--strict")
    assert code == 2 and out == "" and "--strict and --lenient" in err
    code, out, _ = run(capsys, "link", "transmit", "--help")
    assert "--strict" in out and "Deprecated" in out


def test_unknown_attribute_warns_with_a_close_match(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path, loyalty_card: dict[str, Any]
) -> None:
    loyalty_card["card"]["data"][0]["attributes"]["bgColour"] = "#003087"  # type: ignore[index]
    code, _, err = run(capsys, "link", "transmit", write(tmp_path, loyalty_card))
    assert code == 0 and 'did you mean "bgColor"?' in err and "[unknown-attribute]" in err


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"title": "t" * 40}, "card.data[0].attributes.title"),
        ({"expiry": "1737592000000"}, "card.data[0].attributes.expiry"),
        ({"mainImg": {"url": "https://x.example/a.png"}}, "card.data[0].attributes.mainImg"),
    ],
)
@pytest.mark.parametrize("strict", [[], ["--strict"]])
def test_errors_still_fail_naming_the_field(
    capsys: pytest.CaptureFixture[str],
    config: Path,
    tmp_path: Path,
    change: dict[str, Any],
    path: str,
    strict: list[str],
) -> None:
    card = sample("coupon")
    card["card"]["data"][0]["attributes"].update(change)
    for command in (["link", "transmit"], ["plan", "--channel", "web"]):
        code, out, err = run(capsys, *command, write(tmp_path, card), *strict)
        assert code == 1 and out == "", command
        assert err.startswith(f"linkkit: error: {path}: ") and "Traceback" not in err


def test_plan_validates_the_card_the_same_way(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, sample("coupon"))
    code, out, err = run(capsys, "plan", path, "--channel", "email")
    assert code == 0 and "recommended: fetch" in out
    assert [line.rsplit("[", 1)[1] for line in err.strip().splitlines()] == ["empty-timestamp]", "sub-type-missing]"]
    code, out, _ = run(capsys, "plan", path, "--channel", "email", "--json")
    assert code == 0 and [w["rule"] for w in json.loads(out)["card_warnings"]] == [
        "empty-timestamp",
        "sub-type-missing",
    ]
    code, out, err = run(capsys, "plan", path, "--channel", "email", "--strict")
    assert code == 1 and out == "" and err.startswith("linkkit: error: card.data[0].attributes.redeemDate: ")


def test_main_returns_exit_codes_not_system_exit(tmp_path: Path) -> None:
    assert main(["plan", write(tmp_path, sample("event ticket")), "--channel", "qr", "--strict"]) == 1


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested deeper than 64 levels"),
        (b'{"card": 1, "card": 2}', "duplicate member"),
        (b" " * (1024 * 1024 + 1), "larger than"),
        (b'{"card": NaN}', "not JSON"),
    ],
)
def test_hostile_json_files_get_one_line_naming_the_file(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path, content: bytes, reason: str
) -> None:
    # Before: a RecursionError traceback for a deep file, from link transmit and plan alike.
    path = tmp_path / "card.json"
    path.write_bytes(content)
    for command in (["link", "transmit"], ["plan", "--channel", "web"]):
        code, out, err = run(capsys, *command, str(path))
        assert code == 1 and out == "", command
        assert err.startswith(f"linkkit: error: {path}: ") and reason in err and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1
