"""The glossary (用語集) as data: YAML files under ``glossary/``, their schema and loader.

Layout: one file per 行 of the reading (``a.yaml``, ``ka.yaml`` … ``wa.yaml``), each a list
of entries, plus ``allowlist.yaml`` (words judged plain enough, each with a reason). The
loader accepts any ``*.yaml`` file name; the row files only keep entries easy to find.
Rebuild cost does not depend on the layout: the Sphinx side compares per-entry content
hashes, not file times.

:func:`load_glossary` is the pure entry point other tools import (the lint helper turns
entries whose ``treatment`` is 言い換える into prh rules). Nothing here imports Sphinx.
"""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from hoshin.core.digest import sha256_text
from hoshin.core.schema import Field, Schema, validate
from hoshin.core.yamlio import DataError, YamlDocument, load_yaml
from hoshin.glossary.reading import READING_RE, row_of, sort_key

ALLOWLIST_FILE = "allowlist.yaml"
KINDS = ("外来語", "略語", "専門用語")
TREATMENTS = ("言い換える", "説明を付ける", "そのまま")
ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"

ENTRY_SCHEMA = Schema(
    name="用語",
    description="用語集の 1 項目。`glossary/*.yaml` の各ファイルはこの項目のリストです。",
    fields=(
        Field("term", "str", "見出し語（本文での表記）", required=True, max_length=60),
        Field(
            "reading",
            "str",
            "読み（ひらがな。長音は「ー」）。五十音順の並びと行の見出しに使います",
            required=True,
            max_length=80,
        ),
        Field(
            "id",
            "str",
            "ASCII の識別子。用語集のアンカー `#term-<id>` になり、用語を足しても変わりません",
            required=True,
            pattern=ID_PATTERN,
            max_length=60,
        ),
        Field(
            "definition",
            "str",
            "やさしい日本語の説明（です・ます、1〜2 文）",
            required=True,
            max_length=400,
        ),
        Field("paraphrase", "str", "言い換え（本文で置き換えるときの平易な表現）", max_length=100),
        Field(
            "aliases",
            "list",
            "表記ゆれ（全角・半角、中黒の有無など）。本文のこの表記にもリンクします",
            items="str",
        ),
        Field("kind", "str", "語の種類", required=True, choices=KINDS),
        Field("treatment", "str", "本文での扱い", required=True, choices=TREATMENTS),
        Field(
            "source",
            "str",
            "説明の出典（本方針の本文、省庁の一般的な用法など）",
            required=True,
            max_length=200,
        ),
        Field(
            "supplement",
            "str",
            "補足（市民向けに説明に添える一文。公開版にも載ります）",
            max_length=400,
        ),
        Field(
            "note",
            "str",
            "編集メモ（改版で言い換えた経緯など、編集者・審議会向け。審議用の版にだけ載ります）",
            max_length=400,
        ),
    ),
)
GLOSSARY_FILE_SCHEMA = "list"

ALLOW_SCHEMA = Schema(
    name="許可語",
    description="用語集に載せなくてよいと判断した語（`glossary/allowlist.yaml` の各項目）。",
    fields=(
        Field("word", "str", "語（本文での表記）", required=True, max_length=60),
        Field("reason", "str", "平易と判断した理由（1 行）", required=True, max_length=200),
    ),
)


@dataclasses.dataclass(frozen=True)
class GlossaryEntry:
    """One glossary entry as the editor wrote it, with where it was written."""

    term: str
    reading: str
    id: str
    definition: str
    kind: str
    treatment: str
    source: str
    paraphrase: str = ""
    aliases: tuple[str, ...] = ()
    supplement: str = ""
    #: The editors' note: shown only in the review edition (``hoshin build --review``).
    note: str = ""
    path: str = ""
    line: int = 0
    col: int = 0

    @property
    def anchor(self) -> str:
        """The HTML anchor of the entry on the glossary page (stable, ASCII)."""
        return f"term-{self.id}"

    @property
    def row(self) -> tuple[str, str]:
        return row_of(self.reading)

    def sort_key(self) -> tuple[object, ...]:
        return (*sort_key(self.reading), self.term)

    def surfaces(self) -> tuple[str, ...]:
        """Every spelling that links to this entry: term, aliases and their NFKC / 中黒 variants."""
        seen: dict[str, None] = {}
        for text in (self.term, *self.aliases):
            for variant in surface_variants(text):
                seen.setdefault(variant, None)
        return tuple(seen)

    def content_hash(self) -> str:
        """Hash of everything a page that uses this term shows (not where it was written)."""
        data = dataclasses.asdict(self)
        for key in ("path", "line", "col"):
            data.pop(key)
        blob = json.dumps(data, ensure_ascii=False, sort_keys=True)
        return sha256_text(blob)[:16]


@dataclasses.dataclass(frozen=True)
class AllowedWord:
    word: str
    reason: str
    path: str = ""
    line: int = 0
    col: int = 0


@dataclasses.dataclass
class GlossaryData:
    """Everything under ``glossary/``: valid entries (sorted), allowlist, problems, files read."""

    entries: list[GlossaryEntry]
    allowlist: list[AllowedWord]
    errors: list[DataError]
    files: list[Path]

    def by_id(self) -> dict[str, GlossaryEntry]:
        return {e.id: e for e in self.entries}


def surface_variants(text: str) -> list[str]:
    """``text``, its NFKC form, and both without 中黒 (クラウド・バイ・デフォルト → クラウドバイデフォルト)."""
    out: list[str] = []
    for base in (text, unicodedata.normalize("NFKC", text)):
        for variant in (base, base.replace("・", "").replace("･", "")):
            if variant and variant not in out:
                out.append(variant)
    return out


def normal_form(text: str) -> str:
    """What two spellings must share to be the same word (NFKC, no 中黒, case-folded)."""
    return unicodedata.normalize("NFKC", text).replace("・", "").casefold()


class GlossaryError(DataError):
    """Raised by :func:`load_glossary`: the first problem, with all of them in ``errors``."""

    def __init__(self, errors: list[DataError]) -> None:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first.path, first.line, first.col, first.message + more)
        self.errors = errors


def load_glossary(directory: str | Path) -> list[GlossaryEntry]:
    """The entries under ``directory`` in 五十音 order; raise :class:`GlossaryError` if any is bad.

    A missing directory is an empty glossary.
    """
    data = read_glossary(directory)
    if data.errors:
        raise GlossaryError(data.errors)
    return data.entries


def read_glossary(directory: str | Path) -> GlossaryData:
    """Load every file, keeping the valid entries and collecting positioned errors.

    Bad entries are dropped (the build degrades gracefully); of two clashing entries the one
    read first (file name order, then file order) is kept and the other is reported.
    """
    root = Path(directory)
    files = sorted(root.glob("*.yaml")) if root.is_dir() else []
    entries: list[GlossaryEntry] = []
    allow: list[AllowedWord] = []
    errors: list[DataError] = []
    seen = _Seen()
    for path in files:
        try:
            doc = load_yaml(path)  # an empty file is an error: its entries were lost
        except DataError as exc:
            errors.append(exc)
            continue
        if path.name == ALLOWLIST_FILE:
            allow.extend(_allowlist(doc, errors))
        else:
            entries.extend(_entries(doc, errors, seen))
    entries.sort(key=GlossaryEntry.sort_key)
    errors.sort(key=lambda e: (e.path, e.line, e.col))
    return GlossaryData(entries, allow, errors, files)


def _entries(doc: YamlDocument, errors: list[DataError], seen: _Seen) -> Iterable[GlossaryEntry]:
    problems = validate(doc, GLOSSARY_FILE_SCHEMA, what="a glossary file")
    if problems:
        errors.extend(problems)
        return
    for i, item in enumerate(doc.data):
        problems = validate(doc, ENTRY_SCHEMA, (i,), item)
        if isinstance(item, dict):
            reading = item.get("reading")
            if isinstance(reading, str) and reading and not READING_RE.fullmatch(reading):
                problems.append(
                    doc.error((i, "reading"), f"'reading' {reading!r} must be hiragana (and ー)")
                )
            if item.get("treatment") == "言い換える" and not item.get("paraphrase"):
                problems.append(
                    doc.error((i, "treatment"), "treatment 言い換える needs a 'paraphrase'")
                )
        if not problems:
            problems = seen.clashes(doc, i, item)
        if problems:
            errors.extend(problems)
            continue
        pos = doc.where((i,))
        yield GlossaryEntry(
            term=item["term"].strip(),
            reading=item["reading"],
            id=item["id"],
            definition=item["definition"].strip(),
            kind=item["kind"],
            treatment=item["treatment"],
            source=item["source"].strip(),
            paraphrase=(item.get("paraphrase") or "").strip(),
            aliases=tuple(a.strip() for a in item.get("aliases") or ()),
            supplement=(item.get("supplement") or "").strip(),
            note=(item.get("note") or "").strip(),
            path=doc.path,
            line=pos.line,
            col=pos.col,
        )


class _Seen:
    """Ids and spellings of the entries accepted so far (files are read in name order)."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.words: dict[str, tuple[str, str, str]] = {}  # normal form -> (word, term, where)

    def clashes(self, doc: YamlDocument, i: int, item: dict[str, object]) -> list[DataError]:
        """Duplicate ids, duplicate terms, aliases spelling another entry's word → errors."""
        problems: list[DataError] = []
        term = str(item["term"]).strip()
        entry_id = str(item["id"])
        here = doc.where((i,))
        where = f"{doc.path}:{here.line}:{here.col}"
        if entry_id in self.ids:
            problems.append(
                doc.error(
                    (i, "id"), f"duplicate id '{entry_id}' (first used at {self.ids[entry_id]})"
                )
            )
        aliases = [str(a).strip() for a in item.get("aliases") or ()]  # type: ignore[attr-defined]
        mine: dict[str, str] = {}
        for k, word in enumerate([term, *aliases]):
            key_path = (i, "term") if k == 0 else (i, "aliases", k - 1)
            key = normal_form(word)
            if key in mine:
                problems.append(
                    doc.error(key_path, f"'{word}' repeats '{mine[key]}' in this entry")
                )
                continue
            mine[key] = word
            if key in self.words:
                other_word, other_term, other_where = self.words[key]
                if k == 0 and other_word == other_term:
                    message = f"duplicate term '{word}' (first entry at {other_where})"
                elif other_word == other_term:
                    message = f"alias '{word}' clashes with the term '{other_term}' ({other_where})"
                else:
                    message = (
                        f"'{word}' clashes with the alias '{other_word}' of "
                        f"'{other_term}' ({other_where})"
                    )
                problems.append(doc.error(key_path, message))
        if not problems:
            self.ids[entry_id] = where
            for key, word in mine.items():
                self.words[key] = (word, term, where)
        return problems


def _allowlist(doc: YamlDocument, errors: list[DataError]) -> Iterable[AllowedWord]:
    problems = validate(doc, "list", what="the allowlist")
    if problems:
        errors.extend(problems)
        return
    for i, item in enumerate(doc.data):
        problems = validate(doc, ALLOW_SCHEMA, (i,), item)
        if problems:
            errors.extend(problems)
            continue
        pos = doc.where((i,))
        yield AllowedWord(item["word"].strip(), item["reason"].strip(), doc.path, pos.line, pos.col)
