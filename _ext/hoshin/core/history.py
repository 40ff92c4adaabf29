"""Revision data: the ordered versions (history.yaml) and the change records of each version.

``revisions/history.yaml`` lists the frozen versions, oldest first; ``source/`` is always
the working draft, called ``current``. ``revisions/<id>/changes.yaml`` holds the change
records (改版記録) that lead from the previous version to ``<id>``; records for the working
draft go to ``revisions/current/changes.yaml`` and move with it when it is frozen.

Everything here is pure Python (no Sphinx): the CLI, the checks and the Sphinx directives
all load the data through :func:`load_revisions`, which validates it against the schemas
below and collects every problem as a positioned :class:`~hoshin.core.yamlio.DataError`.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from hoshin.core.glossarydiff import GlossaryComparison, compare_glossaries
from hoshin.core.mystsyntax import LABEL_PATTERN as LABEL_PATTERN  # defined there, once
from hoshin.core.mystsyntax import target_lines
from hoshin.core.schema import Field, Schema, validate
from hoshin.core.sitemap import CURRENT
from hoshin.core.wareki import (
    UNDETERMINED_KEYWORD,
    format_version_date,
    is_valid_version_date,
    month_to_wareki,
)
from hoshin.core.yamlio import N_, DataError, YamlDocument, load_yaml

ID_PATTERN = r"[A-Za-z0-9_][A-Za-z0-9_.+-]{0,39}"
#: Ditto marks a change table uses for "same reason as the row above".
DITTO_MARKS = frozenset({"〃", "″", "”", "同上"})

VERSION_SCHEMA = Schema(
    N_("version"),
    "一つの版。history.yaml の `versions` に古い順に並べます。",
    (
        Field(
            "id",
            "str",
            "版の ID（素案番号。例: `_83`）。`current` は作業中の原稿を指すため使えません。",
            required=True,
            pattern=ID_PATTERN,
        ),
        Field("edition", "str", "版の名称（例: `VER.01`）。なければ null。", nullable=True),
        Field(
            "name",
            "str",
            "市民に見せる版の呼び名（例: `素案（令和3年6月）`）。版の切り替え、案内、ページの題名に"
            "使います。なければ状態と日付（または契機）から作ります。",
            nullable=True,
            max_length=60,
        ),
        Field(
            "date",
            "str",
            "日付。`YYYY-MM-DD`、`YYYY-MM`、日付未定なら `undetermined`"
            "（令和XX年XX月と表示）、記録がなければ null（「記録なし」と表示）。",
            nullable=True,
        ),
        Field(
            "events",
            "list",
            "この版を作る契機となった出来事（第2回有識者会議、庁内意見照会など）。"
            "分からなければ空のリストにして note に書きます。",
            items="str",
        ),
        Field("status", "str", "状態。", required=True, choices=("draft", "published")),
        Field("summary", "str", "一行の概要。", required=True, max_length=200),
        Field("reconstructed", "bool", "本文を改訂箇所の表などから再構成した版なら true。"),
        Field("note", "str", "補足（記録がない事項など）。", nullable=True),
    ),
)

HISTORY_SCHEMA = Schema(
    N_("history.yaml"),
    "版の履歴。`revisions/history.yaml` に置きます。",
    (
        Field(
            "versions",
            "list",
            "版のリスト（古い順）。まだ版がなければ空。",
            required=True,
            nullable=True,
            items=VERSION_SCHEMA,
        ),
    ),
)

RECORD_SCHEMA = Schema(
    N_("change record"),
    "一件の改版記録（素案の改訂箇所の表の一行）。",
    (
        Field(
            "number",
            "int",
            "No.（全版を通して一意）。YAML では `no` が真偽値と解釈されるため `number` と書きます。",
            required=True,
        ),
        Field(
            "from",
            "str",
            "改版前ver.。省略時は履歴上の直前の版。書く場合は直前の版と一致すること。",
            pattern=ID_PATTERN,
        ),
        Field("motive", "str", "改版動機（第3回有識者会議、庁内意見照会など）。", required=True),
        Field(
            "page",
            "str|int",
            "原資料のページ（例: 17、全体）。省略すると、その版の PDF を作ったことがあれば、"
            "節が始まるページを表示します（なければ何も表示しません）。",
            nullable=True,
        ),
        Field(
            "sections",
            "list",
            "改訂した節のラベル（例: `sec-3-1-1`）。文書全体に関わり特定の節に"
            "結び付かない記録は空のリスト。",
            required=True,
            items="str",
        ),
        Field(
            "old",
            "str",
            "改版前の文言（引用）。表が「－」のとき、つまり改版前の文言がないときは null。",
            required=True,
            nullable=True,
        ),
        Field(
            "new",
            "str",
            "改版後の文言（引用）。表が「－」のときは null。",
            required=True,
            nullable=True,
        ),
        Field(
            "quote",
            "str",
            "old / new のうち本文からの引用であるもの。`both`（既定）、`old`、`new`、"
            "`none`（「(刷新)」のような説明書き）。引用である側だけを本文と照合します。",
            choices=("both", "old", "new", "none"),
        ),
        Field("reason", "str", "改版理由。「〃」は直前の記録と同じ理由を表します。", required=True),
        Field(
            "acknowledged",
            "str",
            "照合の不一致（本文と引用の食い違い、差分のない記録）を確認済みと"
            "する理由。書くと警告ではなく情報として報告されます。",
            nullable=True,
        ),
        Field(
            "opinions",
            "list",
            "この記録の契機となった意見（`<出来事の ID>:<意見の番号>`、例: `public-comment:12`）。"
            "意見の側もこの記録の No. を挙げていること。",
            items="str",
        ),
    ),
)

CHANGES_SCHEMA = Schema(
    N_("changes.yaml"),
    "ある版に至る改版記録。`revisions/<版ID>/changes.yaml`（作業中の原稿は "
    "`revisions/current/changes.yaml`）に置きます。",
    (Field("changes", "list", "改版記録のリスト。", required=True, items=RECORD_SCHEMA),),
)


@dataclasses.dataclass(frozen=True)
class Location:
    """Where a piece of data stands (1-based line and column)."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def error(self, message: str) -> DataError:
        return DataError(self.path, self.line, self.col, message)


def _loc(doc: YamlDocument, key_path: tuple[str | int, ...]) -> Location:
    pos = doc.where(key_path)
    return Location(doc.path, pos.line, pos.col)


@dataclasses.dataclass(frozen=True)
class VersionInfo:
    """One frozen version as history.yaml describes it."""

    id: str
    status: str
    summary: str
    edition: str | None = None
    name: str | None = None
    date: str | None = None
    events: tuple[str, ...] = ()
    reconstructed: bool = False
    note: str | None = None
    where: Location = Location("revisions/history.yaml")

    @property
    def date_text(self) -> str:
        """和暦 display: 令和3年6月3日, 令和XX年XX月 (undetermined) or 記録なし."""
        return format_version_date(self.date)

    @property
    def known_date(self) -> bool:
        """Whether the date is recorded and fixed (not null, not 令和XX年XX月)."""
        return bool(self.date) and self.date != UNDETERMINED_KEYWORD

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"


@dataclasses.dataclass(frozen=True)
class ChangeRecord:
    """One change record (a row of the 改訂箇所 table) leading to ``version``."""

    version: str
    from_version: str
    no: int
    motive: str
    page: str | None
    sections: tuple[str, ...]
    old: str | None
    new: str | None
    reason: str
    reason_resolved: str
    quote: str = "both"
    acknowledged: str | None = None
    ditto_of: int | None = None
    opinions: tuple[str, ...] = ()
    where: Location = Location("changes.yaml")
    fields: dict[str, Location] = dataclasses.field(default_factory=dict, compare=False)

    def at(self, name: str) -> Location:
        """Position of one field (falls back to the record's own)."""
        return self.fields.get(name, self.where)

    def quotes(self, side: str) -> bool:
        """Whether the ``old``/``new`` text is a quotation to check against the document."""
        text = self.old if side == "old" else self.new
        return text is not None and self.quote in ("both", side)

    @property
    def is_ditto(self) -> bool:
        return self.reason.strip() in DITTO_MARKS

    @property
    def reason_display(self) -> str:
        """The reason as shown: a ditto mark is kept and resolved (「〃（No.10 と同じ）…」)."""
        if not self.is_ditto:
            return self.reason
        same = f"No.{self.ditto_of} と同じ" if self.ditto_of is not None else "前の記録と同じ"
        return f"{self.reason.strip()}（{same}：{self.reason_resolved}）"

    @property
    def page_display(self) -> str:
        """``P17``, ``全体``, or ``""`` when the record gives no page."""
        if self.page is None:
            return ""
        return page_text(self.page)


@dataclasses.dataclass
class RevisionData:
    """History and change records of a project, with every problem found while loading."""

    root: Path
    versions: list[VersionInfo]
    records: dict[str, list[ChangeRecord]]
    errors: list[DataError]
    history_path: Path

    # --- versions -------------------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        return [v.id for v in self.versions]

    @property
    def latest(self) -> VersionInfo | None:
        return self.versions[-1] if self.versions else None

    def get(self, version_id: str) -> VersionInfo | None:
        return next((v for v in self.versions if v.id == version_id), None)

    def display_name(self, version_id: str) -> str:
        """The name residents see for a version (see :func:`version_display_name`)."""
        return version_display_name(self, version_id)

    def order(self, version_id: str) -> int:
        """Position in the history; ``current`` comes after every frozen version."""
        if version_id == CURRENT:
            return len(self.versions)
        return self.ids.index(version_id)

    def previous(self, version_id: str) -> str | None:
        index = self.order(version_id)
        return self.ids[index - 1] if index > 0 else None

    def check_version(self, version_id: str) -> None:
        """Raise a DataError at history.yaml when ``version_id`` is neither known nor current."""
        if version_id != CURRENT and self.get(version_id) is None:
            known = ", ".join([*self.ids, CURRENT])
            raise DataError(
                display_path(self.history_path),
                1,
                1,
                f"unknown version {version_id!r}; known versions: {known}",
            )

    def pairs(self, *, with_current: bool = True) -> list[tuple[str, str]]:
        """Consecutive (old, new) pairs, ending with (last frozen, current)."""
        ids = [*self.ids, CURRENT] if with_current else list(self.ids)
        return list(itertools.pairwise(ids))

    # --- records --------------------------------------------------------------------
    def all_records(self) -> Iterator[ChangeRecord]:
        for version_id in [*self.ids, CURRENT]:
            yield from self.records.get(version_id, [])

    def records_between(self, old: str, new: str) -> list[ChangeRecord]:
        """The records of every version after ``old`` up to and including ``new``."""
        start, end = self.order(old), self.order(new)
        chain = [*self.ids, CURRENT][start + 1 : end + 1]
        return [r for version_id in chain for r in self.records.get(version_id, [])]

    def records_for(self, version_id: str) -> list[ChangeRecord]:
        return list(self.records.get(version_id, []))

    def source_dir(self, version_id: str) -> Path:
        if version_id == CURRENT:
            return self.root / "source"
        return self.root / "revisions" / version_id / "source"

    def glossary_dir(self, version_id: str) -> Path:
        """A version's glossary data (frozen with its text); may not exist."""
        if version_id == CURRENT:
            return self.root / "glossary"
        return self.root / "revisions" / version_id / "glossary"

    def glossary_comparison(self, old: str, new: str) -> GlossaryComparison:
        """The glossary part of the comparison ``old`` → ``new`` (one rule for every format)."""
        return compare_glossaries(self.glossary_dir(old), self.glossary_dir(new))

    def raise_errors(self) -> None:
        if self.errors:
            raise self.errors[0]


def page_text(page: str | int) -> str:
    """How a page is shown: ``P17`` for a number, other texts (``全体``) as written."""
    return f"P{page}" if str(page).isdigit() else str(page)


def display_path(path: str | Path) -> str:
    """A path as messages show it: relative to the working folder when inside it."""
    p = Path(path)
    try:
        rel = os.path.relpath(p)
    except ValueError:
        return str(p)
    return rel if not rel.startswith("..") else str(p)


def document_labels(srcdir: Path) -> set[str]:
    """The explicit MyST labels ``(label)=`` of every page under ``srcdir``."""
    labels: set[str] = set()
    if not srcdir.is_dir():
        return labels
    for path in srcdir.rglob("*.md"):
        try:
            text = path.read_text(encoding="utf-8")
            labels.update(label for _, label in target_lines(text.split("\n")))
        except (OSError, UnicodeDecodeError):
            continue
    return labels


def load_revisions(root: Path, *, check_labels: bool = True) -> RevisionData:
    """Load and validate ``revisions/`` of the project at ``root``; never raises on bad data."""
    revisions = root / "revisions"
    history_path = revisions / "history.yaml"
    data = RevisionData(root, [], {}, [], history_path)
    if history_path.exists():
        data.versions = _load_history(history_path, data.errors)
    history_failed = bool(data.errors)
    if history_failed and not data.versions:
        return data  # no versions known: every other judgement would mislead
    known = set(data.ids)
    for folder in (
        sorted(p for p in revisions.glob("*") if p.is_dir()) if revisions.is_dir() else []
    ):
        changes = folder / "changes.yaml"
        if not changes.exists():
            continue
        if folder.name != CURRENT and folder.name not in known:
            if not history_failed:  # else history.yaml's own error is the one to fix
                data.errors.append(
                    DataError(
                        display_path(changes),
                        1,
                        1,
                        f"version {folder.name!r} is not listed in {display_path(history_path)}",
                    )
                )
            continue
        data.records[folder.name] = _load_changes(changes, folder.name, data)
    _check_numbers(data)
    _resolve_dittos(data)
    if check_labels:
        _check_sections(data)
    return data


def _load_history(path: Path, errors: list[DataError]) -> list[VersionInfo]:
    try:
        doc = load_yaml(display_path(path), text=_read(path))
    except DataError as exc:
        errors.append(exc)
        return []
    problems = validate(doc, HISTORY_SCHEMA)
    errors.extend(problems)
    if problems and not isinstance(doc.data, dict):
        return []
    versions: list[VersionInfo] = []
    seen: dict[str, Location] = {}
    for i, item in enumerate(_list(doc.data, "versions")):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        key = ("versions", i)
        vid = item["id"]
        where = _loc(doc, (*key, "id"))
        if vid == CURRENT:
            errors.append(where.error("'current' names the working draft; choose another id"))
            continue
        if vid in seen:
            errors.append(where.error(f"duplicate version id {vid!r} (first at {seen[vid]})"))
            continue
        seen[vid] = where
        date = item.get("date")
        if isinstance(date, str) and not is_valid_version_date(date):
            errors.append(
                _loc(doc, (*key, "date")).error(
                    f"'date' {date!r} is not YYYY-MM-DD, YYYY-MM (from 1873) or 'undetermined'"
                )
            )
            date = None
        versions.append(
            VersionInfo(
                id=vid,
                status=str(item.get("status", "draft")),
                summary=str(item.get("summary", "")),
                edition=_opt_str(item.get("edition")),
                name=_opt_str(item.get("name")),
                date=date if isinstance(date, str) else None,
                events=tuple(str(e) for e in _as_list(item.get("events"))),
                reconstructed=item.get("reconstructed") is True,
                note=_opt_str(item.get("note")),
                where=where,
            )
        )
    return versions


def _load_changes(path: Path, version_id: str, data: RevisionData) -> list[ChangeRecord]:
    try:
        doc = load_yaml(display_path(path), text=_read(path))
    except DataError as exc:
        data.errors.append(exc)
        return []
    problems = validate(doc, CHANGES_SCHEMA)
    data.errors.extend(problems)
    bad = set(_bad_records(doc))
    expected_from = data.previous(version_id) if version_id in (*data.ids, CURRENT) else None
    records: list[ChangeRecord] = []
    for i, item in enumerate(_list(doc.data, "changes")):
        key = ("changes", i)
        if not isinstance(item, dict) or key in bad:
            continue
        from_version = item.get("from") or expected_from or ""
        if item.get("from") is not None and item["from"] != expected_from:
            expected = expected_from or "nothing (it is the first version)"
            data.errors.append(
                _loc(doc, (*key, "from")).error(
                    f"'from' is {item['from']!r} but the version before {version_id!r} in the "
                    f"history is {expected}"
                )
            )
        fields = {name: _loc(doc, (*key, name)) for name in item}
        fields.update(
            {
                f"sections.{j}": _loc(doc, (*key, "sections", j))
                for j in range(len(item["sections"]))
            }
        )
        fields.update(
            {
                f"opinions.{j}": _loc(doc, (*key, "opinions", j))
                for j in range(len(item.get("opinions") or []))
            }
        )
        records.append(
            ChangeRecord(
                version=version_id,
                from_version=from_version,
                no=item["number"],
                motive=item["motive"],
                page=None if item.get("page") is None else str(item["page"]),
                sections=tuple(item["sections"]),
                old=item["old"],
                new=item["new"],
                reason=item["reason"],
                reason_resolved=item["reason"],
                quote=item.get("quote") or "both",
                acknowledged=item.get("acknowledged"),
                opinions=tuple(item.get("opinions") or ()),
                where=_loc(doc, key),
                fields=fields,
            )
        )
    return records


def _bad_records(doc: YamlDocument) -> Iterable[tuple[Any, ...]]:
    """Key paths of the records that failed validation (so they are skipped, not crashed on)."""
    items = doc.data.get("changes") if isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        return []
    bad: list[tuple[Any, ...]] = []
    for i, item in enumerate(items):
        if validate(doc, RECORD_SCHEMA, ("changes", i), item):
            bad.append(("changes", i))
    return bad


def _check_numbers(data: RevisionData) -> None:
    seen: dict[int, ChangeRecord] = {}
    for record in data.all_records():
        first = seen.get(record.no)
        if first is not None:
            data.errors.append(
                record.at("number").error(
                    f"duplicate No. {record.no} (already used at {first.at('number')})"
                )
            )
        else:
            seen[record.no] = record


def _resolve_dittos(data: RevisionData) -> None:
    """Replace each ditto reason's ``reason_resolved`` with the reason it repeats."""
    for version_id, records in data.records.items():
        resolved: list[ChangeRecord] = []
        for record in records:
            if record.is_ditto:
                if not resolved:
                    data.errors.append(
                        record.at("reason").error(
                            f"reason {record.reason!r} repeats the record above, but No. {record.no} "
                            "is the first record of its file"
                        )
                    )
                else:
                    record = dataclasses.replace(
                        record,
                        reason_resolved=resolved[-1].reason_resolved,
                        ditto_of=resolved[-1].no
                        if not resolved[-1].is_ditto
                        else resolved[-1].ditto_of,
                    )
            resolved.append(record)
        data.records[version_id] = resolved


def _check_sections(data: RevisionData) -> None:
    """Each record's labels must exist in the version it leads to or in the one before it."""
    labels_cache: dict[str, set[str]] = {}

    def labels(version_id: str) -> set[str]:
        if version_id not in labels_cache:
            labels_cache[version_id] = document_labels(data.source_dir(version_id))
        return labels_cache[version_id]

    for version_id, records in data.records.items():
        for record in records:
            known = labels(version_id)
            if record.from_version and (record.from_version in data.ids):
                known = known | labels(record.from_version)
            for i, label in enumerate(record.sections):
                if label not in known:
                    data.errors.append(
                        record.at(f"sections.{i}").error(
                            f"No. {record.no}: unknown section label {label!r} (not in "
                            f"{record.from_version or '?'} nor {version_id})"
                        )
                    )


def _read(path: Path) -> str:
    from hoshin.core.yamlio import read_text

    try:
        return read_text(path)
    except DataError as exc:
        raise DataError(display_path(path), exc.line, exc.col, exc.message) from None


def _list(data: Any, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


#: What residents call the working draft.
CURRENT_NAME = "作業中の原稿"
STATUS_NAMES = {"draft": "素案", "published": "公表版"}


def version_id_name(version_id: str) -> str:
    """The working draft by its name, a frozen version by its id (the columns of a table)."""
    return CURRENT_NAME if version_id == CURRENT else version_id


def version_display_name(data: RevisionData, version_id: str) -> str:
    """The human name of a version, defined once for the switcher, banners, titles and tables.

    ``name`` from history.yaml when given; otherwise the status with the month (素案（令和3年6月）),
    or, without a known date, with the event it reflects (素案（第2回有識者会議を反映）), or its
    place in the history (素案（第1版）). Never 「記録なし」 or 「令和XX年XX月」.
    """
    if version_id == CURRENT:
        return CURRENT_NAME
    info = data.get(version_id)
    if info is None:
        return version_id
    if info.name:
        return info.name
    status = STATUS_NAMES.get(info.status, info.status)
    if info.edition:
        status = f"{status} {info.edition}"
    if info.date and info.known_date:
        year, month = info.date.split("-")[:2]
        return f"{status}（{month_to_wareki(int(year), int(month))}）"
    if info.events:
        return f"{status}（{info.events[-1]}を反映）"
    return f"{status}（第{data.ids.index(version_id) + 1}版）"
