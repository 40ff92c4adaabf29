"""PDF layout seen in the embedded edition (issue 17, item 8), on a small project typeset once:
spacing between Japanese and Latin at term links, lists with their own markers, no
near-empty portrait page beside a landscape table, diagram labels broken at phrase
boundaries and printed at 9 pt or more."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hoshin.core.ownmarkers import own_marker
from hoshin.diagrams.flows import Flow, Step
from hoshin.diagrams.mermaid import to_mermaid, wrap_label
from hoshin.diagrams.printsize import (
    MIN_LABEL_PT,
    NATURAL_LABEL_PT,
    TEXT_HEIGHT_PT,
    TEXT_WIDTH_PT,
    print_layout,
)
from hoshin.glossary.latex import needs_xkanjiskip
from hoshin.revisions.pdfbuild import bounding_boxes, uplatex_to_pdf

from .conftest import REPO
from .latex_support import sphinx_latex

SENTENCES = (
    "日本最初のIT戦略が策定されました。",
    "農業分野におけるIT利活用の取組です。",
    "本市の利活用AI推進です。",
)
GLOSSARY = """\
- term: IT
  reading: あいてぃー
  id: it
  definition: 情報技術のことです。
  kind: 略語
  treatment: 説明を付ける
  source: テスト
- term: 利活用
  reading: りかつよう
  id: rikatsuyo
  definition: 利用し活用することです。
  kind: 専門用語
  treatment: 説明を付ける
  source: テスト
"""
ROWS = "".join(f"* - {i}\n" + "  - 短い\n" * 6 for i in range(3))
PAGES = {
    "index.md": "# 配置のテスト\n\n```{toctree}\nterms\nlists\nwide\nflow\nglossary\n```\n",
    "terms.md": "# 用語の章\n\n"
    + "".join(f"{s}\n\n" for s in SENTENCES)
    + ":::{container} hoshin-no-terms\n"
    + "".join(f"{s}\n\n" for s in SENTENCES)
    + ":::\n",
    "lists.md": "# 一覧の章\n\n- i.自治体の情報システムの標準化\n- ii.マイナンバーカードの普及促進\n\n"
    "段落です。\n\n- 普通の項目です。\n- ※注記の項目です。\n\n段落です。\n\n"
    "- 印のない項目です。\n- 印のない二つ目の項目です。\n",
    "wide.md": "# 広い表の章\n\n短い前置きです。\n\n## 一つ目の表\n\n"
    f"```{{list-table}}\n:header-rows: 1\n\n* - A\n  - B\n  - C\n  - D\n  - E\n  - F\n  - G\n{ROWS}```\n\n"
    "## 短い節\n\n二つの表の間の短い文です。\n\n## 二つ目の表\n\n"
    f"```{{list-table}}\n:header-rows: 1\n\n* - A\n  - B\n  - C\n  - D\n  - E\n  - F\n  - G\n{ROWS}```\n\n"
    "## 後の節\n\n表の後の短い文です。\n",
    "flow.md": "# 図の章\n\n```{flow} 4-2.yaml\n```\n",
    "glossary.md": "# 用語集\n\n```{glossary-index}\n```\n",
}


@pytest.fixture(scope="module")
def typeset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """(the PDF, the .tex) of a small project, through Sphinx's LaTeX builder and upLaTeX."""
    src = tmp_path_factory.mktemp("pdf-layout")
    (src / "conf.py").write_text(
        'project = "配置のテスト"\nauthor = "テスト市"\nlanguage = "ja"\n'
        'extensions = ["hoshin"]\nhoshin_project_slug = "layout"\n'
        'myst_enable_extensions = ["colon_fence"]\nexclude_patterns = ["_build"]\n'
        f'hoshin_term_check = False\nhoshin_flow_mmdc = "{REPO / "node_modules/.bin/mmdc"}"\n',
        encoding="utf-8",
    )
    for name, text in PAGES.items():
        (src / name).write_text(text, encoding="utf-8")
    shutil.copy(REPO / "source" / "flows" / "4-2.yaml", src / "4-2.yaml")
    (src / "glossary").mkdir()
    (src / "glossary" / "terms.yaml").write_text(GLOSSARY, encoding="utf-8")
    out = sphinx_latex(src)
    bounding_boxes(out)
    pdf = uplatex_to_pdf(out, "layout.tex", "layout")
    return pdf, (out / "layout.tex").read_text(encoding="utf-8")


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    return text.split("\f")[:-1]


def _line(text: str, start: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith(start)]


# --- spacing between Japanese and Latin at term links -------------------------------------


def test_needs_xkanjiskip_between_kana_kanji_and_latin_only() -> None:
    assert needs_xkanjiskip("の", "I") and needs_xkanjiskip("T", "利")
    assert not needs_xkanjiskip("の", "利") and not needs_xkanjiskip("」", "I")
    assert not needs_xkanjiskip(" ", "I") and not needs_xkanjiskip("T", "A")


@pytest.mark.slow
def test_term_links_keep_the_space_between_japanese_and_latin(typeset: tuple[Path, str]) -> None:
    pdf, tex = typeset
    assert tex.count(r"\hskip\xkanjiskip") == 2  # の|IT, T|利活用 (first uses only)
    text = "\n".join(_pages(pdf))
    for sentence in SENTENCES:
        head = sentence[:3]
        linked, plain = _line(text, head)[:2]  # the linked copy comes first
        assert linked == plain, (linked, plain)
    assert "最初の IT 戦略" in text and "IT 利活用" in text


# --- lists with their own markers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "marker"),
    [("i.自治体の", "i."), ("※ なお、", "※ "), ("①市の", "①"), ("1.一層", "1."),
     ("（1）総則", "（1）"), ("・総合防災", "・")],
)  # fmt: skip
def test_own_marker_found(text: str, marker: str) -> None:
    assert own_marker(text) == marker


@pytest.mark.parametrize("text", ["1.5倍に", "IT戦略", "5G等の活用", "基本方針", "※"])
def test_no_own_marker(text: str) -> None:
    assert own_marker(text) is None


@pytest.mark.slow
def test_lists_with_their_own_markers_show_no_bullet(typeset: tuple[Path, str]) -> None:
    pdf, _ = typeset
    text = "\n".join(_pages(pdf))
    squashed = text.replace(" ", "")
    assert "\ni.自治体" in squashed and "\nii.マイナンバー" in squashed
    assert not re.search(r"•\s*(i\.|ii\.|※)", text)
    assert _line(text, "※注記の項目") and _line(text, "• 普通の項目")  # only the ※ item
    assert _line(text, "• 印のない項目")


# --- landscape tables ------------------------------------------------------------------------


@pytest.mark.slow
def test_no_near_empty_portrait_page_beside_a_landscape_table(typeset: tuple[Path, str]) -> None:
    pdf, tex = typeset
    chapter = tex[tex.index(r"\chapter{一覧の章}") : tex.index(r"\chapter{図の章}")]
    assert chapter.count(r"\begin{landscape}") == 1  # one run: the short texts turn too
    assert chapter.index(r"\begin{landscape}") < chapter.index(r"\chapter{広い表の章}")
    assert chapter.index(r"\end{landscape}") > chapter.index("表の後の短い文")
    for sentence in ("短い前置きです。", "二つの表の間の短い文です。", "表の後の短い文です。"):
        page = next(p for p in _pages(pdf) if sentence in p.replace(" ", ""))
        assert "短い短い短い" in "".join(page.split()), page  # shares its page with a table


# --- diagrams ---------------------------------------------------------------------------------


def test_flow_labels_break_only_between_phrases() -> None:
    import budoux

    parser = budoux.load_default_japanese_parser()
    label = "所期の目標を達成し次第完了"
    text = to_mermaid(Flow(title="t", lanes=(), steps=(Step("a", label),)))
    lines = re.search(r'n_a\["([^"]*)"\]', text)
    assert lines is not None, text
    pieces = lines.group(1).split("<br>")
    assert len(pieces) > 1 and "".join(pieces) == label
    boundaries = set()
    pos = 0
    for phrase in parser.parse(label):
        pos += len(phrase)
        boundaries.add(pos)
    pos = 0
    for piece in pieces[:-1]:
        pos += len(piece)
        assert pos in boundaries, pieces
    assert wrap_label("計画完了") == "計画完了"


@pytest.mark.parametrize(
    ("width", "height"), [(300, 200), (806.88, 1032), (1400, 300), (2000, 2000)]
)
def test_print_layout_keeps_labels_legible_where_the_page_allows(
    width: float, height: float
) -> None:
    layout = print_layout(width, height)
    shown_w = layout.width_pt
    shown_h = height * layout.width_pt / width
    across, down = (shown_h, shown_w) if layout.turned else (shown_w, shown_h)
    assert across <= TEXT_WIDTH_PT + 0.1 and down <= TEXT_HEIGHT_PT + 0.1
    fits_at_min = min(TEXT_WIDTH_PT / width, TEXT_HEIGHT_PT / height) * NATURAL_LABEL_PT
    fits_turned = min(TEXT_HEIGHT_PT / width, TEXT_WIDTH_PT / height) * NATURAL_LABEL_PT
    if max(fits_at_min, fits_turned) >= MIN_LABEL_PT:
        assert layout.label_pt >= MIN_LABEL_PT


@pytest.mark.slow
def test_diagram_labels_print_at_nine_points_or_more(typeset: tuple[Path, str]) -> None:
    pdf, tex = typeset
    found = re.findall(r"\\includegraphics\[width=([0-9.]+)bp\]\{\{(hoshin-flow-[0-9a-f]+)\}", tex)
    assert found, "the flow was not drawn (mermaid-cli missing?)"
    for width, stem in found:
        drawing = pdf.parent / f"{stem}.pdf"
        box = re.search(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\]", drawing.read_bytes())
        assert box is not None
        # mermaid's 16 px labels are 12 pt in a drawing at its own size (0.75 pt per px)
        assert NATURAL_LABEL_PT * float(width) / float(box.group(1)) >= MIN_LABEL_PT
