"""The floors of docs/architecture.md, checked on the import graph: lower floors never import
higher ones, and the sandbox and the partner side never import each other."""

from __future__ import annotations

import ast
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
        "linkkit.tokens",
        "linkkit.verify",
        "linkkit.authorization",
        "linkkit.links",
        "linkkit.config",
        "linkkit.atw_signature",
        "linkkit.action_types",
        "linkkit.replay",
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
