"""hoshin/desumasu: 常体 sentence ends among です・ます (and the reverse), read with Sudachi.

Pure tests (no textlint): the rule returns textlint-format messages; test_lint.py checks the
same rule's finding at its line and column in a real textlint run (planted/joutai.md), and
that the embedded edition lints clean with its allowances.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hoshin.core.yamlio import DataError
from hoshin.lint import desumasu
from hoshin.lint.desumasu import desumasu_messages, sentence_endings
from hoshin.lint.ownrules import OwnRules, enabled_rules

from .conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "lint" / "desumasu"


def _where(text: str, message: dict[str, object]) -> tuple[int, int]:
    """Line and column of a message (its range is in UTF-16 units; these texts are BMP)."""
    offset = message["range"][0]  # type: ignore[index]
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _reported(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in desumasu_messages(text):
        line, col = _where(text, m)
        quote = str(m["message"]).split("（「")[1].split("」）")[0]
        out.append((line, col, quote))
    return out


def test_plain_verb_adjective_and_list_item_ends_among_desumasu_are_reported() -> None:
    text = (FIXTURES / "mixed.md").read_text(encoding="utf-8")
    assert _reported(text) == [
        (9, 13, "…サービスの質の向上を図る。"),
        (9, 25, "業務の効率化を推進する。"),
        (11, 8, "紙の書類は必要ない。"),
        (14, 9, "窓口の案内を見直す。"),  # a list item that is a sentence (句点)
    ]  # items without 句点 (「職員が取り組む」「情報の共有化」) are entries, not sentences
    message = desumasu_messages(text)[0]
    assert message["ruleId"] == "hoshin/desumasu"
    assert message["message"] == (
        "です・ます調の文書に常体の文末があります（「…サービスの質の向上を図る。」）。"
        "文末をそろえてください（この文書はです・ます調 5 文、常体 4 文）"
    )


def test_an_ordinance_in_joutai_has_no_finding() -> None:
    text = (FIXTURES / "jorei.md").read_text(encoding="utf-8")
    styles = {e.style for e in sentence_endings(text)}
    assert styles == {desumasu.PLAIN}  # its sentence ends are read, and all are 常体
    assert desumasu_messages(text) == []


def test_a_desumasu_sentence_in_a_joutai_document_is_the_minority() -> None:
    text = (FIXTURES / "jorei.md").read_text(encoding="utf-8")
    text += "\nこの条例の施行期日は、規則で定めます。\n"
    assert [q for _, _, q in _reported(text)] == ["…行期日は、規則で定めます。"]
    assert "常体の文書にです・ます調の文末があります" in desumasu_messages(text)[0]["message"]


def test_headings_tables_quotes_code_and_lists_of_nouns_are_not_sentences() -> None:
    text = (FIXTURES / "skipped.md").read_text(encoding="utf-8")
    ends = sentence_endings(text)
    assert {e.style for e in ends} == {desumasu.POLITE}
    assert len(ends) == 6
    assert desumasu_messages(text) == []


def test_a_tie_counts_as_desumasu() -> None:
    assert [q for _, _, q in _reported("計画を定めます。\n\n計画を見直す。\n")] == [
        "計画を見直す。"
    ]


def test_positions_count_crlf_and_characters_outside_the_bmp() -> None:
    text = "𠮷田市は計画を定めます。方針も定めます。\r\n\r\n計画を見直す。\r\n"
    (message,) = desumasu_messages(text)
    at = text.index("見直す")
    assert text[: text.rfind("\n", 0, at) + 1].count("\n") + 1 == 3
    assert message["range"] == [at + 1, at + 2]  # UTF-16 units: 𠮷 counts two


def test_the_rule_is_switched_in_the_hoshin_section(tmp_path: Path) -> None:
    rc = tmp_path / ".textlintrc.json"
    assert enabled_rules({}, rc) == ["hoshin/desumasu"]
    assert enabled_rules({"hoshin": {"desumasu": False}}, rc) == []
    with pytest.raises(DataError, match=r'"hoshin\.desumasu" must be true or false'):
        enabled_rules({"hoshin": {"desumasu": "yes"}}, rc)
    off = OwnRules({"hoshin": {"desumasu": False}}, rc, None)
    assert off.messages(tmp_path / "a.md", "計画を定めます。計画を見直す。計画を作ります。") == []


def test_results_are_cached_per_file_and_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page, text = tmp_path / "a.md", "計画を定めます。計画を見直す。計画を作ります。"
    first = OwnRules({}, tmp_path / "rc", tmp_path / "cache")
    got = first.messages(page, text, store=True)
    first.save()
    assert len(got) == 1

    def fail(_: str) -> list[object]:
        raise AssertionError("analysed again")

    monkeypatch.setattr(desumasu, "desumasu_messages", fail)
    again = OwnRules({}, tmp_path / "rc", tmp_path / "cache")
    assert again.messages(page, text) == got
    with pytest.raises(AssertionError, match="analysed again"):
        again.messages(page, text + "方針を改めます。")


def test_sudachi_is_loaded_only_when_the_rule_runs() -> None:
    code = (
        "import sys, json\n"
        "import hoshin.lint.textlint, hoshin.cli.commands.lint\n"
        "before = 'sudachipy' in sys.modules\n"
        "from hoshin.lint.desumasu import desumasu_messages\n"
        "desumasu_messages('計画を定めます。計画を見直す。')\n"
        "print(json.dumps([before, 'sudachipy' in sys.modules]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert json.loads(out.stdout) == [False, True]
