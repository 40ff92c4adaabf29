"""SHA-256 digests, defined once: of a file, of bytes or text, of data in canonical JSON.

Every digest hoshin shows or records (frozen manifests, the digest printed on a frozen
version's PDF and review pages, render and build cache keys) is SHA-256 in lower-case hex.
:func:`canonical_json` is the one way to turn data (a history entry) into bytes to digest:
keys sorted, UTF-8 kept, nulls dropped, so reformatting the YAML it came from changes nothing.
Pure Python, no Sphinx.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

#: Length of a SHA-256 digest in hex.
HEX_LENGTH = 64


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
