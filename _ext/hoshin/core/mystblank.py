"""Blank out the MyST syntax that is not prose, so textlint sees only sentences.

textlint's markdown plugin knows CommonMark, not MyST: it lints ``:::`` lines, ``%`` comments
and directive options as prose (false "missing 。" findings) and treats the body of a
```` ```{note} ```` fence as code (prose it should lint). :func:`blank_myst` returns a text of
exactly the same length in which every skipped character is replaced by a space (line breaks
stay), so line, column and offset of every finding and every fix are those of the source file.

What is skipped: front matter, labels ``(x)=``, ``%`` comments, block breaks ``+++``, block
attributes ``{#id}``, directive fence lines and their option lines, the whole body of code-like
directives (code, mermaid, toctree, csv-table, eval-rst …, and any directive not known to hold
prose) and of plain code fences, card header/footer separators, role names ``{term}`` (the
role's content stays inline code, which textlint does not lint). What stays: the body of
admonitions, cards, tabs, dropdowns, figures and tables, and the cell text of ``list-table``.
Pure text processing; no Sphinx or docutils import.
"""

from __future__ import annotations

import re

from hoshin.core.mystsyntax import Fence, is_option_line, parse_fence, target_name

#: Directives whose body is prose (linted); their fence and option lines are blanked.
PROSE_DIRECTIVES: frozenset[str] = frozenset(
    {
        # docutils / Sphinx admonitions and text containers
        "admonition",
        "attention",
        "caution",
        "danger",
        "error",
        "hint",
        "important",
        "note",
        "seealso",
        "tip",
        "warning",
        "todo",
        "deprecated",
        "versionadded",
        "versionchanged",
        "versionremoved",
        "topic",
        "sidebar",
        "epigraph",
        "highlights",
        "pull-quote",
        "compound",
        "container",
        "only",
        "figure",
        "table",
        "list-table",
        # sphinx-design
        "card",
        "grid",
        "grid-item",
        "grid-item-card",
        "tab-set",
        "tab-item",
        "dropdown",
        "card-carousel",
        "div",
    }
)

_COMMENT = re.compile(r"^[ \t]*%")
_BLOCK_BREAK = re.compile(r"^[ \t]*\+{3}.*$")
_CARD_SEPARATOR = re.compile(r"^[ \t]*(\^{3,}|\+{3,})[ \t]*$")
_BLOCK_ATTRS = re.compile(r"^[ \t]*\{[#.%a-zA-Z][^{}]*\}[ \t]*$")
_ROLE = re.compile(r"\{[\w:.+-]+\}(?=`)")


def _blank(line: str) -> str:
    """The line with every character but the line break replaced by a space."""
    body = line.rstrip("\r\n")
    return " " * len(body) + line[len(body) :]


def _blank_span(line: str, start: int, end: int) -> str:
    return line[:start] + " " * (end - start) + line[end:]


def blank_myst(text: str, prose_directives: frozenset[str] = PROSE_DIRECTIVES) -> str:
    """``text`` with all non-prose MyST syntax blanked; same length, same line breaks."""
    lines = _split_lines(text)
    out = list(lines)
    i = _front_matter_end(lines)
    for j in range(i):
        out[j] = _blank(lines[j])
    stack: list[tuple[Fence, bool]] = []  # open fences, each with "its body is prose"
    while i < len(lines):
        line = lines[i]
        bare = line.rstrip("\r\n")
        if stack and not stack[-1][1]:
            # inside code or a non-prose directive: everything up to the closing fence
            if stack[-1][0].closed_by(line):
                stack.pop()
            out[i] = _blank(line)
            i += 1
            continue
        if stack and stack[-1][0].closed_by(line):
            stack.pop()
            out[i] = _blank(line)
            i += 1
            continue
        fence = parse_fence(bare)
        if fence is not None:
            name = fence.directive
            if fence.char == ":" and name is None:
                # a stray colon line (MyST needs {name}): never prose
                out[i] = _blank(line)
                i += 1
                continue
            prose = name is not None and name in prose_directives
            stack.append((fence, prose))
            out[i] = _blank(line)
            i += 1
            if prose:
                i = _skip_options(lines, out, i)
            continue
        if (
            target_name(bare) is not None
            or _COMMENT.match(bare)
            or _BLOCK_BREAK.match(bare)
            or _BLOCK_ATTRS.match(bare)
            or (stack and _CARD_SEPARATOR.match(bare))
        ):
            out[i] = _blank(line)
        else:
            out[i] = _ROLE.sub(lambda r: " " * len(r.group()), line)
        i += 1
    return "".join(out)


def _split_lines(text: str) -> list[str]:
    """Lines ending in ``\n`` (kept), as markdown sees them (``str.splitlines`` also splits
    at form feeds and U+2028, which markdown does not)."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _front_matter_end(lines: list[str]) -> int:
    """Index of the first line after a ``---`` front matter block (0 when there is none)."""
    if not lines or lines[0].rstrip("\r\n") != "---":
        return 0
    for j in range(1, len(lines)):
        if lines[j].rstrip("\r\n") in ("---", "..."):
            return j + 1
    return 0


def _skip_options(lines: list[str], out: list[str], i: int) -> int:
    """Blank a directive's ``:key: value`` lines or ``---`` YAML block; return the next line."""
    if i < len(lines) and lines[i].strip() == "---":
        for j in range(i + 1, len(lines)):
            if lines[j].strip() == "---":
                for k in range(i, j + 1):
                    out[k] = _blank(lines[k])
                return j + 1
        return i
    while i < len(lines) and is_option_line(lines[i]):
        out[i] = _blank(lines[i])
        i += 1
    return i
