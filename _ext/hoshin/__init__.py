"""hoshin (方針): a Sphinx-based generator for Japanese municipal policy documents.

``extensions = ["hoshin"]`` loads every feature; each feature is a package (``hoshin.glossary``,
``hoshin.diagrams``, ``hoshin.revisions``, ``hoshin.lint``, ``hoshin.pdf``, ``hoshin.web``,
``hoshin.opinions``) on
top of ``hoshin.core``, and a Sphinx extension of its own. Nothing here imports Sphinx, so the
CLI and the pure cores (diff, glossary matching, flows) never pay for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from hoshin.core.configspec import Setting

__version__ = "0.1.0"

#: The feature extensions, in load order. Each is a package that a plain Sphinx project can
#: list on its own in ``extensions``; ``extensions = ["hoshin"]`` loads them all.
FEATURES: tuple[str, ...] = (
    "hoshin.core",
    "hoshin.web",
    "hoshin.pdf",
    "hoshin.diagrams",
    "hoshin.revisions",
    "hoshin.lint",
    "hoshin.glossary",
    "hoshin.opinions",
)


def all_settings() -> tuple[Setting, ...]:
    """Every ``hoshin_*`` value, as declared: core's, then each feature's ``settings`` module.

    For ``hoshin check`` and the guide's configuration reference (no Sphinx needed)."""
    from hoshin.core.config import core_settings

    settings = list(core_settings())
    for name in FEATURES[1:]:
        settings += importlib.import_module(f"{name}.settings").SETTINGS
    return tuple(settings)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_design")
    for name in FEATURES:
        app.setup_extension(name)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
