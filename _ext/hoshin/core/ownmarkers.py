"""Lists whose items carry their own markers (i., ※, ①, 1., ・): no second marker.

Policy texts number or mark list items in the text itself (「i.自治体の…」, 「※ 推進に当たっては…」,
「①市のDXに…」). Written as MyST bullet lists, they got a bullet too: 「• i.」, 「• ※」.
:class:`OwnMarkerLists` gives a bullet list whose every item starts with such a marker the
class :data:`OWN_MARKERS_CLASS` (an item with its own marker in another list,
:data:`OWN_MARKER_ITEM_CLASS`); each medium then drops its bullet (the PDF sets an itemize
with an empty label and the markers hanging, :mod:`hoshin.pdf.lists`; the web hides the list
marker in CSS). The text itself is untouched, so every medium shows the city's own marker.
"""

from __future__ import annotations

import re
import unicodedata

from docutils import nodes
from docutils.transforms import Transform

OWN_MARKERS_CLASS = "hoshin-own-markers"
#: An item with its own marker in a list whose other items have none (a closing 「※ …」).
OWN_MARKER_ITEM_CLASS = "hoshin-own-marker"

_ROMAN = r"(?:i{1,3}|iv|vi{0,3}|ix|x|I{1,3}|IV|VI{0,3}|IX|X)"
#: A marker at the start of an item, with the spaces after it.
_MARKER = re.compile(
    r"(?:[※＊●○◎■□◆◇▪・]"  # reference and bullet signs
    r"|[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf\u2776-\u277f\u24b6-\u24e9]"  # ① ㉑ ❶ Ⓐ
    r"|[\u2160-\u217f]"  # Ⅰ ⅰ (roman numeral signs)
    rf"|(?:[0-9０-９]{{1,3}}|{_ROMAN}|[a-zA-Zａ-ｚＡ-Ｚ]|[ア-ンｱ-ﾝ])[.．)）]"  # 1. ii. a) ア．
    r"|[(（](?:[0-9０-９]{1,3}|[a-zA-Z]|[ア-ン]|[一二三四五六七八九十]{1,3})[)）]"  # (1) （ア）
    r")(?![0-9０-９])[ \u3000]*"
)


def own_marker(text: str) -> str | None:
    """The marker an item's text starts with (spaces after it included), or ``None``."""
    match = _MARKER.match(text)
    if match is None or match.end() >= len(text):
        return None
    return match.group()


def marker_width(marker: str) -> float:
    """Width of a marker in full-width characters (zw): wide characters 1, others 1/2."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in marker)


def item_text(item: nodes.list_item) -> str:
    """The text an item starts with (its first paragraph's), or ``""``."""
    first = item.children[0] if item.children else None
    return first.astext() if isinstance(first, nodes.paragraph) else ""


class OwnMarkerLists(Transform):
    """Mark bullet lists whose every item starts with its own marker, and items with their
    own marker in other lists."""

    default_priority = 700

    def apply(self, **kwargs: object) -> None:
        for blist in self.document.findall(nodes.bullet_list):
            items = [c for c in blist.children if isinstance(c, nodes.list_item)]
            marked = [item for item in items if own_marker(item_text(item))]
            if marked and len(marked) == len(items):
                _add_class(blist, OWN_MARKERS_CLASS)
            else:
                for item in marked:
                    _add_class(item, OWN_MARKER_ITEM_CLASS)


def _add_class(node: nodes.Element, name: str) -> None:
    if name not in node["classes"]:
        node["classes"].append(name)
