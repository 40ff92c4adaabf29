"""One SudachiPy dictionary per process, shared by every feature that reads Japanese words,
and a store of its analyses so that a build of unchanged text need not load it at all.

Each ``sudachipy.Dictionary(dict="core")`` maps the 200 MB system dictionary on its own:
four features loading their own (search words, glossary term candidates, the diff's words,
the です・ます lint) made a build hold it twice or more, about 120 MB each. Here it is loaded
once, when a feature first needs it (never at import), and each split mode's tokenizer is
made once per thread from it (a tokenizer is not safe to share between threads: the PDF
stage compares versions in a thread pool).

The mapped dictionary is most of a build's memory: loading it makes about 80 MB of it
resident, analysing the policy's 24,000 characters about 155 MB. So a build (and any caller
that names a store with :func:`use_store`) keeps every analysis in an SQLite file beside its
other caches, keyed by the dictionary, SudachiPy's version, the split mode and the text: an
analysis found there is the morphemes Sudachi gave for that text (surface, offsets, part of
speech, reading, dictionary form, out-of-vocabulary flag), so the features see the same
morphemes and the dictionary is loaded only for text never analysed before.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from hoshin.core.digest import InputDigest

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

Mode = Literal["A", "B", "C"]
_T = TypeVar("_T")
#: Analyses held back before they are written to the store (a forked worker of a parallel
#: Sphinx build never runs ``atexit``; what it held is analysed again next time).
_FLUSH_EVERY = 256


@functools.cache
def dictionary() -> Any:
    """The ``sudachidict_core`` dictionary (loaded on first use)."""
    from sudachipy import Dictionary

    return Dictionary(dict="core")


_local = threading.local()


def sudachi_tokenizer(mode: Mode) -> Any:
    """This thread's SudachiPy tokenizer of split mode ``mode`` (A: shortest units … C:
    longest dictionary words), all made from the one :func:`dictionary`."""
    from sudachipy import SplitMode

    made: dict[str, Any] = _local.__dict__.setdefault("tokenizers", {})
    if mode not in made:
        made[mode] = dictionary().create(mode=getattr(SplitMode, mode))
    return made[mode]


@dataclass(frozen=True, slots=True)
class Morpheme:
    """What hoshin reads of a SudachiPy morpheme, under SudachiPy's method names."""

    _surface: str
    _begin: int
    _end: int
    _pos: tuple[str, ...]
    _reading: str
    _dictionary_form: str
    _oov: bool

    def surface(self) -> str:
        return self._surface

    def begin(self) -> int:
        return self._begin

    def end(self) -> int:
        return self._end

    def part_of_speech(self) -> tuple[str, ...]:
        return self._pos

    def reading_form(self) -> str:
        return self._reading

    def dictionary_form(self) -> str:
        return self._dictionary_form

    def is_oov(self) -> bool:
        return self._oov


def _analyse(mode: Mode, text: str) -> list[Morpheme]:
    return [
        Morpheme(m.surface(), m.begin(), m.end(), tuple(m.part_of_speech()), m.reading_form(),
                 m.dictionary_form(), m.is_oov())
        for m in sudachi_tokenizer(mode).tokenize(text)
    ]  # fmt: skip


@functools.cache
def _dictionary_id() -> str:
    """What the stored analyses depend on: SudachiPy's version and the dictionary file."""
    import sudachidict_core
    import sudachipy

    path = Path(sudachidict_core.__file__).parent / "resources" / "system.dic"
    stat = path.stat()
    return f"sudachipy {sudachipy.__version__}; {path} {stat.st_size} {stat.st_mtime_ns}"


class _Store:
    """The SQLite file of analyses; one connection per process and thread.

    Each row records the day it was last used (days since 1970, UTC): a row is marked at
    most once a day, and rows unused for :data:`KEEP_DAYS` are dropped when a process
    writes its analyses, so the file holds what the project's current texts need (an
    edited paragraph's old analyses go), not every text ever analysed.
    """

    def __init__(self, path: Path, today: int | None = None) -> None:
        self.path = path
        self.today = today if today is not None else int(time.time() // 86400)
        self._local = threading.local()
        self._pending: dict[str, str] = {}
        self._used: set[str] = set()
        self._lock = threading.Lock()
        self._pruned = False
        self.broken = False

    def _connection(self) -> sqlite3.Connection:
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == os.getpid():
            return held[1]  # type: ignore[no-any-return]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        connection.execute(
            "CREATE TABLE IF NOT EXISTS analyses (key TEXT PRIMARY KEY, value TEXT, used INTEGER)"
        )
        columns = {row[1] for row in connection.execute("PRAGMA table_info(analyses)")}
        if "used" not in columns:  # a store of an older hoshin: its rows count as used today
            with connection:
                connection.execute("ALTER TABLE analyses ADD COLUMN used INTEGER")
                connection.execute("UPDATE analyses SET used = ?", (self.today,))
        self._local.held = (os.getpid(), connection)  # a forked child opens its own
        return connection

    def get_raw(self, key: str) -> str | None:
        with self._lock:
            held = self._pending.get(key)
        if held is not None:
            return held
        row = (
            self._connection()
            .execute("SELECT value, used FROM analyses WHERE key = ?", (key,))
            .fetchone()
        )
        if row is None:
            return None
        if row[1] != self.today:
            with self._lock:
                self._used.add(key)
        return str(row[0])

    def put_raw(self, key: str, value: str) -> None:
        with self._lock:
            self._pending[key] = value
            due = len(self._pending) >= _FLUSH_EVERY
        if due:
            self.flush()

    def flush(self) -> None:
        """Write the new analyses and the days of use; drop what is long unused (once)."""
        with self._lock:
            pending, self._pending = self._pending, {}
            used, self._used = self._used, set()
            prune = not self._pruned
            self._pruned = True
        if not (pending or used or prune):
            return
        connection = self._connection()
        with connection:
            connection.executemany(
                "INSERT OR REPLACE INTO analyses (key, value, used) VALUES (?, ?, ?)",
                [(key, value, self.today) for key, value in pending.items()],
            )
            connection.executemany(
                "UPDATE analyses SET used = ? WHERE key = ?", [(self.today, k) for k in used]
            )
            if prune:
                connection.execute(
                    "DELETE FROM analyses WHERE used IS NULL OR used < ?",
                    (self.today - KEEP_DAYS,),
                )


#: Days a stored analysis is kept without being used.
KEEP_DAYS = 30


_store: _Store | None = None


def use_store(path: Path | None) -> None:
    """Keep analyses in the SQLite file ``path`` (``None``: none) from now on."""
    global _store
    if _store is not None and (path is None or _store.path != path):
        _flush_quietly()
    _store = _Store(path) if path is not None else None


def _flush_quietly() -> None:
    if _store is not None and not _store.broken:
        try:
            _store.flush()
        except (sqlite3.Error, OSError):
            _store.broken = True


atexit.register(_flush_quietly)


def analyse(mode: Mode, text: str) -> list[Morpheme]:
    """The morphemes of ``text`` in split mode ``mode``, from the store when it holds them."""

    def key() -> str:
        digest = InputDigest().add_text("dictionary", _dictionary_id()).add_text("mode", mode)
        return digest.add_text("text", text).hexdigest()

    def encode(morphemes: list[Morpheme]) -> str:
        rows = [[m._surface, m._begin, m._end, m._pos, m._reading, m._dictionary_form, m._oov]
                for m in morphemes]  # fmt: skip
        return json.dumps(rows, ensure_ascii=False)

    def decode(row: str) -> list[Morpheme]:
        return [
            Morpheme(s, b, e, tuple(p), r, d, bool(o)) for s, b, e, p, r, d, o in json.loads(row)
        ]

    return _kept(key, lambda: _analyse(mode, text), encode, decode)


def memo(
    kind: str, texts: Sequence[str], compute: Callable[[Sequence[str]], list[str]]
) -> list[str]:
    """``compute(texts)`` (one string out per string in), kept in the store.

    For a result made from Sudachi's analyses of many texts (a page's blocks with their
    word boundaries): one lookup instead of one per text. ``kind`` names the computation and
    everything it depends on besides the dictionary (its code's digest): a result is reused
    only for the same kind, dictionary and texts.
    """

    def key() -> str:
        digest = InputDigest().add_text("dictionary", _dictionary_id()).add_text("memo", kind)
        return digest.add_text("texts", json.dumps(list(texts), ensure_ascii=False)).hexdigest()

    def decode(row: str) -> list[str] | None:
        found = json.loads(row)
        if isinstance(found, list) and len(found) == len(texts):
            return [str(item) for item in found]
        return None  # not this computation's shape: made again

    return _kept(key, lambda: compute(texts), lambda r: json.dumps(r, ensure_ascii=False), decode)


def _kept(
    key: Callable[[], str],
    compute: Callable[[], _T],
    encode: Callable[[_T], str],
    decode: Callable[[str], _T | None],
) -> _T:
    """``compute()``, or what the store holds under ``key()``; what is computed is kept.

    A store that cannot be read or written (a read-only or full disk) is left alone for the
    rest of the process: results are computed as without a store.
    """
    store = _store
    if store is None or store.broken:
        return compute()
    try:
        made = key()
        row = store.get_raw(made)
        found = decode(row) if row is not None else None
    except (sqlite3.Error, OSError, ValueError, ImportError):
        store.broken = True
        return compute()
    if found is not None:
        return found
    result = compute()
    try:
        store.put_raw(made, encode(result))
    except (sqlite3.Error, OSError):
        store.broken = True
    return result


class Tokenizer:
    """A tokenizer of one split mode with SudachiPy's ``tokenize`` (through :func:`analyse`)."""

    def __init__(self, mode: Mode) -> None:
        self.mode = mode

    def tokenize(self, text: str) -> list[Morpheme]:
        return analyse(self.mode, text)


def tokenizer(mode: Mode) -> Tokenizer:
    """A tokenizer of split mode ``mode`` whose analyses come from the store when it has
    them (the dictionary is loaded only for text it has not seen)."""
    return Tokenizer(mode)
