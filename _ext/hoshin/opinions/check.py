"""``hoshin check``'s opinion checks and the project's opinions as conf.py configures them.

Not a pure module: it reads conf.py (the configured dispositions) the way Sphinx does. The
join itself is :mod:`hoshin.opinions.join`; whether a record's change is really in the
comparison needs the revisions feature, so that part runs in the CLI
(:mod:`hoshin.cli.opinion_check`), which may use both features.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from hoshin.core.checks import CheckResult
from hoshin.core.yamlio import DataError
from hoshin.opinions.model import OpinionData, load_opinions
from hoshin.opinions.settings import SETTINGS

if TYPE_CHECKING:
    from hoshin.core.project import Project


def project_opinions(root: Path) -> OpinionData:
    """The opinions of the project at ``root`` with conf.py's categories (defaults when bad)."""
    from hoshin.core.config import run_conf

    try:
        conf = run_conf(root / "conf.py")
    except DataError:
        conf = {}
    values = []
    for setting in SETTINGS[:2]:
        value = conf.get(setting.key, setting.default)
        values.append(tuple(setting.default if setting.problem(value) else value))
    return load_opinions(root, values[0], values[1])


def check_opinion_data(project: Project) -> CheckResult:
    """Form of every opinion file (schema, ids, categories): errors stop check and build."""
    return list(project_opinions(project.root).errors)
