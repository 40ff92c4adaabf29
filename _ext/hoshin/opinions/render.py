"""The published result table 「意見の概要と市の考え方」 of an event, as rows (pure).

One definition of the table for every output: the web page (docutils nodes built from
these rows), the Excel and Word files, the PDF. The public edition has the columns a city
publishes (No., 意見の概要, 市の考え方, 対応区分) and the change records (改訂箇所) each
opinion led to; the review edition adds the sections it concerns. A cell the source material
does not record says so (:data:`~hoshin.opinions.model.UNRECORDED_TEXT`). Nothing private is
ever in the model, so nothing private can reach a row.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable, Sequence

from hoshin.opinions.model import (
    UNANSWERED,
    Opinion,
    OpinionData,
    OpinionEvent,
    counts,
    response_text,
    summary_text,
)

TABLE_TITLE = "意見の概要と市の考え方"
PUBLIC_HEADERS = ("No.", "意見の概要", "市の考え方", "対応区分", "関連する改訂箇所")
REVIEW_HEADERS = (*PUBLIC_HEADERS, "関係する節")
#: Relative widths of the columns (Word, Excel, web, PDF), public then review.
WIDTHS = (8, 38, 34, 16, 11, 16)
NO_OPINIONS = "この出来事で受けた意見の記録はありません。"


@dataclasses.dataclass(frozen=True)
class ResultTable:
    event: OpinionEvent
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    anchors: tuple[str, ...]
    counts: tuple[tuple[str, int], ...]

    @property
    def title(self) -> str:
        return f"{TABLE_TITLE}（{self.event.name}）"

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def widths(self) -> tuple[int, ...]:
        return WIDTHS[: len(self.headers)]


def result_table(
    event: OpinionEvent,
    data: OpinionData,
    *,
    review: bool = False,
    section_title: Callable[[str], str] = str,
) -> ResultTable:
    """The table of ``event``; ``section_title`` turns a label into a heading (review)."""
    rows: list[tuple[str, ...]] = []
    for opinion in event.opinions:
        row: tuple[str, ...] = (
            opinion.id,
            summary_text(opinion),
            response_text(opinion),
            opinion.disposition or UNANSWERED,
            "、".join(f"No.{n}" for n in opinion.records),
        )
        if review:
            row = (*row, "、".join(section_title(label) for label in opinion.sections))
        rows.append(row)
    return ResultTable(
        event,
        REVIEW_HEADERS if review else PUBLIC_HEADERS,
        tuple(rows),
        tuple(o.anchor for o in event.opinions),
        tuple(counts(event, data)),
    )


def event_facts(event: OpinionEvent) -> list[tuple[str, str]]:
    """(heading, text) lines above the table: when, what was asked, notes."""
    facts = []
    if event.date:
        facts.append(("実施時期", event.date))
    if event.description:
        facts.append(("内容", event.description))
    if event.note:
        facts.append(("補足", event.note))
    return facts


def counts_sentence(table: ResultTable) -> str:
    """「意見 30 件（反映した 8 件、…）」 — zero categories left out."""
    parts = [f"{name} {n}件" for name, n in table.counts if n]
    inner = f"（{'、'.join(parts)}）" if parts else ""
    return f"意見 {table.total}件{inner}"


def record_links_html(
    opinions: Sequence[Opinion], data: OpinionData, uri_of: Callable[[Opinion], str | None]
) -> str:
    """The opinions behind a change record, for its reason cell in the 新旧対照表:
    「（意見：パブリックコメント No.3、…）」 each linked to its row of the result table."""
    if not opinions:
        return ""
    links = []
    for opinion in opinions:
        event = data.event(opinion.event)
        text = html.escape(f"{event.name if event else opinion.event} No.{opinion.id}")
        uri = uri_of(opinion)
        links.append(f'<a href="{html.escape(uri, quote=True)}">{text}</a>' if uri else text)
    return f'<span class="hoshin-opinion-links">（意見：{"、".join(links)}）</span>'
