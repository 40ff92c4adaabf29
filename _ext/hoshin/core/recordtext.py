"""The quoted text of a change record as paragraphs (pure Python, no Sphinx).

A change table copied from a word processor or a web page writes a cell of several
paragraphs as ``<p>…</p> <p>…</p>`` (the seed's No.10 does). The records keep that text
exactly as the table has it; every renderer (web, PDF, Word, Excel) shows it through
:func:`paragraphs`, which understands only paragraph structure: ``<p>``, ``</p>`` and
``<br>`` (any case, with or without ``/``) and line breaks. Everything else, including any
other tag, stays literal text that each renderer escapes.
"""

from __future__ import annotations

import re

#: The only markup understood: paragraph start/end and line breaks.
_STRUCTURE = re.compile(r"<\s*(?:/?\s*p|br\s*/?)\s*>|\r?\n", re.IGNORECASE)


def paragraphs(text: str | None) -> list[str]:
    """``text`` split into paragraphs: at ``<p>``/``</p>``/``<br>`` and at line breaks.

    Whitespace around the markup is dropped, empty paragraphs too; a text without markup
    is one paragraph (stripped). ``None`` gives no paragraph.
    """
    if text is None:
        return []
    return [part.strip() for part in _STRUCTURE.split(text) if part.strip()]


def plain(text: str | None, separator: str = "\n") -> str:
    """``text`` without paragraph markup, paragraphs joined by ``separator``."""
    return separator.join(paragraphs(text))
