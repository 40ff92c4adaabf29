"""Render mermaid text to SVG (web) or PDF (LaTeX) with mermaid-cli, cached on disk.

mermaid-cli (``mmdc``, npm) drives Debian's ``/usr/bin/chromium`` through a puppeteer
config: no browser download, no network. Starting the browser costs about a second, so
every diagram missing from the cache is rendered in ONE ``mmdc`` run (a markdown file
with one mermaid block per diagram). A rendered file is stored under a SHA-256 of
everything that changes it: the mermaid text, the output format, the mermaid and
puppeteer configuration, mermaid-cli's and mermaid's versions, the chromium binary and
this module's own post-processing version. A warm rebuild therefore starts no browser.

Cache layout (``<project>/_build/.cache/mermaid/``)::

    <sha256>.svg | <sha256>.pdf   the rendered diagram
    <sha256>.mmd                  the mermaid text it came from (for people, not read back)

Nothing here imports Sphinx.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hoshin.core.digest import sha256_bytes
from hoshin.core.nodetools import find_bin

#: Bump when the way we call mmdc or post-process its output changes what is stored.
RENDER_VERSION = "1"
#: Browser window width for PDF drawings: wider than any diagram, so that a PDF is drawn at
#: the diagram's own size (in mmdc's default 800 px window a wide one was shrunk before the
#: PDF scaled it again, and its labels printed at 5-7 pt).
PDF_VIEWPORT = 4000
#: The id mmdc gives every SVG root; replaced per page so that several diagrams can share one.
SVG_ROOT_ID = "hoshin-flow-svg-root"
FORMATS = ("svg", "pdf")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
)
FONT_FAMILY = '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif'


@dataclasses.dataclass(frozen=True)
class RenderSettings:
    """Everything the renderer needs; every field that changes output is part of the key."""

    cache_dir: Path
    mmdc: Path | None
    chromium: Path = CHROMIUM
    theme: str = "neutral"
    timeout: float = 300.0

    def mermaid_config(self) -> dict[str, Any]:
        return {
            "theme": self.theme,
            "securityLevel": "strict",
            "deterministicIds": True,
            "themeVariables": {"fontFamily": FONT_FAMILY},
            "flowchart": {"htmlLabels": True, "useMaxWidth": True},
        }

    def puppeteer_config(self) -> dict[str, Any]:
        return {"executablePath": str(self.chromium), "args": list(CHROMIUM_ARGS)}


@dataclasses.dataclass
class RenderResult:
    """Outcome of :meth:`MermaidRenderer.render` for one format."""

    outputs: dict[str, Path]  # mermaid text -> rendered file
    failures: dict[str, str]  # mermaid text -> reason
    rendered: int = 0  # diagrams rendered now (cache misses that succeeded)
    cache_hits: int = 0
    browser_runs: int = 0  # mmdc processes started (each starts one chromium)
    seconds: float = 0.0


def find_mmdc(project_root: Path, configured: str = "") -> Path | None:
    """The mmdc to use: the configured one, else the project's ``node_modules/.bin/mmdc``,
    else the one ``hoshin setup`` installed (:mod:`hoshin.core.nodetools`), else PATH."""
    if configured:
        path = Path(configured)
        if not path.is_absolute():
            path = project_root / path
        return path if path.exists() else None
    local = find_bin(project_root, "mmdc")
    if local is not None:
        return local
    found = shutil.which("mmdc")
    return Path(found) if found else None


def _package_version(package_json: Path) -> str:
    try:
        return str(json.loads(package_json.read_text(encoding="utf-8")).get("version", "?"))
    except (OSError, ValueError):
        return "?"


def _stat_signature(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return "missing"
    return f"{st.st_size}-{st.st_mtime_ns}"


def tool_signature(settings: RenderSettings) -> dict[str, str]:
    """Versions of mermaid-cli, mermaid and chromium, read from files (no process started).

    Chromium's version is not printed without starting it, so the binaries' size and
    modification time stand for it: a package upgrade changes both.
    """
    signature = {"mmdc": "missing", "mermaid": "missing"}
    if settings.mmdc is not None:
        cli_dir = settings.mmdc.resolve().parent.parent  # node_modules/@mermaid-js/mermaid-cli
        signature["mmdc"] = _package_version(cli_dir / "package.json")
        for candidate in (cli_dir / "node_modules" / "mermaid", cli_dir.parent.parent / "mermaid"):
            if (candidate / "package.json").exists():
                signature["mermaid"] = _package_version(candidate / "package.json")
                break
    signature["chromium"] = _stat_signature(settings.chromium.resolve())
    real = Path("/usr/lib/chromium/chromium")
    if settings.chromium == CHROMIUM and real.exists():
        signature["chromium-binary"] = _stat_signature(real)
    return signature


Runner = Callable[[list[str], float], "subprocess.CompletedProcess[str]"]


def _run(cmd: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


class MermaidRenderer:
    """Renders batches of mermaid diagrams through a disk cache.

    ``runner`` runs one mmdc command line; tests replace it to count or fake browser runs.
    """

    def __init__(self, settings: RenderSettings, runner: Runner | None = None) -> None:
        self.settings = settings
        self.runner = runner or _run
        self._signature: dict[str, str] | None = None

    @property
    def signature(self) -> dict[str, str]:
        if self._signature is None:
            self._signature = tool_signature(self.settings)
        return self._signature

    def key(self, mermaid: str, fmt: str) -> str:
        material = {
            "mermaid": mermaid,
            "format": fmt,
            "mermaid_config": self.settings.mermaid_config(),
            "puppeteer_config": self.settings.puppeteer_config(),
            "options": {
                "background": "white",
                "pdfFit": fmt == "pdf",
                "svgId": SVG_ROOT_ID,
                **({"width": PDF_VIEWPORT} if fmt == "pdf" else {}),
            },
            "tools": self.signature,
            "render_version": RENDER_VERSION,
        }
        blob = json.dumps(material, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return sha256_bytes(blob)

    def path_for(self, mermaid: str, fmt: str) -> Path:
        return self.settings.cache_dir / f"{self.key(mermaid, fmt)}.{fmt}"

    def unavailable(self) -> str | None:
        """Why nothing can be rendered now (None when mmdc and chromium are there)."""
        if self.settings.mmdc is None or not self.settings.mmdc.exists():
            return (
                "mermaid-cli (mmdc) not found; run 'hoshin setup' "
                "(installs @mermaid-js/mermaid-cli for this user; 'hoshin doctor' checks)"
            )
        if not self.settings.chromium.exists():
            return f"chromium not found at {self.settings.chromium}"
        return None

    def render(self, mermaids: Sequence[str], fmt: str) -> RenderResult:
        """Make sure every diagram is in the cache; render the missing ones in one run."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        started = time.perf_counter()
        result = RenderResult({}, {})
        missing: list[str] = []
        for mermaid in dict.fromkeys(mermaids):  # unique, order kept
            path = self.path_for(mermaid, fmt)
            if path.is_file() and path.stat().st_size > 0:
                result.outputs[mermaid] = path
                result.cache_hits += 1
            else:
                missing.append(mermaid)
        if missing:
            reason = self.unavailable()
            if reason:
                result.failures.update(dict.fromkeys(missing, reason))
            else:
                self.settings.cache_dir.mkdir(parents=True, exist_ok=True)
                failed = self._render_batch(missing, fmt, result)
                if failed and len(missing) > 1:
                    # One bad diagram fails the whole batch: retry the failed ones alone.
                    for mermaid in failed:
                        self._render_batch([mermaid], fmt, result)
        result.seconds = time.perf_counter() - started
        return result

    def _render_batch(self, batch: list[str], fmt: str, result: RenderResult) -> list[str]:
        """Render ``batch`` in one mmdc run; return the diagrams that failed."""
        work = Path(tempfile.mkdtemp(prefix=".run-", dir=self.settings.cache_dir))
        try:
            (work / "puppeteer.json").write_text(
                json.dumps(self.settings.puppeteer_config()), encoding="utf-8"
            )
            (work / "mermaid.json").write_text(
                json.dumps(self.settings.mermaid_config()), encoding="utf-8"
            )
            blocks = [f"```mermaid\n{m.rstrip()}\n```\n" for m in batch]
            (work / "batch.md").write_text("\n".join(blocks), encoding="utf-8")
            cmd = [
                str(self.settings.mmdc),
                "--quiet",
                "--puppeteerConfigFile",
                str(work / "puppeteer.json"),
                "--configFile",
                str(work / "mermaid.json"),
                "--input",
                str(work / "batch.md"),
                "--output",
                str(work / f"out.{fmt}"),
                "--outputFormat",
                fmt,
                "--backgroundColor",
                "white",
                "--svgId",
                SVG_ROOT_ID,
            ]
            if fmt == "pdf":
                cmd += ["--pdfFit", "--width", str(PDF_VIEWPORT)]
            result.browser_runs += 1
            try:
                proc = self.runner(cmd, self.settings.timeout)
                problem = (proc.stderr or proc.stdout or "").strip()[-2000:]
                if proc.returncode != 0:
                    problem = f"mmdc exited with {proc.returncode}: {problem}"
            except (OSError, subprocess.SubprocessError) as exc:
                problem = f"mmdc could not run: {exc}"
            failed = []
            for number, mermaid in enumerate(batch, start=1):
                produced = work / f"out-{number}.{fmt}"
                if not produced.is_file() or produced.stat().st_size == 0:
                    failed.append(mermaid)
                    result.failures[mermaid] = problem or "mmdc produced no output"
                    continue
                key = self.key(mermaid, fmt)
                (work / f"{key}.mmd").write_text(mermaid, encoding="utf-8")
                os.replace(work / f"{key}.mmd", self.settings.cache_dir / f"{key}.mmd")
                final = self.settings.cache_dir / f"{key}.{fmt}"
                os.replace(produced, final)
                result.outputs[mermaid] = final
                result.failures.pop(mermaid, None)
                result.rendered += 1
            return failed
        finally:
            shutil.rmtree(work, ignore_errors=True)


_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_ATTR_DROP = re.compile(r'\s(?:role|aria-labelledby|aria-describedby)="[^"]*"')
_MAX_WIDTH = re.compile(r"max-width:\s*([0-9.]+)px;?")
#: On a narrow screen a diagram shrinks to this share of its drawn size, then scrolls.
MIN_SCALE = 0.75  # mermaid draws 16 px labels: never below 12 px on a page (issue 21)


def svg_for_html(svg: str, svg_id: str, title: str, described_by: str | None = None) -> str:
    """An mmdc SVG ready to inline in a page: own ids, ``role="img"`` and an accessible name.

    The root id mmdc was given (and every id and CSS selector derived from it) becomes
    ``svg_id``; a ``<title>`` with the caption names the image through ``aria-labelledby``.
    The drawing shrinks with the page down to :data:`MIN_SCALE` of its size, no further.
    """
    svg = svg.replace(SVG_ROOT_ID, svg_id)
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg.strip())
    match = _SVG_OPEN.search(svg)
    if match is None:
        raise ValueError("not an SVG document")
    tag = _ATTR_DROP.sub("", match.group(0))
    width = _MAX_WIDTH.search(tag)
    if width:
        floor = f"min-width: {float(width.group(1)) * MIN_SCALE:.0f}px; "
        tag = tag[: width.start()] + floor + tag[width.start() :]
    extra = f' role="img" aria-labelledby="{svg_id}-title"'
    if described_by:
        extra += f' aria-describedby="{html.escape(described_by)}"'
    tag = tag[:-1].rstrip("/") + extra + ">"
    title_el = f'<title id="{svg_id}-title">{html.escape(title)}</title>'
    return svg[: match.start()] + tag + title_el + svg[match.end() :]
