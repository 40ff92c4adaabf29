"""A small declarative schema for hoshin's YAML files, with positioned errors.

Each data format declares a :class:`Schema` once; the same declaration validates files
(``path:line:col: message``) and generates the reference in ``docs/``. Nothing here
imports Sphinx.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from hoshin.core.yamlio import N_, DataError, PathKey, YamlDocument

_TYPE_NAMES = {
    "str": "文字列",
    "int": "整数",
    "bool": "真偽値",
    "date": "日付 (YYYY-MM-DD)",
    "list": "リスト",
    "map": "マッピング",
    "str|int": "文字列または整数",
}


@dataclasses.dataclass(frozen=True)
class Field:
    """One key of a mapping. ``kind`` is one of the keys of ``_TYPE_NAMES``."""

    name: str
    kind: str
    description: str
    required: bool = False
    nullable: bool = False
    pattern: str | None = None
    choices: tuple[str, ...] = ()
    items: Schema | str | None = None  # element schema or kind, for lists
    schema: Schema | None = None  # nested mapping
    max_length: int | None = None


@dataclasses.dataclass(frozen=True)
class Schema:
    name: str
    description: str
    fields: tuple[Field, ...]
    allow_extra: bool = False

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def validate(
    doc: YamlDocument,
    schema: Schema | str,
    key_path: PathKey = (),
    value: Any = ...,
    *,
    what: str = "value",
) -> list[DataError]:
    """Return every problem found (empty list = valid), each with its position."""
    if value is ...:
        value = doc.data
    errors: list[DataError] = []
    if isinstance(schema, str):
        _check_kind(doc, schema, value, key_path, what, errors)
        return errors
    if not isinstance(value, dict):
        errors.append(
            doc.error(key_path, f"{schema.name}: expected a mapping, got {_kind_of(value)}")
        )
        return errors
    for f in schema.fields:
        if f.name not in value:
            if f.required:
                errors.append(
                    doc.error(key_path, f"{schema.name}: missing required key '{f.name}'")
                )
            continue
        errors.extend(validate_field(doc, f, value[f.name], (*key_path, f.name)))
    if not schema.allow_extra:
        known = {f.name for f in schema.fields}
        for key in value:
            if key not in known:
                hint = _closest(key, known)
                suffix = f" (did you mean '{hint}'?)" if hint else ""
                errors.append(
                    doc.error(
                        (*key_path, key), f"{schema.name}: unknown key '{key}'{suffix}", key=True
                    )
                )
    return errors


def validate_field(doc: YamlDocument, f: Field, value: Any, key_path: PathKey) -> list[DataError]:
    errors: list[DataError] = []
    if value is None:
        if not f.nullable:
            errors.append(doc.error(key_path, f"'{f.name}' must not be empty"))
        return errors
    if not _check_kind(doc, f.kind, value, key_path, f"'{f.name}'", errors):
        return errors
    if isinstance(value, str):
        if f.max_length is not None and len(value) > f.max_length:
            errors.append(
                doc.error(
                    key_path, f"'{f.name}' is {len(value)} characters; the limit is {f.max_length}"
                )
            )
        if f.pattern and not re.fullmatch(f.pattern, value):
            errors.append(doc.error(key_path, f"'{f.name}' {value!r} does not match {f.pattern}"))
        if f.choices and value not in f.choices:
            errors.append(
                doc.error(
                    key_path, f"'{f.name}' must be one of {', '.join(f.choices)}; got {value!r}"
                )
            )
    if f.kind == "list" and f.items is not None:
        for i, item in enumerate(value):
            errors.extend(validate(doc, f.items, (*key_path, i), item, what=f"'{f.name}' item"))
    if f.kind == "map" and f.schema is not None:
        errors.extend(validate(doc, f.schema, key_path, value))
    return errors


def _check_kind(
    doc: YamlDocument, kind: str, value: Any, key_path: PathKey, what: str, errors: list[DataError]
) -> bool:
    ok = {
        "str": isinstance(value, str),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
        "list": isinstance(value, list),
        "map": isinstance(value, dict),
        "str|int": isinstance(value, (str, int)) and not isinstance(value, bool),
        "date": isinstance(value, str) and _is_date(value),
    }.get(kind, False)
    if not ok:
        expected = _TYPE_NAMES.get(kind, kind)
        errors.append(
            doc.error(key_path, f"{what} must be {kind} ({expected}); got {_kind_of(value)}")
        )
    return ok


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _kind_of(value: Any) -> str:
    if value is None:
        return N_("nothing")
    kinds = {
        dict: N_("a mapping"),
        list: N_("a list"),
        str: N_("text"),
        bool: N_("true/false"),
        int: N_("a number"),
        float: N_("a number"),
    }
    return kinds.get(type(value), type(value).__name__)


def _closest(key: str, known: set[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    return found[0] if found else None


def raise_first(errors: list[DataError]) -> None:
    """Raise the first error (the CLI prints them all; library callers often want one)."""
    if errors:
        raise errors[0]


def schema_markdown(schema: Schema, level: int = 3) -> str:
    """The reference table of one schema, in MyST markdown (used by docs/)."""
    lines = [
        f"{'#' * level} {schema.name}",
        "",
        schema.description,
        "",
        "| キー | 型 | 必須 | 説明 |",
        "|---|---|---|---|",
    ]
    nested: list[Schema] = []
    for f in schema.fields:
        kind = _TYPE_NAMES.get(f.kind, f.kind)
        extra = []
        if f.choices:
            extra.append("値: " + " / ".join(f"`{c}`" for c in f.choices))
        if f.pattern:
            extra.append(f"形式: `{f.pattern}`")
        desc = f.description + ("（" + "、".join(extra) + "）" if extra else "")
        cell = desc.replace("|", "\\|")
        lines.append(f"| `{f.name}` | {kind} | {'はい' if f.required else ''} | {cell} |")
        for sub in (f.items, f.schema):
            if isinstance(sub, Schema):
                nested.append(sub)
    out = "\n".join(lines) + "\n"
    for sub in nested:
        out += "\n" + schema_markdown(sub, level + 1)
    return out
