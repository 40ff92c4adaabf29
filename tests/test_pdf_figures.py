"""Figures in the PDF edition: a drawing too tall for the rest of a page leaves no page nearly
empty (issue 17 item 8; seen in the embedded edition before figure 3, once diagrams printed
with labels of 9 pt or more). A small project with tall diagrams is typeset once and every
page is measured (tests/pagefill.py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hoshin.revisions.pdfbuild import bounding_boxes, uplatex_to_pdf

from .conftest import REPO
from .latex_support import sphinx_latex
from .pagefill import NEARLY_EMPTY, nearly_empty_pages, page_fills

#: A chain of eight steps: printed 600 pt tall (labels at 9.8 pt), most of a page.
TALL_FLOW = (
    "type: flow\ntitle: 長い手順\nsteps:\n"
    + "  - id: s0\n    kind: start\n    label: 始まり\n"
    + "".join(f"  - id: s{i}\n    label: 手順{i}の作業を行う\n" for i in range(1, 7))
    + "  - id: s7\n    kind: end\n    label: 終わり\n"
    + "edges:\n"
    + "".join(f"  - {{from: s{i}, to: s{i + 1}}}\n" for i in range(7))
)
LINE = "これは図の前後に流れる本文の段落で、頁の埋まり具合を確かめるための文です。" * 3
PAGES = {
    "index.md": "# 図の配置\n\n```{toctree}\nshort\nfigures\nafter\n```\n",
    # a chapter that ends a little way into its second page, as chapter 3 of the embedded
    # edition does: its short last page is allowed
    "short.md": "# 前の章\n\n" + f"{LINE}\n\n" * 12,
    # a figure right after a few lines (a page with 3 lines then a page break, if the figure
    # stays in place), a second one after most of a page of text
    "figures.md": "# 図の章\n\n短い前置きです。\n\n```{flow} tall.yaml\n```\n\n"
    + f"{LINE}\n\n" * 14
    + "## 二つ目の図\n\n"
    + f"{LINE}\n\n"
    + "```{flow} tall.yaml\n:name: second\n```\n\n"
    + f"{LINE}\n\n" * 4,
    "after.md": "# 後の章\n\n後の章の本文です。\n",
}


def typeset_project(src: Path, conf: str = "") -> Path:
    """Write the project into ``src`` (``conf``: more of conf.py) and typeset it."""
    (src / "conf.py").write_text(
        'project = "図の配置"\nauthor = "テスト市"\nlanguage = "ja"\n'
        'extensions = ["hoshin"]\nhoshin_project_slug = "figures"\n'
        'exclude_patterns = ["_build"]\nhoshin_term_check = False\n'
        f'hoshin_flow_mmdc = "{REPO / "node_modules/.bin/mmdc"}"\n{conf}',
        encoding="utf-8",
    )
    for name, text in PAGES.items():
        (src / name).write_text(text, encoding="utf-8")
    (src / "tall.yaml").write_text(TALL_FLOW, encoding="utf-8")
    out = sphinx_latex(src)
    tex = (out / "figures.tex").read_text(encoding="utf-8")
    assert tex.count("\\includegraphics[width=") == 2, "the flows were not drawn"
    bounding_boxes(out)
    return uplatex_to_pdf(out, "figures.tex", "figures")


@pytest.fixture(scope="module")
def typeset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The PDF of the small project, through Sphinx's LaTeX builder and upLaTeX."""
    if not shutil.which("uplatex"):
        pytest.skip("TeX Live is not installed")
    return typeset_project(tmp_path_factory.mktemp("pdf-figures"))


@pytest.mark.slow
def test_no_page_is_left_nearly_empty_by_a_tall_figure(typeset: Path) -> None:
    fills = page_fills(typeset, typeset.with_suffix(".log"))
    assert nearly_empty_pages(fills) == [], [f"{p.number}: {p.fill:.0%}" for p in fills]
    # the measure sees a short page: the last of 前の章 (allowed, it ends the chapter)
    assert any(p.fill < NEARLY_EMPTY for p in fills), [f"{p.fill:.0%}" for p in fills]


@pytest.mark.slow
def test_figures_stay_in_their_chapter(typeset: Path) -> None:
    text = subprocess.run(["pdftotext", "-layout", str(typeset), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    pages = text.split("\f")
    chapter = next(i for i, p in enumerate(pages) if "図の章" in p and "目次" not in p)
    later = next(i for i, p in enumerate(pages) if "後の章の本文です" in p)
    figure_pages = [i for i, p in enumerate(pages) if "図 1" in p or "図 2" in p]
    assert len(figure_pages) == 2 and all(chapter <= i < later for i in figure_pages)
