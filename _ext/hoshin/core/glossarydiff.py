"""What changed in the glossary between two versions: one rule for every comparison.

The rule (docs/versions.md, 「用語集の変更」): a version's glossary is part of what residents
read, so every comparison (the 新旧対照表 page, its PDF and Word file, ``hoshin diff`` in
every format) shows the glossary's changes in a section of its own after the text: entries
added, removed, or whose term, definition or supplement changed. Editors' notes (``note``)
are not residents' text and are not compared. When the older version has no glossary at
all, the section says the glossary was created and how many entries it has, instead of
listing every entry as new.

Reads the YAML files of a glossary folder directly (only ``id``, ``term``, ``definition``
and ``supplement``; validation is the glossary feature's job). No Sphinx import.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hoshin.core.digest import code_digest
from hoshin.core.yamlio import DataError, load_yaml

#: The file of words that need no entry: not part of the glossary residents read.
ALLOWLIST = "allowlist.yaml"
SECTION_TITLE = "用語集の変更"
KIND_LABELS = {"added": "追加", "removed": "削除", "changed": "変更"}


@dataclasses.dataclass(frozen=True)
class GlossaryText:
    """An entry as residents read it."""

    id: str
    term: str
    text: str  # the definition, then 「補足：…」 when there is a supplement


@dataclasses.dataclass(frozen=True)
class GlossaryChange:
    kind: str  # added | removed | changed
    term: str
    old: str | None
    new: str | None

    def segments(self, side: str) -> list[tuple[str, str]]:
        """(text, mark) pieces of one side; ``mark`` is ``""``, ``del`` or ``ins``."""
        old, new = self.old or "", self.new or ""
        if self.kind != "changed":
            return [(old if side == "old" else new, "")]
        pieces: list[tuple[str, str]] = []
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                pieces.append((old[a1:a2] if side == "old" else new[b1:b2], ""))
            elif side == "old" and a2 > a1:
                pieces.append((old[a1:a2], "del"))
            elif side == "new" and b2 > b1:
                pieces.append((new[b1:b2], "ins"))
        return [p for p in pieces if p[0]]


@dataclasses.dataclass(frozen=True)
class GlossaryComparison:
    """The glossary part of one comparison."""

    changes: tuple[GlossaryChange, ...] = ()
    #: Entries of the newer version when the older one had no glossary (created), else 0.
    created: int = 0

    def __bool__(self) -> bool:
        return bool(self.changes or self.created)

    def summary(self) -> str:
        """One sentence for every format."""
        if self.created:
            return (f"用語集は改版後の版で新設されました（{self.created} 語）。"
                    "個々の項目は用語集をご覧ください。")  # fmt: skip
        if not self.changes:
            return "用語集の変更はありません。"
        return f"用語集の項目の追加・削除・変更は次の {len(self.changes)} 件です。"

    def as_data(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "changes": [dataclasses.asdict(c) for c in self.changes],
        }


#: The glossary's files are named by the 行 of their readings (a.yaml, ka.yaml …): 五十音 order.
ROW_FILES = ("a", "ka", "sa", "ta", "na", "ha", "ma", "ya", "ra", "wa")


def _file_order(path: Path) -> tuple[int, str]:
    stem = path.stem
    return (ROW_FILES.index(stem) if stem in ROW_FILES else len(ROW_FILES), stem)


def read_glossary(folder: Path | None) -> dict[str, GlossaryText] | None:
    """The entries of a glossary folder by id; None when the version has no glossary."""
    if folder is None or not folder.is_dir():
        return None
    files = sorted((p for p in folder.glob("*.yaml") if p.name != ALLOWLIST), key=_file_order)
    if not files:
        return None
    entries: dict[str, GlossaryText] = {}
    for path in files:
        try:
            texts = _file_entries(str(path), path.read_bytes())
        except OSError:
            continue  # reported by the glossary's own checks
        for text in texts:
            entries.setdefault(text.id, text)
    return entries


@functools.lru_cache(maxsize=256)
def _file_entries(path: str, data: bytes) -> tuple[GlossaryText, ...]:
    """The entries of one glossary file, by its bytes: a comparison chain reads each
    version's glossary twice (as the newer and as the older side), and a build keeps them
    in its store of analyses (a frozen version's glossary is parsed once, not per build)."""
    from hoshin.core.sudachi import memo

    def parse(texts: Sequence[str]) -> list[str]:
        found = [dataclasses.astuple(text) for text in _parse_entries(path)]
        return [json.dumps(found, ensure_ascii=False)]

    kind = f"glossary-texts {code_digest()}"  # this module and the YAML reader among them
    [kept] = memo(kind, [data.decode("utf-8", "surrogateescape")], parse)
    return tuple(GlossaryText(*row) for row in json.loads(kept))


def _parse_entries(path: str) -> list[GlossaryText]:
    try:
        parsed = load_yaml(path, allow_empty=True).data
    except DataError:
        return []  # reported by the glossary's own checks
    found = []
    for item in parsed if isinstance(parsed, list) else []:
        if not isinstance(item, dict) or not item.get("id") or not item.get("term"):
            continue
        text = str(item.get("definition") or "").strip()
        supplement = str(item.get("supplement") or "").strip()
        if supplement:
            text += f"\n補足：{supplement}"
        found.append(GlossaryText(str(item["id"]), str(item["term"]).strip(), text))
    return found


def compare_glossaries(old_folder: Path | None, new_folder: Path | None) -> GlossaryComparison:
    """The glossary changes from ``old_folder`` to ``new_folder`` (the rule above)."""
    old, new = read_glossary(old_folder), read_glossary(new_folder)
    if new is None and old is None:
        return GlossaryComparison()
    if old is None:
        return GlossaryComparison(created=len(new or {}))
    new = new or {}
    changes: list[GlossaryChange] = []

    # The glossary's own order (files by 行, entries as written); removed entries last.
    for key in dict.fromkeys([*new, *old]):
        before, after = old.get(key), new.get(key)
        if before is None and after is not None:
            changes.append(GlossaryChange("added", after.term, None, after.text))
        elif after is None and before is not None:
            changes.append(GlossaryChange("removed", before.term, before.text, None))
        elif before is not None and after is not None and before != after:
            term = after.term if before.term == after.term else f"{before.term} → {after.term}"
            changes.append(GlossaryChange("changed", term, before.text, after.text))
    return GlossaryComparison(tuple(changes))
