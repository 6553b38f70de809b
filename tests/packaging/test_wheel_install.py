"""The wheel installed in a fresh venv without extras: its declared dependencies are enough for every module
that needs no extra, each optional part names the extra it needs, and the ``linkkit`` command runs.

Packages come from the machine's local package index (the file:// indexes and wheel folders of pip's
configuration, which is how .venv was filled offline); with none configured, from pip's own configuration.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.packaging.conftest import Dist

pytestmark = pytest.mark.packaging

HERE = Path(__file__).resolve().parent
#: What linkkit imports at run time, and the dependencies those bring (nothing of the test tools).
NEVER_WITHOUT_EXTRAS = {
    "pytest",
    "pyjwt",
    "jwcrypto",
    "qrcode",
    "segno",
    "django",
    "starlette",
    "psycopg",
    "psycopg-pool",
    "opentelemetry-api",
    "hypothesis",
    "playwright",
    "gunicorn",
}
#: The modules that need an extra, and which one.
EXTRA_MODULES = {
    "linkkit.django": "django",
    "linkkit.testing": "testing",
    "linkkit.probe.pytest_plugin": "testing",
}


def _pip_config() -> dict[str, list[str]]:
    listed = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], check=True, capture_output=True, text=True
    ).stdout
    found: dict[str, list[str]] = {}
    for line in listed.splitlines():
        key, _, value = line.partition("=")
        found.setdefault(key.rsplit(".", 1)[-1], []).extend(value.strip("'\"").split())
    for key in ("find-links", "index-url", "extra-index-url"):
        found.setdefault(key, []).extend(os.environ.get("PIP_" + key.upper().replace("-", "_"), "").split())
    return found


def _local(location: str) -> str | None:
    """A path for a local folder or file:// index, None for anything reached over the network."""
    parsed = urlparse(location)
    if parsed.scheme in ("", "file"):
        path = parsed.path if parsed.scheme else location
        return path if Path(path).exists() else None
    return None


def pip_source_args() -> tuple[list[str], dict[str, str]]:
    """pip options that take packages from the machine's local index only, and the environment to run it in."""
    config = _pip_config()
    indexes = [p for p in (_local(u) for u in config["index-url"] + config["extra-index-url"]) if p]
    links = sorted({p for p in (_local(u) for u in config["find-links"]) if p})
    env = dict(os.environ)
    if not indexes and not links:
        return [], env  # no local index on this machine: pip's own configuration
    for name in list(env):
        if name.startswith("PIP_") and name not in ("PIP_CERT", "PIP_DEFAULT_TIMEOUT"):
            del env[name]
    env["PIP_CONFIG_FILE"] = os.devnull  # no configuration file may add a network index back
    args = [f"--find-links={p}" for p in links]
    if indexes:
        args += [f"--index-url=file://{indexes[0]}", *(f"--extra-index-url=file://{p}" for p in indexes[1:])]
    else:
        args.append("--no-index")
    return args, env


@pytest.fixture(scope="module")
def fresh_venv(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("fresh-venv")
    # Without its own pip (ensurepip costs seconds): the .venv's pip installs into it through --python.
    venv.EnvBuilder(with_pip=False).create(home)
    python = home / "bin" / "python"
    args, env = pip_source_args()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-cache-dir",
            *args,
            str(dist.wheel),
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=240,
    )
    return home


def _run(home: Path, *argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{home / 'bin'}:/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8"}
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_core_imports_without_extras(fresh_venv: Path, tmp_path: Path) -> None:
    # Run outside the checkout, so nothing of it is importable: only the installed wheel.
    done = _run(fresh_venv, str(fresh_venv / "bin" / "python"), str(HERE / "_core_check.py"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["broken"] == {}
    assert {name: extra for name, (extra, _) in report["needs_extra"].items()} == EXTRA_MODULES
    for name, (extra, message) in report["needs_extra"].items():
        assert f"pip install 'linkkit[{extra}]'" in message, name
    assert "linkkit.partner" in report["imported"] and "linkkit.sandbox" in report["imported"]
    assert len(report["imported"]) > 150
    for extra in ("postgresql", "asgi", "otel"):
        kind, message = report["hints"][extra]
        assert f"pip install 'linkkit[{extra}]'" in message, (extra, kind)
    assert report["hints"]["asgi"][0] == report["hints"]["postgresql"][0] == "MissingDependencyError"
    assert report["shim"].startswith(str(fresh_venv)) and report["shim"].endswith("linkkit/_shipped/js")
    assert NEVER_WITHOUT_EXTRAS.isdisjoint(report["dists"])
    assert report["version"] == report["metadata_version"]


def test_the_command_runs_without_extras(fresh_venv: Path, tmp_path: Path) -> None:
    import linkkit

    linkkit_cmd = str(fresh_venv / "bin" / "linkkit")
    done = _run(fresh_venv, linkkit_cmd, "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "keys" in done.stdout and "sandbox" in done.stdout
    assert _run(fresh_venv, linkkit_cmd, "--version", cwd=tmp_path).stdout.strip() == (
        f"linkkit, version {linkkit.__version__}"
    )
    # A command that does real work (RSA keys, X.509 certificates) with the core dependencies alone.
    done = _run(fresh_venv, linkkit_cmd, "keys", "generate", "--out", "keys", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "keys" / "partner.key").is_file()
