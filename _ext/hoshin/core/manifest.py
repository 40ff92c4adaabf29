"""``MANIFEST.sha256`` of a frozen version: what it covers, how versions chain, how it is checked.

A frozen version is the folder ``revisions/<id>/``. Its manifest lists the SHA-256 of
**every** file in that folder (the text ``source/``, the glossary snapshot ``glossary/``,
the change records ``changes.yaml``, and :data:`HISTORY_ENTRY`, the version's entry of
history.yaml in canonical JSON) except the manifest itself and its signature. Each
manifest after the first also lists the previous version's manifest
(``../<previous id>/MANIFEST.sha256``), as git chains commits: rewriting an older version
together with its manifest changes that manifest's digest, which the later ones record.

The format is ``sha256sum``'s (``<hex>  <path>``, sorted, LF) after one header comment
(:data:`FORMAT_HEADER`), so ``cd revisions/_83 && sha256sum -c MANIFEST.sha256`` checks a
version, and its chain link, without hoshin. The digest of the manifest file
(:func:`manifest_digest`) is the identity of the whole version: printed on its PDF and on
the review edition's pages. Manifests written before this format (no header; only
``source/`` and ``glossary/``) are reported with the command that rewrites them once
(``hoshin freeze --rehash``). Pure Python, no Sphinx.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hoshin.core.digest import canonical_json, sha256_bytes, sha256_file, sha256_text
from hoshin.core.history import display_path
from hoshin.core.yamlio import DataError, load_yaml, read_text

if TYPE_CHECKING:
    from hoshin.core.history import RevisionData

MANIFEST = "MANIFEST.sha256"
#: OpenSSH signature of the manifest (``ssh-keygen -Y sign``), optional (hoshin.core.signing).
SIGNATURE = f"{MANIFEST}.sig"
#: The version's history.yaml entry, frozen with it as canonical JSON.
HISTORY_ENTRY = "history-entry.json"
#: First line of a manifest in the current format (sha256sum skips comment lines).
FORMAT_HEADER = "# hoshin manifest 2"
#: Folders of the project copied into each version when it is frozen (those that exist).
#: The frozen text: never changes, not even through ``hoshin freeze --rehash``.
FROZEN_PARTS = ("source", "glossary")
#: Files of ``revisions/current/`` that move into the version when it is frozen. Data kept
#: beside the revisions per version (e.g. consultation opinions) is added here; every file
#: in a version's folder is covered by its manifest whatever its name.
FROZEN_RECORDS = ("changes.yaml",)
#: The only files of a version's folder its manifest does not list.
NOT_COVERED = frozenset({MANIFEST, SIGNATURE})
REHASH_COMMAND = "hoshin freeze --rehash"
_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")


def covered_files(version_dir: Path) -> list[str]:
    """Every file the manifest of ``version_dir`` lists (POSIX paths relative to it, sorted)."""
    if not version_dir.is_dir():
        return []
    return sorted(
        rel
        for p in version_dir.rglob("*")
        if p.is_file() and (rel := p.relative_to(version_dir).as_posix()) not in NOT_COVERED
    )


def chain_path(previous_id: str) -> str:
    """How a manifest names the previous version's manifest (relative to its own folder)."""
    return f"../{previous_id}/{MANIFEST}"


def is_text(rel: str) -> bool:
    """Whether ``rel`` is part of the frozen text (source/ or the glossary snapshot)."""
    return rel.split("/", 1)[0] in FROZEN_PARTS


def entry_text(entry: dict[str, Any]) -> str:
    """The canonical form of a history.yaml entry, as frozen in :data:`HISTORY_ENTRY`."""
    return canonical_json(entry)


def history_entries(history: Path) -> dict[str, dict[str, Any]]:
    """The raw entries of history.yaml by id (``{}`` when it cannot be read: reported elsewhere)."""
    try:
        doc = load_yaml(display_path(history), text=read_text(history))
    except DataError:
        return {}
    items = doc.data.get("versions") if isinstance(doc.data, dict) else None
    return {item["id"]: item for item in items or []
            if isinstance(item, dict) and isinstance(item.get("id"), str)}  # fmt: skip


def manifest_text(version_dir: Path, *, previous: tuple[str, str] | None, entry: str) -> str:
    """The manifest of ``version_dir`` in the current format.

    ``previous`` is ``(id, manifest digest)`` of the version before (None for the first);
    ``entry`` the canonical history entry (its digest is listed even before it is written).
    """
    digests = {rel: sha256_file(version_dir / rel) for rel in covered_files(version_dir)}
    digests[HISTORY_ENTRY] = sha256_text(entry)
    if previous is not None:
        digests[chain_path(previous[0])] = previous[1]
    lines = [f"{FORMAT_HEADER} (sha256sum -c {MANIFEST})"]
    lines += [f"{digest}  {rel}" for rel, digest in sorted(digests.items())]
    return "\n".join(lines) + "\n"


def text_listing(manifest: Path) -> bytes:
    """The lines of a manifest that list the frozen text (source/, glossary/): what a page
    built from that version depends on; change records and the history entry are not."""
    lines = manifest.read_text(encoding="utf-8").split("\n")
    kept = [ln for ln in lines if (m := _LINE.fullmatch(ln)) and is_text(m.group(2))]
    return "\n".join(kept).encode("utf-8")


def manifest_digest(version_dir: Path) -> str:
    """SHA-256 of the manifest file: the identity of a whole frozen version."""
    return sha256_bytes((version_dir / MANIFEST).read_bytes())


@dataclasses.dataclass(frozen=True)
class ManifestEntry:
    digest: str
    path: str
    line: int


@dataclasses.dataclass(frozen=True)
class Manifest:
    entries: tuple[ManifestEntry, ...]
    current_format: bool

    def listed(self) -> dict[str, ManifestEntry]:
        return {e.path: e for e in self.entries}


def read_manifest(path: Path) -> Manifest:
    """Parse a manifest; a missing file or a malformed line is a DataError at that line."""
    shown = display_path(path)
    if not path.is_file():
        raise DataError(shown, 1, 1,
                        "manifest missing: a frozen version must have one (it is written by "
                        "'hoshin freeze')")  # fmt: skip
    entries: list[ManifestEntry] = []
    current = False
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if number == 1 and line.startswith(FORMAT_HEADER):
            current = True
        if not line.strip() or line.startswith("#"):
            continue
        match = _LINE.fullmatch(line)
        if not match:
            raise DataError(shown, number, 1, "not a sha256sum line ('<64 hex digits>  <path>')")
        entries.append(ManifestEntry(match.group(1), match.group(2), number))
    return Manifest(tuple(entries), current)


def verify_version(version_dir: Path, data: RevisionData | None = None) -> list[DataError]:
    """Every difference between ``version_dir`` and its manifest, chain link and history entry."""
    if data is None:
        from hoshin.core.history import load_revisions

        data = load_revisions(version_dir.parent.parent, check_labels=False)
    manifest_path = version_dir / MANIFEST
    try:
        manifest = read_manifest(manifest_path)
    except DataError as exc:
        return [exc]
    shown = display_path(manifest_path)
    errors: list[DataError] = []
    listed: dict[str, ManifestEntry] = {}
    for entry in manifest.entries:
        if entry.path in listed:
            errors.append(DataError(shown, entry.line, 1, f"{entry.path} is listed twice"))
        listed[entry.path] = entry
    links = {rel: e for rel, e in listed.items() if rel.startswith("../")}
    files = {rel: e for rel, e in listed.items() if rel not in links}
    if not manifest.current_format:
        errors.append(DataError(shown, 1, 1,
                                f"manifest in the old format: it does not cover changes.yaml, the "
                                f"history entry or the previous version; run '{REHASH_COMMAND}' "
                                "once and commit the result"))  # fmt: skip
        present = set(covered_files(version_dir))
        files = {rel: e for rel, e in files.items() if is_text(rel) or rel in present}
        errors += _compare_files(version_dir, files, {r for r in present if is_text(r)}, shown)
        return errors
    errors += _compare_files(version_dir, files, set(covered_files(version_dir)), shown)
    errors += _check_chain(version_dir, data, links, shown)
    errors += _check_entry(version_dir, data)
    return errors


def _compare_files(version_dir: Path, listed: dict[str, ManifestEntry], present: set[str],
                   shown: str) -> list[DataError]:  # fmt: skip
    errors: list[DataError] = []
    for rel, entry in listed.items():
        target = version_dir / rel
        if rel not in present:
            errors.append(
                DataError(shown, entry.line, 1, f"frozen file removed: {display_path(target)}")
            )
        elif sha256_file(target) != entry.digest and is_text(rel):
            errors.append(DataError(display_path(target), 1, 1,
                                    f"frozen file edited after freezing (sha256 differs from "
                                    f"{shown} line {entry.line}); frozen versions must not "
                                    "change"))  # fmt: skip
        elif sha256_file(target) != entry.digest:  # records: an acknowledgement may be intended
            errors.append(DataError(display_path(target), 1, 1,
                                    f"frozen file edited after freezing (sha256 differs from "
                                    f"{shown} line {entry.line}); if the edit is intended, run "
                                    f"'{REHASH_COMMAND}'"))  # fmt: skip
    for rel in sorted(present - listed.keys()):
        errors.append(DataError(display_path(version_dir / rel), 1, 1,
                                f"file added to a frozen version (not in {shown})"))  # fmt: skip
    return errors


def _check_chain(version_dir: Path, data: RevisionData, links: dict[str, ManifestEntry],
                 shown: str) -> list[DataError]:  # fmt: skip
    """The manifest records the previous version's manifest, and that one is unchanged."""
    vid = version_dir.name
    previous = data.previous(vid) if vid in data.ids else None
    expected = chain_path(previous) if previous else None
    errors: list[DataError] = []
    for rel, entry in links.items():
        if rel != expected:
            wanted = f"'{expected}'" if expected else "none (it is the first version)"
            errors.append(DataError(shown, entry.line, 1,
                                    f"links to {rel}, but the version before {vid} in the "
                                    f"history is {wanted}"))  # fmt: skip
    if expected is None or expected not in links:
        if expected is not None:
            errors.append(DataError(shown, 1, 1,
                                    f"does not record the manifest of the previous version "
                                    f"{previous}; run '{REHASH_COMMAND}'"))  # fmt: skip
        return errors
    previous_manifest = version_dir.parent / str(previous) / MANIFEST
    if not previous_manifest.is_file():
        return errors  # reported when that version is verified
    if sha256_file(previous_manifest) != links[expected].digest:
        errors.append(DataError(display_path(previous_manifest), 1, 1,
                                f"manifest changed after version {vid} was frozen (its sha256 "
                                f"differs from {shown} line {links[expected].line}); an older "
                                "version was rewritten"))  # fmt: skip
    return errors


def _check_entry(version_dir: Path, data: RevisionData) -> list[DataError]:
    """The version's history.yaml entry is the one frozen with it (compared canonically)."""
    vid = version_dir.name
    info = data.get(vid)
    frozen_file = version_dir / HISTORY_ENTRY
    entry = history_entries(data.history_path).get(vid)
    if info is None or entry is None or not frozen_file.is_file():
        return []  # a missing file is reported by the manifest, a missing entry by the history
    frozen_text = frozen_file.read_text(encoding="utf-8")
    if frozen_text == entry_text(entry):
        return []
    fields = changed_fields(frozen_text, entry)
    where = info.where
    return [DataError(where.path, where.line, where.col,
                      f"history entry of version {vid!r} differs from the one frozen with "
                      f"it ({display_path(frozen_file)}): {', '.join(fields)}; a frozen "
                      f"version's entry must not change (if the change is intended, run "
                      f"'{REHASH_COMMAND}')")]  # fmt: skip


def changed_fields(frozen_text: str, entry: dict[str, Any]) -> list[str]:
    """The names of the fields that differ between a frozen entry and the history's."""
    try:
        frozen = json.loads(frozen_text)
    except ValueError:
        frozen = {}
    now = json.loads(entry_text(entry))
    if not isinstance(frozen, dict):
        frozen = {}
    return sorted(k for k in frozen.keys() | now.keys() if frozen.get(k) != now.get(k)) or ["?"]


def verify_all(data: RevisionData) -> list[DataError]:
    """Verify every version of the history; a version without its folder is an error too."""
    errors: list[DataError] = []
    for version in data.versions:
        folder = data.root / "revisions" / version.id
        if not (folder / "source").is_dir():
            errors.append(version.where.error(
                f"version {version.id!r} has no frozen text ({display_path(folder / 'source')} "
                "is missing)"))  # fmt: skip
            continue
        errors.extend(verify_version(folder, data))
    return errors
