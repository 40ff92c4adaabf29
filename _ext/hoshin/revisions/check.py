"""Checks of the revision data for ``hoshin check`` and the build (see :mod:`hoshin.core.checks`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hoshin.core.checks import CheckResult, Finding
from hoshin.core.frozen import verify_all
from hoshin.core.history import load_revisions
from hoshin.core.mystdoc import read_document
from hoshin.revisions.compare import compare

if TYPE_CHECKING:
    from hoshin.core.project import Project


def check_revision_data(project: Project) -> CheckResult:
    return list(load_revisions(project.root).errors)


def check_frozen_versions(project: Project) -> CheckResult:
    data = load_revisions(project.root, check_labels=False)
    return list(verify_all(data))


def check_signatures(project: Project) -> CheckResult:
    """Every frozen version's signature (``MANIFEST.sha256.sig``, when there is one) holds."""
    from hoshin.core.manifest import SIGNATURE
    from hoshin.core.signing import ALLOWED_SIGNERS, verify_signature

    data = load_revisions(project.root, check_labels=False)
    out: CheckResult = []
    for vid in data.ids:
        folder = project.revisions / vid
        if (folder / SIGNATURE).is_file():
            _, error = verify_signature(folder, project.root / ALLOWED_SIGNERS)
            if error is not None:
                out.append(error)
    return out


def check_comparisons(project: Project) -> CheckResult:
    """The join's findings for every consecutive pair, ending with the working draft."""
    data = load_revisions(project.root)
    if data.errors or not data.versions:
        return []
    docs: dict[str, Any] = {}

    def doc(vid: str) -> Any:
        if vid not in docs:
            docs[vid] = read_document(data.source_dir(vid))
        return docs[vid]

    out: CheckResult = []
    for old, new in data.pairs():
        cmp = compare(doc(old), doc(new), data.records_between(old, new), old_id=old, new_id=new)
        for kind, items in (("unexplained", cmp.unexplained), ("stale_reason", cmp.stale_reasons),
                            ("quote_mismatch", cmp.quote_mismatches)):  # fmt: skip
            for item in items:
                path = item.path or ""
                if kind == "unexplained" and path:
                    side = old if item.kind == "removed" else new
                    path = _shown(data.source_dir(side) / path)
                out.append(Finding(path, item.line or 1, item.col or 1,
                                   f"{old} → {new}: {item.message}", kind, item.acknowledged))  # fmt: skip
    return out


def _shown(path: Any) -> str:
    from hoshin.core.history import display_path

    return display_path(path)
