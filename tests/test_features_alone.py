"""Each feature is a Sphinx extension of its own: a plain Sphinx + MyST project lists only it.

The roots (``tests/roots/test-<feature>-alone``) hold a few generic sentences, nothing of
the embedded edition, and load ``["myst_parser", "hoshin.<feature>"]``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hoshin.diagrams import render as mermaid_render

from .conftest import REPO
from .flow_support import FakeMmdc

ROOTS = REPO / "tests" / "roots"


def _build(make_app, tmp_path: Path, feature: str, builder: str = "html", **overrides: object):
    src = tmp_path / feature
    shutil.copytree(ROOTS / f"test-{feature}-alone", src)
    app = make_app(builder, srcdir=src, confoverrides=overrides)
    app.build()
    assert app.warning.getvalue() == "", app.warning.getvalue()
    loaded = {name for name in app.extensions if name.startswith("hoshin")}
    assert loaded == {"hoshin.core", f"hoshin.{feature}"}
    return app


def _page(app, name: str = "index.html") -> str:
    return (Path(app.outdir) / name).read_text(encoding="utf-8")


def test_glossary_alone(make_app, tmp_path) -> None:
    app = _build(make_app, tmp_path, "glossary")
    assert 'href="glossary.html#term-api"' in _page(app)
    assert "プログラムどうし" in _page(app, "glossary.html")
    assert not hasattr(app.config, "hoshin_flow_theme")


def test_diagrams_alone(make_app, tmp_path, monkeypatch) -> None:
    fake = FakeMmdc()
    monkeypatch.setattr(mermaid_render, "_run", fake)
    app = _build(
        make_app,
        tmp_path,
        "diagrams",
        hoshin_flow_mmdc=str(REPO / "node_modules" / ".bin" / "mmdc"),
        hoshin_flow_cache_dir=str(tmp_path / "cache"),
    )
    assert _page(app).count('<svg id="') == 2 and fake.runs == 1
    assert "sphinxcontrib.mermaid" in app.extensions
    assert not hasattr(app.config, "hoshin_term_links")


def test_revisions_alone(make_app, tmp_path) -> None:
    app = _build(make_app, tmp_path, "revisions")
    assert 'class="hoshin-revision-table' in _page(app) and "改版の契機" in _page(app)


def test_lint_alone(make_app, tmp_path) -> None:
    app = _build(make_app, tmp_path, "lint")
    assert app.config.hoshin_lint_in_build is False
    assert "校正の機能だけ" in _page(app)


def test_pdf_alone(make_app, tmp_path) -> None:
    app = _build(make_app, tmp_path, "pdf", builder="latex")
    assert (Path(app.outdir) / "hoshin.sty").is_file()
    assert r"\usepackage{hoshin}" in (Path(app.outdir) / "policy.tex").read_text(encoding="utf-8")


def test_web_alone(make_app, tmp_path) -> None:
    app = _build(make_app, tmp_path, "web")
    assert "hoshin.css" in _page(app) and 'lang="ja"' in _page(app)


def test_opinions_alone(make_app, tmp_path) -> None:
    app = _build(make_app, tmp_path, "opinions")
    page = _page(app)
    assert 'id="opinion-sample-1"' in page
    assert "意見 2件（反映した 1件、今後の参考とする 1件）" in page
    assert "花子" not in page and "example.org" not in page  # private fields stay in the YAML
    assert (Path(app.outdir) / "_opinions" / "sample.xlsx").is_file()
    assert not hasattr(app.config, "hoshin_shinkyu_columns")


def test_a_new_hoshin_reads_every_page_again(make_app, tmp_path, monkeypatch) -> None:
    """Sphinx tracks conf.py, not its extensions' code: pages built by an older hoshin would
    keep its markup. hoshin's code digest is an "env" value, so a new hoshin re-reads them."""
    app = _build(make_app, tmp_path, "glossary")
    index = Path(app.outdir) / "index.html"
    index.write_text("written by an older hoshin", encoding="utf-8")
    again = make_app("html", srcdir=app.srcdir)
    again.build()
    assert index.read_text(encoding="utf-8") == "written by an older hoshin"  # same code
    monkeypatch.setattr("hoshin.core.digest.code_digest", lambda: "another hoshin")
    upgraded = make_app("html", srcdir=app.srcdir)
    upgraded.build()
    assert 'href="glossary.html#term-api"' in index.read_text(encoding="utf-8")
