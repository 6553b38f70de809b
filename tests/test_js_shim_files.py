"""The shipped browser shim (``js/``): size budget, syntax, build freshness, types and SRI in the docs.

The shim's behaviour is tested in a real browser by ``e2e/test_shim_*.py``; this file checks the
files themselves, and runs the ES module under Node where there is no ``window`` at all.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from linkkit.resources import shipped_file

SOURCE = "spay-s2p.js"
MINIFIED = "spay-s2p.min.js"
MODULE = "spay-s2p.mjs"
SHIPPED = [SOURCE, MINIFIED, MODULE, "spay-s2p.d.ts", "spay-s2p.d.mts", "spay-s2p.css"]
#: Budget for the classic script a page loads (the minified build), gzip -9.
GZIP_BUDGET = 3 * 1024
DOCS = Path(__file__).resolve().parent.parent / "docs" / "shim.md"

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


def read(name: str) -> str:
    return shipped_file("js", name).read_text(encoding="utf-8")


def gzip_size(name: str) -> int:
    return len(gzip.compress(shipped_file("js", name).read_bytes(), compresslevel=9, mtime=0))


def js_list(name: str) -> list[str]:
    """The string array ``var NAME = [...]`` in the shim's source."""
    match = re.search(rf"var {name} = \[(.*?)\]", read(SOURCE), re.S)
    assert match is not None, name
    return re.findall(r"'([A-Za-z_]+)'", match.group(1))


def ts_union(name: str) -> list[str]:
    match = re.search(rf"export type {name} =(.*?)\n\n", read("spay-s2p.d.ts"), re.S)
    assert match is not None, name
    return re.findall(r"'([A-Za-z_]+)'", match.group(1))


@pytest.mark.parametrize("name", SHIPPED)
def test_file_is_shipped(name: str) -> None:
    assert shipped_file("js", name).stat().st_size > 0


def test_minified_classic_script_fits_the_gzip_budget() -> None:
    size = gzip_size(MINIFIED)
    assert size <= GZIP_BUDGET, f"{MINIFIED} is {size} bytes gzip, budget {GZIP_BUDGET}"


def test_minified_build_is_from_the_current_source() -> None:
    # The banner build.sh writes carries the source's hash: a stale build fails here without node.
    digest = hashlib.sha256(shipped_file("js", SOURCE).read_bytes()).hexdigest()
    first_line = read(MINIFIED).splitlines()[0]
    assert f"source sha256:{digest}" in first_line, "run js/build.sh and commit spay-s2p.min.js"


@needs_node
def test_minified_build_is_reproducible(tmp_path: Path) -> None:
    # The full check: terser (pinned in build.sh) turns today's source into the committed bytes.
    out = tmp_path / MINIFIED
    build = shipped_file("js", "build.sh")
    subprocess.run(["sh", str(build), str(out)], check=True, capture_output=True, timeout=300)
    assert out.read_bytes() == shipped_file("js", MINIFIED).read_bytes()


def test_enums_match_samsung_and_the_types() -> None:
    # Samsung's saveToPayUI interface (https://developer.samsung.com/pay/save2pay/js-lib.html), the shim's
    # accepted values, and the .d.ts say the same.
    assert (
        js_list("STATUS")
        == ts_union("Status")
        == [
            "SUCCESS",
            "FAILURE",
            "DEVICE_NOT_SUPPORTED",
            "DEFAULT_PENDING",
        ]
    )
    assert (
        js_list("ERROR_CODE")
        == ts_union("ErrorCode")
        == [
            "INVALID_INPUT",
            "PROVISION_FAILURE",
            "NETWORK_ERROR",
            "UNKNOWN_ERROR",
            "CARD_ALREADY_PRESENT",
            "CANCELED",
        ]
    )
    assert js_list("DEVICES") == ts_union("DeviceType") == ["android", "ios", "tablet", "desktop"]


@pytest.mark.parametrize(
    "pattern",
    [
        r"\binnerHTML\b",
        r"\bouterHTML\b",
        r"insertAdjacentHTML",
        r"document\.write",
        r"\beval\s*\(",
        r"new Function",
        r"setAttribute\(\s*'style'",
        r"\.cssText",
        r"setTimeout\(\s*'",
    ],
)
def test_source_needs_no_unsafe_csp(pattern: str) -> None:
    # What a strict CSP (no unsafe-inline, no unsafe-eval) or Trusted Types would refuse.
    assert re.search(pattern, read(SOURCE)) is None


@needs_node
@pytest.mark.parametrize("name", [SOURCE, MINIFIED, MODULE])
def test_node_check(name: str) -> None:
    assert NODE is not None
    subprocess.run([NODE, "--check", str(shipped_file("js", name))], check=True, capture_output=True, timeout=60)


NODE_SCRIPT = """
globalThis.spay = { existing: 'kept' }
const mod = await import(process.argv[1])
const again = await import(process.argv[1] + '?again')  // a second evaluation of the module graph
const ui = globalThis.spay.saveToPayUI
const response = await mod.showWelcomeModalPromise({ welcomeUrl: 'https://s2p.example/welcome' })
mod.closeWelcomeModal()
console.log(JSON.stringify({
  keys: Object.keys(mod).sort(),
  same: mod.default === ui && mod.saveToPayUI === ui && again.default === ui,
  frozen: Object.isFrozen(ui),
  existing: globalThis.spay.existing,
  response,
  showReturns: mod.showWelcomeModal({}) === undefined,
}))
"""


@needs_node
def test_es_module_without_a_browser() -> None:
    # Server-side rendering and test runners import the module where there is no window or
    # document: it must load, keep an existing namespace, and answer instead of throwing.
    assert NODE is not None
    url = shipped_file("js", MODULE).as_uri()
    done = subprocess.run(
        [NODE, "--input-type=module", "-e", NODE_SCRIPT, url], check=True, capture_output=True, timeout=60
    )
    assert json.loads(done.stdout) == {
        "keys": ["closeWelcomeModal", "default", "saveToPayUI", "showWelcomeModal", "showWelcomeModalPromise"],
        "same": True,
        "frozen": True,
        "existing": "kept",
        "response": {
            "status": "FAILURE",
            "isIframeClosed": False,
            "details": {"errorCode": "INVALID_INPUT", "message": "no document"},
        },
        "showReturns": True,
    }
    assert done.stderr.decode() == "spay-s2p: no document\n"


@pytest.mark.parametrize("name", [SOURCE, MINIFIED, "spay-s2p.css"])
def test_docs_give_the_current_sri_hash(name: str) -> None:
    digest = base64.b64encode(hashlib.sha384(shipped_file("js", name).read_bytes()).digest()).decode()
    assert f"sha384-{digest}" in DOCS.read_text(encoding="utf-8"), f"update the SRI hash of {name} in docs/shim.md"
