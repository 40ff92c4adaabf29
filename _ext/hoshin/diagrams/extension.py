"""Diagrams in Sphinx: sphinxcontrib-mermaid's ``{mermaid}`` and hoshin's ``{flow}``, drawn offline.

Authors write diagrams the way MyST/Sphinx (and GitHub's preview) expect::

    ```{mermaid}
    :caption: 申請の流れ
    flowchart LR
      A([受付]) --> B{審査}
    ```

or draw a flow or organisation chart from YAML with ``{flow} ../flows/4-2.yaml``. Both end
as sphinxcontrib-mermaid's ``mermaid`` node (the flow's YAML becomes mermaid text through
:mod:`hoshin.diagrams.flows` and :mod:`hoshin.diagrams.mermaid`), and hoshin's visitors,
registered over sphinxcontrib-mermaid's, draw every such node with one renderer and one
cache (:mod:`hoshin.diagrams.render`):

- HTML: the diagram as inline SVG rendered by mermaid-cli (no mermaid JavaScript, no
  CDN), named by its ``:alt:`` or caption (``role="img"`` + ``aria-labelledby``), followed
  by a ``<details>`` with the text alternative where one can be derived (the steps in
  order, lane by lane: always for a flow, for a ``{mermaid}`` plain flowchart too);
- LaTeX: ``\\sphinxincludegraphics`` of the vector PDF rendered from the same mermaid;
- other builders, or when rendering fails: the text alternative (with a ``flow`` warning).

Rendering happens once per builder at ``write-started`` for every diagram of the project,
in one mermaid-cli run, before the documents are written. sphinxcontrib-mermaid's client
side (mermaid JS from a CDN) is switched off: ``mermaid_output_format`` is never ``raw``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.domains import Domain
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id
from sphinxcontrib.mermaid import mermaid as mermaid_node

from hoshin.core.config import project_root
from hoshin.core.undrawn import record_undrawn
from hoshin.core.warnings_ import WarningSubType, warn
from hoshin.diagrams.flows import read_chart
from hoshin.diagrams.mermaid import to_mermaid
from hoshin.diagrams.printsize import MIN_LABEL_PT, pdf_size, print_layout
from hoshin.diagrams.render import MermaidRenderer, RenderSettings, find_mmdc, svg_for_html
from hoshin.diagrams.text import TextSection, text_alternative

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator

logger = logging.getLogger(__name__)

TEXT_SUMMARY = "図の内容（テキスト）"
PDF_SCALE = 0.75
FALLBACK_NOTE = "（図を描画できませんでした。図の内容は次のとおりです）"


class flow_text(nodes.container):
    """The text alternative of a chart; other builders see a plain container."""


# -- reading -------------------------------------------------------------------------------


class FlowDomain(Domain):
    """Which documents hold which diagrams (mermaid text and line), for batch rendering."""

    name = "hoshinflow"
    label = "hoshin flows"
    initial_data: ClassVar[dict[str, Any]] = {"charts": {}}
    data_version = 1

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        #: Drawn this run, per output format: mermaid text -> file (None: not drawn). Not
        #: part of ``data``: it is not pickled, so every build process starts afresh.
        self.drawn: dict[str, dict[str, Path | None]] = {}

    @property
    def charts(self) -> dict[str, list[tuple[str, int]]]:
        return self.data.setdefault("charts", {})

    def note_chart(self, docname: str, mermaid: str, lineno: int) -> None:
        self.charts.setdefault(docname, []).append((mermaid, lineno))

    def clear_doc(self, docname: str) -> None:
        self.charts.pop(docname, None)

    def merge_domaindata(self, docnames: Any, otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata.get("charts", {}):
                self.charts[docname] = otherdata["charts"][docname]

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []


class FlowDirective(SphinxDirective):
    """``{flow} path/to/chart.yaml``: a chart from YAML, path relative to the document."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar = {
        "caption": directives.unchanged,
        "name": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        rel, path = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(rel)
        root = self.config.hoshin_root or self.env.srcdir.parent
        shown = os.path.relpath(path, root)
        chart, errors = read_chart(path)
        if chart is None:
            for error in errors:
                message = f"{shown}:{error.line}:{error.col}: {error.message}"
                warn(logger, WarningSubType.flow, message, location=self.get_location())
            caption = self.options.get("caption") or self.arguments[0]
            para = nodes.paragraph(
                classes=["hoshin-flow-error"],
                text=f"（図「{caption}」のデータに誤りがあるため表示できません）",
            )
            self.set_source_info(para)
            return [para]
        mermaid = to_mermaid(chart)
        caption_text = self.options.get("caption") or chart.title
        figure = nodes.figure(classes=["hoshin-flow-figure", *self.options.get("class", [])])
        self.set_source_info(figure)
        self.add_name(figure)
        if not figure["ids"]:
            figure["ids"].append(make_id(self.env, self.state.document, "flow"))
        figure_id = figure["ids"][0]
        diagram = drawing(mermaid, f"{figure_id}-svg", caption_text, f"{figure_id}-text")
        self.set_source_info(diagram)
        figure += diagram
        caption = nodes.caption(caption_text, caption_text)
        self.set_source_info(caption)
        figure += caption
        wrapper = nodes.container(classes=["hoshin-flow"])
        wrapper += figure
        wrapper += text_nodes(text_alternative(chart), f"{figure_id}-text")
        return [wrapper]


def drawing(code: str, svg_id: str, title: str, text_id: str | None) -> mermaid_node:
    """sphinxcontrib-mermaid's node for ``code``, with what hoshin's visitors need.

    ``svg_id`` is the inline SVG's id, ``title`` its accessible name and ``text_id`` the id
    of the text alternative that describes it (None when there is none)."""
    node = mermaid_node("", code=code, options={}, svg_id=svg_id, title=title)
    if text_id:
        node["text_id"] = text_id
    return node


def text_nodes(sections: list[TextSection], ident: str) -> flow_text:
    """The text alternative as docutils nodes: a heading and an ordered list per section."""
    box = flow_text(classes=["hoshin-flow-text"], ids=[ident], summary=TEXT_SUMMARY)
    for section in sections:
        heading = nodes.paragraph(classes=["hoshin-flow-lane"])
        heading += nodes.strong(text=section.heading)
        box += heading
        items = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
        for item in section.items:
            items += nodes.list_item("", nodes.paragraph(text=item))
        box += items
    return box


# -- rendering -----------------------------------------------------------------------------


def _format_for(builder: Builder) -> str | None:
    return {"html": "svg", "latex": "pdf"}.get(builder.format)


def renderer_for(app: Sphinx) -> MermaidRenderer:
    root = project_root(app)
    cache = app.config.hoshin_flow_cache_dir
    settings = RenderSettings(
        cache_dir=Path(cache) if cache else root / "_build" / ".cache" / "mermaid",
        mmdc=find_mmdc(root, app.config.hoshin_flow_mmdc),
        chromium=Path(app.config.hoshin_flow_chromium),
        theme=app.config.hoshin_flow_theme,
    )
    return MermaidRenderer(settings)


def _rendered(builder: Builder) -> dict[str, Path | None]:
    """This builder's diagrams so far: mermaid text -> file (None: could not be drawn)."""
    domain = builder.env.domains["hoshinflow"]
    assert isinstance(domain, FlowDomain)
    return domain.drawn.setdefault(builder.format, {})


def render_diagrams(app: Sphinx, builder: Builder, entries: list[tuple[str, str, int]]) -> None:
    """Draw the diagrams of ``entries`` (docname, mermaid, line) not drawn yet, in one run.

    Called in the main process before documents are written (parallel writers inherit
    the result). Diagrams already in the cache start no browser.
    """
    fmt = _format_for(builder)
    state = _rendered(builder)
    todo = [entry for entry in entries if entry[1] not in state]
    if fmt is None or not todo:
        return
    result = renderer_for(app).render([mermaid for _, mermaid, _ in todo], fmt)
    for docname, mermaid, lineno in todo:
        if mermaid in result.failures:
            warn(
                logger,
                WarningSubType.flow,
                f"diagram not rendered ({fmt}): {result.failures[mermaid]}; "
                "showing its text alternative",
                location=(docname, lineno),
            )
    if result.rendered or result.failures:
        logger.info(
            f"hoshin flows: {result.rendered} rendered to {fmt} in "
            f"{result.seconds:.1f} s ({result.browser_runs} browser run(s)), "
            f"{result.cache_hits} from cache"
        )
    for _, mermaid, _ in todo:
        path = result.outputs.get(mermaid)
        if path is not None and fmt == "pdf":
            path = _copy_to(Path(builder.outdir), path)
        state[mermaid] = path


def _copy_to(outdir: Path, cached: Path) -> Path:
    target = outdir / f"hoshin-flow-{cached.stem[:20]}{cached.suffix}"
    if not target.exists() or target.stat().st_size != cached.stat().st_size:
        outdir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)
    return target


def _on_write_started(app: Sphinx, builder: Builder) -> None:
    domain = builder.env.domains["hoshinflow"]
    assert isinstance(domain, FlowDomain)
    entries = [
        (docname, mermaid, lineno)
        for docname, charts in sorted(domain.charts.items())
        for mermaid, lineno in charts
    ]
    render_diagrams(app, builder, entries)
    fmt = _format_for(builder)
    if fmt is not None:
        drawn = _rendered(builder)
        reason = renderer_for(app).unavailable()
        undrawn = [doc for doc, mermaid, _ in entries if drawn.get(mermaid) is None]
        record_undrawn(Path(app.doctreedir), undrawn if reason else [], reason or "", fmt)
    if _format_for(builder) == "pdf":  # drop drawings of diagrams that are gone
        keep = {path.name for path in _rendered(builder).values() if path is not None}
        for old in Path(builder.outdir).glob("hoshin-flow-*.pdf"):
            if old.name not in keep:
                old.unlink()


def _on_env_get_outdated(
    app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Re-read documents whose diagram is not in the cache for this builder's format.

    Unchanged pages are not rewritten, so a page whose diagram must be drawn again (tool
    upgrade, emptied cache, a fallback written while mmdc was missing) is marked outdated.
    Only files are looked at here: no browser starts.
    """
    fmt = _format_for(app.builder)
    domain = env.domains["hoshinflow"]
    if fmt is None or not domain.charts:
        return []
    renderer = renderer_for(app)
    return sorted(
        docname
        for docname, entries in domain.charts.items()
        if docname not in removed
        and docname in env.all_docs
        and not all(renderer.path_for(mermaid, fmt).is_file() for mermaid, _ in entries)
    )


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """List every diagram of the document for batch rendering, whatever directive made it.

    Nodes from other producers of sphinxcontrib-mermaid's node (``autoclasstree``) get
    an id and an accessible name here."""
    env = app.env
    domain = env.domains["hoshinflow"]
    assert isinstance(domain, FlowDomain)
    for node in doctree.findall(mermaid_node):
        if "svg_id" not in node:
            node["svg_id"] = f"{make_id(env, doctree, 'mermaid')}-svg"
        if "title" not in node:
            node["title"] = diagram_name(node)
        domain.note_chart(env.docname, node["code"], _line_of(node))


def _line_of(node: nodes.Element) -> int:
    while node is not None and node.line is None:
        node = node.parent
    return node.line if node is not None and node.line is not None else 0


def diagram_name(node: nodes.Element, fallback: str = "図") -> str:
    """The accessible name of a diagram: its ``:alt:``, else its figure's caption, else
    ``fallback`` (a ``{mermaid}`` block's ``:title:``, else 図)."""
    if node.get("alt"):
        return str(node["alt"])
    if isinstance(node.parent, nodes.figure):
        for caption in node.parent.findall(nodes.caption):
            return caption.astext()
    return fallback


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Attach the rendered file to each diagram, or fall back to the text alternative."""
    diagrams = list(doctree.findall(mermaid_node))
    if not diagrams:
        return
    # Normally all were drawn at write-started; this catches any the domain did not list.
    entries = [(docname, d["code"], _line_of(d)) for d in diagrams]
    render_diagrams(app, app.builder, entries)
    outputs = _rendered(app.builder)
    expected = _format_for(app.builder) is not None
    texts = {ident: box for box in doctree.findall(flow_text) for ident in box["ids"]}
    for node in diagrams:
        rendered = outputs.get(node["code"])
        if rendered is not None and expected:
            node["rendered"] = str(rendered)
            continue
        text = texts.get(node.get("text_id", ""))
        if text is not None:
            text["open"] = True
        name = node.get("title") or diagram_name(node)
        if expected:
            note = FALLBACK_NOTE if text is not None else f"（図「{name}」を描画できませんでした）"
            node.replace_self(nodes.paragraph(classes=["hoshin-flow-fallback"], text=note))
        elif text is not None:
            node.parent.remove(node)
        else:
            node.replace_self(
                nodes.paragraph(classes=["hoshin-flow-fallback"], text=f"［図: {name}］")
            )


# -- writing -------------------------------------------------------------------------------


def visit_mermaid_html(self: HTML5Translator, node: mermaid_node) -> None:
    svg = Path(node["rendered"]).read_text(encoding="utf-8")
    classes = "hoshin-flow-svg"
    if node.get("align"):
        classes += f" align-{node['align']}"
    # tabindex: a diagram wider than a phone scrolls, and keyboard users must reach it
    ident = f' id="{node["ids"][0]}"' if node["ids"] else ""  # a :name: without a caption
    self.body.append(f'<div{ident} class="{classes}" tabindex="0">')
    self.body.append(svg_for_html(svg, node["svg_id"], node["title"], node.get("text_id")))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def visit_mermaid_latex(self: LaTeXTranslator, node: mermaid_node) -> None:
    name = Path(node["rendered"]).name
    stem, ext = os.path.splitext(name)
    size = pdf_size(Path(node["rendered"]))
    if size is None:  # mermaid draws 16 px type; at 0.75 it prints at 9 pt
        graphic = f"\\sphinxincludegraphics[scale={PDF_SCALE}]{{{{{stem}}}{ext}}}"
    else:  # labels at 9-10 pt: scaled to the page, or turned when too wide
        layout = print_layout(*size)
        graphic = f"\\includegraphics[width={layout.width_pt:.1f}bp]{{{{{stem}}}{ext}}}"
        if layout.turned:
            graphic = f"\\rotatebox{{90}}{{{graphic}}}"
        graphic = f"\\makebox[\\linewidth][c]{{{graphic}}}"  # centred, wider than the text
        if layout.label_pt < MIN_LABEL_PT:
            warn(
                logger,
                WarningSubType.flow,
                f"diagram too large for the page: its labels print at {layout.label_pt:.1f} pt",
                location=node,
            )
    align = node.get("align")
    if align == "left":
        graphic = f"{{{graphic}\\hspace*{{\\fill}}}}"
    elif align == "right":
        graphic = f"{{\\hspace*{{\\fill}}{graphic}}}"
    elif align == "center":
        graphic = f"{{\\hfill{graphic}\\hfill}}"
    self.body.append(f"\n{graphic}\n")
    raise nodes.SkipNode


def visit_flow_text_html(self: HTML5Translator, node: flow_text) -> None:
    open_attr = " open" if node.get("open") else ""
    ident = node["ids"][0] if node["ids"] else ""
    self.body.append(
        f'<details class="hoshin-flow-text" id="{ident}"{open_attr}>'
        f"<summary>{self.encode(node['summary'])}</summary>\n"
    )


def depart_flow_text_html(self: HTML5Translator, node: flow_text) -> None:
    self.body.append("</details>\n")


def visit_flow_text_latex(self: LaTeXTranslator, node: flow_text) -> None:
    if not node.get("open"):
        raise nodes.SkipNode  # the PDF shows the drawing itself


def depart_flow_text_latex(self: LaTeXTranslator, node: flow_text) -> None:
    pass


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def _offline_only(app: Sphinx, config: Config) -> None:
    """Never let sphinxcontrib-mermaid add mermaid's JavaScript (from a CDN) to a page.

    Its ``html-page-context`` handler adds the script only in ``raw`` mode; hoshin draws
    every diagram at build time, so that mode is replaced by pre-rendered SVG."""
    if config.mermaid_output_format == "raw":
        config.mermaid_output_format = "svg"


def setup_flows(app: Sphinx) -> None:
    app.setup_extension("sphinxcontrib.mermaid")
    from hoshin.diagrams.mermaid_block import MermaidBlockDirective

    app.add_domain(FlowDomain)
    app.add_directive("flow", FlowDirective)
    app.add_directive("mermaid", MermaidBlockDirective, override=True)
    app.add_node(
        mermaid_node,
        override=True,
        html=(visit_mermaid_html, None),
        latex=(visit_mermaid_latex, None),
        text=(_skip, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )
    app.add_node(
        flow_text,
        html=(visit_flow_text_html, depart_flow_text_html),
        latex=(visit_flow_text_latex, depart_flow_text_latex),
    )
    app.connect("config-inited", _offline_only)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("doctree-resolved", _on_doctree_resolved)
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("write-started", _on_write_started)
