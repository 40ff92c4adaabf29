"""The diff engine: round trips, Japanese highlight granularity, block alignment, moves, speed."""

from __future__ import annotations

import difflib
import itertools
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hoshin.core.mystdoc import parse_files
from hoshin.revisions import diff as diff_module
from hoshin.revisions.compare import Comparison, JoinFinding
from hoshin.revisions.diff import (
    MATCHER_LIMIT,
    Span,
    align,
    apply_new,
    apply_old,
    diff_documents,
    diff_text,
    words,
)
from hoshin.revisions.render import (
    render_csv,
    render_html,
    render_json,
    render_text,
    shinkyu_rows,
)

# --- strategies ---------------------------------------------------------------------------

JAPANESE = (
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
    "がぎぐげござじずぜぞだでどばびぶべぼぱぴぷぺぽっゃゅょー"
    "アイウエオカキクケコサシスセソタチツテトナニヌネノシステムデータセキュリティ"
    "市民行政事務業務推進計画情報化基本方針検討整備効率化取組必要環境構築利用申請窓口"
    "、。「」（）・①②③0123456789ABCxyz \n"
)
japanese_text = st.text(alphabet=JAPANESE, max_size=300)
any_text = st.lists(
    st.one_of(
        st.text(max_size=4),
        st.sampled_from(
            ["e\u0301", "\u0301", "\u200d", "👨‍👩‍👧", "🇯🇵", "✋🏽", "\ufe0f", "\x00", "か\u3099"]
        ),
    ),
    max_size=20,
).map("".join)


@st.composite
def edited_pair(draw: st.DrawFn, base: st.SearchStrategy[str] = japanese_text) -> tuple[str, str]:
    """A text and a version of it with a few random deletions, insertions and replacements."""
    old = draw(base)
    new = old
    for _ in range(draw(st.integers(0, 6))):
        i = draw(st.integers(0, len(new)))
        j = draw(st.integers(i, min(len(new), i + 20)))
        new = new[:i] + draw(st.text(alphabet=JAPANESE, max_size=15)) + new[j:]
    return old, new


def _check_round_trip(old: str, new: str) -> tuple[Span, ...]:
    spans = diff_text(old, new)
    assert apply_old(spans) == old
    assert apply_new(spans) == new
    assert all(s.text for s in spans)
    # Adjacent spans never share an op (merged) and equal runs are never split.
    assert all(a.op != b.op for a, b in itertools.pairwise(spans))
    return spans


# --- diff_text ----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_pair())
def test_round_trip_on_japanese_edits(pair: tuple[str, str]) -> None:
    _check_round_trip(*pair)


@settings(max_examples=150, deadline=None)
@given(japanese_text, japanese_text)
def test_round_trip_on_unrelated_japanese_texts(old: str, new: str) -> None:
    _check_round_trip(old, new)


@settings(max_examples=300, deadline=None)
@given(any_text, any_text)
def test_round_trip_on_arbitrary_unicode(old: str, new: str) -> None:
    _check_round_trip(old, new)


@settings(max_examples=100, deadline=None)
@given(edited_pair(any_text))
def test_round_trip_on_edited_unicode(pair: tuple[str, str]) -> None:
    _check_round_trip(*pair)


def test_empty_and_identical_texts() -> None:
    assert diff_text("", "") == ()
    assert diff_text("同じ", "同じ") == (Span("equal", "同じ"),)
    assert diff_text("", "新設") == (Span("insert", "新設"),)
    assert diff_text("削除", "") == (Span("delete", "削除"),)


def test_words_keep_graphemes_together() -> None:
    for text in ("e\u0301te\u0301", "家族👨‍👩‍👧です", "か\u3099", "🇯🇵と✋🏽"):
        tokens = words(text)
        assert "".join(tokens) == text
        assert not any(t[0] in "\u0301\u200d\u3099\U0001f3fd" for t in tokens)


def _marked(spans: tuple[Span, ...]) -> str:
    return "".join(
        s.text if s.op == "equal" else f"[-{s.text}-]" if s.op == "delete" else f"{{+{s.text}+}}"
        for s in spans
    )


# Rows 2 and 6 of the seed's 素案の改訂箇所 table (改版前 → 改版後).
ROW2_OLD = (
    "※ 推進に当たっては、同時に行政事務の効率化にも繋がるよう、バックヤードのシステムの整備を含めた"
    "トータルでの検討を進めています。"
)
ROW2_NEW = (
    "※ 推進に当たっては、個人情報などのセキュリティに配慮するとともに、行政事務の効率化にも繋がるよう、"
    "業務システムの整備やシステムを活かした業務手法への再構築などトータルでの検討を進めています。"
)
ROW6_OLD = (
    "◆ この「市民サービスの向上」「持続可能な自治体」は、市の最上位計画である総合計画が目指すところで"
    "あることを考えれば、これまで以上に積極的な取組を、全庁的に展開していく必要があります。"
)
ROW6_NEW = (
    "◆ この「市民サービスの向上」「持続可能な自治体」は、市の最上位計画である総合計画をはじめとする、"
    "市全体の取組として目指すところであることを考えれば、これまで以上に積極的な取組を、全庁的に展開して"
    "いく必要があります。"
)


def test_highlights_cover_whole_phrases_row2() -> None:
    spans = _check_round_trip(ROW2_OLD, ROW2_NEW)
    assert _marked(spans) == (
        "※ 推進に当たっては、[-同時に-]{+個人情報などのセキュリティに配慮するとともに、+}"
        "行政事務の効率化にも繋がるよう、[-バックヤードの-]{+業務+}システムの整備"
        "[-を含めた-]{+やシステムを活かした業務手法への再構築など+}トータルでの検討を進めています。"
    )


def test_highlights_cover_whole_phrases_row6() -> None:
    spans = _check_round_trip(ROW6_OLD, ROW6_NEW)
    edits = [(s.op, s.text) for s in spans if s.op != "equal"]
    assert edits == [("delete", "が"), ("insert", "をはじめとする、市全体の取組として")]


def test_compound_that_gains_a_part() -> None:
    old = "各基幹系システムについて、これら基幹系システム内のデータ"
    new = "各基幹系業務システムについて、これら基幹系業務システム内のデータ"
    assert (
        _marked(diff_text(old, new))
        == "各基幹系{+業務+}システムについて、これら基幹系{+業務+}システム内のデータ"
    )
    assert _marked(
        diff_text("業務システムやネットワークの冗長化", "業務システムやネットワークの二重化")
    ) == ("業務システムやネットワークの[-冗長化-]{+二重化+}")


def test_no_scattered_characters() -> None:
    # A character diff would keep 「を図」 and split the verb; words keep 「を図る」 whole.
    assert _marked(diff_text("を図るよう努める", "を図る")) == "を図る[-よう努める-]"
    old, new = (
        "非常時に強い業務システムや端末の整備",
        "様々な執務体制の確保に資する業務システムや端末の整備",
    )
    assert (
        _marked(diff_text(old, new))
        == "[-非常時に強い-]{+様々な執務体制の確保に資する+}業務システムや端末の整備"
    )


# --- alignment and speed ------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=40), st.lists(st.integers(0, 6), max_size=40))
def test_align_reconstructs_both_sides(a: list[int], b: list[int]) -> None:
    ops = align(a, b, limit=16)  # a tiny limit exercises the no-matcher path too
    assert [x for tag, i1, i2, _, _ in ops for x in a[i1:i2]] == a
    rebuilt: list[int] = []
    for tag, i1, i2, j1, j2 in ops:
        assert tag in ("equal", "replace", "delete", "insert")
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        rebuilt.extend(b[j1:j2])
    assert rebuilt == b


@pytest.fixture
def matcher_sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Records len(a) * len(b) of every difflib matcher the engine creates."""
    sizes: list[int] = []
    real = difflib.SequenceMatcher

    class Recording(real):  # type: ignore[misc, valid-type]
        def __init__(self, isjunk: object, a: object, b: object, autojunk: bool = True) -> None:
            assert not autojunk, "autojunk drops frequent Japanese characters (、の は)"
            sizes.append(len(a) * len(b))  # type: ignore[arg-type]
            super().__init__(isjunk, a, b, autojunk)  # type: ignore[arg-type]

    monkeypatch.setattr(diff_module.difflib, "SequenceMatcher", Recording)
    return sizes


def test_long_paragraph_is_aligned_before_it_is_refined(matcher_sizes: list[int]) -> None:
    sentences = [
        f"第{n}項の取組は、市民サービスの向上に資するものとして推進します。" for n in range(3000)
    ]
    old = "".join(sentences)
    edited = list(sentences)
    edited[1500] = "第1500項の取組は、行政事務の効率化に資するものとして検討します。"
    edited.insert(2500, "新たな項目を加えます。")
    new = "".join(edited)
    spans = _check_round_trip(old, new)
    assert [s.text for s in spans if s.op == "insert"] == [
        "行政事務の効率化",
        "検討",
        "新たな項目を加えます。",
    ]
    assert max(matcher_sizes, default=0) <= MATCHER_LIMIT


def test_rewritten_long_text_never_hits_the_quadratic_matcher(matcher_sizes: list[int]) -> None:
    old = "あいうえお" * 20_000  # no sentence ends, no unique words
    new = "かきくけこ" * 20_000
    _check_round_trip(old, new)
    _check_round_trip(old, old[:50_000] + "挿入" + old[50_000:])
    assert max(matcher_sizes, default=0) <= MATCHER_LIMIT


def test_many_blocks_are_aligned_without_the_matcher(matcher_sizes: list[int]) -> None:
    files = {f"d{k}.md": f"({'s'}{k})=\n# 節{k}\n\n" + _paragraphs(k) for k in range(200)}
    changed = dict(files)
    changed["d100.md"] = changed["d100.md"].replace("段落3の本文", "段落3の改めた本文")
    old, new = parse_files(files), parse_files(changed)
    changes = diff_documents(old, new)
    assert [(c.section, c.kind) for c in changes] == [("s100", "changed")]
    assert max(matcher_sizes, default=0) <= MATCHER_LIMIT


def _paragraphs(k: int) -> str:
    return "\n\n".join(f"文書{k}の段落{n}の本文です。" for n in range(10)) + "\n"


# --- documents ----------------------------------------------------------------------------

BASE = {
    "index.md": "```{toctree}\na\nb\n```\n",
    "a.md": """(a-1)=
# 第一節

- 市民の皆さんの利便性の向上を図るため、オンライン申請を推進します。
- 窓口での手続を簡素化します。
- 業務システムの標準化に取り組みます。

(a-2)=
# 第二節

本節は変わりません。
""",
    "b.md": """(b-1)=
# 第三節

ICTによる情報化の取組を、全庁的に展開していく必要があります。

(b-2)=
# 削られる節

この節は次の版で削除されます。
""",
}


def _diff(changes: dict[str, str]) -> list[tuple[str, str, str, str]]:
    new = {**BASE, **changes}
    result = diff_documents(parse_files(BASE), parse_files(new))
    return [(c.section, c.kind, c.old, c.new) for c in result]


def test_identical_documents_have_no_changes() -> None:
    assert diff_documents(parse_files(BASE), parse_files(dict(BASE))) == []


def test_changed_added_and_removed_blocks_and_sections() -> None:
    a = BASE["a.md"].replace("窓口での手続を簡素化します。", "窓口での手続を大幅に簡素化します。")
    a = a.replace("本節は変わりません。", "本節は変わりません。\n\n段落を追加しました。")
    b = BASE["b.md"].split("(b-2)=")[0] + "(b-3)=\n# 新しい節\n\n新設の本文です。\n"
    result = _diff({"a.md": a, "b.md": b})
    assert result == [
        ("a-1", "changed", "窓口での手続を簡素化します。", "窓口での手続を大幅に簡素化します。"),
        ("a-2", "added", "", "段落を追加しました。"),
        ("b-2", "removed", "削られる節", ""),
        ("b-2", "removed", "この節は次の版で削除されます。", ""),
        ("b-3", "added", "", "新しい節"),
        ("b-3", "added", "", "新設の本文です。"),
    ]


def test_changed_blocks_are_paired_by_similarity() -> None:
    a = BASE["a.md"].replace(
        "- 窓口での手続を簡素化します。\n",
        "- 新しい項目を挿入しました。\n- 窓口での手続きを簡素化します。\n",
    )
    assert _diff({"a.md": a}) == [
        ("a-1", "added", "", "新しい項目を挿入しました。"),
        ("a-1", "changed", "窓口での手続を簡素化します。", "窓口での手続きを簡素化します。"),
    ]


def test_block_replaced_in_place_is_one_row() -> None:
    # Unrelated wording at the same place: one changed row (old | new), as in the seed's row 3.
    a = BASE["a.md"].replace("窓口での手続を簡素化します。", "職員研修を充実させます。")
    assert _diff({"a.md": a}) == [
        ("a-1", "changed", "窓口での手続を簡素化します。", "職員研修を充実させます。")
    ]


def test_moved_block_within_a_section() -> None:
    first = "- 市民の皆さんの利便性の向上を図るため、オンライン申請を推進します。\n"
    a = (
        BASE["a.md"]
        .replace(first, "")
        .replace(
            "- 業務システムの標準化に取り組みます。\n",
            "- 業務システムの標準化に取り組みます。\n" + first,
        )
    )
    result = diff_documents(parse_files(BASE), parse_files({**BASE, "a.md": a}))
    assert [(c.kind, c.section, c.old_section) for c in result] == [("moved", "a-1", "a-1")]
    assert result[0].spans == (Span("equal", result[0].old),)
    assert (result[0].old_line, result[0].new_line) == (4, 6)


def test_moved_and_edited_block_across_sections() -> None:
    moved = "ICTによる情報化の取組を、全庁的に展開していく必要があります。"
    b = BASE["b.md"].replace(moved + "\n", "")
    a = BASE["a.md"].replace("本節は変わりません。", f"本節は変わりません。\n\n{moved[:-1]}ね。")
    result = diff_documents(parse_files(BASE), parse_files({**BASE, "a.md": a, "b.md": b}))
    assert [(c.kind, c.section, c.old_section, c.old_path, c.new_path) for c in result] == [
        ("moved", "a-2", "b-1", "b.md", "a.md")
    ]
    assert apply_new(result[0].spans) == moved[:-1] + "ね。"


def test_whole_document_moves() -> None:
    # The same sections in another file and order: nothing changed for a reader.
    moved = {
        "index.md": "```{toctree}\nb\nc/a\n```\n",
        "b.md": BASE["b.md"],
        "c/a.md": BASE["a.md"],
    }
    assert diff_documents(parse_files(BASE), parse_files(moved)) == []
    # A section's whole text under a new label: moves, plus the new heading.
    relabelled = {**BASE, "b.md": BASE["b.md"].replace("(b-1)=\n# 第三節", "(b-9)=\n# 第九節")}
    kinds = [
        (c.section, c.kind) for c in diff_documents(parse_files(BASE), parse_files(relabelled))
    ]
    assert kinds == [("b-1", "removed"), ("b-9", "added"), ("b-9", "moved")]


def test_empty_sections() -> None:
    old = {"index.md": "(x)=\n# 見出しだけ\n\n(y)=\n# 空になる節\n\n本文\n"}
    new = {"index.md": "(x)=\n# 見出しだけ\n\n本文が入った\n\n(y)=\n# 空になる節\n"}
    result = diff_documents(parse_files(old), parse_files(new))
    assert [(c.section, c.kind, c.old, c.new) for c in result] == [
        ("x", "added", "", "本文が入った"),
        ("y", "removed", "本文", ""),
    ]
    assert diff_documents(parse_files({}), parse_files({})) == []


# --- renderers ----------------------------------------------------------------------------


def _comparison() -> Comparison:
    a = BASE["a.md"].replace("窓口での手続を簡素化します。", "窓口での手続を<大幅に>簡素化します。")
    b = BASE["b.md"].split("(b-2)=")[0]
    changes = diff_documents(parse_files(BASE), parse_files({**BASE, "a.md": a, "b.md": b}))
    return Comparison(
        "_63", "_83", changes, reasons={0: ["庁内意見照会を受け"]},
        unexplained=[JoinFinding(section="b-2", path="b.md", line=9, message="記録のない変更")],
    )  # fmt: skip


def test_render_json_shape() -> None:
    data = json.loads(render_json(_comparison()))
    assert list(data) == [
        "old",
        "new",
        "changes",
        "glossary",
        "unexplained",
        "stale_reasons",
        "quote_mismatches",
    ]
    first = data["changes"][0]
    assert list(first) == ["section", "title", "kind", "old", "new", "spans", "reasons"]
    assert first["reasons"] == ["庁内意見照会を受け"]
    assert first["spans"][1] == {"op": "insert", "text": "<大幅に>"}
    assert "窓口" in render_json(_comparison())  # ensure_ascii=False


def test_render_csv_for_excel() -> None:
    text = render_csv(_comparison())
    assert text.startswith("\ufeff箇所,見出し,種別,改版前,改版後,改版理由\r\n")
    assert "a-1,第一節,変更," in text
    assert ",削除," in text


def test_render_text_plain_and_coloured() -> None:
    cmp = _comparison()
    plain = render_text(cmp, colour=False)
    assert "{+<大幅に>+}" in plain
    assert "\x1b[" not in plain
    assert "改版理由: 庁内意見照会を受け" in plain
    assert "b.md:9" in plain
    for line in plain.splitlines():
        width = sum(2 if re.match(r"[^\x00-\u2e7f]", ch) else 1 for ch in line)
        assert width <= 80, line
    coloured = render_text(cmp, colour=True)
    assert "\x1b[32;4m<大幅に>" in coloured


def test_render_html_shinkyu_table() -> None:
    cmp = _comparison()
    page = render_html(cmp)
    assert page.startswith('<!DOCTYPE html>\n<html lang="ja">')
    assert "傍線部分は改版部分" in page
    assert "<ins>" in page and "&lt;大幅に&gt;" in page and "<大幅に>" not in page
    assert "<del>" in page  # the removed section's text
    head = re.search(r"<thead>(.*?)</thead>", page, re.S)
    assert head is not None
    assert head.group(1).index("改版前") < head.group(1).index("改版後")
    swapped = render_html(cmp, columns=("new", "old"))
    head = re.search(r"<thead>(.*?)</thead>", swapped, re.S)
    assert head is not None
    assert head.group(1).index("改版後") < head.group(1).index("改版前")


def test_shinkyu_rows_are_plain_data() -> None:
    rows = shinkyu_rows(_comparison())
    first = rows[0]
    assert first.kind == "changed" and first.reasons == ("庁内意見照会を受け",)
    old, new = first.cells
    assert (old.side, new.side) == ("old", "new")
    assert [s.mark for s in new.segments] == ["", "ins", ""]
    assert "".join(s.text for s in old.segments) == "窓口での手続を簡素化します。"
    removed = rows[-1]
    assert removed.kind == "removed" and removed.cells[1].placeholder == "（削除）"


def test_similarity_work_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real = diff_module._dice

    def counting(a: object, b: object) -> float:
        nonlocal calls
        calls += 1
        return real(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(diff_module, "_dice", counting)
    n = 1500
    old = {
        "index.md": "(x)=\n# 旧\n\n"
        + "\n\n".join(f"旧い段落{k}の本文は十分に長い文章です。" for k in range(n))
    }
    new = {
        "index.md": "(y)=\n# 新\n\n"
        + "\n\n".join(f"新しい段落{k}の文面は別の内容になります。" for k in range(n))
    }
    changes = diff_documents(parse_files(old), parse_files(new))
    assert len(changes) == 2 * (n + 1)
    assert calls <= diff_module.NEAR_MOVE_LIMIT
    calls = 0
    edited = {"index.md": old["index.md"].replace("の本文は", "の本文も")}
    changes = diff_documents(parse_files(old), parse_files(edited))
    assert [c.kind for c in changes] == ["changed"] * n
    assert calls <= 8 * n
