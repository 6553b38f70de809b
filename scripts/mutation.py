"""Mutation testing of linkkit's security core: does each check have a test that fails without it?

A small AST-based runner (no mutmut): for every mutation point in a module it writes one mutant into a
temporary copy of the repository (the real files are never touched), runs only the tests that cover
that module (``pytest -x -q -p no:cacheprovider``, with a timeout) and records whether a test failed
(*killed*) or all passed (*survived*). A mutant that survives is a check no test is aimed at.

Operators: comparison flips (``<``/``<=``, ``>``/``>=``, ``==``/``!=``, ``in``/``not in``,
``is``/``is not``), ``and``/``or``, dropping a ``not``, ``True``/``False``, numbers ±1, removal of a
``raise`` or of an ``if`` guard's body, and removal of one member of a set literal or of the tuple or
list an ``in`` test looks into (the allow-lists).

Speed on a shared 2-CPU machine: one worker process. The parent imports pytest, its plugins and the
third-party libraries once, never linkkit; each mutant runs in a forked child that imports linkkit from
the temporary copy, where every other module is already byte-compiled. Run it at low priority::

    nice -n 19 .venv/bin/python scripts/mutation.py                 # every module (make mutation)
    .venv/bin/python scripts/mutation.py --module linkkit/_b64.py   # one module
    .venv/bin/python scripts/mutation.py --module linkkit/_b64.py --line 31 --list

Mutants known to be equivalent (no test can tell them apart from the original) are named in
:data:`EQUIVALENT` with the reason, and left out of the score.
"""

from __future__ import annotations

import argparse
import ast
import compileall
import contextlib
import copy
import importlib
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, kw_only=True)
class Target:
    """One module under test and the tests that cover it (most specific first: ``-x`` stops early)."""

    path: str
    tests: tuple[str, ...]
    #: Only mutate inside these top-level names (functions, classes, ``Class.method``, assigned
    #: constants); empty: the whole module.
    only: tuple[str, ...] = ()


TARGETS: tuple[Target, ...] = (
    Target(path="linkkit/_b64.py", tests=("tests/test_b64.py", "tests/test_verify.py")),
    Target(path="linkkit/atw/authorization.py", tests=("tests/test_authorization.py",)),
    Target(path="linkkit/atw/tokens.py", tests=("tests/test_tokens.py", "tests/test_verify.py")),
    Target(path="linkkit/atw/verify.py", tests=("tests/test_verify.py", "tests/test_tokens.py")),
    Target(path="linkkit/atw/_jose.py", tests=("tests/test_verify.py", "tests/test_tokens.py")),
    Target(path="linkkit/atw/replay.py", tests=("tests/test_replay.py",)),
    Target(path="linkkit/atw/signature.py", tests=("tests/test_atw_signature.py",)),
    Target(path="linkkit/partner/auth.py", tests=("tests/partner/test_auth.py", "tests/partner/test_endpoints.py")),
    Target(
        path="linkkit/partner/clicklinks.py",
        tests=("tests/partner/test_clicklinks.py", "tests/ops/test_keyring.py"),
        # The HMAC/tag part: the token format, the secrets and the tag check. Creating and counting
        # links is store logic, tested by the store contract suites.
        only=(
            "MIN_SECRET_BYTES",
            "ID_BYTES",
            "TAG_BYTES",
            "TOKEN_LENGTH",
            "_TOKEN",
            "_DOMAIN",
            "ClickLinks.__init__",
            "ClickLinks._keys",
            "ClickLinks._tag",
            "ClickLinks.link_id",
            "ClickLinks.url_for",
        ),
    ),
)


@dataclass(frozen=True, kw_only=True)
class Equivalent:
    """A mutant no test can kill: same behaviour as the original for every input."""

    path: str
    line: str  # the original source line, stripped (stable when unrelated lines move)
    mutation: str
    reason: str
    #: which of the mutants with this same line text and mutation (1: the first in the module), for
    #: a line that occurs twice, such as a test repeated after a sweep
    occurrence: int = 1


#: The equivalent mutants, each with why no test can tell it from the original.
EQUIVALENT: tuple[Equivalent, ...] = (
    Equivalent(
        path="linkkit/partner/clicklinks.py",
        line='token = token_or_url.rsplit("/", 1)[-1]',
        mutation="`1` -> `2`",
        reason="splitting at one more '/' from the right leaves the same last piece",
    ),
    Equivalent(
        path="linkkit/_b64.py",
        line='raise ValueError("not base64url") from exc',
        mutation="remove `raise ValueError('not base64url') fro...`",
        reason="unreachable: the alphabet regex and the length check refuse every input binascii would refuse",
    ),
    Equivalent(
        path="linkkit/atw/replay.py",
        line="if until > now:",
        mutation="`>` -> `>=`",
        reason="an entry expiring exactly now is then kept in front, but the replay check reads it as absent "
        "(`until_seen > now`) and a full guard's sweep removes it (`<= now`); only a clock stepping back "
        "across that instant could tell",
    ),
    Equivalent(
        path="linkkit/atw/replay.py",
        line="if len(self._seen) + len(keys) > self._max_keys:",
        mutation="`>` -> `>=`",
        reason="the first capacity test only decides whether to sweep: sweeping expired entries one request "
        "earlier removes only entries the replay check already reads as absent; the refusal is the second test",
    ),
    Equivalent(
        path="linkkit/atw/verify.py",
        line="if not check.passed and check.error is not None:",
        mutation="and -> or",
        reason="_first_failure: every check the pipeline yields either passed without an error or did not pass "
        "and carries one (_fail, the skips), so `not passed or error` raises exactly when `not passed and error` does",
    ),
    Equivalent(
        path="linkkit/atw/verify.py",
        line="if not check.passed and check.error is not None:",
        mutation="and -> or",
        reason="verify_jws: the same loop as _first_failure, over the same checks",
        occurrence=2,
    ),
    Equivalent(
        path="linkkit/atw/verify.py",
        line="assert run.jws is not None and run.encryption_header is not None",
        mutation="and -> or",
        reason="narrows the types for mypy: once every check passed, decode_jws set run.jws and the decrypt step "
        "set run.encryption_header, so both halves hold",
    ),
    Equivalent(
        path="linkkit/atw/verify.py",
        line="assert run.jws is not None and run.claims is not None",
        mutation="and -> or",
        reason="narrows the types for mypy: once every check passed, decode_jws set run.jws and the API step "
        "set run.claims, so both halves hold",
    ),
)


# -- mutation points ---------------------------------------------------------------------------------

_CMP_SWAP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_CMP_TEXT: dict[type[ast.cmpop], str] = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}


@dataclass(kw_only=True)
class Mutant:
    """One mutation point: ``apply`` changes the tree in place, ``undo`` restores it."""

    path: str
    line: int
    col: int
    mutation: str
    source_line: str
    apply: Callable[[], None] = field(repr=False)
    occurrence: int = 1  # among the module's mutants with the same source line and mutation
    undo: Callable[[], None] = field(repr=False)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def _short(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 40 else text[:37] + "..."


class _Collector:
    """Walks a module and lists its mutation points in source order."""

    def __init__(self, path: str, source: str, only: tuple[str, ...]) -> None:
        self.path = path
        self.lines = source.splitlines()
        self.only = only
        self.mutants: list[Mutant] = []

    def _add(self, node: ast.AST, mutation: str, apply: Callable[[], None], undo: Callable[[], None]) -> None:
        line = getattr(node, "lineno", 0)
        self.mutants.append(
            Mutant(
                path=self.path,
                line=line,
                col=getattr(node, "col_offset", 0),
                mutation=mutation,
                source_line=self.lines[line - 1].strip() if line else "",
                apply=apply,
                undo=undo,
            )
        )

    # which parts of the module are mutated

    def module(self, tree: ast.Module) -> None:
        for stmt in tree.body:
            name = _top_name(stmt)
            if isinstance(stmt, ast.ClassDef) and self.only and name not in self.only:
                for sub in stmt.body:
                    sub_name = _top_name(sub)
                    if sub_name is not None and f"{stmt.name}.{sub_name}" in self.only:
                        self.stmt(sub)
                continue
            if self.only and name not in self.only:
                continue
            if isinstance(stmt, ast.Import | ast.ImportFrom):
                continue
            self.stmt(stmt)

    def stmt(self, node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "__repr__":
            return  # how an object prints is no check
        self.visit(node)

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.JoinedStr):
            return  # f-strings: messages, never checks
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return  # docstrings
        self.mutate(node)
        for name, value in ast.iter_fields(node):
            if name in ("annotation", "returns", "type_comment", "decorator_list"):
                continue
            if isinstance(node, ast.AnnAssign) and name == "target":
                continue
            if isinstance(value, ast.AST):
                self.visit(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)

    # the operators

    def mutate(self, node: ast.AST) -> None:
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                self._swap_op(node, i, op)
                if isinstance(op, ast.In | ast.NotIn):
                    self._drop_members(node.comparators[i], "allow-list")
        elif isinstance(node, ast.BoolOp):
            other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            old = node.op
            text = "and -> or" if isinstance(old, ast.And) else "or -> and"
            self._add(node, text, lambda: setattr(node, "op", other), lambda: setattr(node, "op", old))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self._drop_not(node)
        elif isinstance(node, ast.Constant):
            self._constant(node)
        elif isinstance(node, ast.Set):
            self._drop_members(node, "set")
        for name in ("body", "orelse", "finalbody", "handlers"):
            stmts = getattr(node, name, None)
            if isinstance(stmts, list):
                for i, stmt in enumerate(stmts):
                    if isinstance(stmt, ast.Raise):
                        self._replace_stmt(stmts, i, f"remove `{_short(stmt)}`")
                    elif isinstance(stmt, ast.If) and not (len(stmt.body) == 1 and isinstance(stmt.body[0], ast.Raise)):
                        self._empty_body(stmt)

    def _swap_op(self, node: ast.Compare, i: int, op: ast.cmpop) -> None:
        new = _CMP_SWAP[type(op)]()

        def apply() -> None:
            node.ops[i] = new

        def undo() -> None:
            node.ops[i] = op

        self._add(node, f"`{_CMP_TEXT[type(op)]}` -> `{_CMP_TEXT[type(new)]}`", apply, undo)

    def _drop_members(self, node: ast.AST, kind: str) -> None:
        if not isinstance(node, ast.Set | ast.Tuple | ast.List) or not node.elts:
            return
        if kind == "allow-list" and len(node.elts) < 2:
            return
        elts = list(node.elts)
        for i, elt in enumerate(elts):
            rest = elts[:i] + elts[i + 1 :]

            def apply(rest: list[ast.expr] = rest) -> None:
                node.elts = rest

            def undo() -> None:
                node.elts = elts

            self._add(elt, f"drop `{_short(elt)}` from the {kind}", apply, undo)

    def _drop_not(self, node: ast.UnaryOp) -> None:
        # `not x` -> `bool(x)`: keeps the tree shape (the node stays a UnaryOp-free call)
        operand = node.operand
        original = (node.op, node.operand)

        def apply() -> None:
            node.op = ast.UAdd()
            node.operand = ast.Call(func=ast.Name(id="bool", ctx=ast.Load()), args=[operand], keywords=[])

        def undo() -> None:
            node.op, node.operand = original

        self._add(node, f"`{_short(node)}` -> `{_short(operand)}`", apply, undo)

    def _constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            self._set_constant(node, not value)
        elif isinstance(value, int | float):
            for new in (value + 1, value - 1):
                self._set_constant(node, new)

    def _set_constant(self, node: ast.Constant, new: object) -> None:
        old = node.value
        self._add(
            node,
            f"`{old!r}` -> `{new!r}`",
            lambda: setattr(node, "value", new),
            lambda: setattr(node, "value", old),
        )

    def _replace_stmt(self, stmts: list[ast.stmt], i: int, text: str) -> None:
        old = stmts[i]
        replacement = ast.Pass()
        ast.copy_location(replacement, old)

        def apply() -> None:
            stmts[i] = replacement

        def undo() -> None:
            stmts[i] = old

        self._add(old, text, apply, undo)

    def _empty_body(self, stmt: ast.If) -> None:
        body = stmt.body
        replacement: list[ast.stmt] = [ast.copy_location(ast.Pass(), stmt)]
        self._add(
            stmt,
            f"empty the body of `if {_short(stmt.test)}:`",
            lambda: setattr(stmt, "body", replacement),
            lambda: setattr(stmt, "body", body),
        )


def _top_name(stmt: ast.stmt) -> str | None:
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return stmt.name
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        return stmt.targets[0].id
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return stmt.target.id
    return None


def mutants_of(path: str, source: str, only: tuple[str, ...] = ()) -> tuple[ast.Module, list[Mutant]]:
    """The tree of ``source`` and its mutation points; ``ast.unparse(tree)`` after ``m.apply()``."""
    tree = ast.parse(source)
    collector = _Collector(path, source, only)
    collector.module(tree)
    mutants = sorted(collector.mutants, key=lambda m: (m.line, m.col))
    seen: dict[tuple[str, str], int] = {}
    for m in mutants:
        m.occurrence = seen[m.source_line, m.mutation] = seen.get((m.source_line, m.mutation), 0) + 1
    return tree, mutants


def mutated_source(tree: ast.Module, mutant: Mutant) -> str:
    mutant.apply()
    try:
        tree = copy.deepcopy(tree)
        ast.fix_missing_locations(tree)
        return ast.unparse(tree) + "\n"
    finally:
        mutant.undo()


def equivalence_of(mutant: Mutant) -> Equivalent | None:
    for eq in EQUIVALENT:
        if (eq.path, eq.line, eq.mutation, eq.occurrence) == (
            mutant.path,
            mutant.source_line,
            mutant.mutation,
            mutant.occurrence,
        ):
            return eq
    return None


# -- running -----------------------------------------------------------------------------------------

#: Third-party modules the tests import: loaded once in the parent, shared by every forked child.
_PRELOAD = (
    "pytest",
    "_pytest.python",
    "_pytest.assertion.rewrite",
    "hypothesis",
    "hypothesis.strategies",
    "cryptography.x509",
    "cryptography.hazmat.primitives.asymmetric.rsa",
    "cryptography.hazmat.primitives.ciphers.aead",
    "jwcrypto.jwk",
    "jwcrypto.jws",
    "jwcrypto.jwe",
    "jwt",
    "httpx",
    "flask",
    "werkzeug",
    "sqlite3",
    "opentelemetry.sdk.metrics",
    "opentelemetry.sdk.trace",
)


def preload() -> None:
    """Import pytest, its plugins and the test dependencies, but never linkkit (the children import it)."""
    for name in _PRELOAD:
        with contextlib.suppress(Exception):  # a missing optional library only costs time in each child
            importlib.import_module(name)
    for name in list(sys.modules):
        if name == "linkkit" or name.startswith(("linkkit.", "tests.", "demo_site")):
            raise SystemExit(f"preload imported {name}: the children would test the real tree, not the mutant")


def copy_tree(dest: Path) -> None:
    """The repository without its virtualenv, git data and caches, byte-compiled."""
    ignore = shutil.ignore_patterns(
        ".venv", ".git", "__pycache__", ".mypy_cache", ".ruff_cache", ".hypothesis", "node_modules", "test-artifacts"
    )
    for entry in ROOT.iterdir():
        if entry.name in (".venv", ".git", "test-artifacts", "build", "dist"):
            continue
        if entry.is_dir():
            shutil.copytree(entry, dest / entry.name, ignore=ignore, symlinks=True)
        else:
            shutil.copy2(entry, dest / entry.name)
    compileall.compile_dir(dest / "linkkit", quiet=1)


@dataclass(kw_only=True)
class Outcome:
    status: str  # killed | survived | timeout | equivalent | error
    seconds: float
    detail: str = ""


_FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.M)


def run_tests(tree: Path, tests: tuple[str, ...], timeout: float, log: Path) -> tuple[int | None, float, str]:
    """Run ``tests`` in a forked child importing linkkit from ``tree``: (exit code or None, seconds, first failure)."""
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child
        code = 3
        try:
            os.setpgid(0, 0)  # its own group: a timeout ends it and whatever servers it started
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os.chdir(tree)
            sys.path.insert(0, str(tree))
            sys.dont_write_bytecode = True
            import pytest

            args = [
                "-x",
                "-q",
                "-p",
                "no:cacheprovider",
                "-W",
                "ignore::pytest.PytestAssertRewriteWarning",
                "-o",
                f"timeout={int(timeout)}",
                *tests,
            ]
            code = int(pytest.main(args))
            import linkkit

            if not str(linkkit.__file__).startswith(str(tree)):
                print(f"linkkit was imported from {linkkit.__file__}, not from the copy", flush=True)
                code = 4
        except BaseException as exc:
            print(f"runner child failed: {exc!r}", flush=True)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    deadline = start + timeout + 15
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            return None, time.monotonic() - start, "timeout"
        time.sleep(0.05)
    text = log.read_text(errors="replace")
    found = _FAILED.search(text)
    return os.waitstatus_to_exitcode(status), time.monotonic() - start, found[1] if found else ""


def run_target(
    target: Target,
    work: Path,
    *,
    lines: set[int],
    grep: str | None,
    timeout: float | None,
    listing: bool,
    out: list[dict],
) -> None:
    source = (ROOT / target.path).read_text()
    tree, mutants = mutants_of(target.path, source, target.only)
    mutants = [m for m in mutants if (not lines or m.line in lines) and (grep is None or grep in m.mutation)]
    if listing:
        for m in mutants:
            eq = equivalence_of(m)
            print(f"{m.where:<40} {m.mutation}{'  [equivalent]' if eq else ''}")
        return
    if not mutants:
        return
    file = work / target.path
    log = work / "mutant.log"
    # The module is compiled from source in each child (children write no bytecode), so no stale
    # .pyc of an earlier mutant can stand in for this one.
    for pyc in (file.parent / "__pycache__").glob(f"{file.stem}.*.pyc"):
        pyc.unlink()
    code, seconds, _ = run_tests(work, target.tests, timeout or 600, log)
    if code != 0:
        print(f"{target.path}: the tests fail without any mutant (exit {code}); see {log}")
        print(log.read_text(errors="replace")[-3000:])
        raise SystemExit(2)
    per_mutant = timeout or max(30.0, 4 * seconds)
    print(
        f"== {target.path}: {len(mutants)} mutants; tests {' '.join(target.tests)} pass in {seconds:.1f} s", flush=True
    )
    try:
        for m in mutants:
            file.write_text(mutated_source(tree, m))
            code, seconds, failed = run_tests(work, target.tests, per_mutant, log)
            eq = equivalence_of(m)
            if code is None:
                outcome = Outcome(status="timeout", seconds=seconds, detail="killed by the timeout")
            elif code == 0:
                outcome = Outcome(
                    status="equivalent" if eq else "survived", seconds=seconds, detail=eq.reason if eq else ""
                )
            elif code == 1:
                outcome = Outcome(
                    status="killed", seconds=seconds, detail=failed + (" (listed as equivalent!)" if eq else "")
                )
            else:
                # collection or import error: the mutant broke the module outright, a test noticed
                outcome = Outcome(status="killed", seconds=seconds, detail=f"pytest exit {code} {failed}".strip())
            print(
                f"{outcome.status.upper():<10} {m.where:<40} {m.mutation}  ({outcome.seconds:.1f} s) {outcome.detail}",
                flush=True,
            )
            out.append(
                {"path": m.path, "line": m.line, "source": m.source_line, "mutation": m.mutation}
                | {"status": outcome.status, "seconds": round(outcome.seconds, 2), "detail": outcome.detail}
            )
    finally:
        file.write_text(source)


def score(results: list[dict]) -> tuple[int, int, int, float]:
    """(killed incl. timeouts, survived, equivalent, score in % of the non-equivalent mutants)."""
    killed = sum(r["status"] in ("killed", "timeout") for r in results)
    survived = sum(r["status"] == "survived" for r in results)
    equivalent = sum(r["status"] == "equivalent" for r in results)
    counted = killed + survived
    return killed, survived, equivalent, (100.0 * killed / counted if counted else 100.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--module", action="append", help="only this module (repeatable), e.g. linkkit/_b64.py")
    parser.add_argument("--line", action="append", type=int, default=[], help="only mutants on this line")
    parser.add_argument("--grep", help="only mutations whose description contains this text")
    parser.add_argument("--tests", nargs="+", help="run these tests instead of the module's own")
    parser.add_argument("--timeout", type=float, help="seconds per mutant (default: 4 x the clean run, >= 30)")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--min-score", type=float, default=0.0, help="exit 1 below this score (percent)")
    args = parser.parse_args(argv)

    targets = list(TARGETS)
    if args.module:
        known = {t.path: t for t in TARGETS}
        unknown = [m for m in args.module if m not in known]
        if unknown:
            parser.error(f"unknown module {unknown}; known: {sorted(known)}")
        targets = [known[m] for m in args.module]
    if args.tests:
        targets = [Target(path=t.path, tests=tuple(args.tests), only=t.only) for t in targets]

    results: list[dict] = []
    if args.list:
        for target in targets:
            run_target(target, ROOT, lines=set(args.line), grep=args.grep, timeout=None, listing=True, out=results)
        return 0
    preload()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="linkkit-mutation-") as tmp:
        work = Path(tmp)
        copy_tree(work)
        for target in targets:
            run_target(
                target, work, lines=set(args.line), grep=args.grep, timeout=args.timeout, listing=False, out=results
            )
    killed, survived, equivalent, percent = score(results)
    print()
    for r in results:
        if r["status"] == "survived":
            print(f"survived: {r['path']}:{r['line']}  {r['mutation']}   | {r['source']}")
    print(
        f"\nmutants: {len(results)}  killed: {killed}  survived: {survived}  equivalent: {equivalent}  "
        f"score: {percent:.1f} %  ({time.monotonic() - started:.0f} s)"
    )
    if args.json:
        args.json.write_text(json.dumps({"score": percent, "results": results}, indent=1) + "\n")
    return 1 if percent < args.min_score else 0


if __name__ == "__main__":
    sys.exit(main())
