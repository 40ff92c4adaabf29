"""The benchmark harness: timed child processes, statistics, the machine, Markdown output.

Every figure comes from a child process (``sphinx-build``, ``hoshin``, ``git``) timed from
outside, so process start-up is always included. ``os.wait4`` gives each child's own CPU
time and peak memory (children it waited for, such as ``-j`` workers, included). The wall
clock is what an editor waits for; CPU time hardly moves when other work shares the
machine, so both are kept.
"""

from __future__ import annotations

import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


class NotAvailable(Exception):
    """A measurement whose feature has not landed (or whose tool is missing)."""


class MeasurementFailed(Exception):
    """A command of a measurement failed; ``output`` holds the end of its output."""

    def __init__(self, what: str, output: str) -> None:
        super().__init__(f"{what} failed")
        self.output = output


@dataclass(frozen=True)
class Run:
    """One timed child process."""

    wall: float
    cpu: float
    maxrss_mb: float
    returncode: int
    output: str


def run(
    cmd: Sequence[str],
    *,
    cwd: Path = REPO,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    what: str = "",
) -> Run:
    """Run ``cmd`` to the end: its wall time, own CPU time (user + system) and peak RSS."""
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": "1622678400", **(env or {})}
    log = REPO / "_build" / "bench" / ".last-output.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w+", encoding="utf-8", errors="replace") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), cwd=cwd, env=full_env, stdout=sink, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        sink.seek(0)
        output = sink.read()
    result = Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        maxrss_mb=usage.ru_maxrss / 1024,
        returncode=proc.returncode,
        output=output,
    )
    if check and result.returncode != 0:
        raise MeasurementFailed(what or " ".join(cmd[:3]), output[-3000:])
    return result


@dataclass
class Series:
    """Repeated figures of one quantity (seconds, MB, a ratio …)."""

    label: str
    unit: str
    values: list[float] = field(default_factory=list)
    note: str = ""

    def add(self, value: float) -> None:
        self.values.append(value)

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else math.nan

    @property
    def low(self) -> float:
        return min(self.values) if self.values else math.nan

    @property
    def high(self) -> float:
        return max(self.values) if self.values else math.nan


def fmt(value: float, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "s":
        return (
            f"{value:.3f} s" if value < 1 else f"{value:.2f} s" if value < 100 else f"{value:.0f} s"
        )
    if unit == "×":
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    if unit == "MB":
        return f"{value:.0f} MB" if value >= 10 else f"{value:.1f} MB"
    if unit == "KB":
        return f"{value:.0f} KB"
    return f"{value:g} {unit}".strip()


def spread(series: Series) -> str:
    if len(series.values) < 2:
        return "—"
    return f"{fmt(series.low, series.unit)} – {fmt(series.high, series.unit)}"


def fitted_exponent(sizes: Sequence[float], values: Sequence[float]) -> float:
    """Least-squares slope of log(value) over log(size): 1.0 is linear."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(v) for v in values]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def load_average() -> str:
    try:
        return "/".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:
        return "?"


# --- the machine and the tools ---------------------------------------------------------


def _first_line(cmd: Sequence[str]) -> str:
    if shutil.which(cmd[0]) is None and not Path(cmd[0]).exists():
        return "なし"
    try:
        proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=60, cwd=REPO)
    except (OSError, subprocess.TimeoutExpired):
        return "なし"
    text = (proc.stdout or proc.stderr).strip()
    return text.splitlines()[0] if text else "?"


def _python_version(python: Path, module: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({module!r}))"
    return _first_line([str(python), "-c", code])


def machine() -> dict[str, str]:
    """Cores, CPU model, memory, OS and the versions of every tool the figures depend on."""
    cpu = "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        cpu = match[1].strip() if match else cpu
    mem = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        match = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.M)
        mem = f"{int(match[1]) / 1024 / 1024:.1f} GB" if match else mem
    os_name = platform.platform()
    os_release = Path("/etc/os-release")
    if os_release.is_file():
        match = re.search(r'^PRETTY_NAME="?([^"\n]+)', os_release.read_text(), re.M)
        os_name = match[1] if match else os_name
    python = Path(os.environ.get("HOSHIN_BENCH_PYTHON", REPO / ".venv" / "bin" / "python"))
    mmdc = REPO / "node_modules" / ".bin" / "mmdc"
    commit = _first_line(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "CPU": cpu,
        "コア数": str(os.cpu_count()),
        "メモリ": mem,
        "OS": os_name,
        "Python": _first_line([str(python), "--version"]).replace("Python ", ""),
        "Sphinx": _python_version(python, "sphinx"),
        "docutils": _python_version(python, "docutils"),
        "myst-parser": _python_version(python, "myst-parser"),
        "furo": _python_version(python, "furo"),
        "hoshin": f"{_python_version(python, 'hoshin')} (git {commit}{'、未コミットの変更あり' if dirty else ''})",
        "Node.js": _first_line(["node", "--version"]),
        "mermaid-cli (mmdc)": _first_line([str(mmdc), "--version"]) if mmdc.exists() else "なし",
        "uplatex": _first_line(["uplatex", "--version"]),
        "git": _first_line(["git", "--version"]),
    }


# --- Markdown output ---------------------------------------------------------------------


@dataclass
class Section:
    """One measurement's part of docs/benchmarks.md."""

    name: str
    title: str
    target: str = ""
    verdict: str = ""
    rows: list[Series] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def series(self, label: str, unit: str = "s", note: str = "") -> Series:
        item = Series(label, unit, note=note)
        self.rows.append(item)
        return item

    def markdown(self) -> str:
        out = [f"### {self.title}", ""]
        if self.target:
            out.append(f"目標: {self.target}" + (f" — **{self.verdict}**" if self.verdict else ""))
            out.append("")
        if self.rows:
            out += [
                "| 項目 | 中央値 | 範囲（最小 – 最大） | 回数 | 備考 |",
                "|---|---:|---:|---:|---|",
            ]
            for s in self.rows:
                count = str(len(s.values)) if s.values else "—"
                note = s.note.replace("|", "\\|")
                out.append(
                    f"| {s.label} | {fmt(s.median, s.unit)} | {spread(s)} | {count} | {note} |"
                )
            out.append("")
        out += self.lines
        return "\n".join(out).rstrip() + "\n"


def block(name: str, text: str) -> str:
    return f"<!-- bench:{name} -->\n{text.rstrip()}\n<!-- /bench:{name} -->\n"


def merge_blocks(document: str, blocks: Mapping[str, str], order: Sequence[str]) -> str:
    """Replace each ``<!-- bench:NAME -->`` block of ``document``; insert missing ones in order.

    A missing block goes after the last present block that comes before it in ``order``, or
    else before the first ``## `` section (at the end if there is none). Everything outside the blocks (sections written
    by hand or by other scripts) is kept as it is.
    """
    for name, text in blocks.items():
        start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
        pattern = re.compile(rf"{re.escape(start)}\n.*?{re.escape(end)}\n?", re.S)
        if pattern.search(document):
            document = pattern.sub(lambda _m, n=name, t=text: block(n, t), document, count=1)
            continue
        earlier = order[: order.index(name)] if name in order else list(order)
        position = None
        for other in reversed(earlier):
            found = document.find(f"<!-- /bench:{other} -->")
            if found != -1:
                newline = document.find("\n", found)
                position = len(document) if newline == -1 else newline + 1
                break
        if position is None:  # before the first section of the document, or at its end
            section = re.search(r"^## ", document, re.M)
            position = section.start() if section else len(document)
        document = document[:position] + block(name, text) + "\n" + document[position:]
    return re.sub(r"\n{3,}", "\n\n", document)
