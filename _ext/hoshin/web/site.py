"""The web edition's own look: hoshin's stylesheet and page furniture for the HTML builders."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

STATIC_DIR = Path(__file__).parent / "static"


def _add_static_path(app: Sphinx, config: Config) -> None:
    if str(STATIC_DIR) not in config.html_static_path:
        config.html_static_path.append(str(STATIC_DIR))


def setup_site(app: Sphinx) -> None:
    app.connect("config-inited", _add_static_path)
    app.add_css_file("hoshin.css")
    app.add_js_file("hoshin-nav.js", loading_method="defer")
