"""The reliability table: one row per case, as markdown, and the stable part of a committed one."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Final

START: Final = "<!-- reliability-table:start -->"
END: Final = "<!-- reliability-table:end -->"
HEADER: Final = ("case", "target", "tries", "refused", "served", "lost")


@dataclass(frozen=True, kw_only=True, slots=True)
class Row:
    case: str
    target: str
    tries: int
    refused: int
    served: int
    lost: int

    def cells(self) -> tuple[str, ...]:
        return (self.case, self.target, str(self.tries), str(self.refused), str(self.served), str(self.lost))


@dataclass
class Table:
    """What the session measured, in the order the cases ran."""

    rows: dict[tuple[str, str], Row] = field(default_factory=dict)

    def record(self, case: str, target: str, *, tries: int, refused: int, served: int, lost: int) -> None:
        """One case's counts: ``tries`` attempts, ``refused`` answered with a refusal (4xx, 503, a
        closed connection), ``served`` answered normally (or survived), ``lost``: acknowledged but
        not kept, a hang, a crash or a wrong answer (must be 0)."""
        assert (case, target) not in self.rows, f"case recorded twice: {case} / {target}"
        assert "|" not in case + target, "a table cell cannot hold |"
        self.rows[(case, target)] = Row(
            case=case, target=target, tries=tries, refused=refused, served=served, lost=lost
        )

    def markdown(self, *, today: dt.date | None = None) -> str:
        day = (today or dt.datetime.now(dt.UTC).date()).isoformat()
        lines = [
            START,
            f"Measured {day} by `tests/reliability/` (tries, refused and served vary a little by machine;"
            " lost must be 0).",
            "",
            "| " + " | ".join(HEADER) + " |",
            "|" + "|".join("---" if i < 2 else "--:" for i in range(len(HEADER))) + "|",
        ]
        lines += ["| " + " | ".join(row.cells()) + " |" for row in self.rows.values()]
        lines.append(END)
        return "\n".join(lines) + "\n"

    def stable(self) -> set[tuple[str, str, str]]:
        """The part a committed table must match: case, target and lost."""
        return {(row.case, row.target, str(row.lost)) for row in self.rows.values()}


_ROW: Final = re.compile(r"^\|(.+)\|\s*$")


def committed_rows(text: str) -> set[tuple[str, str, str]]:
    """(case, target, lost) of every row between the markers of a document."""
    if START not in text or END not in text:
        return set()
    block = text.split(START, 1)[1].split(END, 1)[0]
    rows = set()
    for line in block.splitlines():
        match = _ROW.match(line.strip())
        if not match:
            continue
        cells = [cell.strip() for cell in match.group(1).split("|")]
        if len(cells) != len(HEADER) or cells[0] == HEADER[0] or set(cells[0]) <= set("-: "):
            continue
        rows.add((cells[0], cells[1], cells[5]))
    return rows


def replace_block(text: str, table: Table) -> str:
    """``text`` with its table block replaced by ``table``'s."""
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    return before + table.markdown().rstrip("\n") + after
