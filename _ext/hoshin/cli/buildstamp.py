""" "Nothing changed" for a whole ``hoshin build``: one digest of every input.

After a successful build the digest of everything that can change its output is stored;
the next build with the same digest and its outputs in place returns at once, starting no
Sphinx, no chromium and no LaTeX. Inputs: the project's files (conf.py, source/,
revisions/, glossary/, lint and npm configuration), hoshin's own code, the versions of the
Python packages, the environment variables that reach the pages, and the build's options.

Installed tools are not inputs: installing or upgrading mermaid-cli or chromium is no reason
to rebuild. But a diagram left as its text alternative because they were missing must be
drawn once they are there: while such a diagram is on record
(:mod:`hoshin.core.undrawn`) and the tools are found, the build is not "unchanged", and
Sphinx re-reads only the pages of the diagrams missing from the render cache.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from hoshin.core.digest import InputDigest, code_digest, files_under
from hoshin.core.project import Project

#: Top-level files and folders of a project that feed a build.
PROJECT_INPUTS = ("conf.py", "source", "revisions", "glossary", ".textlintrc.json", "prh.yml",
                  "package-lock.json")  # fmt: skip
ENVIRONMENT = ("SOURCE_DATE_EPOCH",)


def inputs_digest(project: Project, options: str) -> str:
    from hoshin.core.toolversions import tool_versions

    digest = InputDigest().add_text("options", options).add_text("code", code_digest())
    digest.add_text("tools", tool_versions())
    for name in ENVIRONMENT:
        digest.add_text(f"env:{name}", os.environ.get(name, ""))
    digest.add_files(files_under(project.root / name for name in PROJECT_INPUTS), project.root)
    # A change record without a page shows the page of its section in the version's PDF:
    # a new PDF build (its stamp) updates the pages that show it.
    for path in sorted((project.cache / "pdf").glob("*/stamp.json")):
        digest.add_file(path, f"pdf:{path.parent.name}")
    return digest.hexdigest()


def undrawn_diagrams_drawable(project: Project) -> bool:
    """A build left diagrams undrawn for want of mermaid-cli or chromium, and both are
    found now (no process started)."""
    from hoshin.core.config import run_conf
    from hoshin.core.undrawn import undrawn_records
    from hoshin.core.yamlio import DataError
    from hoshin.diagrams.render import CHROMIUM, MermaidRenderer, RenderSettings, find_mmdc

    if not undrawn_records(project.cache):
        return False
    try:
        conf = run_conf(project.root / "conf.py")
    except DataError:
        return True  # the build reports it
    mmdc = find_mmdc(project.root, str(conf.get("hoshin_flow_mmdc") or ""))
    chromium = Path(str(conf.get("hoshin_flow_chromium") or CHROMIUM))
    return MermaidRenderer(RenderSettings(project.cache, mmdc, chromium)).unavailable() is None


def _stamp(project: Project) -> Path:
    return project.cache / "build-inputs.sha256"


def unchanged(project: Project, digest: str, outputs: Iterable[Path]) -> bool:
    stamp = _stamp(project)
    return (stamp.is_file() and stamp.read_text(encoding="utf-8") == digest
            and all(p.exists() for p in outputs)
            and not undrawn_diagrams_drawable(project))  # fmt: skip


def record(project: Project, digest: str) -> None:
    stamp = _stamp(project)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest, encoding="utf-8")


def forget(project: Project) -> None:
    _stamp(project).unlink(missing_ok=True)


#: What ``build --force`` throws away so that it starts from nothing: Sphinx's doctrees, the
#: frozen versions' builds, LaTeX's work folders and the office files' stamp. Diagram images
#: stay: their cache is keyed on everything that draws them, and drawing one takes a second.
DISCARDED_BY_FORCE = ("doctrees", "versions", "pdf", "office")


def discard_caches(project: Project) -> None:
    import shutil

    for name in DISCARDED_BY_FORCE:
        shutil.rmtree(project.cache / name, ignore_errors=True)
