"""``make bench``: build cost against plain Sphinx, incremental rebuilds, a ×100 shelf, diffs.

Each measurement is a function that returns a :class:`harness.Section` (its part of
``docs/benchmarks.md``) or raises :class:`harness.NotAvailable` when the feature it measures
has not landed; the run goes on and the section says so. Figures are medians of ``--runs``
runs after one warm-up, with their spread; comparisons are measured side by side in the
same run, alternating the two sides.

    .venv/bin/python bench/run.py                 # everything (about an hour on 2 cores)
    .venv/bin/python bench/run.py --only scale    # some measurements (comma-separated)
    .venv/bin/python bench/run.py --quick --out /tmp/b.md   # smoke test: 1 run, small sizes

Only the ``<!-- bench:NAME -->`` blocks of the output file are replaced; other sections
(for example the page-weight section of ``bench/page_weight.py``) stay as they are.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import math
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import live
import shelf as shelves
from harness import (
    REPO,
    MeasurementFailed,
    NotAvailable,
    Run,
    Section,
    Series,
    fitted_exponent,
    fmt,
    load_average,
    machine,
    merge_blocks,
    run,
)

BIN = Path(sys.executable).parent
WORK = REPO / "_build" / "bench"
DEFAULT_OUT = REPO / "docs" / "benchmarks.md"
#: The chapter the incremental and versions measurements edit (a page with no toctree).
EDITED_PAGE = "3/3-1-2.md"
#: Diagram renders are cached by content: every build of the benchmark shares one cache.
MERMAID_CACHE = WORK / ".mermaid-cache"

Side = Callable[[bool], None]


@dataclass
class Context:
    runs: int
    quick: bool
    scale_sizes: tuple[int, ...]
    long_runs: int
    results: dict[str, Any] = field(default_factory=dict)

    def log(self, message: str) -> None:
        stamp = datetime.datetime.now().strftime("%H:%M:%S")
        print(f"[{stamp} load {load_average()}] {message}", flush=True)


# --- building blocks ----------------------------------------------------------------------


def sphinx(
    srcdir: Path,
    confdir: Path,
    outdir: Path,
    *,
    jobs: int = 1,
    quiet: bool = True,
    overrides: dict[str, str] | None = None,
) -> list[str]:
    cmd = [str(BIN / "sphinx-build"), "-b", "html", "-N", "-c", str(confdir)]
    cmd += ["-d", str(outdir.parent / f".doctrees-{outdir.name}")]
    if quiet:
        cmd.append("-q")
    if jobs != 1:
        cmd += ["-j", str(jobs)]
    for key, value in (overrides or {}).items():
        cmd += ["-D", f"{key}={value}"]
    return [*cmd, str(srcdir), str(outdir)]


def clean(outdir: Path) -> None:
    shutil.rmtree(outdir, ignore_errors=True)
    shutil.rmtree(outdir.parent / f".doctrees-{outdir.name}", ignore_errors=True)


def fresh_build(
    srcdir: Path,
    confdir: Path,
    outdir: Path,
    *,
    jobs: int = 1,
    overrides: dict[str, str] | None = None,
) -> Run:
    """A full build from nothing (no doctrees, no output)."""
    clean(outdir)
    cmd = sphinx(srcdir, confdir, outdir, jobs=jobs, overrides=overrides)
    return run(cmd, what=f"sphinx-build {outdir}")


def hoshin_overrides(**extra: str) -> dict[str, str]:
    return {"hoshin_flow_cache_dir": str(MERMAID_CACHE), **extra}


def plain_conf() -> Path:
    return shelves.write_plain_conf(WORK / "plain-conf")


def pairs(ctx: Context, *sides: Side) -> None:
    """Warm up every side once (not recorded), then run them ``ctx.runs`` times, alternating.

    A side is called with ``record``: whether its figures count.
    """
    if not ctx.quick:
        for side in sides:
            side(False)
    for i in range(ctx.runs):
        for side in sides if i % 2 == 0 else tuple(reversed(sides)):
            side(True)


def ratio_series(label: str, top: Series, bottom: Series, note: str = "") -> Series:
    """Per-run ratios of two series measured in alternation."""
    ratios = Series(label, "×", note=note)
    for a, b in zip(top.values, bottom.values, strict=False):
        ratios.add(a / b)
    return ratios


def verdict(ok: bool) -> str:
    return "達成" if ok else "未達"


def page_weight(page: Path, outdir: Path) -> int:
    """Bytes of a page with the style sheets and scripts it loads from the site."""
    text = page.read_text(encoding="utf-8", errors="replace")
    total = len(text.encode())
    assets = re.findall(r'<link[^>]+rel="stylesheet"[^>]*href="([^"?#]+)', text)
    assets += re.findall(r'<script[^>]+src="([^"?#]+)', text)
    root = outdir.resolve()
    for ref in dict.fromkeys(assets):
        if re.match(r"[a-z]+:", ref):
            continue
        path = (page.parent / ref).resolve()
        if path.is_file() and root in path.parents:
            total += path.stat().st_size
    return total


#: Pages that are not part of a document: the site's own pages (weighed apart).
SITE_PAGES = {"search.html", "genindex.html", "index.html", "glossary.html", "revisions.html"}


def page_weights(outdir: Path) -> tuple[float, float, str]:
    """Median and largest weight (KB) of the documents' pages, and the largest page's name.

    The site's own pages (search, index, portal, the shared glossary) are left out: the
    glossary is weighed by :func:`glossary_weight`.
    """
    weights = []
    for page in outdir.rglob("*.html"):
        rel = page.relative_to(outdir).as_posix()
        if rel in SITE_PAGES or rel.startswith("_"):
            continue
        weights.append((page_weight(page, outdir) / 1024, rel))
    if not weights:
        return math.nan, math.nan, ""
    weights.sort()
    return weights[len(weights) // 2][0], weights[-1][0], weights[-1][1]


def glossary_weight(outdir: Path) -> float:
    page = outdir / "glossary.html"
    return page_weight(page, outdir) / 1024 if page.is_file() else math.nan


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024 / 1024


def build_side(
    series: Series,
    srcdir: Path,
    confdir: Path,
    outdir: Path,
    *,
    cpu: Series | None = None,
    rss: Series | None = None,
    jobs: int = 1,
    overrides: dict[str, str] | None = None,
) -> Side:
    """A side of :func:`pairs`: one fresh build, its wall time (and CPU time, peak memory)."""

    def side(record: bool) -> None:
        result = fresh_build(srcdir, confdir, outdir, jobs=jobs, overrides=overrides)
        if record:
            series.add(result.wall)
            if cpu is not None:
                cpu.add(result.cpu)
            if rss is not None:
                rss.add(result.maxrss_mb)

    return side


# --- 1. overhead --------------------------------------------------------------------------


def measure_overhead(ctx: Context) -> Section:
    sec = Section(
        "overhead",
        "1. 上乗せ: source/ の HTML 全体ビルド",
        target="hoshin ÷ 素の Sphinx ≤ 1.15",
    )
    out = WORK / "overhead"
    hoshin = sec.series("hoshin（conf.py）")
    base = sec.series("素の Sphinx（myst-parser + sphinx-design + furo）")
    hoshin_cpu, base_cpu = Series("hoshin の CPU 時間", "s"), Series("素の Sphinx の CPU 時間", "s")
    pairs(
        ctx,
        build_side(
            hoshin,
            REPO / "source",
            REPO,
            out / "hoshin",
            cpu=hoshin_cpu,
            overrides=hoshin_overrides(),
        ),
        build_side(base, REPO / "source", plain_conf(), out / "plain", cpu=base_cpu),
    )
    ratio = ratio_series("比（hoshin ÷ 素、経過時間）", hoshin, base)
    cpu_ratio = ratio_series("比（hoshin ÷ 素、CPU 時間）", hoshin_cpu, base_cpu)
    sec.rows += [hoshin_cpu, base_cpu, ratio, cpu_ratio]
    sec.verdict = verdict(ratio.median <= 1.15)
    sec.lines += [
        "素の Sphinx の設定は conf.py から hoshin の拡張と `hoshin_*` の値を除いたもの"
        "（`bench/shelf.py` の `write_plain_conf`）。hoshin の指令（`figure-pending`、`flow` など）は"
        "素の Sphinx では未知の指令として警告になり、中身は描かれない。"
        "図（mermaid）はキャッシュ済み（準備の実行で描画）。",
    ]
    ctx.results["overhead"] = {"ratio": ratio.median, "cpu_ratio": cpu_ratio.median}
    return sec


# --- 2. incremental -----------------------------------------------------------------------

# With CI=true (or a terminal) Sphinx rewrites one line: "\x1b[2K" + entry + "\r".
_READING = re.compile(r"(?:^|\x1b\[2K)reading sources\.\.\. \[\s*\d+%\] (?P<doc>[^\s\x1b]+)", re.M)


def reread_docs(output: str) -> list[str]:
    """Docnames of the ``reading sources...`` lines of a non-quiet sphinx-build output."""
    return sorted(dict.fromkeys(m["doc"] for m in _READING.finditer(output)))


class Editor:
    """Appends a new sentence to a page on each call, so every rebuild has a real change."""

    def __init__(self, page: Path) -> None:
        self.page = page
        self.original = page.read_text(encoding="utf-8")
        self.count = 0

    def edit(self) -> None:
        self.count += 1
        self.page.write_text(
            self.original + f"\n計測のための追記（{self.count}）。\n", encoding="utf-8"
        )

    def restore(self) -> None:
        self.page.write_text(self.original, encoding="utf-8")


def measure_incremental(ctx: Context) -> Section:
    sec = Section(
        "incremental",
        f"2. 差分ビルド: 1 章（source/{EDITED_PAGE}）を編集して再ビルド",
        target="全体ビルドの 25% 以下、読み直すのは編集した章だけ",
    )
    work = WORK / "incremental"
    src = work / "source"
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(REPO / "source", src)
    if not (src / EDITED_PAGE).is_file():
        raise NotAvailable(f"source/{EDITED_PAGE} がない")
    editor = Editor(src / EDITED_PAGE)
    full, inc = (
        sec.series("全体ビルド（hoshin）"),
        sec.series("1 章を編集した後の再ビルド（hoshin）"),
    )
    plain_full = Series("全体ビルド（素の Sphinx）", "s")
    plain_inc = Series("1 章を編集した後の再ビルド（素の Sphinx）", "s")
    reread: list[list[str]] = []
    plain = plain_conf()

    def incremental(series: Series, confdir: Path, out: Path, overrides: dict[str, str]) -> Side:
        def side(record: bool) -> None:
            editor.edit()
            cmd = sphinx(src, confdir, out, quiet=False, overrides=overrides)
            result = run(cmd, what="incremental build")
            if record:
                series.add(result.wall)
                if series is inc:
                    reread.append(reread_docs(result.output))

        return side

    fresh_build(src, REPO, work / "html", overrides=hoshin_overrides())
    fresh_build(src, plain, work / "plain-html")
    pairs(
        ctx,
        build_side(full, src, REPO, work / "full", overrides=hoshin_overrides()),
        incremental(inc, REPO, work / "html", hoshin_overrides()),
        build_side(plain_full, src, plain, work / "plain-full"),
        incremental(plain_inc, plain, work / "plain-html", {}),
    )
    share = ratio_series("比（再ビルド ÷ 全体、hoshin）", inc, full)
    plain_share = ratio_series("比（再ビルド ÷ 全体、素の Sphinx）", plain_inc, plain_full)
    sec.rows += [share, plain_full, plain_inc, plain_share]
    expected = EDITED_PAGE.removesuffix(".md")
    sets = {tuple(r) for r in reread}
    sec.verdict = verdict(share.median <= 0.25 and sets == {(expected,)})
    listed = "、".join(f"`{d}`" for d in sorted({d for r in reread for d in r})) or "なし"
    sec.lines.append(
        f"読み直した文書: {listed}（期待: `{expected}` だけ。tests/test_incremental.py が確かめる）。"
        "再ビルドの時間の大半は、どちらもプロセスの起動（Python、Sphinx と拡張の読み込み、"
        "環境の pickle の読み込み）で、文書 1 つの読み直しと書き出しは 0.2 秒ほど。"
    )
    ctx.results["incremental"] = {"share": share.median, "reread": sorted(sets)}
    if not ctx.quick:
        shelf_incremental(ctx, sec)
    return sec


def shelf_incremental(ctx: Context, sec: Section) -> None:
    """The same edit on the ×10 shelf: the rebuild stays the same size, the full build grows."""
    shelf = shelves.generate(10)
    work = WORK / "incremental-x10"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(shelf.root / "source", work / "source")
    page = "p001/3/3-1.md"
    editor = Editor(work / "source" / page)
    full = sec.series("×10 の書棚: 全体ビルド（hoshin）")
    inc = sec.series(f"×10 の書棚: 1 章（{page}）を編集した後の再ビルド（hoshin）")
    overrides = hoshin_overrides()

    def incremental(record: bool) -> None:
        editor.edit()
        result = run(sphinx(work / "source", shelf.root, work / "html", overrides=overrides))
        if record:
            inc.add(result.wall)

    fresh_build(work / "source", shelf.root, work / "html", overrides=overrides)
    pairs(
        ctx,
        build_side(full, work / "source", shelf.root, work / "full", overrides=overrides),
        incremental,
    )
    sec.rows.append(ratio_series("×10 の書棚: 比（再ビルド ÷ 全体）", inc, full))


# --- 3. versions --------------------------------------------------------------------------


def _versions_available() -> None:
    if not (REPO / "revisions" / "history.yaml").is_file():
        raise NotAvailable("revisions/history.yaml がまだない（版の機能が未着手）")
    build = (REPO / "_ext" / "hoshin" / "commands" / "build.py").read_text(encoding="utf-8")
    if not re.search(r"frozen|history|versions", build):
        raise NotAvailable("`hoshin build` が凍結版をまだ組み立てない（版のサイトが未統合）")


def project_copy(dest: Path) -> Path:
    """A copy of the project's inputs (never its _build), to build without touching the tree."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("conf.py", "source", "revisions", "glossary", "prh.yml", ".textlintrc.json"):
        path, target = REPO / name, dest / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        if path.is_dir():
            shutil.copytree(path, target)
        elif path.is_file():
            shutil.copy2(path, target)
    shelves.link_node_modules(dest)
    return dest


def measure_versions(ctx: Context) -> Section:
    _versions_available()
    sec = Section(
        "versions",
        "3. 版のサイト: source/ を編集した後の `hoshin build`（凍結版はキャッシュ）",
        target="単一版の全体ビルドの 1.3 倍以下",
    )
    project = project_copy(WORK / "versions-project")
    build = [str(BIN / "hoshin"), "-C", str(project), "build"]
    editor = Editor(project / "source" / EDITED_PAGE)
    site = sec.series("`hoshin build`（全版 + 新旧対照表、1 章を編集した後）")
    single = sec.series("単一版の全体ビルド（source/ だけ、sphinx-build）")

    def whole_site(record: bool) -> None:
        editor.edit()
        result = run(build, what="hoshin build")
        if record:
            site.add(result.wall)

    run(build, what="hoshin build (first)")
    pairs(
        ctx,
        whole_site,
        build_side(
            single,
            project / "source",
            project,
            WORK / "versions-single",
            overrides=hoshin_overrides(),
        ),
    )
    ratio = ratio_series("比（全版 ÷ 単一版）", site, single)
    sec.rows.append(ratio)
    scratch = sec.series(
        "全版をゼロから（キャッシュなし）", note="git の ref ごとに全版を作り直す方式の費用"
    )
    for _ in range(1 if ctx.quick else max(1, ctx.long_runs)):
        shutil.rmtree(project / "_build", ignore_errors=True)
        scratch.add(run(build, what="hoshin build (from scratch)").wall)
    sec.rows.append(ratio_series("比（ゼロから ÷ 単一版）", scratch, single))
    sec.verdict = verdict(ratio.median <= 1.3)
    ctx.results["versions"] = {"ratio": ratio.median, "scratch": scratch.median}
    return sec


# --- 4. scale (and 8. memory) --------------------------------------------------------------


def measure_scale(ctx: Context) -> Section:
    sec = Section(
        "scale",
        "4. 規模: 合成の書棚（本文 × N 部、ポータル付きの 1 サイト）",
        target="×100 を 60 秒以内、所要時間の指数 ≤ 1.1、×100 のページの重さ 200 KB 以内",
    )
    medians: dict[str, dict[int, float]] = {"hoshin": {}, "plain": {}}
    memory: dict[str, float] = {}
    weights: dict[str, float] = {}
    table = []
    for copies in ctx.scale_sizes:
        shelf = shelves.generate(copies)
        ctx.log(f"scale ×{copies}: {shelf.pages} pages, {shelf.characters:,} characters")
        big = copies >= 100
        out = WORK / f"scale-x{copies}"
        size = f"{shelf.pages} ページ、{shelf.characters / 10_000:.0f} 万字"
        h = sec.series(f"×{copies} hoshin", note=size)
        p = sec.series(f"×{copies} 素の Sphinx", note="時間がかかるため 1 回" if big else "")
        h_cpu, p_cpu = Series("", "s"), Series("", "s")
        h_rss, p_rss = Series("", "MB"), Series("", "MB")
        hoshin_side = build_side(
            h,
            shelf.source,
            shelf.root,
            out / "hoshin",
            cpu=h_cpu,
            rss=h_rss,
            overrides=hoshin_overrides(),
        )
        plain_side = build_side(
            p, shelf.source, shelf.plain_conf, out / "plain", cpu=p_cpu, rss=p_rss
        )
        if big:  # no warm-up; hoshin ``long_runs`` times, plain once, hoshin -j 2 once
            for i in range(ctx.long_runs):
                hoshin_side(True)
                if i == 0:
                    plain_side(True)
            parallel = sec.series(f"×{copies} hoshin `-j 2`", note="1 回")
            build_side(
                parallel,
                shelf.source,
                shelf.root,
                out / "hoshin-j2",
                jobs=2,
                overrides=hoshin_overrides(),
            )(True)
            medians["hoshin -j 2"] = {copies: parallel.median}
        else:
            pairs(ctx, hoshin_side, plain_side)
        medians["hoshin"][copies], medians["plain"][copies] = h.median, p.median
        memory[f"×{copies} hoshin"], memory[f"×{copies} 素の Sphinx"] = h_rss.high, p_rss.high
        heavy_h, heavy_p = page_weights(out / "hoshin")[1], page_weights(out / "plain")[1]
        weights[f"×{copies} hoshin"], weights[f"×{copies} 素の Sphinx"] = heavy_h, heavy_p
        table.append(
            f"| ×{copies} | {fmt(h_cpu.median, 's')} | {fmt(p_cpu.median, 's')} | "
            f"{folder_mb(out / 'hoshin'):.0f} MB | {folder_mb(out / 'plain'):.0f} MB | "
            f"{heavy_h:.0f} KB | {heavy_p:.0f} KB | {glossary_weight(out / 'hoshin'):.0f} KB |"
        )
    sizes = sorted(medians["hoshin"])
    exponent = {
        side: fitted_exponent(sizes, [medians[side][s] for s in sizes])
        if len(sizes) > 1
        else math.nan
        for side in ("hoshin", "plain")
    }
    top = max(sizes)
    heaviest = weights[f"×{top} hoshin"]
    serial = medians["hoshin"][top]
    parallel = medians.get("hoshin -j 2", {}).get(top, math.inf)
    shape_ok = exponent["hoshin"] <= 1.1 and heaviest <= 200
    if top < 100:
        sec.verdict = f"×{top} までの試行（×100 は未計測）"
    elif shape_ok and serial <= 60:
        sec.verdict = "達成"
    elif shape_ok and parallel <= 60:
        sec.verdict = (
            f"`-j 2` で達成（{fmt(parallel, 's')}）、`-j 1` では未達（{fmt(serial, 's')}）"
        )
    else:
        sec.verdict = "未達"
    sec.lines += [
        f"所要時間の指数（経過時間の両対数の最小二乗、×{'・×'.join(map(str, sizes))}）: "
        f"hoshin {exponent['hoshin']:.2f}、素の Sphinx {exponent['plain']:.2f}。",
        "",
        "| 規模 | CPU 時間 hoshin | CPU 時間 素の Sphinx | 出力 hoshin | 出力 素の Sphinx "
        "| 最も重いページ hoshin | 最も重いページ 素の Sphinx | 用語集のページ hoshin |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *table,
        "",
        "ページの重さ = HTML と、そのページが読み込むサイト内の CSS・JavaScript の合計"
        "（文書のページのうち最大のもの。検索・索引・ポータル・用語集は除く）。"
        "用語集は書棚に 1 つで、ポータルの下に置く。",
        "書棚は `bench/shelf.py` が作る: `source/` の各章を 1 ページにまとめた文書を N 部、"
        "ラベルは文書ごとに一意、表紙の題に番号、ポータルの目次から全文書へ。"
        'hoshin 側は `hoshin_navigation = "document"`（サイドバーにはその文書の目次とポータルへのリンク）、'
        "素の Sphinx 側は furo の既定（全文書の目次を全ページに）。",
    ]
    ctx.results["scale"] = {
        "medians": medians,
        "exponent": exponent,
        "memory_mb": memory,
        "weights_kb": weights,
    }
    return sec


def measure_memory(ctx: Context) -> Section:
    scale = ctx.results.get("scale")
    if not scale:
        raise NotAvailable("規模の計測（scale）と一緒に実行すること")
    memory: dict[str, float] = scale["memory_mb"]
    top = max(int(label.split()[0][1:]) for label in memory)
    sec = Section("memory", f"8. ×{top} のビルドの最大メモリ", target="2 GB 未満")
    for label, mb in memory.items():
        if label.startswith(f"×{top} "):
            sec.rows.append(Series(f"{label}（最大常駐メモリ）", "MB", [mb]))
    sec.verdict = verdict(memory[f"×{top} hoshin"] < 2048)
    sec.lines.append("`os.wait4` が返す sphinx-build プロセスの ru_maxrss（`-j 1`、全体ビルド）。")
    return sec


# --- 5. diff ------------------------------------------------------------------------------


def diff_project(copies: int) -> tuple[Path, int, int, int]:
    """A shelf project whose version ``v1`` is the shelf and whose draft has 1% of it edited.

    Returns the project folder, the number of files, characters and edited lines.
    """
    project = WORK / f"diff-project-x{copies}"
    shutil.rmtree(project, ignore_errors=True)
    old_pages = shelves.shelf_pages(REPO / "source", copies)
    new_pages, edited = shelves.edit_pages(old_pages, 0.01)
    shelves.write_pages(old_pages, project / "source")
    shelves.write_hoshin_conf(project, f"書棚 ×{copies}")
    (project / "revisions").mkdir()
    (project / "revisions" / "history.yaml").write_text("versions: []\n", encoding="utf-8")
    run(
        [str(BIN / "hoshin"), "-C", str(project), "freeze", "v1", "--date", "2026-01"],
        what="hoshin freeze",
    )
    shelves.write_pages(new_pages, project / "source")
    return project, len(old_pages), sum(len(t) for t in old_pages.values()), edited


def measure_diff(ctx: Context) -> Section:
    copies = 2 if ctx.quick else 100
    sec = Section(
        "diff",
        f"5. 差分: ×{copies} の書棚の 2 版（ブロックの 1% を編集）",
        target="1 秒以内（プロセスの起動込み）",
    )
    probe = run([str(BIN / "hoshin"), "freeze", "--help"], check=False)
    if probe.returncode != 0 or importlib.util.find_spec("hoshin.revisions.diff") is None:
        raise NotAvailable("`hoshin freeze` / `hoshin diff` がまだない")
    project, files, chars, edited = diff_project(copies)
    ours = sec.series("`hoshin diff v1 current --format json`（凍結版と作業中の原稿）")
    ours_cpu = Series("同 CPU 時間", "s")
    cold = Series("同、読み取りのキャッシュなし（`_build/.cache` を消した直後）", "s")
    git = sec.series("`git diff --no-index --word-diff-regex=.`（同じ 2 つのフォルダ）")
    hoshin_cmd = [str(BIN / "hoshin"), "-C", str(project), "diff", "v1", "current"]
    hoshin_cmd += ["--format", "json", "-o", str(WORK / "diff.json")]
    git_cmd = ["git", "diff", "--no-index", "--word-diff-regex=.", "revisions/v1/source", "source"]

    def hoshin_side(record: bool) -> None:
        result = run(hoshin_cmd, cwd=project, what="hoshin diff")
        if record:
            ours.add(result.wall)
            ours_cpu.add(result.cpu)

    def cold_side(record: bool) -> None:
        shutil.rmtree(project / "_build" / ".cache", ignore_errors=True)
        result = run(hoshin_cmd, cwd=project, what="hoshin diff (no scan cache)")
        if record:
            cold.add(result.wall)

    def git_side(record: bool) -> None:
        result = run(git_cmd, cwd=project, check=False)
        if record:
            git.add(result.wall)

    pairs(ctx, cold_side, hoshin_side, git_side)
    sec.rows.insert(sec.rows.index(ours) + 1, ours_cpu)
    sec.rows.insert(sec.rows.index(ours_cpu) + 1, cold)
    sec.rows.append(ratio_series("比（hoshin ÷ git、経過時間）", ours, git))
    changes = json.loads((WORK / "diff.json").read_text(encoding="utf-8"))["changes"]
    sec.lines.append(
        f"{files} ファイル、{chars:,} 字、編集した行 {edited}（`bench/shelf.py` の `edit_pages`）、"
        f"見つかった変更 {len(changes)}。hoshin は凍結版の検証（SHA-256）と改版記録との照合も含む。"
    )
    sec.lines.append(
        "`hoshin freeze` が凍結した版の原稿を読み取っておき（`_build/.cache/hoshin-scans.pickle`）、"
        "`hoshin diff` は内容が同じファイルの読み取りを省く。キャッシュなしの行は、"
        "それを消した直後（clone 直後など）の初回の費用。"
    )
    sec.verdict = verdict(ours.median <= 1.0)
    ctx.results["diff"] = {"seconds": ours.median, "cpu": ours_cpu.median, "git": git.median}
    return sec


# --- 6. warm rebuild ----------------------------------------------------------------------

SPAWN_HOOK = '''"""bench/run.py: log every program a Python process starts (audit hook)."""
import os
import sys

_log = os.environ.get("HOSHIN_BENCH_SPAWN_LOG")
if _log:
    def _hoshin_bench_hook(event, args):
        if event == "subprocess.Popen":
            argv = args[1]
            words = os.fsdecode(argv).split() if isinstance(argv, (str, bytes)) else [
                os.fsdecode(a) for a in (argv or [args[0]])
            ]
            line = " ".join([os.path.basename(words[0]), *words[1:]]).replace("\\n", " ")
            with open(_log, "a", encoding="utf-8") as f:
                f.write(line + "\\n")
    sys.addaudithook(_hoshin_bench_hook)
'''
HEAVY_TOOLS = (
    "chromium",
    "mmdc",
    "uplatex",
    "platex",
    "latexmk",
    "lualatex",
    "xelatex",
    "dvipdfmx",
    "soffice",
)


def measure_warm(ctx: Context) -> Section:
    sec = Section(
        "warm",
        "6. 変更なしの `make site`",
        target="chromium と LaTeX を起動せず、Python の起動を除いて 2 秒未満",
    )
    # A copy of the project, so that other work on the tree cannot change what is rebuilt;
    # make runs its own set-up checks in the repository, then hoshin on the copy.
    project = project_copy(WORK / "warm-project")
    hook_dir = WORK / "spawn-hook"
    hook_dir.mkdir(parents=True, exist_ok=True)
    (hook_dir / "sitecustomize.py").write_text(SPAWN_HOOK, encoding="utf-8")
    log = WORK / "spawned.txt"
    env = {"PYTHONPATH": str(hook_dir), "HOSHIN_BENCH_SPAWN_LOG": str(log)}
    make = ["make", "-C", str(REPO), "--no-print-directory", "site"]
    make.append(f"HOSHIN={BIN / 'hoshin'} -C {project}")
    run(make, env=env, what="make site (first)")
    site = sec.series("`make site`（変更なし）")
    python = sec.series("Python の起動（`python -c pass`）")
    spawned: list[list[str]] = []

    def warm_site(record: bool) -> None:
        log.unlink(missing_ok=True)
        result = run(make, env=env, what="make site")
        if record:
            site.add(result.wall)
            lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
            spawned.append([line for line in lines if "--version" not in line.split()])

    def python_start(record: bool) -> None:
        result = run([str(BIN / "python"), "-c", "pass"])
        if record:
            python.add(result.wall)

    pairs(ctx, warm_site, python_start)
    above = Series("差（make site − Python の起動）", "s")
    for a, b in zip(site.values, python.values, strict=False):
        above.add(a - b)
    sec.rows.append(above)
    names = [[line.split()[0] for line in lines] for lines in spawned]
    heavy = [sorted({t for t in tools if t.startswith(HEAVY_TOOLS)}) for tools in names]
    tools = "、".join(f"`{t}`" for t in sorted({t for run_ in names for t in run_})) or "なし"
    sec.lines.append(
        f"起動された外部プログラム（Python から起動したもの、監査フックで記録、"
        f"`--version` の問い合わせは除く）: {tools}。"
        f"chromium・LaTeX を起動した回: {sum(1 for h in heavy if h)} / {len(heavy)}。"
        "計測はプロジェクトの写し（`_build/bench/warm-project`）に対して行う。"
    )
    sec.verdict = verdict(above.median < 2.0 and not any(heavy))
    ctx.results["warm"] = {"above_python": above.median, "heavy": heavy}
    return sec


# --- 7. parallel --------------------------------------------------------------------------


def measure_parallel(ctx: Context) -> Section:
    sec = Section(
        "parallel",
        "7. 並列ビルド: `-j 2` と `-j 1`",
        target="`-j 2` が動き、出力が `-j 1` と同じ（tests/test_parallel.py）",
    )
    targets = [("source/", "source", REPO / "source", REPO)]
    if not ctx.quick:
        shelf = shelves.generate(10)
        targets.append(("×10 の書棚", "shelf-x10", shelf.source, shelf.root))
    for label, key, src, confdir in targets:
        one, two = sec.series(f"{label} `-j 1`"), sec.series(f"{label} `-j 2`")
        out = WORK / "parallel" / key
        pairs(
            ctx,
            build_side(one, src, confdir, out / "j1", overrides=hoshin_overrides()),
            build_side(two, src, confdir, out / "j2", jobs=2, overrides=hoshin_overrides()),
        )
        sec.rows.append(ratio_series(f"{label} 速度比（-j 1 ÷ -j 2）", one, two))
    sec.verdict = "動作（速度比は上の表）"
    return sec


# --- before/after of hoshin's own fixes -----------------------------------------------------


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2] if values else math.nan


def measure_fixes(ctx: Context) -> Section:
    """The changes this benchmark led to, each with figures before and after, side by side."""
    sec = Section("fixes", "改善の記録（hoshin 側の変更と前後の実測）")
    rows: list[tuple[str, str, str, str]] = []
    cmd = [str(BIN / "python"), str(REPO / "bench" / "micro.py"), "--runs", str(ctx.runs)]
    diff_projects = sorted(
        WORK.glob("diff-project-x*"), key=lambda p: int(p.name.rsplit("x", 1)[1])
    )
    if diff_projects:
        cmd += ["--diff-project", str(diff_projects[-1])]
    micro = run(cmd, what="micro")
    figures = json.loads(micro.output.strip().splitlines()[-1])
    nav = figures["navigation"]
    before, after = _median(nav["before"]), _median(nav["after"])
    rows.append(
        (
            f"サイドバーの目次（source/ の全 {nav['pages']} ページ分）: 目次を各文書の見出しまで写してから"
            "題だけに削るのをやめ、題だけの目次から組み立てる。furo の BeautifulSoup による加工を"
            "同じ出力の文字列処理に置き換える（`hoshin/navigation.py`）",
            fmt(before, "s"),
            fmt(after, "s"),
            f"{before / after:.1f} 倍速",
        )
    )
    yaml_figures = figures["yaml"]
    before, after = _median(yaml_figures["before"]), _median(yaml_figures["after"])
    rows.append(
        (
            f"YAML の読み込み（プロジェクトの {yaml_figures['files']} ファイル）: PyYAML の Python 版の"
            "構文解析から libyaml へ（`hoshin/yamlio.py`、位置情報はそのまま）",
            fmt(before, "s"),
            fmt(after, "s"),
            f"{before / after:.1f} 倍速",
        )
    )
    if "scan" in figures:
        scan = figures["scan"]
        before, after = _median(scan["before"]), _median(scan["after"])
        rows.append(
            (
                f"`hoshin diff` と改版の注記: 2 つの版の読み込み（{scan['files']} ファイルずつ）で、"
                "両方に共通のファイルを 1 回だけ解析する（`commands/diff.py`、`revstate.py`）",
                fmt(before, "s"),
                fmt(after, "s"),
                f"{before / after:.1f} 倍速",
            )
        )
    sizes = (2,) if ctx.quick else (10, 100)
    for copies in sizes:
        shelf = shelves.generate(copies)
        out = WORK / f"navigation-x{copies}"
        row: dict[str, float] = {}
        for scope in ("site", "document"):
            result = fresh_build(
                shelf.source,
                shelf.root,
                out / scope,
                overrides=hoshin_overrides(hoshin_navigation=scope),
            )
            row[scope] = result.wall
            row[f"{scope}_cpu"] = result.cpu
            row[f"{scope}_kb"] = page_weights(out / scope)[1]
            row[f"{scope}_mb"] = folder_mb(out / scope)
        label = (
            f'×{copies} の書棚、`hoshin_navigation = "document"`（サイドバーはその文書の目次だけ）'
        )
        rows.append(
            (
                f"{label}: ビルドの経過時間（CPU 時間）",
                f"{fmt(row['site'], 's')}（{fmt(row['site_cpu'], 's')}）",
                f"{fmt(row['document'], 's')}（{fmt(row['document_cpu'], 's')}）",
                f"{row['site'] / row['document']:.1f} 倍速",
            )
        )
        rows.append(
            (
                "同: 最も重いページ / 出力の合計",
                f"{row['site_kb']:.0f} KB / {row['site_mb']:.0f} MB",
                f"{row['document_kb']:.0f} KB / {row['document_mb']:.0f} MB",
                "",
            )
        )
        ctx.results.setdefault("navigation", {})[copies] = row
    sec.lines += [
        "前後とも同じ実行の中で交互に計測した（目次とYAMLは中央値、書棚は各 1 回）。",
        "",
        "| 変更 | 前 | 後 | 効果 |",
        "|---|---:|---:|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
    ]
    return sec


# --- the document -------------------------------------------------------------------------

MEASUREMENTS: dict[str, Callable[[Context], Section]] = {
    "overhead": measure_overhead,
    "incremental": measure_incremental,
    "versions": measure_versions,
    "scale": measure_scale,
    "diff": measure_diff,
    "warm": measure_warm,
    "parallel": measure_parallel,
    "memory": measure_memory,
    "preview": live.measure_preview,
    "deliverables": live.measure_deliverables,
    "footprint": live.measure_footprint,
    "npm": live.measure_npm,
    "fresh": live.measure_fresh,
    "fixes": measure_fixes,
}
TITLES = {
    "overhead": "1. 上乗せ",
    "incremental": "2. 差分ビルド",
    "versions": "3. 版のサイト",
    "scale": "4. 規模",
    "diff": "5. 差分",
    "warm": "6. 変更なしの再ビルド",
    "parallel": "7. 並列ビルド",
    "memory": "8. 最大メモリ",
    "preview": "9. 保存からプレビューまで",
    "deliverables": "10. 1 章の編集から成果物一式",
    "footprint": "11. 最大メモリと素の Sphinx との比",
    "npm": "12. npm の導入",
    "fresh": "13. 新しい clone",
    "fixes": "改善の記録",
}
BLOCK_ORDER = ["intro", "summary", "machine", *MEASUREMENTS, "notes"]

#: What the profiles showed (cProfile and ``bench/phases.py``), kept with every run's figures.
NOTES = """\
### 所見（プロファイルから）

- **目次**: 素の Sphinx と furo では、各ページが全ページの目次を持つため、ビルド時間と出力が
  書棚の大きさの 2 乗で増える（×100 で 1 ページ 344 KB、出力 175 MB）。hoshin は
  `hoshin_navigation = "document"` でその文書の目次だけにし、目次の組み立ても
  題だけの目次から行うので、ページの重さは ×1 から ×100 まで変わらない。
- **×100 の残りの時間**: 大半は Sphinx・MyST・docutils 自身の処理（MyST の解析、変換、
  HTML の書き出し、検索索引）。hoshin 自身の処理は 2 割ほどで、内訳は未説明語の検査
  （`source-read`）と用語のリンク付けがそれぞれ約 5%、検索用の 2 文字区切りと索引への登録が約 5%、
  目次が約 3%。2 コアの機械では `-j 2` の効果は小さい（読み込みの並列化はフォークと
  doctree の受け渡しで相殺される）。
- **差分ビルド**: 1 章を直したときの再ビルドは、読み直し・書き出しよりも
  プロセスの起動（Python、Sphinx と拡張の読み込み、環境の読み込み）が大半を占める。
  素の Sphinx でも同じ比は 0.4 前後で、25% は全体ビルドが数秒の原稿では届かない。
  書棚 ×10 のように全体ビルドが長くなれば比は下がる。
- **用語集のページ**: 「この用語が出てくる箇所」は、用語集には件数と各用語の一覧ページ
  （`glossary-uses/<用語>.html`）へのリンクだけを置くので、用語集の重さは書棚の大きさに
  よらない（以前は逆引きを並べて ×100 で約 2 MB）。
- **保存からプレビューまで（9.）**: Sphinx をメモリーに保持しても、保存のたびに約 130 の
  用語の一覧ページと新旧対照表のページを組み直し、用語集と意見の .xlsx/.docx を書き直して
  いた（原稿の大きさで 1 回 2〜5 秒）。いまは、生成ページは入力（ページの中身、設定、
  テンプレート、CSS・JS、サイトの目次）の要約が前回と同じでファイルもそのままなら書き出さず
  （`hoshin.core.extrapages`）、用語集はどの用語をどのページが使うかが変わったときだけ、
  意見のファイルは表が変わったときだけ書き直す。目次の外のページ（用語の一覧、新旧対照表、
  索引）のサイドバーはフォルダーごとに 1 回だけ組み立てる。1 文を足した保存では、読み直しは
  その章だけ、書き出しはその章と親の目次、索引と検索のページ、新旧対照表 3 ページ。
  プロセスの中の 1 回の再ビルドは CPU 約 0.2 秒。
- **成果物一式（10.）**: 各コマンドの所要時間を記録して調べた（静かなときの目安）。公開版:
  CLI の起動 0.3 秒 → HTML の差分ビルド 1.7 秒 → オフィス用ファイル 0.7 秒 → PDF（作業中の
  原稿の LaTeX 用 Sphinx ビルド 2.3 秒 → latexmk 1.5 秒、並行して新旧対照表の upLaTeX 4 回
  約 2 秒）。続いて審議用の版の HTML 2.3 秒。以前は HTML のビルドごとに用語の一覧ページ
  約 130 を組み直していた（1 回約 1 秒）。`make site` は審議用の版を公開版と同時に作る
  （公開版の HTML とオフィスの段階は 1 コアしか使わない）。
- **メモリ（11.）**: 残りの大半は Sudachi の辞書（202 MB のファイルの mmap）。より小さい
  `sudachidict_small`（115 MB）は結果が変わるので採用しない: 必要性・効率化・標準化などを
  1 語として持たないため、この方針で未説明語の警告が 63 件増え（「〜化」「〜性」を新語と
  みなす）、検索用の語の区切り（searchtext.js）と新旧対照表 1 ページの語の区切りも変わる。
  代わりに解析結果を `_build/.cache/sudachi.sqlite` に残し、前に解析した文章では辞書を
  読み込まない（出力と警告は同じ: tests/test_sudachi_store.py）。保存を消した直後の
  ビルドは従来どおり 262 MB。
- **経過時間の比（11.）**: 1.77 倍から 1.08 倍前後まで縮めた（9 回の中央値。範囲は 1.02〜1.16
  倍で、目標との差は計測のばらつきと同じくらい）。同じものを描くページ（用語集・改版履歴・
  意見と対応の 3 ページを両方から除いた「本文のページだけ」）では 0.95〜1.06 倍: サイドバーの
  組み立て（フォルダーごとに 1 回、ページごとは印を付けるだけ）と検索語の区切り（2 文字ずつ、
  素の Sphinx は TinySegmenter）が素の Sphinx より速く、hoshin の各処理を相殺する。残りの差は、
  素の Sphinx が知らない指令の中身（doctree の節点は hoshin が約 4.3 倍: 用語集 133 語の
  ページ、改版履歴と改訂箇所の表、意見と対応の表、図）と拡張の読み込み（hoshin の約 90 の
  モジュール、大半は dataclass と正規表現の用意）。
  この回に縮めたもの（同じ機械で交互に計測、CPU 時間の目安）: hoshin のモジュールのバイトコード
  （編集可能で入れた hoshin は誰もコンパイルせず、PYTHONDONTWRITEBYTECODE のこの機械では
  ビルドのたびに 93 のモジュールをコンパイルしていた。約 0.1 秒。`make setup` が
  `compileall` する）、意見の .xlsx/.docx を同じ入力ならキャッシュから写す（約 0.35 秒、
  `hoshin.core.outcache`、`hoshin build --office` も同じキャッシュを使う）、furo のサイドバーを
  フォルダーごとに 1 回だけ解決して各ページでは現在のページの印だけを付ける（約 0.25 秒、
  Sphinx の出力と同じ文字列であることを試験で確かめる）、ページの検索語の区切り・未説明語の
  検査・凍結版の用語集の読み込みを解析の保存に 1 件として残す（約 0.2 秒）、1 ページにだけ
  出てくる用語は用語集からそのページへ直接リンクし、出てくる箇所のページを作らない（71 ページ、
  約 0.1 秒）、残る出てくる箇所のページは 2 ページを Sphinx が描いた後、題と一覧を差し替えて
  書く（約 0.08 秒、`render_alike`、Sphinx の描く結果と同じバイト列であることを試験で確かめる）。
  1. の 1.06 倍は 2026-11-28 の計測で、用語の一覧ページ、意見、凍結版の検証などが入る前の値
  （素の Sphinx の設定は同じ `write_plain_conf`）。issue の 1.22 倍は別の素の設定でその間に
  測ったもので、ここでは再現していない。
"""

INTRO = """\
## ビルドの時間と規模（`make bench`）

hoshin のビルドにかかる時間と資源を、同じ原稿を素の Sphinx（myst-parser と同じテーマ）で
ビルドした場合と並べて計測した結果です。`make bench`（`bench/run.py`）が書き出します。
各項目は準備の実行 1 回の後に複数回計測し、中央値と範囲（最小 – 最大）を示します。
比は同じ実行の中で両者を交互に計測して求めています。
"""


def machine_block(info: dict[str, str], started: str, loads: list[str]) -> str:
    lines = ["### 計測環境", "", "| 項目 | 値 |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in info.items()]
    lines += [
        f"| 計測日時 | {started} |",
        f"| 負荷（1/5/15 分平均、開始 → 終了） | {' → '.join(loads)} |",
    ]
    lines += [
        "",
        "同じ機械で他の作業が動くと経過時間は伸びます。CPU 時間はその影響をほとんど受けません"
        "（静かな機械では経過時間とほぼ同じ値になります）。日時と負荷は最後の実行のもので、"
        "`--only` で一部だけ計測し直した場合、ほかの節は前の実行の値のままです。",
    ]
    return "\n".join(lines) + "\n"


_SECTION_TITLE = re.compile(
    r"<!-- bench:(?P<name>\w+) -->\n### (?P<title>[^\n]+)\n(?P<body>.*?)<!-- /bench:", re.S
)
_TARGET = re.compile(r"^目標: (?P<target>.+?)(?: — \*\*(?P<verdict>[^*]+)\*\*)?$", re.M)


def summary_block(document: str) -> str:
    """The list of targets and verdicts, read back from the measurement blocks of the document."""
    lines = ["### 結果の一覧", "", "| 計測 | 目標 | 結果 |", "|---|---|---|"]
    for match in _SECTION_TITLE.finditer(document):
        if match["name"] not in MEASUREMENTS:
            continue
        target = _TARGET.search(match["body"])
        if target:
            lines.append(
                f"| {TITLES[match['name']]} | {target['target']} | {target['verdict'] or '—'} |"
            )
        elif "未計測" in match["body"] or "失敗" in match["body"]:
            lines.append(
                f"| {TITLES[match['name']]} | — | {match['body'].strip().splitlines()[0]} |"
            )
    return "\n".join(lines) + "\n"


def write_document(path: Path, blocks: dict[str, str]) -> None:
    document = path.read_text(encoding="utf-8") if path.exists() else ""
    if not re.search(r"^# ", document, re.M):
        document = "# ベンチマーク\n\n" + document
    elif not document.endswith("\n"):
        document += "\n"
    if "<!-- bench:intro -->" not in document:
        blocks = {"intro": INTRO, **blocks}
    document = merge_blocks(document, blocks, BLOCK_ORDER)
    document = merge_blocks(document, {"summary": summary_block(document)}, BLOCK_ORDER)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="smoke test: 1 run, small sizes, no warm-up"
    )
    parser.add_argument(
        "--only", default="", help="comma-separated measurements: " + ", ".join(MEASUREMENTS)
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="runs per figure after the warm-up (default 5)"
    )
    parser.add_argument(
        "--long-runs", type=int, default=3, help="runs of the ×100 hoshin build (default 3)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Markdown file to update")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()] or list(MEASUREMENTS)
    unknown = [n for n in names if n not in MEASUREMENTS]
    if unknown:
        parser.error(f"unknown measurement(s): {', '.join(unknown)}")
    if "memory" in names and "scale" not in names:
        names.insert(names.index("memory"), "scale")
    ctx = Context(
        runs=1 if args.quick else max(1, args.runs),
        quick=args.quick,
        scale_sizes=(1, 2) if args.quick else (1, 10, 100),
        long_runs=1 if args.quick else max(1, args.long_runs),
    )
    started = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    loads = [load_average()]
    info = machine()
    WORK.mkdir(parents=True, exist_ok=True)
    blocks: dict[str, str] = {}
    verdicts: dict[str, str] = {}
    for name in names:
        ctx.log(f"{name} …")
        t0 = time.perf_counter()
        try:
            sec = MEASUREMENTS[name](ctx)
        except NotAvailable as exc:
            blocks[name] = f"### {TITLES[name]}\n\n未計測（まだ使えない: {exc}）\n"
            verdicts[name] = f"未計測: {exc}"
        except MeasurementFailed as exc:
            print(exc.output, file=sys.stderr)
            blocks[name] = f"### {TITLES[name]}\n\n失敗: {exc}\n"
            verdicts[name] = f"失敗: {exc}"
        else:
            blocks[name] = sec.markdown()
            verdicts[name] = sec.verdict or "—"
        ctx.log(f"{name}: {time.perf_counter() - t0:.0f} s, {verdicts[name]}")
        # Written after every measurement: a long run that stops keeps what it measured.
        blocks["machine"] = machine_block(info, started, [*loads, load_average()])
        blocks["notes"] = NOTES
        write_document(args.out, dict(blocks))
        (WORK / "results.json").write_text(
            json.dumps(ctx.results, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
        )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
