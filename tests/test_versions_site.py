"""The multi-version site: versions/<id>/, switcher, banner, footer, notes, 新旧対照表 pages, cache.

One small project is frozen twice (v1, v2) and built once per module; the slow test at the
end builds the embedded edition with all its versions.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from hoshin.cli import main
from hoshin.core.frozen import FreezeRequest, apply_rehash, freeze, plan_rehash

from .conftest import REPO
from .test_editions import public_leaks

CONF = """\
project = "試しの方針"
author = "試し市"
language = "ja"
extensions = ["hoshin"]
html_theme = "basic"
hoshin_project_slug = "versions"
"""
INDEX = """\
(cover)=
# 試しの方針

```{revision-history}
```

```{toctree}
a
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
HISTORY = "versions:\n"


def _page(body: str) -> str:
    return f"(sec-a)=\n# 1.方針\n\n{body}\n\n(sec-b)=\n# 2.体制\n\n- 体制を整えます。\n"


def _write_source(root: Path, body: str) -> None:
    (root / "source").mkdir(exist_ok=True)
    (root / "source" / "index.md").write_text(INDEX, "utf-8")
    (root / "source" / "revisions.md").write_text(REVISIONS, "utf-8")
    (root / "source" / "a.md").write_text(_page(body), "utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("versions") / "p"
    root.mkdir()
    (root / "conf.py").write_text(CONF, "utf-8")
    (root / "revisions").mkdir()
    (root / "revisions" / "history.yaml").write_text(HISTORY, "utf-8")
    _write_source(root, "- 市では情報化を進めます。")
    freeze(root, FreezeRequest("v1", "最初の素案", events=("第1回会議",), date="2021-03-01"))
    _write_source(root, "- 市ではICTによる情報化を進めます。")
    (root / "revisions" / "current").mkdir()  # records of the draft move with it on freeze
    (root / "revisions" / "current" / "changes.yaml").write_text(
        "changes:\n  - number: 1\n    motive: 第2回会議\n    page: 1\n    sections: [sec-a]\n"
        "    old: 市では情報化を進めます。\n    new: 市ではICTによる情報化を進めます。\n"
        "    reason: <script>alert(1)</script>の指摘を受け\n", "utf-8")  # fmt: skip
    freeze(root, FreezeRequest("v2", "第2回会議を反映", events=("第2回会議",), date="undetermined",
                               edition="VER.01", status="published"))  # fmt: skip
    assert main(["-C", str(root), "build", "--strict"]) == 0
    return root


def html(project: Path, page: str) -> str:
    return (project / "_build" / "html" / page).read_text("utf-8")


def _switcher(page: str) -> str:
    found = re.search(r'<details class="hoshin-switcher">.*?</details>', page, re.S)
    assert found
    return found.group(0)


def test_titles_and_switcher_name_every_version(project: Path) -> None:
    site = project / "_build" / "html"
    titles = {
        page: re.search(r"<title>([^<]*)</title>", (site / page).read_text("utf-8")).group(1)
        for page in ("a.html", "versions/v1/a.html", "versions/v2/a.html", "shinkyu/v1-v2.html")
    }
    assert titles["a.html"].endswith("｜作業中の原稿")
    assert titles["versions/v1/a.html"].endswith("｜素案（令和3年3月）")
    assert titles["versions/v2/a.html"].endswith("｜公表版 VER.01（第2回会議を反映）")
    assert titles["shinkyu/v1-v2.html"].startswith(
        "新旧対照表：素案（令和3年3月） → 公表版 VER.01（第2回会議を反映）"
    )
    assert len(set(titles.values())) == len(titles)
    switcher = _switcher((site / "versions" / "v1" / "a.html").read_text("utf-8"))
    assert (
        "素案（令和3年3月）</a>" in switcher
        and "（過去の版・素案・令和3年3月1日・版番号 v1）" in switcher
    )
    assert "（最後に確定した版・公表・版番号 v2）" in switcher


def test_aria_current_marks_only_a_link_to_the_page_itself(project: Path) -> None:
    site = project / "_build" / "html"
    for page in ("a.html", "versions/v1/a.html", "shinkyu/v1-v2.html", "revisions.html"):
        text = (site / page).read_text("utf-8")
        for href in re.findall(r'<a [^>]*href="([^"]+)"[^>]*aria-current="page"', text):
            assert ((site / page).parent / href).resolve() == (site / page).resolve(), (page, href)
    shinkyu = _switcher((site / "shinkyu" / "v1-v2.html").read_text("utf-8"))
    assert 'href="../index.html" aria-current="true">作業中の原稿' in shinkyu


def test_layout(project: Path) -> None:
    site = project / "_build" / "html"
    for page in ("index.html", "a.html", "versions/v1/a.html", "versions/v2/a.html",
                 "shinkyu/v1-v2.html", "shinkyu/v2-current.html"):  # fmt: skip
        assert (site / page).is_file(), page


def test_switcher_links_resolve_and_work_without_js(project: Path) -> None:
    site = project / "_build" / "html"
    for page in ("a.html", "versions/v1/a.html", "versions/v2/index.html", "shinkyu/v1-v2.html"):
        text = (site / page).read_text("utf-8")
        switcher = re.search(r'<details class="hoshin-switcher">.*?</details>', text, re.S)
        assert switcher, page
        hrefs = re.findall(r'href="([^"#]+)', switcher.group(0))
        assert len(hrefs) == 3, page  # current, v2, v1 — plain links
        for href in hrefs:
            assert ((site / page).parent / href).resolve().is_file(), (page, href)
        assert "<summary>" in switcher.group(0)


def test_banner_mark_and_footer(project: Path) -> None:
    old, latest, draft = (html(project, p) for p in ("versions/v1/a.html", "versions/v2/a.html",
                                                     "a.html"))  # fmt: skip
    # versions by name; the banners point at the working draft, the site's default version
    assert "これは過去の版「素案（令和3年3月）」のページです" in old
    assert 'いま編集中の内容は<a href="../../a.html">作業中の原稿</a>にあります' in old
    assert "これは最後に確定した版「公表版 VER.01（第2回会議を反映）」のページです" in latest
    assert "最新の版は" not in old + latest and "hoshin-old-banner" not in draft
    assert "作業中の原稿は、最後に確定した版「公表版 VER.01（第2回会議を反映）」に" in draft
    for text in (old, latest, draft):
        assert "記録なし" not in text and "令和XX年XX月" not in _switcher(text)
    assert '<span class="hoshin-draft-mark">素案</span>' in old
    assert "素案</span>" not in latest  # v2 is published
    assert "この頁の原稿" not in old and "sha256" not in old  # hashes: review edition only
    assert 'name="robots" content="noindex"' in old


def test_revised_note_links_to_its_row(project: Path) -> None:
    for page, prefix in (("versions/v2/a.html", "../../"), ("a.html", "")):
        text = html(project, page)
        assert "この節は「公表版 VER.01（第2回会議を反映）」で改訂されました" in text, page
        href = re.search(r'で改訂されました（<a[^>]+href="([^"]+)"', text).group(1)
        target, anchor = href.split("#")
        assert target == f"{prefix}shinkyu/v1-v2.html"
        assert f'id="{anchor}"' in html(project, "shinkyu/v1-v2.html")
    assert "改訂されました" not in html(project, "versions/v1/a.html")


def test_shinkyu_page(project: Path) -> None:
    text = html(project, "shinkyu/v1-v2.html")
    assert '<ins><span class="hoshin-sr">［追加：</span>ICTによる' in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;の指摘を受け" in text  # data shown as text
    assert "<script>alert(1)" not in text
    assert 'href="../versions/v2/a.html#sec-a"' in text
    assert "本文の変更はありません" in html(project, "shinkyu/v2-current.html")


def test_history_tables(project: Path) -> None:
    cover = html(project, "index.html")
    assert "令和3年3月1日" in cover and "令和XX年XX月" in cover and "VER.01" in cover
    page = html(project, "revisions.html")
    assert 'href="shinkyu/v1-v2.html"' in page
    assert 'id="change-1"' in page and 'href="a.html#sec-a"' in page
    assert "この版までの改版記録はありません" in html(project, "versions/v1/revisions.html")


def test_rebuild_uses_the_cache_and_edits_rebuild_only_the_draft(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    capsys.readouterr()
    v1 = project / "_build" / "html" / "versions" / "v1" / "a.html"
    before = v1.stat().st_mtime_ns
    assert main(["-C", str(project), "build"]) == 0
    assert "v1 (cached)" in capsys.readouterr().err
    page = project / "source" / "a.md"
    page.write_text(
        page.read_text("utf-8").replace("体制を整えます。", "体制を整備します。"), "utf-8"
    )
    assert main(["-C", str(project), "build"]) == 0
    err = capsys.readouterr().err
    assert "v1 (cached)" in err and "v2 (cached)" in err
    assert v1.stat().st_mtime_ns == before
    assert "［追加：</span>整備し<span" in html(project, "shinkyu/v2-current.html")
    assert "a.md:" in err and "[hoshin.unexplained]" in err  # the draft's new change warns
    assert main(["-C", str(project), "build", "--strict"]) == 1
    page.write_text(
        page.read_text("utf-8").replace("体制を整備します。", "体制を整えます。"), "utf-8"
    )


@pytest.mark.slow
def test_embedded_edition_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "joetsu"
    root.mkdir()
    shutil.copy(REPO / "conf.py", root / "conf.py")
    for folder in ("source", "revisions", "glossary"):
        if (REPO / folder).exists():
            shutil.copytree(REPO / folder, root / folder)
    for shared in ("node_modules", "package.json", "package-lock.json"):
        if (REPO / shared).exists():
            (root / shared).symlink_to(REPO / shared)
    assert main(["-C", str(root), "build", "--strict"]) == 0, capsys.readouterr().err
    site = root / "_build" / "html"
    for vid in ("_62", "_63", "_83"):
        assert (site / "versions" / vid / "index.html").is_file()
    for pair in ("_62-_63", "_63-_83", "_83-current"):
        assert (site / "shinkyu" / f"{pair}.html").is_file()
    cover = (site / "index.html").read_text("utf-8")
    assert re.search(r"令和XX年XX月\s*</p></td>\s*<td><p>VER.01</p></td>\s*<td><p>_83", cover)
    shinkyu = (site / "shinkyu" / "_63-_83.html").read_text("utf-8")
    for number in range(2, 12):
        if number != 5:
            assert f"No.{number}" in shinkyu
    assert "（改版前の文言は記録されていません）" in shinkyu  # No.5 and No.13
    assert "No.12" in shinkyu
    note = (site / "versions" / "_83" / "3" / "3-1-1.html").read_text("utf-8")
    assert "この節は「素案 VER.01（第4回有識者会議資料）」で改訂されました" in note
    old = (site / "versions" / "_62" / "2" / "2-1.html").read_text("utf-8")
    assert "改訂箇所の表から再構成したもの" in old and "2-1.「ICT」と「情報化」" in old
    assert public_leaks(site) == []  # the public edition: no paths, labels, hashes, notes


def test_editing_a_record_rereads_only_the_page_that_shows_records(project: Path) -> None:
    doctrees = project / "_build" / ".cache" / "doctrees" / "current"
    assert main(["-C", str(project), "build"]) == 0
    before = {p.name: p.stat().st_mtime_ns for p in doctrees.rglob("*.doctree")}
    records = project / "revisions" / "v2" / "changes.yaml"
    original = records.read_text("utf-8")
    records.write_text(original.replace("の指摘を受け", "の指摘を受けて改めた"), "utf-8")
    # a frozen version's records are covered by its manifest: an intended edit is rehashed
    apply_rehash(project, plan_rehash(project))
    try:
        assert main(["-C", str(project), "build"]) == 0
        after = {p.name: p.stat().st_mtime_ns for p in doctrees.rglob("*.doctree")}
        reread = sorted(name for name, mtime in after.items() if before.get(name) != mtime)
        assert reread == ["revisions.doctree"]
        assert "の指摘を受けて改めた" in html(project, "revisions.html")
        assert "の指摘を受けて改めた" in html(project, "shinkyu/v1-v2.html")
        assert "の指摘を受けて改めた" in html(project, "versions/v2/revisions.html")
    finally:
        records.write_text(original, "utf-8")
        apply_rehash(project, plan_rehash(project))
