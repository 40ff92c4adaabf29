"""Every sentence of the seed's policy text and meeting materials is in the built HTML.

Checked against the seed itself, not against our transcription: a sentence dropped or
reworded while transcribing is named in the failure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import SEED
from .htmltext import normalise, site_text

# Bullet glyphs and list numbering the site draws as list markers, not text.
_MARKER = re.compile(r"^(?:[-◆▶・*]\s*|\d+\.\s+|#+\s+)+")
_PAGE_REF = re.compile(r"\s*\.\.\.P\d+\s*$")
_HAS_WORD = re.compile(r"[0-9A-Za-z\u3040-\u30ff\u3400-\u9fff\uff10-\uff5a]")


def seed_units(seed: Path) -> list[tuple[int, str]]:
    """(line number, sentence) for the seed outside the 素案の改訂箇所 table."""
    lines = seed.read_text(encoding="utf-8").split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.strip() == "素案の改訂箇所")
    end = next(
        i
        for i, ln in enumerate(lines)
        if ln.strip() == "基幹系システム標準化と個人情報保護について"
    )
    units: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if start <= number - 1 < end:
            continue
        line = _PAGE_REF.sub(
            "", line.replace("**", "").replace("<https://", "https://").rstrip(">")
        )
        for cell in line.split("\t"):
            cell = _MARKER.sub("", cell.strip())
            for sentence in cell.split("。"):
                if _HAS_WORD.search(sentence):
                    units.append((number, sentence.strip()))
    return units


def test_seed_units_are_extracted() -> None:
    units = seed_units(SEED)
    assert len(units) > 400
    assert (
        1,
        "第4回上越市 ICT による情報化推進基本方針に係る有識者会議",
    ) not in units  # line 1 is blank
    assert any(s.startswith("平成13年1月、日本最初のIT戦略") for _, s in units)
    assert not any("バックヤードのシステム" in s for _, s in units)  # change table excluded


@pytest.mark.slow
def test_every_seed_sentence_is_in_the_site(draft_html: Path) -> None:
    text = normalise(site_text(draft_html))
    missing = [f"seed line {n}: {s}" for n, s in seed_units(SEED) if normalise(s) not in text]
    assert not missing, f"{len(missing)} seed sentences missing:\n" + "\n".join(missing[:60])


SECTION_HEADINGS = {
    "1/1-1": ("sec-1-1", "1-1.国の取組"),
    "1/1-6": ("sec-1-6", "1-6.策定の目的"),
    "2/2-2": ("sec-2-2", "2-2.上越市ICTによる情報化理念"),
    "3/3-1-1": ("sec-3-1-1", "3-1-1.基本方針① 行政手続等の利便性の向上"),
    "3/3-2-4": ("sec-3-2-4", "3-2-4.基本方針⑦ ICTリテラシーの向上"),
    "3/3-3-1": ("sec-3-3-1", "3-3-1.各基本方針の分類と国計画等との整合"),
    "4/4-3": ("sec-4-3", "4-3.実施計画完了までのフローと役割分担"),
    "meeting4/agenda": ("mtg4-agenda", "次第"),
}


@pytest.mark.slow
@pytest.mark.parametrize("page", sorted(SECTION_HEADINGS))
def test_sections_carry_their_label_and_numbered_heading(draft_html: Path, page: str) -> None:
    label, heading = SECTION_HEADINGS[page]
    html = (draft_html / f"{page}.html").read_text("utf-8")
    assert f'id="{label}"' in html
    h1 = re.search(r"<h1>(.*?)<a class=\"headerlink\"", html, re.S)
    assert h1 and heading in normalise_heading(h1.group(1))


def normalise_heading(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).strip()


@pytest.mark.slow
def test_search_index_holds_japanese_words_of_the_text(draft_html: Path) -> None:
    import json

    from hoshin.web.search_tokens import split_text

    raw = (draft_html / "searchindex.js").read_text("utf-8")
    index = json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])
    docs = index["docnames"]
    for word, page in (("オープンデータ", "3/3-1-2"), ("匿名加工情報", "meeting4/q-anonymized")):
        pieces = split_text(word)
        assert pieces, word
        found = None
        for piece in pieces:  # the query is cut like the index: every piece must be there
            hits: set[int] = set()
            for table in ("terms", "titleterms"):  # Sphinx keeps title words apart
                value = index[table].get(piece)
                hits |= {value} if isinstance(value, int) else set(value or ())
            found = hits if found is None else found & hits
        assert found and docs.index(page) in found, (word, pieces)
