"""The body of a 新旧対照表 page of the site (pure Python: HTML text from a comparison).

Columns follow the seed's order (改版前 | 改版後, configurable), changed parts are
underlined (傍線) and marked up as ``<del>``/``<ins>`` with hidden 「削除」「追加」 words for
screen readers, moved text is double-underlined, and the 改版理由 of each row stands beside
it. Records that no text difference shows (no earlier wording recorded, document-wide
records) and the join's findings follow the table, so nothing in the change table is lost.
Every text from YAML or from the document is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from hoshin.core.history import ChangeRecord, version_id_name
from hoshin.revisions.compare import NO_OLD_TEXT, Comparison, document_wide
from hoshin.revisions.render import (
    KIND_LABELS,
    SHINKYU_NOTE,
    glossary_html,
    segments_html,
    shinkyu_rows,
)
from hoshin.revisions.state import RevisionState, row_anchor, section_docname, version_root

#: ``uri(site_path, anchor)``: a URL to a page of the site, relative to the page being made.
UriFunction = Callable[[str, str], str]
#: HTML added after a record's 改版理由 by other features (the opinions behind it), or "".
RecordLinks = Callable[[ChangeRecord], str]

SIDE_HEADINGS = {"old": "改版前", "new": "改版後"}
#: The reason cell of a change no record explains, in the public edition.
NO_REASON = "－"


def page_title(old: str, new: str, state: RevisionState | None = None) -> str:
    """「新旧対照表：素案（…） → 作業中の原稿」: the versions by the names residents see."""
    if state is None:
        return f"新旧対照表（{version_id_name(old)} → {version_id_name(new)}）"
    names = state.data.display_name
    return f"新旧対照表：{names(old)} → {names(new)}"


def section_uri(state: RevisionState, version_id: str, label: str, uri: UriFunction) -> str | None:
    """URL of a section in a version's pages, or None when that version lacks it."""
    section = state.document(version_id).get(label)
    if section is None:
        return None
    return uri(version_root(version_id) + section_docname(section.path), label)


def render_shinkyu_body(
    state: RevisionState,
    old: str,
    new: str,
    uri: UriFunction,
    columns: Sequence[str] = ("old", "new"),
    records_page: str | None = None,
    *,
    review: bool = False,
    record_links: RecordLinks | None = None,
) -> str:
    """The HTML body (inside the theme's article) of the page ``shinkyu/<old>-<new>``.

    The public edition shows what the city wrote; ``review`` adds the join's findings (with
    file and line) and the acknowledgements, for editors and the committee."""
    cmp = state.comparison(old, new)
    records = state.data.records_between(old, new)
    out = [f'<section id="shinkyu"><h1>{escape(page_title(old, new, state))}</h1>']
    out.append('<dl class="hoshin-shinkyu-versions">')
    for side, vid in (("old", old), ("new", new)):
        info = state.data.get(vid)
        date = state.date_text(vid) if info is not None and info.known_date else None
        name = state.data.display_name(vid)
        link = f'<a href="{escape(uri(version_root(vid) + "index", ""))}">{escape(name)}</a>'
        if info is not None:
            date = f"{date}・版番号 {vid}" if date else f"版番号 {vid}"
        out.append(f"<dt>{SIDE_HEADINGS[side]}</dt><dd>{link}"
                   f"{'（' + escape(date) + '）' if date else ''}</dd>")  # fmt: skip
    out.append("</dl>")
    out.append(f"<p>{escape(SHINKYU_NOTE)}</p>")
    if not cmp.changes:
        out.append("<p>本文の変更はありません。</p>")
    else:
        out.append(_table(state, cmp, old, new, uri, columns, records, records_page, review,
                          record_links))  # fmt: skip
    out.append(_records_without_diff(state, cmp, records, columns, review, record_links))
    out.append(glossary_html(cmp.glossary, columns))  # type: ignore[arg-type]
    if review:
        out.append(_findings(cmp))
    out.append("</section>")
    return "\n".join(part for part in out if part)


def _table(
    state: RevisionState,
    cmp: Comparison,
    old: str,
    new: str,
    uri: UriFunction,
    columns: Sequence[str],
    records: list[ChangeRecord],
    records_page: str | None,
    review: bool,
    record_links: RecordLinks | None = None,
) -> str:
    by_no = {r.no: r for r in records}
    head = ['<th scope="col" class="hoshin-shinkyu-where">箇所</th>']
    head += [f'<th scope="col">{SIDE_HEADINGS[c]}（{escape(version_id_name(old if c == "old" else new))}）</th>'
             for c in columns]  # fmt: skip
    head.append('<th scope="col" class="hoshin-shinkyu-reason">改版理由</th>')
    body: list[str] = []
    for row in shinkyu_rows(cmp, columns):  # type: ignore[arg-type]  # columns are old/new
        side = old if row.kind == "removed" else new
        target = section_uri(state, side, row.section, uri)
        title = escape(row.title or row.section)
        where = f'<a href="{escape(target)}">{title}</a>' if target else title
        kind = escape(KIND_LABELS[row.kind])
        if row.kind == "moved" and row.old_section and row.old_section != row.section:
            kind += f"（{escape(row.old_section)} から）"
        cells = [f'<th scope="row" class="hoshin-shinkyu-where">{where}'
                 f'<span class="hoshin-kind">{kind}</span></th>']  # fmt: skip
        cells += [f'<td data-label="{SIDE_HEADINGS[c]}">{segments_html(cell)}</td>'
                  for c, cell in zip(columns, row.cells, strict=True)]  # fmt: skip
        reasons = []
        for text in row.reasons:
            number = _record_number(text)
            record = by_no.get(number) if number is not None else None
            label = escape(text)
            if record is not None and records_page is not None:
                href = uri(records_page, f"change-{record.no}")
                label = f'<a href="{escape(href)}">No.{record.no}</a>' + escape(
                    text[len(f"No.{record.no}") :]
                )
            if record is not None and record_links is not None:
                label += record_links(record)
            reasons.append(label)
        if not reasons:  # an unexplained change: a finding for the review edition
            reasons = ['<span class="hoshin-unexplained">（改版記録がありません）</span>'
                       if review else NO_REASON]  # fmt: skip
        cells.append(
            f'<td data-label="改版理由" class="hoshin-shinkyu-reason">{"<br>".join(reasons)}</td>'
        )
        body.append(f'<tr id="{row_anchor(row.index)}">{"".join(cells)}</tr>')
    caption = escape(page_title(old, new, state))
    return ('<div class="hoshin-table-scroll"><table class="hoshin-shinkyu">'
            f"<caption>{caption}</caption>"
            f"<thead><tr>{''.join(head)}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>")  # fmt: skip


def _record_number(reason: str) -> int | None:
    if not reason.startswith("No."):
        return None
    digits = reason[3:].split(" ", 1)[0]
    return int(digits) if digits.isdigit() else None


def _records_without_diff(
    state: RevisionState,
    cmp: Comparison,
    records: list[ChangeRecord],
    columns: Sequence[str],
    review: bool,
    record_links: RecordLinks | None = None,
) -> str:
    """Records that the text difference does not show: stale ones and document-wide ones."""
    stale_numbers = {f.number for f in cmp.stale_reasons}
    shown = [r for r in records if r.no in stale_numbers] + document_wide(records)
    if not shown:
        return ""
    rows = []
    for r in sorted(shown, key=lambda r: r.no):
        texts = {
            "old": r.old if r.old is not None else NO_OLD_TEXT,
            "new": r.new if r.new is not None else "（改版後の文言は記録されていません）",
        }
        cells = "".join(f'<td data-label="{SIDE_HEADINGS[c]}">{escape(texts[c])}</td>'
                        for c in columns)  # fmt: skip
        where = "、".join(_section_title(state, label, r) for label in r.sections)
        where = where or r.page_display
        note = (f'<br><small class="hoshin-acknowledged">確認済み: {escape(r.acknowledged)}</small>'
                if review and r.acknowledged else "")  # fmt: skip
        rows.append(f'<tr id="record-{r.no}"><th scope="row">No.{r.no}<br>{escape(where)}'
                    f"{'（' + escape(r.page_display) + '）' if r.page_display else ''}</th>{cells}"
                    f'<td data-label="改版理由">{escape(r.reason_display)}'
                    f"{record_links(r) if record_links else ''}{note}</td></tr>")  # fmt: skip
    head = "".join(
        f'<th scope="col">{SIDE_HEADINGS[c]}（改訂箇所の表の記載）</th>' for c in columns
    )
    return ('<h2>本文の差分に現れない改版記録</h2>'
            "<p>改訂箇所の表にはあるものの、改版前の文言が記録されていない、または文書全体に"
            "関わるため、上の対照表には現れない記録です。</p>"
            '<div class="hoshin-table-scroll"><table class="hoshin-shinkyu hoshin-shinkyu-records">'
            f'<thead><tr><th scope="col">No.・箇所</th>{head}'
            '<th scope="col">改版理由</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")  # fmt: skip


def _section_title(state: RevisionState, label: str, record: ChangeRecord) -> str:
    """A section's heading as the record's versions have it (residents never see labels)."""
    for vid in (record.version, record.from_version):
        try:
            section = state.document(vid).get(label)
        except OSError:
            continue
        if section is not None and section.title:
            return section.title
    return "（節の見出しが見つかりません）"


def _findings(cmp: Comparison) -> str:
    parts: list[str] = []
    for heading, items in (("改版記録のない変更", cmp.unexplained),
                           ("変更のない節を指す改版記録", cmp.stale_reasons),
                           ("本文と一致しない引用", cmp.quote_mismatches)):  # fmt: skip
        if not items:
            continue
        lis = []
        for item in items:
            where = f"{item.path}:{item.line or 1}" if item.path else ""
            ack = (f'<br><small class="hoshin-acknowledged">確認済み: {escape(item.acknowledged)}</small>'
                   if item.acknowledged else "")  # fmt: skip
            lis.append(f"<li><code>{escape(where)}</code> {escape(item.message)}{ack}</li>")
        parts.append(f"<h2>{escape(heading)}（{len(items)}件）</h2><ul>{''.join(lis)}</ul>")
    return "\n".join(parts)
