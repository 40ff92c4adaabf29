"""The unexplained-term check: hard-word candidates in the prose that nothing explains.

A candidate (see :mod:`hoshin.glossary.terms`) is explained when every character of it lies inside a
glossary spelling, an allowlisted word or a settled loanword (so データトラヒック needs an
entry even though データ is plain, while クラウドサービス is covered by クラウド + サービス).
A long kanji compound is explained when what is left uncovered is only short pieces (fewer
than :data:`COMPOUND_REST_MAX` + 1 characters in a row, such as 第 or 是正). Each word is
reported once per file, at its first unexplained occurrence.
Runs on MyST source text with non-prose syntax blanked, so every finding has the source's
line and column. Used by ``hoshin check`` and, as ``hoshin.unexplained_term`` warnings, by
the build. Nothing here imports Sphinx.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from hoshin.core.digest import InputDigest
from hoshin.core.mystblank import PROSE_DIRECTIVES, blank_myst
from hoshin.core.yamlio import N_, DataError, read_text
from hoshin.glossary.model import GlossaryData, read_glossary
from hoshin.glossary.terms import (
    Candidate,
    Normalised,
    TermMatcher,
    find_candidates,
    packaged_word_lists,
)

if TYPE_CHECKING:
    from hoshin.core.checks import Finding
    from hoshin.core.project import Project

#: Directives whose body is prose for this check, beyond those textlint lints.
EXTRA_PROSE_DIRECTIVES = frozenset({"figure-pending"})
#: Longest uncovered piece a long compound may keep and still count as explained.
COMPOUND_REST_MAX = 3

_INLINE_NON_PROSE = re.compile(
    r"\{[\w:.+-]+\}`[^`]*`"  # roles with their content ({term}`RFI`, {ref}`…`)
    r"|`+[^`]*`+"  # inline code
    r"|\]\([^)\s]*\)"  # link targets: [text](target)
    r"|<(?:https?|mailto):[^>\s]*>"  # autolinks
    r"|https?://[^\s)>\]]+"  # bare URLs
    r"|</?[A-Za-z][^>]*>"  # HTML tags
    r"|\{\{[^}]*\}\}"  # substitutions
    r"|\{[#.][^}]*\}"  # inline attributes
)


@dataclasses.dataclass(frozen=True)
class TermFinding:
    """An unexplained word at ``path:line:col`` (1-based, in characters)."""

    path: str
    line: int
    col: int
    word: str
    kind: str
    suggestion: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}:{self.col}: unexplained term '{self.word}': {self.suggestion}"
        )


def prose_only(text: str) -> str:
    """MyST source with everything that is not prose blanked (same length, same lines)."""
    blanked = blank_myst(text, PROSE_DIRECTIVES | EXTRA_PROSE_DIRECTIVES)
    return _INLINE_NON_PROSE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), blanked)


class TermChecker:
    """Everything the check needs, compiled once: glossary, allowlist and word lists."""

    def __init__(self, glossary: GlossaryData) -> None:
        hard, settled = packaged_word_lists()
        self.glossary = TermMatcher((s, e.id) for e in glossary.entries for s in e.surfaces())
        plain = [(a.word, "allowlist") for a in glossary.allowlist]
        plain += [(w, "settled") for w in settled]
        self.plain = TermMatcher(plain)
        self.listed = TermMatcher((w, w) for w in hard)
        self.paraphrases = {w: p for w, p in hard.items() if p}
        self.inputs = (
            InputDigest()
            .add_text(
                "glossary", repr(sorted((s, e.id) for e in glossary.entries for s in e.surfaces()))
            )
            .add_text("plain", repr(sorted(plain)))
            .add_text("hard", repr(sorted(hard.items())))
            .hexdigest()
        )
        """Digest of everything the findings depend on besides the text and this code."""

    def check_text(self, text: str, path: str = "") -> list[TermFinding]:
        findings = []
        seen: set[str] = set()
        for number, line in enumerate(prose_only(text).split("\n"), start=1):
            if line.strip():
                for finding in self._check_line(line, path, number):
                    if finding.word not in seen:
                        seen.add(finding.word)
                        findings.append(finding)
        return findings

    def check_text_kept(self, text: str, path: str = "") -> list[TermFinding]:
        """:meth:`check_text`, kept in the Sudachi store (most of it is the analysis of the
        text): a page read again unchanged, under the same glossary, costs one lookup."""
        from hoshin.core.digest import code_digest
        from hoshin.core.sudachi import memo

        def check(texts: Sequence[str]) -> list[str]:
            found = self.check_text(texts[0])
            rows = [[f.line, f.col, f.word, f.kind, f.suggestion] for f in found]
            return [json.dumps(rows, ensure_ascii=False)]

        [kept] = memo(f"term-check {self.inputs} {code_digest()}", [text], check)
        return [TermFinding(path, *row) for row in json.loads(kept)]

    def check_file(self, path: Path, display: str | None = None) -> list[TermFinding]:
        return self.check_text(read_text(path), display or str(path))

    def _check_line(self, line: str, path: str, number: int) -> list[TermFinding]:
        norm = Normalised(line)  # one normalisation for all four searches of the line
        candidates = find_candidates(line, self.listed, norm)
        if not candidates:
            return []
        covered = bytearray(len(line))
        for hit in (*self.glossary.find(line, norm), *self.plain.find(line, norm)):
            covered[hit.start : hit.end] = b"\x01" * (hit.end - hit.start)
        findings: list[TermFinding] = []
        reported_until = -1
        for cand in candidates:
            if cand.start < reported_until:
                continue  # inside a word already reported (a listed word in a katakana run)
            if _explained(cand, covered, line):
                continue
            findings.append(
                TermFinding(
                    path, number, cand.start + 1, cand.word, cand.kind, self.suggestion(cand.word)
                )
            )
            reported_until = cand.end
        return findings

    def suggestion(self, word: str) -> str:
        paraphrase = self.paraphrases.get(word)
        if paraphrase:
            return f"言い換え「{paraphrase}」を検討するか、用語集に加えてください"
        return (
            f"用語集（glossary/）か許可リスト（glossary/allowlist.yaml）に加えてください "
            f"(hoshin glossary suggest {word})"
        )


def _explained(cand: Candidate, covered: bytearray, line: str) -> bool:
    if cand.kind != "compound":
        return all(covered[i] or line[i] in "・･" for i in range(cand.start, cand.end))
    rest = 0
    for i in range(cand.start, cand.end):
        rest = 0 if covered[i] else rest + 1
        if rest > COMPOUND_REST_MAX:
            return False
    return True


def check_sources(
    source_dir: Path, checker: TermChecker, root: Path | None = None
) -> list[TermFinding]:
    """Every ``*.md`` under ``source_dir`` (hidden and ``_`` folders skipped), in path order."""
    findings: list[TermFinding] = []
    for path in _source_files(source_dir):
        shown = path.relative_to(root) if root and path.is_relative_to(root) else path
        findings.extend(checker.check_file(path, str(shown)))
    return findings


def _source_files(source_dir: Path) -> Iterator[Path]:
    for path in sorted(source_dir.rglob("*.md")):
        rel = path.relative_to(source_dir)
        if not any(part.startswith((".", "_")) for part in rel.parts[:-1]):
            yield path


# --- checks run by ``hoshin check`` (registered in hoshin.core.checks) ------------------------


def check_glossary_data(project: Project) -> list[DataError | Finding]:
    """Every problem in ``glossary/*.yaml`` (schema, readings, duplicate ids, clashing words)."""
    return list(read_glossary(project.glossary).errors)


def check_unexplained_terms(project: Project) -> list[DataError | Finding]:
    """Hard words in ``source/`` that neither the glossary nor the allowlist explains, and
    allowlist words that no longer occur (a stale allowlist hides nothing but misleads)."""
    from hoshin.core.checks import Finding

    glossary = read_glossary(project.glossary)
    checker = TermChecker(glossary)
    results: list[DataError | Finding] = [
        Finding(
            f.path,
            f.line,
            f.col,
            N_(f"unexplained term '{f.word}': {f.suggestion}"),
            code="unexplained-term",
        )
        for f in check_sources(project.source, checker, project.root)
    ]
    prose = [prose_only(read_text(p)) for p in _source_files(project.source)]
    for word in glossary.allowlist:
        matcher = TermMatcher([(word.word, word.word)])
        if not any(matcher.find(text) for text in prose):
            path = Path(word.path)
            shown = path.relative_to(project.root) if path.is_relative_to(project.root) else path
            results.append(
                Finding(
                    str(shown),
                    word.line,
                    word.col,
                    f"allowlist word '{word.word}' does not occur in the text; remove it",
                    code="allowlist-unused",
                )
            )
    return results
