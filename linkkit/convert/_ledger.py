"""Read a source document and remember what was read: whatever was not is what the report lists as dropped.

The mapping code never lists dropped fields by hand (a list kept by hand forgets the field nobody thought
of). It reads the source through :class:`Node`; every value it uses is marked, every value it refuses is
marked with the reason, and :meth:`Ledger.dropped` walks the whole document afterwards. A subtree nobody
touched is reported once, at its root (``userInfo``, not each of its members).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fnmatch import fnmatchcase
from typing import Final

from linkkit.cards._kinds import type_name
from linkkit.convert.report import Dropped, Mapped

PathT = tuple[str | int, ...]
#: Reason for a field that no mapping rule names.
NO_COUNTERPART: Final = "no Samsung counterpart"
_MISSING: Final = object()


def render(path: PathT, prefix: str = "") -> str:
    """``("boardingPass", "primaryFields", 0, "value")`` → ``boardingPass.primaryFields[0].value``."""
    out = prefix
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out = f"{out}.{part}" if out else part
    return out


def _pattern(path: PathT, prefix: str) -> str:
    # Indices become ".#" so that rule patterns can say "barcodes[*].messageEncoding" (written with
    # "[*]", matched as ".#": fnmatch would read "[*]" as a character class).
    return render(tuple("#" if isinstance(p, int) else p for p in path), prefix)


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


class Ledger:
    """The uses and refusals recorded on one source document (``prefix`` names it in paths)."""

    def __init__(self, root: object, *, prefix: str = "", reasons: Mapping[str, str] | None = None) -> None:
        self.root = root
        self.prefix = prefix
        self._reasons = {k.replace("[*]", ".#"): v for k, v in (reasons or {}).items()}
        self._used: set[PathT] = set()
        self._uses: dict[tuple[PathT, str], None] = {}  # (path, target) in the order they were made
        self._refused: dict[PathT, str] = {}
        #: While ``False`` (the other-language runs) nothing is recorded: the base run decides.
        self.recording = True

    def node(self) -> Node:
        return Node(self, (), self.root)

    def use(self, path: PathT, target: str) -> None:
        if self.recording:
            self._used.add(path)
            self._uses[(path, target)] = None

    def mapped(self) -> list[Mapped]:
        """Every use, as (source path, what it went into), in order."""
        return [Mapped(render(path, self.prefix), target) for path, target in self._uses]

    def refuse(self, path: PathT, reason: str) -> None:
        if self.recording:
            self._refused.setdefault(path, reason)

    def reason_for(self, path: PathT) -> str:
        """The rule table's reason for ``path`` with the ledger's prefix (glob patterns such as
        ``*.changeMessage``, ``object.id``), else the default."""
        text = _pattern(path, self.prefix)
        for pattern, reason in self._reasons.items():
            if pattern == text or fnmatchcase(text, pattern):
                return reason
        return NO_COUNTERPART

    def dropped(self) -> list[Dropped]:
        """Every non-empty part of the document that was neither used nor inside a used part."""
        above_used: set[PathT] = set()  # proper ancestors of a used path
        for path in self._used:
            above_used.update(path[:i] for i in range(len(path)))
        touched = set(above_used)
        for path in self._refused:
            touched.update(path[:i] for i in range(len(path) + 1))
        out: list[Dropped] = []
        self._walk(self.root, (), (touched, above_used), out)
        return out

    def _walk(self, value: object, path: PathT, seen: tuple[set[PathT], set[PathT]], out: list[Dropped]) -> None:
        touched, above_used = seen
        if path in self._used or _is_empty(value):
            return
        if path in self._refused and path not in above_used:
            out.append(Dropped(render(path, self.prefix), self._refused[path]))
            return
        if path not in touched or not isinstance(value, (dict, list)):
            out.append(Dropped(render(path, self.prefix), self.reason_for(path)))
            return
        children: Iterator[tuple[str | int, object]] = (
            iter(value.items()) if isinstance(value, dict) else iter(enumerate(value))
        )
        inner: list[Dropped] = []
        present = 0
        for key, child in children:
            if not _is_empty(child):
                present += 1
            self._walk(child, (*path, key), seen, inner)
        # A field refused whole (key, label and value for the same reason) is one line, not three.
        reasons = {d.reason for d in inner}
        if path not in above_used and len(inner) == present > 1 and len(reasons) == 1 and _direct(inner, path, self):
            out.append(Dropped(render(path, self.prefix), reasons.pop()))
        else:
            out.extend(inner)


def _direct(items: list[Dropped], path: PathT, ledger: Ledger) -> bool:
    """True when every item is a direct child of ``path`` (a collapse never hides a deeper structure)."""
    base = render(path, ledger.prefix)
    return all(d.source.count(".") + d.source.count("[") == base.count(".") + base.count("[") + 1 for d in items)


class Node:
    """A value of the source at ``path``; reading it through the typed accessors marks it used."""

    __slots__ = ("_ledger", "path", "value")

    def __init__(self, ledger: Ledger, path: PathT, value: object) -> None:
        self._ledger = ledger
        self.path = path
        self.value = value

    def __repr__(self) -> str:
        return f"Node({self.where!r})"

    @property
    def where(self) -> str:
        """The rendered path, for reports and error messages."""
        return render(self.path, self._ledger.prefix)

    @property
    def exists(self) -> bool:
        return self.value is not _MISSING and not _is_empty(self.value)

    def __getitem__(self, key: str | int) -> Node:
        value = self.value
        if isinstance(key, str) and isinstance(value, dict):
            child = value.get(key, _MISSING)
        elif isinstance(key, int) and isinstance(value, list) and 0 <= key < len(value):
            child = value[key]
        else:
            child = _MISSING
        return Node(self._ledger, (*self.path, key), child)

    def get(self, dotted: str) -> Node:
        """``node.get("a.b")`` is ``node["a"]["b"]``."""
        node = self
        for part in dotted.split("."):
            node = node[part]
        return node

    def items(self) -> list[Node]:
        """The members of a list (an empty list for anything else)."""
        return [self[i] for i in range(len(self.value))] if isinstance(self.value, list) else []

    def keys(self) -> list[str]:
        return [k for k in self.value if isinstance(k, str)] if isinstance(self.value, dict) else []

    def use(self, target: str) -> None:
        """Mark this value (and everything under it) as carried over into ``target``."""
        if self.value is not _MISSING:
            self._ledger.use(self.path, target)

    def refuse(self, reason: str) -> None:
        """Mark this value as not carried over, with the reason the report gives."""
        if self.exists:
            self._ledger.refuse(self.path, reason)

    def text(self) -> str | None:
        """The value as text (numbers too), or ``None``; reading marks nothing (the draft marks what it takes)."""
        value = self.value
        if isinstance(value, str):
            return value.strip() or None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
                return str(int(value))
            return str(value)
        if self.exists:
            self.refuse(f"expected text (got {type_name(value)})")
        return None

    def number(self) -> float | None:
        value = self.value
        number = float("nan")
        if isinstance(value, (int, float, str)) and not isinstance(value, bool):
            try:
                number = float(value)
            except (ValueError, OverflowError):
                pass
        if number == number and abs(number) != float("inf"):
            return number
        if self.exists:
            self.refuse("expected a number")
        return None

    def flag(self) -> bool | None:
        if isinstance(self.value, bool):
            return self.value
        if self.exists:
            self.refuse("expected true or false")
        return None
