"""The frozen versions of the web edition: one Sphinx process each, cached by content hash.

``hoshin build`` builds the working draft into the site's root and each frozen version
into ``versions/<id>/``. A frozen version never changes, so its HTML is kept in
``_build/.cache/versions/<id>/html-<key>/`` and reused while the key is unchanged. The key
covers everything that reaches that version's pages: its manifest (text and glossary),
the manifests, change records and history it shows (版の一覧, notes, switcher), the page
names of the working draft (the switcher links to the same page there), ``conf.py``,
hoshin's own code and styles, the versions of Sphinx, MyST, docutils, the theme and
mermaid-cli, and the environment switches that change output. After an edit of
``source/`` only the draft (and the 新旧対照表 pages it makes) is rebuilt. Installed tools
are not in the key, but a version built while mermaid-cli or chromium was missing (its
diagrams left as text, :mod:`hoshin.core.undrawn`) is built again once they are found.

Frozen builds are never strict: their text cannot be fixed any more, so their warnings
are collected and reported, not turned into a failure (``--strict`` applies to the
working draft, where every frozen-data problem is reported too). No Sphinx import here.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from hoshin.core.digest import InputDigest, code_digest
from hoshin.core.edition import EDITION_ENV
from hoshin.core.frozen import MANIFEST
from hoshin.core.history import CURRENT, load_revisions
from hoshin.core.project import Project
from hoshin.core.sitebuild import run_sphinx
from hoshin.core.toolversions import tool_versions
from hoshin.core.undrawn import left_undrawn
from hoshin.revisions.sharedstatic import share_static, sharing_is_current
from hoshin.revisions.state import VERSIONS_DIR

KEY_FILE = ".hoshin-build-key"
#: Environment variables that change what a page shows (reproducibility, PDF links, edition).
KEY_ENVIRONMENT = ("SOURCE_DATE_EPOCH", EDITION_ENV)


@dataclasses.dataclass(frozen=True)
class VersionBuild:
    """One frozen version to be present under ``versions/<id>/`` of the site."""

    version_id: str
    key: str
    cache_dir: Path
    #: ``-D`` settings of the build that asked for it (``hoshin_pdf_links``), part of ``key``
    overrides: tuple[tuple[str, str], ...] = ()

    @property
    def html(self) -> Path:
        return self.cache_dir / f"html-{self.key[:16]}"

    @property
    def doctrees(self) -> Path:
        return self.cache_dir / "doctrees"


@dataclasses.dataclass
class VersionResult:
    version_id: str
    built: bool  # False: taken from the cache
    warnings: str = ""


def version_key(
    project: Project, version_id: str, chain: list[str], overrides: Mapping[str, str] | None = None
) -> str:
    """The cache key of one frozen version's HTML (see the module docstring)."""
    root = project.root
    digest = InputDigest().add_text("tools", tool_versions()).add_text("code", code_digest())
    digest.add_file(root / "conf.py", "conf.py")
    digest.add_file(root / "package-lock.json", "package-lock.json")
    digest.add_file(root / "revisions" / "history.yaml", "history")
    for vid in chain:
        digest.add_file(root / "revisions" / vid / MANIFEST, f"{vid}/manifest")
        digest.add_file(root / "revisions" / vid / "changes.yaml", f"{vid}/changes")
    pages = sorted(p.relative_to(project.source).as_posix() for p in project.source.rglob("*.md"))
    digest.add_text("draft-pages", "\n".join(pages))
    for name in KEY_ENVIRONMENT:
        digest.add_text(f"env:{name}", os.environ.get(name, ""))
    digest.add_text("overrides", json.dumps(dict(overrides or {}), sort_keys=True))
    return digest.hexdigest()


def plan_versions(
    project: Project, overrides: Mapping[str, str] | None = None
) -> list[VersionBuild]:
    """The frozen versions of the history that have their text, with their cache keys.

    ``overrides`` are configuration values the whole build sets (``hoshin_pdf_links``)."""
    data = load_revisions(project.root, check_labels=False)
    builds: list[VersionBuild] = []
    for index, version in enumerate(data.versions):
        if not data.source_dir(version.id).is_dir():
            continue
        chain = data.ids[: index + 1]
        builds.append(VersionBuild(version.id, version_key(project, version.id, chain, overrides),
                                   project.cache / "versions" / version.id,
                                   tuple(sorted((overrides or {}).items()))))  # fmt: skip
    return builds


def build_version(
    project: Project, build: VersionBuild, jobs: int = 1, *, redraw: bool = False
) -> VersionResult:
    """Build one frozen version into its cache folder unless the cache already has it.

    ``redraw``: the diagram tools are found now, so a cached build that left diagrams
    undrawn for want of them is not reused."""
    undrawn = redraw and left_undrawn(build.doctrees, "svg")
    if (build.html / KEY_FILE).is_file() and not undrawn:
        return VersionResult(build.version_id, built=False)
    build.cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = build.cache_dir / f".html-{os.getpid()}-tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    version_dir = project.revisions / build.version_id
    try:
        warnings = run_sphinx(
            confdir=project.root, srcdir=version_dir / "source", outdir=tmp,
            doctreedir=build.doctrees, jobs=jobs,
            overrides={"hoshin_version_id": build.version_id,
                       "hoshin_glossary_dir": f"revisions/{build.version_id}/glossary",
                       **dict(build.overrides)},
            what=f"HTML build of version {build.version_id}",
        )  # fmt: skip
        (tmp / KEY_FILE).write_text(build.key + "\n", encoding="utf-8")
        (build.cache_dir / "warnings.txt").write_text(warnings, encoding="utf-8")
        shutil.rmtree(build.html, ignore_errors=True)
        tmp.rename(build.html)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for stale in build.cache_dir.glob("html-*"):
        if stale != build.html:
            shutil.rmtree(stale, ignore_errors=True)
    return VersionResult(build.version_id, built=True, warnings=warnings)


def place_version(build: VersionBuild, site: Path, *, again: bool = False) -> bool:
    """Put a cached version into ``site/versions/<id>`` (hard links); False if already there
    (``again``: it was built again under the same key, to draw its diagrams)."""
    target = site / VERSIONS_DIR / build.version_id
    marker = target / KEY_FILE
    if not again and marker.is_file() and marker.read_text(encoding="utf-8").strip() == build.key:
        return False
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(build.html, target, copy_function=_link_or_copy)
    return True


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def build_frozen_versions(project: Project, site: Path, *, jobs: int = 1,
                          overrides: Mapping[str, str] | None = None,
                          on_done: Callable[[VersionResult], None] | None = None,
                          redraw: bool = False) -> list[VersionResult]:  # fmt: skip
    """Build (or take from the cache) every frozen version and place it under ``site``.

    Versions no longer in the history are removed from ``site/versions``. Cache misses run
    in parallel, up to ``jobs`` Sphinx processes. Static files identical to the site's own
    are shared (:mod:`hoshin.revisions.sharedstatic`). ``redraw``: the diagram tools are
    found now (see :func:`build_version`).
    """
    builds = plan_versions(project, overrides)

    def one(build: VersionBuild) -> VersionResult:
        result = build_version(project, build, redraw=redraw)
        place_version(build, site, again=result.built)
        if on_done is not None:
            on_done(result)
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(one, builds))
    for build in builds:  # one copy of each unchanged static file (hoshin.revisions.sharedstatic)
        target = site / VERSIONS_DIR / build.version_id
        if not sharing_is_current(site, target):
            shutil.rmtree(target, ignore_errors=True)
            place_version(build, site)
        share_static(site, target)
    wanted = {b.version_id for b in builds}
    versions_dir = site / VERSIONS_DIR
    if versions_dir.is_dir():
        for folder in versions_dir.iterdir():
            if folder.is_dir() and folder.name not in wanted and folder.name != CURRENT:
                shutil.rmtree(folder, ignore_errors=True)
    return results
