"""hoshin (方針): a Sphinx-based generator for Japanese municipal policy documents.

``extensions = ["hoshin"]`` loads every feature; each lives in its own module with a
``setup_<feature>(app)`` function, imported here lazily so that the CLI and the pure
cores (diff, glossary matching, flows) never pay for Sphinx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"

#: (module, setup function) of every feature, in load order.
FEATURES: tuple[tuple[str, str], ...] = (
    ("config", "setup_config"),
    ("placeholders", "setup_placeholders"),
    ("site", "setup_site"),
    ("navigation", "setup_navigation"),
    ("search_ja", "setup_search_ja"),
    ("webpage", "setup_webpage"),
    ("webassets", "setup_webassets"),
    ("pdf", "setup_pdf"),
    ("flows_sphinx", "setup_flows"),
    ("revision_sphinx", "setup_revision_links"),
    ("revision_tables", "setup_revision_tables"),
    ("shinkyu_pages", "setup_shinkyu_pages"),
    ("version_ui", "setup_version_ui"),
    ("lint_sphinx", "setup_lint"),
    ("glossary_sphinx", "setup_glossary"),
)

#: Bump whenever anything stored on the build environment changes shape.
ENV_VERSION = 3


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_design")
    for module_name, func_name in FEATURES:
        module = importlib.import_module(f"{__name__}.{module_name}")
        getattr(module, func_name)(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
