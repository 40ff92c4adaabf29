"""The ``sources`` check: every page of ``source/`` is readable UTF-8 text, and reads as it looks.

Sphinx stops with a traceback on a page saved as Shift_JIS; this check names the file,
line and column first (through :func:`hoshin.core.yamlio.read_text`, as for the data files,
which also refuses control characters and bidi overrides). A fence that is never closed
makes the rest of the page code (or a note) without a word from MyST: that is a finding
here and a ``hoshin.markup`` warning in the build (:mod:`hoshin.core.guard`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from hoshin.core.mystsyntax import Fence, literal_body, parse_fence
from hoshin.core.yamlio import DataError, read_text

if TYPE_CHECKING:
    from hoshin.core.checks import Finding
    from hoshin.core.project import Project

SOURCE_SUFFIXES = (".md", ".rst")


def check_source_encoding(project: Project) -> list[DataError | Finding]:
    from hoshin.core.checks import Finding

    problems: list[DataError | Finding] = []
    if not project.source.is_dir():
        return [DataError(project.source, 1, 1, "no source/ folder")]
    for path in sorted(project.source.rglob("*")):
        if path.suffix in SOURCE_SUFFIXES and path.is_file():
            try:
                text = read_text(path)
            except DataError as exc:
                problems.append(exc)
                continue
            if path.suffix == ".md":
                problems += [
                    Finding(str(path), line, len(fence.indent) + 1, message, code="unclosed-fence")
                    for line, fence, message in unclosed_fences(text.split("\n"))
                ]  # fmt: skip
    return problems


def unclosed_fences(lines: Iterable[str]) -> list[tuple[int, Fence, str]]:
    """(1-based line, fence, message) of every fence still open at the end of a page.

    Fences are followed as :func:`hoshin.core.mystsyntax.outside_code` follows them: inside
    a code fence nothing opens, inside a directive fence another fence may.
    """
    stack: list[tuple[int, Fence]] = []
    for number, line in enumerate(lines, start=1):
        if stack and stack[-1][1].closed_by(line):
            stack.pop()
            continue
        if stack and literal_body(stack[-1][1]):
            continue
        fence = parse_fence(line)
        if fence is not None:
            stack.append((number, fence))
    return [(number, fence, unclosed_message(fence)) for number, fence in stack]


def unclosed_message(fence: Fence) -> str:
    marker = fence.char * fence.length
    opening = f"{marker}{fence.info}"
    return (f"fence '{opening}' is never closed: the rest of the page is inside it; "
            f"close it with a line '{marker}'")  # fmt: skip
