"""``hoshin check`` for diagrams: every chart a page of ``source/`` draws is valid.

Finds the ``{flow}`` directives in the MyST pages (the same files the build would read),
and validates each YAML with :func:`hoshin.diagrams.flows.read_chart`, so ``hoshin check`` reports
a broken chart with ``path:line:col`` before a build does. No Sphinx import here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from hoshin.core.mystsyntax import directive_lines
from hoshin.core.yamlio import DataError
from hoshin.diagrams.flows import read_chart

if TYPE_CHECKING:
    from hoshin.core.checks import CheckResult
    from hoshin.core.project import Project


def flow_references(srcdir: Path) -> list[tuple[Path, int, Path]]:
    """(page, line, chart file) for every ``{flow}`` directive under ``srcdir``."""
    found = []
    for page in sorted(srcdir.rglob("*.md")):
        if any(part.startswith((".", "_")) for part in page.relative_to(srcdir).parts):
            continue
        text = page.read_text(encoding="utf-8", errors="replace")
        for number, fence in directive_lines(text.split("\n")):
            if fence.directive == "flow" and fence.argument:
                ref = fence.argument
                base = srcdir if ref.startswith("/") else page.parent
                found.append((page, number, (base / ref.lstrip("/")).resolve()))
    return found


def check_flow_data(project: Project) -> CheckResult:
    """Every chart drawn by a page of the working draft, validated (errors with positions)."""
    errors: CheckResult = []
    seen: set[Path] = set()
    for page, line, chart in flow_references(project.source):
        shown = os.path.relpath(chart, project.root)
        if not chart.is_file():
            where = os.path.relpath(page, project.root)
            errors.append(DataError(where, line, 1, f"{{flow}} names a missing file: {shown}"))
            continue
        if chart in seen:
            continue
        seen.add(chart)
        _, problems = read_chart(chart)
        errors += [DataError(shown, e.line, e.col, e.message) for e in problems]
    return errors
