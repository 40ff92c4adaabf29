"""Text from YAML is shown as text in every output: HTML, LaTeX and mermaid.

Hostile strings go into a glossary definition, a version's summary and event, a change
record's reason and a flow label of a new project; the built HTML and the LaTeX source
show them literally and no markup, directive or TeX command is created from them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hoshin.cli import main

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "{}",
    "\\input{/etc/passwd}",
    "100%",
    "]]",
    "-->",
    "#見出し",
    "`code` **太字** {term}`x`",
)
HOSTILE = " ".join(PAYLOADS)


def _hostile_project(root: Path) -> Path:
    assert main(["init", str(root), "--title", "試しの方針", "--issuer", "試し市"]) == 0
    summary = "最初の版（hoshin init で作成した見本）"
    assert main(["-C", str(root), "freeze", "v1", "--summary", summary]) == 0
    terms = root / "glossary" / "terms.yaml"
    entries = yaml.safe_load(terms.read_text("utf-8"))
    entries[0]["definition"] = f"説明です。{HOSTILE}"
    terms.write_text(yaml.safe_dump(entries, allow_unicode=True), "utf-8")
    history = root / "revisions" / "history.yaml"
    text = (
        history.read_text("utf-8")
        .replace(
            "summary: 最初の版（hoshin init で作成した見本）",
            f"summary: '概要 {HOSTILE.replace(chr(39), chr(39) * 2)}'",
        )
        .replace("events: []", f"events: ['会議 {HOSTILE.replace(chr(39), chr(39) * 2)}']")
    )
    history.write_text(text, "utf-8")
    assert main(["-C", str(root), "freeze", "--rehash", "--yes"]) == 0
    (root / "revisions" / "current").mkdir()
    (root / "revisions" / "current" / "changes.yaml").write_text(
        yaml.safe_dump({"changes": [{
            "number": 1, "motive": "庁内意見照会", "page": 1, "sections": ["sec-1-1"],
            "old": None, "new": "市では、手続の案内を見直します。", "reason": f"理由 {HOSTILE}",
        }]}, allow_unicode=True), "utf-8")  # fmt: skip
    chapter = root / "source" / "1" / "1-1.md"
    chapter.write_text(
        chapter.read_text("utf-8")
        + "- 市では、手続の案内を見直します。\n\n```{flow} ../flows/f.yaml\n```\n",
        "utf-8",
    )
    flows = root / "source" / "flows"
    flows.mkdir()
    (flows / "f.yaml").write_text(yaml.safe_dump({
        "type": "flow", "title": f"図 {HOSTILE}",
        "lanes": [{"id": "a", "label": f"係 {HOSTILE}"}],
        "steps": [
            {"id": "s", "kind": "start", "lane": "a", "label": f"始め {HOSTILE}"},
            {"id": "e", "kind": "end", "lane": "a", "label": "終わり"},
        ],
        "edges": [{"from": "s", "to": "e", "label": f"次 {HOSTILE}"}],
    }, allow_unicode=True), "utf-8")  # fmt: skip
    return root


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _hostile_project(tmp_path_factory.mktemp("inj") / "p")
    assert main(["-C", str(root), "build"]) == 0
    return root


def _html(root: Path) -> str:
    pages = sorted((root / "_build" / "html").rglob("*.html"))
    return "\n".join(p.read_text("utf-8") for p in pages)


@pytest.mark.slow
def test_html_shows_payloads_as_text(hostile: Path) -> None:
    html = _html(hostile)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "<img src=x onerror" not in html
    assert not re.search(r"<img[^>]*onerror", html)
    assert "\\input{/etc/passwd}" in html  # shown literally
    assert "**太字**" in html or "**太字**" in html.replace("&#42;", "*")
    assert "<strong>太字</strong>" not in html  # no Markdown interpreted from data


@pytest.mark.slow
def test_latex_escapes_payloads(hostile: Path) -> None:
    out = hostile / "_build" / "latex"
    sphinx = Path(sys.executable).parent / "sphinx-build"
    proc = subprocess.run(
        [str(sphinx), "-q", "-b", "latex", "-c", str(hostile), str(hostile / "source"), str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    tex = "\n".join(p.read_text("utf-8") for p in out.glob("*.tex"))
    assert "説明です。" in tex
    assert "\\input{/etc/passwd}" not in tex
    assert "\\textbackslash{}input\\{/etc/passwd\\}" in tex
    assert "100\\%" in tex
