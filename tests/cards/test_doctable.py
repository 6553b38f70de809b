"""docs/cards.md: the generated table is in sync with the registry, and its examples run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from linkkit.cards import CARD_TYPES
from linkkit.cards.doctable import BEGIN, END, main, render_card_type, render_markdown, splice

DOC = Path(__file__).resolve().parents[2] / "docs" / "cards.md"


def test_docs_table_is_in_sync_with_the_registry() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert splice(text, render_markdown()) == text, "run: python -m linkkit.cards.doctable docs/cards.md"
    assert main(["--check", str(DOC)]) == 0


def test_every_type_and_attribute_is_documented() -> None:
    generated = render_markdown()
    for spec in CARD_TYPES.values():
        section = render_card_type(spec)
        assert section in generated
        for name in spec.attributes:
            assert f"| `{name}` |" in section
        for name in spec.required:
            assert f"| `{name}` | " in section and "**required**" in section


def test_python_examples_in_the_docs_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 4
    namespace: dict[str, object] = {}
    for index, block in enumerate(blocks):
        exec(compile(block, f"{DOC}#example{index}", "exec"), namespace)


def test_main_rewrites_and_checks(tmp_path: Path) -> None:
    doc = tmp_path / "cards.md"
    doc.write_text(f"# Title\n\n{BEGIN}\nold\n{END}\nafter\n", encoding="utf-8")
    assert main(["--check", str(doc)]) == 1
    assert main([str(doc)]) == 0
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Title\n") and text.endswith(f"{END}\nafter\n") and "### `loyalty`" in text
    assert main(["--check", str(doc)]) == 0
    assert main([]) == 2


def test_splice_needs_markers() -> None:
    with pytest.raises(ValueError, match="markers"):
        splice("no markers here", "x")
