"""Opinions (意見) received in a consultation and the city's answers: schema, model, loading.

One YAML file per consultation event (第3回有識者会議, 庁内意見照会, パブリックコメント …) in
``revisions/opinions/<event id>.yaml``. Each opinion carries the city's summary
(意見の概要, what is published), the city's answer (市の考え方), a disposition (対応区分,
configurable categories) and the numbers of the change records it led to.

Where the source material does not record an opinion's summary or the city's answer (a
meeting known only from the reasons of a change table), the opinion says so explicitly:
``unrecorded: [summary, response]``. The outputs then print :data:`UNRECORDED_TEXT` in that
cell, and the check tells such a field from one an editor forgot to write. hoshin never
writes a sentence for the city.

What identifies a resident (the original text, name, address, e-mail, phone, organisation)
goes under ``private:``. The loader validates it and then drops it: no :class:`Opinion`
holds it, so no renderer can write it anywhere — only the YAML file keeps it, for editors.

Pure Python (no Sphinx); every problem is a positioned :class:`~hoshin.core.yamlio.DataError`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from hoshin.core.history import ID_PATTERN, LABEL_PATTERN, Location, display_path
from hoshin.core.schema import Field, Schema, validate
from hoshin.core.yamlio import N_, DataError, YamlDocument, load_yaml, read_text

#: Where the opinion files live, relative to the project.
OPINIONS_DIR = Path("revisions") / "opinions"
#: The categories cities use in their published results (configurable: hoshin_opinion_dispositions).
DEFAULT_DISPOSITIONS: tuple[str, ...] = (
    "反映した",
    "一部反映した",
    "反映しない",
    "今後の参考とする",
    "その他",
)
#: The categories that say the text changed: such an opinion must name its change records.
DEFAULT_REFLECTED: tuple[str, ...] = ("反映した", "一部反映した")
OPINION_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,19}"
#: What a change record writes to cite an opinion: ``<event id>:<opinion id>``.
REF_PATTERN = f"({ID_PATTERN}):({OPINION_ID_PATTERN})"

PRIVATE_SCHEMA = Schema(
    N_("private"),
    "編集者だけが見る情報。公開版にも審議用の版にも、どの出力にも書き出しません。",
    (
        Field("original", "str", "意見の原文。", nullable=True),
        Field("name", "str", "提出者の氏名。", nullable=True),
        Field("address", "str", "提出者の住所。", nullable=True),
        Field("email", "str", "提出者の電子メールアドレス。", nullable=True),
        Field("phone", "str", "提出者の電話番号。", nullable=True),
        Field("organisation", "str", "提出者の所属団体（公表しないもの）。", nullable=True),
        Field("note", "str", "編集者のメモ。", nullable=True),
    ),
)

#: The fields an opinion may declare as not recorded in its source material.
UNRECORDABLE: tuple[str, ...] = ("summary", "response")
#: What a table shows in a cell the source material does not record.
UNRECORDED_TEXT = "（元資料に記載がありません）"

OPINION_SCHEMA = Schema(
    N_("opinion"),
    "一件の意見と市の考え方。",
    (
        Field(
            "id",
            "str|int",
            "意見の番号（その出来事の中で一意。例: `1`、`A-3`）。表では No. として示します。",
            required=True,
        ),
        Field("date", "date", "受け付けた日（YYYY-MM-DD）。", nullable=True),
        Field("sections", "list", "意見が関わる節のラベル（例: `sec-3-1-1`）。", items="str"),
        Field(
            "summary",
            "str",
            "意見の概要（市がまとめた文。公表するのはこの文です）。元資料に記載がなければ書かずに"
            "`unrecorded` に `summary` を挙げます。",
            nullable=True,
        ),
        Field(
            "response",
            "str",
            "市の考え方。元資料に記載がなければ書かずに `unrecorded` に `response` を挙げます"
            "（どちらもなければ未回答です）。",
            nullable=True,
        ),
        Field(
            "unrecorded",
            "list",
            "元資料に記載のない項目（`summary`、`response`）。表のその欄には"
            f"「{UNRECORDED_TEXT}」と表示します。推測で文を補わないためのものです。",
            items="str",
        ),
        Field(
            "disposition",
            "str",
            "対応区分（既定: 反映した／一部反映した／反映しない／今後の参考とする／その他。"
            "`hoshin_opinion_dispositions` で変えられます）。未回答なら null。",
            nullable=True,
        ),
        Field("records", "list", "この意見を受けた改版記録の No.。", items="int"),
        Field(
            "source",
            "str",
            "意見の出所（元資料のどこに記録があるか）。意見の概要が元資料にない意見では、"
            "表の意見の概要の欄に「出所：…」として示します（公表します）。",
            nullable=True,
        ),
        Field("private", "map", "公開しない情報（原文、提出者）。", schema=PRIVATE_SCHEMA),
    ),
)

EVENT_SCHEMA = Schema(
    N_("opinions file"),
    "一つの出来事（会議、意見照会、パブリックコメント）で受けた意見。"
    "`revisions/opinions/<出来事の ID>.yaml` に置きます（ファイル名が出来事の ID）。",
    (
        Field(
            "event",
            "str",
            "出来事の名前（例: `第3回有識者会議`、`パブリックコメント`）。"
            "history.yaml の版の events と同じ書き方をします。",
            required=True,
        ),
        Field(
            "date",
            "str",
            "日付または期間の表記（例: `2025-04-01`、`2025-04-01〜2025-04-30`）。",
            nullable=True,
        ),
        Field("description", "str", "意見を求めた内容や方法の説明（公表します）。", nullable=True),
        Field("note", "str", "補足（記録がない事項など。公表します）。", nullable=True),
        Field(
            "opinions",
            "list",
            "意見のリスト。意見の記録がなければ空のリスト。",
            required=True,
            items=OPINION_SCHEMA,
        ),
    ),
)


@dataclasses.dataclass(frozen=True)
class Opinion:
    """One opinion of an event, without its private part (which is never loaded)."""

    event: str  # the event id (file name)
    id: str
    summary: str | None
    response: str | None = None
    disposition: str | None = None
    records: tuple[int, ...] = ()
    sections: tuple[str, ...] = ()
    date: str | None = None
    source: str | None = None
    #: Fields the source material does not record (see :data:`UNRECORDABLE`).
    unrecorded: tuple[str, ...] = ()
    where: Location = dataclasses.field(default_factory=lambda: Location("opinions.yaml"))
    fields: dict[str, Location] = dataclasses.field(default_factory=dict, compare=False)

    @property
    def ref(self) -> str:
        """How a change record cites it: ``<event id>:<opinion id>``."""
        return f"{self.event}:{self.id}"

    @property
    def anchor(self) -> str:
        """The HTML id of its row in the published table."""
        return opinion_anchor(self.event, self.id)

    def at(self, name: str) -> Location:
        return self.fields.get(name, self.where)

    def answered(self) -> bool:
        """Has a disposition, and a response or the statement that the source records none."""
        return self.disposition is not None and (
            self.response is not None or "response" in self.unrecorded
        )


@dataclasses.dataclass(frozen=True)
class OpinionEvent:
    """One consultation event and its opinions, as one file holds them."""

    id: str
    name: str
    opinions: tuple[Opinion, ...]
    date: str | None = None
    description: str | None = None
    note: str | None = None
    where: Location = dataclasses.field(default_factory=lambda: Location("opinions.yaml"))


@dataclasses.dataclass
class OpinionData:
    """Every event's opinions, with every problem found while loading."""

    root: Path
    events: list[OpinionEvent]
    errors: list[DataError]
    dispositions: tuple[str, ...] = DEFAULT_DISPOSITIONS
    reflected: tuple[str, ...] = DEFAULT_REFLECTED

    def event(self, event_id: str) -> OpinionEvent | None:
        return next((e for e in self.events if e.id == event_id), None)

    def events_named(self, name: str) -> list[OpinionEvent]:
        return [e for e in self.events if e.name == name]

    def all_opinions(self) -> Iterator[Opinion]:
        for event in self.events:
            yield from event.opinions

    def by_ref(self) -> dict[str, Opinion]:
        return {o.ref: o for o in self.all_opinions()}

    def by_record(self) -> dict[int, list[Opinion]]:
        """Change-record number → the opinions that name it."""
        out: dict[int, list[Opinion]] = {}
        for opinion in self.all_opinions():
            for number in opinion.records:
                out.setdefault(number, []).append(opinion)
        return out

    def is_reflected(self, opinion: Opinion) -> bool:
        return opinion.disposition in self.reflected


def opinion_anchor(event_id: str, opinion_id: str) -> str:
    """``opinion-<event>-<id>``, lower-cased, dots kept out of ids."""
    return "opinion-" + re.sub(r"[^a-z0-9-]+", "-", f"{event_id}-{opinion_id}".lower()).strip("-")


def summary_text(opinion: Opinion) -> str:
    """The 意見の概要 as published; where the source records none, that fact and the source."""
    if opinion.summary is not None:
        return opinion.summary
    if opinion.source:
        return f"{UNRECORDED_TEXT}\n出所：{opinion.source}"
    return UNRECORDED_TEXT if "summary" in opinion.unrecorded else ""


def response_text(opinion: Opinion) -> str:
    """The 市の考え方 as published: the written response, or that the source records none.
    Never a sentence made up for the city."""
    if opinion.response is not None:
        return opinion.response
    return UNRECORDED_TEXT if "response" in opinion.unrecorded else ""


def counts(event: OpinionEvent, data: OpinionData) -> list[tuple[str, int]]:
    """(disposition, number of opinions) in the configured order; 未回答 last when any."""
    tally = {d: 0 for d in data.dispositions}
    unanswered = 0
    for opinion in event.opinions:
        if opinion.disposition in tally:
            tally[opinion.disposition] += 1
        else:
            unanswered += 1
    rows = list(tally.items())
    if unanswered:
        rows.append((UNANSWERED, unanswered))
    return rows


#: How an opinion without a disposition is counted and shown.
UNANSWERED = "未回答"


def load_opinions(
    root: Path,
    dispositions: Sequence[str] = DEFAULT_DISPOSITIONS,
    reflected: Sequence[str] = DEFAULT_REFLECTED,
) -> OpinionData:
    """Load and validate ``revisions/opinions/*.yaml`` of the project at ``root``; never raises."""
    data = OpinionData(root, [], [], tuple(dispositions), tuple(reflected))
    folder = root / OPINIONS_DIR
    if not folder.is_dir():
        return data
    for path in sorted(folder.glob("*.yaml")):
        shown = display_path(path)
        if not re.fullmatch(ID_PATTERN, path.stem):
            data.errors.append(
                DataError(
                    shown,
                    1,
                    1,
                    f"the file name {path.stem!r} is not an "
                    f"event id ({ID_PATTERN}); rename the file",
                )
            )
            continue
        try:
            doc = load_yaml(shown, text=read_text(path))
        except DataError as exc:
            data.errors.append(DataError(shown, exc.line, exc.col, exc.message))
            continue
        event = _event(doc, path.stem, data)
        if event is not None:
            data.events.append(event)
    return data


def event_files(root: Path) -> list[Path]:
    """The opinion files of a project (what a build depends on)."""
    folder = root / OPINIONS_DIR
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def _event(doc: YamlDocument, event_id: str, data: OpinionData) -> OpinionEvent | None:
    problems = validate(doc, EVENT_SCHEMA)
    if problems and not isinstance(doc.data, dict):
        data.errors.extend(problems)
        return None
    data.errors.extend(problems)
    items = doc.data.get("opinions")
    opinions: list[Opinion] = []
    seen: dict[str, Location] = {}
    for i, item in enumerate(items if isinstance(items, list) else []):
        key = ("opinions", i)
        if not isinstance(item, dict) or validate(doc, OPINION_SCHEMA, key, item):
            continue  # already reported by the file's validation
        oid = str(item["id"])
        where = _loc(doc, (*key, "id"))
        if not re.fullmatch(OPINION_ID_PATTERN, oid):
            data.errors.append(
                where.error(f"opinion id {oid!r} does not match {OPINION_ID_PATTERN}")
            )
            continue
        if oid in seen:
            data.errors.append(where.error(f"duplicate opinion id {oid!r} (first at {seen[oid]})"))
            continue
        seen[oid] = where
        disposition = item.get("disposition")
        if disposition is not None and disposition not in data.dispositions:
            data.errors.append(
                _loc(doc, (*key, "disposition")).error(
                    f"'disposition' must be one of {', '.join(data.dispositions)}; got {disposition!r}"
                )
            )
            disposition = None
        for j, label in enumerate(item.get("sections") or []):
            if not re.fullmatch(LABEL_PATTERN, label):
                data.errors.append(
                    _loc(doc, (*key, "sections", j)).error(
                        f"section label {label!r} does not match {LABEL_PATTERN}"
                    )
                )
        unrecorded = _unrecorded(doc, key, item, data)
        if "summary" not in unrecorded and not item.get("summary"):
            data.errors.append(
                where.error(
                    f"opinion {oid!r} has no 'summary'; write the city's summary, or list "
                    "summary in 'unrecorded' when the source material does not record one"
                )
            )
        fields = {name: _loc(doc, (*key, name)) for name in item}
        fields.update(
            {
                f"records.{j}": _loc(doc, (*key, "records", j))
                for j in range(len(item.get("records") or []))
            }
        )
        fields.update(
            {
                f"sections.{j}": _loc(doc, (*key, "sections", j))
                for j in range(len(item.get("sections") or []))
            }
        )
        opinions.append(
            Opinion(
                event=event_id,
                id=oid,
                summary=None if "summary" in unrecorded else item.get("summary"),
                response=None if "response" in unrecorded else (item.get("response") or None),
                disposition=disposition,
                records=tuple(item.get("records") or ()),
                sections=tuple(item.get("sections") or ()),
                date=item.get("date"),
                source=item.get("source"),
                unrecorded=unrecorded,
                where=_loc(doc, key),
                fields=fields,
            )
        )
    name = doc.data.get("event")
    if not isinstance(name, str):
        return None
    return OpinionEvent(
        id=event_id,
        name=name,
        opinions=tuple(opinions),
        date=_opt(doc.data.get("date")),
        description=_opt(doc.data.get("description")),
        note=_opt(doc.data.get("note")),
        where=_loc(doc, ("event",)),
    )


def _unrecorded(
    doc: YamlDocument, key: tuple[str | int, ...], item: dict[str, Any], data: OpinionData
) -> tuple[str, ...]:
    """The valid names of ``unrecorded``; an unknown name, or a field both written and
    declared unrecorded, is an error (the text would contradict the declaration)."""
    names: list[str] = []
    for j, name in enumerate(item.get("unrecorded") or []):
        where = _loc(doc, (*key, "unrecorded", j))
        if name not in UNRECORDABLE:
            data.errors.append(
                where.error(f"'unrecorded' may list {', '.join(UNRECORDABLE)}; got {name!r}")
            )
        elif item.get(name):
            data.errors.append(
                where.error(
                    f"{name!r} is listed in 'unrecorded' but also written; keep one of them"
                )
            )
        elif name not in names:
            names.append(name)
    return tuple(names)


def _loc(doc: YamlDocument, key_path: tuple[str | int, ...]) -> Location:
    pos = doc.where(key_path)
    return Location(doc.path, pos.line, pos.col)


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)
