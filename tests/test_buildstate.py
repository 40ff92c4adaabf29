"""State of a build is kept per build environment (hoshin.core.buildstate), never on the app.

Sphinx 11 removes ``env.app`` and ``SphinxTransform.app`` (pyproject turns their deprecation
warning into an error for the whole suite); what a feature loads once per build lives in a
``PerBuild`` slot keyed by the environment, so two projects built in one process (as the
tests and ``hoshin serve`` do) never see each other's data.
"""

from __future__ import annotations

import gc
import re
import shutil
from pathlib import Path

from hoshin.core.buildstate import PerBuild, project_root_of

from .conftest import REPO

ROOTS = REPO / "tests" / "roots"


def _opinions_project(tmp_path: Path, name: str, summary: str) -> Path:
    src = tmp_path / name
    shutil.copytree(ROOTS / "test-opinions-alone", src)
    event = src / "revisions" / "opinions" / "sample.yaml"
    text = event.read_text(encoding="utf-8")
    event.write_text(text.replace("歩道の段差をなくしてほしい。", summary), encoding="utf-8")
    return src


def test_two_projects_built_in_one_process_each_show_their_own_data(make_app, tmp_path) -> None:
    first = make_app("html", srcdir=_opinions_project(tmp_path, "a", "ベンチを置いてほしい。"))
    second = make_app("html", srcdir=_opinions_project(tmp_path, "b", "照明を増やしてほしい。"))
    first.build()
    second.build()
    pages = [(Path(app.outdir) / "index.html").read_text(encoding="utf-8")
             for app in (first, second)]  # fmt: skip
    assert "ベンチを置いてほしい。" in pages[0] and "照明を増やしてほしい。" not in pages[0]
    assert "照明を増やしてほしい。" in pages[1] and "ベンチを置いてほしい。" not in pages[1]
    assert project_root_of(first.env) == Path(first.confdir).resolve()
    assert not [name for name in vars(first) if name.startswith("_hoshin")]


def test_a_value_belongs_to_one_environment_and_goes_with_it() -> None:
    class Env:  # stands in for a BuildEnvironment: any object that can be weakly referenced
        pass

    slot: PerBuild[str] = PerBuild("example")
    one, other = Env(), Env()
    slot.set(one, "one")  # type: ignore[arg-type]
    assert slot.get(one) == "one" and slot.get(other) is None  # type: ignore[arg-type]
    del one
    gc.collect()
    assert len(slot._values) == 0


def test_no_code_reaches_the_application_through_the_environment_or_a_transform() -> None:
    """Builds run by ``hoshin build`` are subprocesses, out of reach of pytest's warning
    filter: the source itself is checked too (prose quoting ``env.app`` aside)."""
    pattern = re.compile(r"(?<!``)\b(?:env\._?app|self\.app)\b")
    found = [
        f"{path.relative_to(REPO)}:{n}"
        for path in sorted((REPO / "_ext" / "hoshin").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []
