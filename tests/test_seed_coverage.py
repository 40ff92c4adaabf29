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
