"""The ``flow`` directive in Sphinx builds: inline SVG, text alternative, cache, fallbacks."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hoshin.diagrams import render as mermaid_render

from .conftest import REPO
from .flow_support import FakeMmdc

ROOTS = REPO / "tests" / "roots"
MMDC = REPO / "node_modules" / ".bin" / "mmdc"


@pytest.fixture
def fake_mmdc(monkeypatch: pytest.MonkeyPatch) -> FakeMmdc:
    fake = FakeMmdc()
    monkeypatch.setattr(mermaid_render, "_run", fake)
    return fake


@pytest.fixture
def project(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-flows", src)
    return src


def _app(make_app, src: Path, builder: str = "html", **overrides: object):
    confoverrides = {
        "hoshin_flow_mmdc": str(MMDC),
        "hoshin_flow_cache_dir": str(src.parent / "mermaid-cache"),
        **overrides,
    }
    return make_app(builder, srcdir=src, confoverrides=confoverrides)


def _own_warnings(app) -> str:
    """Warnings except other hoshin features' findings about the test text itself."""
    lines = app.warning.getvalue().splitlines()
    return "\n".join(ln for ln in lines if not re.search(r"\[hoshin\.(?!flow\])\w+\]", ln))


def _read_docs(app) -> list[str]:
    read: list[str] = []
    app.connect("source-read", lambda _app, docname, _source: read.append(docname))
    return read


def test_html_has_inline_svg_named_by_its_caption_and_a_text_alternative(
    make_app, project, fake_mmdc
) -> None:
    app = _app(make_app, project)
    app.build()
    assert _own_warnings(app) == ""
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert page.count("<svg ") == 2
    assert (
        '<svg id="flow-0-svg" xmlns="http://www.w3.org/2000/svg" role="img" '
        'aria-labelledby="flow-0-svg-title" aria-describedby="flow-0-text">' in page
    )
    assert '<title id="flow-0-svg-title">危険な&quot;ラベル&quot;&lt;b&gt;&amp;</title>' in page
    assert '<title id="fig-org-svg-title">体制（キャプション指定）</title>' in page
    assert 'aria-describedby="fig-org-text"' in page
    assert mermaid_render.SVG_ROOT_ID not in page
    details = re.findall(r'<details class="hoshin-flow-text" id="([^"]+)"><summary>', page)
    assert details == ["flow-0-text", "fig-org-text"]  # closed: the drawing is there
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert "推進体制: CIO、CIOスタッフ" in page
    assert "有識者 → 推進体制: 助言や指導" in page
    sub = (Path(app.outdir) / "sub" / "page.html").read_text(encoding="utf-8")
    assert "【分岐】諾否を回答 → 検討を行う場合: 「企画を立案」／否: 「検討を行わない」" in sub
    assert "<figcaption>" in sub and "簡単なフロー" in sub


def test_no_mermaid_javascript_and_no_cdn(make_app, project, fake_mmdc) -> None:
    app = _app(make_app, project)
    app.build()
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        scripts = re.findall(r"<script[^>]*>", text)
        assert not [s for s in scripts if "mermaid" in s or "cdn" in s or "//" in s], page
    assert not list(Path(app.outdir).rglob("*mermaid*.js"))


def test_a_warm_rebuild_starts_no_browser(make_app, project, fake_mmdc) -> None:
    app = _app(make_app, project)
    app.build()
    assert fake_mmdc.runs == 1  # three diagrams, one mmdc run
    again = _app(make_app, project)  # a new process would see the same env and cache
    read = _read_docs(again)
    again.build()
    assert fake_mmdc.runs == 1 and read == []
    fresh = _app(make_app, project, hoshin_flow_theme="neutral")
    fresh.build(force_all=True)
    assert fake_mmdc.runs == 1  # everything re-read and rewritten, all from the cache


def test_editing_a_yaml_rereads_only_its_page_and_renders_only_it(
    make_app, project, fake_mmdc
) -> None:
    _app(make_app, project).build()
    simple = project / "flows" / "simple.yaml"
    simple.write_text(
        simple.read_text(encoding="utf-8").replace("企画を立案", "企画を練る"), encoding="utf-8"
    )
    app = _app(make_app, project)
    read = _read_docs(app)
    app.build()
    assert read == ["sub/page"]
    assert fake_mmdc.runs == 2
    cmd = fake_mmdc.calls[-1]
    batch = Path(cmd[cmd.index("--input") + 1])
    assert not batch.exists()  # cleaned up; the run held only the changed diagram
    assert "企画を練る" in (Path(app.outdir) / "sub" / "page.html").read_text(encoding="utf-8")


def test_an_emptied_cache_redraws_and_rewrites_the_pages(make_app, project, fake_mmdc) -> None:
    _app(make_app, project).build()
    shutil.rmtree(project.parent / "mermaid-cache")
    app = _app(make_app, project)
    read = _read_docs(app)
    app.build()
    assert sorted(read) == ["index", "sub/page"] and fake_mmdc.runs == 2


def test_diagrams_unknown_at_write_start_are_still_drawn(make_app, project, fake_mmdc) -> None:
    app = _app(make_app, project)
    domain = app.env.domains["hoshinflow"]
    app.connect("env-updated", lambda _app, _env: domain.charts.clear())
    app.build()
    assert _own_warnings(app) == ""
    assert fake_mmdc.runs == 2  # one per page, as each page is resolved
    assert (Path(app.outdir) / "index.html").read_text(encoding="utf-8").count("<svg ") == 2


def test_missing_mmdc_warns_and_shows_the_text_alternative(make_app, project, fake_mmdc) -> None:
    app = _app(make_app, project, hoshin_flow_mmdc=str(project / "no" / "mmdc"))
    app.build()
    warnings = _own_warnings(app)
    assert fake_mmdc.runs == 0
    assert warnings.count("mermaid-cli (mmdc) not found") == 3
    assert "[hoshin.flow]" in warnings
    assert "index.md:7" in warnings
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "<svg " not in page
    assert '<details class="hoshin-flow-text" id="flow-0-text" open>' in page
    assert "図を描画できませんでした" in page
    # Once mmdc is there, the pages are redrawn without an edit.
    fixed = _app(make_app, project)
    read = _read_docs(fixed)
    fixed.build()
    assert sorted(read) == ["index", "sub/page"] and fake_mmdc.runs == 1
    assert "<svg " in (Path(fixed.outdir) / "index.html").read_text(encoding="utf-8")


def test_invalid_flows_warn_with_file_line_and_column(make_app, tmp_path, fake_mmdc) -> None:
    src = tmp_path / "bad"
    shutil.copytree(ROOTS / "test-flows-bad", src)
    app = _app(make_app, src)
    app.build()
    warnings = _own_warnings(app)
    for expected in (
        "bad/flows/bad.yaml:6:42: step 's': unknown lane 'b'",
        "bad/flows/bad.yaml:11:19: edge to: unknown step 'nowhere'",
        "bad/flows/bad.yaml:7:19: decision 'd' has 1 exit; a decision needs at least two",
        "bad/flows/bad.yaml:8:10: step 'u' is not reachable from a start step",
        "bad/flows/missing.yaml:1:1: file not found",
    ):
        assert expected in warnings, warnings
    assert "index.md:3: WARNING" in warnings and "[hoshin.flow]" in warnings
    assert fake_mmdc.runs == 0
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "（図「誤り」のデータに誤りがあるため表示できません）" not in page  # caption unknown
    assert "（図「flows/bad.yaml」のデータに誤りがあるため表示できません）" in page


def test_text_builder_gets_the_text_alternative(make_app, project, fake_mmdc) -> None:
    app = _app(make_app, project, builder="text")
    app.build()
    assert fake_mmdc.runs == 0
    text = (Path(app.outdir) / "sub" / "page.txt").read_text(encoding="utf-8")
    assert "CIOスタッフ" in text and "【開始】検討を依頼 → 担当課の「諾否を回答」" in text


def test_latex_includes_the_vector_pdf(make_app, project, fake_mmdc) -> None:
    app = _app(make_app, project, builder="latex")
    app.build()
    assert fake_mmdc.runs == 1
    cmd = fake_mmdc.calls[0]
    assert cmd[cmd.index("--outputFormat") + 1] == "pdf" and "--pdfFit" in cmd
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    names = re.findall(
        r"\\sphinxincludegraphics\[scale=0\.75\]\{\{(hoshin-flow-[0-9a-f]+)\}\.pdf\}", tex
    )
    assert len(names) == 3
    for name in names:
        assert (Path(app.outdir) / f"{name}.pdf").read_bytes().startswith(b"%PDF")
    assert "【分岐】" not in tex  # the drawing stands for itself in print
    stale = Path(app.outdir) / "hoshin-flow-00000000000000000000.pdf"
    stale.write_bytes(b"%PDF old")
    again = _app(make_app, project, builder="latex")
    again.build()
    assert not stale.exists() and fake_mmdc.runs == 1
    assert r"\caption{簡単なフロー}" in tex


def test_parallel_build_matches_serial(make_app, tmp_path, fake_mmdc) -> None:
    outputs = []
    for jobs in (1, 2):
        src = tmp_path / f"j{jobs}"
        shutil.copytree(ROOTS / "test-flows", src)
        app = make_app(
            "html",
            srcdir=src,
            parallel=jobs,
            confoverrides={
                "hoshin_flow_mmdc": str(MMDC),
                "hoshin_flow_cache_dir": str(tmp_path / "cache"),
            },
        )
        app.build()
        assert _own_warnings(app) == ""
        outputs.append(
            [
                re.search(
                    r"<body.*</body>", (Path(app.outdir) / name).read_text(encoding="utf-8"), re.S
                ).group(0)
                for name in ("index.html", "sub/page.html")
            ]
        )
        app.cleanup()  # the next app registers docutils nodes afresh
    assert "<svg " in outputs[1][0] and "<svg " in outputs[1][1]
    assert outputs[0] == outputs[1]


# -- real mermaid-cli + chromium -----------------------------------------------------------

needs_tools = pytest.mark.skipif(
    not MMDC.exists() or not Path("/usr/bin/chromium").exists() or not shutil.which("latexmk"),
    reason="mermaid-cli, chromium or latexmk not installed",
)


@pytest.mark.slow
@needs_tools
def test_real_pdf_build_has_the_diagrams_as_vector_figures(make_app, project) -> None:
    app = _app(make_app, project, builder="latex")
    app.build()
    assert _own_warnings(app) == ""
    proc = subprocess.run(
        ["make", "-C", str(app.outdir), "all-pdf"], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    pdfs = [p for p in Path(app.outdir).glob("*.pdf") if not p.name.startswith("hoshin-flow-")]
    assert pdfs, list(Path(app.outdir).iterdir())
    text = subprocess.run(["pdftotext", str(pdfs[0]), "-"], capture_output=True, text=True).stdout
    compact = re.sub(r"\s+", "", text)
    for label in ("諾否を回答", "企画を立案", "情報セクション担当副市長"):
        assert label in compact, label
    fonts = subprocess.run(["pdffonts", str(pdfs[0])], capture_output=True, text=True).stdout
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(" yes " in f" {line} " for line in rows), fonts  # all embedded
