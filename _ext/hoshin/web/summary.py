"""The ``{summary}`` directive: a short plain-language summary block, as on a home page.

Residents opening a policy want to know first what it is and what it changes for them. The
summary is written in the source (a MyST directive, so it is reviewed and versioned with the
text) and set apart as a framed block with a heading::

    :::{summary} この方針のあらまし
    市民サービスの向上、持続可能な自治体の構築などを図るため、…
    :::

Without an argument the heading is 「あらまし」. The block is ordinary content for the other
builders (a titled container), so the PDF prints it too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx

DEFAULT_TITLE = "あらまし"


class SummaryDirective(SphinxDirective):
    """A framed summary: a heading paragraph and the directive's content."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, object]] = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        box = nodes.container(classes=["hoshin-summary", *self.options.get("class", [])])
        self.set_source_info(box)
        title = self.arguments[0] if self.arguments else DEFAULT_TITLE
        heading = nodes.paragraph("", title, classes=["hoshin-summary-title", "rubric"])
        box += heading
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


def setup_summary(app: Sphinx) -> None:
    app.add_directive("summary", SummaryDirective)
