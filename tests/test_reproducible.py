"""Two builds of the same sources give byte-identical HTML (SOURCE_DATE_EPOCH set).

The committee can then check that a published build is the one they reviewed. The two
builds run in different folders, so an absolute path leaking into the output fails too.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

HOSHIN = str(Path(sys.executable).parent / "hoshin")


def _copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("conf.py", ".textlintrc.json", "prh.yml", "package.json", "package-lock.json"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, target / name)
    for name in ("source", "revisions", "glossary"):
        shutil.copytree(REPO / name, target / name)
    return target


def _differences(a: Path, b: Path) -> list[str]:
    found: list[str] = []
    cmp = filecmp.dircmp(a, b)
    found += [f"only in first: {n}" for n in cmp.left_only]
    found += [f"only in second: {n}" for n in cmp.right_only]
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    found += [str(a / n) for n in mismatch + errors]
    for sub in cmp.common_dirs:
        found += _differences(a / sub, b / sub)
    return found


@pytest.mark.slow
def test_two_builds_give_byte_identical_html(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1622678400"}
    outputs = []
    for name in ("first", "second-elsewhere"):
        root = _copy_project(tmp_path / name)
        proc = subprocess.run(
            [HOSHIN, "-C", str(root), "build"], env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        outputs.append(root / "_build" / "html")
    assert (outputs[0] / "versions").is_dir()  # frozen versions are part of what is compared
    assert _differences(*outputs) == []


def _office_project(target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copy(REPO / "conf.py", target / "conf.py")
    shutil.copytree(REPO / "source", target / "source")
    shutil.copytree(REPO / "revisions", target / "revisions")
    return target


def test_two_office_builds_give_byte_identical_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same sources and SOURCE_DATE_EPOCH, two folders, two seconds apart (the resolution of
    a zip entry's time): the .docx and .xlsx files are the same bytes, dated by the build."""
    import time
    import zipfile

    from hoshin.cli.officestage import build_office
    from hoshin.core.project import Project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1622505600")  # 2021-06-01
    monkeypatch.delenv("HOSHIN_EDITION", raising=False)
    outputs = []
    for name in ("first", "second-elsewhere"):
        root = _office_project(tmp_path / name)
        staging = root / "_build" / "office"
        staging.mkdir(parents=True)
        build_office(Project(root), staging)
        outputs.append(staging)
        time.sleep(2.1)
    names = sorted(p.name for p in outputs[0].iterdir())
    assert [n for n in names if n.endswith(".xlsx")] and [n for n in names if n.endswith(".docx")]
    assert names == sorted(p.name for p in outputs[1].iterdir())
    for name in names:
        first, second = (out / name for out in outputs)
        assert first.read_bytes() == second.read_bytes(), name
        with zipfile.ZipFile(first) as package:
            entries = package.infolist()
            assert entries[0].filename == "[Content_Types].xml"
            assert {e.date_time for e in entries} == {(2021, 6, 1, 0, 0, 0)}, name
            core = package.read("docProps/core.xml").decode()
        for tag in ("created", "modified"):
            assert f'W3CDTF">2021-06-01T00:00:00Z</dcterms:{tag}>' in core, core


def test_switching_between_html_and_pdf_builds_leaves_no_buildinfo_backup(tmp_path: Path) -> None:
    """Sphinx keeps ``.buildinfo.bak`` when the configuration of an output folder changes
    (the PDF links of ``build --pdf``); it would be published with the site."""
    from hoshin.core.sitebuild import run_sphinx

    root = REPO / "tests" / "roots" / "test-mini"
    out = tmp_path / "html"
    for links in ("", "1", ""):
        run_sphinx(
            confdir=root, srcdir=root / "source", outdir=out, doctreedir=tmp_path / "doctrees",
            overrides={"hoshin_pdf_links": links} if links else {},
        )  # fmt: skip
        assert (out / ".buildinfo").is_file()
        assert not (out / ".buildinfo.bak").exists()
