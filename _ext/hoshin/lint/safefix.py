"""Fixes that damage nothing: ``hoshin lint --fix`` keeps only fixes after which no new finding appears.

textlint's fixes are local edits made by one rule that knows nothing of the others: JTF 4.3.1
turns the ``)`` of ``方針(2010年度)に`` into ``）`` but leaves the ``(`` (its pattern does not
match there), and ``no-unmatched-pair`` then reports the bracket the fix has broken. A policy
is official text, so a fix is written only when the text, linted again, has no finding it did
not have before. Each step lints every candidate version of every file in ONE textlint run
(the run's start-up, about a second, is most of its cost):

1. All fixes of each file applied. A file whose version has no new finding is done.
2. A file with new findings: the fixes in the paragraphs where the new findings are (all the
   file's fixes when those paragraphs have none) are suspects; the others are kept for now.
   The suspects are grouped by paragraph and rule; each group is tried on the original text
   as a whole, in halves (recursively down to single fixes) and in adjacent pairs (the two
   halves of a bracket pair belong together). The largest clean parts of each group are kept.
3. The kept fixes of the file are linted together; a paragraph that still shows a new finding
   loses its fixes, until the file's version is clean (the unfixed text always is).

A finding is *new* when its rule reports on a line (mapped back to the original text) more
often than before the fixes. Nothing here runs textlint itself: the caller passes a checker.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from hoshin.lint.textlint import (
    Finding,
    Fix,
    Linter,
    LintReport,
    apply_to_text,
    non_overlapping,
    read_source,
    write_source,
)

#: A version of a file to lint: (the file, a label naming the version).
VersionKey = tuple[Path, str]
#: Lints versions of files in one batch: ``{key: (file, text)}`` → the findings to act on per
#: key (allowances applied).
Checker = Callable[[dict[VersionKey, tuple[Path, str]]], dict[VersionKey, list[Finding]]]
#: Verification rounds after the groups were tried (each removes at least one paragraph's
#: fixes; after the last, a file that is still not clean keeps its text unfixed).
MAX_VERIFY_ROUNDS = 4

_LINE_END = re.compile(r"\r\n|\r|\n")
_BLANK_LINE = re.compile(r"(?:\r\n|\r|\n)[ \t\u3000]*(?=\r\n|\r|\n)")


@dataclasses.dataclass(frozen=True)
class RefusedFix:
    """A fix that was not written, with the findings it would have caused."""

    finding: Finding
    #: new findings of the version tried with this fix (positions in the original text)
    caused: tuple[Finding, ...]
    #: the text the fix would have replaced
    replaced: str = ""


@dataclasses.dataclass
class FixPlan:
    """What ``--fix`` writes: the new text of each changed file and what was refused."""

    texts: dict[Path, str]
    applied: dict[Path, list[Finding]]
    refused: list[RefusedFix]
    #: lint runs the checks took
    rounds: int = 0


@dataclasses.dataclass
class _File:
    path: Path
    text: str
    before: list[Finding]
    fixes: list[Fix]
    owner: dict[Fix, Finding]
    blocks: list[int]

    def block_of(self, offset: int) -> int:
        return bisect.bisect_right(self.blocks, offset) - 1

    def offset(self, finding: Finding) -> int:
        starts = [0] + [m.end() for m in _LINE_END.finditer(self.text)]
        line = min(max(finding.line, 1), len(starts))
        return min(starts[line - 1] + finding.col - 1, len(self.text))


def plan_fixes(originals: dict[Path, str], findings: Iterable[Finding], check: Checker) -> FixPlan:
    """Choose, for each file, the largest set of fixes whose version adds no finding.

    ``originals`` are the files' texts as linted; ``findings`` the findings to act on in them
    (those with a ``fix`` are candidates; all of them are the "before" of the comparison).
    """
    by_path: dict[Path, list[Finding]] = {p: [] for p in originals}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    files: dict[Path, _File] = {}
    for path, found in by_path.items():
        owner: dict[Fix, Finding] = {}
        for f in found:
            if f.fix is not None:
                owner.setdefault(f.fix, f)
        fixes = non_overlapping(owner)
        if fixes:
            text = originals[path]
            blocks = _block_starts(text)
            before = found + unpaired_brackets(path, text)
            files[path] = _File(path, text, before, fixes, owner, blocks)
    plan = FixPlan({}, {}, [])
    if not files:
        return plan
    # 1. everything at once
    whole = {p: ((p, "all"), doc.fixes) for p, doc in files.items()}
    results = _try(files, whole.values(), check)
    plan.rounds += 1
    kept: dict[Path, list[Fix]] = {}
    suspects: dict[Path, list[list[Fix]]] = {}
    for path, doc in files.items():
        new = results[(path, "all")]
        if not new:
            kept[path] = doc.fixes
            continue
        groups, rest = _suspect_groups(doc, new)
        kept[path] = rest
        suspects[path] = groups
    # 2. the suspect groups: whole, halves, pairs, each alone on the original text
    if suspects:
        trials: list[tuple[VersionKey, list[Fix]]] = []
        for path, groups in suspects.items():
            for g, fixes in enumerate(groups):
                for lo, hi in _parts(len(fixes)):
                    trials.append(((path, f"g{g}:{lo}-{hi}"), fixes[lo:hi]))
        results = _try(files, trials, check)
        plan.rounds += 1
        for path, groups in suspects.items():
            for g, fixes in enumerate(groups):

                def new_of(lo: int, hi: int, p: Path = path, g: int = g) -> list[Finding]:
                    return results[(p, f"g{g}:{lo}-{hi}")]

                chosen = _choose(len(fixes), new_of)
                taken = {i for lo, hi in chosen for i in range(lo, hi)}
                kept[path] += [fx for i, fx in enumerate(fixes) if i in taken]
                for i, fx in enumerate(fixes):
                    if i not in taken:
                        caused = results[(path, f"g{g}:{i}-{i + 1}")]
                        plan.refused.append(_refused(files[path], fx, caused))
        # 3. verify what is kept, dropping the paragraphs that still break something
        pending = {p for p in suspects if kept[p]}
        for n in range(MAX_VERIFY_ROUNDS + 1):
            if not pending:
                break
            trials = [((p, f"v{n}"), sorted(kept[p], key=lambda x: x.start)) for p in pending]
            results = _try(files, trials, check)
            plan.rounds += 1
            for path in list(pending):
                new = results[(path, f"v{n}")]
                if not new:
                    pending.discard(path)
                    continue
                doc = files[path]
                bad = {doc.block_of(doc.offset(x)) for x in new}
                drop = [fx for fx in kept[path] if doc.block_of(fx.start) in bad]
                if not drop or n == MAX_VERIFY_ROUNDS:
                    drop = kept[path]
                kept[path] = [fx for fx in kept[path] if fx not in drop]
                plan.refused += [_refused(doc, fx, new) for fx in drop]
                if not kept[path]:
                    pending.discard(path)
    for path, fixes in kept.items():
        if fixes:
            doc = files[path]
            plan.texts[path] = apply_to_text(doc.text, fixes)
            plan.applied[path] = [doc.owner[fx] for fx in sorted(fixes, key=lambda x: x.start)]
    plan.refused.sort(key=lambda r: (str(r.finding.path), r.finding.line, r.finding.col))
    return plan


@dataclasses.dataclass
class FixOutcome:
    """What ``hoshin lint --fix`` did, and the report of the files as written."""

    report: LintReport
    applied: dict[Path, list[Finding]]
    #: fixes still refused, at their place in the final text
    refused: list[RefusedFix]
    #: files edited by someone else while they were linted: not written
    changed: list[Path]
    passes: int = 0


def fix_files(linter: Linter, report: LintReport, *, max_passes: int = 3) -> FixOutcome:
    """Write the fixes of ``report`` that add no finding (atomically), and lint again.

    A fix can uncover another (JTF 4.3.1 reports the ``(`` of ``方針(2010年度)`` only once its
    ``)`` is full-width), so up to ``max_passes`` passes are made; a pass plans only files that
    have a fixable finding not refused before. A version written has already been linted while
    it was checked, so reading the report again costs no textlint run.
    """
    outcome = FixOutcome(report, {}, [], [])
    refusals: dict[tuple[Path, int, str, str, str], RefusedFix] = {}
    for _ in range(max_passes):
        fresh = {
            f.path
            for f in report.findings
            if f.fix is not None and _refusal_key(f, report.texts[f.path]) not in refusals
        }
        if not fresh:
            break
        originals = {p: report.texts[p] for p in fresh}
        plan = plan_fixes(
            originals,
            _retry_near_fresh(
                [f for f in report.findings if f.path in fresh], originals, set(refusals)
            ),
            linter.findings,
        )
        outcome.passes += 1
        for r in plan.refused:
            refusals[_refusal_key(r.finding, originals[r.finding.path])] = r
        written = False
        for path, text in plan.texts.items():
            if read_source(path) != originals[path]:
                outcome.changed.append(path)
                continue
            write_source(path, text)
            outcome.applied.setdefault(path, []).extend(plan.applied[path])
            written = True
        if not written:
            break
        report = linter.report(report.files)
    outcome.report = report
    for f in report.findings:
        hit = refusals.get(_refusal_key(f, report.texts[f.path])) if f.fix else None
        if hit is not None:
            outcome.refused.append(dataclasses.replace(hit, finding=f))
    return outcome


def _retry_near_fresh(
    findings: list[Finding], texts: dict[Path, str], refused: set[tuple[Path, int, str, str, str]]
) -> list[Finding]:
    """``findings`` with the fixes refused in an earlier pass withdrawn, except in paragraphs
    where a new fix appeared (it may be the partner the refused fix needed)."""
    fresh_blocks = set()
    for f in findings:
        if f.fix is not None and _refusal_key(f, texts[f.path]) not in refused:
            fresh_blocks.add((f.path, _block_of(texts[f.path], f.fix.start)))
    out = []
    for f in findings:
        if (
            f.fix is not None
            and _refusal_key(f, texts[f.path]) in refused
            and (f.path, _block_of(texts[f.path], f.fix.start)) not in fresh_blocks
        ):
            f = dataclasses.replace(f, fix=None)
        out.append(f)
    return out


def _block_starts(text: str) -> list[int]:
    """Where each paragraph (a run of lines between blank lines) starts."""
    return [0] + [m.end() for m in _BLANK_LINE.finditer(text)]


def _block_of(text: str, offset: int) -> int:
    return bisect.bisect_right(_block_starts(text), offset) - 1


def _refusal_key(f: Finding, text: str) -> tuple[Path, int, str, str, str]:
    """A fixable finding recognised in the next pass: its line, rule and edit (columns move
    when an earlier fix on the line changed its length)."""
    assert f.fix is not None
    return (f.path, f.line, f.rule, text[f.fix.start : f.fix.end], f.fix.replacement)


def _refused(doc: _File, fix: Fix, caused: Iterable[Finding]) -> RefusedFix:
    return RefusedFix(doc.owner[fix], tuple(caused), doc.text[fix.start : fix.end])


def _try(
    files: dict[Path, _File],
    trials: Iterable[tuple[VersionKey, Sequence[Fix]]],
    check: Checker,
) -> dict[VersionKey, list[Finding]]:
    """Lint each trial version (one batch) and return its new findings, mapped back."""
    trials = list(trials)
    batch = {key: (key[0], apply_to_text(files[key[0]].text, fixes)) for key, fixes in trials}
    got = check(batch)
    out = {}
    for key, fixes in trials:
        doc = files[key[0]]
        version = batch[key][1]
        found = got.get(key, []) + unpaired_brackets(doc.path, version)
        after = [_map_back(x, version, fixes, doc.text) for x in found]
        out[key] = new_findings(doc.before, after)
    return out


def new_findings(before: Sequence[Finding], after: Sequence[Finding]) -> list[Finding]:
    """The findings of ``after`` that ``before`` does not have.

    Compared by rule and line, not message or column: a fix may shorten a sentence
    (``sentence length(173)`` becomes ``(172)``) or shift later columns of its line.
    """
    count = Counter((f.rule, f.line) for f in before)
    seen = {(f.rule, f.line, f.col) for f in before}
    grouped: dict[tuple[str, int], list[Finding]] = {}
    for f in after:
        grouped.setdefault((f.rule, f.line), []).append(f)
    new: list[Finding] = []
    for key, found in grouped.items():
        excess = len(found) - count[key]
        if excess > 0:
            fresh = [f for f in found if (f.rule, f.line, f.col) not in seen]
            new += (fresh + [f for f in found if f not in fresh])[:excess]
    return sorted(new, key=lambda f: (f.line, f.col, f.rule))


BRACKET_RULE = "hoshin/bracket-pair"
_CLOSERS = {
    ")": "(",
    "）": "（",
    "」": "「",
    "』": "『",
    "]": "[",
    "］": "［",
    "】": "【",
    "〕": "〔",
    "}": "{",
    "｝": "｛",
    "〉": "〈",
    "》": "《",
}
_OPENERS = frozenset(_CLOSERS.values())


def unpaired_brackets(path: Path, text: str) -> list[Finding]:
    """Brackets without their partner on their line, as findings of hoshin's own check.

    textlint's rules do not see every broken pair (``（令和3年（2021年)）`` passes them), so a
    fix may not leave more unpaired brackets on a line than there were: ``(`` closes only with
    ``)``, ``（`` only with ``）``.
    """
    out = []
    starts = [0] + [m.end() for m in _LINE_END.finditer(text)]
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        stack: list[tuple[str, int]] = []
        lone: list[int] = []
        for i in range(start, end):
            ch = text[i]
            if ch in _OPENERS:
                stack.append((ch, i))
            elif ch in _CLOSERS:
                opener = _CLOSERS[ch]
                if any(o == opener for o, _ in stack):
                    while stack[-1][0] != opener:
                        lone.append(stack.pop()[1])
                    stack.pop()
                else:
                    lone.append(i)
        lone += [i for _, i in stack]
        for i in sorted(lone):
            out.append(
                Finding(
                    path,
                    n + 1,
                    i - start + 1,
                    BRACKET_RULE,
                    f"括弧「{text[i]}」の対になる括弧がありません",
                )
            )
    return out


def _map_back(finding: Finding, text: str, fixes: Sequence[Fix], original: str) -> Finding:
    """A finding in a fixed version, placed at the corresponding line and column of ``original``."""
    starts = [0] + [m.end() for m in _LINE_END.finditer(text)]
    line = min(max(finding.line, 1), len(starts))
    offset = starts[line - 1] + finding.col - 1
    shift = 0
    for fx in sorted(fixes, key=lambda x: x.start):
        start = fx.start + shift
        if offset < start:
            break
        if offset < start + len(fx.replacement):
            offset = fx.start + shift  # inside a replacement: the start of what it replaced
            break
        shift += len(fx.replacement) - (fx.end - fx.start)
    offset = min(max(offset - shift, 0), len(original))
    orig_starts = [0] + [m.end() for m in _LINE_END.finditer(original)]
    n = bisect.bisect_right(orig_starts, offset) - 1
    return dataclasses.replace(finding, line=n + 1, col=offset - orig_starts[n] + 1, fix=None)


def _suspect_groups(doc: _File, new: Sequence[Finding]) -> tuple[list[list[Fix]], list[Fix]]:
    """The fixes near the new findings, grouped by paragraph and rule; and the others."""
    bad = {doc.block_of(doc.offset(x)) for x in new}
    if not any(doc.block_of(fx.start) in bad for fx in doc.fixes):
        bad = {doc.block_of(fx.start) for fx in doc.fixes}
    groups: dict[tuple[int, str], list[Fix]] = {}
    rest: list[Fix] = []
    for fx in doc.fixes:
        block = doc.block_of(fx.start)
        if block in bad:
            groups.setdefault((block, doc.owner[fx].rule), []).append(fx)
        else:
            rest.append(fx)
    return list(groups.values()), rest


def _parts(n: int) -> list[tuple[int, int]]:
    """Index ranges to try for a group of ``n`` fixes: the whole, halves down to single fixes,
    and adjacent pairs."""
    out: list[tuple[int, int]] = []

    def split(lo: int, hi: int) -> None:
        out.append((lo, hi))
        if hi - lo > 1:
            mid = (lo + hi + 1) // 2
            split(lo, mid)
            split(mid, hi)

    split(0, n)
    out += [(i, i + 2) for i in range(n - 1) if (i, i + 2) not in out]
    return out


def _choose(n: int, new_of: Callable[[int, int], list[Finding]]) -> list[tuple[int, int]]:
    """The largest clean ranges: a range whose trial was clean is taken whole, else its halves
    are looked at; left-over single fixes are then paired with a left-over neighbour."""
    chosen: list[tuple[int, int]] = []

    def walk(lo: int, hi: int) -> None:
        if not new_of(lo, hi):
            chosen.append((lo, hi))
        elif hi - lo > 1:
            mid = (lo + hi + 1) // 2
            walk(lo, mid)
            walk(mid, hi)

    walk(0, n)
    taken = {i for lo, hi in chosen for i in range(lo, hi)}
    i = 0
    while i < n - 1:
        if i not in taken and i + 1 not in taken and not new_of(i, i + 2):
            chosen.append((i, i + 2))
            taken |= {i, i + 1}
            i += 2
        else:
            i += 1
    return sorted(chosen)
