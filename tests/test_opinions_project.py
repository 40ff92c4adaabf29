"""A パブリックコメント round end to end (issue 20), on the fictional project tests/projects/pubcomment.

30 opinions written for the test arrive as a .xlsx export of a web form, with personal
data in columns of their own (a name, an address, an e-mail, a phone number, the original
text): ``hoshin import opinions`` previews and writes them, ``hoshin check`` joins them to
the change records, ``hoshin build`` publishes 「意見の概要と市の考え方」 with counts and its
.xlsx/.docx, and the 新旧対照表 links each reason to the opinions behind it. The privacy
test proves that none of the personal data reaches any file of the public or the review
edition (pages, hoshin's search text store, office files; the PDFs in the slow test).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from hoshin.cli import main

DATA = Path(__file__).parent / "projects" / "pubcomment"
#: Personal data planted in every row (fictional; .invalid never resolves).
NAME, ADDRESS = "架空野 花子", "みどり町中央一丁目2番3号"
EMAIL, PHONE = "hanako.kakuuno@example.invalid", "0120-555-0123"
ORIGINAL = "原文のみに書いた一文"
PLANTED = (NAME, ADDRESS, EMAIL, PHONE, ORIGINAL, "架空野", "kakuuno", "555-0123")


def _replace(src: Path, dest: Path) -> None:
    shutil.rmtree(dest)
    shutil.copytree(src, dest)


def _rows() -> list[list[str]]:
    lines = (DATA / "opinions.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip()]


def _form_export(path: Path) -> Path:
    """The web form's export: the city's columns plus the personal ones, in another order."""
    head, *rows = _rows()
    book = Workbook()
    sheet = book.active
    sheet.append(["受付番号", "受付日", "氏名", "住所", "メールアドレス", "電話番号", "意見（原文）",
                  *head[2:]])  # fmt: skip
    for i, row in enumerate(rows, start=1):
        sheet.append([int(row[0]), row[1], f"{NAME}{i}", ADDRESS, EMAIL, PHONE,
                      f"{ORIGINAL}（{i}）{row[3]}", *row[2:]])  # fmt: skip
    book.save(path)
    return path


def start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    root = tmp_path / "pubcomment"
    assert main(["init", str(root), "--title", "みどり町自転車活用推進計画", "--issuer", "みどり町",
                 "--slug", "pubcomment"]) == 0  # fmt: skip
    _replace(DATA / "v1" / "source", root / "source")
    _replace(DATA / "glossary", root / "glossary")
    assert main(["-C", str(root), "freeze", "v1", "--summary", "案", "--date", "2025-04"]) == 0
    _replace(DATA / "v2" / "source", root / "source")
    (root / "revisions" / "current").mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "changes-v2.yaml", root / "revisions" / "current" / "changes.yaml")
    capsys.readouterr()
    return root


def import_opinions(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = _form_export(tmp_path / "form-export.xlsx")
    argv = ["-C", str(root), "import", "opinions", str(export), "--event", "pc",
            "--name", "パブリックコメント", "--date", "2025-05-01〜2025-05-31",
            "--map", "id=受付番号,original=意見（原文）"]  # fmt: skip
    assert main(argv) == 0
    preview = capsys.readouterr().out
    assert "30 of 30 rows read; nothing written (dry run)" in preview
    assert (
        "  1: 通行帯の整備が遅い。もっと早く延ばしてほしい。（反映した／No.1／非公開: address・email・"
        in preview
    )
    assert not any(
        p in preview for p in PLANTED
    )  # the preview names private fields, never shows them
    assert main([*argv, "--write"]) == 0
    capsys.readouterr()


def _all_text(folder: Path) -> dict[Path, str]:
    """Every file of an output folder as text; .xlsx/.docx/.zip read member by member."""
    out: dict[Path, str] = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as z:
                out[path] = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        else:
            out[path] = path.read_bytes().decode("utf-8", "replace")
    return out


def assert_private_data_absent(folder: Path) -> None:
    texts = _all_text(folder)
    assert texts
    leaks = [(p.relative_to(folder), s) for p, t in texts.items() for s in PLANTED if s in t]
    assert leaks == []


def shinkyu_name(html: Path) -> str:
    return str(next((html / "shinkyu").glob("*.html")).relative_to(html))


def test_public_comment_round(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = start(tmp_path, capsys)
    import_opinions(root, tmp_path, capsys)
    yaml_text = (root / "revisions" / "opinions" / "pc.yaml").read_text(encoding="utf-8")
    assert EMAIL in yaml_text and "private:" in yaml_text  # kept for editors, in the YAML only

    # check: every opinion answered, each reflected one tied to a record that is in the comparison
    assert main(["-C", str(root), "check"]) == 0, capsys.readouterr()
    capsys.readouterr()

    assert main(["-C", str(root), "build"]) == 0
    html = root / "_build" / "html"
    page = (html / "opinions.html").read_text(encoding="utf-8")
    assert (
        "意見 30件（反映した 4件、一部反映した 2件、反映しない 6件、今後の参考とする 14件、その他 4件）"
        in page
    )
    assert page.count('id="opinion-pc-') == 30
    assert "通行帯の整備が遅い。もっと早く延ばしてほしい。" in page and "関係する節" not in page
    assert '<th class="head"><p>関連する改訂箇所</p></th>' in page
    assert (html / "_opinions" / "pc.xlsx").is_file() and (html / "_opinions" / "pc.docx").is_file()
    assert "opinions-pc.pdf" not in page  # no print editions without --pdf: no link to one
    # the 新旧対照表: the reason of No.1 links to the two opinions behind it
    shinkyu = next((html / "shinkyu").glob("*.html")).read_text(encoding="utf-8")
    links = re.findall(r'<span class="hoshin-opinion-links">(.*?)</span>', shinkyu)
    assert any('href="../opinions.html#opinion-pc-1">パブリックコメント No.1</a>' in s and "No.2" in s
               for s in links), links  # fmt: skip
    # the opinions' stylesheet only where an opinion table or link is shown
    styled = sorted(str(p.relative_to(html)) for p in html.rglob("*.html")
                    if "hoshin-opinions.css" in p.read_text(encoding="utf-8"))  # fmt: skip
    assert "opinions.html" in styled and shinkyu_name(html) in styled, styled
    assert "search.html" not in styled and "index.html" not in styled, styled
    assert_private_data_absent(root / "_build")

    # the review edition adds the records and the sections, and still nothing private
    assert main(["-C", str(root), "build", "--review"]) == 0
    review = (root / "_build" / "review" / "html" / "opinions.html").read_text(encoding="utf-8")
    assert "関係する節" in review and "審議用" in review
    assert "この節への意見：" in (root / "_build" / "review" / "html" / "1.html").read_text("utf-8")
    assert_private_data_absent(root / "_build")


@pytest.mark.slow
def test_no_private_data_in_the_pdfs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The PDFs of the public edition — the version PDFs, the 新旧対照表 and the event's own
    「意見の概要と市の考え方」 PDF — print the table (summary, response, disposition) only; the
    event's PDF and office files sit beside the others and the event's page links its PDF."""
    import subprocess

    root = start(tmp_path, capsys)
    import_opinions(root, tmp_path, capsys)
    assert main(["-C", str(root), "build", "--pdf", "--office"]) == 0
    build = root / "_build"
    event_pdf = build / "pdf" / "pubcomment-opinions-pc.pdf"
    assert event_pdf.is_file() and (build / "html" / "pdf" / event_pdf.name).is_file()
    assert {p.name for p in (build / "office").glob("pubcomment-opinions-pc.*")} == {
        "pubcomment-opinions-pc.xlsx",
        "pubcomment-opinions-pc.docx",
    }
    page = (build / "html" / "opinions.html").read_text(encoding="utf-8")
    assert 'href="pdf/pubcomment-opinions-pc.pdf">PDF（A4・印刷用）</a>' in page

    def text_of(pdf: Path) -> str:
        shown = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
                               capture_output=True, text=True, check=True).stdout  # fmt: skip
        return re.sub(r"\s+", "", shown)

    own = text_of(event_pdf)
    assert "意見の概要と市の考え方（パブリックコメント）" in own
    assert (
        "意見30件（反映した4件、一部反映した2件、反映しない6件、今後の参考とする14件、その他4件）"
        in own
    )
    assert "通行帯の整備が遅い。もっと早く延ばしてほしい。" in own and "関連する改訂箇所" in own
    pdfs = list(build.rglob("*.pdf"))
    text = "".join(text_of(p) for p in pdfs)
    assert "意見の概要と市の考え方" in text
    assert [s for s in PLANTED if s.replace(" ", "") in text] == []
    assert_private_data_absent(build)
