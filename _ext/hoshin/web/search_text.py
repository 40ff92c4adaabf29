"""The site search's text store: each page's own text, with its word boundaries, in one script.

The search page ranks and quotes from this store (``static/hoshin-search.js``), so it needs
no per-result fetch (which fails from ``file://`` and costs a page load per result) and shows
only what the page itself says: the text comes from the document tree, not from the rendered
page, so hidden tooltip definitions and the version switcher never enter it.

A page is stored as its text, blocks (paragraphs, cells, headings) separated by ``\\n``, with
:data:`BOUNDARY` marking the word boundaries SudachiPy (mode A, the shortest dictionary
words) finds inside runs of Japanese characters of one script (kanji, hiragana, katakana).
Any other boundary is implicit, to keep the store small: next to a space, punctuation or a
Latin letter, and where the script changes (情報|セキュリティ, 推進|を; an okurigana such as
図|る counts as a boundary too, which only makes a match a little more "whole"). The browser uses the marks to rank a whole-word
match (理事 in 理事会) above a match inside another word (文書管**理事**務).

Pure Python: no Sphinx or docutils import.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hoshin.web.search_tokens import JAPANESE_RANGES

#: Marks a word boundary inside a Japanese run. DEL is one byte in UTF-8, is not escaped by
#: JSON, never occurs in a document's text (it is removed first), and is legal in a JavaScript
#: string literal.
BOUNDARY = "\x7f"
#: Longest text handed to SudachiPy at once (its input limit is about 49 KB of UTF-8).
_CHUNK = 4000

_JA_CLASS = "".join(f"\\U{lo:08X}-\\U{hi:08X}" for lo, hi in JAPANESE_RANGES)
#: Scripts whose change is an implicit boundary (the browser's ``scriptOf`` in
#: ``static/hoshin-search.js`` is the same rule): 0 kanji and the rest, 1 hiragana, 2 katakana.
HIRAGANA = (0x3041, 0x309F)
KATAKANA = ((0x30A0, 0x30FF), (0x31F0, 0x31FF))
_JA_RUN_RE = re.compile(f"[{_JA_CLASS}]{{2,}}")
#: A line break between two Japanese characters is a source line break, not a space.
_JA_BREAK_RE = re.compile(f"(?<=[{_JA_CLASS}])\\s*\\n\\s*(?=[{_JA_CLASS}])")
_SPACE_RE = re.compile(r"\s+")


@dataclass
class PageText:
    """One page of the store: its title, its text with boundary marks, and its sections.

    ``sections`` are ``(offset, anchor)``; the offset counts characters of the text without
    marks, from where the section's heading (or a glossary entry's term) starts: the block
    there is the section's title.
    """

    title: str
    text: str = ""
    sections: list[tuple[int, str]] = field(default_factory=list)


class PageTextBuilder:
    """Collects a page block by block and marks word boundaries as it goes."""

    def __init__(self, title: str) -> None:
        self.page = PageText(title)
        self._plain_length = 0
        self._blocks: list[str] = []

    def add_block(self, text: str) -> None:
        text = clean_block(text)
        if not text:
            return
        if self._blocks:
            self._plain_length += 1
        self._blocks.append(text)
        self._plain_length += len(text)

    def add_section(self, anchor: str) -> None:
        """A section starts here (call it before its heading is added as a block)."""
        offset = self._plain_length + (1 if self._blocks else 0)
        self.page.sections.append((offset, anchor))

    def build(self) -> PageText:
        """The page, its blocks' words marked (a page's marks are kept in the Sudachi store
        as one entry: a page read again unchanged costs one lookup)."""
        from hoshin.core.digest import code_digest
        from hoshin.core.sudachi import memo

        blocks = self._blocks
        kind = f"search-text {code_digest()}"  # hoshin's rules, this module's among them
        marked = memo(kind, blocks, _mark_all) if _splitter() is not None else blocks
        self.page.text = "\n".join(marked)
        return self.page


def _mark_all(blocks: Sequence[str]) -> list[str]:
    return [mark_words(block) for block in blocks]


def clean_block(text: str) -> str:
    """One block's text on one line: source line breaks inside Japanese text dropped."""
    text = text.replace(BOUNDARY, "")
    text = _JA_BREAK_RE.sub("", text)
    return _SPACE_RE.sub(" ", text).strip()


def mark_words(text: str) -> str:
    """``text`` with :data:`BOUNDARY` between the dictionary words of each Japanese run."""
    split = _splitter()
    if split is None:
        return text
    out: list[str] = []
    position = 0
    for run in _JA_RUN_RE.finditer(text):
        out.append(text[position : run.start()])
        words = _words(split, run.group())
        out.append(words[0])
        for previous, word in itertools.pairwise(words):
            if script_of(previous[-1]) == script_of(word[0]):
                out.append(BOUNDARY)
            out.append(word)
        position = run.end()
    out.append(text[position:])
    return "".join(out)


def script_of(char: str) -> int:
    """0 for kanji (and any other Japanese character), 1 for hiragana, 2 for katakana."""
    code = ord(char)
    if HIRAGANA[0] <= code <= HIRAGANA[1]:
        return 1
    return 2 if any(lo <= code <= hi for lo, hi in KATAKANA) else 0


def _words(split: Any, run: str) -> list[str]:
    words: list[str] = []
    for start in range(0, len(run), _CHUNK):
        chunk = run[start : start + _CHUNK]
        try:
            pieces = split(chunk)
        except BaseException as exc:  # Sudachi's Rust panics are BaseExceptions
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            pieces = [chunk]
        words.extend(pieces if "".join(pieces) == chunk else [chunk])
    return words


@functools.cache
def _splitter() -> Any:
    """SudachiPy mode A as a function text → words; ``None`` if it cannot be loaded."""
    try:
        from hoshin.core.sudachi import tokenizer as shared_tokenizer

        tokenizer = shared_tokenizer("A")
    except Exception:  # pragma: no cover - sudachipy and its dictionary are dependencies
        return None
    return lambda text: [m.surface() for m in tokenizer.tokenize(text)]


def store_script(pages: list[tuple[str, PageText]]) -> str:
    """The store as a script: ``window.hoshinSearchText = [[uri, title, text, sections], …]``.

    A script (not JSON fetched at run time) so that search works from ``file://``.
    """
    rows = [[uri, page.title, page.text, page.sections] for uri, page in pages]
    body = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    # U+2028/2029 are line terminators in older JavaScript string literals.
    body = body.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.hoshinSearchText={body};\n"
