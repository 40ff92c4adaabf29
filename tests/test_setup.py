"""hoshin setup / doctor: the Node.js tools come from the package's lockfile into a per-user
cache, wherever hoshin is installed; doctor lists every external tool and how to fix it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from hoshin.cli import main
from hoshin.core.nodetools import CACHE_ENV, NPM_DIR, STAMP_NAME, node_roots, tools_dir
from hoshin.lint.textlint import LintToolMissing, default_roots, find_toolchain

REPO = Path(__file__).resolve().parents[1]

FAKE_NPM = """#!/bin/sh
echo "$@" >> "$FAKE_LOG"
echo "PUPPETEER_SKIP_DOWNLOAD=$PUPPETEER_SKIP_DOWNLOAD" >> "$FAKE_LOG"
[ -n "$FAKE_FAIL" ] && { echo "npm error network" >&2; exit 1; }
mkdir -p node_modules/.bin node_modules/textlint/bin
touch node_modules/.bin/mmdc node_modules/textlint/bin/textlint.js
"""


@pytest.fixture
def fake_npm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text(FAKE_NPM, "utf-8")
    npm.chmod(0o755)
    log = tmp_path / "npm.log"
    monkeypatch.setenv("FAKE_LOG", str(log))
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    if shutil.which("node") is None:
        pytest.skip("node missing")
    return log


def test_setup_installs_the_shipped_lock_into_the_user_cache(
    fake_npm: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["setup"]) == 0
    folder = tools_dir()
    assert folder.parent == Path(os.environ[CACHE_ENV])
    assert (folder / STAMP_NAME).is_file()
    assert (folder / "package-lock.json").read_bytes() == (
        NPM_DIR / "package-lock.json"
    ).read_bytes()
    calls = fake_npm.read_text("utf-8").splitlines()
    assert calls[0].startswith("ci --omit=dev") and calls[1] == "PUPPETEER_SKIP_DOWNLOAD=1"
    assert main(["setup"]) == 0  # done once: nothing runs again
    assert len(fake_npm.read_text("utf-8").splitlines()) == 2
    assert "already set up" in capsys.readouterr().out


def test_a_failed_setup_leaves_nothing_half_installed(
    fake_npm: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FAKE_FAIL", "1")
    assert main(["setup"]) == 1
    assert "npm error network" in capsys.readouterr().err
    cache = Path(os.environ[CACHE_ENV])
    assert list(cache.iterdir()) == []


def test_tools_are_never_borrowed_from_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project elsewhere finds textlint in its own node_modules or the cache, nowhere else."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "empty-cache"))
    project = tmp_path / "town"
    project.mkdir()
    assert REPO not in node_roots(project) and REPO not in default_roots(project)
    node = shutil.which("node")
    if node is None:
        pytest.skip("node missing")
    with pytest.raises(LintToolMissing, match="hoshin setup"):
        find_toolchain(default_roots(project), path_env=str(Path(node).parent))


def test_the_shipped_lock_pins_what_the_repository_builds_with() -> None:
    """One set of pins: the package's lock (hoshin setup) and this repository's build tools."""
    shipped = json.loads((NPM_DIR / "package.json").read_text("utf-8"))
    ours = json.loads((REPO / "package.json").read_text("utf-8"))
    assert shipped["dependencies"] == ours["dependencies"]
    assert "axe-core" not in shipped["dependencies"] and "axe-core" in ours["devDependencies"]
    shipped_lock = json.loads((NPM_DIR / "package-lock.json").read_text("utf-8"))["packages"]
    our_lock = json.loads((REPO / "package-lock.json").read_text("utf-8"))["packages"]
    assert not any("axe-core" in name for name in shipped_lock)
    for name, entry in shipped_lock.items():
        if name:
            assert our_lock[name]["version"] == entry["version"], name


def test_doctor_names_what_is_missing_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "empty-cache"))
    assert main(["-C", str(tmp_path), "doctor"]) == 2
    lines = capsys.readouterr().out.splitlines()
    row = {
        line.split()[1]: line for line in lines if line.startswith(("ok", "MISSING", "optional"))
    }
    assert row["node"].startswith("MISSING") and "apt-get install nodejs npm" in row["node"]
    assert row["textlint"].startswith("MISSING") and "hoshin setup" in row["textlint"]
    assert row["mmdc"].startswith("MISSING") and "hoshin setup" in row["mmdc"]
    assert row["uplatex"].startswith("MISSING") and "texlive-lang-japanese" in row["uplatex"]
    assert row["libreoffice"].startswith("optional")


def test_doctor_says_where_each_tool_is(capsys: pytest.CaptureFixture[str]) -> None:
    if shutil.which("node") is None or not (REPO / "node_modules" / ".bin" / "mmdc").exists():
        pytest.skip("tools not installed (make setup)")
    main(["-C", str(REPO), "doctor"])
    out = capsys.readouterr().out
    textlint = next(line for line in out.splitlines() if line.split()[1:2] == ["textlint"])
    assert (
        textlint.startswith("ok")
        and "15.8.0" in textlint
        and str(REPO / "node_modules") in textlint
    )


@pytest.mark.parametrize("with_venv", [False, True])
def test_the_project_makefile_finds_hoshin(tmp_path: Path, with_venv: bool) -> None:
    if shutil.which("make") is None:
        pytest.skip("make missing")
    target = tmp_path / "town"
    assert main(["init", str(target), "--title", "町の方針", "--issuer", "町"]) == 0
    if with_venv:
        (target / ".venv" / "bin").mkdir(parents=True)
        (target / ".venv" / "bin" / "hoshin").write_text("#!/bin/sh\n", "utf-8")
    # not a sub-make of make test: no "Entering directory" lines
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    proc = subprocess.run(["make", "-n", "setup", "site"], cwd=target, capture_output=True,
                          text=True, check=True, env=env)  # fmt: skip
    hoshin = ".venv/bin/hoshin" if with_venv else "hoshin"
    assert proc.stdout.splitlines() == [f"{hoshin} setup", f"{hoshin} build --pdf"]
