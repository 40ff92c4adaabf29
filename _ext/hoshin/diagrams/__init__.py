"""Diagrams drawn offline: flows and organisation charts from YAML, rendered by mermaid-cli."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Load diagrams on its own: ``extensions = ["hoshin.diagrams"]`` in a plain Sphinx project."""
    from hoshin import __version__

    app.setup_extension("hoshin.core")
    from hoshin.core.configspec import add_settings
    from hoshin.diagrams.settings import SETTINGS

    add_settings(app, SETTINGS)
    from hoshin.diagrams.extension import setup_flows
    from hoshin.diagrams.placeholders import setup_placeholders

    setup_placeholders(app)
    setup_flows(app)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
