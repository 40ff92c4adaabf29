"""``hoshin glossary list|suggest|check`` and the glossary checks of ``hoshin check``, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hoshin.cli import main
from hoshin.core.yamlio import load_yaml
from hoshin.glossary.model import load_glossary

CHAPTER = """\
(sec-1)=
# 1.はじめに

市はクラウドの利用を進めます。
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "conf.py").write_text('extensions = ["hoshin"]\n', encoding="utf-8")
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "index.md").write_text(CHAPTER, encoding="utf-8")
    glossary = tmp_path / "glossary"
    glossary.mkdir()
    (glossary / "ka.yaml").write_text(
        "- term: クラウド\n  reading: くらうど\n  id: cloud\n  definition: 仕組みです。\n"
        "  kind: 外来語\n  treatment: 説明を付ける\n  source: テスト\n", encoding="utf-8")  # fmt: skip
    (glossary / "allowlist.yaml").write_text("- {word: ノート, reason: 日常語}\n", encoding="utf-8")
    return tmp_path


def _add_line(project: Path, line: str) -> None:
    path = project / "source" / "index.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")


def test_list(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(project), "glossary", "list"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "か行", "  クラウド（くらうど） #term-cloud [外来語・説明を付ける]",
        "1 entries, 1 allowlist words"]  # fmt: skip
    assert main(["-C", str(project), "glossary", "list", "--format", "json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["id"] == "cloud" and entry["row"] == "か行"


def test_suggest_gives_an_entry_that_loads_once_completed(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_line(project, "ノートとアジャイルの話です。")
    assert (
        main(["-C", str(project), "glossary", "suggest", "アジャイル", "クラウド", "ノート"]) == 0
    )
    out = capsys.readouterr().out
    assert "# 「クラウド」は用語集にあります: glossary/ka.yaml:1（id: cloud）" in out
    assert "# 「ノート」は許可リストにあります: glossary/allowlist.yaml:1（日常語）" in out
    assert "#   本文: source/index.md:6:5" in out
    snippet = out[out.index("# glossary/a.yaml") : out.index("# 「クラウド」")]
    assert "  reading: あじゃいる\n" in snippet and "  kind: 外来語\n" in snippet
    snippet = snippet.replace("（やさしい です・ます の 1〜2 文）", "開発の進め方です。")
    snippet = snippet.replace("（説明の出典）", "テスト")
    (project / "glossary" / "a.yaml").write_text(snippet, encoding="utf-8")
    assert [e.id for e in load_glossary(project / "glossary")] == ["ajairu", "cloud"]


def test_suggest_reads_acronyms_letter_by_letter() -> None:
    from hoshin.cli.commands.glossary import propose_id, propose_reading

    assert propose_reading("RFI") == "あーるえふあい"
    assert propose_reading("ICT") == "あいしーてぃー"
    assert propose_id("RFI", "あーるえふあい", set()) == "rfi"
    assert propose_id("匿名加工情報", "とくめいかこうじょうほう", set()) == "tokumeikakojoho"
    assert propose_id("RFI", "", {"rfi"}) == "rfi-2"


def test_check_reports_unexplained_terms_and_exits_1(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-C", str(project), "glossary", "check"]) == 0
    _add_line(project, "新たにノートとアジャイルな手法を導入します。")
    assert main(["-C", str(project), "glossary", "check"]) == 1
    out = capsys.readouterr().out
    assert "source/index.md:6:8: unexplained term 'アジャイル': " in out


def test_hoshin_check_runs_the_glossary_checks(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["-C", str(project), "check", "--only", "glossary", "--only", "terms"]
    assert main(args) == 1  # the allowlisted ノート does not occur yet
    assert (
        "glossary/allowlist.yaml:1:3: allowlist word 'ノート' does not occur in the text"
        in capsys.readouterr().err
    )
    _add_line(project, "ノートに書きます。アジャイルです。")
    assert main(args) == 1
    assert "source/index.md:6:10: unexplained term 'アジャイル'" in capsys.readouterr().err
    (project / "glossary" / "a.yaml").write_text("- term: [broken\n", encoding="utf-8")
    assert main(args) == 2
    assert "glossary/a.yaml:2:1: invalid YAML" in capsys.readouterr().err


def test_bad_glossary_makes_list_exit_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "glossary" / "ka.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("くらうど", "クラウド"), "utf-8")
    assert main(["-C", str(project), "glossary", "list"]) == 2
    assert "ka.yaml:2:12: 'reading' 'クラウド' must be hiragana" in capsys.readouterr().err
    doc = load_yaml(path)
    assert doc.data[0]["reading"] == "クラウド"
