"""mermaid-cli rendering: one run per batch, a cache keyed on every input, inline SVG."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from hoshin.diagrams import render as mermaid_render
from hoshin.diagrams.flows import load_chart
from hoshin.diagrams.mermaid import to_mermaid
from hoshin.diagrams.render import MermaidRenderer, RenderSettings, find_mmdc, svg_for_html

from .conftest import REPO
from .flow_support import FakeMmdc

A = 'flowchart TB\n    n_a["ア"]\n'
B = 'flowchart TB\n    n_b["イ"]\n'
C = 'flowchart TB\n    n_c["ウ"]\n'


@pytest.fixture
def tools(tmp_path: Path) -> tuple[Path, Path]:
    """A fake node_modules layout (mmdc + package.json files) and a fake chromium."""
    cli = tmp_path / "node_modules" / "@mermaid-js" / "mermaid-cli"
    (cli / "src").mkdir(parents=True)
    (cli / "src" / "cli.js").write_text("#!/usr/bin/env node\n")
    (cli / "package.json").write_text(json.dumps({"version": "11.17.0"}))
    mermaid = tmp_path / "node_modules" / "mermaid"
    mermaid.mkdir(parents=True)
    (mermaid / "package.json").write_text(json.dumps({"version": "11.17.2"}))
    bin_dir = tmp_path / "node_modules" / ".bin"
    bin_dir.mkdir()
    (bin_dir / "mmdc").symlink_to("../@mermaid-js/mermaid-cli/src/cli.js")
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    return bin_dir / "mmdc", chromium


def _renderer(
    tmp_path: Path, tools: tuple[Path, Path], fake: FakeMmdc, **kw: str
) -> MermaidRenderer:
    mmdc, chromium = tools
    settings = RenderSettings(cache_dir=tmp_path / "cache", mmdc=mmdc, chromium=chromium, **kw)
    return MermaidRenderer(settings, runner=fake)


def test_missing_diagrams_render_in_one_run_then_come_from_the_cache(tmp_path, tools) -> None:
    fake = FakeMmdc()
    renderer = _renderer(tmp_path, tools, fake)
    first = renderer.render([A, B, C, A], "svg")
    assert (first.rendered, first.cache_hits, first.browser_runs, fake.runs) == (3, 0, 1, 1)
    cmd = fake.calls[0]
    assert cmd[cmd.index("--outputFormat") + 1] == "svg" and "--pdfFit" not in cmd
    assert not Path(cmd[cmd.index("--input") + 1]).exists()  # the work folder is cleaned up
    second = renderer.render([A, B, C], "svg")
    assert (second.rendered, second.cache_hits, second.browser_runs, fake.runs) == (0, 3, 0, 1)
    pdf = renderer.render([A], "pdf")
    assert pdf.rendered == 1 and "--pdfFit" in fake.calls[-1]
    files = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert len([f for f in files if f.endswith(".svg")]) == 3
    assert len([f for f in files if f.endswith(".pdf")]) == 1
    assert not [f for f in files if f.startswith(".run-")]
    key = renderer.key(A, "svg")
    assert (tmp_path / "cache" / f"{key}.mmd").read_text(encoding="utf-8") == A


def test_puppeteer_config_uses_debian_chromium(tmp_path, tools) -> None:
    seen: dict[str, object] = {}

    def runner(cmd, timeout):
        seen["puppeteer"] = json.loads(
            Path(cmd[cmd.index("--puppeteerConfigFile") + 1]).read_text()
        )
        seen["mermaid"] = json.loads(Path(cmd[cmd.index("--configFile") + 1]).read_text())
        return FakeMmdc()(cmd, timeout)

    mmdc, _ = tools
    settings = RenderSettings(cache_dir=tmp_path / "c", mmdc=mmdc)
    MermaidRenderer(settings, runner=runner).render([A], "svg")
    assert seen["puppeteer"] == {
        "executablePath": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }
    assert seen["mermaid"]["theme"] == "neutral"
    assert seen["mermaid"]["securityLevel"] == "strict"


def test_cache_key_covers_every_input(tmp_path, tools) -> None:
    fake = FakeMmdc()
    base = _renderer(tmp_path, tools, fake)
    keys = {
        base.key(A, "svg"),
        base.key(B, "svg"),
        base.key(A, "pdf"),
        _renderer(tmp_path, tools, fake, theme="forest").key(A, "svg"),
    }
    assert len(keys) == 4
    mmdc, _ = tools
    other_chromium = tmp_path / "chromium2"
    other_chromium.write_text("#!/bin/sh\n# another build\n")
    moved = MermaidRenderer(RenderSettings(tmp_path / "cache", mmdc, other_chromium), runner=fake)
    assert moved.key(A, "svg") not in keys
    package = mmdc.resolve().parent.parent / "package.json"
    package.write_text(json.dumps({"version": "11.18.0"}))
    upgraded = _renderer(tmp_path, tools, fake)
    assert upgraded.signature["mmdc"] == "11.18.0" and upgraded.signature["mermaid"] == "11.17.2"
    assert upgraded.key(A, "svg") not in keys
    assert _renderer(tmp_path, tools, fake).key(A, "svg") == upgraded.key(A, "svg")  # stable


def test_a_failing_diagram_is_retried_alone_and_reported(tmp_path, tools) -> None:
    fake = FakeMmdc(fail_if="BAD")
    bad = 'flowchart TB\n    n_x["BAD"]\n'
    result = _renderer(tmp_path, tools, fake).render([A, bad, B], "svg")
    assert set(result.outputs) == {A, B}
    assert list(result.failures) == [bad]
    assert "Parse error" in result.failures[bad]
    assert result.browser_runs == 4  # the batch, then each diagram alone


def test_missing_mmdc_starts_nothing_and_says_why(tmp_path) -> None:
    fake = FakeMmdc()
    settings = RenderSettings(cache_dir=tmp_path / "c", mmdc=None)
    result = MermaidRenderer(settings, runner=fake).render([A], "svg")
    assert fake.runs == 0 and not result.outputs
    assert "mermaid-cli (mmdc) not found" in result.failures[A]
    assert find_mmdc(tmp_path) is None or find_mmdc(tmp_path).name == "mmdc"
    assert find_mmdc(tmp_path, "nope/mmdc") is None


def test_svg_for_html_gives_own_ids_and_an_accessible_name() -> None:
    svg = (
        f'<svg id="{mermaid_render.SVG_ROOT_ID}" role="graphics-document document" '
        f'viewBox="0 0 1 1"><style>#{mermaid_render.SVG_ROOT_ID} .node{{}}</style>'
        f'<marker id="{mermaid_render.SVG_ROOT_ID}_pointEnd"/></svg>'
    )
    out = svg_for_html(svg, "flow-3-svg", '体制 <"&>', "flow-3-text")
    assert mermaid_render.SVG_ROOT_ID not in out
    assert out.startswith(
        '<svg id="flow-3-svg" viewBox="0 0 1 1" role="img" '
        'aria-labelledby="flow-3-svg-title" aria-describedby="flow-3-text">'
    )
    assert '<title id="flow-3-svg-title">体制 &lt;&quot;&amp;&gt;</title>' in out
    assert "#flow-3-svg .node" in out and 'id="flow-3-svg_pointEnd"' in out
    wide = svg_for_html('<svg style="max-width: 1000px; background-color: white;"></svg>', "w", "t")
    # never below 12 px for mermaid's 16 px labels: 1000 px drawn shrinks to 750 px, then scrolls
    assert 'style="min-width: 750px; max-width: 1000px; background-color: white;"' in wide
    with pytest.raises(ValueError):
        svg_for_html("<html/>", "x", "t")


# -- real mermaid-cli + chromium -----------------------------------------------------------

MMDC = REPO / "node_modules" / ".bin" / "mmdc"
needs_mmdc = pytest.mark.skipif(
    not MMDC.exists() or not Path("/usr/bin/chromium").exists(),
    reason="mermaid-cli or chromium not installed",
)


@pytest.mark.slow
@needs_mmdc
def test_real_render_has_japanese_labels_and_shows_hostile_text(tmp_path: Path) -> None:
    flow = to_mermaid(load_chart(REPO / "source" / "flows" / "4-2.yaml"))
    hostile = to_mermaid(
        load_chart(REPO / "tests" / "roots" / "test-flows" / "flows" / "hostile.yaml")
    )
    renderer = MermaidRenderer(RenderSettings(cache_dir=tmp_path / "cache", mmdc=MMDC))
    started = time.perf_counter()
    cold = renderer.render([flow, hostile], "svg")
    cold_seconds = time.perf_counter() - started
    assert not cold.failures and cold.browser_runs == 1
    # What a reader sees: a long label is broken between phrases (BudouX) with <br>.
    svg = re.sub(r"<br\s*/?>", "", cold.outputs[flow].read_text(encoding="utf-8"))
    for label in (
        "CIOスタッフ",
        "担当課",
        "諾否を回答",
        "担当課に検討を依頼",
        "検討を行う場合",
        "RFI(情報提供依頼)や仕様確定などの際に技術的な支援を実施",
    ):
        assert label in svg, label
    bad = cold.outputs[hostile].read_text(encoding="utf-8")
    labels = [re.sub(r"<br\s*/?>", "", p) for p in re.findall(r"<p>(.*?)</p>", bad)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in labels
    assert 'a --&gt; b; c # d [e] "f" %% g' in labels
    assert "<script" not in bad
    started = time.perf_counter()
    warm = renderer.render([flow, hostile], "svg")
    warm_seconds = time.perf_counter() - started
    assert warm.browser_runs == 0 and warm.cache_hits == 2
    assert warm_seconds < 0.2 < cold_seconds
    pdf = renderer.render([flow], "pdf")
    assert not pdf.failures and pdf.outputs[flow].read_bytes().startswith(b"%PDF")
