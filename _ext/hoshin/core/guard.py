"""Inside Sphinx, the second line of :mod:`hoshin.core.chapter_files`: after a page is read,
every file it declared as read (``literalinclude``, ``include``, ``csv-table :file:``,
images, ``{mermaid}``/``{flow}`` files, whatever another extension reads through
``note_dependency``) must lie inside the project, and raw nodes must be in a format that
``hoshin_allow_raw`` allows. Anything else is logged as CRITICAL (which fails the build,
see :func:`hoshin.core.sitebuild.run_sphinx`) and the raw node is dropped.

This catches what the line scanner cannot see (pages of frozen versions, files pulled in
by an include, a plain Sphinx project using ``hoshin.core`` on its own).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging

from hoshin.core.chapter_files import harmless_raw, outside_message, raw_message
from hoshin.core.config import project_root
from hoshin.core.source_check import unclosed_fences
from hoshin.core.warnings_ import WarningSubType, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


@cache
def _trusted_dirs() -> tuple[Path, ...]:
    """Packages whose own data files pages may read (docutils' ``<isonum.txt>`` includes,
    hoshin's reference pages reading hoshin's modules)."""
    import docutils
    import sphinx

    import hoshin

    return tuple(Path(m.__file__ or "").resolve().parent for m in (docutils, sphinx, hoshin))


def check_read_files(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.docname
    root = project_root(app)
    allowed = {str(f).lower() for f in app.config.hoshin_allow_raw}
    source = Path(env.doc2path(docname)).resolve()
    if not source.is_relative_to(root):
        logger.critical(outside_message(str(env.doc2path(docname)), source), location=docname)
    for dep in sorted(env.dependencies.get(docname, ())):
        path = (Path(app.srcdir) / dep).resolve()
        if path.is_relative_to(root) or any(path.is_relative_to(d) for d in _trusted_dirs()):
            continue
        logger.critical(outside_message(str(dep), path), location=docname)
    for node in list(doctree.findall(nodes.raw)):
        formats = str(node.get("format", "")).lower().split()
        refused = [f for f in formats if f not in allowed]
        if not refused or harmless_raw(formats, node.astext()):
            continue
        logger.critical(raw_message(refused[0]), location=node)
        node.parent.remove(node)


def warn_unclosed_fences(app: Sphinx, docname: str, source: list[str]) -> None:
    """A fence never closed swallows the rest of the page without a word from MyST."""
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".md":
        return
    root = project_root(app)
    shown = path.relative_to(root) if path.is_relative_to(root) else path  # as check names it
    for line, _, message in unclosed_fences(source[0].split("\n")):
        warn(logger, WarningSubType.markup, message, location=f"{shown}:{line}")


def setup_guard(app: Sphinx) -> None:
    # After Sphinx's own collectors (priority 500) have recorded images and dependencies.
    app.connect("doctree-read", check_read_files, priority=900)
    app.connect("source-read", warn_unclosed_fences)
