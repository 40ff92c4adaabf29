"""Sidebar navigation scoped to a page's own document (``hoshin_navigation = "document"``)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hoshin.web.navigation import document_of, page_toctree, portal_link_html, site_toctree

INCLUDES = {
    "index": ["a/index", "b/index", "glossary"],
    "a/index": ["a/ch1", "a/ch2"],
    "a/ch2": ["a/ch2-1"],
    "b/index": ["b/ch1"],
}


@pytest.mark.parametrize(
    ("docname", "document"),
    [
        ("a/ch2-1", "a/index"),
        ("a/ch1", "a/index"),
        ("a/index", "a/index"),
        ("b/ch1", "b/index"),
        ("glossary", "glossary"),
        ("index", None),
        ("orphan", None),
    ],
)
def test_a_page_belongs_to_the_entry_of_the_portal_above_it(
    docname: str, document: str | None
) -> None:
    assert document_of(INCLUDES, "index", docname) == document


def test_a_toctree_cycle_does_not_hang() -> None:
    assert document_of({"x": ["y"], "y": ["x"]}, "index", "x") is None


def test_the_portal_link_escapes_its_title() -> None:
    assert "&lt;書棚&gt;" in portal_link_html("../index.html", "<書棚>")


def _sidebar(html: str) -> str:
    match = re.search(r'<div class="sidebar-tree">(.*?)</div>', html, re.S)
    assert match, "no furo sidebar tree"
    return match[1]


def _links(fragment: str) -> set[str]:
    return set(re.findall(r'href="([^"#]+)', fragment))


@pytest.mark.sphinx("html", testroot="navigation")
def test_a_chapter_lists_its_document_and_the_portal_only(app) -> None:
    app.build()
    sidebar = _sidebar((Path(app.outdir) / "a" / "ch1.html").read_text(encoding="utf-8"))
    assert _links(sidebar) == {"../index.html", "index.html", "ch1-1.html", "ch2.html"}
    assert "乙" not in sidebar
    assert "hoshin-nav-portal" in sidebar
    assert 'class="toctree-l1 current' in sidebar  # the theme still marks where the reader is


@pytest.mark.sphinx("html", testroot="navigation")
def test_the_portal_lists_the_documents_one_level_deep(app) -> None:
    app.build()
    sidebar = _sidebar((Path(app.outdir) / "index.html").read_text(encoding="utf-8"))
    assert {"a/index.html", "b/index.html"} <= _links(sidebar)
    assert "第1章" not in sidebar


@pytest.mark.sphinx("html", testroot="navigation", confoverrides={"hoshin_navigation": "site"})
def test_site_scope_keeps_the_whole_tree(app) -> None:
    app.build()
    sidebar = _sidebar((Path(app.outdir) / "a" / "ch1.html").read_text(encoding="utf-8"))
    assert "乙の第1章" in sidebar
    assert "hoshin-nav-portal" not in sidebar


@pytest.mark.sphinx("html", testroot="navigation", confoverrides={"hoshin_navigation": "nearby"})
def test_an_unknown_scope_warns_and_falls_back_to_the_site(app) -> None:
    assert "hoshin_navigation must be 'site' or 'document', got 'nearby'" in app.warning.getvalue()
    assert "[hoshin.data]" in app.warning.getvalue()
    assert app.config.hoshin_navigation == "site"


@pytest.mark.sphinx("html", testroot="navigation", confoverrides={"hoshin_navigation": "site"})
def test_titles_only_trees_equal_what_sphinx_resolves(app) -> None:
    """Hidden, numbered, glob, ``self``, URL and retitled entries, toctrees in subsections."""
    app.build()
    builder = app.builder
    calls = [
        {"collapse": False, "titles_only": True, "maxdepth": -1, "includehidden": True},
        {"collapse": True, "titles_only": True, "maxdepth": -1, "includehidden": True},
        {"collapse": True, "titles_only": True},
        {"collapse": False, "titles_only": True, "maxdepth": 2, "includehidden": False},
        {"collapse": False, "titles_only": False, "maxdepth": -1, "includehidden": True},
    ]
    for docname in sorted(app.env.found_docs):
        for kwargs in calls:
            expected = builder._get_local_toctree(docname, **kwargs)
            assert site_toctree(builder, docname, **kwargs) == expected, (docname, kwargs)


@pytest.mark.sphinx("html", testroot="navigation", confoverrides={"hoshin_navigation": "site"})
def test_the_sidebar_markup_equals_furos(app) -> None:
    """hoshin decorates the tree for furo's collapsible sidebar as furo itself would."""
    from furo.navigation import get_navigation_tree

    from hoshin.web.navigation import FURO_TREE_CALL, furo_tree

    app.build()
    for docname in sorted(app.env.found_docs):
        for scope in ("site", "document"):
            fragment = page_toctree(app.builder, docname, scope)(**FURO_TREE_CALL)
            assert furo_tree(fragment) == get_navigation_tree.__wrapped__(fragment), (
                docname,
                scope,
            )


@pytest.mark.sphinx("html", testroot="navigation", confoverrides={"hoshin_navigation": "site"})
def test_pages_outside_every_toctree_get_sphinxs_tree_resolved_once_per_folder(app) -> None:
    """Generated pages (the index, a term's back-link page, a 新旧対照表) are in no toctree:
    they show the tree Sphinx resolves for them, and pages of one folder share it."""
    app.build()
    builder = app.builder
    calls = [
        {"collapse": False, "titles_only": True, "maxdepth": -1, "includehidden": True},
        {"collapse": True, "titles_only": True, "maxdepth": 2, "includehidden": False},
    ]
    pages = ["genindex", "search", "glossary-uses/a", "glossary-uses/b", "x/y/z"]
    for kwargs in calls:
        for pagename in pages:
            expected = builder._get_local_toctree(pagename, **kwargs)
            assert page_toctree(builder, pagename, "site")(**kwargs) == expected, pagename
            assert "../" in expected if "/" in pagename else "../" not in expected
    folders = {"", "glossary-uses", "x/y"}
    outside = [key for key in builder.__dict__["_hoshin_outside_trees"] if "\x00" not in key[0]]
    assert len(outside) == len(folders) * len(calls)


UNFOLDED_CALLS = [
    {"collapse": False, "titles_only": True, "maxdepth": -1, "includehidden": True},
    {"collapse": False, "titles_only": True, "maxdepth": 2, "includehidden": False},
    {"collapse": False, "titles_only": False, "maxdepth": -1, "includehidden": True},
    {"collapse": False, "titles_only": False, "maxdepth": 1, "includehidden": False},
]


def _assert_unfolded_trees_equal_sphinxs(builder) -> None:
    for docname in sorted(builder.env.found_docs):
        for kwargs in UNFOLDED_CALLS:
            expected = builder._get_local_toctree(docname, **kwargs)
            assert page_toctree(builder, docname, "site")(**kwargs) == expected, (docname, kwargs)


@pytest.mark.sphinx("html", testroot="navigation", confoverrides={"hoshin_navigation": "site"})
def test_a_documents_unfolded_tree_is_its_folders_tree_marked_for_it(app) -> None:
    """furo's unfolded tree is resolved once per folder and marked per page: the links to
    the page and the branch around it are what Sphinx makes for that page (hidden, glob,
    ``self``, URL and retitled entries; pages at the top and in folders)."""
    app.build()
    _assert_unfolded_trees_equal_sphinxs(app.builder)
    shared = [key for key in app.builder.__dict__["_hoshin_outside_trees"] if "\x00" in key[0]]
    assert {key[0].rpartition("/")[0] for key in shared} == {"", "a", "b", "c"}


_EMBEDDED = """
import json, sys, warnings
warnings.simplefilter("ignore", DeprecationWarning)
from sphinx.application import Sphinx
from hoshin.web.navigation import page_toctree
repo, out = sys.argv[1], sys.argv[2]
app = Sphinx(repo + "/source", repo, out + "/html", out + "/dt", "html", status=None,
             warning=None, freshenv=True)
app.build()
calls = json.loads(sys.argv[3])
differ = [[doc, kwargs] for doc in sorted(app.env.found_docs) for kwargs in calls
          if page_toctree(app.builder, doc, "site")(**kwargs)
          != app.builder._get_local_toctree(doc, **kwargs)]
print(json.dumps([len(app.env.found_docs), differ]))
"""


def test_the_embedded_editions_sidebars_are_sphinxs(repo: Path, tmp_path: Path) -> None:
    """The same on every page of the embedded edition (numbered chapters, meeting papers);
    in a process of its own (an application of its own registers docutils nodes)."""
    command = [
        sys.executable,
        "-c",
        _EMBEDDED,
        str(repo),
        str(tmp_path),
        json.dumps(UNFOLDED_CALLS),
    ]
    proc = subprocess.run(command, capture_output=True, text=True, check=True)
    pages, differ = json.loads(proc.stdout.splitlines()[-1])
    assert pages > 40 and differ == []
