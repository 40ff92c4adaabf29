"""``hoshin glossary``: list the 用語集, propose new entries, check the text against it."""

from __future__ import annotations

import argparse
import json
import unicodedata
from pathlib import Path

from hoshin.cli.console import err, out
from hoshin.cli.exitcodes import ExitCode
from hoshin.core.project import Project
from hoshin.core.yamlio import read_text
from hoshin.glossary.model import GlossaryData, normal_form, read_glossary
from hoshin.glossary.reading import READING_RE, katakana_to_hiragana, romanize, row_of, spell_out
from hoshin.glossary.term_check import TermChecker, check_sources, prose_only
from hoshin.glossary.terms import TermMatcher, reading_of


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "glossary",
        help="list the glossary, propose an entry for a word, check the text",
        description="Work with the glossary in glossary/*.yaml: list its entries in 五十音 "
        "order, propose a new entry (reading from the Japanese analyser, for you to confirm), "
        "or report hard words in source/ that neither the glossary nor the allowlist explains.",
        epilog="exit codes: 0 ok, 1 unexplained terms (check), 2 invalid glossary data",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = actions.add_parser("list", help="entries in 五十音 order, grouped by 行")
    ls.add_argument("--format", choices=("text", "json"), default="text")
    ls.set_defaults(func=run_list)
    sg = actions.add_parser(
        "suggest",
        help="propose a YAML entry for a word (reading, id, file), to confirm and complete",
    )
    sg.add_argument("words", nargs="+", metavar="WORD")
    sg.set_defaults(func=run_suggest)
    ck = actions.add_parser("check", help="hard words in source/ that nothing explains")
    ck.set_defaults(func=run_check)


def _load(project: Project) -> GlossaryData:
    from hoshin.core.checks import project_path

    data = read_glossary(project.glossary)
    for error in data.errors:
        error.path = project_path(project, error.path)  # as hoshin check names files
        err(str(error))
    return data


def run_list(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    data = _load(project)
    if args.format == "json":
        out(json.dumps([{"id": e.id, "term": e.term, "reading": e.reading, "row": e.row[1],
                         "kind": e.kind, "treatment": e.treatment, "paraphrase": e.paraphrase,
                         "aliases": list(e.aliases), "definition": e.definition}
                        for e in data.entries], ensure_ascii=False, indent=2))  # fmt: skip
    else:
        row = None
        for entry in data.entries:
            if entry.row != row:
                row = entry.row
                out(row[1])
            extra = f" → {entry.paraphrase}" if entry.treatment == "言い換える" else ""
            out(f"  {entry.term}（{entry.reading}） #{entry.anchor} [{entry.kind}・"
                f"{entry.treatment}]{extra}")  # fmt: skip
        out(f"{len(data.entries)} entries, {len(data.allowlist)} allowlist words")
    return ExitCode.INVALID if data.errors else ExitCode.OK


def run_suggest(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    data = _load(project)
    known = {normal_form(s): e for e in data.entries for s in e.surfaces()}
    allowed = {normal_form(a.word): a for a in data.allowlist}
    ids = {e.id for e in data.entries}
    for word in args.words:
        word = unicodedata.normalize("NFC", word.strip())
        entry = known.get(normal_form(word))
        if entry is not None:
            out(
                f"# 「{word}」は用語集にあります: {_rel(entry.path, project)}:{entry.line}（id: {entry.id}）"
            )
            continue
        if normal_form(word) in allowed:
            a = allowed[normal_form(word)]
            out(
                f"# 「{word}」は許可リストにあります: {_rel(a.path, project)}:{a.line}（{a.reason}）"
            )
            continue
        out(suggestion(word, ids, project))
    return ExitCode.INVALID if data.errors else ExitCode.OK


def propose_reading(word: str) -> str:
    """Hiragana reading: the analyser's where it knows every part, else letter by letter."""
    if any(c.isascii() and c.isalnum() for c in word):
        analysed = reading_of(word)
        if analysed and READING_RE.fullmatch(katakana_to_hiragana(analysed)):
            return katakana_to_hiragana(analysed)
        return spell_out(word)
    analysed = reading_of(word)
    reading = katakana_to_hiragana(analysed) if analysed else ""
    return reading if READING_RE.fullmatch(reading or "-") else spell_out(word)


def propose_id(word: str, reading: str, taken: set[str]) -> str:
    ascii_part = "".join(c if c.isascii() and c.isalnum() else "-" for c in word.lower())
    base = "-".join(p for p in ascii_part.split("-") if p)
    if not base or len(base) < len(word.replace("・", "")) // 2:
        base = romanize(reading) or "term"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _kind(word: str) -> str:
    if any(c.isascii() and c.isalpha() for c in word):
        return "略語"
    if all("ァ" <= c <= "ヺ" or c in "ー・" for c in word):
        return "外来語"
    return "専門用語"


def suggestion(word: str, taken: set[str], project: Project) -> str:
    """A YAML entry for ``word`` to paste into the row file, with where the word occurs."""
    reading = propose_reading(word)
    slug, label = row_of(reading) if reading else ("a", "あ行")
    where = _occurrences(word, project)
    lines = [
        f"# glossary/{slug}.yaml（{label}）に加えてください。読みと id は推定です。確かめてください。",
        *(f"#   本文: {w}" for w in where[:5]),
        f"- term: {word}",
        f"  reading: {reading or '（ひらがなで）'}",
        f"  id: {propose_id(word, reading, taken)}",
        "  definition: （やさしい です・ます の 1〜2 文）",
        f"  kind: {_kind(word)}",
        "  treatment: 説明を付ける",
        "  source: （説明の出典）",
    ]
    return "\n".join(lines)


def _occurrences(word: str, project: Project) -> list[str]:
    matcher = TermMatcher([(word, word)])
    found = []
    for path in sorted(project.source.rglob("*.md")):
        for number, line in enumerate(prose_only(read_text(path)).split("\n"), start=1):
            for hit in matcher.find(line):
                found.append(f"{path.relative_to(project.root)}:{number}:{hit.start + 1}")
    return found


def run_check(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    data = _load(project)
    findings = check_sources(project.source, TermChecker(data), project.root)
    for finding in findings:
        out(str(finding))
    if data.errors:
        return ExitCode.INVALID
    if findings:
        err(f"{len(findings)} unexplained terms")
        return ExitCode.FINDINGS
    out(f"no unexplained terms ({len(data.entries)} glossary entries, "
        f"{len(data.allowlist)} allowlist words)")  # fmt: skip
    return ExitCode.OK


def _rel(path: str, project: Project) -> str:
    p = Path(path)
    return str(p.relative_to(project.root)) if p.is_relative_to(project.root) else path
