"""Measure the TeX engines on the working draft: upLaTeX + dvipdfmx (hoshin's) vs LuaLaTeX.

Usage: ``.venv/bin/python bench/pdf_engines.py [runs]`` (default 3). Writes both LaTeX
sources with Sphinx into a temporary folder, then typesets each from a clean state
``runs`` times with latexmk (as many passes as the cross-references need) and prints the
median wall time and CPU time (user + system of the TeX processes). LuaLaTeX needs
Debian's ``texlive-luatex`` (not part of hoshin's set-up); without it only upLaTeX runs.
The figures are recorded in docs/pdf.md.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPHINX = Path(sys.executable).parent / "sphinx-build"
LUA_CONF = """\
exec(open({conf!r}, encoding="utf-8").read())
latex_engine = "lualatex"
latex_docclass = {{"manual": "ltjsbook"}}
latex_elements = {{
    "fontpkg": r"\\usepackage[haranoaji]{{luatexja-preset}}",
    "polyglossia": "", "babel": "", "fncychap": "", "maketitle": r"\\sphinxmaketitle",
    "preamble": r"\\setlength{{\\tymin}}{{5\\zw}}\\setcounter{{secnumdepth}}{{-1}}"
                r"\\usepackage{{pdflscape}}\\newcommand{{\\hoshinpart}}[1]{{\\part{{#1}}}}"
                r"\\newcommand{{\\hoshinbackmatter}}{{}}",
}}
latex_additional_files = []
"""


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def sphinx_latex(confdir: Path, out: Path) -> Path:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1622678400"}
    subprocess.run([str(SPHINX), "-q", "-b", "latex", "-c", str(confdir), "-d",
                    str(out / ".doctrees"), str(REPO / "source"), str(out)],
                   check=True, env=env, cwd=REPO, capture_output=True)  # fmt: skip
    return next(p for p in out.glob("*.tex") if not p.name.startswith("sphinx"))


def typeset(tex: Path, command: list[str]) -> tuple[float, float]:
    for junk in tex.parent.glob(f"{tex.stem}.*"):
        if junk.suffix not in (".tex",):
            junk.unlink()
    cpu, wall = children_cpu(), time.perf_counter()
    subprocess.run([*command, tex.name], cwd=tex.parent, check=True, capture_output=True,
                   env={**os.environ, "SOURCE_DATE_EPOCH": "1622678400"})  # fmt: skip
    return time.perf_counter() - wall, children_cpu() - cpu


def main(runs: int = 3) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        engines = {"uplatex + dvipdfmx": (
            sphinx_latex(REPO, work / "up"),
            ["latexmk", "-r", "latexmkjarc", "-pdfdvi", "-dvi-", "-ps-", "-interaction=nonstopmode"],
        )}  # fmt: skip
        if (
            shutil.which("lualatex")
            and subprocess.run(
                ["kpsewhich", "luatex85.sty"], capture_output=True, text=True
            ).stdout.strip()
        ):
            conf = work / "luaconf"
            conf.mkdir()
            (conf / "conf.py").write_text(LUA_CONF.format(conf=str(REPO / "conf.py")))
            tex = sphinx_latex(conf, work / "lua")
            typeset(tex, ["latexmk", "-pdflua", "-interaction=nonstopmode"])  # font cache warm-up
            engines["lualatex (luatexja)"] = (
                tex, ["latexmk", "-pdflua", "-interaction=nonstopmode"])  # fmt: skip
        print(f"load average before: {os.getloadavg()[0]:.1f}; {os.cpu_count()} cores; {runs} runs")
        print("| engine | wall (median) | CPU (median) |")
        print("|---|---|---|")
        for name, (tex, command) in engines.items():
            results = [typeset(tex, command) for _ in range(runs)]
            wall = statistics.median(r[0] for r in results)
            cpu = statistics.median(r[1] for r in results)
            print(f"| {name} | {wall:.1f} s | {cpu:.1f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
