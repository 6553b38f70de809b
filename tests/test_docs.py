"""Every ```python block of the README and of docs/*.md runs as written, alone, in a fresh interpreter,
and every figure the docs print is the one the code gives (docs that lie are bugs).

The rules a doc page follows (and this test enforces):

* A ```python block runs on its own in a new ``python`` process, in an empty working folder, as a
  reader pastes it. A block that builds on the one before says so in its fence, ```python continued
  (GitHub still highlights it as Python), and runs after it in the same namespace; start such a
  block with a comment naming what it continues, since readers do not see the fence's words.
* An expression statement whose trailing comment is a Python literal states its value: the line
  ``qr.version, qr.modules  # (6, 41)`` fails the suite unless the code gives ``(6, 41)``. Comments
  that are prose (``# one <path>``) are not checked.
* A fence whose words end in ``output`` (```text output, ```html output) right after a python
  block is what that block prints: whitespace runs match any whitespace, ``…`` matches anything.

``python tests/test_docs.py PAGE.md INDEX`` runs one block (and its continuations) by hand.
"""

from __future__ import annotations

import ast
import io
import os
import re
import subprocess
import sys
import tokenize
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.S | re.M)


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    page: Path
    words: tuple[str, ...]  # the fence's info string, split
    source: str
    line: int  # line of the first source line in the page

    @property
    def is_python(self) -> bool:
        return bool(self.words) and self.words[0] == "python"

    @property
    def continues(self) -> bool:
        return self.is_python and "continued" in self.words[1:]

    @property
    def is_output(self) -> bool:
        return len(self.words) >= 2 and self.words[-1] == "output"


def blocks(page: Path) -> list[Block]:
    text = page.read_text("utf-8")
    return [
        Block(page, tuple(m.group(1).split()), m.group(2), text.count("\n", 0, m.start(2)) + 1)
        for m in FENCE.finditer(text)
    ]


def chains(page: Path) -> list[list[int]]:
    """Indexes (into :func:`blocks`) of each run of a standalone python block and its continuations."""
    out: list[list[int]] = []
    for i, block in enumerate(blocks(page)):
        if block.continues:
            if not out:
                raise AssertionError(f"{page.name} line {block.line}: a continued block with nothing before it")
            out[-1].append(i)
        elif block.is_python:
            out.append([i])
    return out


# --- the checks inside the block's own interpreter ---------------------------------------------


def literal_comments(source: str) -> dict[int, Any]:
    """Line → value of each trailing comment that is a Python literal (``# (6, 41)``, ``# 'preview'``)."""
    found: dict[int, Any] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        text = token.string[1:].strip()
        try:
            found[token.start[0]] = ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue  # prose
    return found


class _ExpectValues(ast.NodeTransformer):
    """Turn ``expr  # literal`` into ``__doc_expect__(expr, literal, line)``."""

    def __init__(self, expected: dict[int, Any], first_line: int) -> None:
        self.expected = expected
        self.first_line = first_line
        self.checked = 0

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        line = node.end_lineno
        if line is None or line not in self.expected:
            return node
        self.checked += 1
        call = ast.Call(
            func=ast.Name("__doc_expect__", ast.Load()),
            args=[node.value, ast.Constant(self.expected[line]), ast.Constant(self.first_line + line - 1)],
            keywords=[],
        )
        return ast.copy_location(ast.Expr(call), node)


def checked_code(block: Block) -> tuple[Any, int]:
    """The block compiled with its printed values checked, line numbers those of the page."""
    tree = ast.parse(block.source)
    transformer = _ExpectValues(literal_comments(block.source), block.line)
    tree = ast.fix_missing_locations(transformer.visit(tree))
    ast.increment_lineno(tree, block.line - 1)
    return compile(tree, _name(block.page), "exec"), transformer.checked


def _name(page: Path) -> str:
    return str(page.relative_to(ROOT)) if page.is_relative_to(ROOT) else page.name


def matches_output(expected: str, actual: str) -> bool:
    """Whitespace runs match any whitespace or none; ``…`` matches anything."""
    pattern = ""
    for piece in re.split(r"(…|\s+)", expected.strip()):
        if piece == "…":
            pattern += r".*?"
        elif piece.isspace():
            pattern += r"\s*"
        elif piece:
            pattern += re.escape(piece)
    return re.fullmatch(pattern, actual.strip(), re.S) is not None


def run_chain(page: Path, first: int) -> int:
    """Run one chain of blocks in this interpreter; returns how many printed values it checked."""
    every = blocks(page)
    chain = next(c for c in chains(page) if c[0] == first)
    name = _name(page)

    def expect(value: Any, expected: Any, line: int) -> None:
        if value != expected:
            raise AssertionError(f"{name} line {line}: the docs print {expected!r}, the code gives {value!r}")

    namespace: dict[str, Any] = {"__name__": "__doc_example__", "__doc_expect__": expect}
    checked = 0
    for i in chain:
        code, n = checked_code(every[i])
        checked += n
        printed = io.StringIO()
        with redirect_stdout(printed):
            exec(code, namespace)  # the documentation's own examples
        sys.stdout.write(printed.getvalue())
        after = every[i + 1] if i + 1 < len(every) else None
        if after is not None and after.is_output:
            checked += 1
            if not matches_output(after.source, printed.getvalue()):
                raise AssertionError(
                    f"{name} line {after.line}: the docs show this output:\n{after.source}\n"
                    f"the block printed:\n{printed.getvalue()}"
                )
    return checked


# --- the test suite: one fresh interpreter per chain -------------------------------------------


def _pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


CHAINS = [(page, chain[0]) for page in _pages() for chain in chains(page)]


def run_in_fresh_interpreter(page: Path, first: int, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(Path(__file__)), str(page), str(first)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _chain_id(item: tuple[Path, int]) -> str:
    page, first = item
    return f"{_name(page)}:{blocks(page)[first].line}"


if "pytest" in sys.modules:
    import pytest

    @pytest.mark.parametrize(("page", "first"), CHAINS, ids=[_chain_id(c) for c in CHAINS])
    def test_each_example_runs_alone_and_prints_what_the_docs_say(page: Path, first: int, tmp_path: Path) -> None:
        result = run_in_fresh_interpreter(page, first, tmp_path)
        assert result.returncode == 0, result.stderr[-4000:]

    def test_the_docs_state_figures_that_are_checked() -> None:
        # The checks must not rot into "nothing recognised": these pages print figures.
        for page, line in [("docs/qr.md", "qr.version, qr.modules  # (6, 41)")]:
            source = (ROOT / page).read_text("utf-8")
            assert line in source
        code_lines = literal_comments("qr.version, qr.modules  # (6, 41)\nsvg = qr.svg()  # one <path>\n")
        assert code_lines == {1: (6, 41)}

    def test_a_wrong_figure_fails(tmp_path: Path) -> None:
        page = tmp_path / "wrong.md"
        page.write_text(
            "```python\nfrom linkkit import fetch_link\nfrom linkkit.assets import make_qr\n\n"
            'qr = make_qr(fetch_link("YMtt", "3glji6d406000", "Xq9vJ2kPz8LmN4tR7wYc1bHs5dFg3aE6"))\n'
            "qr.version, qr.modules  # (5, 37)\n```\n\n"
            '```python\nprint("version", 6)\n```\n\n```text output\nversion 5\n```\n',
            "utf-8",
        )
        figure = run_in_fresh_interpreter(page, 0, tmp_path)
        assert figure.returncode != 0
        assert "wrong.md line 6: the docs print (5, 37), the code gives (6, 41)" in figure.stderr
        output = run_in_fresh_interpreter(page, 1, tmp_path)
        assert output.returncode != 0 and "wrong.md line 14: the docs show this output" in output.stderr

    def test_a_block_sees_only_what_its_own_chain_defined(tmp_path: Path) -> None:
        page = tmp_path / "chain.md"
        page.write_text(
            "```python\nx = 1\n```\n\n```python continued\n# continues the block above\nx + 1  # 2\n```\n\n"
            "```python\nx  # 1\n```\n",
            "utf-8",
        )
        assert chains(page) == [[0, 1], [2]]
        assert run_in_fresh_interpreter(page, 0, tmp_path).returncode == 0
        alone = run_in_fresh_interpreter(page, 2, tmp_path)
        assert alone.returncode != 0 and "NameError" in alone.stderr
        (tmp_path / "orphan.md").write_text("```python continued\nx\n```\n", "utf-8")
        with pytest.raises(AssertionError, match="a continued block with nothing before it"):
            chains(tmp_path / "orphan.md")

    def test_output_matching_rules() -> None:
        assert matches_output('<a href="…"\n   lang="de">', '<a href="https://x" lang="de">')
        assert not matches_output('width="257"', 'width="312"')


if __name__ == "__main__":
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
    checked = run_chain(Path(sys.argv[1]).resolve(), int(sys.argv[2]))
    sys.stderr.write(f"ok: {checked} printed values checked\n")
