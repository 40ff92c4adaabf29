"""Opinions joined to change records, and what ``hoshin check`` finds in the join (pure).

An opinion reflected in the text (反映した, 一部反映した) names the change records it led to;
each must exist and its change must really be in the comparison it belongs to (the caller
says which records the text difference does not show). A change record that cites an
opinion must be cited back by it. Every opinion must be answered: a disposition, and a
response — or the explicit statement that the source material records none
(``unrecorded: [response]``), which is not the same as a response nobody wrote yet.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping

from hoshin.core.checks import Finding
from hoshin.core.history import ChangeRecord, RevisionData, document_labels
from hoshin.core.sitemap import CURRENT
from hoshin.opinions.model import Opinion, OpinionData, OpinionEvent


@dataclasses.dataclass(frozen=True)
class RecordLink:
    """A change record and the opinions behind it (both directions of the citation)."""

    record: int
    opinions: tuple[Opinion, ...]


def opinions_of_record(opinions: OpinionData, record: ChangeRecord) -> list[Opinion]:
    """The opinions behind a record: those naming it and those it names (once each, in order)."""
    refs = opinions.by_ref()
    found = list(opinions.by_record().get(record.no, []))
    for ref in record.opinions:
        opinion = refs.get(ref)
        if opinion is not None and opinion not in found:
            found.append(opinion)
    return found


def unanswered(events: Iterable[OpinionEvent]) -> list[Opinion]:
    return [o for event in events for o in event.opinions if not o.answered()]


def unanswered_for(opinions: OpinionData, event_names: Iterable[str]) -> list[Opinion]:
    """The unanswered opinions of the events a version lists (``release`` refuses on any)."""
    names = set(event_names)
    return unanswered(e for e in opinions.events if e.name in names)


def _finding(where: object, message: str, code: str, note: str = "") -> Finding:
    path, line, col = where.path, where.line, where.col  # type: ignore[attr-defined]
    return Finding(path, line, col, message, code, note)


def join_findings(
    opinions: OpinionData,
    revisions: RevisionData,
    *,
    not_in_comparison: Mapping[int, str] | None = None,
    labels: Collection[str] | None = None,
) -> list[Finding]:
    """Every problem of the join. ``not_in_comparison`` maps the numbers of records whose change
    the text difference does not show to why; ``labels`` are the known section labels."""
    records = {r.no: r for r in revisions.all_records()}
    refs = opinions.by_ref()
    if labels is None:
        labels = set()
        for vid in [*revisions.ids, CURRENT]:
            labels |= document_labels(revisions.source_dir(vid))
    out: list[Finding] = []
    for opinion in opinions.all_opinions():
        name = f"{opinion.event} の意見 No.{opinion.id}"
        if opinion.disposition is None:
            out.append(
                _finding(
                    opinion.where,
                    f"{name} に対応区分（disposition）がありません",
                    "opinion_unanswered",
                )
            )
        elif not opinion.answered():
            out.append(
                _finding(
                    opinion.where,
                    f"{name} に市の考え方（response）がありません（元資料に記載がなければ"
                    " unrecorded: [response] と書きます）",
                    "opinion_unanswered",
                )
            )
        if opinions.is_reflected(opinion) and not opinion.records:
            out.append(
                _finding(
                    opinion.at("disposition"),
                    f"{name} は「{opinion.disposition}」ですが、改版記録の No."
                    "（records）がありません",
                    "opinion_records",
                )
            )
        for j, number in enumerate(opinion.records):
            where = opinion.at(f"records.{j}")
            record = records.get(number)
            if record is None:
                out.append(
                    _finding(
                        where,
                        f"{name} が挙げる改版記録 No.{number} がありません",
                        "opinion_records",
                    )
                )
            elif not_in_comparison and number in not_in_comparison:
                out.append(
                    _finding(
                        where,
                        f"{name} が挙げる改版記録 No.{number} の変更が"
                        f"新旧対照表にありません（{not_in_comparison[number]}）",
                        "opinion_records",
                        record.acknowledged or "",
                    )
                )
        for j, label in enumerate(opinion.sections):
            if label not in labels:
                out.append(
                    _finding(
                        opinion.at(f"sections.{j}"),
                        f"{name} の節のラベル {label!r} がどの版にもありません",
                        "opinion_section",
                    )
                )
    for record in records.values():
        for j, ref in enumerate(record.opinions):
            where = record.at(f"opinions.{j}")
            cited = refs.get(ref)
            if cited is None:
                out.append(
                    _finding(
                        where,
                        f"改版記録 No.{record.no} が挙げる意見 {ref} がありません",
                        "opinion_citation",
                    )
                )
            elif record.no not in cited.records:
                out.append(
                    _finding(
                        where,
                        f"改版記録 No.{record.no} は意見 {ref} を挙げていますが、"
                        f"意見の側の records に No.{record.no} がありません",
                        "opinion_citation",
                    )
                )
    return out
