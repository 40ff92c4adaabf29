"""A MyST source tree read as plain text, sectioned by explicit labels (pure Python).

The diff engine and the change records both speak in *sections*: the text between one
``(label)=`` target that precedes a heading and the next such target. This module turns a
``source/`` tree into :class:`PolicyDocument` → :class:`Section` → :class:`Block`, where a
block is one paragraph, list item, heading or table row as a reader sees it: MyST markup,
directive fences and options, roles, labels, comments and front matter are gone.

It is a line scanner, not a Markdown parser: it handles the MyST that policy documents use
(headings, nested lists, colon and backtick directive fences, ``list-table``, pipe tables,
roles, emphasis, links) quickly enough to read a 100-document shelf in well under a second,
and never imports Sphinx or docutils.
"""

from __future__ import annotations

import csv
import functools
import pickle
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hoshin.core import mystsyntax
from hoshin.core.atomicfile import replacing
from hoshin.core.digest import short_key
from hoshin.core.mystsyntax import Fence, is_option_line, parse_fence, target_name
from hoshin.core.yamlio import refuse_forbidden

__all__ = [
    "Block",
    "PolicyDocument",
    "ScanCache",
    "Section",
    "parse_files",
    "parse_text",
    "read_document",
]


@dataclass(frozen=True, slots=True)
class Block:
    """One unit a reader sees: ``heading``, ``para``, ``item`` (list item), ``row`` or ``other``.

    ``text`` is plain text; a table row is its cells joined with ``" | "``. ``line`` is the
    1-based source line where the block starts, ``path`` the source file relative to the tree.
    """

    kind: str
    text: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class Section:
    """The blocks from one explicit label (with its heading) up to the next label."""

    label: str
    title: str
    path: str
    line: int
    blocks: tuple[Block, ...]

    @property
    def text(self) -> str:
        """All block texts joined by newlines (for quote checks and searches)."""
        return "\n".join(b.text for b in self.blocks)


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    """Sections keyed by label, in reading order (toctree order where it can be found)."""

    sections: dict[str, Section] = field(default_factory=dict)

    def get(self, label: str) -> Section | None:
        return self.sections.get(label)

    def __len__(self) -> int:
        return len(self.sections)

    def blocks(self) -> Iterable[tuple[Section, Block]]:
        for section in self.sections.values():
            for block in section.blocks:
                yield section, block


# Directives whose body is not prose a reader compares (code, navigation, raw markup).
_SKIP_DIRECTIVES = frozenset(
    {
        "toctree", "code-block", "code", "code-cell", "sourcecode", "literalinclude",
        "include", "mermaid", "math", "raw", "eval-rst", "image", "graphviz", "contents",
        "index", "highlight", "tabularcolumns", "rst-class", "only", "ifconfig",
        "literal", "jupyter-execute", "plantuml",
    }
)  # fmt: skip
# Directives whose argument reads as a heading; other arguments are captions ("other").
_HEADING_ARG = frozenset(
    {"card", "rubric", "topic", "sidebar", "dropdown", "admonition", "tab-item", "grid-item-card"}
)
# Directives whose argument is a file name, not text.
_PATH_ARG = frozenset({"figure", "image", "include", "literalinclude", "flow"})
# Directives drawing a figure from a YAML file whose top-level ``title:`` is the caption.
_CAPTION_FROM_FILE = frozenset({"flow"})
_YAML_TITLE = re.compile(r"^title:[ \t]*(.*?)[ \t]*$", re.M)

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_BULLET = re.compile(r"(\s*)([-*+])(?:[ \t]+(.*)|[ \t]*)$")
_ORDERED = re.compile(r"(\s*)(\d{1,9})[.)](?:[ \t]+(.*)|[ \t]*)$")
_THEMATIC = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_TABLE_SEP = re.compile(r"\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_LINKDEF = re.compile(r" {0,3}\[[^\]^]+\]:\s")
_ROW_START = re.compile(r"(\s*)[*-][ \t]+([*-])(?:[ \t]+(.*)|[ \t]*)$")
_CELL_START = re.compile(r"(\s*)-(?:[ \t]+(.*)|[ \t]*)$")

_NEEDS_INLINE = re.compile(r"[`*\[<\\{_]")
_ROLE = re.compile(r"\{[A-Za-z0-9_:.+-]+\}(`+)(.*?)\1", re.S)
_TITLE_TARGET = re.compile(r"(.*?)\s*<([^<>]+)>\s*$", re.S)
_CODE = re.compile(r"(`+)(.+?)\1", re.S)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+)>")
_BR = re.compile(r"<br\s*/?>", re.I)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.S)
_EM = re.compile(r"(?<![\\*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)", re.S)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def clean_inline(text: str) -> str:
    """Plain text of one line or block of inline MyST (roles, code, links, emphasis)."""
    if not _NEEDS_INLINE.search(text):
        return text
    text = _ROLE.sub(_role_text, text)
    text = _CODE.sub(lambda m: m.group(2).strip() if m.group(2).strip() else m.group(2), text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _BR.sub("\n", text)
    text = _STRONG.sub(r"\2", text)
    text = _EM.sub(r"\1", text)
    return _ESCAPE.sub(r"\1", text)


def _role_text(match: re.Match[str]) -> str:
    content = match.group(2)
    title = _TITLE_TARGET.match(content)
    if title and title.group(1):
        return title.group(1)
    if title:
        return title.group(2)
    return content.lstrip("~!")


def _join_lines(lines: list[str]) -> str:
    """Join a block's source lines as a browser shows them (no space between CJK lines)."""
    if len(lines) == 1 and not lines[0].endswith(("\\", "  ")):
        return clean_inline(lines[0].strip())
    out = ""
    for raw in lines:
        hard = raw.endswith("\\") or raw.endswith("  ")
        piece = raw.strip()
        if hard:
            piece = piece[:-1].rstrip() if piece.endswith("\\") else piece
        if not out:
            out = piece
        elif out.endswith("\n") or not piece:
            out += piece
        elif out[-1].isascii() or piece[0].isascii():
            out += " " + piece
        else:
            out += piece
        if hard:
            out += "\n"
    return clean_inline(out.rstrip("\n"))


class _Builder:
    """A block under construction: its kind, first line and raw source lines."""

    __slots__ = ("indent", "kind", "line", "lines", "prefix")

    def __init__(self, kind: str, line: int, first: str, indent: int = 0, prefix: str = "") -> None:
        self.kind = kind
        self.line = line
        self.lines = [first]
        self.indent = indent
        self.prefix = prefix


class _Fence:
    __slots__ = ("mode", "name", "opening", "options_done", "table")

    def __init__(self, opening: Fence, name: str, mode: str) -> None:
        self.opening = opening
        self.name = name
        self.mode = mode  # "prose" | "skip" | "list-table" | "csv-table" | "code"
        self.options_done = False
        self.table: _TableState | None = None

    def closes(self, line: str) -> bool:
        return self.opening.closed_by(line)


class _TableState:
    """Rows of a ``list-table`` being read: each row a list of cells, each cell its lines."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, list[list[str]]]] = []
        self.cell_indent: int | None = None


@dataclass
class _FileResult:
    """What one file contributes: (label, title, line, blocks) chunks and toctree entries."""

    path: str
    chunks: list[tuple[str | None, str, int, list[Block]]]
    toctree: list[str]
    #: (chunk, block index, file) of blocks whose text is a caption read from a file.
    file_refs: list[tuple[int, int, str]] = field(default_factory=list)


def _fence_mode(name: str | None) -> str:
    if name is None:
        return "code"
    name = name.strip()
    if name in _SKIP_DIRECTIVES:
        return "skip"
    if name in ("list-table", "csv-table"):
        return name
    return "prose"


class _Scanner:
    """Scans one file line by line into blocks, tracking fences, lists and sections."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.chunks: list[tuple[str | None, str, int, list[Block]]] = [(None, "", 1, [])]
        self.builders: list[_Builder] = []
        self.current: _Builder | None = None
        self.last_item: _Builder | None = None
        self.after_blank = False
        self.fences: list[_Fence] = []
        self.pending_label: tuple[str, int] | None = None
        self.toctree: list[str] = []
        self.file_refs: list[tuple[int, int, str]] = []
        self.counters: dict[int, int] = {}
        self.in_comment = False
        self.in_table = False
        self.lines: list[str] = []

    # -- sections -------------------------------------------------------------------------
    def _flush_blocks(self) -> None:
        self.current = None
        if not self.builders:
            return
        blocks = self.chunks[-1][3]
        for b in self.builders:
            lines = b.lines
            raw = lines[0]
            if len(lines) == 1 and not raw.endswith(("\\", "  ")):
                raw = raw.strip()  # the common one-line block, without _join_lines
                text = clean_inline(raw) if _NEEDS_INLINE.search(raw) else raw
            else:
                text = _join_lines(lines)
            if b.prefix:
                text = b.prefix + text
            if text:
                blocks.append(Block(b.kind, text, self.path, b.line))
        self.builders.clear()

    def _start_section(self, label: str, line: int) -> None:
        self._end_list()
        self.chunks.append((label, "", line, []))

    def _end_list(self) -> None:
        self._flush_blocks()
        self.last_item = None
        self.counters.clear()

    def _emit(self, kind: str, text: str, line: int) -> None:
        self._end_list()
        if text:
            self.chunks[-1][3].append(Block(kind, text, self.path, line))

    # -- main loop ------------------------------------------------------------------------
    def scan(self, text: str) -> _FileResult:
        # Lines as markdown-it counts them (only \n, \r\n and \r end a line), so that line
        # numbers agree with Sphinx's.
        text = text.removeprefix("\ufeff")
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = self.lines = text.split("\n")
        start = 0
        if lines and lines[0].strip() == "---":
            for i in range(1, len(lines)):
                if lines[i].strip() in ("---", "..."):
                    start = i + 1
                    break
        fences, line_fn = self.fences, self._line
        for number in range(start, len(lines)):
            line = lines[number]
            if not fences and (not line or line.isspace()) and not self.in_comment:
                self.current = None  # a blank line outside directives (the common case)
                self.after_blank = True
                self.in_table = False
                continue
            line_fn(line, number + 1)
        self._end_fences()
        self._flush_blocks()
        return _FileResult(self.path, self.chunks, self.toctree, self.file_refs)

    def _end_fences(self) -> None:
        while self.fences:
            self._close_fence()

    def _line(self, line: str, number: int) -> None:
        if self.in_comment:
            if "-->" in line:
                self.in_comment = False
            return
        fence = self.fences[-1] if self.fences else None
        if fence is not None and fence.mode != "prose":
            self._fenced_line(fence, line, number)
            return
        stripped = line.strip()
        if fence is not None and not fence.options_done:
            if is_option_line(line):
                return
            fence.options_done = True
        if not stripped:
            self._blank()
            return
        if self.in_table and not stripped.startswith("|"):
            self.in_table = False
        first = stripped[0]
        if first in "`~:" and self._maybe_fence(line, number, fence):
            return
        if self.pending_label is not None:
            pending, pending_line = self.pending_label
            self.pending_label = None
            if first == "#" and _HEADING.match(line):
                self._start_section(pending, pending_line)
        if first == "(":
            label = target_name(line)
            if label is not None:
                self._flush_blocks()
                self.pending_label = (label, number)
                return
        elif first == "#":
            m = _HEADING.match(line)
            if m:
                title = clean_inline((m.group(2) or "").strip())
                label, section_title, label_line, blocks = self.chunks[-1]
                self._emit("heading", title, number)
                if label is not None and not section_title and len(blocks) == 1:
                    self.chunks[-1] = (label, title, label_line, blocks)
                return
        elif first == "%":
            self._flush_blocks()
            return
        elif first == "<" and stripped.startswith("<!--"):
            self._flush_blocks()
            if "-->" not in stripped:
                self.in_comment = True
            return
        elif first == "|" and self._pipe_row(stripped, number):
            return
        elif first == "$" and stripped.startswith("$$"):
            self._flush_blocks()
            return
        elif first == ">":
            line = re.sub(r"^\s*(?:>\s?)+", "", line)
            stripped = line.strip()
            if not stripped:
                self._blank()
                return
        if first in "-*+_=" and not stripped.strip("-*_= \t") and self._maybe_rule(line, number):
            return
        if (first in "-*+" or first.isdigit()) and self._maybe_item(line, number):
            return
        if first == "[" and _LINKDEF.match(line):
            return
        self._text(line, number)

    def _blank(self) -> None:
        self.in_table = False
        if self.current is not None:
            self.current = None
        self.after_blank = True

    def _text(self, line: str, number: int) -> None:
        indent = len(line) - len(line.lstrip())
        if self.current is not None:
            self.current.lines.append(line)
        elif (
            self.after_blank
            and self.last_item is not None
            and indent >= self.last_item.indent > 0
            and any(b is self.last_item for b in self.builders)
        ):
            item = self.last_item  # a further paragraph of the same list item
            item.lines[-1] = item.lines[-1].rstrip() + "\\"
            item.lines.append(line)
            self.current = item
        else:
            if indent == 0:
                self.last_item = None
                self.counters.clear()
            builder = _Builder("para", number, line)
            self.builders.append(builder)
            self.current = builder
        self.after_blank = False

    def _maybe_rule(self, line: str, number: int) -> bool:
        if self.current is not None and self.current.kind == "para" and _SETEXT.match(line):
            para = self.current
            self.builders.remove(para)
            self._emit("heading", _join_lines(para.lines), para.line)
            return True
        if _THEMATIC.match(line):
            self._end_list()
            return True
        return False

    def _maybe_item(self, line: str, number: int) -> bool:
        m = _BULLET.match(line)
        prefix = ""
        if m:
            indent = len(m.group(1))
            content = m.group(3) or ""
            column = indent + 2
            self.counters.pop(indent, None)
        else:
            m = _ORDERED.match(line)
            if not m:
                return False
            if self.current is not None and self.current.kind == "para" and m.group(2) != "1":
                return False  # "2021. ..." inside a paragraph is not a list
            indent = len(m.group(1))
            content = m.group(3) or ""
            value = self.counters.get(indent)
            value = int(m.group(2)) if value is None else value + 1
            self.counters[indent] = value
            for deeper in [k for k in self.counters if k > indent]:
                del self.counters[deeper]
            prefix = f"{value}. "
            column = indent + len(m.group(2)) + 2
        self._flush_blocks()
        builder = _Builder("item", number, content, indent=column, prefix=prefix)
        self.builders.append(builder)
        self.current = builder
        self.last_item = builder
        self.after_blank = False
        return True

    def _pipe_row(self, stripped: str, number: int) -> bool:
        """A GFM table row (only inside a table, i.e. next to its ``|---|`` delimiter row)."""
        following = self.lines[number] if number < len(self.lines) else ""
        if not self.in_table and not _TABLE_SEP.match(following):
            return False
        self._end_list()
        self.in_table = True
        if _TABLE_SEP.match(stripped):
            return True
        body = stripped.strip("|")
        cells = [clean_inline(c.strip()) for c in re.split(r"(?<!\\)\|", body)]
        self.chunks[-1][3].append(Block("row", " | ".join(cells), self.path, number))
        return True

    # -- fences ---------------------------------------------------------------------------
    def _maybe_fence(self, line: str, number: int, fence: _Fence | None) -> bool:
        if fence is not None and fence.closes(line):
            self._close_fence()
            return True
        opening = parse_fence(line)
        if opening is None:
            return False
        name, rest = opening.directive, opening.argument if opening.directive else ""
        self._end_list()
        self.pending_label = None
        # a ``:::`` fence without a directive is a MyST container: its body is MyST
        mode = "prose" if name is None and opening.char == ":" else _fence_mode(name)
        new = _Fence(opening, (name or "").strip(), mode)
        if mode == "list-table":
            new.table = _TableState()
        self.fences.append(new)
        if rest and new.name in _CAPTION_FROM_FILE:
            blocks = self.chunks[-1][3]
            self.file_refs.append((len(self.chunks) - 1, len(blocks), _resolve(self.path, rest)))
            blocks.append(Block("other", "", self.path, number))  # caption filled in later
        if rest and name is not None and new.name not in _PATH_ARG and mode not in ("skip", "code"):
            kind = "heading" if new.name in _HEADING_ARG else "other"
            self._emit(kind, clean_inline(rest), number)
        self.after_blank = False
        return True

    def _close_fence(self) -> None:
        fence = self.fences.pop()
        self._end_list()
        if fence.table is not None:
            for row_line, cells in fence.table.rows:
                text = " | ".join(_join_lines(c) if c else "" for c in cells)
                self.chunks[-1][3].append(Block("row", text, self.path, row_line))

    def _fenced_line(self, fence: _Fence, line: str, number: int) -> None:
        stripped = line.strip()
        if fence.closes(line):
            self._close_fence()
            return
        if not fence.options_done:
            if is_option_line(line):
                if fence.mode == "csv-table" and stripped.startswith(":header:"):
                    self._csv_rows([stripped[len(":header:") :].strip()], number)
                return
            fence.options_done = True
        if fence.mode == "skip":
            if fence.name == "toctree" and stripped:
                self.toctree.append(stripped)
            return
        if fence.mode == "code" or not stripped:
            return
        if fence.mode == "csv-table":
            self._csv_rows([stripped], number)
            return
        table = fence.table
        assert table is not None
        row = _ROW_START.match(line)
        if row:
            table.cell_indent = len(line) - len(line.lstrip()) + 2
            table.rows.append((number, [[row.group(3)] if row.group(3) else []]))
            return
        cell = _CELL_START.match(line)
        if cell and table.rows and len(cell.group(1)) == table.cell_indent:
            table.rows[-1][1].append([cell.group(2)] if cell.group(2) else [])
            return
        if table.rows and table.rows[-1][1]:
            table.rows[-1][1][-1].append(stripped)

    def _csv_rows(self, lines: list[str], number: int) -> None:
        for cells in csv.reader(lines, skipinitialspace=True):
            text = " | ".join(clean_inline(c.strip()) for c in cells)
            self.chunks[-1][3].append(Block("row", text, self.path, number))


def parse_text(path: str, text: str) -> _FileResult:
    """Scan one MyST file (``path`` relative to the source tree, POSIX separators)."""
    return _Scanner(path).scan(text)


def _toctree_order(results: Mapping[str, _FileResult], root: str) -> list[str]:
    """File paths in toctree (depth-first) order from ``root``, then the rest sorted."""
    by_doc = {p[:-3] if p.endswith(".md") else p: p for p in results}
    order: list[str] = []
    seen: set[str] = set()
    stack = [root] if root in by_doc else []
    while stack:
        doc = stack.pop()
        if doc in seen or doc not in by_doc:
            continue
        seen.add(doc)
        path = by_doc[doc]
        order.append(path)
        base = doc.rpartition("/")[0]
        children: list[str] = []
        for entry in results[path].toctree:
            m = _TITLE_TARGET.match(entry)
            target = m.group(2) if m else entry
            if target == "self" or "://" in target or target.startswith(":"):
                continue
            target = target.removesuffix(".md")
            if target.startswith("/"):
                child = target.lstrip("/")
            else:
                child = f"{base}/{target}" if base else target
            children.append(_normalise_doc(child) if "." in child or "//" in child else child)
        stack.extend(reversed(children))
    listed = set(order)
    order.extend(sorted(p for p in results if p not in listed))
    return order


def _resolve(path: str, target: str) -> str:
    """``target`` as written in the file ``path``, relative to the source tree."""
    if target.startswith("/"):
        return _normalise_doc(target)
    base = path.rpartition("/")[0]
    return _normalise_doc(f"{base}/{target}" if base else target)


def _normalise_doc(doc: str) -> str:
    parts: list[str] = []
    for part in doc.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


#: A scanned file as plain tuples (what :class:`ScanCache` keeps on disk: fast to unpickle).
_Packed = tuple[str, list[tuple[str | None, str, int, list[tuple[str, str, int]]]], list[str],
                list[tuple[int, int, str]]]  # fmt: skip


def _pack(result: _FileResult) -> _Packed:
    chunks = [
        (label, title, line, [(b.kind, b.text, b.line) for b in blocks])
        for label, title, line, blocks in result.chunks
    ]
    return result.path, chunks, result.toctree, result.file_refs


def _unpack(packed: _Packed) -> _FileResult:
    path, chunks, toctree, file_refs = packed
    return _FileResult(
        path,
        [
            (label, title, line, [Block(kind, text, path, n) for kind, text, n in blocks])
            for label, title, line, blocks in chunks
        ],
        toctree,
        file_refs,
    )


class ScanCache:
    """Scanned files keyed by path and content, optionally kept in a file between runs.

    Pass one to both sides of a comparison so that the files two versions share are
    scanned once. :meth:`load` and :meth:`save` keep it in a pickle under the build's cache
    folder, so a frozen version (whose files never change) is scanned once, not on every
    ``hoshin diff`` or build. The file is tied to this module's code: a changed scanner
    starts afresh. Entries not used in the last :attr:`KEEP_RUNS` runs are dropped.
    """

    KEEP_RUNS = 10
    _FORMAT = 1

    def __init__(self) -> None:
        self._results: dict[tuple[str, bytes], _FileResult] = {}
        #: Entries as stored: key → (last run that used it, packed scan).
        self._stored: dict[tuple[str, bytes], tuple[int, _Packed]] = {}
        self._run = 0
        self._added = False

    def __len__(self) -> int:
        return len(self._results.keys() | self._stored.keys())

    def scan(self, path: str, text: str) -> _FileResult:
        """The scan of ``text`` as the file ``path``, from the cache when it has one."""
        data = text.encode("utf-8", "surrogatepass")
        key = (path, short_key(data))
        result = self._results.get(key)
        if result is None:
            stored = self._stored.get(key)
            if stored is not None:
                result = _unpack(stored[1])
            else:
                result = parse_text(path, text)
                self._added = True
            self._results[key] = result
        return result

    @staticmethod
    @functools.cache
    def _code_key() -> bytes:
        """Digest of the scanner's source and of the syntax it reads, once per process."""
        return short_key(Path(__file__).read_bytes() + Path(mystsyntax.__file__).read_bytes())

    @classmethod
    def load(cls, file: Path) -> ScanCache:
        """The cache kept in ``file``; an empty one when it is missing, stale or unreadable."""
        cache = cls()
        try:
            with open(file, "rb") as f:
                stored = pickle.load(f)
            if stored["format"] == cls._FORMAT and stored["code"] == cls._code_key():
                cache._stored = stored["entries"]
                cache._run = stored["run"] + 1
        except (OSError, EOFError, pickle.UnpicklingError, KeyError, TypeError, ValueError,
                AttributeError, ImportError, IndexError):  # fmt: skip
            pass  # a cache only saves time: start afresh
        return cache

    def save(self, file: Path) -> None:
        """Write the cache to ``file`` (atomically) when this run scanned something new."""
        if not self._added:
            return
        oldest = self._run - self.KEEP_RUNS
        entries = {k: v for k, v in self._stored.items() if v[0] > oldest}
        for key, result in self._results.items():
            stored = self._stored.get(key)
            entries[key] = (self._run, stored[1] if stored is not None else _pack(result))
        record = {"format": self._FORMAT, "code": self._code_key(), "run": self._run,
                  "entries": entries}  # fmt: skip
        try:
            with replacing(file) as tmp, open(tmp, "wb") as f:
                pickle.dump(record, f, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            return  # a read-only build folder: the next run scans again
        self._stored = entries
        self._added = False


def parse_files(
    files: Mapping[str, str],
    root: str = "index",
    cache: ScanCache | None = None,
    resource: Callable[[str], str | None] | None = None,
) -> PolicyDocument:
    """Build a document from ``{relative path: MyST text}`` in toctree order from ``root``.

    Text before the first label of a file becomes the section ``file:<path>`` (when it has
    any blocks); a label repeated later gets a ``~2``, ``~3`` … suffix so nothing is lost.
    ``resource(path)`` returns the text of another file of the tree (a ``{flow}`` diagram's
    YAML, whose ``title`` becomes the figure's caption block), or None.
    """
    scan = cache.scan if cache is not None else parse_text
    results = {path: scan(path, text) for path, text in files.items()}
    sections: dict[str, Section] = {}
    for path in _toctree_order(results, root):
        result = results[path]
        captions = _captions(result, resource)
        for k, (label, title, line, blocks) in enumerate(result.chunks):
            if k in captions:
                blocks = [b for b in captions[k] if b.text]
            if label is None:
                if not blocks:
                    continue
                label = f"file:{path}"
                title = next((b.text for b in blocks if b.kind == "heading"), "")
            key, n = label, 1
            while key in sections:
                n += 1
                key = f"{label}~{n}"
            sections[key] = Section(key, title, path, line, tuple(blocks))
    return PolicyDocument(sections)


def _captions(
    result: _FileResult, resource: Callable[[str], str | None] | None
) -> dict[int, list[Block]]:
    """Chunks with caption placeholders, the captions read through ``resource``."""
    filled: dict[int, list[Block]] = {}
    for chunk, index, target in result.file_refs:
        blocks = filled.setdefault(chunk, list(result.chunks[chunk][3]))
        text = resource(target) if resource is not None else None
        m = _YAML_TITLE.search(text) if text else None
        if m:
            title = m.group(1)
            if len(title) >= 2 and title[0] == title[-1] and title[0] in "'\"":
                title = title[1:-1]
            old = blocks[index]
            blocks[index] = Block("other", title, old.path, old.line)
    return filled


def read_document(
    srcdir: Path, root: str = "index", cache: ScanCache | None = None
) -> PolicyDocument:
    """Read every ``*.md`` under ``srcdir`` (skipping ``.``/``_``-prefixed folders).

    Reading two versions with the same ``cache`` dict scans their common files once.
    """
    files: dict[str, str] = {}
    for file in sorted(srcdir.rglob("*.md")):
        rel = file.relative_to(srcdir)
        if any(part.startswith((".", "_")) for part in rel.parts[:-1]):
            continue
        text = file.read_text(encoding="utf-8-sig")
        shown = file.relative_to(Path.cwd()) if file.is_relative_to(Path.cwd()) else file
        refuse_forbidden(shown, text.replace("\r\n", "\n"))  # never reaches a table or terminal
        files[rel.as_posix()] = text

    def resource(path: str) -> str | None:
        file = srcdir / path
        if path.startswith("..") or not file.is_file():
            return None
        return file.read_text(encoding="utf-8-sig")

    return parse_files(files, root, cache, resource)
