"""Versions and their comparison: 改版履歴, 改訂箇所, 新旧対照表 pages and version furniture.

The pure core (``diff``, ``compare``, ``render``, ``shinkyu_*``, ``office_*``) imports no
Sphinx; ``links``, ``tables``, ``pages`` and ``version_ui`` are the Sphinx glue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Load revisions on its own: ``extensions = ["hoshin.revisions"]`` in a plain Sphinx project."""
    from hoshin import __version__

    app.setup_extension("hoshin.core")
    from hoshin.core.configspec import add_settings
    from hoshin.revisions.settings import SETTINGS

    add_settings(app, SETTINGS)
    from hoshin.revisions.links import setup_revision_links
    from hoshin.revisions.pages import setup_shinkyu_pages
    from hoshin.revisions.tables import setup_revision_tables
    from hoshin.revisions.version_ui import setup_version_ui

    setup_revision_links(app)
    setup_revision_tables(app)
    setup_shinkyu_pages(app)
    setup_version_ui(app)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
