"""One copy of each unchanged stylesheet and script for every version of the site.

Each frozen version is built by its own Sphinx process into ``versions/<id>/``, with its own
``_static/``. Its files are almost always byte-identical to the working draft's, yet a reader
moving between versions would download them again (the browser caches by URL). After the
versions are placed, every file of ``versions/<id>/_static/`` identical to the same file of
the site's ``_static/`` is removed, and the version's pages point at the shared one: the same
URL (Sphinx's ``?v=`` checksum included, since the content is the same), so the cache is
shared. A file that differs stays in the version.

A version folder is placed from the cache with hard links: a page is rewritten into a new file,
never in place. ``SHARED_RECORD`` lists what was shared with the digests it had, so a later
build whose ``_static`` changed knows the version must be placed again. No Sphinx import here.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from hoshin.core.digest import sha256_file

STATIC = "_static"
SHARED_RECORD = ".hoshin-shared-static"
_REF_RE = re.compile(r'(?P<attr>\b(?:href|src)=")(?P<ups>(?:\.\./)*)_static/(?P<rel>[^"?#]+)')


def sharing_is_current(site: Path, version_dir: Path) -> bool:
    """False when a file this version shares is no longer the same in the site's _static."""
    record = version_dir / SHARED_RECORD
    if not record.is_file():
        return True
    for line in record.read_text(encoding="utf-8").splitlines():
        digest, _, rel = line.partition("  ")
        shared = site / STATIC / rel
        if not shared.is_file() or sha256_file(shared) != digest:
            return False
    return True


def share_static(site: Path, version_dir: Path) -> list[str]:
    """Point ``version_dir``'s pages at the site's identical static files; return the paths
    (relative to ``_static``) shared by this call."""
    own = version_dir / STATIC
    if not own.is_dir() or not (site / STATIC).is_dir():
        return []
    shared: dict[str, str] = {}
    for path in sorted(p for p in own.rglob("*") if p.is_file()):
        rel = path.relative_to(own).as_posix()
        twin = site / STATIC / rel
        if twin.is_file():
            digest = sha256_file(path)
            if digest == sha256_file(twin):
                shared[rel] = digest
    if not shared:
        return []
    newly = list(shared)
    to_site = "../" * len(version_dir.relative_to(site).parts)

    def repoint(match: re.Match[str]) -> str:
        if match["rel"] not in shared:
            return match[0]
        return f"{match['attr']}{match['ups']}{to_site}{STATIC}/{match['rel']}"

    for page in version_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = _REF_RE.sub(repoint, text)
        if new != text:
            _replace(page, new)
    for rel in shared:
        (own / rel).unlink()
    for folder in sorted((p for p in own.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    earlier = version_dir / SHARED_RECORD  # a version left in place by an earlier build
    if earlier.is_file():
        for line in earlier.read_text(encoding="utf-8").splitlines():
            digest, _, rel = line.partition("  ")
            shared.setdefault(rel, digest)
    record = "".join(f"{digest}  {rel}\n" for rel, digest in sorted(shared.items()))
    _replace(version_dir / SHARED_RECORD, record)
    return newly


def _replace(path: Path, text: str) -> None:
    """Write ``text`` as a new file (the old one may be a hard link into the cache)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
