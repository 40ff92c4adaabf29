"""Diff-engine benchmark: two versions of the ×N shelf, 1 % of the blocks edited.

Builds the shelf in memory from ``source/`` (N copies, labels made unique per copy), edits
a fixed, seeded 1 % of its prose lines (word replacements, insertions, deletions, a few
moved lines), and times the engine: parsing both trees (:func:`hoshin.core.mystdoc.parse_files`),
:func:`hoshin.revisions.diff.diff_documents`, and JSON rendering. With ``--git`` it also times
``git diff --no-index --word-diff-regex=.`` on the same two trees written to disk.

    .venv/bin/python bench/diff_bench.py [--copies 100] [--runs 5] [--git] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "_ext"))

from hoshin.core.mystdoc import ScanCache, parse_files  # noqa: E402
from hoshin.revisions.compare import Comparison  # noqa: E402
from hoshin.revisions.diff import diff_documents  # noqa: E402
from hoshin.revisions.render import render_json  # noqa: E402

_LABEL = re.compile(r"^\((?P<label>[A-Za-z0-9_.:-]+)\)=", re.M)
_PROSE = re.compile(r"^\s*(?:[-*+] |\d+\. )?(?P<text>[^\s:`#(|%<>~-].{20,})$")
_PHRASES = ("、特に重要な取組として", "市民の皆さんとともに", "段階的に", "全庁的な")


def build_shelf(src: Path, copies: int) -> dict[str, str]:
    """``copies`` policy documents of the seed's size under ``docNNN/``, plus a portal index."""
    files = {
        p.relative_to(src).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(src.rglob("*.md"))
    }
    shelf: dict[str, str] = {}
    for k in range(copies):
        prefix = f"doc{k:03d}"
        for path, text in files.items():
            shelf[f"{prefix}/{path}"] = _LABEL.sub(lambda m, p=prefix: f"({p}-{m['label']})=", text)
    toc = "\n".join(f"doc{k:03d}/index" for k in range(copies))
    shelf["index.md"] = f"(portal)=\n# 方針の書棚\n\n```{{toctree}}\n{toc}\n```\n"
    return shelf


def edit_shelf(
    shelf: dict[str, str], fraction: float = 0.01, seed: int = 83
) -> tuple[dict[str, str], int]:
    """A copy of ``shelf`` with ``fraction`` of its prose lines edited; returns (files, edits)."""
    rng = random.Random(seed)
    lines_by_file = {path: text.split("\n") for path, text in shelf.items()}
    prose = [
        (path, i)
        for path, lines in lines_by_file.items()
        for i, line in enumerate(lines)
        if _PROSE.match(line)
    ]
    chosen = rng.sample(prose, max(1, int(len(prose) * fraction)))
    moved: list[str] = []
    for n, (path, i) in enumerate(chosen):
        line = lines_by_file[path][i]
        kind = n % 5
        if kind == 0:  # replace a short stretch of words
            start = rng.randrange(len(line) // 3, len(line) // 2)
            line = line[:start] + "新たな表現に改め" + line[start + 6 :]
        elif kind == 1:  # insert a phrase
            start = rng.randrange(len(line) // 3, len(line) - 1)
            line = line[:start] + rng.choice(_PHRASES) + line[start:]
        elif kind == 2:  # delete a stretch
            start = rng.randrange(len(line) // 3, len(line) // 2)
            line = line[:start] + line[start + 8 :]
        elif kind == 3:  # change a number or a word near the end
            line = line[:-4] + "こととします。"
        else:  # move the line to the end of its file (a moved block)
            moved.append(path)
            lines_by_file[path].append("")
            lines_by_file[path].append(line)
            line = ""
        lines_by_file[path][i] = line
    return {path: "\n".join(lines) for path, lines in lines_by_file.items()}, len(chosen)


def _median(fn: Callable[[], Any], runs: int) -> tuple[float, float, float, Any]:
    """(median wall time, spread, median CPU time, last result) after one warm-up run."""
    result = fn()  # warm-up (and Sudachi's dictionary load)
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), max(wall) - min(wall), statistics.median(cpu), result


def _git_word_diff(
    old: dict[str, str], new: dict[str, str], runs: int
) -> tuple[float, float] | None:
    if shutil.which("git") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        for name, files in (("old", old), ("new", new)):
            for path, text in files.items():
                target = Path(tmp, name, path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
        cmd = ["git", "diff", "--no-index", "--word-diff-regex=.", "old", "new"]

        def run() -> None:
            subprocess.run(cmd, cwd=tmp, capture_output=True, check=False)

        median, spread, _, _ = _median(run, runs)
    return median, spread


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fraction", type=float, default=0.01)
    parser.add_argument("--git", action="store_true", help="also time git's word diff")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    old_files = build_shelf(REPO / "source", args.copies)
    new_files, edits = edit_shelf(old_files, args.fraction)
    cache: ScanCache = {}
    old_doc = parse_files(old_files, cache=cache)
    new_doc = parse_files(new_files, cache=cache)
    chars = sum(len(b.text) for _, b in old_doc.blocks())
    blocks = sum(len(s.blocks) for s in old_doc.sections.values())

    def parse_pair() -> None:
        shared: ScanCache = {}  # as a comparison reads: files both versions share scanned once
        parse_files(old_files, cache=shared)
        parse_files(new_files, cache=shared)

    timings = {
        "parse one side": _median(lambda: parse_files(old_files), args.runs),
        "parse both": _median(parse_pair, args.runs),
        "diff": _median(lambda: diff_documents(old_doc, new_doc), args.runs),
    }
    changes = timings["diff"][3]
    timings["render json"] = _median(lambda: render_json(Comparison("o", "n", changes)), args.runs)
    engine = sum(timings[k][0] for k in ("parse both", "diff", "render json"))
    results: dict[str, Any] = {
        "copies": args.copies,
        "characters": chars,
        "blocks": blocks,
        "sections": len(old_doc),
        "edited_lines": edits,
        "changes": len(changes),
        "kinds": {
            k: sum(1 for c in changes if c.kind == k)
            for k in ("changed", "added", "removed", "moved")
        },
        "timings_s": {k: {"median": v[0], "spread": v[1], "cpu": v[2]} for k, v in timings.items()},
        "engine_s": engine,
    }
    if args.git:
        results["git_word_diff_s"] = _git_word_diff(old_files, new_files, args.runs)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    print(
        f"shelf ×{args.copies}: {chars:,} characters, {blocks:,} blocks, {len(old_doc):,} sections"
    )
    print(f"edited lines: {edits}; changes found: {len(changes)} {results['kinds']}")
    for name, (median, spread, cpu, _) in timings.items():
        print(
            f"{name:>16}: median {median * 1000:7.1f} ms, spread {spread * 1000:6.1f} ms, "
            f"cpu {cpu * 1000:7.1f} ms ({args.runs} runs)"
        )
    print(f"{'engine':>16}: {engine * 1000:7.1f} ms (parse both + diff + JSON)")
    if results.get("git_word_diff_s"):
        median, spread = results["git_word_diff_s"]
        print(
            f"{'git word diff':>16}: median {median * 1000:7.1f} ms, spread {spread * 1000:6.1f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
