"""hoshin's Japanese search replaces Sphinx's for the projects that load hoshin.web, and only them.

Sphinx has no public way to collect a page's words block by block, so hoshin.web sets the
HTML indexer's private ``_word_collector`` (and reads ``_mapping``/``_title_mapping`` and the
environment's ``_search_index_index_entries``): these tests pin those names to the Sphinx
versions pyproject allows. ``app.add_search_language`` fills a table shared by every Sphinx
application of the process, so hoshin registers its language under a key of its own
(``ja_hoshin``) instead of replacing ``ja``: a plain Sphinx project built in the same process
(the test suite, an editor's preview) keeps Sphinx's own Japanese search.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import sphinx
from packaging.specifiers import SpecifierSet
from sphinx.search import IndexBuilder, WordStore
from sphinx.search.ja import SearchJapanese

from hoshin.web.search import SearchJapaneseBigram

from .conftest import REPO

TEXT = "匿名加工情報の活用について説明します。"


def _project(root: Path, extensions: list[str]) -> Path:
    root.mkdir()
    (root / "conf.py").write_text(
        f'project = "search"\nlanguage = "ja"\nhtml_search_language = "ja"\n'
        f"extensions = {extensions!r}\n",
        encoding="utf-8",
    )
    (root / "index.md").write_text(f"# 検索\n\n{TEXT}\n", encoding="utf-8")
    return root


def _terms(app) -> set[str]:
    text = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    return set(json.loads(text.removeprefix("Search.setIndex(").removesuffix(")"))["terms"])


def test_a_plain_project_in_the_same_process_keeps_sphinx_japanese_search(
    make_app, tmp_path
) -> None:
    hoshin = make_app("html", srcdir=_project(tmp_path / "hoshin", ["myst_parser", "hoshin.web"]))
    hoshin.build()
    plain = make_app("html", srcdir=_project(tmp_path / "plain", ["myst_parser"]))
    plain.build()

    assert isinstance(hoshin.builder.indexer.lang, SearchJapaneseBigram)
    assert "報の" in _terms(hoshin)  # overlapping bigrams, across word boundaries

    lang = plain.builder.indexer.lang
    assert type(lang) is SearchJapanese
    assert "_word_collector" not in vars(plain.builder.indexer)  # Sphinx's own method
    expected = {w.lower() for w in SearchJapanese({}).split(TEXT) if lang.word_filter(w)}
    assert "報の" not in _terms(plain)
    assert expected & _terms(plain) == expected - {"。"}


def test_the_private_sphinx_names_hoshin_web_uses_exist_in_the_allowed_versions() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    allowed = next(d for d in project["dependencies"] if d.startswith("sphinx>"))
    assert sphinx.__version__ in SpecifierSet(allowed.removeprefix("sphinx"))
    assert callable(IndexBuilder._word_collector)
    assert IndexBuilder._word_collector.__annotations__.get("return") in (WordStore, "WordStore")
    source = Path(sphinx.search.__file__).read_text(encoding="utf-8")
    for name in ("self._mapping", "self._title_mapping", "env._search_index_index_entries"):
        assert name in source, name
