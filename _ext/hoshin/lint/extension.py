"""textlint findings as Sphinx warnings (``hoshin_lint_in_build = True``).

Editors then see lint and build warnings in one list. One textlint run per build, over every
MyST source of the project, after reading (``env-updated``): the findings of unchanged pages
are shown again on an incremental build, so the list never goes silently short. Each
warning has type ``hoshin``, subtype ``lint`` and the page and line of the finding; silence
them with ``suppress_warnings = ["hoshin.lint"]``. Nothing is stored on the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from hoshin.core.config import PARAPHRASE_TERMS_EVENT, project_root
from hoshin.core.warnings_ import WarningSubType, warn
from hoshin.core.yamlio import DataError
from hoshin.lint.allow import config_line
from hoshin.lint.prh import write_glossary_prh
from hoshin.lint.textlint import LintFailed, LintToolMissing, lint_files

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def setup_lint(app: Sphinx) -> None:
    app.connect("env-updated", _lint_sources)


def _lint_sources(app: Sphinx, env: BuildEnvironment) -> list[str]:
    if not app.config.hoshin_lint_in_build:
        return []
    root = project_root(app)
    docs = {}
    for docname in sorted(env.found_docs):
        path = Path(env.doc2path(docname))
        if path.suffix == ".md" and path.is_file():
            docs[path.resolve()] = docname
    if not docs:
        return []
    terms = [t for found in app.emit(PARAPHRASE_TERMS_EVENT) for t in found]
    try:
        cache = Path(app.doctreedir) / "hoshin-lint"
        generated = write_glossary_prh(terms, cache)
        report = lint_files(
            list(docs),
            project_root=root,
            extra_prh=[generated] if generated else (),
            cache_dir=cache,
        )
    except (LintToolMissing, LintFailed) as exc:
        warn(logger, WarningSubType.lint, f"lint skipped: {exc}", location=str(root))
        return []
    except DataError as exc:
        warn(
            logger,
            WarningSubType.lint,
            f"lint skipped: {exc.message}",
            location=f"{exc.path}:{exc.line}",
        )
        return []
    for f in report.findings:
        message = " ".join(part.strip() for part in f.message.splitlines() if part.strip())
        warn(
            logger,
            WarningSubType.lint,
            f"{f.severity} {f.rule}: {message} (column {f.col})",
            location=(docs[f.path.resolve()], f.line),
        )
    if report.stale:
        text = report.config_path.read_text(encoding="utf-8")
        for a in report.stale:
            warn(
                logger,
                WarningSubType.lint,
                f"{a.describe()} matches no finding any more: remove it or update its text",
                location=f"{report.config_path}:{config_line(text, a)}",
            )
    return []
