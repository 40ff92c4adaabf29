"""Bad data files get a clear ``path:line:col: message``, never a traceback or a hang."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hoshin.core.schema import Field, Schema, validate
from hoshin.core.yamlio import MAX_LINE_CHARS, DataError, load_yaml

BOMB = "\n".join(
    [f"l0: &l0 [{', '.join(['x'] * 9)}]"]
    + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]
)


def write(tmp_path: Path, data: bytes | str, name: str = "data.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    ("content", "position", "fragment"),
    [
        ("用語: テスト\n".encode("shift_jis"), (1, 1), "not valid UTF-8 (it looks like Shift_JIS)"),
        ("用語: テスト\n".encode("utf-16"), (1, 1), "UTF-16"),
        (b"", (1, 1), "file is empty"),
        (b"# only a comment\n", (1, 1), "file is empty"),
        (BOMB.encode(), None, "aliases nested too deeply"),
        (b"a: 1\na: 2\n", (2, 1), "duplicate key 'a'"),
        (b"a: [1\n", (2, 1), "invalid YAML"),
        (b"a: !!python/object:os.system x\n", (1, 4), "unsupported YAML tag"),
        (b"a: !!python/object:os.system {x: 1}\n", (1, 4), "unsupported YAML tag"),
        (b"a:\n  b: !!set {x: null}\n", (2, 6), "unsupported YAML tag tag:yaml.org,2002:set"),
        (b"a: !!omap [x: 1]\n", (1, 4), "unsupported YAML tag tag:yaml.org,2002:omap"),
        (b"- !local\n  x: 1\n", (1, 3), "unsupported YAML tag !local"),
        (b"a: !!python/tuple [1, 2]\n", (1, 4), "unsupported YAML tag"),
        (b"base: &b {x: 1}\nother:\n  <<: *b\n", (3, 3), "merge keys"),
        (b"a: &a [*a]\n", None, "recursive"),
        (("a: " + "x" * (MAX_LINE_CHARS + 5) + "\n").encode(), (1, MAX_LINE_CHARS + 1), "limit"),
    ],
)
def test_bad_files_are_named_with_position(
    tmp_path: Path, content: bytes, position: tuple[int, int] | None, fragment: str
) -> None:
    path = write(tmp_path, content)
    with pytest.raises(DataError) as info:
        load_yaml(path)
    message = str(info.value)
    assert message.startswith(f"{path}:"), message
    assert fragment in message
    if position:
        assert (info.value.line, info.value.col) == position


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbfterm: \xe3\x83\x86\r\nreading: a\r\n")
    doc = load_yaml(path)
    assert doc.data == {"term": "テ", "reading": "a"}
    assert doc.where(("reading",)).line == 2


def test_positions_of_nested_values(tmp_path: Path) -> None:
    path = write(tmp_path, "items:\n  - no: 1\n    text: あ\n  - no: 2\n    text: い\n")
    doc = load_yaml(path)
    assert (doc.where(("items", 1, "text")).line, doc.where(("items", 1, "text")).col) == (5, 11)
    assert doc.where(("items", 1, "missing")).line == 4  # falls back to the parent


ENTRY = Schema(
    "entry",
    "test",
    (
        Field("term", "str", "用語", required=True),
        Field("no", "int", "番号"),
        Field("date", "date", "日付", nullable=True),
        Field("kind", "str", "種類", choices=("a", "b")),
    ),
)


def test_schema_errors_name_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, "no: x\ndate: 2021-13-01\nkind: c\ntrem: typo\n")
    errors = [str(e) for e in validate(load_yaml(path), ENTRY)]
    assert f"{path}:1:1: entry: missing required key 'term'" in errors
    assert f"{path}:1:5: 'no' must be int (整数); got text" in errors
    assert any(e.startswith(f"{path}:2:7:") and "date" in e for e in errors)
    assert any(e.startswith(f"{path}:3:7:") and "one of a, b" in e for e in errors)
    assert f"{path}:4:1: entry: unknown key 'trem' (did you mean 'term'?)" in errors


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20))
yaml_data = st.recursive(
    yaml_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(yaml_data)
def test_arbitrary_data_gives_errors_not_crashes(
    tmp_path_factory: pytest.TempPathFactory, data: object
) -> None:
    import yaml

    path = tmp_path_factory.mktemp("fuzz") / "x.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        doc = load_yaml(path)
    except DataError:
        return
    for error in validate(doc, ENTRY):
        assert str(error).startswith(str(path))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_give_errors_not_crashes(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzzb") / "x.yaml"
    path.write_bytes(raw)
    try:
        load_yaml(path)
    except DataError as exc:
        assert str(exc).startswith(str(path))
