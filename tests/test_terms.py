"""Term matching, hard-word candidates and the unexplained-term check (pure Python)."""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hoshin.glossary.model import read_glossary
from hoshin.glossary.term_check import TermChecker, check_sources, prose_only
from hoshin.glossary.terms import TermMatcher, coinages, find_candidates, nfkc_with_offsets

from .conftest import REPO

MATCHER = TermMatcher([
    ("ICT", "ict"), ("ICTリテラシー", "ict-literacy"), ("RFI", "rfi"), ("クラウド", "cloud"),
    ("クラウド・バイ・デフォルト", "cbd"), ("5G", "5g"), ("ローカル5G", "local-5g"), ("IT", "it"),
    ("インターフェース", "if"), ("インタフェース", "if"),
])  # fmt: skip


def _hits(text: str) -> list[tuple[str, str]]:
    return [(h.surface, h.key) for h in MATCHER.find(text)]


def test_longest_match_first() -> None:
    assert _hits("ICTリテラシーとICT") == [("ICTリテラシー", "ict-literacy"), ("ICT", "ict")]
    assert _hits("ICTリテラを") == [("ICT", "ict")]
    assert _hits("ローカル5Gと5G") == [("ローカル5G", "local-5g"), ("5G", "5g")]


def test_latin_terms_need_latin_boundaries_but_not_kana_ones() -> None:
    assert _hits("RFIを実施") == [("RFI", "rfi")]
    assert _hits("SRFI、RFIX、RFI2、5GB、ITS") == []
    assert _hits("（RFI）とIT基本法") == [("RFI", "rfi"), ("IT", "it")]


def test_nfkc_variants_map_back_to_the_original_text() -> None:
    text = "全角のＩＣＴと半角のｸﾗｳﾄﾞ"
    hits = MATCHER.find(text)
    assert [(h.surface, h.key) for h in hits] == [("ＩＣＴ", "ict"), ("ｸﾗｳﾄﾞ", "cloud")]
    assert [text[h.start : h.end] for h in hits] == ["ＩＣＴ", "ｸﾗｳﾄﾞ"]
    normal, starts, ends = nfkc_with_offsets("ｶﾞ㈱")
    assert normal == "ガ(株)" and starts == [0, 2, 2, 2] and ends == [2, 3, 3, 3]


def test_aliases_and_nakaguro_variants() -> None:
    assert _hits("インタフェースとクラウドバイデフォルト") == [
        ("インタフェース", "if"), ("クラウドバイデフォルト", "cbd")]  # fmt: skip


@given(st.lists(st.sampled_from(["ICT", "リテラシー", "RFI", "S", "を", "5G", "ローカル", "ク",
                                 "ラウド", "・", "X", "IT"]), max_size=12))  # fmt: skip
@settings(max_examples=300, deadline=None)
def test_matches_equal_a_brute_force_leftmost_longest_scan(parts: list[str]) -> None:
    text = "".join(parts)
    words = sorted(MATCHER.keys, key=len, reverse=True)
    expected, i = [], 0
    while i < len(text):
        for word in words:
            end = i + len(word)
            ok = text.startswith(word, i)
            if ok and word[0].isascii() and i and text[i - 1].isascii() and text[i - 1].isalnum():
                ok = False
            if (
                ok
                and word[-1].isascii()
                and end < len(text)
                and text[end].isascii()
                and text[end].isalnum()
            ):
                ok = False
            if ok:
                expected.append((word, MATCHER.keys[word]))
                i = end
                break
        else:
            i += 1
    assert _hits(text) == expected


def test_matching_is_linear_in_the_text() -> None:
    glossary = read_glossary(REPO / "glossary")
    matcher = TermMatcher((s, e.id) for e in glossary.entries for s in e.surfaces())
    chunk = "市ではオープンデータとクラウドの利活用を進め、ICTリテラシーの向上を図ります。\n" * 50
    best = {}
    gc.disable()  # its pauses grow with the number of live objects, not with the matcher
    try:
        for repeat in (10, 40):
            text = chunk * repeat
            runs = []
            for _ in range(5):  # best of five, in this process's CPU time: a busy machine's
                start = time.process_time()  # other work does not count
                matcher.find(text)
                runs.append(time.process_time() - start)
            best[repeat] = min(runs)
    finally:
        gc.enable()
    assert best[40] < best[10] * 4 * 2  # 4× the text, at most 8× the time


# --- candidates -----------------------------------------------------------------------


def _candidates(text: str) -> list[tuple[str, str]]:
    return [(c.word, c.kind) for c in find_candidates(text)]


def test_acronyms_katakana_coinages_and_long_compounds() -> None:
    found = _candidates("RFIとSaaS、5G、G20、COVID-19、Society5.0、e-Japan、1-5.ICTの節")
    assert [w for w, k in found if k == "acronym"] == [
        "RFI", "SaaS", "5G", "G20", "COVID-19", "Society5.0", "ICT"]  # fmt: skip
    assert ("アウトソーシング", "katakana") in _candidates("業務のアウトソーシングを検討")
    assert ("クラウド・バイ・デフォルト", "katakana") in _candidates(
        "クラウド・バイ・デフォルトの原則"
    )
    assert _candidates("ⅡとⅢ") == []


def test_coinages_are_suffixes_the_dictionary_does_not_list_whole() -> None:
    assert [w for w, k in _candidates("業務システムの強靱化と二重化") if k == "coinage"] == [
        "強靱化", "二重化"]  # fmt: skip
    assert [w for w, k in _candidates("業務の効率化と標準化の必要性") if k == "coinage"] == []
    assert coinages("高付加価値化") == [(0, 6)]


def test_long_compounds_skip_names_of_places_and_offices() -> None:
    assert ("個人情報取扱事務登録簿", "compound") in _candidates("個人情報取扱事務登録簿を作成")
    assert not [c for c in _candidates("上越市総務管理部総務管理課") if c[1] == "compound"]


# --- the check --------------------------------------------------------------------------

CHAPTER = """\
---
seed_page: 3
---
(sec-x)=
# 見出しのICT

本文のICTとクラウドです。

```{code-block}
アジャイル
```

`アジャイル` と {term}`アジャイル` と [リンク](https://example.org/アジャイル) は数えません。

- 二つ目の項目では、業務のアジャイル化を検討します。
"""


@pytest.fixture
def checker(tmp_path: Path) -> TermChecker:
    glossary = tmp_path / "glossary"
    glossary.mkdir()
    (glossary / "a.yaml").write_text(
        "- {term: ICT, reading: あいしーてぃー, id: ict, definition: 技術です。, kind: 略語, "
        "treatment: 説明を付ける, source: テスト}\n"
        "- {term: クラウド, reading: くらうど, id: cloud, definition: 仕組みです。, kind: 外来語, "
        "treatment: 説明を付ける, source: テスト}\n", encoding="utf-8")  # fmt: skip
    return TermChecker(read_glossary(glossary))


def test_prose_only_blanks_markup_but_keeps_lines_and_columns() -> None:
    prose = prose_only(CHAPTER)
    assert len(prose) == len(CHAPTER)
    assert prose.count("\n") == CHAPTER.count("\n")
    assert "seed_page" not in prose and "sec-x" not in prose and "code-block" not in prose
    assert prose.count("アジャイル") == 1  # only the prose occurrence on the last line


def test_unexplained_katakana_word_is_reported_at_its_line_and_column(
    checker: TermChecker,
) -> None:
    findings = checker.check_text(CHAPTER, "source/x.md")
    assert [(f.line, f.col, f.word) for f in findings] == [(15, 15, "アジャイル")]
    assert str(findings[0]).startswith("source/x.md:15:15: unexplained term 'アジャイル': ")


def test_known_paraphrase_is_suggested(checker: TermChecker) -> None:
    (finding,) = checker.check_text("業務のアウトソーシングを進めます。\n")
    assert finding.word == "アウトソーシング" and "外部委託" in finding.suggestion


def test_embedded_edition_has_no_unexplained_terms() -> None:
    checker = TermChecker(read_glossary(REPO / "glossary"))
    findings = check_sources(REPO / "source", checker, REPO)
    assert [str(f) for f in findings] == []


def test_adding_a_katakana_word_to_a_chapter_is_reported(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    original = (REPO / "source" / "3" / "3-2-4.md").read_text(encoding="utf-8")
    lines = original.split("\n")
    lines.insert(10, "- 研修ではアジャイルな開発手法も学びます。")
    (source / "3-2-4.md").write_text("\n".join(lines), encoding="utf-8")
    findings = check_sources(source, TermChecker(read_glossary(REPO / "glossary")), tmp_path)
    assert [(f.path, f.line, f.col, f.word) for f in findings] == [
        ("source/3-2-4.md", 11, 7, "アジャイル")]  # fmt: skip
