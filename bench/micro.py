"""Before/after figures of hoshin's own speed-ups, measured side by side in one process.

- ``navigation``: the sidebar tree of every page of a site, as furo makes it on its own
  (Sphinx's ``toctree()`` from full tables of contents, then BeautifulSoup) and as hoshin
  makes it (titles-only tables of contents, :func:`hoshin.web.navigation.furo_tree`). Both give
  the same markup (``tests/test_navigation.py``).
- ``yaml``: composing every YAML file of the project with PyYAML's Python parser and with
  libyaml (what :mod:`hoshin.core.yamlio` uses when PyYAML has it).
- ``scan``: reading the two versions of a diff project (``--diff-project``) each on its
  own, and with one scan cache shared by both (what ``hoshin diff`` does).

Prints JSON: ``{"navigation": {"pages": N, "before": [s…], "after": [s…]}, "yaml": …}``.

    .venv/bin/python bench/micro.py [--srcdir source] [--confdir .] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def navigation(srcdir: Path, confdir: Path, runs: int) -> dict[str, object]:
    from furo.navigation import get_navigation_tree
    from sphinx.application import Sphinx

    from hoshin.web.navigation import FURO_TREE_CALL, furo_tree, page_toctree

    with tempfile.TemporaryDirectory() as tmp:
        app = Sphinx(
            str(srcdir),
            str(confdir),
            f"{tmp}/html",
            f"{tmp}/doctrees",
            "html",
            status=None,
            warning=None,
            freshenv=True,
            confoverrides={"hoshin_navigation": "site"},
        )
        app.build()
        builder = app.builder
        docs = sorted(app.env.found_docs)
        before, after = [], []
        for _ in range(runs + 1):  # the first round warms up both
            start = time.perf_counter()
            for doc in docs:
                html = builder._get_local_toctree(doc, **FURO_TREE_CALL)  # type: ignore[attr-defined]
                get_navigation_tree.__wrapped__(html)
            middle = time.perf_counter()
            for doc in docs:
                furo_tree(page_toctree(builder, doc, "site")(**FURO_TREE_CALL))  # type: ignore[arg-type]
            end = time.perf_counter()
            before.append(middle - start)
            after.append(end - middle)
    return {"pages": len(docs), "before": before[1:], "after": after[1:]}


def yaml_compose(runs: int) -> dict[str, object]:
    import yaml

    files = [
        p for folder in ("source", "glossary", "revisions") for p in (REPO / folder).rglob("*.yaml")
    ]
    texts = [p.read_text(encoding="utf-8") for p in files]
    timings: dict[str, list[float]] = {"before": [], "after": []}
    loaders = {"before": yaml.SafeLoader, "after": getattr(yaml, "CSafeLoader", yaml.SafeLoader)}
    for _ in range(runs + 1):
        for key, loader_class in loaders.items():
            start = time.perf_counter()
            for text in texts:
                loader = loader_class(text)
                try:
                    loader.get_single_node()
                finally:
                    loader.dispose()
            timings[key].append(time.perf_counter() - start)
    return {"files": len(files), "before": timings["before"][1:], "after": timings["after"][1:]}


def scan_pair(project: Path, runs: int) -> dict[str, object]:
    from hoshin.core.mystdoc import read_document

    old, new = project / "revisions" / "v1" / "source", project / "source"
    timings: dict[str, list[float]] = {"before": [], "after": []}
    for _ in range(runs + 1):
        start = time.perf_counter()
        read_document(old)
        read_document(new)
        middle = time.perf_counter()
        shared: dict = {}
        read_document(old, cache=shared)
        read_document(new, cache=shared)
        timings["before"].append(middle - start)
        timings["after"].append(time.perf_counter() - middle)
    files = sum(1 for _ in new.rglob("*.md"))
    return {"files": files, "before": timings["before"][1:], "after": timings["after"][1:]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--srcdir", type=Path, default=REPO / "source")
    parser.add_argument("--confdir", type=Path, default=REPO)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--diff-project", type=Path)
    args = parser.parse_args(argv)
    result = {
        "navigation": navigation(args.srcdir, args.confdir, args.runs),
        "yaml": yaml_compose(args.runs),
    }
    if args.diff_project:
        result["scan"] = scan_pair(args.diff_project, args.runs)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
