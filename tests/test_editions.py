"""Public edition and review edition (``hoshin build --review``).

Residents see only what is written for them: no file paths, section labels shown as text,
hashes, YAML names or acknowledgements anywhere in the public output (pages and search
index). The review edition has all of it, in its own folder, with 「審議用」 on every page.
One small project with a stale record, an acknowledgement and an editors' glossary note is
built once per edition.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest

from hoshin.cli import main
from hoshin.core.frozen import FreezeRequest, freeze
from hoshin.core.manifest import manifest_digest

CONF = """\
project = "試しの方針"
author = "試し市"
language = "ja"
extensions = ["hoshin"]
html_theme = "furo"
hoshin_project_slug = "editions"
hoshin_draft_findings = "info"
html_copy_source = False
"""
INDEX = """\
(cover)=
# 試しの方針

```{toctree}
a
glossary
revisions
```
"""
REVISIONS = """\
(revisions)=
# 改版履歴

```{revision-history}
:details:
```

```{revision-comparisons}
```

```{revision-changes}
```
"""
GLOSSARY_PAGE = """\
(glossary)=
# 用語集

```{glossary-index}
```
"""
GLOSSARY = """\
- term: ICT
  reading: あいしーてぃー
  id: ict
  definition: 情報通信技術のことです。
  kind: 略語
  treatment: 説明を付ける
  source: 一般的な用法
  supplement: 本方針では IT と ICT を合わせて ICT と呼びます。
  note: 編集者向けの経緯メモ（改訂箇所 No.2 を参照）。
"""
RECORDS = """\
changes:
  - number: 1
    motive: 第2回会議
    page: 1
    sections: [sec-a]
    old: 市では情報化を進めます。
    new: 市ではICTによる情報化を進めます。
    reason: 第2回会議の指摘を受け
  - number: 2
    motive: 第2回会議
    page: 2
    sections: [sec-b]
    old: 体制を整えます。
    new: 体制を整えます。
    reason: 表の記載どおり
    acknowledged: 表では変更とされているが本文は同じ
"""

#: What the public edition must never show (as text, in titles or in the search index).
LEAKS = {
    "file path": re.compile(r"\.ya?ml\b|\.md:\d|\brevisions/|\bdocs/|\bsource/"),
    "section label": re.compile(r"\bsec-[a-z0-9]"),
    "hash": re.compile(r"\b[0-9a-f]{12,64}\b|(?i:sha-?256)|MANIFEST"),
    "YAML name": re.compile(r"\b(?:acknowledged|from_version|sections|quote):"),
    "acknowledgement": re.compile(r"確認済み"),
    "editors' note": re.compile(r"編集メモ|経緯メモ"),
}


#: The search data a browser downloads (Sphinx's index, hoshin's text store).
SEARCH_DATA = ("searchindex.js", "searchtext.js")


def visible_text(page: str) -> str:
    """What a reader sees or hears: text, titles and labels (not ids, hrefs or classes)."""
    page = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", " ", page)
    said = " ".join(re.findall(r'\b(?:title|aria-label|alt|content)="([^"]*)"', page))
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page) + " " + said)


def public_leaks(site: Path) -> list[str]:
    """Every leak in a built site: ``kind: file: excerpt``."""
    found = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or ("_static" in path.parts and path.name not in SEARCH_DATA):
            continue
        if path.suffix == ".html":
            text = visible_text(path.read_text("utf-8"))
        elif path.name in SEARCH_DATA:  # anchors ("sec-a") are ids, not text
            text = re.sub(r'"sec-[^"]*"', '""', path.read_text("utf-8"))
        elif path.suffix == ".txt":
            text = path.read_text("utf-8")
        else:
            continue
        for kind, pattern in LEAKS.items():
            for match in pattern.finditer(text):
                excerpt = text[max(0, match.start() - 30) : match.end() + 30]
                found.append(f"{kind}: {path.relative_to(site)}: {' '.join(excerpt.split())}")
    return found


def _write_source(root: Path, body: str) -> None:
    source = root / "source"
    source.mkdir(exist_ok=True)
    (source / "index.md").write_text(INDEX, "utf-8")
    (source / "revisions.md").write_text(REVISIONS, "utf-8")
    (source / "glossary.md").write_text(GLOSSARY_PAGE, "utf-8")
    (source / "a.md").write_text(
        f"(sec-a)=\n# 1.方針\n\n- {body}\n\n(sec-b)=\n# 2.体制\n\n- 体制を整えます。\n", "utf-8"
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("editions") / "p")


def make_project(root: Path) -> Path:
    """Two frozen versions and a working draft, built as both editions."""
    root.mkdir()
    (root / "conf.py").write_text(CONF, "utf-8")
    (root / "glossary").mkdir()
    (root / "glossary" / "a.yaml").write_text(GLOSSARY, "utf-8")
    (root / "revisions").mkdir()
    (root / "revisions" / "history.yaml").write_text("versions:\n", "utf-8")
    _write_source(root, "市では情報化を進めます。ICTを使います。")
    freeze(root, FreezeRequest("v1", "最初の素案", events=("第1回会議",), date="2021-03-01"))
    _write_source(root, "市ではICTによる情報化を進めます。ICTを使います。")
    (root / "revisions" / "current").mkdir()
    (root / "revisions" / "current" / "changes.yaml").write_text(RECORDS, "utf-8")
    freeze(root, FreezeRequest("v2", "第2回会議を反映", events=("第2回会議",), date="2021-06-01"))
    assert main(["-C", str(root), "build"]) == 0
    assert main(["-C", str(root), "build", "--review"]) == 0
    return root


def test_public_edition_shows_residents_only_what_is_written_for_them(project: Path) -> None:
    site = project / "_build" / "html"
    assert (site / "shinkyu" / "v1-v2.html").is_file() and (site / "searchindex.js").is_file()
    assert public_leaks(site) == []
    shinkyu = (site / "shinkyu" / "v1-v2.html").read_text("utf-8")
    assert "2.体制" in shinkyu  # the record's place is named by its heading
    glossary = (site / "glossary.html").read_text("utf-8")
    assert "補足：本方針では IT と ICT を合わせて ICT と呼びます。" in glossary
    assert "審議用" not in (site / "a.html").read_text("utf-8")


def test_review_edition_has_the_check_output_and_its_mark(project: Path) -> None:
    site = project / "_build" / "review" / "html"
    pages = ["index.html", "a.html", "search.html", "shinkyu/v1-v2.html", "versions/v1/a.html"]
    for page in pages:
        text = (site / page).read_text("utf-8")
        assert '<div class="hoshin-review-mark" role="note"><strong>審議用</strong>' in text, page
        assert re.search(r"<title>[^<]*【審議用】", text), page
    shinkyu = (site / "shinkyu" / "v1-v2.html").read_text("utf-8")
    assert "変更のない節を指す改版記録" in shinkyu
    assert "revisions/v2/changes.yaml:" in shinkyu and "sec-b" in shinkyu
    assert "確認済み: 表では変更とされているが本文は同じ" in shinkyu
    page = (site / "versions" / "v1" / "a.html").read_text("utf-8")
    footer = re.search(r"この頁の原稿 <code title=\"sha256 [0-9a-f]{64}\">[0-9a-f]{12}</code>"
                       r" ・ 版の識別値（MANIFEST.sha256 の SHA-256） <code title=\"sha256 "
                       r"([0-9a-f]{64})\">\1</code>", page)  # fmt: skip
    # the same value as at the foot of the version's PDF (hoshin.pdf)
    assert footer and footer[1] == manifest_digest(project / "revisions" / "v1")
    glossary = (site / "glossary.html").read_text("utf-8")
    assert "編集メモ：編集者向けの経緯メモ" in glossary
    assert public_leaks(site)  # the grep finds what the review edition is for


def test_editions_keep_their_own_outputs_and_caches(project: Path) -> None:
    build = project / "_build"
    assert (build / "html" / "index.html").is_file()
    assert (build / "review" / "html" / "index.html").is_file()
    assert (build / ".cache" / "review" / "doctrees").is_dir()
    # neither build disturbs the other: a second run of each finds nothing to do
    assert main(["-C", str(project), "build"]) == 0
    assert main(["-C", str(project), "build", "--review"]) == 0
    assert public_leaks(build / "html") == []


def test_an_unknown_edition_is_named_with_its_place(tmp_path: Path) -> None:
    from hoshin.core.config import check_conf

    conf = tmp_path / "conf.py"
    conf.write_text('project = "x"\nhoshin_edition = "draft"\n', "utf-8")
    (error,) = check_conf(conf)
    assert (error.line, error.col) == (2, 18)
    assert "hoshin_edition must be 'public' or 'review', got 'draft'" in error.message
