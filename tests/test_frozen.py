"""Frozen versions: manifests, tamper evidence, and hoshin freeze never overwriting."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hoshin.cli import main
from hoshin.core.frozen import MANIFEST, FreezeRequest, freeze, verify_version
from hoshin.core.history import load_revisions
from hoshin.core.yamlio import DataError

from .conftest import REPO


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    shutil.copy(REPO / "conf.py", root / "conf.py")
    for folder in ("source", "revisions"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.mark.parametrize("vid", ["_62", "_63", "_83"])
def test_embedded_versions_match_their_manifests(vid: str) -> None:
    assert verify_version(REPO / "revisions" / vid) == []


def test_manifest_is_sha256sum_format() -> None:
    if shutil.which("sha256sum") is None:
        pytest.skip("no sha256sum")
    proc = subprocess.run(["sha256sum", "--quiet", "-c", MANIFEST], cwd=REPO / "revisions" / "_83",
                          capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_edited_file_is_named(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = project / "revisions" / "_83" / "source" / "3" / "3-1-1.md"
    page.write_text(page.read_text("utf-8").replace("推進", "促進", 1), "utf-8")
    errors = verify_version(project / "revisions" / "_83")
    assert len(errors) == 1 and errors[0].path.endswith("revisions/_83/source/3/3-1-1.md")
    assert "edited after freezing" in errors[0].message
    assert main(["-C", str(project), "check"]) == 2
    assert "revisions/_83/source/3/3-1-1.md:1:1: frozen file edited" in capsys.readouterr().err


def test_added_file_is_named(project: Path) -> None:
    (project / "revisions" / "_63" / "source" / "extra.md").write_text("# 追加\n", "utf-8")
    errors = verify_version(project / "revisions" / "_63")
    assert [e.path.endswith("revisions/_63/source/extra.md") for e in errors] == [True]
    assert "added to a frozen version" in errors[0].message


def test_removed_file_is_named_at_its_manifest_line(project: Path) -> None:
    (project / "revisions" / "_62" / "source" / "colophon.md").unlink()
    errors = verify_version(project / "revisions" / "_62")
    assert len(errors) == 1 and errors[0].path.endswith("revisions/_62/MANIFEST.sha256")
    manifest = (project / "revisions" / "_62" / MANIFEST).read_text("utf-8").split("\n")
    line = next(i for i, ln in enumerate(manifest, 1) if ln.endswith("  source/colophon.md"))
    assert errors[0].line == line and "colophon.md" in errors[0].message


def test_build_refuses_a_tampered_version_before_writing(project: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    (project / "revisions" / "_63" / "source" / "index.md").write_text("改ざん\n", "utf-8")
    assert main(["-C", str(project), "build"]) == 2
    err = capsys.readouterr().err
    assert "revisions/_63/source/index.md:1:1: frozen file edited" in err
    assert not (project / "_build" / "html").exists()


def test_diff_refuses_a_tampered_side(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "revisions" / "_83" / "source" / "index.md").unlink()
    assert main(["-C", str(project), "diff", "_63", "_83"]) == 2
    assert "frozen file removed" in capsys.readouterr().err


def test_freeze_copies_writes_manifest_and_appends_history(project: Path) -> None:
    pending = project / "revisions" / "current"
    pending.mkdir()
    (pending / "changes.yaml").write_text("changes: []\n", "utf-8")
    (project / "glossary").mkdir()
    (project / "glossary" / "a.yaml").write_text("terms: []\n", "utf-8")
    assert main(["-C", str(project), "freeze", "_84", "--event", "第4回有識者会議",
                 "--date", "2021-06-03", "--summary", "第4回会議の意見を反映"]) == 0  # fmt: skip
    target = project / "revisions" / "_84"
    assert verify_version(target) == []
    manifest = (target / MANIFEST).read_text("utf-8")
    assert "  source/index.md\n" in manifest and "  glossary/a.yaml\n" in manifest
    data = load_revisions(project)
    assert data.errors == [] and data.ids == ["_62", "_63", "_83", "_84"]
    v84 = data.get("_84")
    assert (
        v84 is not None and v84.date_text == "令和3年6月3日" and v84.events == ("第4回有識者会議",)
    )
    assert (target / "changes.yaml").read_text("utf-8") == "changes: []\n"
    assert not (pending / "changes.yaml").exists()
    assert "# 版の履歴（古い順）" in (project / "revisions" / "history.yaml").read_text("utf-8")


def test_diff_reads_the_same_with_and_without_the_scan_cache(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """hoshin freeze scans the new version for later diffs; the cache never changes a result."""
    cache = project / "_build" / ".cache" / "hoshin-scans.pickle"
    assert main(["-C", str(project), "freeze", "_84", "--date", "2021-06-03"]) == 0
    assert cache.is_file()
    page = project / "source" / "3" / "3-1-2.md"
    page.write_text(page.read_text("utf-8") + "\n追記した一文です。\n", "utf-8")
    capsys.readouterr()
    results = []
    for drop in (False, True, False):
        if drop:
            cache.unlink()
        assert main(["-C", str(project), "diff", "_83", "current", "--format", "json"]) == 0
        results.append(capsys.readouterr().out)
    assert results[0] == results[1] == results[2]
    assert "追記した一文です。" in results[0]
    cache.write_bytes(b"broken")  # a damaged cache is ignored and replaced
    assert main(["-C", str(project), "diff", "_83", "current", "--format", "json"]) == 0
    assert capsys.readouterr().out == results[0]


def test_freeze_refuses_to_overwrite(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (project / "revisions" / "_83" / MANIFEST).read_bytes()
    history = (project / "revisions" / "history.yaml").read_bytes()
    assert main(["-C", str(project), "freeze", "_83"]) == 2
    assert "version '_83' already exists; frozen versions are never overwritten" in (
        capsys.readouterr().err
    )
    assert (project / "revisions" / "_83" / MANIFEST).read_bytes() == before
    assert (project / "revisions" / "history.yaml").read_bytes() == history


def test_freeze_refuses_an_existing_folder_and_bad_ids(project: Path) -> None:
    (project / "revisions" / "_90" / "source").mkdir(parents=True)
    with pytest.raises(DataError, match="already exists"):
        freeze(project, FreezeRequest("_90", "x"))
    for bad in ("current", "../x", "a b"):
        with pytest.raises(DataError, match="cannot be a version id"):
            freeze(project, FreezeRequest(bad, "x"))
    with pytest.raises(DataError, match="is not YYYY-MM-DD"):
        freeze(project, FreezeRequest("_91", "x", date="令和3年"))
    assert load_revisions(project).ids == ["_62", "_63", "_83"]
