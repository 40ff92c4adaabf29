"""State of one build that lives beside the environment, in this process, never pickled.

Sphinx 9 deprecates reaching the application from the environment (``env.app``,
``SphinxTransform.app``; removed in Sphinx 11): directives, transforms and domains get the
build environment and its config, and so does everything here. What a feature loads once per
build and does not belong in the pickled environment (parsed YAML, scans of frozen texts,
what to record when the build succeeds) is kept in a :class:`PerBuild` slot of that feature,
keyed by the build environment and dropped with it. A slot is not shared between processes:
parallel readers inherit the parent's values when they fork and may add their own, which
die with them, so a slot holds caches and per-build facts, never per-document data (that
goes into a domain or env data with purge and merge).

The project root (``hoshin_root``, else the folder of conf.py) needs the application's
``confdir``, which the environment does not know: the core records it at ``builder-inited``
(:func:`setup_buildstate`), and :func:`project_root_of` reads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

T = TypeVar("T")


class PerBuild(Generic[T]):
    """One value of a kind per build environment (a module-level instance per kind)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._values: WeakKeyDictionary[BuildEnvironment, T] = WeakKeyDictionary()

    def get(self, env: BuildEnvironment) -> T | None:
        return self._values.get(env)

    def set(self, env: BuildEnvironment, value: T) -> T:
        self._values[env] = value
        return value

    def pop(self, env: BuildEnvironment) -> T | None:
        return self._values.pop(env, None)

    def __repr__(self) -> str:
        return f"PerBuild({self.name!r})"


_ROOTS: PerBuild[Path] = PerBuild("project root")


def project_root_of(env: BuildEnvironment) -> Path:
    """The project root of the build ``env`` belongs to (see :func:`project_root`)."""
    root = _ROOTS.get(env)
    if root is not None:
        return root
    # builder-inited has not run (an environment made by hand): hoshin_root, else conf.py's
    # folder as Sphinx projects lay it out by default (conf.py beside the sources)
    configured = env.config.hoshin_root
    return Path(configured).resolve() if configured else Path(env.srcdir).resolve()


def _remember_root(app: Sphinx) -> None:
    from hoshin.core.config import project_root

    _ROOTS.set(app.env, project_root(app))


def setup_buildstate(app: Sphinx) -> None:
    # priority < 500: before the features' own builder-inited handlers, which may read it
    app.connect("builder-inited", _remember_root, priority=100)
