"""The opinions' join check of ``hoshin check``: it needs both features, so it lives here.

Opinions (``hoshin.opinions``) name change records; whether a record's change is really in
the comparison is what the revisions' join (``hoshin.revisions.compare``) says. Features may
not import each other; the CLI, on top of both, may.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hoshin.core.checks import CheckResult
from hoshin.core.history import load_revisions
from hoshin.core.mystdoc import read_document
from hoshin.opinions.check import project_opinions
from hoshin.opinions.join import join_findings
from hoshin.revisions.compare import compare

if TYPE_CHECKING:
    from hoshin.core.project import Project


def check_opinion_join(project: Project) -> CheckResult:
    """Unanswered opinions, records that do not exist or whose change is not in the comparison,
    records citing opinions that do not cite them back."""
    opinions = project_opinions(project.root)
    revisions = load_revisions(project.root)
    if opinions.errors or revisions.errors or not opinions.events:
        return []
    cited = {n for o in opinions.all_opinions() for n in o.records}
    missing: dict[int, str] = {}
    docs: dict[str, Any] = {}

    def doc(vid: str) -> Any:
        if vid not in docs:
            docs[vid] = read_document(revisions.source_dir(vid))
        return docs[vid]

    for old, new in revisions.pairs():
        records = revisions.records_between(old, new)
        if not cited & {r.no for r in records}:
            continue
        cmp = compare(doc(old), doc(new), records, old_id=old, new_id=new)
        for item in cmp.stale_reasons:
            if item.number is not None:
                missing.setdefault(item.number, item.message)
    return list(join_findings(opinions, revisions, not_in_comparison=missing))
