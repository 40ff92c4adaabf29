"""Opinions (意見) received in consultations, joined to the city's answers and to the changes.

The pure core (``model``, ``join``, ``render``, ``office``, ``importer``) imports no Sphinx;
``check`` reads conf.py for ``hoshin check``; ``extension`` is the Sphinx glue (the
``{opinion-table}`` directive, links from the 新旧対照表, notes in the review edition)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Load opinions on its own: ``extensions = ["hoshin.opinions"]`` in a plain Sphinx project."""
    from hoshin import __version__

    app.setup_extension("hoshin.core")
    from hoshin.core.configspec import add_settings
    from hoshin.opinions.extension import setup_opinions
    from hoshin.opinions.settings import SETTINGS

    add_settings(app, SETTINGS)
    setup_opinions(app)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
