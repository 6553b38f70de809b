"""The floors of docs/architecture.md, checked on the import graph: lower floors never import
higher ones, and the sandbox and the partner side never import each other."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "linkkit"

FLOORS = {
    1: (
        "linkkit.errors",
        "linkkit.qr_capacity",
        "linkkit.resources",
        "linkkit._b64",
        "linkkit._atomic",
        "linkkit._wsgi",
        "linkkit._serving",
        "linkkit._tls_purpose",
        "linkkit._json",
        "linkkit._flask_json",
        "linkkit._urls",
        "linkkit._redact",
        "linkkit._clock",
        "linkkit.observability",
    ),
    2: ("linkkit.keys", "linkkit.identity", "linkkit.tls", "linkkit.cards"),
    3: (
        "linkkit.atw",
        # the pre-atw paths, deprecated re-exports of linkkit.atw until 2.0
        "linkkit.tokens",
        "linkkit.verify",
        "linkkit.authorization",
        "linkkit.links",
        "linkkit.atw_signature",
        "linkkit.action_types",
        "linkkit.replay",
        "linkkit.config",
        "linkkit.s2p",
        "linkkit.keyring",
        "linkkit.keyring_file",
        "linkkit.keyring_verify",
        "linkkit.expiry",
        "linkkit.rotation",
    ),
    4: ("linkkit.clients", "linkkit.assets", "linkkit.doctor", "linkkit.plan"),
    5: (
        "linkkit.partner",
        "linkkit.sandbox",
        "linkkit.campaign",
        "linkkit.flask",
        "linkkit.convert",
        "linkkit.django",
        "linkkit.asgi",
        "linkkit.probe",
    ),
    6: ("linkkit.cli", "linkkit.testing"),
}


def floor_of(module: str) -> int | None:
    for floor, prefixes in FLOORS.items():
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return floor
    return None


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        if name != "linkkit":
            found.append((name, path))
    return found


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n for n in names if n.startswith("linkkit")}


@pytest.mark.parametrize("name,path", modules(), ids=[n for n, _ in modules()])
def test_module_has_a_floor_and_imports_no_higher_floor(name, path):
    own = floor_of(name)
    assert own is not None, f"{name} is on no floor of docs/architecture.md"
    for target in imports(path):
        other = floor_of(target)
        if other is None:
            continue
        assert other <= own, f"{name} (floor {own}) imports {target} (floor {other})"
        pair = {name.split(".")[1], target.split(".")[1]}
        assert pair != {"partner", "sandbox"}, f"{name} imports {target}: they meet only over HTTP"


# -- each Add to Wallet URL is written in one place --------------------------------------------------

#: The one function that may write ``/atw/v{n}/...#Clip?...`` (docs/architecture.md, "one place each").
LINK_FORMATTER = ("linkkit.atw.links", "link_url")
_LINK_PIECE = re.compile(r"Clip\?|/atw/v$|/atw/v[13]/$|\?[cpa]data=$")


def link_formatting_sites(path: Path) -> list[tuple[str, int]]:
    """(innermost function, line) of every f-string in ``path`` that writes a piece of an Add to Wallet URL."""
    sites = []

    def visit(node: ast.AST, func: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            func = node.name
        if isinstance(node, ast.JoinedStr):
            literal = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
            uses_clip = any(isinstance(n, ast.Name) and n.id == "CLIP" for n in ast.walk(node))
            if uses_clip or any(_LINK_PIECE.search(piece) for piece in literal):
                sites.append((func, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child, func)

    visit(ast.parse(path.read_text("utf-8")), "<module>")
    return sites


def test_every_add_to_wallet_url_is_formatted_by_one_function():
    roots = [PACKAGE, PACKAGE.parent / "demo_site"]
    offenders = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            rel = path.relative_to(PACKAGE.parent).with_suffix("")
            module = ".".join(rel.parts).removesuffix(".__init__")
            for func, line in link_formatting_sites(path):
                if (module, func) != LINK_FORMATTER:
                    offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line} ({func})")
    assert not offenders, "build links with linkkit.atw.links.link_url, not by hand:\n" + "\n".join(offenders)
    formatter = PACKAGE / "atw" / "links.py"
    assert [func for func, _ in link_formatting_sites(formatter)] == ["link_url"], "the formatter itself moved?"


# -- no import cycle ---------------------------------------------------------------------------------


def import_graph() -> dict[str, set[str]]:
    """Module -> the linkkit modules it imports anywhere in its source: at the top, inside functions,
    under ``TYPE_CHECKING``. ``from linkkit.x import y`` is an edge to the module ``linkkit.x.y`` when
    there is one, else to ``linkkit.x``; a package's ``__init__`` counts only when it is named."""
    known = dict(modules())
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                edges.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    source = ".".join([*base, node.module] if node.module else base)
                else:
                    source = node.module or ""
                for alias in node.names:
                    edges.add(f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source)
        graph[name] = {e for e in edges if e in known and e != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of modules (iterative Tarjan, then a path)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(group)
    found = []
    for group in groups:
        start = min(group)
        path, seen = [start], {start}
        while True:  # walk inside the group until the path comes back to a module on it
            step = min(m for m in graph[path[-1]] if m in group)
            if step in seen:
                found.append([*path[path.index(step) :], step])
                break
            path.append(step)
            seen.add(step)
    return found


def test_cycle_finder_finds_a_planted_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e2"}, "e2": {"e"}}
    assert sorted(map(tuple, cycles(graph))) == [("a", "b", "c", "a"), ("e", "e2", "e")]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_the_package():
    graph = import_graph()
    assert graph["linkkit.partner.endpoints"], "the graph reads no imports: the test would prove nothing"
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


# -- the house in docs/architecture.md ---------------------------------------------------------------

#: The pre-atw module paths: deprecated re-exports, for users only.
DEPRECATED = (
    "linkkit.tokens",
    "linkkit.verify",
    "linkkit.links",
    "linkkit.atw_signature",
    "linkkit.action_types",
    "linkkit.replay",
    "linkkit.authorization",
)


def test_docs_show_every_room_of_every_floor():
    text = (PACKAGE.parent / "docs" / "architecture.md").read_text("utf-8")
    missing = []
    for prefixes in FLOORS.values():
        for prefix in prefixes:
            name = prefix.removeprefix("linkkit.")
            if f"{name}/" not in text and f"{name}.py" not in text:
                missing.append(prefix)
    assert not missing, f"docs/architecture.md does not show {missing}"


@pytest.mark.parametrize("name,path", modules(), ids=[n for n, _ in modules()])
def test_linkkit_itself_never_imports_a_deprecated_path(name, path):
    if name in DEPRECATED:
        return
    used = sorted(imports(path) & set(DEPRECATED))
    assert not used, f"{name} imports {used}: import from linkkit.atw instead"
