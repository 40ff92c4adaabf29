"""The join of a version diff with its change records (pure Python, no Sphinx).

:func:`compare` diffs two documents and joins the result with the change records that
lead from the old version to the new one:

- each change carries the reasons (改版理由) of the records that *cover* it: records naming
  its section whose quotation lies over the changed text, or whose ``quote: none`` makes
  them speak of the whole section (:mod:`hoshin.revisions.coverage`). A reason is a
  statement by the city: a change that no record covers carries none;
- ``unexplained``: changes that no record covers;
- ``stale_reasons``: records naming sections of which none changed, and records whose
  quotation lies only over wording that did not change;
- ``quote_mismatches``: records whose quoted 改版前/改版後 text is not in the old/new text
  of their sections, compared after :func:`normalise_quote`.

A record without an earlier text (the table's 「－」) or whose text describes rather than
quotes (「(刷新)」) is only checked on the sides that are quotations. A record naming no
section (the table's 「全体」) explains no particular change and is never stale; it is
returned by :func:`document_wide`. Findings of records marked ``acknowledged`` carry that
text, so the build reports them as information instead of warnings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hoshin.core.glossarydiff import GlossaryComparison
from hoshin.core.history import ChangeRecord
from hoshin.core.mystdoc import PolicyDocument
from hoshin.revisions.coverage import (
    RecordPlaces,
    SideTexts,
    covering,
    normalise_quote,
    record_places,
    whole_section,
)
from hoshin.revisions.diff import BlockChange, diff_documents

__all__ = [
    "NO_OLD_TEXT",
    "Comparison",
    "JoinFinding",
    "compare",
    "document_wide",
    "normalise_quote",
    "quote_finding",
    "reason_text",
]

#: Shown in place of an old text a record does not give.
NO_OLD_TEXT = "（改版前の文言は記録されていません）"
_SNIPPET = 24


@dataclass(frozen=True, slots=True, kw_only=True)
class JoinFinding:
    """One finding of the join: an unexplained change, a stale reason or a quote mismatch.

    ``path``/``line``/``col`` say where to fix it: the changed text for an unexplained change
    (relative to the source folder of its version: the old one when ``kind`` is ``removed``),
    the record in ``changes.yaml`` otherwise. ``acknowledged`` is the record's
    acknowledgement: the finding is then shown as information, not counted.
    """

    path: str | None
    line: int | None
    col: int | None = None
    section: str
    number: int | None = None
    """The record's No. (stale reasons and quote mismatches)."""
    side: str | None = None
    """``old`` or ``new``: the quotation that is not in the text (quote mismatches)."""
    index: int | None = None
    """The change's index in :attr:`Comparison.changes` (unexplained changes)."""
    kind: str | None = None
    """The change's kind (unexplained changes)."""
    message: str
    acknowledged: str = ""

    def as_data(self) -> dict[str, Any]:
        """The JSON shape (``hoshin diff --format json``): optional fields only when set."""
        data: dict[str, Any] = {"path": self.path, "line": self.line}
        for key in ("col", "section", "number", "side", "index", "kind"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        data["message"] = self.message
        if self.acknowledged:
            data["acknowledged"] = self.acknowledged
        return data


@dataclass
class Comparison:
    """Everything shown about one old → new comparison.

    ``reasons`` maps an index into ``changes`` to the 改版理由 of the change records joined to
    it; ``unexplained``, ``stale_reasons`` and ``quote_mismatches`` are the join's findings.
    """

    old_id: str
    new_id: str
    changes: list[BlockChange]
    reasons: dict[int, list[str]] = field(default_factory=dict)
    unexplained: list[JoinFinding] = field(default_factory=list)
    stale_reasons: list[JoinFinding] = field(default_factory=list)
    quote_mismatches: list[JoinFinding] = field(default_factory=list)
    old_date: str | None = None
    new_date: str | None = None
    #: The glossary's changes: part of every comparison, in a section of its own.
    glossary: GlossaryComparison = field(default_factory=GlossaryComparison)


def compare(
    old: PolicyDocument,
    new: PolicyDocument,
    records: Sequence[ChangeRecord],
    *,
    old_id: str,
    new_id: str,
    old_date: str | None = None,
    new_date: str | None = None,
    changes: list[BlockChange] | None = None,
) -> Comparison:
    """Diff ``old`` → ``new`` and join the records (those of the versions in between)."""
    if changes is None:
        changes = diff_documents(old, new)
    result = Comparison(old_id, new_id, changes, old_date=old_date, new_date=new_date)
    records = sorted(records, key=lambda r: r.no)
    by_section: dict[str, list[ChangeRecord]] = {}
    for record in records:
        for label in record.sections:
            by_section.setdefault(label, []).append(record)
    texts = {"old": SideTexts(old), "new": SideTexts(new)}
    labels_of = [_labels(change) for change in changes]
    changed = {label for labels in labels_of for label in labels}
    places: dict[int, RecordPlaces] = {
        r.no: record_places(r, texts) for r in records if changed.intersection(r.sections)
    }
    covered: set[int] = set()
    for k, change in enumerate(changes):
        candidates = _unique(r for label in labels_of[k] for r in by_section.get(label, []))
        joined = covering(candidates, change, places, texts)
        covered.update(r.no for r in joined)
        if joined:
            result.reasons[k] = [reason_text(r) for r in joined]
        else:
            result.unexplained.append(_unexplained(change, k))
    own_pair = (old_id, new_id)
    for record in records:
        own = (record.from_version, record.version) == own_pair
        if record.sections and not changed.intersection(record.sections):
            result.stale_reasons.append(_stale(record, old_id, new_id))
        elif (
            record.sections
            and record.no not in covered
            and not whole_section(record)
            and (places[record.no].located or not own)
        ):
            # Quoted wording that did not change explains nothing here. A quotation found
            # nowhere is the quote check's finding for the record's own pair of versions.
            result.stale_reasons.append(_uncovered(record, old_id, new_id, places[record.no]))
        if own:
            for side, doc in (("old", old), ("new", new)):
                finding = quote_finding(record, side, doc)
                if finding is not None:
                    result.quote_mismatches.append(finding)
    return result


def _labels(change: BlockChange) -> tuple[str, ...]:
    """The sections a change belongs to (a moved block: where it is and where it was)."""
    if change.old_section and change.old_section != change.section:
        return (change.section, change.old_section)
    return (change.section,)


def reason_text(record: ChangeRecord) -> str:
    """How a reason is listed beside a change: ``No.10 強靱化と…``."""
    return f"No.{record.no} {record.reason_display}"


def document_wide(records: Sequence[ChangeRecord]) -> list[ChangeRecord]:
    """Records that name no section (the table's 「全体」): shown apart, never joined."""
    return [r for r in records if not r.sections]


def quote_finding(record: ChangeRecord, side: str, doc: PolicyDocument) -> JoinFinding | None:
    """A mismatch finding when ``record``'s quoted ``side`` is not in its sections of ``doc``."""
    if not record.quotes(side):
        return None
    quote = record.old if side == "old" else record.new
    assert quote is not None
    wanted = normalise_quote(quote)
    texts = [doc.sections[label].text for label in record.sections if label in doc.sections]
    haystack = normalise_quote("".join(texts))
    if not wanted or wanted in haystack:
        return None
    side_name = "改版前" if side == "old" else "改版後"
    version = record.from_version if side == "old" else record.version
    where = record.at(side)
    if not texts:
        detail = f"{', '.join(record.sections) or '（節なし）'} は {version} にありません"
    else:
        detail = _divergence(wanted, haystack)
    return JoinFinding(
        path=where.path, line=where.line, col=where.col, section=",".join(record.sections),
        number=record.no, side=side, acknowledged=record.acknowledged or "",
        message=f"No.{record.no} の{side_name}の引用が {version} の本文に見つかりません（{detail}）",
    )  # fmt: skip


def _divergence(wanted: str, haystack: str) -> str:
    """Where the quotation stops matching: the longest quoted prefix found, and what follows."""
    lo, hi = 0, len(wanted)
    while lo < hi:  # containment is monotone in the prefix length: binary search
        mid = (lo + hi + 1) // 2
        if wanted[:mid] in haystack:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return f"引用の冒頭「{wanted[:_SNIPPET]}」から一致しません"
    at = haystack.find(wanted[:lo]) + lo
    quoted = wanted[lo : lo + _SNIPPET // 2]
    body = haystack[at : at + _SNIPPET // 2] or "（節の終わり）"
    matched = wanted[max(0, lo - _SNIPPET // 2) : lo]
    return f"「…{matched}」の後、引用は「{quoted}…」、本文は「{body}…」"


def _unexplained(change: BlockChange, k: int) -> JoinFinding:
    path = change.new_path if change.kind != "removed" else change.old_path
    line = change.new_line if change.kind != "removed" else change.old_line
    text = (change.new if change.kind != "removed" else change.old) or ""
    snippet = text[:_SNIPPET] + ("…" if len(text) > _SNIPPET else "")
    kind = {"changed": "変更", "added": "追加", "removed": "削除", "moved": "移動"}[change.kind]
    return JoinFinding(
        path=path, line=line, section=change.section, index=k, kind=change.kind,
        message=f"{change.section}（{change.title}）の{kind}「{snippet}」に改版記録がありません",
    )  # fmt: skip


def _stale(record: ChangeRecord, old_id: str, new_id: str) -> JoinFinding:
    where = record.at("sections")
    return JoinFinding(
        path=where.path, line=where.line, col=where.col, section=",".join(record.sections),
        number=record.no, acknowledged=record.acknowledged or "",
        message=f"No.{record.no} の節 {', '.join(record.sections)} は {old_id} → {new_id} "
                "で変わっていません",
    )  # fmt: skip


def _uncovered(record: ChangeRecord, old_id: str, new_id: str, places: RecordPlaces) -> JoinFinding:
    """A record naming changed sections whose quotations cover none of their changes."""
    where = record.at("new" if record.quotes("new") else "old")
    if places.located:
        detail = "引用した文言は変わっていません"
    else:
        detail = "引用が両版の本文に見つからず、どの変更にも対応付けられません"
    return JoinFinding(
        path=where.path, line=where.line, col=where.col, section=",".join(record.sections),
        number=record.no, acknowledged=record.acknowledged or "",
        message=f"No.{record.no} の節 {', '.join(record.sections)} は {old_id} → {new_id} "
                f"で変わっていますが、{detail}",
    )  # fmt: skip


def _unique(records: Any) -> list[ChangeRecord]:
    seen: set[int] = set()
    out: list[ChangeRecord] = []
    for r in records:
        if r.no not in seen:
            seen.add(r.no)
            out.append(r)
    return sorted(out, key=lambda r: r.no)
