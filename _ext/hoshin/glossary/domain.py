"""The glossary's per-build state and its Sphinx domain (per-document term uses).

:class:`GlossaryState` is the glossary loaded for one build (per process, never pickled:
it hangs on the domain instance). :class:`GlossaryDomain` keeps, per document, the terms it
links and their content hashes, which is what makes re-reading selective; and it resolves
the generic term cross-references every builder turns into links.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Set
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.domains import Domain
from sphinx.util.nodes import make_refnode

from hoshin.core.digest import sha256_text
from hoshin.glossary.model import GlossaryData, GlossaryEntry, normal_form
from hoshin.glossary.term_check import TermChecker
from hoshin.glossary.terms import TermMatcher

if TYPE_CHECKING:
    from sphinx import addnodes
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

DOMAIN = "hoshin_glossary"
#: Id of the anchor before a page's automatic link to a term (target of the back-links).
USE_ANCHOR = "hoshin-use-{}"


@dataclasses.dataclass
class GlossaryState:
    """The glossary loaded for this build (per process; never pickled)."""

    data: GlossaryData
    matcher: TermMatcher
    checker: TermChecker
    hashes: dict[str, str]
    spellings: dict[str, str]
    by_spelling: dict[str, str]

    @classmethod
    def load(cls, data: GlossaryData) -> GlossaryState:
        pairs = [(s, e.id) for e in data.entries for s in e.surfaces()]
        return cls(
            data=data,
            matcher=TermMatcher(pairs),
            checker=TermChecker(data),
            hashes={e.id: e.content_hash() for e in data.entries},
            spellings=dict(pairs),
            by_spelling={normal_form(s): tid for s, tid in pairs},
        )

    @property
    def entries(self) -> dict[str, GlossaryEntry]:
        return self.data.by_id()

    def fingerprint(self) -> str:
        blob = "\n".join(f"{k}={v}" for k, v in sorted(self.hashes.items()))
        return sha256_text(blob)[:16]


class GlossaryDomain(Domain):
    """Per-document term uses and the page(s) holding the glossary index.

    ``data["uses"][docname][term_id] = [content_hash, anchor]`` (anchor empty for explicit
    roles); ``data["index_docs"][docname] = True``; ``data["texts"][docname]`` the text in
    which the page could link terms, as read (data such as history.yaml included, which the
    page's source does not hold), searched when a spelling is new; ``data["spellings"]`` and
    ``data["fingerprint"]`` describe the glossary of the last build (main process only).
    """

    name = DOMAIN
    label = "hoshin glossary"
    data_version = 2
    initial_data: ClassVar[dict[str, Any]] = {
        "uses": {},
        "index_docs": {},
        "texts": {},
        "spellings": None,
        "fingerprint": None,
    }
    state: GlossaryState | None = None
    read_any = False

    @property
    def uses(self) -> dict[str, dict[str, list[str]]]:
        return self.data.setdefault("uses", {})

    @property
    def index_docs(self) -> dict[str, bool]:
        return self.data.setdefault("index_docs", {})

    @property
    def texts(self) -> dict[str, str]:
        return self.data.setdefault("texts", {})

    def glossary_doc(self) -> str | None:
        return min(self.index_docs) if self.index_docs else None

    def clear_doc(self, docname: str) -> None:
        self.uses.pop(docname, None)
        self.index_docs.pop(docname, None)
        self.texts.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata.get("uses", {}):
                self.uses[docname] = otherdata["uses"][docname]
            if docname in otherdata.get("index_docs", {}):
                self.index_docs[docname] = True
            if docname in otherdata.get("texts", {}):
                self.texts[docname] = otherdata["texts"][docname]

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        todoc = self.glossary_doc()
        if typ != "term" or todoc is None or self.state is None or target not in self.state.hashes:
            return None
        ref = make_refnode(builder, fromdocname, todoc, f"term-{target}", contnode)
        ref["hoshin_term"] = target
        return ref

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[tuple[str, nodes.reference]]:
        return []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        return iter(())


def glossary_domain(env: BuildEnvironment) -> GlossaryDomain:
    return env.domains[DOMAIN]  # type: ignore[return-value]
