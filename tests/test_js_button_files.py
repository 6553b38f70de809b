"""The shipped ``<samsung-wallet-button>`` files (js/): size budget, build freshness, the locale
table and gating decision against the Python side (run under Node), CSP-safe source, SRI in the docs.

The element's behaviour in a real browser is tested by ``e2e/test_wallet_button.py``.
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

from linkkit.assets.element import TEXTS
from linkkit.assets.gating import decide
from linkkit.assets.locales import LOCALES, fallback_chain
from linkkit.resources import shipped_file

SOURCE = "samsung-wallet-button.js"
MINIFIED = "samsung-wallet-button.min.js"
MODULE = "samsung-wallet-button.mjs"
SHIPPED = [SOURCE, MINIFIED, MODULE, "samsung-wallet-button.d.ts", "samsung-wallet-button.d.mts"]
SHIPPED += ["samsung-wallet-button.css", "package.json"]
#: The classic script a page loads (the minified build), gzip -9: the issue's budget.
GZIP_BUDGET = 4 * 1024
DOCS = Path(__file__).resolve().parent.parent / "docs" / "buttons.md"

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")

#: User agents (and client-hint models) the gating table covers.
CHROME = "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0"
SAFARI = "AppleWebKit/605.1.15 (KHTML, like Gecko)"
REDUCED_ANDROID = f"Mozilla/5.0 (Linux; Android 10; K) {CHROME} Mobile Safari/537.36"
AGENTS = [
    (f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) {CHROME} Safari/537.36", None),
    (f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) {SAFARI} Version/17.0 Safari/605.1.15", None),
    (f"Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) {SAFARI} Version/16.0 Mobile/15E148 Safari/604.1", None),
    (f"Mozilla/5.0 (iPhone; CPU iPhone OS 15_0 like Mac OS X) {SAFARI} Version/15.0 Mobile/15E148 Safari/604.1", None),
    (REDUCED_ANDROID, None),
    (REDUCED_ANDROID, "SM-S921B"),
    (REDUCED_ANDROID, "Pixel 8"),
    (f"Mozilla/5.0 (Linux; Android 14; SM-X710) {CHROME} Safari/537.36", None),
    (f"Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S928B) {CHROME} SamsungBrowser/25.0 Mobile Safari/537.36", None),
    (f"Mozilla/5.0 (Linux; Android 13; SC-52C Build/TP1A.220624.014) {CHROME} Mobile Safari/537.36", None),
    (f"Mozilla/5.0 (Linux; Android 14; Pixel 7) {CHROME} Mobile Safari/537.36", None),
    ("", None),
]
EXPECTED_MODES = [
    "qr",
    "qr",
    "qr",
    "hidden",
    "button",
    "button",
    "hidden",
    "button",
    "button",
    "button",
    "hidden",
    "qr",
]
TAGS = [
    "pt-BR",
    "pt_br",
    "zh-Hant-HK",
    "zh-HK",
    "zh",
    "iw",
    "in",
    "en",
    "de-AT",
    "ar-EG",
    "xx",
    "",
    "not a tag",
    "en-US",
]


def read(name: str) -> str:
    return shipped_file("js", name).read_text(encoding="utf-8")


def gzip_size(name: str) -> int:
    return len(gzip.compress(shipped_file("js", name).read_bytes(), compresslevel=9, mtime=0))


@pytest.mark.parametrize("name", SHIPPED)
def test_file_is_shipped(name: str) -> None:
    assert shipped_file("js", name).stat().st_size > 0


def test_classic_script_fits_4_kb_gzip() -> None:
    size = gzip_size(MINIFIED)
    assert size <= GZIP_BUDGET, f"{MINIFIED} is {size} bytes gzip, budget {GZIP_BUDGET}"


def test_minified_build_is_from_the_current_source() -> None:
    digest = hashlib.sha256(shipped_file("js", SOURCE).read_bytes()).hexdigest()
    assert f"source sha256:{digest}" in read(MINIFIED).splitlines()[0], "run js/build-button.sh and commit the result"


@needs_node
def test_minified_build_is_reproducible(tmp_path: Path) -> None:
    out = tmp_path / MINIFIED
    subprocess.run(
        ["sh", str(shipped_file("js", "build-button.sh")), str(out)], check=True, capture_output=True, timeout=300
    )
    assert out.read_bytes() == shipped_file("js", MINIFIED).read_bytes()


def test_locale_table_is_the_python_one() -> None:
    # tag|direction|Add|Save|View in the script; LOCALES and the element's TEXTS in Python
    table = re.search(r"var TABLE =\n(.*?)\n  //", read(SOURCE), re.S)
    assert table is not None
    literals = re.findall(r"'([^']*)'|\"([^\"]*)\"", table.group(1))
    text = "".join(single or double for single, double in literals).replace("\\n", "\n")
    rows = [line.split("|") for line in text.split("\n")]
    assert [r[0] for r in rows] == list(LOCALES)
    for tag, direction, wallet, pay, view in rows:
        loc = LOCALES[tag]
        assert (direction == "r", wallet, pay, view) == (loc.direction == "rtl", loc.wallet, loc.pay, TEXTS[tag][0])


@needs_node
def test_chain_and_gating_match_the_python_side() -> None:
    # The classic script loaded in Node (no window, no customElements) exposes its pure functions.
    assert NODE is not None
    script = (
        f"require({json.dumps(str(shipped_file('js', MINIFIED)))});"
        "const B = globalThis.SamsungWalletButton, input = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify({chains: input.tags.map(t => B.chain(t)),"
        " modes: input.agents.map(a => B.decide(a[0], a[1] || undefined))}))"
    )
    done = subprocess.run(
        [NODE, "-e", script, json.dumps({"tags": TAGS, "agents": AGENTS})], check=True, capture_output=True, timeout=60
    )
    found = json.loads(done.stdout)
    assert found["chains"] == [list(fallback_chain(t or None)) for t in TAGS]
    python = [decide(ua, model=model) for ua, model in AGENTS]
    assert [m for m, _ in found["modes"]] == [d.mode for d in python] == EXPECTED_MODES
    assert [r for _, r in found["modes"]] == [d.reason for d in python]


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
        r"\.style\b",
        r"\.cssText",
        r"setTimeout\(\s*'",
    ],
)
def test_source_needs_no_unsafe_csp(pattern: str) -> None:
    assert re.search(pattern, read(SOURCE)) is None


@needs_node
@pytest.mark.parametrize("name", [SOURCE, MINIFIED, MODULE])
def test_node_check(name: str) -> None:
    assert NODE is not None
    subprocess.run([NODE, "--check", str(shipped_file("js", name))], check=True, capture_output=True, timeout=60)


@needs_node
def test_es_module_without_a_browser() -> None:
    assert NODE is not None
    script = (
        "const m = await import(process.argv[1]);"
        "console.log(JSON.stringify({keys: Object.keys(m).sort(), same: m.default === globalThis.SamsungWalletButton,"
        " label: m.locale('pt-BR').wallet}))"
    )
    done = subprocess.run(
        [NODE, "--input-type=module", "-e", script, shipped_file("js", MODULE).as_uri()],
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert json.loads(done.stdout) == {
        "keys": ["SamsungWalletButton", "chain", "decide", "default", "locale"],
        "same": True,
        "label": "Adicionar à Samsung Wallet",
    }


def test_package_json_names_the_files() -> None:
    package = json.loads(read("package.json"))
    assert sorted(package["files"]) == sorted(n for n in SHIPPED if n != "package.json")
    assert package["exports"]["."]["import"] == "./" + MODULE


@pytest.mark.parametrize("name", [MINIFIED, "samsung-wallet-button.css"])
def test_docs_give_the_current_sri_hash(name: str) -> None:
    digest = base64.b64encode(hashlib.sha384(shipped_file("js", name).read_bytes()).digest()).decode()
    assert f"sha384-{digest}" in DOCS.read_text(encoding="utf-8"), f"update the SRI hash of {name} in docs/buttons.md"
