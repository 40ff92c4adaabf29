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
from collections.abc import Hashable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from hoshin.core.atomicfile import replacing
from hoshin.core.mystblank import blank_myst
from hoshin.core.yamlio import DataError
from hoshin.lint.allow import Allowance, read_allowances, relative_name, unused_allowances
from hoshin.lint.cache import ResultCache, setup_key
from hoshin.lint.desumasu import RULE as DESUMASU_RULE
from hoshin.lint.ownrules import TEXTLINT_DESUMASU, OwnRules
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

K = TypeVar("K", bound=Hashable)


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
    #: the text of each file as linted (``--fix`` edits exactly this text)
    texts: dict[Path, str] = dataclasses.field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")


class Linter:
    """One configuration (rules, allowances, toolchain, result cache) that lints texts in batches.

    Every call of :meth:`findings` is ONE textlint process over all the texts given (plus
    hoshin's own rules in Python), whatever their number: ``--fix`` checks its candidate
    versions of many files together. Texts are keyed by the caller (a path, or a path and a
    variant); each comes with the real path it stands for (for allowances and messages).
    """

    def __init__(
        self,
        *,
        project_root: Path,
        config_path: Path | None = None,
        extra_prh: Sequence[Path] = (),
        toolchain: Toolchain | None = None,
        cache_dir: Path | None = None,
        timeout: float = 600,
    ) -> None:
        self.project_root = project_root
        self.config_path = config_path or project_root / CONFIG_NAME
        raw_config = load_config(self.config_path)
        self.allowances = read_allowances(raw_config, self.config_path)
        self.config = effective_config(raw_config, self.config_path.parent, extra_prh)
        self._toolchain = toolchain
        self.cache_dir = cache_dir
        self.timeout = timeout
        #: textlint processes started so far (each costs about a second of start-up)
        self.runs = 0
        self._cache: ResultCache | None = None
        self._memo: dict[tuple[Path, str], list[dict[str, Any]]] = {}
        #: hoshin's own rules (Python), reported with textlint's
        self.own = OwnRules(raw_config, self.config_path, cache_dir)

    @property
    def tools(self) -> Toolchain:
        if self._toolchain is None:
            self._toolchain = find_toolchain(default_roots(self.project_root))
        return self._toolchain

    @property
    def cache(self) -> ResultCache:
        if self._cache is None:
            self._cache = ResultCache(
                self.cache_dir / "textlint-results.json" if self.cache_dir else None,
                setup_key(self.config, self.tools.node_modules),
            )
        return self._cache

    def raw_findings(
        self, texts: Mapping[K, tuple[Path, str]], *, store: bool = False
    ) -> dict[K, list[Finding]]:
        """Every finding of each text, allowed or not, in text order.

        Results are remembered for the life of the linter (``--fix`` lints a version, then
        reads the file it wrote); with ``store`` they are also kept in the cache on disk
        under their file (the texts are the files' content, not trial versions).
        """
        blanked = {k: blank_myst(text) for k, (_, text) in texts.items()}
        messages: dict[K, list[dict[str, Any]] | None] = {}
        for k, b in blanked.items():
            got = self._memo.get((texts[k][0], b))
            messages[k] = got if got is not None else self.cache.get(texts[k][0], b)
        todo = {k: b for k, b in blanked.items() if messages[k] is None}
        if todo:
            self.runs += 1
            names = {k: texts[k][0] for k in todo}
            ran = _run_textlint(
                self.tools, self.config, todo, names, self.project_root, self.timeout
            )
            for k, msgs in ran.items():
                messages[k] = msgs
                self._memo[(texts[k][0], todo[k])] = msgs
        if store:
            for k, b in blanked.items():
                if self.cache.get(texts[k][0], b) is None:
                    self.cache.put(texts[k][0], b, messages[k] or [])
            self.cache.save()
        out: dict[K, list[Finding]] = {}
        for k, b in blanked.items():
            path, text = texts[k]
            own = self.own.messages(path, text, store=store)
            found = _findings(path, b, (messages[k] or []) + own)
            out[k] = _without_doubles(found)
        if store:
            self.own.save()
        return out

    def split_allowed(
        self, findings: Iterable[Finding], text: str
    ) -> tuple[list[Finding], list[tuple[Finding, Allowance]]]:
        """``findings`` of one text into those to act on and those an allowance covers."""
        lines = re.split(r"\r\n|\r|\n", text)
        base = self.config_path.parent
        kept: list[Finding] = []
        allowed: list[tuple[Finding, Allowance]] = []
        for finding in findings:
            line_text = lines[finding.line - 1] if finding.line <= len(lines) else ""
            rel = relative_name(finding.path, base)
            hit = next(
                (
                    a
                    for a in self.allowances
                    if a.matches(finding.rule, rel, line_text, finding.message)
                ),
                None,
            )
            if hit is None:
                kept.append(finding)
            else:
                allowed.append((finding, hit))
        return kept, allowed

    def findings(self, texts: Mapping[K, tuple[Path, str]]) -> dict[K, list[Finding]]:
        """The findings to act on (not covered by an allowance) of each text."""
        raw = self.raw_findings(texts)
        return {k: self.split_allowed(found, texts[k][1])[0] for k, found in raw.items()}

    def report(self, files: Sequence[Path], start: float | None = None) -> LintReport:
        """Lint ``files`` as they are on disk."""
        start = time.perf_counter() if start is None else start
        if not files:
            return LintReport([], [], [], [], self.config_path)
        originals = {f: (f, read_source(f)) for f in files}
        raw = self.raw_findings(originals, store=True)
        kept: list[Finding] = []
        allowed: list[tuple[Finding, Allowance]] = []
        for f in files:
            k, a = self.split_allowed(raw[f], originals[f][1])
            kept += k
            allowed += a
        base = self.config_path.parent
        stale = unused_allowances(
            self.allowances,
            (a.index for _, a in allowed),
            (relative_name(f, base) for f in files),
        )
        seconds = time.perf_counter() - start
        texts = {f: text for f, (_, text) in originals.items()}
        return LintReport(list(files), kept, allowed, stale, self.config_path, seconds, texts)


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
    linter = Linter(
        project_root=project_root,
        config_path=config_path,
        extra_prh=extra_prh,
        toolchain=toolchain,
        cache_dir=cache_dir,
        timeout=timeout,
    )
    return linter.report(files, start)


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
    start = time.perf_counter()
    files = collect_sources(paths)
    linter = project_linter(
        project_root,
        glossary_terms=glossary_terms if files else (),
        cache_dir=cache_dir,
        config_path=config_path,
        toolchain=toolchain,
    )
    return linter.report(files, start)


def project_linter(
    project_root: Path,
    *,
    glossary_terms: Iterable[GlossaryTerm] = (),
    cache_dir: Path | None = None,
    config_path: Path | None = None,
    toolchain: Toolchain | None = None,
) -> Linter:
    """The project's :class:`Linter`: its configuration, plus prh rules from the glossary."""
    cache_dir = cache_dir if cache_dir is not None else project_root / "_build" / ".cache" / "lint"
    generated = write_glossary_prh(glossary_terms, cache_dir)
    return Linter(
        project_root=project_root,
        config_path=config_path,
        extra_prh=[generated] if generated else (),
        toolchain=toolchain,
        cache_dir=cache_dir,
    )


def _run_textlint(
    tools: Toolchain,
    config: dict[str, Any],
    blanked: Mapping[K, str],
    names: Mapping[K, Path],
    project_root: Path,
    timeout: float,
) -> dict[K, list[dict[str, Any]]]:
    """Write blanked copies into a temporary mirror, run textlint once: messages per key.

    Each text gets a folder of its own (``src/<n>/<path in the project>``): two versions of
    one file can be linted in the same run.
    """
    with tempfile.TemporaryDirectory(prefix="hoshin-lint-") as tmp_name:
        tmp = Path(tmp_name).resolve()
        copies: dict[str, K] = {}
        for n, (key, text) in enumerate(blanked.items()):
            copy = tmp / "src" / str(n) / _mirror(names[key], project_root, n)
            copy.parent.mkdir(parents=True, exist_ok=True)
            with open(copy, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            copies[str(copy)] = key
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
    out: dict[K, list[dict[str, Any]]] = {k: [] for k in blanked}
    for result in results:
        name = str(Path(result["filePath"]).resolve())
        if name in copies:
            out[copies[name]] = list(result.get("messages", []))
    return out


def read_source(path: Path) -> str:
    """A MyST file's text exactly as stored (line ends kept)."""
    return _read(path)


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


def _without_doubles(found: list[Finding]) -> list[Finding]:
    """Sorted findings, without hoshin's 常体 finding on a line where textlint's rule
    already reports だ/である."""
    lines = {f.line for f in found if f.rule.endswith(TEXTLINT_DESUMASU)}
    kept = [f for f in found if not (f.rule == DESUMASU_RULE and f.line in lines)]
    return sorted(kept, key=lambda x: (x.line, x.col, x.rule))


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


def non_overlapping(fixes: Iterable[Fix]) -> list[Fix]:
    """The fixes in text order, without duplicates and without any that overlaps an earlier
    one (left for the next run, as textlint itself does)."""
    taken: list[Fix] = []
    for fix in sorted(set(fixes), key=lambda x: (x.start, x.end, x.replacement)):
        if taken and fix.start < taken[-1].end:
            continue
        taken.append(fix)
    return taken


def apply_to_text(text: str, fixes: Iterable[Fix]) -> str:
    """``text`` with non-overlapping ``fixes`` applied (back to front, offsets stay valid)."""
    for fix in sorted(fixes, key=lambda x: x.start, reverse=True):
        text = text[: fix.start] + fix.replacement + text[fix.end :]
    return text


def write_source(path: Path, text: str) -> None:
    """Replace a source file in one step, keeping its permissions; line ends as given."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    with replacing(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        if mode is not None:
            os.chmod(tmp, mode)


def apply_fixes(findings: Iterable[Finding]) -> dict[Path, int]:
    """Apply the findings' fixes to their files, unchecked (``hoshin lint --fix`` applies
    only the fixes :mod:`hoshin.lint.safefix` has checked).

    Returns the number of fixes applied per file.
    """
    by_file: dict[Path, list[Fix]] = {}
    for f in findings:
        if f.fix is not None:
            by_file.setdefault(f.path, []).append(f.fix)
    applied: dict[Path, int] = {}
    for path, fixes in by_file.items():
        taken = non_overlapping(fixes)
        write_source(path, apply_to_text(_read(path), taken))
        applied[path] = len(taken)
    return applied
