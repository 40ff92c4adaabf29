"""The live preview behind ``hoshin serve``: one Sphinx application kept in memory.

``sphinx-autobuild`` starts a new ``sphinx-build`` process for every save: Python, Sphinx,
every extension and the pickled environment are loaded again each time, about a second
before the one changed page is even read. :class:`PreviewBuilder` keeps one Sphinx
application (and so its environment) between rebuilds and asks it for an incremental
update (``app.build()``: Sphinx finds the changed pages by their times and re-reads only
them and what depends on them).

Some state of a Sphinx application does not reset between builds: the configuration is
read once, extensions read project data (glossary, revisions) when the builder starts, and
the registries are filled once. So a fresh application (still in this process, with the
pickled environment) is made when anything but an existing page of ``source/`` changed:
``conf.py``, the glossary or revisions data, another watched file, or a page added or
removed. A failed build also starts the next one from a fresh application.

:class:`PreviewServer` serves the output on 127.0.0.1 and tells open pages to reload
after each rebuild (a long-polled ``/__hoshin/wait`` request, no websocket library).
"""

from __future__ import annotations

import contextlib
import http.server
import os
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

#: Folders never watched (output, tools, version control).
IGNORED_DIRS = ("_build", ".git", "node_modules", ".venv", "__pycache__")


@dataclass(frozen=True)
class RebuildReport:
    """What one rebuild did: whether it started a fresh application, its time, success."""

    fresh: bool
    seconds: float
    ok: bool
    error: str = ""


class PreviewBuilder:
    """Incremental HTML builds of one source folder through one kept Sphinx application."""

    def __init__(
        self,
        *,
        confdir: Path,
        srcdir: Path,
        outdir: Path,
        doctreedir: Path,
        overrides: Mapping[str, Any] | None = None,
        data: Iterable[Path] = (),
        status: IO[str] | None = None,
        warning: IO[str] | None = None,
    ) -> None:
        self.confdir, self.srcdir, self.outdir, self.doctreedir = (
            confdir,
            srcdir,
            outdir,
            doctreedir,
        )
        self.overrides = dict(overrides or {})
        #: Files and folders read when the builder starts (conf.py, glossary, revisions):
        #: a change there needs a fresh application even when they lie inside ``srcdir``.
        self.data = tuple(p.resolve() for p in (confdir / "conf.py", *data))
        self.status, self.warning = status, warning
        self._app: Any = None
        self._stack: contextlib.ExitStack | None = None
        self._files = self._source_files()

    def _source_files(self) -> frozenset[str]:
        found: set[str] = set()
        for folder, dirs, names in os.walk(self.srcdir):
            dirs[:] = [d for d in dirs if d not in IGNORED_DIRS and not d.startswith(".")]
            rel = os.path.relpath(folder, self.srcdir)
            prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
            found.update(prefix + name for name in names if not name.startswith("."))
        return frozenset(found)

    def _close(self) -> None:
        if self._stack is not None:
            self._stack.close()
        self._app, self._stack = None, None

    def _new_app(self) -> Any:
        from sphinx.application import Sphinx
        from sphinx.util.docutils import docutils_namespace, patch_docutils

        self._close()
        stack = contextlib.ExitStack()
        # As sphinx-build does: docutils' directive and role registries are restored when
        # this application is dropped, so a fresh one starts from the same state.
        stack.enter_context(patch_docutils(self.confdir))
        stack.enter_context(docutils_namespace())
        try:
            app = Sphinx(
                self.srcdir, self.confdir, self.outdir, self.doctreedir, "html",
                confoverrides=dict(self.overrides), status=self.status, warning=self.warning,
                freshenv=False,
            )  # fmt: skip
        except BaseException:
            stack.close()
            raise
        self._app, self._stack = app, stack
        self._assets = [list(x) for x in _asset_lists(app)]
        return app

    def _reset_assets(self, app: Any) -> None:
        """Give the kept application the style sheets and scripts it had when it started.

        Extensions may add assets while building (``app.add_js_file`` in an event); a new
        process starts without them, so their order in the pages depends on it.
        """
        for target, saved in zip(_asset_lists(app), self._assets, strict=True):
            target[:] = saved

    def needs_fresh_app(self, changed: Iterable[Path], files: frozenset[str] | None = None) -> bool:
        """Whether ``changed`` reaches state a kept application would not see again
        (``files``: the source files now, when the caller has listed them)."""
        if self._app is None:
            return True
        src = self.srcdir.resolve()
        for path in map(Path.resolve, changed):
            if not path.is_relative_to(src) or any(path.is_relative_to(d) for d in self.data):
                return True  # conf.py, glossary, revisions, anything outside the pages
        now = self._source_files() if files is None else files
        return now != self._files  # a page added, removed or renamed

    def build(self, changed: Iterable[Path] = ()) -> RebuildReport:
        """Bring the output up to date with the sources; never raises for a failed build."""
        start = time.perf_counter()
        files = self._source_files()  # listed once per build
        fresh = self.needs_fresh_app(list(changed), files)
        self._files = files
        try:
            if fresh:
                app = self._new_app()
            else:
                app = self._app
                self._reset_assets(app)
            app._warncount = 0  # Sphinx counts warnings per application, we report per build
            app.build()
        except Exception as exc:  # a broken page or extension: keep serving the last output
            self._close()  # the next build starts from a fresh application
            return RebuildReport(fresh, time.perf_counter() - start, False, f"{exc}")
        return RebuildReport(fresh, time.perf_counter() - start, True)

    def close(self) -> None:
        self._close()


def _asset_lists(app: Any) -> list[list[Any]]:
    """The asset lists of the registry and of the HTML builder themselves (not copies)."""
    lists = [app.registry.css_files, app.registry.js_files]
    return lists + [getattr(app.builder, name, []) for name in ("_css_files", "_js_files")]


# --- serving ------------------------------------------------------------------------------

RELOAD_PATH = "/__hoshin/wait"
_RELOAD_SCRIPT = (
    "<script>(function(){{var b={build};function w(){{fetch('" + RELOAD_PATH + "?build='+b)"
    ".then(function(r){{return r.text()}}).then(function(t){{if(+t>b){{location.reload()}}"
    "else{{w()}}}}).catch(function(){{setTimeout(w,1000)}})}}w()}})();</script>"
)


class BuildCounter:
    """The number of finished rebuilds; pages wait on it to know when to reload."""

    def __init__(self) -> None:
        self.value = 0
        self._cond = threading.Condition()

    def bump(self) -> None:
        with self._cond:
            self.value += 1
            self._cond.notify_all()

    def wait_past(self, seen: int, timeout: float) -> int:
        with self._cond:
            self._cond.wait_for(lambda: self.value > seen, timeout)
            return self.value


class PreviewServer(http.server.ThreadingHTTPServer):
    """Serves ``root`` on 127.0.0.1; every HTML page reloads itself after a rebuild."""

    daemon_threads = True

    def __init__(self, port: int, root: Path, counter: BuildCounter) -> None:
        self.root, self.counter = root, counter
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="hoshin-preview", daemon=True)
        thread.start()
        return thread


class _Handler(http.server.SimpleHTTPRequestHandler):
    server: PreviewServer

    def translate_path(self, path: str) -> str:
        self.directory = str(self.server.root)
        return super().translate_path(path)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows builds and warnings, not requests

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == RELOAD_PATH:
            query = urllib.parse.parse_qs(url.query)
            seen = int((query.get("build") or ["0"])[0] or 0)
            self._send(str(self.server.counter.wait_past(seen, 25)).encode(), "text/plain")
            return
        path = Path(self.translate_path(url.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            script = _RELOAD_SCRIPT.format(build=self.server.counter.value)
            html = path.read_bytes()
            at = html.rfind(b"</body>")
            at = len(html) if at < 0 else at
            self._send(html[:at] + script.encode() + html[at:], "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


# --- watching -----------------------------------------------------------------------------


def watch(paths: Iterable[Path], stop: threading.Event) -> Iterator[set[Path]]:
    """Sets of changed files under ``paths`` (files or folders) until ``stop`` is set."""
    import logging

    import watchfiles  # installed with sphinx-autobuild (a dependency of hoshin)

    logging.getLogger("watchfiles").setLevel(logging.WARNING)  # no "1 change detected" lines

    roots = [p.resolve() for p in paths if p.exists()]
    existing = [str(p) for p in roots]
    default = watchfiles.DefaultFilter()

    def ignore(change: Any, path: str) -> bool:
        # Folders are ignored below the watched roots only: a project may itself lie
        # inside a folder named _build (the benchmark's copies do).
        resolved = Path(path)
        for root in roots:
            if resolved.is_relative_to(root):
                parts = resolved.relative_to(root).parts
                if any(part in IGNORED_DIRS for part in parts):
                    return False
        return bool(default(change, path))

    # step: yield once nothing more changed for 30 ms (an editor's save is a burst of events)
    for changes in watchfiles.watch(
        *existing, watch_filter=ignore, step=30, stop_event=stop, raise_interrupt=False
    ):
        yield {Path(path) for _, path in changes}
