"""The glossary (用語集): YAML entries, 五十音 page, first-use term links, unexplained-term check."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Load glossary on its own: ``extensions = ["hoshin.glossary"]`` in a plain Sphinx project."""
    from hoshin import __version__

    app.setup_extension("hoshin.core")
    from hoshin.core.configspec import add_settings
    from hoshin.glossary.settings import SETTINGS

    add_settings(app, SETTINGS)
    from hoshin.glossary.extension import setup_glossary
    from hoshin.glossary.page import setup_uses_pages

    setup_glossary(app)
    setup_uses_pages(app)
    return {
        "version": __version__,
        # 2: the domain keeps each page's linkable text as read (data "texts")
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
