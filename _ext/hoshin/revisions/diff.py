"""The diff engine: version → version changes, section by section (pure Python).

Align first, refine second. :func:`diff_documents` pairs sections by label, aligns the
blocks of a section (unique identical blocks anchor the alignment, the gaps between anchors
are paired by similarity), detects blocks that moved, and only then diffs the text of each
changed block with :func:`diff_text`. That one aligns sentences first, then words
(SudachiPy morphemes, or character-class runs when Sudachi is unavailable), and finally
folds short equal fragments between edits into the edit, so that a highlight covers a
Japanese word or phrase rather than scattered characters.

Nothing here is quadratic in the size of a document: unchanged sections are skipped by
comparing their texts, common prefixes and suffixes are stripped, and the quadratic
:class:`difflib.SequenceMatcher` only ever sees small gaps between anchors.
"""

from __future__ import annotations

import difflib
import functools
import operator
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from hoshin.core.mystdoc import Block, PolicyDocument, Section

__all__ = [
    "BlockChange",
    "Span",
    "apply_new",
    "apply_old",
    "diff_documents",
    "diff_text",
    "similarity",
]

SpanOp = Literal["equal", "delete", "insert"]
ChangeKind = Literal["changed", "added", "removed", "moved"]
Opcode = tuple[str, int, int, int, int]

#: Largest gap (len(a) * len(b)) handed to difflib's quadratic matcher.
MATCHER_LIMIT = 40_000
#: Two blocks at least this similar (bigram Dice) are one changed block.
PAIR_THRESHOLD = 0.4
#: A removed and an added block at least this similar are one moved block.
MOVE_THRESHOLD = 0.8
#: Blocks shorter than this are never reported as moved (too common to mean anything).
MOVE_MIN_CHARS = 6
#: Most (removed × added) block pairs compared for near-identical moves (exact ones always).
NEAR_MOVE_LIMIT = 20_000
#: Above this many characters a changed region is split into words by regex, not Sudachi.
SUDACHI_LIMIT = 20_000


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text that is equal on both sides, only in the old text or only in the new."""

    op: SpanOp
    text: str


def apply_old(spans: Sequence[Span]) -> str:
    """The old text: equal and deleted spans."""
    return "".join(s.text for s in spans if s.op != "insert")


def apply_new(spans: Sequence[Span]) -> str:
    """The new text: equal and inserted spans."""
    return "".join(s.text for s in spans if s.op != "delete")


@dataclass(frozen=True, slots=True)
class BlockChange:
    """One changed, added, removed or moved block.

    ``section``/``title`` name the section the block is in now (for a removed block: was in);
    a moved block also names ``old_section``. ``spans`` diff ``old`` into ``new``.
    """

    section: str
    title: str
    kind: ChangeKind
    old: str
    new: str
    spans: tuple[Span, ...]
    old_line: int | None
    new_line: int | None
    old_path: str | None
    new_path: str | None
    old_section: str | None = None


# ---------------------------------------------------------------------------------------
# Sequence alignment: prefix/suffix, unique anchors (patience), difflib on small gaps.
# ---------------------------------------------------------------------------------------


def align(a: Sequence[Hashable], b: Sequence[Hashable], limit: int = MATCHER_LIMIT) -> list[Opcode]:
    """Opcodes (``equal``/``replace``/``delete``/``insert``) turning ``a`` into ``b``.

    Patience-style: common ends are stripped, items unique on both sides anchor the
    alignment (longest increasing run), and the gaps are aligned recursively. Only a gap
    with no unique anchor and at most ``limit`` cells goes to difflib; a bigger one is a
    plain replace. Runs in O(n log n) plus the bounded difflib calls.
    """
    out: list[Opcode] = []
    # Work items: ("gap", a1, a2, b1, b2) to align, or an opcode to emit; LIFO, so each
    # gap pushes its pieces in reverse reading order.
    stack: list[tuple[str, int, int, int, int]] = [("gap", 0, len(a), 0, len(b))]
    while stack:
        tag, a1, a2, b1, b2 = stack.pop()
        if tag != "gap":
            out.append((tag, a1, a2, b1, b2))
            continue
        s1, t1 = a1, b1
        while s1 < a2 and t1 < b2 and a[s1] == b[t1]:
            s1 += 1
            t1 += 1
        s2, t2 = a2, b2
        while s2 > s1 and t2 > t1 and a[s2 - 1] == b[t2 - 1]:
            s2 -= 1
            t2 -= 1
        pieces: list[tuple[str, int, int, int, int]] = [("equal", a1, s1, b1, t1)]
        if s1 == s2 or t1 == t2:
            pieces.append((_edit_tag(s1, s2, t1, t2), s1, s2, t1, t2))
        else:
            anchors = _unique_anchors(a, s1, s2, b, t1, t2)
            if anchors:
                pi, pj = s1, t1
                for i, j in anchors:
                    pieces.append(("gap", pi, i, pj, j))
                    pieces.append(("equal", i, i + 1, j, j + 1))
                    pi, pj = i + 1, j + 1
                pieces.append(("gap", pi, s2, pj, t2))
            elif (s2 - s1) * (t2 - t1) <= limit:
                matcher = difflib.SequenceMatcher(None, a[s1:s2], b[t1:t2], autojunk=False)
                for op, i1, i2, j1, j2 in matcher.get_opcodes():
                    pieces.append((op, s1 + i1, s1 + i2, t1 + j1, t1 + j2))
            else:
                pieces.append(("replace", s1, s2, t1, t2))
        pieces.append(("equal", s2, a2, t2, b2))
        stack.extend(reversed(pieces))
    return _merge_opcodes(out)


def _unique_anchors(
    a: Sequence[Hashable], a1: int, a2: int, b: Sequence[Hashable], b1: int, b2: int
) -> list[tuple[int, int]]:
    """Pairs (i, j) of items unique in both ranges, longest increasing in j."""
    count_a: dict[Hashable, int] = {}
    pos_a: dict[Hashable, int] = {}
    for i in range(a1, a2):
        item = a[i]
        count_a[item] = count_a.get(item, 0) + 1
        pos_a[item] = i
    count_b: dict[Hashable, int] = {}
    pos_b: dict[Hashable, int] = {}
    for j in range(b1, b2):
        item = b[j]
        if item in count_a:
            count_b[item] = count_b.get(item, 0) + 1
            pos_b[item] = j
    pairs = sorted(
        (pos_a[item], pos_b[item]) for item, n in count_b.items() if n == 1 and count_a[item] == 1
    )
    return _longest_increasing(pairs)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence of ``pairs`` (sorted by i) with increasing j (patience sort)."""
    if len(pairs) <= 1:
        return pairs
    tails: list[int] = []
    tail_idx: list[int] = []
    back: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(k)
        else:
            tails[pos] = j
            tail_idx[pos] = k
        back[k] = tail_idx[pos - 1] if pos else -1
    result: list[tuple[int, int]] = []
    k = tail_idx[-1]
    while k >= 0:
        result.append(pairs[k])
        k = back[k]
    result.reverse()
    return result


def _merge_opcodes(ops: list[Opcode]) -> list[Opcode]:
    """Drop empty opcodes and merge neighbours; adjacent edits become one replace."""
    merged: list[Opcode] = []
    for tag, i1, i2, j1, j2 in ops:
        if i1 == i2 and j1 == j2:
            continue
        if merged:
            ptag, pi1, _, pj1, _ = merged[-1]
            if ptag == tag == "equal" or (ptag != "equal" and tag != "equal"):
                new_tag = tag if ptag == tag else "replace"
                if new_tag != "equal":
                    new_tag = _edit_tag(pi1, i2, pj1, j2)
                merged[-1] = (new_tag, pi1, i2, pj1, j2)
                continue
        merged.append((tag, i1, i2, j1, j2))
    return merged


def _edit_tag(i1: int, i2: int, j1: int, j2: int) -> str:
    if i1 == i2:
        return "insert"
    if j1 == j2:
        return "delete"
    return "replace"


# ---------------------------------------------------------------------------------------
# Text diff: sentences, then words, then semantic clean-up.
# ---------------------------------------------------------------------------------------

_SENTENCE = re.compile(r"[^。！？!?\n]*[。！？!?\n]+|[^。！？!?\n]+")
_WORD = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]+[\u3041-\u3096ー]*"  # kanji + okurigana
    r"|[\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f]+"  # katakana
    r"|[\u3041-\u3096\u309d\u309e]+"  # hiragana
    r"|[A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a_'.,-]*[A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"
    r"|\s+"
    r"|.",
    re.S,
)
# Characters that belong to the previous grapheme: combining marks, joiners, selectors.
_EXTEND = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u0900-\u0903"
    "\u093a-\u094f\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\u3099\u309a"
    "\ufe00-\ufe0f\ufe20-\ufe2f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)


def _regex_words(text: str) -> list[str]:
    tokens = _WORD.findall(text)
    if not _EXTEND.search(text):
        return tokens
    out: list[str] = []
    for token in tokens:
        if out and (_EXTEND.match(token) or out[-1].endswith("\u200d")):
            out[-1] += token
        else:
            out.append(token)
    return out


@functools.cache
def _sudachi() -> Callable[[str], list[str]] | None:
    """A word splitter backed by SudachiPy (mode C), or None when it is unavailable."""
    try:
        from hoshin.core.sudachi import tokenizer as shared_tokenizer

        shared_tokenizer("C")
    except Exception:  # pragma: no cover - broken dictionary install
        return None

    def split(text: str) -> list[str]:  # this thread's tokenizer (the PDF stage uses threads)
        return [text[m.begin() : m.end()] for m in shared_tokenizer("C").tokenize(text)]

    return split


def words(text: str) -> list[str]:
    """Split ``text`` into words whose concatenation is exactly ``text``."""
    if not text:
        return []
    split = _sudachi() if len(text) <= SUDACHI_LIMIT else None
    if split is not None:
        try:
            tokens = split(text)
        except BaseException as exc:  # Sudachi's Rust panics are BaseExceptions
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            tokens = []
        if tokens and "".join(tokens) == text:
            return _attach_extenders(tokens) if _EXTEND.search(text) else tokens
    return _regex_words(text)


def _attach_extenders(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        if out and (_EXTEND.match(token) or out[-1].endswith("\u200d")):
            out[-1] += token
        else:
            out.append(token)
    return out


def diff_text(old: str, new: str) -> tuple[Span, ...]:
    """Word-level spans turning ``old`` into ``new`` (``apply_old``/``apply_new`` round-trip)."""
    if old == new:
        return (Span("equal", old),) if old else ()
    if not old:
        return (Span("insert", new),)
    if not new:
        return (Span("delete", old),)
    a = _SENTENCE.findall(old)
    b = _SENTENCE.findall(new)
    raw: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in align(a, b):
        if tag == "equal":
            raw.append(("equal", "".join(a[i1:i2])))
        else:
            raw.extend(_diff_words("".join(a[i1:i2]), "".join(b[j1:j2])))
    spans = _regroup(_narrow(_cleanup(raw)))
    return tuple(Span(op, text) for op, text in spans)  # type: ignore[arg-type]


_CLAUSE_END = frozenset("、。，．,.!?！？；;：:\n 　（）()「」『』【】")


def _diff_words(old: str, new: str) -> list[tuple[str, str]]:
    """Word diff of one changed region; only the clauses holding edits are split into words."""
    if not old or not new:
        return [("delete", old)] if old else [("insert", new)]
    n = min(len(old), len(new))
    p = 0
    while p < n and old[p] == new[p]:
        p += 1
    s = 0
    while s < n - p and old[-1 - s] == new[-1 - s]:
        s += 1
    while p > 0 and (old[p - 1] not in _CLAUSE_END or _EXTEND.match(old, p)):
        p -= 1
    while s > 0 and (old[-s] not in _CLAUSE_END or _EXTEND.match(old, len(old) - s + 1)):
        s -= 1
    out: list[tuple[str, str]] = [("equal", old[:p])]
    old_mid, new_mid = old[p : len(old) - s], new[p : len(new) - s]
    if not old_mid or not new_mid:
        out.append(("delete", old_mid) if old_mid else ("insert", new_mid))
    else:
        out.extend(_diff_tokens(words(old_mid), words(new_mid)))
    out.append(("equal", old[len(old) - s :]))
    return out


def _diff_tokens(a: list[str], b: list[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in align(a, b):
        if tag == "equal":
            out.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("insert", "".join(b[j1:j2])))
    return out


def _cleanup(spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Fold short equalities between edits into the edits; merge runs; deletes first.

    Like diff-match-patch's semantic clean-up, but stricter: an equality at most half as
    long as the edits on both sides (「の」, 「、」 between two rewritten phrases) is noise
    and reads better as part of one replacement; a longer one keeps the highlights apart
    (the cascade of the original rule would swallow whole unchanged clauses).
    """
    spans = _regroup(spans)
    changed, passes = True, 0
    while changed and passes < 8:  # folding may cascade a little; never without bound
        changed, passes = False, passes + 1
        for k in range(1, len(spans) - 1):
            op, text = spans[k]
            if op != "equal" or not text:
                continue
            before = _edit_size(spans, k, -1)
            after = _edit_size(spans, k, 1)
            if before and after and 2 * len(text) <= min(before, after) + 1:
                spans[k] = ("fold", text)
                changed = True
        if changed:
            spans = _regroup(spans)
    return spans


def _narrow(spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Turn a replaced word that only gained or lost a part into that insertion or deletion.

    Sudachi keeps compounds whole, so 基幹系システム → 基幹系業務システム is first one
    replaced word; it reads better as 基幹系{+業務+}システム. Only a part of at least two
    characters is split out (「進めて[-い-]{+いき+}ます」 stays: one kana is no word).
    """
    out: list[tuple[str, str]] = []
    k = 0
    while k < len(spans):
        op, text = spans[k]
        if op == "delete" and k + 1 < len(spans) and spans[k + 1][0] == "insert":
            old, new = text, spans[k + 1][1]
            short, long_ = (old, new) if len(old) < len(new) else (new, old)
            prefix = 0
            limit = len(short)
            while prefix < limit and old[prefix] == new[prefix]:
                prefix += 1
            suffix = 0
            while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
                suffix += 1
            middle = long_[prefix : len(long_) - suffix]
            if (
                prefix + suffix == len(short)
                and len(middle) >= 2
                and not _EXTEND.match(middle)
                and not _EXTEND.match(long_[len(long_) - suffix :] or " ")
            ):
                out.append(("equal", long_[:prefix]))
                out.append(("insert" if long_ is new else "delete", middle))
                out.append(("equal", long_[len(long_) - suffix :]))
                k += 2
                continue
        out.append((op, text))
        k += 1
    return out


def _edit_size(spans: list[tuple[str, str]], k: int, step: int) -> int:
    """Largest of the delete/insert lengths in the edit run next to ``spans[k]``."""
    deleted = inserted = 0
    k += step
    while 0 <= k < len(spans) and spans[k][0] != "equal":
        if spans[k][0] == "delete":
            deleted += len(spans[k][1])
        else:
            inserted += len(spans[k][1])
        k += step
    return max(deleted, inserted)


def _regroup(spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Merge equal runs; each run of edits becomes one delete then one insert."""
    out: list[tuple[str, str]] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            out.append(("delete", "".join(deleted)))
            deleted.clear()
        if inserted:
            out.append(("insert", "".join(inserted)))
            inserted.clear()

    for op, text in spans:
        if not text:
            continue
        if op == "equal":
            flush()
            if out and out[-1][0] == "equal":
                out[-1] = ("equal", out[-1][1] + text)
            else:
                out.append(("equal", text))
        elif op == "delete":
            deleted.append(text)
        elif op == "insert":
            inserted.append(text)
        else:  # "fold": equal text that becomes part of both edits
            deleted.append(text)
            inserted.append(text)
    flush()
    return out


# ---------------------------------------------------------------------------------------
# Block similarity and document diff.
# ---------------------------------------------------------------------------------------


def _bigrams(text: str) -> Counter[str]:
    if len(text) < 2:
        return Counter(text)
    return Counter(map(operator.add, text, text[1:]))


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams (0 … 1), linear in the texts' length."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return _dice(_bigrams(a), _bigrams(b))


def _dice(ca: Counter[str], cb: Counter[str]) -> float:
    total = ca.total() + cb.total()
    if not total:
        return 0.0
    if len(ca) > len(cb):
        ca, cb = cb, ca
    common = sum(min(n, cb[g]) for g, n in ca.items() if g in cb)
    return 2.0 * common / total


@dataclass(slots=True)
class _Pending:
    """An unpaired block (removed or added) waiting for moved-block detection."""

    section: Section
    block: Block
    slot: int  # index in the output list where the change goes
    #: The run of unpaired blocks between two aligned ones it belongs to (None: a whole
    #: section added or removed). What is left of a run after moves pairs up as "changed".
    gap: tuple[str, int, int] | None = None


def diff_documents(old: PolicyDocument, new: PolicyDocument) -> list[BlockChange]:
    """Changes from ``old`` to ``new`` in reading order of ``new`` (removed ones in place)."""
    out: list[BlockChange | None] = []
    removed: list[_Pending] = []
    added: list[_Pending] = []
    for label in _section_order(old, new):
        o, n = old.sections.get(label), new.sections.get(label)
        if o is not None and n is not None:
            if o.blocks == n.blocks or (
                len(o.blocks) == len(n.blocks)
                and all(x.text == y.text for x, y in zip(o.blocks, n.blocks, strict=True))
            ):
                continue  # blocks of a shared scan are the same objects: compared by identity
            _diff_section(o, n, out, removed, added)
        elif o is not None:
            for block in o.blocks:
                removed.append(_Pending(o, block, len(out)))
                out.append(None)
        elif n is not None:
            for block in n.blocks:
                added.append(_Pending(n, block, len(out)))
                out.append(None)
    _detect_moves(removed, added, out)
    return [c for c in out if c is not None]


def _section_order(old: PolicyDocument, new: PolicyDocument) -> list[str]:
    """Labels of ``new`` in order, each label only in ``old`` after its old predecessor."""
    order = list(new.sections)
    if all(label in new.sections for label in old.sections):
        return order
    position = {label: k for k, label in enumerate(order)}
    inserts: dict[int, list[str]] = {}
    anchor = -1
    for label in old.sections:
        if label in position:
            anchor = position[label]
        else:
            inserts.setdefault(anchor, []).append(label)
    result = list(inserts.get(-1, []))
    for k, label in enumerate(order):
        result.append(label)
        result.extend(inserts.get(k, []))
    return result


def _diff_section(
    o: Section,
    n: Section,
    out: list[BlockChange | None],
    removed: list[_Pending],
    added: list[_Pending],
) -> None:
    a = [b.text for b in o.blocks]
    b = [b.text for b in n.blocks]
    for op_index, (tag, i1, i2, j1, j2) in enumerate(align(a, b)):
        if tag == "equal":
            continue
        run = 0
        for x, y in _pair_blocks(a, i1, i2, b, j1, j2):
            gap = (n.label, op_index, run)
            if x is not None and y is not None:
                run += 1
                ob, nb = o.blocks[x], n.blocks[y]
                out.append(
                    BlockChange(
                        n.label, n.title, "changed", ob.text, nb.text,
                        diff_text(ob.text, nb.text), ob.line, nb.line, ob.path, nb.path,
                    )
                )  # fmt: skip
            elif x is not None:
                removed.append(_Pending(o, o.blocks[x], len(out), gap))
                out.append(None)
            elif y is not None:
                added.append(_Pending(n, n.blocks[y], len(out), gap))
                out.append(None)


def _pair_blocks(
    a: list[str], i1: int, i2: int, b: list[str], j1: int, j2: int
) -> list[tuple[int | None, int | None]]:
    """Old/new block indexes of one gap, similar blocks paired, in reading order.

    Small gaps get an optimal monotone pairing (dynamic programming over similarity);
    large ones a greedy walk that looks a few blocks ahead, so the cost stays linear.
    """
    n, m = i2 - i1, j2 - j1
    if n == 0 or m == 0:
        return [(x, None) for x in range(i1, i2)] + [(None, y) for y in range(j1, j2)]
    grams_a = [_bigrams(a[x]) for x in range(i1, i2)]
    grams_b = [_bigrams(b[y]) for y in range(j1, j2)]

    def sim(x: int, y: int) -> float:
        la, lb = len(a[i1 + x]), len(b[j1 + y])
        if min(la, lb) < 0.25 * max(la, lb):
            return 0.0
        return _dice(grams_a[x], grams_b[y])

    pairs: list[tuple[int, int]] = []
    if n * m <= 2_500:
        score = [[0.0] * (m + 1) for _ in range(n + 1)]
        sims = [[0.0] * m for _ in range(n)]
        for x in range(n - 1, -1, -1):
            row, below, sim_row = score[x], score[x + 1], sims[x]
            for y in range(m - 1, -1, -1):
                best = max(below[y], row[y + 1])
                s = sim_row[y] = sim(x, y)
                if s >= PAIR_THRESHOLD:
                    best = max(best, below[y + 1] + s)
                row[y] = best
        x = y = 0
        while x < n and y < m:
            s = sims[x][y]
            if s >= PAIR_THRESHOLD and score[x][y] == score[x + 1][y + 1] + s:
                pairs.append((x, y))
                x, y = x + 1, y + 1
            elif score[x][y] == score[x + 1][y]:
                x += 1
            else:
                y += 1
    else:
        y0 = 0
        for x in range(n):
            best, best_y = PAIR_THRESHOLD, -1
            for y in range(y0, min(m, y0 + 8)):
                s = sim(x, y)
                if s >= best:
                    best, best_y = s, y
            if best_y >= 0:
                pairs.append((x, best_y))
                y0 = best_y + 1
    result: list[tuple[int | None, int | None]] = []
    px = py = 0
    for x, y in pairs:
        result.extend((i1 + k, None) for k in range(px, x))
        result.extend((None, j1 + k) for k in range(py, y))
        result.append((i1 + x, j1 + y))
        px, py = x + 1, y + 1
    result.extend((i1 + k, None) for k in range(px, n))
    result.extend((None, j1 + k) for k in range(py, m))
    return result


def _normal(text: str) -> str:
    return "".join(text.split())


def _detect_moves(
    removed: list[_Pending], added: list[_Pending], out: list[BlockChange | None]
) -> None:
    """Pair removed and added blocks with (nearly) the same text as moves; fill ``out``."""
    moves: dict[int, int] = {}  # added index → removed index
    by_text: dict[str, list[int]] = {}
    for k, r in enumerate(removed):
        if len(r.block.text) >= MOVE_MIN_CHARS:
            by_text.setdefault(_normal(r.block.text), []).append(k)
    used: set[int] = set()
    for k, p in enumerate(added):
        candidates = by_text.get(_normal(p.block.text))
        if candidates:
            moves[k] = candidates.pop(0)
            used.add(moves[k])
    rest_r = [k for k, r in enumerate(removed) if k not in used and len(r.block.text) >= 20]
    rest_a = [k for k, p in enumerate(added) if k not in moves and len(p.block.text) >= 20]
    if rest_r and rest_a and len(rest_r) * len(rest_a) <= NEAR_MOVE_LIMIT:
        grams = {k: _bigrams(removed[k].block.text) for k in rest_r}
        for ka in rest_a:
            text = added[ka].block.text
            g = _bigrams(text)
            best, best_k = MOVE_THRESHOLD, -1
            for kr in rest_r:
                if kr in used:
                    continue
                other = removed[kr].block.text
                if min(len(text), len(other)) < MOVE_THRESHOLD * max(len(text), len(other)):
                    continue
                s = _dice(g, grams[kr])
                if s >= best:
                    best, best_k = s, kr
            if best_k >= 0:
                moves[ka] = best_k
                used.add(best_k)
    # A block replaced in place by an unrelated one is still one row of the table: pair
    # what is left of each run, in order, when the kinds agree.
    replaced: dict[int, int] = {}  # added index → removed index
    runs: dict[tuple[str, int, int], tuple[list[int], list[int]]] = {}
    for k, r in enumerate(removed):
        if k not in used and r.gap is not None:
            runs.setdefault(r.gap, ([], []))[0].append(k)
    for k, p in enumerate(added):
        if k not in moves and p.gap is not None and p.gap in runs:
            runs[p.gap][1].append(k)
    for gone, came in runs.values():
        for kr, ka in zip(gone, came, strict=False):
            if removed[kr].block.kind == added[ka].block.kind:
                replaced[ka] = kr
                used.add(kr)
    for ka, kr in replaced.items():
        r, p = removed[kr], added[ka]
        ob, nb = r.block, p.block
        out[r.slot] = BlockChange(
            p.section.label, p.section.title, "changed", ob.text, nb.text,
            diff_text(ob.text, nb.text), ob.line, nb.line, ob.path, nb.path,
        )  # fmt: skip
    for k, r in enumerate(removed):
        if k not in used:
            b = r.block
            out[r.slot] = BlockChange(
                r.section.label, r.section.title, "removed", b.text, "",
                (Span("delete", b.text),) if b.text else (), b.line, None, b.path, None,
            )  # fmt: skip
    for k, p in enumerate(added):
        b = p.block
        if k in replaced:
            continue
        if k in moves:
            r = removed[moves[k]]
            out[p.slot] = BlockChange(
                p.section.label, p.section.title, "moved", r.block.text, b.text,
                diff_text(r.block.text, b.text), r.block.line, b.line, r.block.path, b.path,
                old_section=r.section.label,
            )  # fmt: skip
        else:
            out[p.slot] = BlockChange(
                p.section.label, p.section.title, "added", "", b.text,
                (Span("insert", b.text),) if b.text else (), None, b.line, None, b.path,
            )  # fmt: skip
