"""Load YAML data files safely, keeping the position of every key and value.

Every data file of a hoshin project (history, change records, glossary, flows, allowlist)
goes through :func:`load_yaml`, so that every later error can name ``path:line:col``.
Nothing here imports Sphinx.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

#: Upper bounds that keep a hostile or broken file from hanging a build.
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_LINE_CHARS = 20_000
MAX_NODES = 200_000

PathKey = tuple[str | int, ...]

#: Characters no text of a project may hold: C0 and C1 controls except tab and line feed
#: (the CR of a CRLF line end is dropped before; a lone CR is refused), DEL, and the bidi
#: embeddings, overrides and isolates (U+202A–202E, U+2066–2069) that make text read other
#: than it is stored. Controls reach a terminal as commands; none of these has a meaning
#: in a policy document.
FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x0D: "CR",
                  0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL", 0x9B: "CSI"}  # fmt: skip


def N_(message: str) -> str:
    """Mark a message for the CLI's catalog (``make i18n`` extracts it; the CLI translates
    it when printed). The gettext convention; core does not import the CLI."""
    return message


def describe_forbidden(char: str) -> str:
    """``control character U+001B (ESC)`` or ``bidi control U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    code = ord(char)
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        code_name = f"U+{code:04X} ({unicodedata.name(char)})"
        return N_(f"bidi control {code_name}")
    name = _CONTROL_NAMES.get(code)
    code_name = f"U+{code:04X}" + (f" ({name})" if name else "")
    return N_(f"control character {code_name}")


def forbidden_message(char: str) -> str:
    if char == "\r":
        return N_(
            "carriage return (CR) without a line feed; save the file with LF or CRLF line ends"
        )
    described = describe_forbidden(char)
    if char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        return N_(f"{described} is not allowed (it shows text in another order than it is "
                  "stored); delete it")  # fmt: skip
    return N_(f"{described} is not allowed (an invisible character); delete it")


def refuse_forbidden(path: str | Path, text: str) -> None:
    """Raise :class:`DataError` at the first forbidden character of ``text`` (its line:col)."""
    found = FORBIDDEN_CHARS.search(text)
    if found is None:
        return
    start = found.start()
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    raise DataError(path, line, col, forbidden_message(found.group()))


class DataError(Exception):
    """A problem in a user's data file, located at ``path:line:col`` (both 1-based)."""

    def __init__(self, path: str | Path, line: int, col: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{col}: {message}")
        self.path = str(path)
        self.line = line
        self.col = col
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


@dataclasses.dataclass(frozen=True)
class Position:
    line: int
    col: int


@dataclasses.dataclass
class YamlDocument:
    """Plain Python data (dicts, lists, str, int, float, bool, None) plus positions.

    ``positions[key_path]`` is where the value at that path starts; ``key_positions`` where
    the mapping key itself stands (for "unknown key" and "duplicate key" messages).
    """

    path: str
    data: Any
    positions: dict[PathKey, Position]
    key_positions: dict[PathKey, Position]

    def where(self, key_path: PathKey, *, key: bool = False) -> Position:
        """Position of a value (or of its key), falling back to the nearest parent."""
        table = self.key_positions if key else self.positions
        probe = tuple(key_path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), Position(1, 1))

    def error(self, key_path: PathKey, message: str, *, key: bool = False) -> DataError:
        pos = self.where(key_path, key=key)
        return DataError(self.path, pos.line, pos.col, message)


def read_text(path: str | Path) -> str:
    """Read a UTF-8 text file, with clear errors for the encodings editors end up with.

    A UTF-8 byte-order mark is dropped and CRLF line ends are accepted (both come from
    Windows editors and are harmless); anything that is not UTF-8 is refused, and so is
    any of :data:`FORBIDDEN_CHARS` (a NUL byte, an escape sequence, a bidi override).
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise DataError(p, 1, 1, "file not found") from None
    except IsADirectoryError:
        raise DataError(p, 1, 1, "is a directory, not a file") from None
    if len(raw) > MAX_FILE_BYTES:
        raise DataError(p, 1, 1, f"file is {len(raw)} bytes; the limit is {MAX_FILE_BYTES}")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(p, 1, 1, "file is UTF-16; save it as UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = _guess_encoding(raw)
        hint = f" (it looks like {guess})" if guess else ""
        raise DataError(p, line, col, f"file is not valid UTF-8{hint}; save it as UTF-8") from None
    text = text.replace("\r\n", "\n")
    refuse_forbidden(p, text)
    for number, line_text in enumerate(text.split("\n"), start=1):
        if len(line_text) > MAX_LINE_CHARS:
            raise DataError(
                p,
                number,
                MAX_LINE_CHARS + 1,
                f"line is {len(line_text)} characters long; the limit is {MAX_LINE_CHARS}",
            )
    return text


def _guess_encoding(raw: bytes) -> str | None:
    for name in ("shift_jis", "cp932", "euc_jp"):
        try:
            raw.decode(name)
        except UnicodeDecodeError:
            continue
        return "Shift_JIS" if name in ("shift_jis", "cp932") else "EUC-JP"
    return None


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader whose composer we walk ourselves (no Python object tags).

    libyaml's parser when PyYAML has it (about 10× faster: a shelf of documents reads
    hundreds of flow files), else PyYAML's own; both give the same nodes and marks.
    """


def load_yaml(
    path: str | Path, *, text: str | None = None, allow_empty: bool = False
) -> YamlDocument:
    """Parse one YAML document with positions; raise :class:`DataError` on any problem."""
    p = Path(path)
    if text is None:
        text = read_text(p)
    else:
        refuse_forbidden(p, text)
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.split("\n")
    ):
        if allow_empty:
            return YamlDocument(str(p), None, {(): Position(1, 1)}, {})
        raise DataError(p, 1, 1, "file is empty")
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise DataError(p, line, col, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise DataError(p, 1, 1, f"invalid YAML: {exc}") from None
    doc = YamlDocument(str(p), None, {}, {})
    walker = _Walker(doc)
    doc.data = walker.construct(node, ())
    return doc


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

_COLLECTION_TAGS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


class _Walker:
    """Turns a composed node tree into plain data, recording positions, with a node budget.

    The budget is what stops a "billion laughs" file: aliases share nodes in the composed
    tree, so expansion happens here, and here it is counted.
    """

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.budget = MAX_NODES
        self.constructor = yaml.constructor.SafeConstructor()

    def fail(self, node: yaml.Node, message: str) -> DataError:
        return DataError(
            self.doc.path, node.start_mark.line + 1, node.start_mark.column + 1, message
        )

    def construct(
        self, node: yaml.Node, key_path: PathKey, active: frozenset[int] = frozenset()
    ) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise self.fail(
                node, f"YAML expands to more than {MAX_NODES} values (aliases nested too deeply?)"
            )
        self.doc.positions[key_path] = Position(
            node.start_mark.line + 1, node.start_mark.column + 1
        )
        if id(node) in active:
            raise self.fail(node, "recursive YAML alias")
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        active = active | {id(node)}
        if node.tag not in _COLLECTION_TAGS:  # !!set, !!omap, !!python/object:… {…}
            raise self.fail(node, f"unsupported YAML tag {node.tag}")
        if isinstance(node, yaml.SequenceNode):
            return [
                self.construct(item, (*key_path, i), active) for i, item in enumerate(node.value)
            ]
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail(key_node, "merge keys (<<) are not supported")
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail(key_node, "mapping keys must be plain text")
                key = str(key_node.value)  # keys as written: YAML 1.1 reads `no:` as false
                self.refuse_forbidden(key_node, key)
                if key in result:
                    raise self.fail(key_node, f"duplicate key '{key}'")
                self.doc.key_positions[(*key_path, key)] = Position(
                    key_node.start_mark.line + 1, key_node.start_mark.column + 1
                )
                result[key] = self.construct(value_node, (*key_path, key), active)
            return result
        raise self.fail(node, "unsupported YAML node")

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise self.fail(node, f"unsupported YAML tag {node.tag}")
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay ISO text; the schema validates them
        try:
            value = self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError) as exc:
            raise self.fail(node, f"invalid value: {exc}") from None
        if isinstance(value, str):
            self.refuse_forbidden(node, value)
        return value

    def refuse_forbidden(self, node: yaml.Node, value: str) -> None:
        """A control written as an escape (``"\\e[2J"``, ``"\\u202e"``): the raw file held
        none, so the error points at the start of the quoted text."""
        found = FORBIDDEN_CHARS.search(value)
        if found is not None:
            raise self.fail(node, forbidden_message(found.group()))


def iter_paths(data: Any, prefix: PathKey = ()) -> Iterator[tuple[PathKey, Any]]:
    """Yield ``(key_path, value)`` for every node, depth first."""
    yield prefix, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from iter_paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from iter_paths(v, (*prefix, i))
