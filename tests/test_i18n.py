"""The CLI in Japanese for a Japanese project, in English when asked (gettext + Babel)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from hoshin.cli import COMMANDS, main, make_parser
from hoshin.cli.i18n import LOCALE_DIR, choose_language, language, translate
from hoshin.cli.i18n_extract import texts

REPO = Path(__file__).resolve().parents[1]
PO = LOCALE_DIR / "ja" / "LC_MESSAGES" / "hoshin.po"
MO = PO.with_suffix(".mo")


def _catalog() -> dict[str, str]:
    with PO.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


def _cli_texts() -> set[str]:
    """What babel.cfg sends to the extractor (make i18n)."""
    package = REPO / "_ext" / "hoshin"
    patterns = [line[len("[hoshin_cli: "):-1] for line in (REPO / "babel.cfg").read_text("utf-8")
                .splitlines() if line.startswith("[hoshin_cli: ")]  # fmt: skip
    files = {f for pattern in patterns for f in package.glob(pattern.replace("**", "**/*"))}
    return {text for f in files for _, text in texts(f.read_text("utf-8"))}


def test_every_cli_text_has_its_japanese() -> None:
    catalog = _catalog()
    missing = sorted(t for t in _cli_texts() if not catalog.get(t))
    assert missing == [], "run `make i18n` and translate in hoshin.po:\n" + "\n".join(missing)


def test_the_compiled_catalog_is_the_po_file() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    assert MO.read_bytes() == compiled.getvalue(), "run `make i18n` (pybabel compile)"


@pytest.mark.parametrize("command", COMMANDS)
def test_help_of_every_command_in_japanese(command: str) -> None:
    parser = make_parser(only=command)
    sub = next(a for a in parser._actions if a.dest == "command")
    [cmd] = [p for name, p in sub.choices.items() if name.replace("import", "importing") == command]
    with language("ja"):
        helps = [a.help for a in cmd._actions if a.help] + [cmd.description or ""]
        english = [h for h in helps if h and translate(h) == h and any("a" <= c <= "z" for c in h)]
        assert english == []
        text = cmd.format_help()
    assert text.startswith("使い方: hoshin") and "オプション:" in text


def test_the_choice_of_language(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text('language = "ja"\n', "utf-8")
    project = ["-C", str(tmp_path), "check"]
    assert choose_language(project, {"LANG": "C.UTF-8"}) == "ja"  # the project's language
    assert choose_language(project, {"LANG": "C"}) == "en"  # asked through LANG
    assert choose_language(project, {"LANG": "en_GB.UTF-8"}) == "en"
    assert choose_language(project, {"LC_ALL": "ja_JP.UTF-8", "LANG": "C"}) == "ja"
    assert choose_language(["--lang", "en", *project], {"LANG": "ja_JP.UTF-8"}) == "en"
    assert choose_language(project, {"HOSHIN_LANG": "en"}) == "en"
    (tmp_path / "conf.py").write_text('language = "en"\n', "utf-8")
    assert choose_language(project, {}) == "en"
    assert choose_language(["init", "x"], {}) in ("ja", "en")


def test_release_stops_in_japanese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "town"
    assert main(["init", str(target), "--title", "町の方針", "--issuer", "町"]) == 0
    assert main(["-C", str(target), "freeze", "v1", "--summary", "最初の版"]) == 0
    chapter = target / "source/1/1-1.md"
    chapter.write_text(chapter.read_text("utf-8") + "- 町では、案内を見直します。\n", "utf-8")
    capsys.readouterr()
    assert main(["--lang", "ja", "-C", str(target), "release", "v2", "--summary", "見直し"]) == 1
    said = capsys.readouterr().err
    assert (
        "hoshin release: 手順「check」で止まりました（終了コード 1）: 上のデータの誤りを直して"
        in said
    )
    assert "「check」で停止" in said and "stopped" not in said
    assert main(["--lang", "en", "-C", str(target), "release", "v2", "--summary", "x"]) == 1
    assert "hoshin release: stopped at step 'check' (exit 1)" in capsys.readouterr().err


def test_errors_and_summaries_in_japanese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "keep.txt").write_text("x", "utf-8")
    assert main(["--lang", "ja", "init", str(tmp_path)]) == 2
    assert (
        "フォルダが既にあり、空ではありません。hoshin init は上書きしません"
        in capsys.readouterr().err
    )
    assert main(["--lang", "ja", "-C", str(tmp_path), "check"]) == 2
    assert "ここに conf.py がありません" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--lang", "ja", "diff", "v1"])
    assert "hoshin diff: エラー: 次の引数が必要です: NEW" in capsys.readouterr().err
    with language("ja"):
        assert (
            translate("hoshin check: 0 errors, 2 findings")
            == "hoshin check: エラー 0 件、指摘 2 件"
        )
        assert (translate("hoshin lint: 5 files, 1 errors, 0 warnings, 3 allowed by .textlintrc.json"
                          " (1.2 s)") == "hoshin lint: 5 ファイル、エラー 1 件、警告 0 件、"
                ".textlintrc.json で許可 3 件（1.2 秒）")  # fmt: skip


@pytest.mark.parametrize(
    ("english", "japanese"),
    [
        ("conf.py:4:10: the value of author: control character U+001B (ESC) is not allowed (an invisible "
         "character); delete it", "conf.py:4:10: author の値: 制御文字 U+001B（ESC） は使えません"
         "（目に見えない文字です）。削除してください"),
        ("glossary/terms.yaml:2:7: bidi control U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed "
         "(it shows text in another order than it is stored); delete it",
         "glossary/terms.yaml:2:7: 書字方向の制御文字 U+202E（RIGHT-TO-LEFT OVERRIDE） は使えません"
         "（書かれた順と違う順に文字を見せます）。削除してください"),
        ("revisions/history.yaml:1:1: file is empty", "revisions/history.yaml:1:1: ファイルが空です"),
        ("conf.py:7:1: unknown setting hoshin_isuer (did you mean 'hoshin_issuer'?)",
         "conf.py:7:1: 知らない設定 hoshin_isuer です（「hoshin_issuer」の誤りではありませんか）"),
    ],
)  # fmt: skip
def test_data_errors_in_japanese(english: str, japanese: str) -> None:
    """Errors of the data files and conf.py, which a Japanese project reads in Japanese."""
    with language("ja"):
        assert translate(english) == japanese


@pytest.mark.parametrize(
    ("english", "japanese"),
    [
        ("Line 3 sentence length(173) exceeds the maximum sentence length of 100.\nOver 73 "
         "characters.", "一文が 173 字あり、上限の 100 字を超えています。文を分けます。"),
        ('Disallow to use "！".', "「！」は使いません。"),
        ('Disallow to use 半角カタカナ: "ｶﾀｶﾅ"', "半角カタカナ「ｶﾀｶﾅ」は使いません。全角で書きます。"),
        ("Cannot find a pairing character for （.\n\n You should close this sentence with ）.\n"
         "This pair of marks is called 丸括弧（）.", "「（」の対になる「）」がありません（丸括弧（））。"),
        ("Zero width space is disallowed.", "ゼロ幅スペースは使いません。"),
    ],
)  # fmt: skip
def test_textlint_english_messages_in_japanese(english: str, japanese: str) -> None:
    line = f"source/1/1-1.md:3:1: error ja-technical-writing/x: {english}"
    with language("ja"):
        assert translate(line.replace("\n", " ")) == (
            f"source/1/1-1.md:3:1: error ja-technical-writing/x: {japanese}"
        )
    with language("en"):
        assert translate(line) == line


def test_machine_readable_output_is_never_translated() -> None:
    report = '[{"message": "Disallow to use \\"！\\".", "summary": "0 errors, 0 findings"}]'
    with language("ja"):
        assert translate(report) == report
