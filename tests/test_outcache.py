"""The build cache of files made from data (core.outcache): a clean build copies the files an
earlier build made from the same inputs, keeps one set per name, and a cache that cannot be
used is no cache (issue 19 item 3: the office files were a tenth of a full HTML build)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hoshin.core.outcache import build_cache, reuse_or_write

from .conftest import REPO


def _writer(paths: list[Path], text: str, calls: list[str]):
    def write() -> None:
        calls.append(text)
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{text} {path.suffix}", "utf-8")

    return write


def test_files_made_from_the_same_inputs_are_copied(tmp_path: Path) -> None:
    cache, calls = tmp_path / "cache", []
    first = [tmp_path / "a" / "x.xlsx", tmp_path / "a" / "x.docx"]
    assert not reuse_or_write(cache, "event", "0" * 64, first, _writer(first, "one", calls))
    other = [tmp_path / "b" / "other-name.xlsx", tmp_path / "b" / "other-name.docx"]
    assert reuse_or_write(cache, "event", "0" * 64, other, _writer(other, "two", calls))
    assert calls == ["one"]
    assert [p.read_text("utf-8") for p in other] == ["one .xlsx", "one .docx"]


def test_new_inputs_replace_the_names_set_and_leave_other_names(tmp_path: Path) -> None:
    cache, calls = tmp_path / "cache", []
    out = [tmp_path / "o" / "x.xlsx"]
    reuse_or_write(cache, "event", "1" * 64, out, _writer(out, "one", calls))
    reuse_or_write(cache, "event-review", "2" * 64, out, _writer(out, "review", calls))
    reuse_or_write(cache, "event", "3" * 64, out, _writer(out, "three", calls))
    assert sorted(p.name for p in cache.iterdir()) == [
        "event-" + "3" * 32,
        "event-review-" + "2" * 32,
    ]
    assert not reuse_or_write(cache, "event", "1" * 64, out, _writer(out, "again", calls))
    assert calls == ["one", "review", "three", "again"]


def test_an_unusable_cache_is_no_cache(tmp_path: Path) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be", "utf-8")
    calls: list[str] = []
    out = [tmp_path / "o" / "x.docx"]
    for _ in range(2):
        assert not reuse_or_write(blocked, "event", "4" * 64, out, _writer(out, "w", calls))
    assert calls == ["w", "w"] and out[0].read_text("utf-8") == "w .docx"


def test_a_failed_write_keeps_nothing(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    out = [tmp_path / "o" / "x.xlsx"]

    def fail() -> None:
        raise RuntimeError("writer failed")

    with pytest.raises(RuntimeError):
        reuse_or_write(cache, "event", "5" * 64, out, fail)
    assert not cache.exists() or not any(cache.iterdir())


def test_names_outside_a_safe_alphabet_cannot_leave_the_cache(tmp_path: Path) -> None:
    cache, calls = tmp_path / "cache", []
    out = [tmp_path / "o" / "x.xlsx"]
    reuse_or_write(cache, "../../escape/会議", "6" * 64, out, _writer(out, "w", calls))
    assert [p.parent for p in cache.rglob("*") if p.is_file()] == [
        cache / f"______escape___-{'6' * 32}"
    ]
    assert not (tmp_path / "escape").exists()


def test_the_cache_lies_in_the_build_folder_the_output_lies_in(tmp_path: Path) -> None:
    assert (
        build_cache(tmp_path / "_build" / "html", tmp_path / "dt") == tmp_path / "_build" / ".cache"
    )
    assert build_cache(tmp_path / "site", tmp_path / "dt") == tmp_path / "dt"


_BUILD = """
import json, sys
from sphinx.cmd.build import build_main
root, out = sys.argv[1], sys.argv[2]
code = build_main(["-b", "html", "-q", "-E", "-c", root, "-d", out + "-dt", root + "/source", out])
print(json.dumps([code, "openpyxl" in sys.modules, "docx" in sys.modules]))
"""
_NOT_COPIED = shutil.ignore_patterns(".venv", "node_modules", "_build", ".git", "__pycache__")


def test_a_clean_build_copies_the_opinion_files_without_the_office_writers(
    tmp_path: Path,
) -> None:
    """The embedded edition built twice from nothing: the second build copies the .xlsx and
    .docx the first one wrote (same bytes) and never imports openpyxl or python-docx."""
    root = tmp_path / "p"
    shutil.copytree(REPO, root, ignore=_NOT_COPIED)
    (root / "node_modules").symlink_to(REPO / "node_modules")
    diagrams = REPO / "_build" / ".cache" / "mermaid"  # keyed on every input: safe to reuse
    if diagrams.is_dir():
        shutil.copytree(diagrams, root / "_build" / ".cache" / "mermaid")

    def build(out: str) -> list[object]:
        command = [sys.executable, "-c", _BUILD, str(root), str(root / "_build" / out)]
        proc = subprocess.run(command, capture_output=True, text=True, check=True)
        return list(json.loads(proc.stdout.splitlines()[-1]))

    assert build("first") == [0, True, True]
    assert build("second") == [0, False, False]
    first = sorted((root / "_build" / "first" / "_opinions").glob("*.*"))
    assert {p.suffix for p in first} == {".xlsx", ".docx"}
    for path in first:
        copy = root / "_build" / "second" / "_opinions" / path.name
        assert copy.read_bytes() == path.read_bytes(), path.name
