"""Sphinx glue shared by the revision features: the per-process state and links across the site.

The site of versions is laid out as ``index.html`` … (the working draft),
``versions/<id>/…`` (each frozen version, built by its own process) and
``shinkyu/<old>-<new>.html`` (the 新旧対照表 pages, made by the working draft's build).
A page links to another part of the site through a :class:`site_link` node, resolved late
(``doctree-resolved``) into a relative URL for HTML builders and into plain text elsewhere;
a :class:`section_link` node becomes a link to a labelled section of this build, or plain
text when the label does not exist here (a section removed in this version).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging

from hoshin.core.buildstate import PerBuild, project_root_of
from hoshin.core.config import project_root
from hoshin.core.sitemap import pdf_list_script, site_prefix
from hoshin.revisions.state import RevisionState

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

HTML_BUILDERS = frozenset({"html", "dirhtml", "singlehtml", "readthedocs", "epub"})
_STATE: PerBuild[RevisionState] = PerBuild("revision state")


def revision_state(env: BuildEnvironment) -> RevisionState:
    """The state of this build, made on first use (each version builds in its own process)."""
    state = _STATE.get(env)
    if state is None:
        state = _STATE.set(env, RevisionState(
            project_root_of(env), env.config.hoshin_version_id, Path(env.srcdir),
            scan_file=Path(env.doctreedir) / "hoshin-scans.pickle",
        ))  # fmt: skip
    return state


def site_uri(app: Sphinx, pagename: str, site_path: str, anchor: str = "") -> str:
    """URL of ``site_path`` (a page of the site, without suffix) seen from ``pagename``."""
    suffix = "" if site_path.endswith("/") or not site_path else ".html"
    return site_prefix(app, pagename) + site_path + suffix + (f"#{anchor}" if anchor else "")


#: Class of a link made here: the glossary links no term inside it (a link in a link, and the
#: term's use anchor would vanish when a section link takes the heading's current title).
NO_TERMS = "hoshin-no-terms"


class site_link(nodes.Inline, nodes.TextElement):
    """A link to another part of the multi-version site (``site_path`` without suffix)."""


class section_link(nodes.Inline, nodes.TextElement):
    """A link to the section ``label`` of this build, if it exists here."""


def make_site_link(text: str, site_path: str, anchor: str = "", **attrs: Any) -> site_link:
    node = site_link(text, text, site_path=site_path, anchor=anchor, classes=[NO_TERMS])
    node.update_all_atts(attrs)
    return node


def _resolve_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    html = app.builder.name in HTML_BUILDERS
    std = app.env.get_domain("std")
    for node in list(doctree.findall(site_link)):
        if html:
            ref = nodes.reference(
                "",
                "",
                internal=False,
                classes=node.get("classes", []),
                refuri=site_uri(app, docname, node["site_path"], node.get("anchor", "")),
            )
            ref += node.children
            node.replace_self(ref)
        else:
            node.replace_self(nodes.inline("", "", *node.children))
    labels: dict[str, tuple[str, str, str]] = std.labels  # type: ignore[attr-defined]
    for node in list(doctree.findall(section_link)):
        target = labels.get(node["label"])
        if target is None:
            node.replace_self(nodes.inline("", "", *node.children))
            continue
        todoc, labelid, sectname = target
        if node.get("auto_title") and sectname:  # the heading as this build has it now
            node.children = [nodes.Text(sectname)]
        ref = nodes.reference("", "", internal=True)
        try:
            ref["refuri"] = app.builder.get_relative_uri(docname, todoc) + "#" + labelid
        except Exception:  # builders without URIs (e.g. text) keep the text
            node.replace_self(nodes.inline("", "", *node.children))
            continue
        ref += node.children
        node.replace_self(ref)


def _search_page_pdfs(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """The search page lists the print editions whose names match the query."""
    if templatename != "search.html" or not getattr(app.config, "hoshin_pdf_links", False):
        return
    pdfs = print_editions(app, pagename)
    if pdfs:
        app.add_js_file(None, body=pdf_list_script(pdfs))


def print_editions(app: Sphinx, pagename: str) -> list[dict[str, str]]:
    """The site's PDFs (each version, each 新旧対照表) as {label, href} for the search page."""
    from hoshin.core.history import load_revisions
    from hoshin.core.sitemap import SITE_PDF_DIR
    from hoshin.revisions.pdfbuild import plan

    root = project_root(app)
    try:
        pdfs = plan(root, root / "_build" / ".cache")
        name = load_revisions(root, check_labels=False).display_name
    except Exception:  # bad revision data is reported by the revision features themselves
        return []

    base = site_prefix(app, pagename) + SITE_PDF_DIR + "/"
    found = [
        {"label": f"{name(job.version_id)}の PDF（A4・印刷用）", "href": base + job.filename}
        for job in reversed(pdfs.versions)
    ]
    found += [
        {
            "label": f"新旧対照表（{name(old)} → {name(new)}）の PDF（A4 横・印刷用）",
            "href": base + filename,
        }
        for old, new, filename in reversed(pdfs.pairs)
    ]
    return found


def setup_revision_links(app: Sphinx) -> None:
    app.add_node(site_link)
    app.add_node(section_link)
    app.connect("doctree-resolved", _resolve_links)
    app.connect("html-page-context", _search_page_pdfs)
