"""The ``files`` check: a chapter reads only files of its own project, and no raw markup.

Chapters may come from contributors through a pull request built in CI, so a page must not
be able to publish a file of the build machine (``{literalinclude} ../../etc/passwd``,
``{csv-table}`` with ``:file: /etc/passwd``, a symlink in ``source/`` to a file elsewhere)
nor run code in a reader's browser or in TeX (raw HTML, ``{raw} latex``). This module scans
the MyST (and reStructuredText) sources line by line, finds every file a directive reads and
every piece of raw markup, and reports each with ``path:line:col``. ``hoshin build`` runs it
before Sphinx; :mod:`hoshin.core.guard` checks the same inside Sphinx as a second line.

Raw markup is allowed per format by ``hoshin_allow_raw`` in ``conf.py``. No Sphinx import.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from hoshin.core.mystsyntax import Fence, literal_body, parse_fence
from hoshin.core.yamlio import DataError, read_text

if TYPE_CHECKING:
    from hoshin.core.project import Project

#: Directives whose first argument names a file (resolved like Sphinx's ``relfn2path``:
#: a leading ``/`` means the source folder).
FILE_ARGUMENT_DIRECTIVES = frozenset(
    {"literalinclude", "include", "image", "figure", "mermaid", "flow", "graphviz"}
)
#: Directives whose missing file Sphinx reports as CRITICAL (the build stops on it).
MUST_EXIST = frozenset({"include", "csv-table", "raw"})
#: Directives whose file's text reaches the page: it must hold no control character either.
TEXT_READERS = frozenset({"include", "literalinclude", "csv-table", "mermaid"})
#: Options naming a file; docutils joins them to the page's folder, so ``/x`` stays ``/x``.
FILE_OPTIONS = frozenset({"file"})
#: Options that would fetch from the network (never at build time).
URL_OPTIONS = frozenset({"url"})
#: A raw HTML block that is only a comment shows nothing and runs nothing.
HTML_COMMENT = re.compile(r"\s*<!--(?:(?!-->).)*-->\s*", re.DOTALL)

#: Raw nodes MyST-Parser makes itself from plain Markdown (a hard line break, ~~strike~~, a
#: task-list box): fixed markup, not the author's, so always allowed.
MYST_OWN_RAW = re.compile(
    r'<br />\n|\\\\\n|</?s>|<input class="task-list-item-checkbox"( checked="checked")?'
    r'( disabled="disabled")? type="checkbox">'
)


def harmless_raw(formats: list[str], text: str) -> bool:
    """A raw node that is an HTML comment or MyST's own fixed markup."""
    if formats == ["html"] and HTML_COMMENT.fullmatch(text):
        return True
    return len(formats) == 1 and MYST_OWN_RAW.fullmatch(text) is not None


_RST_DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\.\s+(?P<name>[\w:.-]+)::\s*(?P<arg>.*?)\s*$")
_FIELD_OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")
_YAML_OPTION = re.compile(r"^\s*(?P<key>[\w-]+)\s*:\s*(?P<value>.*?)\s*$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?(?P<target>[^)\s>]+)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclasses.dataclass(frozen=True)
class Reference:
    """Something a page asks the build to read or pass through, where it is written.

    ``kind`` is ``file`` (a path a directive reads), ``url`` (a network address),
    ``raw`` (raw markup in ``target``'s format) or ``html`` (HTML written in the text).
    ``docutils_join`` marks option paths that docutils joins itself (``/x`` is absolute),
    the others follow Sphinx (``/x`` is in the source folder).
    """

    kind: str
    directive: str
    target: str
    line: int
    col: int
    docutils_join: bool = False


def scan_text(text: str, *, rst: bool = False) -> list[Reference]:
    """Every file read, URL and piece of raw markup in one page's text (1-based positions)."""
    lines = text.split("\n")
    refs = list(_scan_rst(lines, 0) if rst else _scan_myst(lines, 0))
    return sorted(refs, key=lambda r: (r.line, r.col))


def _scan_myst(lines: list[str], offset: int) -> Iterator[Reference]:
    """Directives, options, images and raw HTML of MyST lines (``offset`` lines above)."""
    prose: list[str] = []  # the MyST outside literal bodies, blanked in place, for HTML
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = parse_fence(line)
        name = fence.directive if fence is not None else None
        if fence is None or name is None:
            if fence is not None and literal_body(fence):
                # an ordinary code block: nothing in it is read or rendered
                end = min(_fence_close(lines, i, fence) + 1, len(lines))
                prose.extend([""] * (end - i))
                i = end
                continue
            prose.append(line)
            yield from _images(line, offset + i + 1)
            i += 1
            continue
        close = _fence_close(lines, i, fence)
        end = min(close + 1, len(lines))
        body_start, options = _options(lines, i + 1, close, offset)
        body_start = min(body_start, close)
        yield from _directive(name, fence.argument, offset + i + 1, fence.column, options)
        body = lines[body_start:close]
        prose.extend([""] * (body_start - i))
        if name == "eval-rst":
            yield from _scan_rst(body, offset + body_start)
        elif not literal_body(fence):
            yield from _scan_myst(body, offset + body_start)
        prose.extend([""] * (end - body_start))
        i = end
    yield from _html(prose, offset)


def _fence_close(lines: list[str], start: int, fence: Fence) -> int:
    """Index of the line closing the block opened at ``start`` (``len(lines)`` if unclosed)."""
    for j in range(start + 1, len(lines)):
        if fence.closed_by(lines[j]):
            return j
    return len(lines)


def _options(
    lines: list[str], start: int, end: int, offset: int
) -> tuple[int, list[tuple[str, str, int, int]]]:
    """The directive's options (``:key: value`` lines or a ``---`` YAML block)."""
    options: list[tuple[str, str, int, int]] = []
    j = start
    if j < end and lines[j].strip() == "---":
        j += 1
        while j < end and lines[j].strip() != "---":
            if m := _YAML_OPTION.match(lines[j]):
                options.append(
                    (m["key"], m["value"].strip("'\""), offset + j + 1, m.start("value") + 1)
                )
            j += 1
        return j + 1, options
    while j < end and (m := _FIELD_OPTION.match(lines[j])):
        options.append((m["key"], m["value"], offset + j + 1, m.start("value") + 1))
        j += 1
    return j, options


def _directive(
    name: str, arg: str, line: int, col: int, options: Iterable[tuple[str, str, int, int]]
) -> Iterator[Reference]:
    if name in FILE_ARGUMENT_DIRECTIVES and arg:
        yield Reference("file", name, arg, line, col)
    if name == "raw" and arg:
        yield Reference("raw", name, arg, line, col)
    for key, value, opt_line, opt_col in options:
        if key in FILE_OPTIONS and value:
            # Sphinx reads csv-table's /x from the source folder; docutils' raw from /x.
            joined = name != "csv-table"
            yield Reference("file", name, value, opt_line, opt_col, docutils_join=joined)
        elif key in URL_OPTIONS and value:
            yield Reference("url", name, value, opt_line, opt_col)


def _scan_rst(lines: list[str], offset: int) -> Iterator[Reference]:
    """``.. directive:: arg`` and their ``:option:`` lines (eval-rst bodies, .rst pages)."""
    for i, line in enumerate(lines):
        match = _RST_DIRECTIVE.match(line)
        if match is None:
            continue
        _, options = _options(lines, i + 1, len(lines), offset)
        col = match.start("name") + 1
        yield from _directive(match["name"], match["arg"], offset + i + 1, col, options)


def _images(line: str, number: int) -> Iterator[Reference]:
    for match in _MD_IMAGE.finditer(line):
        yield Reference("file", "image", match["target"], number, match.start("target") + 1)


def _html(prose: list[str], offset: int) -> Iterator[Reference]:
    """Raw HTML as MyST's parser (markdown-it) sees it, blocks and inline tags."""
    text = "\n".join(prose)
    if "<" not in text:
        return
    from markdown_it import MarkdownIt

    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "html_block" and token.map:
            if not HTML_COMMENT.fullmatch(token.content):
                start = token.map[0]
                col = prose[start].find("<") + 1 if start < len(prose) else 1
                yield Reference(
                    "html", "html", token.content.strip(), offset + start + 1, max(col, 1)
                )
        elif token.type == "inline" and token.map and token.children:
            first = token.map[0]
            seen = first
            for child in token.children:
                if child.type != "html_inline" or child.content.startswith("</"):
                    continue  # one finding per element: its opening tag
                if HTML_COMMENT.fullmatch(child.content):
                    continue
                seen, col = _locate(prose, child.content, seen, token.map[1])
                yield Reference("html", "html", child.content, offset + seen + 1, col)


def _locate(lines: list[str], needle: str, start: int, end: int) -> tuple[int, int]:
    head = needle.split("\n", 1)[0]
    for j in range(start, min(end, len(lines))):
        col = lines[j].find(head)
        if col >= 0:
            return j, col + 1
    return start, 1


# -- resolving and checking ------------------------------------------------------------


def resolve(project_root: Path, srcdir: Path, page: Path, ref: Reference) -> Path | None:
    """Where ``ref`` points on disk after following symlinks (None: not a local file)."""
    target = ref.target
    if ref.kind != "file" or _SCHEME.match(target) or target.startswith("<"):
        return None  # URLs are checked on their own; <isonum.txt> is docutils' own data
    if ref.docutils_join:
        joined = Path(os.path.join(page.parent, target))
    elif target.startswith("/"):
        joined = srcdir / target.lstrip("/")
    else:
        joined = page.parent / target
    return joined.resolve()


def inside(path: Path, root: Path) -> bool:
    return path.is_relative_to(root.resolve())


def allowed_raw(conf: dict[str, object]) -> frozenset[str]:
    """The raw formats ``hoshin_allow_raw`` lets through (none by default)."""
    value = conf.get("hoshin_allow_raw", [])
    if isinstance(value, str):
        value = [value]
    return (
        frozenset(str(v).lower() for v in value) if isinstance(value, list | tuple) else frozenset()
    )


def raw_message(fmt: str) -> str:
    return (
        f"{fmt} の生のマークアップ（raw）は使えません。必要なら conf.py の hoshin_allow_raw に "
        f'"{fmt}" を加えます（手引きの「生の HTML・LaTeX」にある危険性を確かめてから）'
    )


def outside_message(target: str, resolved: Path) -> str:
    return (
        f"「{target}」はプロジェクトの外のファイルです（{resolved}）。ページが読み込めるのは"
        "プロジェクトのフォルダの中のファイルだけです"
    )


def check_page(
    root: Path, srcdir: Path, page: Path, text: str, allowed: frozenset[str]
) -> list[DataError]:
    """Problems of one page: files outside ``root``, missing includes, URLs, raw markup."""
    rel = _relative(page, root)
    errors: list[DataError] = []
    for ref in scan_text(text, rst=page.suffix == ".rst"):
        if ref.kind == "url":
            errors.append(DataError(rel, ref.line, ref.col,
                f"{ref.directive} の :url: は使えません（ビルドはネットワークを使いません）。"
                "ファイルをプロジェクトに置いて :file: で指定します"))  # fmt: skip
        elif ref.kind == "raw":
            formats = ref.target.lower().split()
            for fmt in formats:
                if fmt not in allowed:
                    errors.append(DataError(rel, ref.line, ref.col, raw_message(fmt)))
        elif ref.kind == "html":
            if "html" not in allowed:
                errors.append(DataError(rel, ref.line, ref.col,
                    f"本文の HTML（{_short(ref.target)}）は使えません。"
                    "必要なら conf.py の hoshin_allow_raw に \"html\" を加えます"
                    "（手引きの「生の HTML・LaTeX」にある危険性を確かめてから）"))  # fmt: skip
        else:
            resolved = resolve(root, srcdir, page, ref)
            if resolved is None:
                if _SCHEME.match(ref.target) and ref.directive != "image":
                    errors.append(DataError(rel, ref.line, ref.col,
                        f"{ref.directive} にはプロジェクトの中のファイルを指定します（「{ref.target}」）"))  # fmt: skip
                continue
            if not inside(resolved, root):
                errors.append(
                    DataError(rel, ref.line, ref.col, outside_message(ref.target, resolved))
                )
            elif ref.directive in MUST_EXIST and not resolved.is_file():
                errors.append(DataError(rel, ref.line, ref.col,
                    f"{ref.directive} が読み込むファイル「{ref.target}」がありません"))  # fmt: skip
            elif ref.directive in TEXT_READERS and resolved.is_file():
                errors.extend(_read_file_errors(resolved, root))
    return errors


def _read_file_errors(path: Path, root: Path) -> list[DataError]:
    """A file a page shows as text: UTF-8 without control characters (a csv-table's ESC
    would reach the page and a terminal as it does from a chapter)."""
    try:
        read_text(path)
    except DataError as error:
        return [DataError(_relative(path, root), error.line, error.col, error.message)]
    return []


def _short(text: str) -> str:
    one = " ".join(text.split())
    return one if len(one) <= 40 else one[:39] + "…"


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def symlink_errors(root: Path, srcdir: Path) -> list[DataError]:
    """Symlinks in ``srcdir`` (files or folders) that lead outside ``root``."""
    errors: list[DataError] = []
    real_root = root.resolve()
    for folder, dirs, files in os.walk(srcdir, followlinks=False):
        for name in sorted([*dirs, *files]):
            path = Path(folder) / name
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                errors.append(DataError(_relative(path, root), 1, 1,
                    f"プロジェクトの外を指すシンボリックリンクです（→ {path.resolve()}）。"
                    "ファイルそのものをプロジェクトに置きます"))  # fmt: skip
    return errors


def check_tree(root: Path, srcdir: Path, allowed: frozenset[str]) -> list[DataError]:
    errors = symlink_errors(root, srcdir)
    real_root = root.resolve()
    for folder, dirs, files in os.walk(srcdir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if (Path(folder) / d).resolve().is_relative_to(real_root))
        for name in sorted(files):
            page = Path(folder) / name
            if page.suffix not in (".md", ".rst") or not page.resolve().is_relative_to(real_root):
                continue
            try:
                text = read_text(page)
            except DataError:
                continue  # the sources check reports unreadable pages
            errors.extend(check_page(root, srcdir, page, text, allowed))
    return errors


def check_chapter_files(project: Project) -> list[DataError]:
    """The registered check: every file a page reads is inside the project, no raw markup."""
    from hoshin.core.config import run_conf

    if not project.source.is_dir():
        return []
    try:
        conf = run_conf(project.root / "conf.py")
    except DataError:
        conf = {}  # the config check reports it
    return check_tree(project.root, project.source, allowed_raw(conf))
