"""The web edition's own look: hoshin's stylesheet and page furniture for the HTML builders."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from hoshin.core.digest import InputDigest

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

STATIC_DIR = Path(__file__).parent / "static"


#: Where the shipped static files are staged for a build, stylesheets without comments.
STAGED_DIR = "hoshin-web-static"
_COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)
_SPACE_RE = re.compile(r"\s+")
_PUNCT_SPACE_RE = re.compile(r"\s*([{};,])\s*")


def compact_css(css: str) -> str:
    """The stylesheet without comments and layout whitespace (about a quarter of its bytes:
    every page loads hoshin.css, and the 用語集 and search pages are near their budgets)."""
    css = _SPACE_RE.sub(" ", _COMMENT_RE.sub("", css))
    return _PUNCT_SPACE_RE.sub(r"\1", css).strip() + "\n"


def staged_static() -> Path:
    """The static files, stylesheets compacted, in a folder of the system's temporary
    directory named after their content (outside any output folder: Sphinx refuses a static
    path inside its outdir, where the doctrees usually are)."""
    sources = sorted(p for p in STATIC_DIR.iterdir() if p.is_file())
    digest = InputDigest().add_files(sources, STATIC_DIR).hexdigest()
    target = Path(tempfile.gettempdir()) / f"{STAGED_DIR}-{digest[:16]}"
    if target.is_dir():
        return target
    partial = Path(tempfile.mkdtemp(prefix=f"{STAGED_DIR}-"))
    for source in sources:
        if source.suffix == ".css":
            text = compact_css(source.read_text(encoding="utf-8"))
            (partial / source.name).write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(source, partial / source.name)
    try:
        os.rename(partial, target)
    except OSError:  # another build staged the same files meanwhile
        shutil.rmtree(partial, ignore_errors=True)
    return target


def _add_static_path(app: Sphinx, config: Config) -> None:
    staged = str(staged_static())
    if staged not in config.html_static_path:
        config.html_static_path.append(staged)


def setup_site(app: Sphinx) -> None:
    app.connect("config-inited", _add_static_path)
    app.add_css_file("hoshin.css")
    app.add_js_file("hoshin-nav.js", loading_method="defer")
