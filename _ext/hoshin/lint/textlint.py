"""textlint driven from Python: one run over many MyST files, findings at ``path:line:col``.

The files are blanked by :func:`hoshin.core.mystblank.blank_myst` (same length, so every offset
holds), written into a temporary folder that mirrors their paths, and linted together by ONE
``textlint --format json`` process (textlint's Japanese rules share one morphological
dictionary, whose loading is most of a run's time). Findings are mapped back to the original
paths; ``fix`` offsets are converted from JavaScript's UTF-16 units to Python indices, so that
:func:`apply_fixes` edits the original files. Nothing here imports Sphinx.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from hoshin.core.mystblank import blank_myst
from hoshin.core.yamlio import DataError
from hoshin.lint.allow import Allowance, read_allowances, relative_name, unused_allowances
from hoshin.lint.cache import ResultCache, setup_key
from hoshin.lint.prh import GLOSSARY_RULE, GlossaryTerm, is_glossary_message, write_glossary_prh

CONFIG_NAME = ".textlintrc.json"
INSTALL_HINT = (
    "textlint is not installed: run `hoshin setup` (installs textlint and mermaid-cli for "
    "this user; `hoshin doctor` lists every tool and how to get it)"
)
NODE_HINT = (
    "Node.js (node) is not on PATH: install it (Debian: `apt-get install nodejs npm`), "
    "then run `hoshin setup`"
)
#: textlint's severity numbers.
SEVERITIES = {1: "warning", 2: "error", 3: "info"}
SOURCE_SUFFIXES = (".md",)


class LintToolMissing(Exception):
    """node or the textlint packages are missing; the message says how to install them."""


class LintFailed(Exception):
    """textlint itself failed (bad configuration, a crashing rule)."""


@dataclasses.dataclass(frozen=True)
class Fix:
    """Replace ``text[start:end]`` (Python indices into the source file) by ``replacement``."""

    start: int
    end: int
    replacement: str


@dataclasses.dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    col: int
    rule: str
    message: str
    severity: str = "error"
    fix: Fix | None = None

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["path"] = str(self.path)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        fix = data.get("fix")
        return cls(
            path=Path(data["path"]),
            line=int(data["line"]),
            col=int(data["col"]),
            rule=str(data["rule"]),
            message=str(data["message"]),
            severity=str(data["severity"]),
            fix=Fix(**fix) if fix else None,
        )


@dataclasses.dataclass(frozen=True)
class Toolchain:
    node: Path
    textlint_js: Path
    node_modules: Path


def find_toolchain(roots: Sequence[Path], *, path_env: str | None = None) -> Toolchain:
    """node from PATH and textlint from the first of ``roots`` whose node_modules has it."""
    node = shutil.which("node", path=path_env if path_env is not None else os.environ.get("PATH"))
    if node is None:
        raise LintToolMissing(NODE_HINT)
    for root in roots:
        js = root / "node_modules" / "textlint" / "bin" / "textlint.js"
        if js.is_file():
            return Toolchain(Path(node), js, root / "node_modules")
    raise LintToolMissing(INSTALL_HINT)


def default_roots(project_root: Path) -> list[Path]:
    """Where to look for node_modules: the project's own, then ``hoshin setup``'s cache."""
    from hoshin.core.nodetools import node_roots

    return node_roots(project_root)


def collect_sources(paths: Iterable[Path]) -> list[Path]:
    """The MyST files under ``paths`` (files as given, folders searched), sorted, no dupes."""
    found: set[Path] = set()
    for p in paths:
        p = p.resolve()
        if p.is_dir():
            for f in p.rglob("*"):
                rel = f.relative_to(p).parts
                if (
                    f.suffix in SOURCE_SUFFIXES
                    and f.is_file()
                    and not any(part.startswith((".", "_build")) for part in rel)
                ):
                    found.add(f)
        elif p.is_file():
            found.add(p)
        else:
            raise DataError(p, 1, 1, "no such file or folder")
    return sorted(found)


# --- configuration ------------------------------------------------------------------------

_JSONC_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.S)


def load_config(path: Path) -> dict[str, Any]:
    """``.textlintrc.json`` read as JSON with ``//`` and ``/* */`` comments (textlint reads JSON5)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(
            path,
            1,
            1,
            "no textlint configuration here (hoshin lint needs "
            f"{CONFIG_NAME} at the top of the project)",
        ) from None
    stripped = _JSONC_TOKEN.sub(
        lambda m: m.group() if m.group().startswith('"') else re.sub(r"[^\n]", " ", m.group()), text
    )
    stripped = re.sub(r",(\s*[}\]])", r" \1", stripped)
    try:
        data = json.loads(stripped)
    except json.JSONDecodeError as exc:
        raise DataError(path, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise DataError(path, 1, 1, "the configuration must be a JSON object")
    return data


def effective_config(
    config: dict[str, Any], base: Path, extra_prh: Sequence[Path] = ()
) -> dict[str, Any]:
    """``config`` with prh's rule files made absolute (relative to ``base``) plus ``extra_prh``."""
    config = json.loads(json.dumps(config))
    config.pop("hoshin", None)
    prh = config.get("rules", {}).get("prh")
    if isinstance(prh, dict):
        paths = [str((base / p).resolve()) for p in prh.get("rulePaths", [])]
        paths += [str(p) for p in extra_prh]
        prh["rulePaths"] = paths
    return config


# --- running ------------------------------------------------------------------------------


@dataclasses.dataclass
class LintReport:
    """The outcome of one textlint run."""

    files: list[Path]
    #: findings to act on, in file order
    findings: list[Finding]
    #: findings covered by an allowance of the configuration (with the allowance)
    allowed: list[tuple[Finding, Allowance]]
    #: allowances for a passage of a linted file that matched nothing
    stale: list[Allowance]
    config_path: Path
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")


def lint_files(
    files: Sequence[Path],
    *,
    project_root: Path,
    config_path: Path | None = None,
    extra_prh: Sequence[Path] = (),
    toolchain: Toolchain | None = None,
    cache_dir: Path | None = None,
    timeout: float = 600,
) -> LintReport:
    """Lint ``files`` with one textlint process; split findings into acted-on and allowed.

    With ``cache_dir``, textlint's messages are kept per file and only files whose text (or
    whose configuration, dictionaries, npm packages) changed are linted again.
    """
    start = time.perf_counter()
    config_path = config_path or project_root / CONFIG_NAME
    raw_config = load_config(config_path)
    allowances = read_allowances(raw_config, config_path)
    if not files:
        return LintReport([], [], [], [], config_path)
    tools = toolchain or find_toolchain(default_roots(project_root))
    config = effective_config(raw_config, config_path.parent, extra_prh)
    originals = {f: _read(f) for f in files}
    blanked = {f: blank_myst(text) for f, text in originals.items()}
    cache = ResultCache(
        cache_dir / "textlint-results.json" if cache_dir else None,
        setup_key(config, tools.node_modules),
    )
    messages = {f: cache.get(f, text) for f, text in blanked.items()}
    todo = {f: text for f, text in blanked.items() if messages[f] is None}
    if todo:
        for f, got in _run_textlint(tools, config, todo, project_root, timeout).items():
            messages[f] = got
            cache.put(f, todo[f], got)
        cache.save()
    raw = [finding for f in files for finding in _findings(f, blanked[f], messages[f] or [])]
    order = {f: n for n, f in enumerate(files)}
    raw.sort(key=lambda x: (order[x.path], x.line, x.col, x.rule))
    base = config_path.parent
    kept: list[Finding] = []
    allowed: list[tuple[Finding, Allowance]] = []
    split = {f: re.split(r"\r\n|\r|\n", text) for f, text in originals.items()}
    for finding in raw:
        lines = split[finding.path]
        line_text = lines[finding.line - 1] if finding.line <= len(lines) else ""
        rel = relative_name(finding.path, base)
        hit = next(
            (a for a in allowances if a.matches(finding.rule, rel, line_text, finding.message)),
            None,
        )
        if hit is None:
            kept.append(finding)
        else:
            allowed.append((finding, hit))
    stale = unused_allowances(
        allowances, (a.index for _, a in allowed), (relative_name(f, base) for f in files)
    )
    return LintReport(list(files), kept, allowed, stale, config_path, time.perf_counter() - start)


def lint_paths(
    paths: Sequence[Path],
    *,
    project_root: Path,
    glossary_terms: Iterable[GlossaryTerm] = (),
    cache_dir: Path | None = None,
    config_path: Path | None = None,
    toolchain: Toolchain | None = None,
) -> LintReport:
    """Lint the MyST files under ``paths`` with the project's configuration and glossary.

    The 言い換える terms among ``glossary_terms`` become prh rules in ``cache_dir`` (default
    ``_build/.cache/lint``) before textlint runs.
    """
    files = collect_sources(paths)
    cache_dir = cache_dir if cache_dir is not None else project_root / "_build" / ".cache" / "lint"
    generated = write_glossary_prh(glossary_terms, cache_dir) if files else None
    return lint_files(
        files,
        project_root=project_root,
        config_path=config_path,
        extra_prh=[generated] if generated else (),
        toolchain=toolchain,
        cache_dir=cache_dir,
    )


def _run_textlint(
    tools: Toolchain,
    config: dict[str, Any],
    blanked: dict[Path, str],
    project_root: Path,
    timeout: float,
) -> dict[Path, list[dict[str, Any]]]:
    """Write blanked copies into a temporary mirror, run textlint once: messages per file."""
    with tempfile.TemporaryDirectory(prefix="hoshin-lint-") as tmp_name:
        tmp = Path(tmp_name).resolve()
        copies: dict[str, Path] = {}
        for n, (f, text) in enumerate(blanked.items()):
            copy = tmp / "src" / _mirror(f, project_root, n)
            copy.parent.mkdir(parents=True, exist_ok=True)
            with open(copy, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            copies[str(copy)] = f
        rc = tmp / "textlintrc.json"
        rc.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
        cmd = [
            str(tools.node),
            str(tools.textlint_js),
            "--format",
            "json",
            "--config",
            str(rc),
            "--rules-base-directory",
            str(tools.node_modules),
            *copies,
        ]
        try:
            proc = subprocess.run(
                cmd,
                capture_output=True,
                text=True,
                encoding="utf-8",
                cwd=tools.node_modules.parent,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise LintFailed(f"textlint did not finish within {timeout:.0f} s") from None
        except OSError as exc:
            raise LintToolMissing(f"{NODE_HINT} ({exc})") from None
        if proc.returncode not in (0, 1):
            raise LintFailed(_failure(proc.stderr or proc.stdout))
        try:
            results = json.loads(proc.stdout or "[]")
        except json.JSONDecodeError:
            raise LintFailed(_failure(proc.stderr or proc.stdout)) from None
    out: dict[Path, list[dict[str, Any]]] = {f: [] for f in blanked}
    for result in results:
        source = copies.get(str(Path(result["filePath"]).resolve()))
        if source is not None:
            out[source] = list(result.get("messages", []))
    return out


def _read(path: Path) -> str:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read()
    except UnicodeDecodeError as exc:
        raise DataError(path, 1, 1, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _mirror(path: Path, root: Path, n: int) -> Path:
    try:
        return path.resolve().relative_to(root.resolve())
    except ValueError:
        return Path("_outside", str(n), path.name)


def _failure(output: str) -> str:
    lines = [ln for ln in output.strip().splitlines() if ln.strip()]
    return "textlint failed: " + ("\n".join(lines[:20]) if lines else "no output")


class _Utf16Index:
    """Convert JavaScript (UTF-16) offsets of one text into Python indices."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def __call__(self, offset: int) -> int:
        index = offset
        for w in self.wide:
            if w < index:
                index -= 1
            else:
                break
        return min(max(index, 0), len(self.text))


def _findings(path: Path, text: str, messages: list[dict[str, Any]]) -> list[Finding]:
    """Findings of one file; ``text`` is the blanked copy textlint saw (its UTF-16 offsets
    map to the same Python indices, lines and columns as in the original)."""
    to_py = _Utf16Index(text)
    line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    out = []
    for msg in messages:
        rng = msg.get("range") or [msg.get("index", 0), msg.get("index", 0)]
        start = to_py(int(rng[0]))
        line = bisect.bisect_right(line_starts, start) - 1
        fix = msg.get("fix")
        rule = str(msg.get("ruleId", "textlint"))
        message = str(msg.get("message", ""))
        severity = SEVERITIES.get(int(msg.get("severity", 2)), "error")
        if rule == "prh" and is_glossary_message(message):
            # a suggestion from the glossary: the editor decides (a warning, own rule id)
            rule, severity = GLOSSARY_RULE, "warning"
        out.append(
            Finding(
                path=path,
                line=line + 1,
                col=start - line_starts[line] + 1,
                rule=rule,
                message=message,
                severity=severity,
                fix=Fix(to_py(fix["range"][0]), to_py(fix["range"][1]), fix["text"])
                if fix
                else None,
            )
        )
    return out


def apply_fixes(findings: Iterable[Finding]) -> dict[Path, int]:
    """Apply the findings' fixes to their files (non-overlapping, back to front).

    Returns the number of fixes applied per file. A fix that overlaps an earlier one is left
    for the next run, as textlint itself does.
    """
    by_file: dict[Path, list[Fix]] = {}
    for f in findings:
        if f.fix is not None:
            by_file.setdefault(f.path, []).append(f.fix)
    applied: dict[Path, int] = {}
    for path, fixes in by_file.items():
        text = _read(path)
        taken: list[Fix] = []
        for fix in sorted(set(fixes), key=lambda x: (x.start, x.end)):
            if taken and fix.start < taken[-1].end:
                continue
            taken.append(fix)
        for fix in reversed(taken):
            text = text[: fix.start] + fix.replacement + text[fix.end :]
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        applied[path] = len(taken)
    return applied
