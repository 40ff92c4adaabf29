"""Plain text of built HTML pages, normalised the way the coverage tests compare text."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Unicode NFKC with all whitespace removed (Japanese text needs no spaces to compare)."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _TextExtractor(HTMLParser):
    """Text a reader sees in the page: no scripts, styles, hidden elements or tooltips."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0  # depth inside a skipped element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        names = dict(attrs)
        hidden = "hidden" in names or names.get("role") == "tooltip"
        if self._skip or hidden or tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(path: Path) -> str:
    parser = _TextExtractor()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.parts)


def site_text(root: Path) -> str:
    """Text of every page of a built site (search and index pages excluded)."""
    skip = {"search.html", "genindex.html"}
    return "\n".join(page_text(p) for p in sorted(root.rglob("*.html")) if p.name not in skip)
