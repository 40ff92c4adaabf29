"""The MyST line syntax hoshin's line scanners recognise: one definition (pure Python).

Several parts of hoshin read MyST sources as lines, without Sphinx: the document scanner
(:mod:`hoshin.core.mystdoc`), the lint blanker (:mod:`hoshin.core.mystblank`), the section
labels a change record may name (:func:`hoshin.core.history.document_labels`), the flow
charts ``hoshin check`` validates (:mod:`hoshin.diagrams.check`) and the files check
(:mod:`hoshin.core.chapter_files`). They must agree with each other and with MyST-Parser on
what a label line, a fence line and a directive option line are, so each is defined here
once, following MyST-Parser's own rules:

- a *target* (label) line is ``(name)=`` alone on its line (MyST's ``myst_blocks.target``);
- a *fence* is three or more backticks, tildes or colons followed by an info string; the
  fence is a directive when the info string's first word is ``{name}`` (MyST's
  ``render_fence``/``render_colon_fence``: ``info.strip().split(maxsplit=1)``); a backtick
  fence's info string holds no backtick (CommonMark);
- a fence is closed by a line of the same character, at least as long, and nothing else;
- a directive *option* line starts with ``:`` but not ``:::`` (MyST's ``is_option_line``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = [
    "LABEL_PATTERN",
    "LITERAL_DIRECTIVES",
    "Fence",
    "directive_lines",
    "is_option_line",
    "literal_body",
    "outside_code",
    "parse_fence",
    "target_lines",
    "target_name",
]

#: A label a change record may name (no white space, no parentheses, so that a list of
#: labels splits on spaces and a URL fragment holds it). MyST accepts any target name.
LABEL_PATTERN = r"[^\s()]+"

#: Directives whose body is not MyST (code, data, another markup): nothing in it is a label,
#: a directive or raw HTML of the page.
LITERAL_DIRECTIVES = frozenset(
    {"code", "code-block", "sourcecode", "code-cell", "literalinclude", "mermaid", "csv-table",
     "math", "raw", "eval-rst", "glossary", "toctree", "graphviz", "plantuml",
     "jupyter-execute"}
)  # fmt: skip

_FENCE = re.compile(r"(?P<indent>[ \t]*)(?P<marker>`{3,}|~{3,}|:{3,})(?P<info>.*)")


def target_name(line: str) -> str | None:
    """The name of a MyST target line ``(name)=``, else ``None``.

    As MyST reads it: the stripped line starts with ``(`` and ends with ``)=`` around a
    non-empty name. Any indentation is accepted (a line scanner cannot tell a list item's
    indentation from an indented code block).
    """
    text = line.strip()
    if len(text) > 3 and text[0] == "(" and text.endswith(")="):
        return text[1:-2]
    return None


@dataclass(frozen=True, slots=True)
class Fence:
    """An opening fence line: ```` ```{note} Title ````, ``:::{card}``, ```` ```python ````."""

    indent: str
    char: str
    length: int
    info: str
    column: int
    """1-based column of the info string's first character (the ``{`` of a directive)."""

    @property
    def directive(self) -> str | None:
        """The directive name (``{note} Title`` → ``note``); ``None`` for a code fence."""
        word = self.info.split(maxsplit=1)[0] if self.info else ""
        if len(word) > 2 and word[0] == "{" and word[-1] == "}":
            return word[1:-1]
        return None

    @property
    def argument(self) -> str:
        """What follows the first word of the info string (a directive's argument)."""
        parts = self.info.split(maxsplit=1)
        return parts[1].strip() if len(parts) > 1 else ""

    def closed_by(self, line: str) -> bool:
        """Whether ``line`` closes this fence (same character, at least as long, bare)."""
        stripped = line.strip()
        return (
            len(stripped) >= self.length
            and stripped[0] == self.char
            and stripped == self.char * len(stripped)
        )


def parse_fence(line: str) -> Fence | None:
    """The opening fence of ``line``, or ``None`` when it is not one."""
    m = _FENCE.fullmatch(line.rstrip("\r\n"))
    if m is None:
        return None
    marker, raw = m.group("marker"), m.group("info")
    info = raw.strip()
    if marker[0] == "`" and "`" in info:
        return None  # inline code, not a fence (CommonMark)
    column = m.start("info") + len(raw) - len(raw.lstrip()) + 1
    return Fence(m.group("indent"), marker[0], len(marker), info, column)


def is_option_line(line: str) -> bool:
    """A directive option line (``:key: value``) at the top of a directive's body."""
    stripped = line.lstrip()
    return stripped.startswith(":") and not stripped.startswith(":::")


def literal_body(fence: Fence) -> bool:
    """Whether a fence's body is not MyST: a code fence or a directive of
    :data:`LITERAL_DIRECTIVES` (a ``:::`` fence without a name is a MyST container)."""
    name = fence.directive
    return fence.char != ":" if name is None else name in LITERAL_DIRECTIVES


def outside_code(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(1-based number, line) of every MyST line: not in a literal body, not a closing fence.

    Opening fence lines are kept, except a code fence's (```` ```python ````).
    """
    stack: list[Fence] = []
    for number, line in enumerate(lines, start=1):
        if stack and stack[-1].closed_by(line):
            stack.pop()
            continue
        if stack and literal_body(stack[-1]):
            continue
        fence = parse_fence(line)
        if fence is not None:
            stack.append(fence)
            if fence.directive is None:
                continue
        yield number, line


def target_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(1-based line, label) of every target line outside code fences."""
    for number, line in outside_code(lines):
        label = target_name(line)
        if label is not None:
            yield number, label


def directive_lines(lines: Iterable[str]) -> Iterator[tuple[int, Fence]]:
    """(1-based line, fence) of every directive fence outside code fences."""
    for number, line in outside_code(lines):
        fence = parse_fence(line)
        if fence is not None and fence.directive is not None:
            yield number, fence
