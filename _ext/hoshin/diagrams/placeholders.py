"""``figure-pending``: a figure the source document names but does not draw.

The seed names figures (体系図, 推進体制図 …) without their drawings. Until a drawing
exists, the page shows a clearly marked box with the seed's caption and any text that
belonged to the figure, and a verbose build (``-v``) lists it so nobody forgets it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


class FigurePendingDirective(SphinxDirective):
    """A captioned container marked as "figure not drawn yet"."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar = {"name": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        caption_text = self.arguments[0]
        container = nodes.container(classes=["hoshin-figure-pending"])
        container["ids"].append(f"figure-pending-{self.env.new_serialno('figure-pending')}")
        self.set_source_info(container)
        caption = nodes.paragraph(classes=["hoshin-figure-caption"])
        caption += nodes.strong(text=caption_text)
        container += caption
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, container)
        note = nodes.paragraph(
            classes=["hoshin-figure-note"], text="（図：原資料には図の名称のみが記載されています）"
        )
        container += note
        logger.info(f"figure not drawn yet: {caption_text}", location=container)
        return [container]


def setup_placeholders(app: Sphinx) -> None:
    app.add_directive("figure-pending", FigurePendingDirective)
