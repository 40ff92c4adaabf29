"""Opinions (issue 20): the YAML, the join with change records, the import, the checks.

Fast tests on small generated projects; the パブリックコメント project end to end is in
test_opinions_project.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from hoshin.cli import main
from hoshin.opinions.importer import parse_mapping, read_opinions
from hoshin.opinions.model import (
    DEFAULT_DISPOSITIONS,
    UNRECORDED_TEXT,
    load_opinions,
    response_text,
    summary_text,
)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _project(tmp_path: Path) -> Path:
    """hoshin init, one frozen version and a draft that changes one sentence (record No.1)."""
    root = tmp_path / "p"
    assert main(["init", str(root), "--title", "見本町みちづくり方針", "--issuer", "見本町"]) == 0
    _write(
        root / "source" / "index.md",
        "# 見本町みちづくり方針\n\n(sec-walk)=\n## 歩道\n\n歩道を順に整備します。\n",
    )
    assert main(["-C", str(root), "freeze", "v1", "--summary", "素案"]) == 0
    _write(
        root / "source" / "index.md",
        "# 見本町みちづくり方針\n\n(sec-walk)=\n## 歩道\n\n段差のない歩道を順に整備します。\n",
    )
    _write(
        root / "revisions" / "current" / "changes.yaml",
        """\
changes:
  - number: 1
    motive: 意見募集
    sections: [sec-walk]
    old: 歩道を順に整備します。
    new: 段差のない歩道を順に整備します。
    reason: 段差をなくしてほしいとの意見を受け
    opinions: ["bosyu:1"]
""",
    )
    return root


OPINIONS = """\
event: 意見募集
opinions:
  - id: 1
    sections: [sec-walk]
    summary: 歩道の段差をなくしてほしい。
    response: 段差のない歩道とします。
    disposition: 反映した
    records: [1]
    private:
      name: 見本 花子
  - id: 2
    summary: 街路樹を増やしてほしい。
    response: 今後の参考とします。
    disposition: 今後の参考とする
"""


def test_loading_keeps_no_private_data_and_positions_errors(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "revisions" / "opinions" / "bosyu.yaml", OPINIONS)
    data = load_opinions(tmp_path)
    assert data.errors == []
    first = data.events[0].opinions[0]
    assert first.ref == "bosyu:1" and first.records == (1,)
    assert "花子" not in repr(data)  # the private part is validated, then dropped
    _write(tmp_path / "revisions" / "opinions" / "bosyu.yaml", OPINIONS.replace(
        "disposition: 反映した", "disposition: 採用").replace("    private:\n", "    privat:\n"))  # fmt: skip
    messages = [str(e) for e in load_opinions(tmp_path).errors]
    assert any(m.startswith("revisions/opinions/bosyu.yaml:") and "unknown key 'privat'" in m
               for m in messages), messages  # fmt: skip
    bad = load_opinions(tmp_path, dispositions=("採用", "不採用")).errors
    assert bad and all(":" in str(e) for e in bad)
    _write(
        tmp_path / "revisions" / "opinions" / "bosyu.yaml",
        OPINIONS.replace("disposition: 反映した", "disposition: 採用"),
    )
    (error,) = load_opinions(tmp_path).errors
    assert str(error).startswith(
        "revisions/opinions/bosyu.yaml:7:18: 'disposition' must be one of 反映した"
    )


def test_check_joins_opinions_and_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path)
    _write(root / "revisions" / "opinions" / "bosyu.yaml", OPINIONS)
    capsys.readouterr()
    assert main(["-C", str(root), "check", "--only", "opinions", "--only", "opinion-links"]) == 0, (
        capsys.readouterr()
    )
    # unanswered, a reflected opinion without records, a record that does not exist, a record
    # citing an opinion that does not cite it back
    _write(root / "revisions" / "opinions" / "bosyu.yaml", OPINIONS.replace(
        "    records: [1]\n", "").replace("    disposition: 今後の参考とする\n", "    records: [9]\n"))  # fmt: skip
    assert main(["-C", str(root), "check", "--only", "opinion-links"]) == 1
    shown = capsys.readouterr().err
    assert "bosyu の意見 No.1 は「反映した」ですが、改版記録の No.（records）がありません" in shown
    assert "bosyu の意見 No.2 に対応区分（disposition）がありません" in shown
    assert "bosyu の意見 No.2 が挙げる改版記録 No.9 がありません" in shown
    assert (
        "revisions/current/changes.yaml:8:16: 改版記録 No.1 は意見 bosyu:1 を挙げていますが"
        in shown
    )


def test_a_record_whose_change_is_not_in_the_comparison(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    root = _project(tmp_path)
    _write(root / "revisions" / "opinions" / "bosyu.yaml", OPINIONS)
    _write(
        root / "source" / "index.md",
        "# 見本町みちづくり方針\n\n(sec-walk)=\n## 歩道\n\n歩道を順に整備します。\n",
    )
    capsys.readouterr()
    assert main(["-C", str(root), "check", "--only", "opinion-links"]) == 1
    assert "改版記録 No.1 の変更が新旧対照表にありません" in capsys.readouterr().err


def test_release_refuses_while_opinions_are_unanswered(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    root = _project(tmp_path)
    _write(root / "revisions" / "opinions" / "bosyu.yaml",
           OPINIONS.replace("    disposition: 今後の参考とする\n", ""))  # fmt: skip
    assert main(["-C", str(root), "release", "v2", "--event", "意見募集"]) == 1
    assert "opinions of the events of this version are not answered" in capsys.readouterr().err
    assert not (root / "revisions" / "v2").exists()


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


HEAD = ["受付番号", "意見の要旨", "氏名", "メールアドレス", "対応区分"]


def test_import_reports_unreadable_rows_by_number(tmp_path: Path) -> None:
    path = _sheet(tmp_path / "in.xlsx", [HEAD, [1, "歩道を広げて", "見本 太郎", "a@example.org", None],
                                         [2, None, "見本 次郎", None, None],
                                         [3, "=HYPERLINK(\"http://x\")", None, None, "採用"]])  # fmt: skip
    mapping = parse_mapping("id=受付番号,summary=意見の要旨")
    result = read_opinions(path, mapping, dispositions=DEFAULT_DISPOSITIONS)
    assert result.problems == [
        "Sheet!B4: 数式は取り込めません。文字として入力します（先頭に ' を付けます）",
        "Sheet!B3: 意見の概要 is empty",
        "Sheet!B4: 意見の概要 is empty",
        "Sheet!E4: 対応区分 '採用' is not one of 反映した、一部反映した、反映しない、今後の参考とする、その他",
    ]
    assert result.opinions[0]["private"] == {"name": "見本 太郎", "email": "a@example.org"}


def test_import_dry_run_then_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path)
    path = _sheet(tmp_path / "in.xlsx", [HEAD, [1, "歩道を広げて", "見本 太郎", "a@example.org", None],
                                         [2, "段差をなくして", "見本 次郎", "b@example.org", "反映した"]])  # fmt: skip
    argv = ["-C", str(root), "import", "opinions", str(path), "--event", "pc", "--name",
            "パブリックコメント", "--map", "id=受付番号,summary=意見の要旨"]  # fmt: skip
    assert main(argv) == 0
    shown = capsys.readouterr().out
    assert "1: 歩道を広げて（未回答／非公開: email・name）" in shown and "dry run" in shown
    assert "見本" not in shown and not (root / "revisions" / "opinions" / "pc.yaml").exists()
    assert main([*argv, "--write"]) == 0
    data = load_opinions(root)
    assert [o.summary for o in data.event("pc").opinions] == ["歩道を広げて", "段差をなくして"]
    # a second file appends (ids kept apart), existing opinions and comments stay as they were
    more = _sheet(tmp_path / "more.xlsx", [HEAD, [3, "ベンチを置いて", None, None, None]])
    assert main(["-C", str(root), "import", "opinions", str(more), "--event", "pc", "--map",
                 "id=受付番号,summary=意見の要旨", "--write"]) == 0  # fmt: skip
    text = (root / "revisions" / "opinions" / "pc.yaml").read_text(encoding="utf-8")
    assert text.startswith("# パブリックコメントで受けた意見") and "ベンチを置いて" in text
    assert len(load_opinions(root).event("pc").opinions) == 3


def test_import_of_cells_the_source_does_not_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --unrecorded, an empty 意見の概要 or 市の考え方 is written as not recorded in the
    source material, and the outputs say so; without it, an empty summary stops the import."""
    root = _project(tmp_path)
    head = ["番号", "意見の概要", "市の考え方", "対応区分"]
    path = _sheet(tmp_path / "in.xlsx", [head, [1, None, "段差を順に解消します。", "反映した"],
                                         [2, "ベンチを置いて", None, "その他"]])  # fmt: skip
    argv = ["-C", str(root), "import", "opinions", str(path), "--event", "pc", "--name",
            "意見交換会", "--map", "id=番号,response=市の考え方"]  # fmt: skip
    assert main([*argv, "--write"]) == 2
    assert "Sheet!B2: 意見の概要 is empty" in capsys.readouterr().err
    assert main([*argv, "--unrecorded"]) == 0
    shown = capsys.readouterr().out
    assert "1: （元資料に記載がありません）（反映した）" in shown
    assert main([*argv, "--unrecorded", "--write"]) == 0
    first, second = load_opinions(root).event("pc").opinions
    assert first.unrecorded == ("summary",) and first.response == "段差を順に解消します。"
    assert second.unrecorded == ("response",) and second.summary == "ベンチを置いて"
    assert summary_text(first) == UNRECORDED_TEXT == response_text(second)
    assert load_opinions(root).errors == []


def test_import_of_a_csv_and_a_bad_mapping(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path)
    csv_path = _write(
        tmp_path / "in.csv", "番号,意見の概要,電話番号\n1,歩道を広げて,025-000-0000\n2,,\n"
    )
    assert (
        main(
            [
                "-C",
                str(root),
                "import",
                "opinions",
                str(csv_path),
                "--event",
                "pc",
                "--name",
                "意見募集",
                "--write",
            ]
        )
        == 2
    )
    assert "in.csv:3: 意見の概要 is empty" in capsys.readouterr().err
    assert (
        main(
            [
                "-C",
                str(root),
                "import",
                "opinions",
                str(csv_path),
                "--event",
                "pc",
                "--name",
                "x",
                "--map",
                "summery=a",
            ]
        )
        == 2
    )
    assert "unknown field 'summery'" in capsys.readouterr().err


def test_embedded_edition_records_its_consultations_from_the_seed_only() -> None:
    """The seed publishes no opinion text and no answer: the embedded edition says so for every
    opinion (unrecorded summary and response, nothing written in the city's name) and cites, as
    the opinion's source, a verbatim part of the 改版理由 of the records it names; every record
    whose motive is a consultation is covered."""
    import re

    from hoshin.core.history import load_revisions
    from hoshin.opinions.render import result_table

    from .conftest import REPO

    opinions = load_opinions(REPO)
    revisions = load_revisions(REPO)
    assert opinions.errors == [] and revisions.errors == []
    names = {e.id: e.name for e in opinions.events}
    assert names == {"kaigi2": "第2回有識者会議", "kaigi3": "第3回有識者会議",
                     "chonai": "庁内意見照会", "kaigi4": "第4回有識者会議"}  # fmt: skip
    records = {r.no: r for r in revisions.all_records()}
    for opinion in opinions.all_opinions():
        assert opinion.summary is None and opinion.response is None, opinion.ref
        assert opinion.unrecorded == ("summary", "response")
        assert opinion.records, opinion
        source = opinion.source or ""
        match = re.fullmatch(r"改訂箇所の表 No\.(\d+) の改版理由「(.+)」(（No\.\d+ の改版理由は「〃」）)?",
                             source)  # fmt: skip
        assert match, source
        assert int(match[1]) == opinion.records[0]
        for number in opinion.records:
            assert match[2] in records[number].reason_resolved, (opinion.ref, number)
            assert records[number].motive == names[opinion.event]
    covered = {n for o in opinions.all_opinions() for n in o.records}
    consultations = {r.no for r in records.values() if r.motive in names.values()}
    assert covered == consultations == set(range(1, 13))
    assert opinions.event("kaigi4").opinions == ()  # questions asked, no opinion in the seed
    # what a reader sees: no sentence in the city's name, the source quoted as such
    table = result_table(opinions.event("kaigi2"), opinions)
    assert table.rows == (
        ("1", "（元資料に記載がありません）\n出所：改訂箇所の表 No.1 の改版理由「第2回有識者会議における、"
         "「情報化」という言葉に既に人それぞれの異なる定義があるとの指摘を受け」",
         "（元資料に記載がありません）", "反映した", "No.1"),
    )  # fmt: skip
    every_cell = "".join(
        "".join(r) for e in opinions.events for r in result_table(e, opinions).rows
    )
    assert "修正しました" not in every_cell


UNRECORDED = """\
event: 会議
opinions:
  - id: 1
    unrecorded: [summary, response]
    disposition: 反映した
    records: [1]
  - id: 2
    summary: 段差をなくしてほしい。
    disposition: 反映した
    records: [1]
  - id: 3
    unrecorded: [response, summery]
    summary: 街路樹を増やしてほしい。
    response: 参考とします。
    disposition: 今後の参考とする
  - id: 4
    disposition: その他
"""


def test_unrecorded_is_not_forgotten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A summary or response the source does not record is declared (unrecorded) and shown as
    such; one simply left out is an error or an unanswered opinion."""
    from hoshin.opinions.render import result_table

    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "revisions" / "opinions" / "kaigi.yaml", UNRECORDED)
    data = load_opinions(tmp_path)
    assert [str(e) for e in data.errors] == [
        "revisions/opinions/kaigi.yaml:12:18: 'response' is listed in 'unrecorded' but also "
        "written; keep one of them",
        "revisions/opinions/kaigi.yaml:12:28: 'unrecorded' may list summary, response; "
        "got 'summery'",
        "revisions/opinions/kaigi.yaml:16:9: opinion '4' has no 'summary'; write the city's "
        "summary, or list summary in 'unrecorded' when the source material does not record one",
    ]
    first, second = data.events[0].opinions[:2]
    assert first.answered() and not second.answered()
    rows = result_table(data.events[0], data).rows
    assert rows[0][1:3] == ("（元資料に記載がありません）", "（元資料に記載がありません）")
    assert rows[1][1:3] == ("段差をなくしてほしい。", "")  # forgotten: nothing made up for it

    root = _project(tmp_path)
    _write(root / "revisions" / "opinions" / "bosyu.yaml", UNRECORDED.split("  - id: 3")[0])
    capsys.readouterr()
    assert main(["-C", str(root), "check", "--only", "opinion-links"]) == 1
    shown = capsys.readouterr().err
    assert "bosyu の意見 No.2 に市の考え方（response）がありません" in shown
    assert "No.1 に市の考え方" not in shown


def test_editing_an_opinion_rereads_the_page(make_app, tmp_path: Path) -> None:
    import shutil

    src = tmp_path / "alone"
    shutil.copytree(Path(__file__).parent / "roots" / "test-opinions-alone", src)
    app = make_app("html", srcdir=src)
    app.build()
    data = src / "revisions" / "opinions" / "sample.yaml"
    data.write_text(
        data.read_text("utf-8").replace("街路樹を増やしてほしい。", "ベンチを置いてほしい。"),
        "utf-8",
    )
    app = make_app("html", srcdir=src)
    app.build()
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "ベンチを置いてほしい。" in page and "街路樹" not in page


def test_result_pdf_source_escapes_the_text_and_repeats_the_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The event's PDF is typeset from the published rows: text is escaped, never markup."""
    from hoshin.opinions.render import result_table
    from hoshin.opinions.result_pdf import ResultHeading, render_result_latex

    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "revisions" / "opinions" / "bosyu.yaml",
           OPINIONS.replace("歩道の段差をなくしてほしい。", r"段差を100%なくす\end{document}"))  # fmt: skip
    data = load_opinions(tmp_path)
    tex = render_result_latex(result_table(data.events[0], data), ResultHeading("方針", "見本町"))
    assert r"段差を100\%なくす\textbackslash{}end\{document\}" in tex
    assert tex.count(r"\end{document}") == 1
    # the first page's head and every later one's, the long name on two lines
    assert tex.count(r"{\gtfamily \shortstack{関連する\\改訂箇所}}") == 2
    assert "意見の概要と市の考え方（意見募集）" in tex and "花子" not in tex
    review = render_result_latex(result_table(data.events[0], data, review=True),
                                 ResultHeading("方針", "見本町", "審議用"))  # fmt: skip
    assert r"\fbox{審議用}" in review and "関係する節" in review
