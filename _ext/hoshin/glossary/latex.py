"""Glossary term links in the PDF: keep upLaTeX's space between Japanese and Latin.

Every automatic term link is preceded by its use anchor (``hoshin-use-<id>``, the target of
the glossary's back-links), which Sphinx's LaTeX writer sets as ``\\phantomsection\\label``.
``\\phantomsection`` puts a raised empty box into the line, and upTeX inserts its
``\\xkanjiskip`` (the thin space between Japanese and Latin) only between adjacent
characters: 「最初のIT戦略」 printed 「最初のIT 戦略」, 「IT利活用」 lost its space. Where an
anchor sits between a Japanese character and a Latin letter or digit, the transform below
writes the skip explicitly after it: one skip, the same width as without the link.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from hoshin.glossary.domain import USE_ANCHOR

#: Characters upTeX spaces from Latin with ``\\xkanjiskip``: kana, the long-vowel mark and
#: iteration marks, CJK ideographs. Full-width punctuation (「」、。) inhibits the skip.
_JAPANESE = re.compile(
    r"[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe々〆\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)
_LATIN = re.compile(r"[A-Za-z0-9]")
XKANJISKIP = r"\ifdefined\xkanjiskip\hskip\xkanjiskip\fi "


def needs_xkanjiskip(before: str, after: str) -> bool:
    """Whether upTeX would space the two characters with ``\\xkanjiskip``."""
    if not before or not after:
        return False
    return bool(
        (_JAPANESE.fullmatch(before) and _LATIN.fullmatch(after))
        or (_LATIN.fullmatch(before) and _JAPANESE.fullmatch(after))
    )


class KeepXkanjiskip(SphinxPostTransform):
    """LaTeX: an explicit ``\\xkanjiskip`` after a use anchor between Japanese and Latin."""

    default_priority = 900
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for target in list(self.document.findall(nodes.target)):
            if not _is_use_anchor(target):
                continue
            parent = target.parent
            index = parent.index(target)
            if index == 0 or index + 1 >= len(parent):
                continue
            before = parent[index - 1].astext()[-1:]
            after = parent[index + 1].astext()[:1]
            if needs_xkanjiskip(before, after):
                parent.insert(index + 1, nodes.raw("", XKANJISKIP, format="latex"))


def _is_use_anchor(target: nodes.target) -> bool:
    return (
        not target.children
        and "refuri" not in target
        and any(i.startswith(USE_ANCHOR.format("")) for i in target["ids"])
    )
