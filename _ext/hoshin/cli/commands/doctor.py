"""``hoshin doctor``: every external tool hoshin uses, its version, where it is, how to fix it.

Exit 0 when every required tool is there, 2 when one is missing (optional tools are listed
but never fail the check).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from hoshin.cli.console import out
from hoshin.core.nodetools import find_bin, tools_dir

APT = "apt-get install"


@dataclasses.dataclass(frozen=True)
class Tool:
    name: str
    purpose: str
    required: bool
    fix: str
    find: Callable[[Path], tuple[Path | None, str]]  # (where, version)


def _version(cmd: list[str]) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    lines = (proc.stdout or proc.stderr).strip().splitlines()
    return lines[0].strip() if lines else ""


def _program(name: str, flag: str = "--version") -> Callable[[Path], tuple[Path | None, str]]:
    def find(_root: Path) -> tuple[Path | None, str]:
        found = shutil.which(name)
        return (Path(found), _version([found, flag])) if found else (None, "")

    return find


def _chromium(root: Path) -> tuple[Path | None, str]:
    path = Path(_conf_value(root, "hoshin_flow_chromium") or "/usr/bin/chromium")
    return (path, _version([str(path), "--version"])) if path.exists() else (None, "")


def _npm_tool(bin_name: str, package: str) -> Callable[[Path], tuple[Path | None, str]]:
    def find(root: Path) -> tuple[Path | None, str]:
        found = find_bin(root, bin_name)
        if found is None:
            return None, ""
        package_json = found.parent.parent / package / "package.json"
        try:
            version = str(json.loads(package_json.read_text("utf-8")).get("version", ""))
        except (OSError, ValueError):
            version = ""
        return found, version

    return find


def _fonts(family: str) -> Callable[[Path], tuple[Path | None, str]]:
    def find(_root: Path) -> tuple[Path | None, str]:
        fc = shutil.which("fc-list")
        if fc is None:
            return None, ""
        proc = subprocess.run([fc, f":family={family}", "file"], capture_output=True,
                              text=True, check=False)  # fmt: skip
        first = proc.stdout.strip().splitlines()
        return (Path(first[0].strip().rstrip(":")), family) if first else (None, "")

    return find


def _tex_font(name: str) -> Callable[[Path], tuple[Path | None, str]]:
    def find(_root: Path) -> tuple[Path | None, str]:
        kpse = shutil.which("kpsewhich")
        if kpse is None:
            return None, ""
        found = _version([kpse, name])
        return (Path(found), name) if found else (None, "")

    return find


def _conf_value(root: Path, name: str) -> str:
    if not (root / "conf.py").is_file():
        return ""
    from hoshin.core.config import run_conf
    from hoshin.core.yamlio import DataError

    try:
        value = run_conf(root / "conf.py").get(name, "")
    except DataError:
        return ""
    return value if isinstance(value, str) else ""


TEX = f"{APT} texlive-lang-japanese texlive-latex-recommended texlive-latex-extra " \
      "texlive-fonts-recommended tex-gyre latexmk"  # fmt: skip

TOOLS: tuple[Tool, ...] = (
    Tool("node", "textlint, mermaid-cli", True, f"{APT} nodejs npm", _program("node")),
    Tool("npm", "hoshin setup", True, f"{APT} npm", _program("npm")),
    Tool("textlint", "hoshin lint", True, "hoshin setup", _npm_tool("textlint", "textlint")),
    Tool("mmdc", "diagrams (mermaid-cli)", True, "hoshin setup",
         _npm_tool("mmdc", "@mermaid-js/mermaid-cli")),
    Tool("chromium", "diagrams, browser checks", True, f"{APT} chromium", _chromium),
    Tool("Noto Sans CJK JP", "Japanese labels in diagrams", True, f"{APT} fonts-noto-cjk",
         _fonts("Noto Sans CJK JP")),
    Tool("uplatex", "PDF (hoshin build --pdf)", True, TEX, _program("uplatex")),
    Tool("dvipdfmx", "PDF", True, TEX, _program("dvipdfmx")),
    Tool("latexmk", "PDF", True, TEX, _program("latexmk")),
    Tool("Harano Aji", "Japanese fonts embedded in PDFs", True, f"{APT} texlive-lang-japanese",
         _tex_font("HaranoAjiMincho-Regular.otf")),
    Tool("git", "hoshin_draft_date = 'git', history of the text", False, f"{APT} git",
         _program("git")),
    Tool("libreoffice", "viewing the Word/Excel files as PDF (optional)", False,
         f"{APT} libreoffice-writer-nogui", _program("libreoffice")),
)  # fmt: skip


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "doctor",
        help="list every external tool: version, where found, how to fix",
        description="Check node, npm, textlint, mermaid-cli, chromium, fonts, upLaTeX and the "
        "optional tools; for each, its version, where it was found and the command that "
        "installs it. Exits 2 when a required tool is missing.",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    missing = 0
    for tool in TOOLS:
        where, version = tool.find(root)
        if where is not None:
            out(f"ok       {tool.name:<17} {version or '?'}  ({where})")
            continue
        mark = "MISSING" if tool.required else "optional"
        missing += tool.required
        out(f"{mark:<8} {tool.name:<17} for {tool.purpose}: {tool.fix}")
    out(f"Node.js tools of hoshin setup: {tools_dir()}")
    if missing:
        out(f"{missing} required tools missing")
        return 2
    out("every required tool is there")
    return 0
