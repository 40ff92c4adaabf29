"""Shared ground of every feature: project layout, YAML with positions, MyST scanning,
versions and frozen trees, configuration and warnings.

As an extension (``hoshin.core``) it declares hoshin's configuration values and guards what
pages read (:mod:`hoshin.core.guard`); every feature loads it first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Load core on its own: ``extensions = ["hoshin.core"]`` in a plain Sphinx project."""
    from hoshin import __version__
    from hoshin.core.buildstate import setup_buildstate
    from hoshin.core.config import setup_config
    from hoshin.core.guard import setup_guard
    from hoshin.core.ownmarkers import OwnMarkerLists

    setup_config(app)
    setup_buildstate(app)
    setup_guard(app)
    app.connect("builder-inited", _use_sudachi_store)
    app.add_transform(OwnMarkerLists)
    return {
        "version": __version__,
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def _use_sudachi_store(app: Sphinx) -> None:
    """Keep the build's Sudachi analyses (hoshin.core.sudachi) with the other caches of the
    build folder the output lies in (``_build/.cache``, shared by every build of a hoshin
    project and kept when doctrees are cleared), else beside the doctrees: never in the
    sources when a build writes elsewhere."""
    from pathlib import Path

    from hoshin.core.outcache import build_cache
    from hoshin.core.sudachi import use_store

    use_store(build_cache(Path(app.outdir), Path(app.doctreedir)) / "sudachi.sqlite")
