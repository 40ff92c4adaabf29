"""Lists with their own markers in the PDF: no bullet, the markers hanging.

A bullet list marked by :class:`hoshin.core.ownmarkers.OwnMarkerLists` is set as an itemize
with an empty label (``\\hoshinownmarkers`` in ``hoshin.sty``), its first lines moved left
by the widest marker so that 「※」 or 「iii.」 hangs and the text of every line aligns. An
item with its own marker in a list of plain items (a closing 「※ …」) loses its bullet
(``\\hoshinnobullet``).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from hoshin.core.ownmarkers import (
    OWN_MARKER_ITEM_CLASS,
    OWN_MARKERS_CLASS,
    item_text,
    marker_width,
    own_marker,
)


class OwnMarkerListsLatex(SphinxPostTransform):
    """Wrap each own-marker list in ``\\hoshinownmarkers{<hang>}`` … ``\\hoshinendownmarkers``."""

    default_priority = 400
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for item in list(self.document.findall(nodes.list_item)):
            if OWN_MARKER_ITEM_CLASS in item["classes"]:
                item.insert(0, _raw(r"\hoshinnobullet"))
        for blist in list(self.document.findall(nodes.bullet_list)):
            if OWN_MARKERS_CLASS not in blist["classes"] or blist.parent is None:
                continue
            items = [c for c in blist.children if isinstance(c, nodes.list_item)]
            hang = max(marker_width(own_marker(item_text(i)) or "") for i in items)
            parent = blist.parent
            index = parent.index(blist)
            parent.insert(index + 1, _raw(r"\hoshinendownmarkers"))
            parent.insert(index, _raw(rf"\hoshinownmarkers{{{hang:g}zw}}"))


def _raw(latex: str) -> nodes.raw:
    return nodes.raw("", latex + "\n", format="latex")
