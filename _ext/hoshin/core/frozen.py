"""Frozen versions: freeze the working draft as ``revisions/<id>/``, and rewrite manifests once.

A version freezes ``source/`` and the project's ``glossary/`` (its terms are part of what
readers see) as ``revisions/<id>/source/`` and ``revisions/<id>/glossary/``, with the change
records that led to it (``changes.yaml``) and its history.yaml entry (``history-entry.json``).
What the manifest covers and how it is checked is :mod:`hoshin.core.manifest`;
:func:`freeze` never overwrites a version; :func:`plan_rehash` / :func:`apply_rehash`
rewrite the manifests in the current format (``hoshin freeze --rehash``), refusing when any
frozen text differs from its manifest. Pure Python, no Sphinx.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from hoshin.core.atomicfile import write_text_atomic
from hoshin.core.digest import sha256_bytes, sha256_file, sha256_text
from hoshin.core.history import (
    CURRENT,
    ID_PATTERN,
    display_path,
    load_revisions,
)
from hoshin.core.manifest import (
    FROZEN_PARTS,
    FROZEN_RECORDS,
    HISTORY_ENTRY,
    MANIFEST,
    SIGNATURE,
    changed_fields,
    covered_files,
    entry_text,
    history_entries,
    is_text,
    manifest_digest,
    manifest_text,
    read_manifest,
    verify_all,
    verify_version,
)
from hoshin.core.wareki import is_valid_version_date
from hoshin.core.yamlio import DataError, load_yaml

__all__ = [
    "FROZEN_PARTS", "MANIFEST", "FreezeRequest", "RehashStep", "apply_rehash", "freeze",
    "manifest_digest", "plan_rehash", "tree_digest", "verify_all", "verify_version",
]  # fmt: skip


def source_files(srcdir: Path) -> list[str]:
    """Every regular file under ``srcdir`` (POSIX paths relative to it, sorted)."""
    return sorted(p.relative_to(srcdir).as_posix() for p in srcdir.rglob("*") if p.is_file())


def tree_digest(srcdir: Path) -> str:
    """One SHA-256 over a folder's files and names: what a cache key cites."""
    listing = "".join(f"{sha256_file(srcdir / rel)}  {rel}\n" for rel in source_files(srcdir))
    return sha256_text(listing)


@dataclasses.dataclass(frozen=True)
class FreezeRequest:
    version_id: str
    summary: str
    events: Sequence[str] = ()
    date: str | None = None
    edition: str | None = None
    status: str = "draft"


def freeze(root: Path, request: FreezeRequest, *, sign_key: Path | None = None) -> Path:
    """Freeze ``source/`` as ``revisions/<id>``; refuse (DataError) rather than overwrite.

    Steps, each safe to interrupt: copy the text, the glossary and the pending change
    records into a temporary folder beside the target, write the history entry and the
    manifest (chained to the previous version's) there, and sign it when ``sign_key`` is
    given; rename it all into place; append the version to history.yaml (written to a
    temporary file and renamed); remove the pending records from ``revisions/current/``.
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

    broken = verify_all(data)
    if broken:
        raise broken[0]  # never chain a new version onto a damaged or old-format one
    pending = [root / "revisions" / CURRENT / name for name in FROZEN_RECORDS]
    pending = [path for path in pending if path.is_file()]
    latest = data.latest
    previous = None
    if latest is not None:
        previous_dir = root / "revisions" / latest.id
        previous = (
            (latest.id, manifest_digest(previous_dir))
            if (previous_dir / MANIFEST).is_file()
            else None
        )

    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{vid}.freezing-", dir=target))
    try:
        for part in parts:
            shutil.copytree(root / part, staging / part)
        for path in pending:
            shutil.copy2(path, staging / path.name)
        new_history, entry = _appended_history(history, request)
        entry_json = entry_text(entry)
        (staging / HISTORY_ENTRY).write_text(entry_json, encoding="utf-8")
        (staging / MANIFEST).write_text(
            manifest_text(staging, previous=previous, entry=entry_json), encoding="utf-8"
        )
        if sign_key is not None:
            from hoshin.core.signing import sign_manifest

            sign_manifest(staging, sign_key)
        for child in sorted(staging.iterdir()):
            child.rename(target / child.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    write_text_atomic(history, new_history)
    for path in pending:
        path.unlink()
    return target


def _appended_history(history: Path, request: FreezeRequest) -> tuple[str, dict[str, Any]]:
    """history.yaml with the new version appended, and the entry as read back from it."""
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
    doc = load_yaml(display_path(history), text=text)  # refuse to write something unreadable
    return text, doc.data["versions"][-1]


# --- rewriting the manifests (hoshin freeze --rehash) -----------------------------------


@dataclasses.dataclass
class RehashStep:
    """What ``hoshin freeze --rehash`` does to one version (computed before anything is written)."""

    version_id: str
    old_manifest: bytes
    new_manifest: str
    entry: str
    old_format: bool
    #: Files the new manifest lists and the old one did not (the old format's blind spots).
    newly_covered: list[str] = dataclasses.field(default_factory=list)
    #: Files listed by both whose content changed since the old manifest (never frozen text).
    changed: list[str] = dataclasses.field(default_factory=list)
    #: Files the old manifest listed that no longer exist (never frozen text).
    removed: list[str] = dataclasses.field(default_factory=list)
    #: Fields of the history entry that differ from the frozen one.
    entry_fields: list[str] = dataclasses.field(default_factory=list)
    previous: str | None = None
    signed: bool = False

    @property
    def changes(self) -> bool:
        return self.new_manifest.encode("utf-8") != self.old_manifest

    @property
    def old_digest(self) -> str:
        return sha256_bytes(self.old_manifest)

    @property
    def new_digest(self) -> str:
        return sha256_text(self.new_manifest)


def plan_rehash(root: Path) -> list[RehashStep]:
    """The new manifest of every frozen version, oldest first; nothing is written.

    Raises the first DataError when the history cannot be read, a version has no manifest,
    or any frozen text (``source/``, ``glossary/``) differs from its manifest: rewriting
    the manifest then would bless an edit, so the text must be restored first.
    """
    data = load_revisions(root, check_labels=False)
    data.raise_errors()
    entries = history_entries(data.history_path)
    steps: list[RehashStep] = []
    previous: tuple[str, str] | None = None
    for version in data.versions:
        folder = root / "revisions" / version.id
        if not (folder / "source").is_dir():
            raise version.where.error(
                f"version {version.id!r} has no frozen text ({display_path(folder / 'source')} "
                "is missing)")  # fmt: skip
        manifest = read_manifest(folder / MANIFEST)
        listed = {e.path: e for e in manifest.entries if not e.path.startswith("../")}
        present = set(covered_files(folder))
        for rel in sorted({r for r in present | listed.keys() if is_text(r)}):
            if (
                rel not in listed
                or rel not in present
                or (sha256_file(folder / rel) != listed[rel].digest)
            ):
                raise DataError(display_path(folder / rel), 1, 1,
                                "frozen text differs from its manifest; restore it (e.g. with "
                                "git) before rewriting the manifests")  # fmt: skip
        entry = entry_text(entries.get(version.id, {}))
        step = RehashStep(version.id, (folder / MANIFEST).read_bytes(),
                          manifest_text(folder, previous=previous, entry=entry), entry,
                          not manifest.current_format, previous=previous[0] if previous else None,
                          signed=(folder / SIGNATURE).is_file())  # fmt: skip
        frozen_entry = folder / HISTORY_ENTRY
        if HISTORY_ENTRY in listed and frozen_entry.is_file():
            frozen_text = frozen_entry.read_text(encoding="utf-8")
            if frozen_text != entry:
                step.entry_fields = changed_fields(frozen_text, entries.get(version.id, {}))
        for rel in sorted((present | {HISTORY_ENTRY}) - set(FROZEN_PARTS)):
            if is_text(rel):
                continue
            if rel not in listed:
                step.newly_covered.append(rel)
            elif rel != HISTORY_ENTRY and sha256_file(folder / rel) != listed[rel].digest:
                step.changed.append(rel)
        step.removed = sorted(r for r in listed if not is_text(r) and r not in present
                              and r != HISTORY_ENTRY)  # fmt: skip
        steps.append(step)
        previous = (version.id, step.new_digest)
    return steps


def apply_rehash(root: Path, steps: Sequence[RehashStep], *, sign_key: Path | None = None) -> int:
    """Write the planned entries and manifests, oldest first; a signature of a rewritten
    manifest is replaced (``sign_key``) or removed, since it no longer matches. With
    ``sign_key``, every version without a signature is signed too. Returns how many were signed."""
    signed = 0
    for step in steps:
        folder = root / "revisions" / step.version_id
        signature = folder / SIGNATURE
        entry_file = folder / HISTORY_ENTRY
        if not entry_file.is_file() or entry_file.read_text(encoding="utf-8") != step.entry:
            write_text_atomic(entry_file, step.entry)
        if step.changes:
            write_text_atomic(folder / MANIFEST, step.new_manifest)
            signature.unlink(missing_ok=True)
        if sign_key is not None and (step.changes or not signature.is_file()):
            from hoshin.core.signing import sign_manifest

            sign_manifest(folder, sign_key)
            signed += 1
    return signed
