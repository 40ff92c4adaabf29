"""``hoshin serve``'s in-memory rebuilds (hoshin.cli.preview): the same output as a fresh build."""

from __future__ import annotations

import io
import shutil
import threading
import urllib.request
from pathlib import Path

import pytest

from hoshin.cli.preview import BuildCounter, PreviewBuilder, PreviewServer

from .conftest import REPO

#: Written by Sphinx for itself, not part of what a reader gets.
_NOT_OUTPUT = {".buildinfo", ".buildinfo.bak"}


def _builder(root: Path, out: str) -> PreviewBuilder:
    return PreviewBuilder(
        confdir=root,
        srcdir=root,
        outdir=root / "_build" / out,
        doctreedir=root / "_build" / f".doctrees-{out}",
        data=(root / "glossary",),
        warning=io.StringIO(),
    )


def _output(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in _NOT_OUTPUT
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "glossary-project"
    shutil.copytree(REPO / "tests" / "roots" / "test-glossary", root)
    return root


def _assert_same_as_fresh(root: Path, kept: PreviewBuilder) -> None:
    fresh = _builder(root, "fresh")
    assert fresh.build().ok
    fresh.close()
    kept_files, fresh_files = _output(kept.outdir), _output(fresh.outdir)
    assert sorted(kept_files) == sorted(fresh_files)
    different = [name for name in kept_files if kept_files[name] != fresh_files[name]]
    assert different == []


def test_in_memory_rebuild_equals_a_fresh_build(project: Path) -> None:
    kept = _builder(project, "serve")
    first = kept.build()
    assert first.ok and first.fresh
    chapter = project / "chapter-a.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n追記した文章です。\n", "utf-8")
    second = kept.build([chapter])
    assert second.ok and not second.fresh  # the same application, only the page re-read
    assert "追記した文章です。" in (kept.outdir / "chapter-a.html").read_text("utf-8")
    _assert_same_as_fresh(project, kept)


def test_glossary_or_page_set_changes_start_a_fresh_application(project: Path) -> None:
    kept = _builder(project, "serve")
    assert kept.build().ok
    data = project / "glossary" / "ka.yaml"
    data.write_text(data.read_text("utf-8").replace("中心的な業務", "中心となる業務"), "utf-8")
    assert kept.build([data]).fresh
    _assert_same_as_fresh(project, kept)
    added = project / "chapter-c.md"
    added.write_text("# 追加の章\n\n新しい章です。\n", "utf-8")
    index = project / "index.md"
    index.write_text(index.read_text("utf-8").replace("chapter-b", "chapter-b\nchapter-c"), "utf-8")
    report = kept.build([added, index])
    assert report.ok and report.fresh
    assert "新しい章です。" in (kept.outdir / "chapter-c.html").read_text("utf-8")
    _assert_same_as_fresh(project, kept)


def _written(kept: PreviewBuilder) -> dict[str, int]:
    pages = [kept.outdir / "glossary.html", *sorted((kept.outdir / "glossary-uses").glob("*"))]
    return {p.relative_to(kept.outdir).as_posix(): p.stat().st_mtime_ns for p in pages}


def test_generated_pages_are_written_again_only_when_what_they_show_changed(
    project: Path,
) -> None:
    """A save that changes no term's uses leaves the 用語集 and the terms' back-link pages
    as they are (on a policy they were most of a rebuild); a save that does rewrites the
    用語集 and makes the back-link page of a term now used on two pages (used on one, the
    用語集 linked that page). Each time the output equals a fresh build's."""
    kept = _builder(project, "serve")
    assert kept.build().ok
    before = _written(kept)
    assert "glossary-uses/rfi.html" not in before
    assert 'href="chapter-a.html#hoshin-use-rfi"' in (kept.outdir / "glossary.html").read_text(
        "utf-8"
    )
    chapter = project / "chapter-b.md"
    text = chapter.read_text("utf-8")
    chapter.write_text(text + "\n用語のない文を足しました。\n", "utf-8")
    assert kept.build([chapter]).ok
    assert "用語のない文を足しました。" in (kept.outdir / "chapter-b.html").read_text("utf-8")
    assert _written(kept) == before
    # compared with a fresh build at the end: a second application in this process would
    # take docutils' node registrations away from the kept one when it closes
    middle = project.parent / "middle"
    shutil.copytree(project, middle, ignore=shutil.ignore_patterns("_build"))
    shutil.copytree(kept.outdir, middle / "_build" / "serve")
    chapter.write_text(text + "\nRFIを使う文を足しました。\n", "utf-8")
    assert kept.build([chapter]).ok
    after = _written(kept)
    assert {name for name in after if after[name] != before.get(name)} == {
        "glossary.html",
        "glossary-uses/rfi.html",
    }
    assert "オープンデータの章" in (kept.outdir / "glossary-uses" / "rfi.html").read_text("utf-8")
    kept.close()
    _assert_same_as_fresh(project, kept)
    _assert_same_as_fresh(middle, _builder(middle, "serve"))


def test_a_broken_build_is_reported_and_the_next_save_recovers(project: Path) -> None:
    kept = _builder(project, "serve")
    assert kept.build().ok
    conf = project / "conf.py"
    good = conf.read_text("utf-8")
    conf.write_text(good + "\nthis is not python\n", "utf-8")
    broken = kept.build([conf])
    assert not broken.ok and broken.error
    conf.write_text(good, "utf-8")
    assert kept.build([conf]).ok


def test_server_injects_reload_and_wakes_pages_after_a_rebuild(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html><body><p>本文</p></body></html>", "utf-8")
    counter = BuildCounter()
    server = PreviewServer(0, tmp_path, counter)
    server.start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        page = urllib.request.urlopen(f"{base}/").read().decode("utf-8")
        assert "<p>本文</p>" in page and "/__hoshin/wait?build=" in page
        threading.Timer(0.2, counter.bump).start()
        woke = urllib.request.urlopen(f"{base}/__hoshin/wait?build=0", timeout=10).read()
        assert woke == b"1"
    finally:
        server.shutdown()
        server.server_close()
