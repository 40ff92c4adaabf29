"""sphinxcontrib-mermaid's ``{mermaid}`` drawn by hoshin: offline SVG, vector PDF, one cache."""

from __future__ import annotations

import re
import shutil
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


def _copy(tmp_path: Path, root: str) -> Path:
    src = tmp_path / root
    shutil.copytree(ROOTS / root, src)
    return src


def _app(make_app, src: Path, builder: str = "html", **overrides: object):
    confoverrides = {
        "hoshin_flow_mmdc": str(MMDC),
        "hoshin_flow_cache_dir": str(src.parent / "mermaid-cache"),
        **overrides,
    }
    return make_app(builder, srcdir=src, confoverrides=confoverrides)


def test_a_plain_sphinxcontrib_mermaid_project_gets_inline_svg_offline(
    make_app, tmp_path, fake_mmdc
) -> None:
    app = _app(make_app, _copy(tmp_path, "test-mermaid-plain"))
    app.build()
    assert app.warning.getvalue() == ""
    assert fake_mmdc.runs == 1  # three diagrams, one browser
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert page.count("<svg ") == 3
    assert '<title id="mermaid-0-svg-title">How an application is handled</title>' in page
    assert '<figure class="align-center"' in page
    assert '<div id="seq" class="hoshin-flow-svg" tabindex="0"><svg id="seq-svg"' in page
    assert "<figcaption>" in page and "Application flow" in page
    assert '<title id="seq-svg-title">図</title>' in page
    assert "Head --&gt; Staff" in page  # the file argument was read (fake mmdc echoes it)
    # The flowchart's text alternative, as for a {flow}
    assert 'aria-describedby="mermaid-0-text"' in page
    assert "【分岐】Review → accepted: 「Issue the permit」／rejected: 「Send a notice」" in page
    # never mermaid's JavaScript, never a CDN, no <object> embedding
    assert "<object" not in page and '<pre class="mermaid' not in page
    scripts = re.findall(r"<script[^>]*>.*?</script>", page, re.S)
    assert not [s for s in scripts if "mermaid" in s or "://" in s or "import(" in s]
    assert not re.findall(
        r'<(?:script|link|img|object|iframe)[^>]*(?:src|href)="(?:https?:)?//', page
    )
    assert not list(Path(app.outdir).rglob("*mermaid*.js"))


def test_mermaid_blocks_and_flows_share_one_renderer_and_cache(
    make_app, tmp_path, fake_mmdc
) -> None:
    src = _copy(tmp_path, "test-flows")
    (src / "sub" / "page.md").write_text(
        (src / "sub" / "page.md").read_text(encoding="utf-8")
        + "\n```{mermaid}\n:caption: 手書きの図\n\nflowchart TD\n  A[受付] --> B[審査]\n```\n",
        encoding="utf-8",
    )
    app = _app(make_app, src)
    app.build()
    assert fake_mmdc.runs == 1  # three flows and one {mermaid} block in a single run
    cache = src.parent / "mermaid-cache"
    assert len(list(cache.glob("*.svg"))) == 4
    page = (Path(app.outdir) / "sub" / "page.html").read_text(encoding="utf-8")
    assert page.count("<svg ") == 2 and "受付 → 「審査」" in page
    again = _app(make_app, src, hoshin_flow_theme="neutral")
    again.build(force_all=True)
    assert fake_mmdc.runs == 1  # all four from the cache


def test_latex_includes_mermaid_blocks_as_vector_pdf(make_app, tmp_path, fake_mmdc) -> None:
    app = _app(make_app, _copy(tmp_path, "test-mermaid-plain"), builder="latex")
    app.build()
    assert fake_mmdc.runs == 1
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    names = re.findall(
        r"\\sphinxincludegraphics\[scale=0\.75\]\{\{(hoshin-flow-[0-9a-f]+)\}\.pdf\}", tex
    )
    assert len(names) == 3
    assert r"\caption{Application flow}" in tex
    assert "mermaid-" not in "".join(p.name for p in Path(app.outdir).iterdir())


def test_a_mermaid_file_outside_the_project_is_not_read(make_app, tmp_path, fake_mmdc) -> None:
    src = _copy(tmp_path, "test-mermaid-plain")
    (tmp_path / "secret.mmd").write_text("graph TD\n  Secret --> Leak\n", encoding="utf-8")
    (src / "index.md").write_text(
        "# Outside\n\n```{mermaid} ../secret.mmd\n```\n", encoding="utf-8"
    )
    app = _app(make_app, src)
    app.build()
    assert "mermaid file '../secret.mmd' is outside the project" in app.warning.getvalue()
    assert "[hoshin.flow]" in app.warning.getvalue()
    assert "Secret" not in (Path(app.outdir) / "index.html").read_text(encoding="utf-8")


def test_without_mmdc_a_mermaid_block_falls_back_to_its_text(make_app, tmp_path, fake_mmdc) -> None:
    src = _copy(tmp_path, "test-mermaid-plain")
    app = _app(make_app, src, hoshin_flow_mmdc=str(src / "no" / "mmdc"))
    app.build()
    assert app.warning.getvalue().count("mermaid-cli (mmdc) not found") == 3
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert '<svg id="' not in page
    assert '<details class="hoshin-flow-text" id="mermaid-0-text" open>' in page
    assert "（図「図」を描画できませんでした）" in page


def test_text_builder_gets_the_flowchart_text(make_app, tmp_path, fake_mmdc) -> None:
    app = _app(make_app, _copy(tmp_path, "test-mermaid-plain"), builder="text")
    app.build()
    text = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    assert "【開始】Received → 「Review」" in text
    assert "［図: 図］" in text and fake_mmdc.runs == 0
