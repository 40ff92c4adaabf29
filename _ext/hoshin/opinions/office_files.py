"""An event's 意見と対応 as .xlsx and .docx, through the build cache (one writer, one key).

The web edition's ``_opinions/`` downloads and ``hoshin build --office``'s files are the same
two files under other names; both come from here, keyed on everything they are made from:
the table, what the files say about themselves, the writers' code and versions. The office
writers (openpyxl, python-docx: about 10 MB) are imported only when a pair is written.
"""

from __future__ import annotations

import datetime
import functools
from functools import partial
from importlib import metadata
from pathlib import Path

from hoshin.core.digest import InputDigest
from hoshin.core.extrapages import stable_repr
from hoshin.core.outcache import reuse_or_write
from hoshin.opinions.render import ResultTable

_WRITER = Path(__file__).with_name("office.py")


def office_key(table: ResultTable, facts: tuple[str, str, datetime.datetime, str]) -> str:
    """Digest of the inputs of an event's pair of files."""
    digest = InputDigest().add_text("table", stable_repr(table))
    return digest.add_text("facts", stable_repr(facts)).add_text("writers", _writers()).hexdigest()


@functools.cache
def _writers() -> str:
    """The writers' code and versions (the same for the whole process)."""
    digest = InputDigest().add_file(_WRITER, "office.py")
    for package in ("openpyxl", "python-docx"):
        digest.add_text(package, metadata.version(package))
    return digest.hexdigest()


def write_office_pair(
    table: ResultTable,
    xlsx: Path,
    docx: Path,
    facts: tuple[str, str, datetime.datetime, str],
    cache: Path,
    key: str | None = None,
) -> bool:
    """Put the event's .xlsx and .docx at ``xlsx`` and ``docx``: copied from ``cache`` when
    it holds them for the same inputs (``key``: :func:`office_key`, when the caller has it),
    else written. Returns whether they were copied."""
    name = f"opinions-{table.event.id}" + ("-review" if facts[3] else "")
    write = partial(_write, table, xlsx, docx, facts)
    key = key or office_key(table, facts)
    return reuse_or_write(cache, name, key, (xlsx, docx), write)


def _write(
    table: ResultTable, xlsx: Path, docx: Path, facts: tuple[str, str, datetime.datetime, str]
) -> None:
    from hoshin.opinions.office import OfficeFacts, write_result_docx, write_result_xlsx

    write_result_xlsx(table, xlsx, OfficeFacts(*facts))
    write_result_docx(table, docx, OfficeFacts(*facts))
