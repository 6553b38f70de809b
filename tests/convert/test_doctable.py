"""docs/convert.md shows what the code does: its side-by-side examples are regenerated and compared."""

from __future__ import annotations

from pathlib import Path

from linkkit.convert.doctable import MARKER, main, splice

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "convert.md"


def test_the_page_is_in_sync_with_the_mapping() -> None:
    text = PAGE.read_text("utf-8")
    assert splice(text, ROOT) == text, "run: python -m linkkit.convert.doctable docs/convert.md"
    assert main(["--check", str(PAGE)]) == 0


def test_every_example_pass_is_on_the_page() -> None:
    shown = {m.group("args").split()[0] for m in MARKER.finditer(PAGE.read_text("utf-8"))}
    shipped = {
        str(p.relative_to(ROOT))
        for p in (ROOT / "examples" / "convert").glob("*/*")
        if p.name.endswith(".pass") or (p.suffix == ".json" and not p.name.endswith(".class.json"))
    }
    assert shown == shipped


def test_a_stale_block_is_found(tmp_path: Path) -> None:
    page = tmp_path / "docs" / "convert.md"
    page.parent.mkdir()
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    page.write_text("<!-- linkkit convert examples/convert/google/generic.json -->\nold\n<!-- end of example -->\n")
    assert main(["--check", str(page)]) == 1
    assert main([str(page)]) == 0 and main(["--check", str(page)]) == 0
    assert "`header` → Samsung" not in page.read_text() and "| `object.header` | `title` |" in page.read_text()
