"""Pages made at ``html-collect-pages`` that an incremental build leaves as they are.

Sphinx renders and writes every page an extension hands it at ``html-collect-pages`` on every
build, changed or not: a term's back-link page (one per used term, about 140 on a policy) and
the 新旧対照表 pages. On a save in ``hoshin serve`` that was most of the rebuild. A feature asks
:func:`unchanged` before it yields such a page and leaves the page out when it is:

- the page was written by an earlier successful build, its file is still the one that build
  wrote (same modification time and size: ``hoshin build``'s staging copy of the output keeps
  them, another output folder does not), and the digest of its inputs is the one recorded;
- its inputs are the page's own context (title, body, anything the feature passes) and
  template, and what every page of the site shares: hoshin's and Sphinx's versions, the
  builder, ``conf.py`` and every configuration value (in an order that does not depend on
  the process), the theme's global
  context, the style sheets and scripts (names, attributes and contents), the templates'
  newest time, and the site's navigation (every document's title, table of contents and
  toctree entries: the sidebar);
- and this build did not read every document: a fresh environment, a configuration change or
  data every page shows (the revisions feature re-reads every page when the versions change)
  write every page again.

So an incremental build writes the same files a clean build does (the incremental-equals-
clean tests compare them). The digests live next to the doctrees
(``hoshin-extra-pages.json``), written when a build succeeds.
"""

from __future__ import annotations

import json
import posixpath
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hoshin.core.buildstate import PerBuild
from hoshin.core.digest import InputDigest

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

STATE_FILE = "hoshin-extra-pages.json"
_ADDRESS_RE = re.compile(r" at 0x[0-9a-fA-F]+")


@dataclass
class _BuildRecord:
    """What one build knows about its extra pages."""

    all_read: bool
    #: page → [digest, mtime_ns, size] of its file as the last successful build left it
    before: dict[str, list[Any]]
    now: dict[str, str] = field(default_factory=dict)
    site: str | None = None
    #: other files a feature writes at the end of a build (:func:`file_unchanged`):
    #: path relative to the output folder → digest of their inputs
    files: dict[str, str] = field(default_factory=dict)


def stable_repr(value: object) -> str:
    """``repr`` that two processes give alike for equal values: sets in sorted order (their
    order follows string hashing, which differs per process) and without the memory
    addresses of functions and objects."""
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(stable_repr(v) for v in value)) + "}"
    if isinstance(value, dict):
        # insertion order is the same in every process (and may matter to the value's user)
        return (
            "{" + ", ".join(f"{stable_repr(k)}: {stable_repr(v)}" for k, v in value.items()) + "}"
        )
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(stable_repr(v) for v in value) + "]"
    return _ADDRESS_RE.sub("", repr(value))


#: This build's record, from ``env-before-read-docs`` to ``build-finished``.
_RECORDS: PerBuild[_BuildRecord] = PerBuild("extra pages")
#: The applications whose build start and end are connected.
_CONNECTED: weakref.WeakSet[Sphinx] = weakref.WeakSet()


def _record(app: Sphinx) -> _BuildRecord | None:
    return _RECORDS.get(app.env)


def _state_path(app: Sphinx) -> Path:
    return Path(app.doctreedir) / STATE_FILE


def _start(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """A build begins (``env-before-read-docs``): forget the last build's site digest."""
    try:
        before = json.loads(_state_path(app).read_text(encoding="utf-8"))
        if not isinstance(before, dict):
            before = {}
    except (OSError, ValueError):
        before = {}
    all_read = bool(env.found_docs) and set(env.found_docs) <= set(docnames)
    _RECORDS.set(env, _BuildRecord(all_read=all_read, before=before))


def _finish(app: Sphinx, exception: BaseException | None) -> None:
    record = _RECORDS.pop(app.env)
    if record is None:
        return
    path = _state_path(app)
    if exception is not None or not (record.now or record.files):
        return  # a failed build keeps the last good record; one without such pages needs none
    state = {}
    for pagename, digest in record.now.items():
        written = _file_state(app, pagename)
        if written is not None:
            state[pagename] = [digest, *written]
    for name, digest in record.files.items():
        written = _stat(Path(app.outdir) / name)
        if written is not None:
            state[f"{_FILE_PREFIX}{name}"] = [digest, *written]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")


def _file_state(app: Sphinx, pagename: str) -> list[int] | None:
    """Modification time and size of the page's file: the record holds for that very file
    (a staging copy of the output keeps them; another output folder does not)."""
    builder: Any = app.builder
    return _stat(Path(builder.get_outfilename(pagename)))


def _stat(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_mtime_ns, stat.st_size]


#: Keys of :func:`file_unchanged`'s files in the record (page names never start so).
_FILE_PREFIX = "file:"


def file_unchanged(app: Sphinx, paths: Iterable[Path], key: str) -> bool:
    """Whether files a feature writes into the output at the end of a build (downloads made
    from data, not pages) are the ones an earlier build wrote from inputs of digest ``key``:
    then they need not be written again. Call it whenever the files are due; write them when
    it says False. Without a build record (not an HTML build) it says False."""
    record = _record(app)
    if record is None:
        return False
    outdir = Path(app.outdir)
    names = [path.relative_to(outdir).as_posix() for path in paths]
    for name in names:
        record.files[name] = key
    if record.all_read:
        return False
    return all(
        (written := _stat(outdir / name)) is not None
        and record.before.get(f"{_FILE_PREFIX}{name}") == [key, *written]
        for name in names
    )


def _asset_digest(app: Sphinx) -> str:
    builder: Any = app.builder
    digest = InputDigest()
    for asset in [*getattr(builder, "_css_files", []), *getattr(builder, "_js_files", [])]:
        digest.add_text("asset", stable_repr(asset))
        name = str(getattr(asset, "filename", "") or "")
        if name and "://" not in name:
            digest.add_file(Path(app.outdir) / name, name)
    return digest.hexdigest()


def _navigation_digest(env: BuildEnvironment) -> str:
    digest = InputDigest()
    for doc in sorted(env.all_docs):
        title = env.titles.get(doc)
        toc = env.tocs.get(doc)
        digest.add_text(f"title:{doc}", title.astext() if title is not None else "")
        digest.add_text(f"includes:{doc}", repr(env.toctree_includes.get(doc, [])))
        digest.add_text(f"toc:{doc}", str(toc) if toc is not None else "")
    return digest.hexdigest()


def _site_digest(app: Sphinx) -> str:
    """What every generated page shares with the rest of the site."""
    import sphinx

    from hoshin import __version__

    builder: Any = app.builder
    digest = InputDigest().add_text("hoshin", __version__).add_text("sphinx", sphinx.__version__)
    digest.add_text("builder", builder.name)
    digest.add_file(Path(app.confdir) / "conf.py", "conf.py")
    for item in app.config:
        digest.add_text(f"config:{item.name}", stable_repr(item.value))
    context: Mapping[str, Any] = getattr(builder, "globalcontext", {}) or {}
    for key in sorted(context):
        if not callable(context[key]):
            digest.add_text(f"context:{key}", stable_repr(context[key]))
    templates = getattr(builder, "templates", None)
    if templates is not None and hasattr(templates, "newest_template_mtime"):
        digest.add_text("templates", repr(templates.newest_template_mtime()))
    digest.add_text("assets", _asset_digest(app))
    return digest.add_text("navigation", _navigation_digest(app.env)).hexdigest()


def unchanged(app: Sphinx, pagename: str, context: Mapping[str, Any], template: str) -> bool:
    """Whether the page ``pagename`` that a feature is about to yield at
    ``html-collect-pages`` can be left out: an earlier build wrote it from the same inputs.

    Call it for every such page of the build (its digest is recorded for the next build).
    """
    record = _record(app)
    if record is None:
        return False
    if record.site is None:
        record.site = _site_digest(app)
    page = InputDigest().add_text("site", record.site).add_text("page", pagename)
    page.add_text("template", template)
    for key in sorted(context):
        page.add_text(f"context:{key}", stable_repr(context[key]))
    digest = page.hexdigest()
    record.now[pagename] = digest
    if record.all_read:
        return False
    written = _file_state(app, pagename)
    return written is not None and record.before.get(pagename) == [digest, *written]


def render_alike(
    app: Sphinx, pages: Sequence[tuple[str, dict[str, Any]]], template: str
) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Yield ``pages`` to ``html-collect-pages``, or write most of them directly when they
    differ only by their title and body (a term's back-link pages: about 60 on a policy).

    Sphinx renders each yielded page before it asks for the next, so after the first two
    their files are there. When the second equals the first with the title and body swapped
    in, the others are made that way: a swap of two strings instead of the theme's template
    and every ``html-page-context`` handler (about 1.5 ms a page). Otherwise, or for pages of
    several folders or other context keys, every page is yielded. The check compares what
    the pages show; use it only for pages whose handlers keep nothing about them (the
    search store skips pages marked ``hoshin_no_search``).
    """
    builder: Any = app.builder
    rest = list(pages)
    alike = (
        builder.name == "html"
        and len(rest) > 2
        and len({_folder(builder, name) for name, _ in rest}) == 1
        and len({_others(c) for _, c in rest}) == 1
    )
    if not alike:
        yield from ((name, context, template) for name, context in rest)
        return
    (first, first_context), (second, second_context) = rest[0], rest[1]
    yield first, first_context, template
    model = _output(builder, first)
    yield second, second_context, template
    if model is None or _swap(model, first_context, second_context) != _output(builder, second):
        yield from ((name, context, template) for name, context in rest[2:])
        return
    encoding = str(app.config.html_output_encoding)
    for name, context in rest[2:]:
        made = _swap(model, first_context, context)
        if made is None:
            yield name, context, template
            continue
        path = Path(builder.get_output_path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(made.encode(encoding, "xmlcharrefreplace"))


def _folder(builder: Any, pagename: str) -> str:
    return posixpath.dirname(builder.get_target_uri(pagename))


def _others(context: Mapping[str, Any]) -> str:
    return stable_repr({k: v for k, v in sorted(context.items()) if k not in ("title", "body")})


def _output(builder: Any, pagename: str) -> str | None:
    try:
        return Path(builder.get_output_path(pagename)).read_text(
            encoding=str(builder.config.html_output_encoding)
        )
    except (OSError, UnicodeError):
        return None


def _swap(model: str, was: Mapping[str, Any], now: Mapping[str, Any]) -> str | None:
    """``model`` (the page of context ``was``) with the title and body of ``now``."""
    body = str(was.get("body", ""))
    old, new = str(was.get("title", "")), str(now.get("title", ""))
    if not body or model.count(body) != 1 or not (_plain(old) and _plain(new)):
        return None
    head, tail = model.split(body)
    return head.replace(old, new) + str(now.get("body", "")) + tail.replace(old, new)


def _plain(title: str) -> bool:
    """A title every template filter shows as written (``e``, ``striptags``: no markup
    characters, no whitespace to fold); any other page is rendered by Sphinx."""
    return bool(title) and not _MARKUP.search(title) and " ".join(title.split()) == title


_MARKUP = re.compile(r"[&<>\"'`]")


def setup_extra_pages(app: Sphinx) -> None:
    """Connect the build's start and end (once per application, whichever feature asks)."""
    if app in _CONNECTED:
        return
    _CONNECTED.add(app)
    app.connect("env-before-read-docs", _start)
    app.connect("build-finished", _finish, priority=900)  # after the features' own handlers
