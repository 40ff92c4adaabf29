"""Build the PDFs: one per version and one 新旧対照表 per consecutive pair, cached.

A version's PDF: Sphinx's LaTeX builder (its own process, like every version build) →
``latexmk`` with upLaTeX → ``dvipdfmx``. A 新旧対照表: hoshin writes the ``.tex`` itself
(:mod:`hoshin.revisions.shinkyu_pdf`) → upLaTeX → ``dvipdfmx``.

Two cache levels keep a warm rebuild free of LaTeX:

1. an *input key* over everything a version's PDF is made from (its source folder, the
   project's configuration and data, hoshin's own code and styles, the tool versions,
   ``SOURCE_DATE_EPOCH``): when it matches the last build, neither Sphinx nor LaTeX runs;
2. a *LaTeX key* over the ``.tex`` and style files Sphinx wrote: when only something that
   does not reach the PDF changed, Sphinx runs but LaTeX does not.

No Sphinx import here.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from hoshin.core.atomicfile import replacing
from hoshin.core.builddate import ENV as SOURCE_DATE_ENV
from hoshin.core.builddate import draft_epoch
from hoshin.core.digest import InputDigest, files_under, sha256_file
from hoshin.core.sitebuild import BuildFailed, run_sphinx
from hoshin.core.sitemap import shinkyu_pdf_name, version_pdf_name
from hoshin.core.toolversions import tool_versions
from hoshin.core.undrawn import left_undrawn

PACKAGE_DIR = Path(__file__).parents[1]
LATEX_DIR = PACKAGE_DIR / "pdf" / "latex"
#: Files of a Sphinx LaTeX output folder that make up the LaTeX key.
_LATEX_INPUTS = ("*.tex", "*.sty", "*.cls", "*.pdf", "*.png", "*.jpg", "*.dic", "latexmk*rc")
#: What LaTeX and its helpers write and read back on the next run: a run killed half-way
#: leaves them truncated (``Missing \begin{document}`` from a cut ``.aux`` on every later run).
_LATEX_STATE = ("*.aux", "*.toc", "*.out", "*.idx", "*.ind", "*.ilg", "*.lof", "*.lot",
                "*.fls", "*.fdb_latexmk", "*.dvi", "*.log", "*.xbb")  # fmt: skip
_MAX_LATEX_RUNS = 4


class ToolMissing(Exception):
    """A TeX program hoshin needs is not installed."""


@dataclasses.dataclass(frozen=True)
class VersionPdf:
    """One version's PDF: which sources, which doctrees, which ``-D`` overrides, which name."""

    version_id: str
    srcdir: Path
    doctreedir: Path
    filename: str
    overrides: Mapping[str, str] = dataclasses.field(default_factory=dict)
    #: Further files or folders whose content reaches this PDF (conf.py, data folders).
    inputs: tuple[Path, ...] = ()


@dataclasses.dataclass
class PdfResult:
    filename: str
    ran_sphinx: bool
    ran_latex: bool
    path: Path


# ---------------------------------------------------------------------------------------
# keys
# ---------------------------------------------------------------------------------------


def digest_paths(paths: Iterable[Path], extra: Mapping[str, str] | None = None) -> str:
    """SHA-256 over ``extra`` and the names and contents of ``paths``: a file by its name, a
    folder's files (not those whose name starts with a dot) by their path from its parent."""
    digest = InputDigest()
    for key, value in sorted((extra or {}).items()):
        digest.add_text(key, value)
    for root in paths:
        if root.is_dir():
            digest.add_files(files_under([root], hidden=False), root.parent)
        else:
            digest.add_file(root, root.name)
    return digest.hexdigest()


#: The TeX programs whose versions key every PDF (with hoshin's Python packages).
PDF_PROGRAMS = ("uplatex", "dvipdfmx")


def require_tex() -> None:
    """Raise :class:`ToolMissing` naming the Debian packages when TeX is not installed."""
    missing = [p for p in ("uplatex", "dvipdfmx", "latexmk") if shutil.which(p) is None]
    if missing:
        raise ToolMissing(
            f"{', '.join(missing)} not found: install texlive-lang-japanese "
            "texlive-latex-recommended texlive-latex-extra latexmk (make setup does)"
        )


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # The CLI pins the date for the whole command; called on its own, the day of the build.
    env.setdefault(SOURCE_DATE_ENV, str(draft_epoch(None)))
    env["FORCE_SOURCE_DATE"] = "1"  # \today and the PDF dates from SOURCE_DATE_EPOCH
    env.update(TEX_SANDBOX)
    return env


#: kpathsea settings for hoshin's TeX runs only (environment variables override texmf.cnf):
#: TeX may read and write only below the build folder (no absolute paths, no ``..``, no
#: dot files) and never run a program (``\write18``), whatever a page or package asks.
TEX_SANDBOX = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}


class Stamp:
    """The keys of the last successful build of one PDF, kept beside its work folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}

    def get(self, key: str) -> str | None:
        return self.data.get(key)

    def save(self, **values: str) -> None:
        self.data.update(values)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        text = json.dumps(self.data, indent=1, sort_keys=True, ensure_ascii=False)
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(self.path)


# ---------------------------------------------------------------------------------------
# running LaTeX
# ---------------------------------------------------------------------------------------


def _run(cmd: Sequence[str], cwd: Path, what: str) -> str:
    proc = subprocess.run(
        list(cmd), cwd=cwd, env=_env(), capture_output=True, text=True, errors="replace",
        stdin=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        log = _latex_errors(cwd) or (proc.stdout[-3000:] + proc.stderr[-2000:])
        raise BuildFailed(what, log)
    return proc.stdout


def _latex_errors(cwd: Path) -> str:
    """The ``! …`` error lines of the LaTeX logs in ``cwd`` with a little context."""
    found: list[str] = []
    for log in sorted(cwd.glob("*.log")):
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        for i, line in enumerate(lines):
            if line.startswith("!"):
                found.append(f"{log.name}: " + " ".join(lines[i : i + 3]))
    return "\n".join(found[:10])


def latexmk(workdir: Path, texname: str, what: str) -> Path:
    """Sphinx's own recipe (``latexmkjarc``: upLaTeX, mendex, dvipdfmx) in ``workdir``."""
    bounding_boxes(workdir, exclude=Path(texname).stem)
    _run(
        ["latexmk", "-r", "latexmkjarc", "-pdfdvi", "-dvi-", "-ps-", "-f-",
         "-interaction=nonstopmode", "-halt-on-error", "-g", texname],
        workdir, what,
    )  # fmt: skip
    return workdir / (Path(texname).stem + ".pdf")


_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".pdf", ".PNG", ".JPG", ".JPEG", ".PDF")


def bounding_boxes(workdir: Path, exclude: str = "") -> None:
    """Write the ``.xbb`` file of every image, which graphicx's dvipdfmx driver would
    otherwise get by piping ``extractbb`` (shell escape, off in :data:`TEX_SANDBOX`)."""
    for image in sorted(workdir.iterdir()):
        if image.suffix not in _IMAGE_SUFFIXES or image.stem == exclude:
            continue
        xbb = image.with_suffix(".xbb")
        if xbb.exists() and xbb.stat().st_mtime_ns >= image.stat().st_mtime_ns:
            continue
        _run(["extractbb", image.name], workdir, f"bounding box of {image.name}")


def uplatex_to_pdf(workdir: Path, texname: str, what: str) -> Path:
    """upLaTeX until the cross-references settle (at most 4 runs), then dvipdfmx."""
    stem = Path(texname).stem
    for _ in range(_MAX_LATEX_RUNS):
        _run(["uplatex", "-kanji=utf8", "-interaction=nonstopmode", "-halt-on-error", texname],
             workdir, what)  # fmt: skip
        log = (workdir / f"{stem}.log").read_text(encoding="utf-8", errors="replace")
        if "Rerun" not in log:
            break
    _run(["dvipdfmx", "-q", "-o", f"{stem}.pdf", f"{stem}.dvi"], workdir, what)
    return workdir / f"{stem}.pdf"


def _install(pdf: Path, dest: Path) -> None:
    with replacing(dest) as tmp:
        shutil.copyfile(pdf, tmp)


def _intact(cached_pdf: Path, stamp: Stamp) -> bool:
    """The cached PDF is the one the last successful build recorded (not cut short)."""
    return cached_pdf.is_file() and stamp.get("pdf") == sha256_file(cached_pdf)


def latex_state_digest(latexdir: Path) -> str:
    """Digest of the files LaTeX carries from one run to the next (see :data:`_LATEX_STATE`)."""
    return digest_paths(sorted({p for g in _LATEX_STATE for p in latexdir.glob(g) if p.is_file()}))


def clear_latex_state(latexdir: Path) -> None:
    for pattern in _LATEX_STATE:
        for path in latexdir.glob(pattern):
            path.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------
# one version
# ---------------------------------------------------------------------------------------


def build_version_pdf(
    job: VersionPdf,
    *,
    confdir: Path,
    cachedir: Path,
    outdir: Path,
    strict: bool = False,
    redraw: bool = False,
) -> PdfResult:
    """Build (or take from the cache) one version's PDF into ``outdir / job.filename``.

    ``redraw``: mermaid-cli and chromium are found now, so a PDF whose last build left
    diagrams undrawn for want of them (:mod:`hoshin.core.undrawn`) is not taken from the
    cache even though its inputs are unchanged."""
    work = cachedir / job.version_id
    latexdir = work / "latex"
    stamp = Stamp(work / "stamp.json")
    dest = outdir / job.filename
    input_key = digest_paths(
        [job.srcdir, confdir / "conf.py", *job.inputs, PACKAGE_DIR],
        {"tools": tool_versions(PDF_PROGRAMS), "overrides": json.dumps(dict(job.overrides), sort_keys=True),
         "epoch": _env()["SOURCE_DATE_EPOCH"], "version": job.version_id},
    )  # fmt: skip
    cached_pdf = work / "output.pdf"
    undrawn = redraw and left_undrawn(job.doctreedir, "pdf")
    if stamp.get("input") == input_key and _intact(cached_pdf, stamp) and not undrawn:
        if not dest.is_file() or stamp.get("pdf") != sha256_file(dest):
            _install(cached_pdf, dest)
        return PdfResult(job.filename, False, False, dest)

    def sphinx() -> str:
        run_sphinx(
            confdir=confdir, srcdir=job.srcdir, outdir=latexdir, doctreedir=job.doctreedir,
            builder="latex", overrides=job.overrides, strict=strict,
            what=f"LaTeX build of {job.version_id}",
        )  # fmt: skip
        return _main_tex(latexdir)

    texname = sphinx()
    latex_key = digest_paths(
        [p for p in _latex_inputs(latexdir)], {"tools": tool_versions(PDF_PROGRAMS)}
    )
    ran_latex = False
    if stamp.get("latex") != latex_key or not _intact(cached_pdf, stamp):
        what = f"PDF of {job.version_id}"
        if stamp.get("aux") != latex_state_digest(latexdir):
            clear_latex_state(latexdir)  # not what the last good run left: a run was cut short
        try:
            pdf = latexmk(latexdir, texname, what)
        except BuildFailed:
            shutil.rmtree(latexdir)  # once more from a clean folder
            pdf = latexmk(latexdir, sphinx(), what)
        _install(pdf, cached_pdf)
        ran_latex = True
    _install(cached_pdf, dest)
    stamp.save(
        input=input_key, latex=latex_key, pdf=sha256_file(dest), aux=latex_state_digest(latexdir)
    )
    return PdfResult(job.filename, True, ran_latex, dest)


def _main_tex(latexdir: Path) -> str:
    texs = sorted(p.name for p in latexdir.glob("*.tex") if not p.name.startswith("sphinx"))
    if len(texs) != 1:
        raise BuildFailed(f"LaTeX build in {latexdir}", f"expected one .tex, found {texs}")
    return texs[0]


def _latex_inputs(latexdir: Path) -> list[Path]:
    found: set[Path] = set()
    for pattern in _LATEX_INPUTS:
        found.update(p for p in latexdir.glob(pattern) if p.is_file())
    stems = {p.stem for p in latexdir.glob("*.tex")}
    return sorted(p for p in found if not (p.suffix == ".pdf" and p.stem in stems))


# ---------------------------------------------------------------------------------------
# one 新旧対照表
# ---------------------------------------------------------------------------------------


SHINKYU_STYLE = LATEX_DIR / "hoshinshinkyu.sty"


def build_tex_pdf(
    tex: str,
    *,
    name: str,
    cachedir: Path,
    outdir: Path,
    filename: str,
    sty: Path | None = SHINKYU_STYLE,
    what: str = "",
) -> PdfResult:
    """Typeset a hoshin-written ``.tex`` (the 新旧対照表, an opinions table) with its style
    file ``sty`` (none: the ``.tex`` carries its preamble) unless the same source was typeset."""
    work = cachedir / name
    stamp = Stamp(work / "stamp.json")
    dest = outdir / filename
    style = sty.read_text(encoding="utf-8") if sty is not None else ""
    key = (
        InputDigest().add_text("tex", tex).add_text("style", style)
        .add_text("tools", tool_versions(PDF_PROGRAMS)).add_text("epoch", _env()["SOURCE_DATE_EPOCH"])
        .hexdigest()
    )  # fmt: skip
    cached_pdf = work / "output.pdf"
    if stamp.get("latex") == key and _intact(cached_pdf, stamp):
        if not dest.is_file() or stamp.get("pdf") != sha256_file(dest):
            _install(cached_pdf, dest)
        return PdfResult(filename, False, False, dest)
    texdir = work / "latex"
    if texdir.exists():
        shutil.rmtree(texdir)
    texdir.mkdir(parents=True)
    (texdir / "shinkyu.tex").write_text(tex, encoding="utf-8")
    if sty is not None:
        shutil.copyfile(sty, texdir / sty.name)
    pdf = uplatex_to_pdf(texdir, "shinkyu.tex", what or f"新旧対照表 {name}")
    _install(pdf, cached_pdf)
    _install(cached_pdf, dest)
    stamp.save(latex=key, pdf=sha256_file(dest))
    return PdfResult(filename, False, True, dest)


# ---------------------------------------------------------------------------------------
# the whole project
# ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ProjectPdfs:
    """Every PDF of a project: one per version, one 新旧対照表 per consecutive pair."""

    versions: tuple[VersionPdf, ...]
    pairs: tuple[tuple[str, str, str], ...]  # (old, new, filename)
    slug: str
    #: What conf.py says (read once, in the calling thread: running conf.py changes folder).
    conf: Mapping[str, object] = dataclasses.field(default_factory=dict)


def plan(root: Path, cache: Path) -> ProjectPdfs:
    """Which PDFs the project has: the working draft and every frozen version with sources."""
    from hoshin.core.config import run_conf
    from hoshin.core.edition import env_edition
    from hoshin.core.history import CURRENT, load_revisions

    conf = run_conf(root / "conf.py")
    edition = str(conf.get("hoshin_edition") or env_edition())
    slug = str(conf.get("hoshin_project_slug", "policy"))
    data = load_revisions(root, check_labels=False)
    ids = [v.id for v in data.versions if data.source_dir(v.id).is_dir()] + [CURRENT]
    shared = (root / "glossary",)
    jobs = []
    for vid in ids:
        # The same doctrees and overrides as the HTML build of that version (hoshin.revisions.editions),
        # so Sphinx reads nothing again: a frozen version has its own frozen glossary.
        if vid == CURRENT:
            inputs: tuple[Path, ...] = (root / "revisions", *shared)
            overrides: dict[str, str] = {}
            doctrees = cache / "doctrees" / CURRENT
        else:
            inputs = (data.history_path, root / "revisions" / vid)
            overrides = {"hoshin_version_id": vid,
                         "hoshin_glossary_dir": f"revisions/{vid}/glossary"}  # fmt: skip
            doctrees = cache / "versions" / vid / "doctrees"
        overrides["hoshin_edition"] = edition  # part of the input key
        jobs.append(
            VersionPdf(vid, data.source_dir(vid), doctrees, version_pdf_name(slug, vid),
                       overrides, inputs)
        )  # fmt: skip
    pairs = tuple((a, b, shinkyu_pdf_name(slug, a, b)) for a, b in itertools.pairwise(ids))
    return ProjectPdfs(tuple(jobs), pairs, slug, conf)


def shinkyu_tex(root: Path, old: str, new: str, conf: Mapping[str, object]) -> str:
    """The 新旧対照表 ``.tex`` of ``old`` → ``new`` (diff joined with the change records)."""
    from hoshin.core.edition import REVIEW, REVIEW_MARK, env_edition
    from hoshin.core.history import load_revisions
    from hoshin.core.mystdoc import read_document
    from hoshin.revisions.compare import compare, document_wide, reason_text
    from hoshin.revisions.pairinfo import section_titles, unshown_records, version_label
    from hoshin.revisions.shinkyu_pdf import ShinkyuHeading, render_shinkyu_latex

    data = load_revisions(root, check_labels=False)
    records = data.records_between(old, new)
    documents = read_document(data.source_dir(old)), read_document(data.source_dir(new))
    cmp = compare(*documents, records, old_id=old, new_id=new)
    cmp.glossary = data.glossary_comparison(old, new)
    unshown = unshown_records(cmp, records, section_titles(*documents))
    heading = ShinkyuHeading(
        title=str(conf.get("project", "")),
        issuer=str(conf.get("hoshin_issuer") or conf.get("author", "")),
        old_label=version_label(data, old),
        new_label=version_label(data, new),
        mark=REVIEW_MARK if (conf.get("hoshin_edition") or env_edition()) == REVIEW else "",
    )
    raw_columns = conf.get("hoshin_shinkyu_columns", ("old", "new"))
    columns = [str(c) for c in raw_columns] if isinstance(raw_columns, list | tuple) else []
    wide = [reason_text(r) for r in document_wide(records)]
    return render_shinkyu_latex(cmp, heading, columns, document_wide=wide, unshown=unshown)


def build_project_pdfs(
    root: Path,
    outdir: Path,
    cache: Path,
    *,
    strict: bool = False,
    jobs: int = 1,
    on_done: object = None,
    redraw: bool = False,
) -> list[PdfResult]:
    """Build every PDF of the project into ``outdir`` (stale PDFs there are removed);
    ``redraw``: see :func:`build_version_pdf`."""
    from concurrent.futures import ThreadPoolExecutor

    from hoshin.core.history import CURRENT

    require_tex()
    project_plan = plan(root, cache)
    pdfcache = cache / "pdf"

    def version(job: VersionPdf) -> PdfResult:
        # Frozen text cannot be fixed any more: --strict applies to the working draft only.
        return build_version_pdf(job, confdir=root, cachedir=pdfcache, outdir=outdir,
                                 strict=strict and job.version_id == CURRENT,
                                 redraw=redraw)  # fmt: skip

    def pair(item: tuple[str, str, str]) -> PdfResult:
        old, new, filename = item
        tex = shinkyu_tex(root, old, new, project_plan.conf)
        return build_tex_pdf(tex, name=f"shinkyu-{old}-{new}", cachedir=pdfcache,
                             outdir=outdir, filename=filename)  # fmt: skip

    results: list[PdfResult] = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(version, j) for j in project_plan.versions]
        futures += [pool.submit(pair, p) for p in project_plan.pairs]
        for future in futures:
            result = future.result()
            results.append(result)
            if callable(on_done):
                on_done(result)
    wanted = {r.filename for r in results}
    for stale in outdir.glob("*.pdf"):
        if stale.name not in wanted:
            stale.unlink()
    return results


def publish_to_site(pdfdir: Path, sitedir: Path) -> None:
    """Mirror the PDFs into the web edition (``_build/html/pdf/``) so its links work offline."""
    sitedir.mkdir(parents=True, exist_ok=True)
    wanted = {p.name: p for p in pdfdir.glob("*.pdf")}
    for stale in sitedir.glob("*.pdf"):
        if stale.name not in wanted:
            stale.unlink()
    for name, pdf in wanted.items():
        dest = sitedir / name
        if not dest.is_file() or sha256_file(dest) != sha256_file(pdf):
            _install(pdf, dest)
