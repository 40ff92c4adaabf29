"""One SudachiPy dictionary per process, shared by every feature that reads Japanese words.

Each ``sudachipy.Dictionary(dict="core")`` maps the 200 MB system dictionary on its own:
four features loading their own (search words, glossary term candidates, the diff's words,
the です・ます lint) made a build hold it twice or more, about 120 MB each. Here it is loaded
once, when a feature first needs it (never at import), and each split mode's tokenizer is
made once per thread from it (a tokenizer is not safe to share between threads: the PDF
stage compares versions in a thread pool).
"""

from __future__ import annotations

import functools
import threading
from typing import Any, Literal

Mode = Literal["A", "B", "C"]


@functools.cache
def dictionary() -> Any:
    """The ``sudachidict_core`` dictionary (loaded on first use)."""
    from sudachipy import Dictionary

    return Dictionary(dict="core")


_local = threading.local()


def tokenizer(mode: Mode) -> Any:
    """This thread's tokenizer of split mode ``mode`` (A: shortest units … C: longest
    dictionary words), all made from the one :func:`dictionary`."""
    from sudachipy import SplitMode

    made: dict[str, Any] = _local.__dict__.setdefault("tokenizers", {})
    if mode not in made:
        made[mode] = dictionary().create(mode=getattr(SplitMode, mode))
    return made[mode]
