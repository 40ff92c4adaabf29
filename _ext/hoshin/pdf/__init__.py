"""The PDF edition through Sphinx's LaTeX builder (upLaTeX): cover, structure, tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Load pdf on its own: ``extensions = ["hoshin.pdf"]`` in a plain Sphinx project."""
    from hoshin import __version__

    app.setup_extension("hoshin.core")
    from hoshin.core.configspec import add_settings
    from hoshin.pdf.settings import SETTINGS

    add_settings(app, SETTINGS)
    from hoshin.pdf.extension import setup_pdf

    setup_pdf(app)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
