"""sphinxcontrib-mermaid's ``{mermaid}`` directive, as hoshin reads it.

The directive and its options stay sphinxcontrib-mermaid's (``:caption:``, ``:alt:``,
``:align:``, ``:name:``, ``:config:``, ``:title:``, a file argument instead of content), so
a document written for sphinxcontrib-mermaid (or previewed on GitHub) builds unchanged.
What hoshin adds:

- a file argument must lie inside the project (the source folder,
  ``hoshin_root``, or the folder of conf.py above the sources); a path that leaves it is
  refused with a ``flow`` warning;
- ids from ``make_id`` instead of random ones (``:zoom:`` is accepted; the inline SVG
  scrolls on narrow screens and needs no zoom script);
- the accessible name from ``:alt:``, else the caption, else ``:title:``, and for a plain flowchart the same
  text alternative as a ``{flow}`` (steps in order), read from the mermaid text.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging
from sphinx.util.i18n import search_image_for_language
from sphinx.util.nodes import make_id
from sphinxcontrib.mermaid import Mermaid
from sphinxcontrib.mermaid import mermaid as mermaid_node

from hoshin.core.warnings_ import WarningSubType, warn
from hoshin.diagrams.extension import diagram_name, text_nodes
from hoshin.diagrams.mermaidflow import read_flowchart
from hoshin.diagrams.text import text_alternative

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def project_folder(env: BuildEnvironment) -> Path:
    """The project a ``{mermaid}`` file argument must come from: ``hoshin_root``, else the
    folder of conf.py when it sits above the sources (hoshin's layout), else the sources."""
    if env.config.hoshin_root:
        return Path(env.config.hoshin_root).resolve()
    srcdir = Path(env.srcdir).resolve()
    return srcdir.parent if (srcdir.parent / "conf.py").is_file() else srcdir


class MermaidBlockDirective(Mermaid):
    """``{mermaid}``: sphinxcontrib-mermaid's directive, drawn offline by hoshin."""

    def get_mm_code(self) -> str | list[nodes.Node]:
        if not self.arguments:
            return super().get_mm_code()  # type: ignore[no-any-return]
        env: BuildEnvironment = self.state.document.settings.env
        argument = search_image_for_language(self.arguments[0], env)
        _, filename = env.relfn2path(argument)
        path = Path(filename).resolve()
        if not path.is_relative_to(project_folder(env)):
            warn(
                logger,
                WarningSubType.flow,
                f"mermaid file {self.arguments[0]!r} is outside the project; not read",
                location=(env.docname, self.lineno),
            )
            return []
        return super().get_mm_code()  # type: ignore[no-any-return]

    def run(self) -> list[nodes.Node]:  # type: ignore[override]
        result: list[nodes.Node] = super().run()
        env: BuildEnvironment = self.state.document.settings.env
        for top in result:
            if not isinstance(top, nodes.Element):
                continue
            for node in top.findall(mermaid_node):
                return self._finish(top, node, env)
        return result

    def _finish(
        self, top: nodes.Element, node: mermaid_node, env: BuildEnvironment
    ) -> list[nodes.Node]:
        node.attributes.pop("zoom_id", None)  # random; nothing here zooms with a script
        node.source, node.line = self.state_machine.get_source_and_line(self.lineno)
        base = top["ids"][0] if top["ids"] else make_id(env, self.state.document, "mermaid")
        node["svg_id"] = f"{base}-svg"
        node["title"] = diagram_name(node, self.options.get("title") or "図")
        flow = read_flowchart(str(node["code"]), node["title"])
        if flow is None or not flow.steps:
            return [top]
        node["text_id"] = f"{base}-text"
        wrapper = nodes.container(classes=["hoshin-flow", "hoshin-mermaid"])
        wrapper += top
        wrapper += text_nodes(text_alternative(flow), node["text_id"])
        return [wrapper]
