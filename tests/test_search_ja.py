"""Japanese site search: index and query are cut the same way (Python and JavaScript)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from hoshin.web.search_tokens import SPLIT_QUERY_JS, split_text

from .conftest import SEED


def test_japanese_runs_become_overlapping_bigrams() -> None:
    assert split_text("匿名加工情報") == ["匿名", "名加", "加工", "工情", "情報"]


def test_other_words_stay_whole_and_width_is_normalised() -> None:
    tokens = split_text("ＩＣＴとSociety5.0、ｶﾀｶﾅ")
    assert Counter(tokens) == Counter(["ICT", "と", "Society5", "0", "カタ", "タカ", "カナ"])


def test_punctuation_and_middle_dot_separate_runs() -> None:
    assert split_text("市、町・村") == ["市", "町", "村"]
    assert split_text("オープンデータ（公開）") == [
        "オー",
        "ープ",
        "プン",
        "ンデ",
        "デー",
        "ータ",
        "公開",
    ]


def test_characters_outside_the_basic_plane_count_as_one() -> None:
    assert split_text("𠮷野家") == ["𠮷野", "野家"]


def _sample_texts() -> list[str]:
    rng = random.Random(11)
    alphabet = "市町村理事会ーオプンデタ情報々〆ｶﾞﾀＡＢ１２ab_9 、。・（）𠮷\u3099-"
    texts = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(300)]
    return texts


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_browser_splitter_cuts_like_the_indexer(tmp_path: Path) -> None:
    texts = _sample_texts()
    script = tmp_path / "split.js"
    script.write_text(
        SPLIT_QUERY_JS
        + "\nconst texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        + "\nprocess.stdout.write(JSON.stringify(texts.map(splitQuery)));\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        ["node", str(script)], input=json.dumps(texts), capture_output=True, text=True, check=True
    )
    for text, js_tokens in zip(texts, json.loads(proc.stdout), strict=True):
        assert Counter(js_tokens) == Counter(split_text(text)), text


def _index(outdir: Path) -> dict:
    text = (outdir / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text.removeprefix("Search.setIndex(").removesuffix(")"))


@pytest.mark.sphinx("html", testroot="search-ja")
def test_index_holds_bigrams_across_inline_markup(app) -> None:
    app.build()
    index = _index(Path(app.outdir))
    docs = index["docnames"]
    terms = index["terms"]

    def pages(term: str) -> set[str]:
        found = terms.get(term, [])
        return {docs[i] for i in (found if isinstance(found, list) else [found])}

    assert pages("報の") == {"index"}  # 匿名加工情報 is bold, の is not
    assert pages("ict") == {"index"}
    assert pages("カナ") == {"index"}
    assert pages("事会") == {"other"}
    assert not pages("注記")  # class no-search
    assert not pages("議録")  # HTML comments are not text
    language_data = (Path(app.outdir) / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "var splitQuery" in language_data


def test_lone_japanese_characters_are_indexed_latin_letters_and_digits_are_not() -> None:
    from hoshin.web.search import SearchJapaneseBigram

    language = SearchJapaneseBigram({})
    assert language.word_filter("税")
    assert language.word_filter("理事")
    assert not language.word_filter("a")
    assert not language.word_filter("2021")
    assert language.word_filter("ai")
