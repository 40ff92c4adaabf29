"""textlint for MyST sources: findings at ``path:line:col``, allowances, prh rules from the glossary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Load lint on its own: ``extensions = ["hoshin.lint"]`` in a plain Sphinx project."""
    from hoshin import __version__

    app.setup_extension("hoshin.core")
    from hoshin.core.configspec import add_settings
    from hoshin.lint.settings import SETTINGS

    add_settings(app, SETTINGS)
    from hoshin.lint.extension import setup_lint

    setup_lint(app)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
