"""The MyST reader: sections by label, blocks as a reader sees them, the seed's text kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hoshin.core.mystdoc import (
    Block,
    PolicyDocument,
    ScanCache,
    clean_inline,
    parse_files,
    read_document,
)

from .conftest import REPO, SEED
from .htmltext import normalise
from .test_seed_coverage import seed_units

SECTIONS = [
    *(f"sec-1-{n}" for n in range(1, 7)),
    *(f"sec-2-{n}" for n in range(1, 6)),
    "sec-3-1-1", "sec-3-1-2", "sec-3-1-3",
    "sec-3-2-1", "sec-3-2-2", "sec-3-2-3", "sec-3-2-4",
    "sec-3-3-1",
    "sec-4-1", "sec-4-2", "sec-4-3",
]  # fmt: skip


@pytest.fixture(scope="module")
def draft() -> PolicyDocument:
    return read_document(REPO / "source")


def test_sections_of_the_draft_in_reading_order(draft: PolicyDocument) -> None:
    labels = list(draft.sections)
    assert [label for label in labels if label in SECTIONS] == SECTIONS  # toctree order
    assert labels[0] == "cover"
    assert labels.index("chap-1") < labels.index("sec-1-1") < labels.index("chap-2")
    assert labels.index("sec-4-3") < labels.index("colophon") < labels.index("mtg4")
    section = draft.get("sec-3-1-1")
    assert section is not None
    assert section.title == "3-1-1.基本方針① 行政手続等の利便性の向上"
    assert section.path == "3/3-1-1.md"
    assert section.blocks[0] == Block("heading", section.title, "3/3-1-1.md", 5)
    assert draft.get("no-such-label") is None


# Seed text the site draws from data, not from MyST: the cover's 改版履歴 line comes from
# revisions/history.yaml through the ``revision-history`` directive.
GENERATED = {"令和XX年XX月 VER.01 _83"}


def test_every_seed_sentence_is_in_some_block(draft: PolicyDocument) -> None:
    texts = "\x00".join(normalise(b.text) for _, b in draft.blocks())
    cells = texts.replace("|", "")  # a table row read across its cells
    missing = [
        f"seed line {n}: {s}"
        for n, s in seed_units(SEED)
        if s not in GENERATED and normalise(s) not in texts and normalise(s) not in cells
    ]
    assert not missing, "\n".join(missing[:40])


def test_no_markup_left_in_block_texts(draft: PolicyDocument) -> None:
    markup = re.compile(
        r"^\s*(?:[-*+] |#|:::|```|\(sec-|:[a-z-]+:)|\{[a-z-]+\}`|\*\*|^---$|seed_page"
    )
    leftovers = [(b.path, b.line, b.text) for _, b in draft.blocks() if markup.search(b.text)]
    assert not leftovers


def test_blocks_of_a_policy_section(draft: PolicyDocument) -> None:
    section = draft.get("sec-3-1-1")
    assert section is not None
    kinds = [(b.kind, b.text[:12]) for b in section.blocks]
    assert ("heading", "考え方") in kinds
    assert ("heading", "基本方針") in kinds  # the card's title
    items = [b.text for b in section.blocks if b.kind == "item"]
    # Each list item is one block; nested items are blocks of their own.
    assert items[0].startswith("感染症状況下のみならず") and items[0].endswith("必要があります。")
    assert any(t.startswith("まず、オンライン申請については") for t in items)
    # Ordered lists keep their rendered numbers, restarting in each card.
    assert "1. オンライン申請の適用範囲の拡大を推進" in items
    assert "1. オンライン申請の導入" in items
    assert "2. 情報連携制度の積極的な活用" in items
    assert "マイナンバーカードの普及促進" in items
    kihon = next(b for b in section.blocks if b.text == "1. オンライン申請の適用範囲の拡大を推進")
    assert (kihon.path, kihon.line) == ("3/3-1-1.md", 17)


def test_tables_and_figures(draft: PolicyDocument) -> None:
    table = draft.get("sec-3-3-1")
    assert table is not None
    rows = [b.text for b in table.blocks if b.kind == "row"]
    assert rows[0] == " | 市民分野・産業分野 | 行政内部分野 | 官民データ ※1 | 自治体DX ※2"
    assert "基本方針④ 内部事務の効率化・省力化 |  | 行政内部 | e | iv" in rows
    assert ("other", "情報化方針等上の分類") in [(b.kind, b.text) for b in table.blocks]
    figure = draft.get("sec-1-1")
    assert figure is not None
    texts = [(b.kind, b.text) for b in figure.blocks]
    assert ("other", "国のIT戦略の歩み(COVID-19以前)") in texts
    assert ("para", "出典: 首相官邸ホームページより") in texts


def test_hard_breaks_and_cjk_soft_breaks(draft: PolicyDocument) -> None:
    summary = draft.get("mtg4-privacy-summary")
    assert summary is not None
    assert "病院、診療所及び大学には、民間部門と同じ規律を適用\n※④、⑤、⑥に係る部分は除く" in [
        b.text for b in summary.blocks
    ]
    section = draft.get("sec-2-1")
    assert section is not None
    assert "ICTにより必然的に達成される事項" in [b.text for b in section.blocks]


SYNTHETIC = {
    "index.md": """---
title: x
---
(top)=
# 表紙

```{toctree}
:maxdepth: 1

b
目次 <a>
```
""",
    "a.md": """前置きの段落
(a-1)=
# A 第一節

{term}`ICT <term-ict>`による**情報化**を[推進](https://example.jp)します。
詳しくは{ref}`次節 <a-2>`と `code` と <https://example.jp/x> を参照\\
改行後の行

% comment line
<!-- a comment
spanning lines -->
(not-a-section)=
段落の前のラベル

一つ目の見出し
==============

| 列1 | 列2 |
|-----|-----|
| *a* | b \\| c |

||

```python
print("コードは比較しない")
```

1. 第一
1. 第二

   第二の続き
   - 入れ子
2021. 続く番号は同じリストの項目

本文の段落
2021. 年号は段落の途中
(a-2)=
## A 第二節

:::{note}
:class: tip
注記の本文
:::
(a-1)=
# 重複したラベル
""",
    "b.md": "(b-1)=\n# B\n\n本文\n",
    "orphan.md": "# 目次にない文書\n\n本文\n",
}


def test_synthetic_markup() -> None:
    doc = parse_files(SYNTHETIC)
    assert list(doc.sections) == [
        "top",
        "b-1",
        "file:a.md",
        "a-1",
        "a-2",
        "a-1~2",
        "file:orphan.md",
    ]
    a1 = doc.sections["a-1"]
    texts = [(b.kind, b.text) for b in a1.blocks]
    assert texts == [
        ("heading", "A 第一節"),
        (
            "para",
            "ICTによる情報化を推進します。詳しくは次節と code と https://example.jp/x を参照\n改行後の行",
        ),
        ("para", "段落の前のラベル"),
        ("heading", "一つ目の見出し"),
        ("row", "列1 | 列2"),
        ("row", "a | b | c"),
        ("para", "||"),
        ("item", "1. 第一"),
        ("item", "2. 第二\n第二の続き"),
        ("item", "入れ子"),
        ("item", "3. 続く番号は同じリストの項目"),
        ("para", "本文の段落 2021. 年号は段落の途中"),
    ]
    assert doc.sections["file:a.md"].blocks[0].text == "前置きの段落"
    assert [b.text for b in doc.sections["a-2"].blocks] == ["A 第二節", "注記の本文"]
    assert doc.sections["a-1~2"].title == "重複したラベル"
    assert doc.sections["file:orphan.md"].title == "目次にない文書"
    assert all("コード" not in b.text for _, b in doc.blocks())


def test_inline_cleanup() -> None:
    assert clean_inline("{term}`RFI`の{doc}`方針 </3/3-1>`") == "RFIの方針"
    assert clean_inline("_83 と _62 の差") == "_83 と _62 の差"
    assert clean_inline("**太字**と*斜体*と\\*記号") == "太字と斜体と*記号"
    assert clean_inline("![図の説明](img.png)") == "図の説明"


def test_scan_cache_is_shared_between_versions() -> None:
    cache = ScanCache()
    one = parse_files(SYNTHETIC, cache=cache)
    changed = {**SYNTHETIC, "b.md": "(b-1)=\n# B\n\n本文を改めた\n"}
    two = parse_files(changed, cache=cache)
    assert len(cache) == len(SYNTHETIC) + 1
    assert one.sections["a-1"].blocks[1] is two.sections["a-1"].blocks[1]
    assert two.sections["b-1"].blocks[1].text == "本文を改めた"


def test_a_kept_scan_cache_reads_the_same_document(tmp_path: Path) -> None:
    store = tmp_path / "cache" / "scans.pickle"
    fresh = read_document(REPO / "source")
    first = ScanCache.load(store)  # missing file: an empty cache
    assert len(first) == 0
    assert read_document(REPO / "source", cache=first) == fresh
    first.save(store)
    assert store.is_file()
    again = ScanCache.load(store)
    assert len(again) == len(first)
    assert read_document(REPO / "source", cache=again) == fresh
    # An edited file is scanned again (the key is the content, not the name).
    changed = {**SYNTHETIC, "b.md": "(b-1)=\n# B\n\n別の本文\n"}
    parse_files(SYNTHETIC, cache=again)
    again.save(store)
    kept = ScanCache.load(store)
    assert parse_files(changed, cache=kept).sections["b-1"].blocks[1].text == "別の本文"


@pytest.mark.parametrize(
    "content", [b"", b"not a pickle", b"\x80\x05N."], ids=["empty", "garbage", "none"]
)
def test_a_broken_scan_cache_is_ignored(tmp_path: Path, content: bytes) -> None:
    store = tmp_path / "scans.pickle"
    store.write_bytes(content)
    cache = ScanCache.load(store)
    assert len(cache) == 0
    assert parse_files(SYNTHETIC, cache=cache) == parse_files(SYNTHETIC)
    cache.save(store)
    assert len(ScanCache.load(store)) == len(SYNTHETIC)


def test_read_document_skips_private_folders(tmp_path: Path) -> None:
    (tmp_path / "_build").mkdir()
    (tmp_path / "_build" / "x.md").write_text("(x)=\n# X\n", encoding="utf-8")
    (tmp_path / "index.md").write_text("\ufeff(top)=\n# 表紙\n", encoding="utf-8")
    doc = read_document(tmp_path)
    assert list(doc.sections) == ["top"]
    assert doc.sections["top"].title == "表紙"


_MYST_PIECES = st.sampled_from(
    [
        "\n", "\n\n", "(lab-1)=\n", "# 見出し\n", "## 小見出し\n", "- 項目\n", "  - 入れ子\n", "1. 番号\n",
        "::::{card} 基本方針\n", ":class-card: x\n", "::::\n", ":::{figure-pending} 図\n", ":::\n",
        "```{list-table}\n", "* - セル\n", "  - セル2\n", "```\n", "```{toctree}\n", "a\n", "| a | b |\n",
        "|---|---|\n", "% c\n", "<!-- c\n", "-->\n", "---\n", "本文の段落です。\n", "続き\\\n", "{term}`語`\n",
        "**強調**\n", "```{flow} f.yaml\n", "> 引用\n", "===\n", "\t- タブ\n", "\r\n", "$$\n",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_MYST_PIECES, st.text(max_size=6)), max_size=40).map("".join))
def test_any_text_scans_without_error(text: str) -> None:
    doc = parse_files(
        {"index.md": text, "f.yaml": "title: 図の題"}, resource=lambda p: "title: 図の題"
    )
    for section in doc.sections.values():
        for block in section.blocks:
            assert block.text or block.kind == "row"
            assert (
                1 <= block.line <= len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
            )
