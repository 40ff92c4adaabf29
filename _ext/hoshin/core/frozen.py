"""Frozen versions: ``revisions/<id>/source/`` plus a SHA-256 manifest that makes them tamper-evident.

A version freezes ``source/`` and the project's ``glossary/`` (its terms are part of what
readers see), as ``revisions/<id>/source/`` and ``revisions/<id>/glossary/``.
``MANIFEST.sha256`` is in ``sha256sum`` format (``<hex>  source/<path>``, sorted, LF), so
``cd revisions/_83 && sha256sum -c MANIFEST.sha256`` checks a version without hoshin.
:func:`verify_version` names every file that was edited, added or removed after freezing;
:func:`freeze` copies ``source/`` into a new version and never overwrites one.
Pure Python, no Sphinx.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import yaml

from hoshin.core.atomicfile import write_text_atomic
from hoshin.core.history import (
    CURRENT,
    ID_PATTERN,
    RevisionData,
    display_path,
    load_revisions,
)
from hoshin.core.wareki import is_valid_version_date
from hoshin.core.yamlio import DataError, load_yaml

MANIFEST = "MANIFEST.sha256"
#: Folders of the project frozen with each version (those that exist), in manifest order.
FROZEN_PARTS = ("source", "glossary")
_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def source_files(srcdir: Path) -> list[str]:
    """Every regular file under ``srcdir`` (POSIX paths relative to it, sorted)."""
    return sorted(p.relative_to(srcdir).as_posix() for p in srcdir.rglob("*") if p.is_file())


def manifest_text(srcdir: Path, prefix: str = "source/") -> str:
    """The manifest of ``srcdir`` in sha256sum format."""
    return "".join(f"{file_digest(srcdir / rel)}  {prefix}{rel}\n" for rel in source_files(srcdir))


def version_manifest(version_dir: Path) -> str:
    """The manifest of every frozen part (source/, glossary/) present in ``version_dir``."""
    return "".join(manifest_text(version_dir / part, f"{part}/") for part in FROZEN_PARTS
                   if (version_dir / part).is_dir())  # fmt: skip


def frozen_files(version_dir: Path) -> set[str]:
    """``part/relative/path`` of every file in the frozen parts of ``version_dir``."""
    return {f"{part}/{rel}" for part in FROZEN_PARTS if (version_dir / part).is_dir()
            for rel in source_files(version_dir / part)}  # fmt: skip


def tree_digest(srcdir: Path) -> str:
    """One SHA-256 over a folder's manifest: what a page footer or a cache key cites."""
    return hashlib.sha256(manifest_text(srcdir).encode()).hexdigest()


@dataclasses.dataclass(frozen=True)
class ManifestEntry:
    digest: str
    path: str
    line: int


def read_manifest(path: Path) -> list[ManifestEntry]:
    """Parse a manifest; a malformed line is a DataError at that line."""
    shown = display_path(path)
    if not path.is_file():
        raise DataError(
            shown,
            1,
            1,
            "manifest missing: a frozen version must have one (it is written by 'hoshin freeze')",
        )
    entries: list[ManifestEntry] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if not line.strip():
            continue
        match = _LINE.fullmatch(line)
        if not match:
            raise DataError(shown, number, 1, "not a sha256sum line ('<64 hex digits>  <path>')")
        entries.append(ManifestEntry(match.group(1), match.group(2), number))
    return entries


def verify_version(version_dir: Path) -> list[DataError]:
    """Compare ``version_dir/source`` with its manifest; one error per edited/added/removed file."""
    manifest = version_dir / MANIFEST
    try:
        entries = read_manifest(manifest)
    except DataError as exc:
        return [exc]
    shown = display_path(manifest)
    errors: list[DataError] = []
    listed: dict[str, ManifestEntry] = {}
    for entry in entries:
        if entry.path in listed:
            errors.append(DataError(shown, entry.line, 1, f"{entry.path} is listed twice"))
        listed[entry.path] = entry
    present = frozen_files(version_dir)
    for rel, entry in listed.items():
        target = version_dir / rel
        if rel not in present:
            errors.append(
                DataError(shown, entry.line, 1, f"frozen file removed: {display_path(target)}")
            )
        elif file_digest(target) != entry.digest:
            errors.append(
                DataError(
                    display_path(target),
                    1,
                    1,
                    f"frozen file edited after freezing (sha256 differs from "
                    f"{shown} line {entry.line}); frozen versions must not change",
                )
            )
    for rel in sorted(present - listed.keys()):
        errors.append(
            DataError(
                display_path(version_dir / rel),
                1,
                1,
                f"file added to a frozen version (not in {shown})",
            )
        )
    return errors


def verify_all(data: RevisionData) -> list[DataError]:
    """Verify every version of the history; a version without its folder is an error too."""
    errors: list[DataError] = []
    for version in data.versions:
        folder = data.root / "revisions" / version.id
        if not (folder / "source").is_dir():
            errors.append(
                version.where.error(
                    f"version {version.id!r} has no frozen text ({display_path(folder / 'source')} "
                    "is missing)"
                )
            )
            continue
        errors.extend(verify_version(folder))
    return errors


def manifest_digest(version_dir: Path) -> str:
    """SHA-256 of the manifest file itself: the identity of a frozen version's text."""
    return hashlib.sha256((version_dir / MANIFEST).read_bytes()).hexdigest()


@dataclasses.dataclass(frozen=True)
class FreezeRequest:
    version_id: str
    summary: str
    events: Sequence[str] = ()
    date: str | None = None
    edition: str | None = None
    status: str = "draft"


def freeze(root: Path, request: FreezeRequest) -> Path:
    """Freeze ``source/`` as ``revisions/<id>``; refuse (DataError) rather than overwrite.

    Steps, each safe to interrupt: copy into a temporary folder beside the target and
    write the manifest there; rename it into place; append the version to history.yaml
    (written to a temporary file and renamed); move ``revisions/current/changes.yaml``.
    """
    data = load_revisions(root, check_labels=False)
    data.raise_errors()
    vid = request.version_id
    history = data.history_path
    shown = display_path(history)
    if vid == CURRENT or not re.fullmatch(ID_PATTERN, vid):
        raise DataError(
            shown, 1, 1, f"{vid!r} cannot be a version id (letters, digits, _ . + -; not 'current')"
        )
    target = root / "revisions" / vid
    existing = data.get(vid)
    if existing is not None:
        raise existing.where.error(
            f"version {vid!r} already exists; frozen versions are never overwritten"
        )
    if target.exists() and (target / "source").exists():
        raise DataError(
            display_path(target),
            1,
            1,
            f"{display_path(target)} already exists; frozen versions are never overwritten",
        )
    if request.date is not None and not is_valid_version_date(request.date):
        raise DataError(
            "--date", 1, 1, f"{request.date!r} is not YYYY-MM-DD, YYYY-MM or 'undetermined'"
        )
    source = root / "source"
    if not source.is_dir():
        raise DataError(display_path(source), 1, 1, "no source/ folder to freeze")
    parts = [part for part in FROZEN_PARTS if (root / part).is_dir()]
    for part in parts:
        if (target / part).exists():
            raise DataError(
                display_path(target / part),
                1,
                1,
                "already exists; frozen versions are never overwritten",
            )

    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{vid}.freezing-", dir=target))
    try:
        for part in parts:
            shutil.copytree(root / part, staging / part)
        (staging / MANIFEST).write_text(version_manifest(staging), encoding="utf-8")
        new_history = _appended_history(history, request)
        for part in parts:
            (staging / part).rename(target / part)
        (staging / MANIFEST).rename(target / MANIFEST)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    write_text_atomic(history, new_history)
    pending = root / "revisions" / CURRENT / "changes.yaml"
    if pending.exists():
        pending.rename(target / "changes.yaml")
    return target


def _appended_history(history: Path, request: FreezeRequest) -> str:
    entry: dict[str, object] = {
        "id": request.version_id,
        "edition": request.edition,
        "date": request.date,
        "events": list(request.events),
        "status": request.status,
        "summary": request.summary,
    }
    block = yaml.safe_dump(
        [entry], allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False
    )
    indent = "  "
    if history.exists():
        text = history.read_text(encoding="utf-8")
        if not text.endswith("\n"):
            text += "\n"
        if not re.search(r"^versions:", text, re.MULTILINE):
            raise DataError(display_path(history), 1, 1, "no 'versions:' list to append to")
        text = re.sub(r"^versions:[ \t]*\[\][ \t]*$", "versions:", text, flags=re.MULTILINE)
        first_item = re.search(r"^versions:\s*\n(?:\s*#.*\n)*( *)- ", text, re.MULTILINE)
        if first_item:
            indent = first_item.group(1)
    else:
        text = "# 版の履歴（古い順）\nversions:\n"
    text += "".join(f"{indent}{line}\n" for line in block.rstrip("\n").split("\n"))
    load_yaml(display_path(history), text=text)  # refuse to write something unreadable
    return text
