"""The store of Sudachi analyses (core.sudachi): what hoshin reads of the Jōetsu text is the
same from the store as from Sudachi, and a build of text analysed before leaves the 200 MB
dictionary unloaded (issue 19 item 3: the dictionary was most of a build's memory)."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from hoshin.core import sudachi
from hoshin.glossary.model import read_glossary
from hoshin.glossary.term_check import TermChecker
from hoshin.glossary.terms import find_candidates
from hoshin.lint.desumasu import sentence_endings
from hoshin.revisions.diff import words
from hoshin.web.search_text import BOUNDARY, PageText, PageTextBuilder, mark_words

from .conftest import REPO


def _policy_lines() -> list[str]:
    lines = []
    for page in sorted((REPO / "source").rglob("*.md")):
        lines += [line for line in page.read_text("utf-8").splitlines() if line.strip()]
    return lines


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "sudachi.sqlite"
    sudachi.use_store(path)
    try:
        yield path
    finally:
        sudachi.use_store(None)


def _uses(lines: list[str]) -> list[object]:
    """What the features make of the text: search-word marks, glossary term candidates,
    the diff's words, the です・ます sentence endings."""
    return [
        [mark_words(line) for line in lines],
        [find_candidates(line) for line in lines],
        [words(line) for line in lines],
        sentence_endings("\n".join(lines)),
    ]


def test_stored_analyses_of_the_policy_equal_sudachis(store: Path) -> None:
    lines = _policy_lines()
    assert sum(map(len, lines)) > 20_000
    sudachi.use_store(None)
    fresh = _uses(lines)
    direct = {(m, line): sudachi._analyse(m, line) for m in ("A", "C") for line in lines}
    sudachi.use_store(store)
    assert _uses(lines) == fresh  # analysed by Sudachi, then put in the store
    sudachi.use_store(None)  # written out
    sudachi.use_store(store)  # a new process reading the file
    stored = {(m, line): sudachi.analyse(m, line) for m in ("A", "C") for line in lines}
    assert stored == direct
    assert _uses(lines) == fresh


def test_an_unwritable_store_falls_back_to_sudachi(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "sudachi.sqlite").mkdir()  # not a database
    sudachi.use_store(folder / "sudachi.sqlite")
    try:
        assert [m.surface() for m in sudachi.analyse("C", "情報資産を守ります。")][:2] == [
            "情報資産",
            "を",
        ]
    finally:
        sudachi.use_store(None)


_BUILD = """
import json, sys
from sphinx.cmd.build import build_main
code = build_main(["-b", "html", "-q", "-E", "-d", sys.argv[2], sys.argv[1], sys.argv[3]])
from hoshin.core import sudachi
print(json.dumps([code, sudachi.dictionary.cache_info().currsize]))
"""


def test_a_build_of_text_analysed_before_leaves_the_dictionary_unloaded(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "roots" / "test-glossary", root)

    def build(out: str) -> list[int]:
        args = [str(root), str(root / "_build" / f"dt-{out}"), str(root / "_build" / out)]
        proc = subprocess.run([sys.executable, "-c", _BUILD, *args], capture_output=True,
                              text=True, check=True)  # fmt: skip
        return list(json.loads(proc.stdout.splitlines()[-1]))

    assert build("first") == [0, 1]  # analysed by Sudachi, kept in _build/.cache
    assert (root / "_build" / ".cache" / "sudachi.sqlite").is_file()
    assert build("second") == [0, 0]  # every analysis from the store
    first, second = root / "_build" / "first", root / "_build" / "second"
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in names:
        if name.name != ".buildinfo":
            assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_a_build_writing_outside_a_build_folder_keeps_the_store_beside_its_doctrees(
    tmp_path: Path,
) -> None:
    root = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "roots" / "test-glossary", root)
    args = [str(root), str(tmp_path / "doctrees"), str(tmp_path / "site")]
    subprocess.run([sys.executable, "-c", _BUILD, *args], capture_output=True, check=True)
    assert (tmp_path / "doctrees" / "sudachi.sqlite").is_file()
    assert not (root / "_build").exists()  # nothing written among the sources


def test_a_computation_over_many_texts_is_one_stored_entry(store: Path) -> None:
    calls: list[list[str]] = []

    def compute(texts: Sequence[str]) -> list[str]:
        calls.append(list(texts))
        return [text.upper() for text in texts]

    assert sudachi.memo("k1", ["a", "b"], compute) == ["A", "B"]
    assert sudachi.memo("k1", ["a", "b"], compute) == ["A", "B"]
    sudachi.use_store(None)  # written out
    sudachi.use_store(store)  # a new process reading the file
    assert sudachi.memo("k1", ["a", "b"], compute) == ["A", "B"]
    assert len(calls) == 1
    assert sudachi.memo("k2", ["a", "b"], compute) == ["A", "B"]  # another computation
    assert sudachi.memo("k1", ["a", "b", "c"], compute) == ["A", "B", "C"]  # other texts
    assert len(calls) == 3


def test_a_pages_search_text_is_the_same_from_the_store(store: Path) -> None:
    lines = _policy_lines()

    def page() -> PageText:
        builder = PageTextBuilder("")
        for line in lines:
            builder.add_block(line)
        return builder.build()

    sudachi.use_store(None)
    fresh = page()
    assert BOUNDARY in fresh.text
    sudachi.use_store(store)
    assert page() == fresh  # marked, then kept
    sudachi.use_store(None)
    sudachi.use_store(store)
    assert page() == fresh  # from the store


def test_kept_term_findings_are_the_checks_and_follow_the_glossary(store: Path) -> None:
    """The unexplained-term check of a page, kept in the store, is the check itself; a
    glossary that explains a reported word is a new key (the word is no longer reported)."""
    glossary = read_glossary(REPO / "glossary")
    checker = TermChecker(glossary)
    pages = sorted((REPO / "source").rglob("*.md"))
    texts: dict[object, str] = {page: page.read_text("utf-8") for page in pages}
    texts["invented"] = "# 試験\n\nアジャイルな手法とエビデンスに基づくガバナンスを進めます。\n"
    expected = {page: checker.check_text(text, "p") for page, text in texts.items()}
    assert any(expected.values())
    for _ in range(2):  # made, then read back from a new process's store
        assert {
            page: checker.check_text_kept(text, "p") for page, text in texts.items()
        } == expected
        sudachi.use_store(None)
        sudachi.use_store(store)
    page, found = next((page, found) for page, found in expected.items() if found)
    allowed = dataclasses.replace(
        glossary,
        allowlist=[
            *glossary.allowlist,
            dataclasses.replace(glossary.allowlist[0], word=found[0].word),
        ],
    )
    again = TermChecker(allowed).check_text_kept(texts[page], "p")
    assert found[0].word not in {f.word for f in again}


def test_analyses_unused_for_a_month_are_dropped(tmp_path: Path) -> None:
    """The store keeps what the current texts need: an analysis not used for KEEP_DAYS goes
    when a later process writes; one used again is kept (and marked once a day)."""
    path = tmp_path / "sudachi.sqlite"
    first = sudachi._Store(path, today=100)
    first.put_raw("old paragraph", "[1]")
    first.put_raw("kept paragraph", "[2]")
    first.flush()
    later = sudachi._Store(path, today=100 + sudachi.KEEP_DAYS + 1)
    assert later.get_raw("kept paragraph") == "[2]"
    later.put_raw("new paragraph", "[3]")
    later.flush()
    rows = dict(sqlite3.connect(path).execute("SELECT key, used FROM analyses"))
    assert rows == {"kept paragraph": 131, "new paragraph": 131}


def test_a_store_of_an_older_hoshin_is_kept_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "sudachi.sqlite"
    with sqlite3.connect(path) as old:
        old.execute("CREATE TABLE analyses (key TEXT PRIMARY KEY, value TEXT)")
        old.execute("INSERT INTO analyses VALUES ('text', '[]')")
    store = sudachi._Store(path, today=500)
    assert store.get_raw("text") == "[]"
    store.flush()
    assert list(sqlite3.connect(path).execute("SELECT key, used FROM analyses")) == [("text", 500)]
