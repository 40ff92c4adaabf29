"""The glossary as data: reading order (JIS X 4061), the loader's errors, the embedded glossary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hoshin.glossary.model import GlossaryEntry, GlossaryError, load_glossary, read_glossary
from hoshin.glossary.reading import romanize, row_of, sort_key, spell_out

from .conftest import REPO, SEED

ENTRY = """\
- term: {term}
  reading: {reading}
  id: {id}
  definition: 説明です。
  kind: 外来語
  treatment: 説明を付ける
  source: テスト
"""


def _entry(term: str, reading: str, id_: str, **extra: str) -> str:
    text = ENTRY.format(term=term, reading=reading, id=id_)
    return text + "".join(f"  {k}: {v}\n" for k, v in extra.items())


def _terms_in_order(tmp_path: Path, entries: list[tuple[str, str]]) -> list[str]:
    text = "".join(_entry(t, r, f"t{i}") for i, (t, r) in enumerate(entries))
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    return [e.term for e in load_glossary(tmp_path)]


def test_kanji_katakana_and_latin_terms_interleave_by_reading(tmp_path: Path) -> None:
    order = _terms_in_order(tmp_path, [
        ("匿名加工情報", "とくめいかこうじょうほう"), ("RFI", "あーるえふあい"),
        ("クラウド", "くらうど"), ("ICT", "あいしーてぃー"), ("基幹系業務システム", "きかんけいぎょうむしすてむ"),
        ("DX", "でぃーえっくす"), ("オープンデータ", "おーぷんでーた"), ("アウトソーシング", "あうとそーしんぐ"),
        ("冗長化", "じょうちょうか"), ("SaaS", "さーす"), ("5G", "ふぁいぶじー"), ("利活用", "りかつよう"),
    ])  # fmt: skip
    assert order == ["RFI", "ICT", "アウトソーシング", "オープンデータ", "基幹系業務システム",
                     "クラウド", "SaaS", "冗長化", "DX", "匿名加工情報", "5G", "利活用"]  # fmt: skip


def test_jis_x_4061_tie_breaks() -> None:
    # ー reads as the vowel it lengthens: あーく sorts with ああく, after it, before ああけ.
    assert sorted(["ああけ", "あーく", "ああく"], key=sort_key) == ["ああく", "あーく", "ああけ"]
    # voiced and semi-voiced kana sort with their plain kana, plain first.
    assert sorted(["はあ", "ぱ", "ば", "は", "ひ"], key=sort_key) == [
        "は",
        "ば",
        "ぱ",
        "はあ",
        "ひ",
    ]
    # small kana with their large forms, large first.
    assert sorted(["きゃく", "きやく", "きゃ", "きや"], key=sort_key) == [
        "きや", "きゃ", "きやく", "きゃく"]  # fmt: skip


@pytest.mark.parametrize(("reading", "row"), [
    ("あーるえふあい", "あ行"), ("がばめんと", "か行"), ("じょうちょうか", "さ行"),
    ("でぃーえっくす", "た行"), ("ぱっけーじ", "は行"), ("ゔぁ", "あ行"), ("をかし", "わ行"),
])  # fmt: skip
def test_rows(reading: str, row: str) -> None:
    assert row_of(reading)[1] == row


def test_reading_helpers() -> None:
    assert spell_out("RFI") == "あーるえふあい"
    assert spell_out("G20") == "じーにぜろ"
    assert romanize("じょうちょうか") == "jochoka"
    assert romanize("ばっくおふぃす") == "bakkuofisu"


@pytest.mark.parametrize(("text", "message", "line", "col"), [
    (_entry("RFI", "あーるえふあい", "rfi") + _entry("RFI", "あーる", "rfi2"),
     "duplicate term 'RFI' (first entry at", 8, 9),
    (_entry("RFI", "あーるえふあい", "rfi") + _entry("情報提供依頼", "じょうほう", "rfi"),
     "duplicate id 'rfi' (first used at", 10, 7),
    (_entry("RFI", "あーるえふあい", "rfi").replace("  reading: あーるえふあい\n", ""),
     "missing required key 'reading'", 1, 3),
    (_entry("RFI", "RFI", "rfi"), "'reading' 'RFI' must be hiragana", 2, 12),
    (_entry("冗長化", "ジョウチョウカ", "jochoka"), "must be hiragana", 2, 12),
    (_entry("クラウド", "くらうど", "cloud")
     + _entry("インターフェース", "いんたーふぇーす", "if", aliases="[インタフェース, クラウド]"),
     "alias 'クラウド' clashes with the term 'クラウド'", 15, 22),
    (_entry("インターフェース", "いんたーふぇーす", "if", aliases="[インタフェース]")
     + _entry("インタフェース", "いんたふぇーす", "if2"),
     "'インタフェース' clashes with the alias 'インタフェース' of 'インターフェース'", 9, 9),
    (_entry("ＲＦＩ", "あーるえふあい", "rfi") + _entry("RFI", "あーる", "rfi2"),
     "duplicate term", 8, 9),
    (_entry("RFI", "あーるえふあい", "RFI"), "'id' 'RFI' does not match", 3, 7),
    (_entry("RFI", "あーるえふあい", "rfi", treatment="言い換える")
     .replace("  treatment: 説明を付ける\n", ""), "treatment 言い換える needs a 'paraphrase'", 7, 14),
])  # fmt: skip
def test_bad_entries_are_reported_at_file_line_col(
    tmp_path: Path, text: str, message: str, line: int, col: int
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    data = read_glossary(tmp_path)
    assert data.errors, "expected an error"
    error = data.errors[0]
    assert (error.path, error.line, error.col) == (str(path), line, col), str(error)
    assert message in error.message
    with pytest.raises(GlossaryError) as raised:
        load_glossary(tmp_path)
    assert str(raised.value).startswith(f"{path}:{line}:{col}: ")


def test_bad_yaml_and_bad_allowlist_are_errors_too(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("- term: [unclosed\n", encoding="utf-8")
    (tmp_path / "allowlist.yaml").write_text("- {word: データ}\n", encoding="utf-8")
    messages = [str(e) for e in read_glossary(tmp_path).errors]
    assert any("a.yaml:2:1: invalid YAML" in m for m in messages), messages
    assert any("allowlist.yaml:1:3: 許可語: missing required key 'reason'" in m for m in messages)


def test_missing_directory_is_an_empty_glossary(tmp_path: Path) -> None:
    assert load_glossary(tmp_path / "nowhere") == []


def test_surfaces_include_nfkc_and_nakaguro_variants() -> None:
    entry = GlossaryEntry("クラウド・バイ・デフォルト", "くらうど", "c", "d", "外来語", "そのまま", "s",
                          aliases=("ＣＢＤ",))  # fmt: skip
    assert set(entry.surfaces()) == {
        "クラウド・バイ・デフォルト",
        "クラウドバイデフォルト",
        "ＣＢＤ",
        "CBD",
    }


# --- the embedded edition's glossary ---------------------------------------------------

ROW12_TERMS = ("オフィスコンピュータ", "超高速ブロードバンド", "インターフェース", "バックオフィス",
               "パッケージ", "冗長化", "基礎アプリケーション", "アウトソーシング", "RFI")  # fmt: skip


@pytest.fixture(scope="module")
def embedded() -> list[GlossaryEntry]:
    return load_glossary(REPO / "glossary")


def test_embedded_glossary_loads_clean(embedded: list[GlossaryEntry]) -> None:
    data = read_glossary(REPO / "glossary")
    assert data.errors == []
    assert len(embedded) >= 120
    # one or two sentences of です・ます
    polite = re.compile(r"(?:[^。]+(?:です|ます|でした|ました|ません)。){1,2}")
    assert [e.term for e in embedded if not polite.fullmatch(e.definition)] == []


def test_row_12_terms_are_entries_that_say_what_happened_to_them(
    embedded: list[GlossaryEntry],
) -> None:
    by_term = {e.term: e for e in embedded}
    seed = SEED.read_text(encoding="utf-8")
    row12 = next(line for line in seed.splitlines() if line.startswith("12\t"))
    for term in ROW12_TERMS:
        assert f"「{term}」" in row12
        entry = by_term[term]
        assert re.search(r"素案の改訂箇所 No\.(?:10、No\.)?12", entry.note), term
    # the replacement the seed's table shows (row 10), and the two terms _83 keeps with help
    assert by_term["冗長化"].paraphrase == "二重化"
    assert "二重化" in seed and "「RFI(情報提供依頼)」" in by_term["RFI"].note
    assert "総務省基準による" in by_term["超高速ブロードバンド"].note


def test_paraphrase_treatment_only_for_words_the_text_no_longer_uses(
    embedded: list[GlossaryEntry],
) -> None:
    """言い換える becomes a lint rule with a fix: it must not fire on the city's own text."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "source").rglob("*.md"))
    for entry in embedded:
        if entry.treatment == "言い換える":
            assert not any(s in text for s in entry.surfaces()), entry.term


def test_ids_are_stable_ascii_and_files_follow_rows(embedded: list[GlossaryEntry]) -> None:
    for entry in embedded:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.id)
        assert Path(entry.path).stem == entry.row[0], (entry.term, entry.path)
