"""Make an Office Open XML file (.docx, .xlsx) the same bytes for the same content.

python-docx and openpyxl write each zip member with the time of the save, and openpyxl
sets ``dcterms:modified`` to the moment of saving. :func:`normalise_ooxml` rewrites the
package: members in a fixed order (``[Content_Types].xml`` first, as Office writes it,
then by name), each dated by the build's date, with the same compression and attributes,
and the core properties' ``created``/``modified`` set to that date. Two builds with the
same ``SOURCE_DATE_EPOCH`` then give byte-identical files. No Sphinx import here.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from pathlib import Path

from hoshin.core.atomicfile import replacing

CONTENT_TYPES = "[Content_Types].xml"
CORE_PROPERTIES = "docProps/core.xml"
#: The earliest time a zip entry can carry (MS-DOS dates start in 1980).
_ZIP_EPOCH = datetime.datetime(1980, 1, 1, tzinfo=datetime.UTC)
_CORE_DATE = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def _order(name: str) -> tuple[int, str]:
    return (0 if name == CONTENT_TYPES else 1, name)


def _core_dates(xml: bytes, when: datetime.datetime) -> bytes:
    stamp = when.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return _CORE_DATE.sub(lambda m: m.group(1) + stamp + m.group(3), xml)


def normalise_ooxml(path: Path, when: datetime.datetime) -> Path:
    """Rewrite the package at ``path`` in place (atomically), dated ``when``; return ``path``."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    zip_time = max(when.astimezone(datetime.UTC), _ZIP_EPOCH).timetuple()[:6]
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    with replacing(path) as tmp, zipfile.ZipFile(tmp, "w") as target:
        for name in sorted(members, key=_order):
            data = members[name]
            if name == CORE_PROPERTIES:
                data = _core_dates(data, when)
            info = zipfile.ZipInfo(name, date_time=zip_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o600 << 16
            target.writestr(info, data, compresslevel=6)
    return path
