"""SHA-256 digests, defined once: of a file, of bytes or text, of data in canonical JSON,
and of many named inputs (cache keys and "nothing changed" stamps).

Every digest hoshin shows or records (frozen manifests, the digest printed on a frozen
version's PDF and review pages, render and build cache keys) is SHA-256 in lower-case hex.
:func:`canonical_json` is the one way to turn data (a history entry) into bytes to digest:
keys sorted, UTF-8 kept, nulls dropped, so reformatting the YAML it came from changes nothing.
:class:`InputDigest` is the one way to key a cache or a stamp on several inputs (options,
tool versions, files under folders); :func:`files_under` lists the files of such folders.
Pure Python, no Sphinx.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Self

#: Length of a SHA-256 digest in hex.
HEX_LENGTH = 64


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def short_key(data: bytes) -> bytes:
    """A 16-byte BLAKE2b digest: the key of an entry of a scan cache, held in memory or in a
    pickle, faster than SHA-256 on whole texts; never shown or recorded as a digest."""
    return hashlib.blake2b(data, digest_size=16).digest()


def sha256_text(text: str) -> str:
    """Digest of ``text`` encoded as UTF-8."""
    return sha256_bytes(text.encode("utf-8"))


def sha256_file(path: Path) -> str:
    """Digest of a file's bytes, read in chunks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def canonical_json(value: Any) -> str:
    """``value`` as canonical JSON text: sorted keys, UTF-8, null members dropped, final LF.

    Used for data whose digest must not depend on how its YAML was written (key order,
    quoting, flow or block style, an explicit ``null``).
    """
    return json.dumps(_drop_nulls(value), ensure_ascii=False, sort_keys=True, indent=1,
                      default=str) + "\n"  # fmt: skip


def _drop_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_drop_nulls(v) for v in value]
    return value


#: What a missing file contributes to an :class:`InputDigest` (unlike an empty one).
MISSING = b"\0<missing>\0"


def files_under(paths: Iterable[Path], *, hidden: bool = True) -> list[Path]:
    """The files of ``paths`` (a file itself, a folder's files at any depth), sorted; compiled
    Python (``__pycache__``, ``.pyc``) left out, and names starting with a dot unless
    ``hidden``. A path that does not exist gives nothing."""
    found: set[Path] = set()
    for path in paths:
        if path.is_file():
            found.add(path)
        elif path.is_dir():
            found.update(p for p in path.rglob("*") if p.is_file())
    return sorted(
        p for p in found
        if "__pycache__" not in p.parts and p.suffix != ".pyc"
        and (hidden or not p.name.startswith("."))
    )  # fmt: skip


class InputDigest:
    """SHA-256 over a sequence of named inputs, for cache keys and build stamps.

    Each input is fed as its name, a NUL and the SHA-256 of its content, so two different
    sequences of inputs never feed the same bytes (a name cannot run into a content). Adding
    returns the digest, so calls chain.
    """

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def add(self, name: str, data: bytes) -> Self:
        self._hash.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
        return self

    def add_text(self, name: str, text: str) -> Self:
        return self.add(name, text.encode("utf-8"))

    def add_file(self, path: Path, name: str | None = None) -> Self:
        """The bytes of ``path`` under ``name`` (default: the path); a missing file counts as
        :data:`MISSING`."""
        try:
            data = path.read_bytes()
        except OSError:  # the reader of the file reports why; here it is only not the same
            data = MISSING
        return self.add(path.as_posix() if name is None else name, data)

    def add_files(self, files: Iterable[Path], relative_to: Path) -> Self:
        """Each of ``files`` named by its path relative to ``relative_to`` (POSIX)."""
        for path in files:
            self.add_file(path, path.relative_to(relative_to).as_posix())
        return self

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


@functools.cache
def code_digest() -> str:
    """SHA-256 over hoshin's own code, styles and templates (they shape every page)."""
    package = Path(__file__).resolve().parents[1]
    return InputDigest().add_files(files_under([package]), package).hexdigest()
