"""The residents' web edition: page furniture, stylesheet, navigation, Japanese search."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Load web on its own: ``extensions = ["hoshin.web"]`` in a plain Sphinx project."""
    from hoshin import __version__

    app.setup_extension("hoshin.core")
    from hoshin.core.configspec import add_settings
    from hoshin.web.settings import SETTINGS

    add_settings(app, SETTINGS)
    from hoshin.web.assets import setup_webassets
    from hoshin.web.navigation import setup_navigation
    from hoshin.web.page import setup_webpage
    from hoshin.web.search import setup_search_ja
    from hoshin.web.search_store import setup_search_store
    from hoshin.web.site import setup_site
    from hoshin.web.summary import setup_summary

    setup_site(app)
    setup_navigation(app)
    setup_search_ja(app)
    setup_search_store(app)
    setup_webpage(app)
    setup_webassets(app)
    setup_summary(app)
    return {
        "version": __version__,
        # 3: env.hoshin_relations (prev/next/parent and titles of the last build)
        "env_version": 3,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
