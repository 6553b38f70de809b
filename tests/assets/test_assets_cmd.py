"""``linkkit button`` and ``linkkit qr`` through click's runner; files decoded back with zbar."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from linkkit.cli.assets_cmd import button, qr
from linkkit.errors import QRCapacityError, ValidationError
from tests.assets._decode import decode_png, decode_svg
from tests.assets._html_check import parse

LINK = "https://a.swallet.link/atw/v3/YMtt/3glji6d406000#Clip?pdata=8bUAc3LoPtwFpNvWQ0qS1A"


def test_button_web() -> None:
    result = CliRunner().invoke(button, ["--link", LINK, "--locale", "ko", "--kind", "pay", "--theme", "dark"])
    assert result.exit_code == 0, result.output
    doc = parse(result.output)
    assert doc.one("a").attrs["href"] == LINK
    assert doc.one("img").attrs["src"] == "/_linkkit/web/buttons/pay/ko/dark-horizontal.svg"


def test_button_email() -> None:
    args = ["--link", LINK, "--format", "email", "--asset-base", "https://shop.example/l", "--layout", "vertical"]
    result = CliRunner().invoke(button, args)
    assert result.exit_code == 0, result.output
    assert (
        parse(result.output).one("img").attrs["src"]
        == "https://shop.example/l/buttons/wallet/en-US/light-vertical@2x.png"
    )


def test_button_email_needs_asset_base() -> None:
    result = CliRunner().invoke(button, ["--link", LINK, "--format", "email"])
    assert result.exit_code == 2 and "--asset-base" in result.output


def test_button_bad_link_is_a_linkkit_error() -> None:
    result = CliRunner().invoke(button, ["--link", "javascript:alert(1)"])
    assert isinstance(result.exception, ValidationError) and result.exception.field == "link"


def test_button_samsung_size() -> None:
    args = ["--link", LINK, "--format", "email", "--asset-base", "https://x.example", "--source", "samsung"]
    ok = CliRunner().invoke(button, [*args, "--size", "200x40"])
    assert ok.exit_code == 0 and parse(ok.output).one("img").attrs["height"] == "40"
    bad = CliRunner().invoke(button, [*args, "--size", "big"])
    assert bad.exit_code == 2 and "WIDTHxHEIGHT" in bad.output


def test_qr_png_prints_at_the_requested_size(tmp_path: Path) -> None:
    out = tmp_path / "card.png"
    result = CliRunner().invoke(qr, [LINK, "-o", str(out), "--size-cm", "2.54", "--dpi", "300"])
    assert result.exit_code == 0, result.output
    assert decode_png(out.read_bytes()) == [LINK.encode()]
    with Image.open(io.BytesIO(out.read_bytes())) as image:
        # at the recorded dpi the image is 1 inch wide: the print comes out at --size-cm
        assert image.size[0] / image.info["dpi"][0] == pytest.approx(1.0, abs=0.01)
        assert image.size[0] >= 300
    assert "module" in result.output and "good" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["card.png"]  # no temp file left behind


def test_qr_svg_json_report(tmp_path: Path) -> None:
    out = tmp_path / "card.svg"
    result = CliRunner().invoke(qr, [LINK, "-o", str(out), "--size-cm", "1.2", "--level", "H", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["level"] == "H" and report["verdict"] in ("marginal", "too small")
    assert report["file"] == str(out) and report["bytes"] == out.stat().st_size
    svg = out.read_text()
    assert 'width="1.2cm"' in svg
    assert decode_svg(svg) == [LINK.encode()]


def test_qr_refuses_bad_output_and_long_links(tmp_path: Path) -> None:
    bad = CliRunner().invoke(qr, [LINK, "-o", str(tmp_path / "x.jpg")])
    assert bad.exit_code == 2 and ".svg or .png" in bad.output
    target = tmp_path / "keep.png"
    target.write_bytes(b"old")
    long_link = "https://a.swallet.link/atw/v3/c#Clip?cdata=" + "x" * 3000
    result = CliRunner().invoke(qr, [long_link, "-o", str(target)])
    assert isinstance(result.exception, QRCapacityError)
    assert target.read_bytes() == b"old"  # nothing written on failure
    dense = CliRunner().invoke(qr, ["https://x.example/" + "a" * 400, "-o", str(target), "--max-version", "10"])
    assert isinstance(dense.exception, QRCapacityError) and "Data Fetch" in str(dense.exception)
