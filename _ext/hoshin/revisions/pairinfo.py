"""What every format of a 新旧対照表 says about its pair besides the table (pure Python).

:func:`version_label` names each version as the heading of every format does. Every format of a comparison (web page, PDF, Word) lists every record of the pair: most
stand beside the change they explain (改版理由); the rest (no earlier wording recorded, a
record about the whole document, a section whose text did not change) are listed after
the table with :attr:`UnshownRecord.why`. Pure: consumes :func:`hoshin.revisions.compare.compare`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from hoshin.core.history import CURRENT, CURRENT_NAME, ChangeRecord, RevisionData
from hoshin.core.mystdoc import PolicyDocument
from hoshin.revisions.compare import Comparison, reason_text

HEADING = "本文の差分に現れない改版記録"
INTRO = (
    "改訂箇所の表にはあるものの、次の理由で上の対照表には差分として現れない記録です。"
    "表の記載をそのまま示します。"
)
WHY_NO_OLD = "改版前の文言が記録されていないため、二つの版の本文に差分として現れません。"
WHY_WHOLE = "文書全体に関わる改版のため、特定の箇所の差分としては示せません。"
WHY_SAME = "記録された箇所の本文が二つの版で同じため、差分として現れません。"
#: Shown for a side the record does not give (the table's 「－」).
NO_OLD = "（改版前の文言の記録なし）"
NO_NEW = "（改版後の文言の記録なし）"


def version_label(data: RevisionData, version_id: str) -> str:
    """A version as the 新旧対照表 names it: id, edition and date (「_83 VER.01 （令和…）」)."""
    if version_id == CURRENT:
        return CURRENT_NAME
    info = data.get(version_id)
    if info is None:
        return version_id
    parts = [info.id, info.edition or "", f"（{info.date_text}）" if info.date else ""]
    return " ".join(p for p in parts if p)


@dataclasses.dataclass(frozen=True)
class UnshownRecord:
    """A record, where it is (section headings and page, as residents read them) and why
    the table cannot show it."""

    record: ChangeRecord
    why: str
    where: str


def section_titles(*documents: PolicyDocument) -> dict[str, str]:
    """Heading of every section label of ``documents`` (later documents win)."""
    return {label: s.title for doc in documents for label, s in doc.sections.items() if s.title}


def unshown_records(
    cmp: Comparison, records: Sequence[ChangeRecord], titles: Mapping[str, str] | None = None
) -> list[UnshownRecord]:
    """The records of ``cmp``'s pair that no row of its table carries, in number order."""
    titles = titles or {}
    shown = {text for reasons in cmp.reasons.values() for text in reasons}
    out: list[UnshownRecord] = []
    for record in sorted(records, key=lambda r: r.no):
        if reason_text(record) in shown:
            continue
        if not record.sections:
            why = WHY_WHOLE
        elif record.old is None:
            why = WHY_NO_OLD
        else:
            why = WHY_SAME
        heads = "、".join(t for t in (titles.get(label) for label in record.sections) if t)
        page = record.page_display  # "" when the record gives no page: show nothing
        where = f"{heads}（{page}）" if heads and page else heads or page
        out.append(UnshownRecord(record, why, where))
    return out
