"""Issue 19's measurements: save → preview, one edit → every deliverable, memory, npm.

Called from ``bench/run.py`` (``--only preview,deliverables,footprint,npm``); each returns a
:class:`harness.Section`. Every figure comes from child processes timed from outside.
"""

from __future__ import annotations

import http.client
import itertools
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import shelf as shelves
from harness import REPO, NotAvailable, Section, Series, fmt, run

BIN = Path(sys.executable).parent
WORK = REPO / "_build" / "bench"
#: Numbers of the sentences the saves append.
_SAVES = itertools.count(1)
#: How often the served page is fetched while waiting for the new sentence.
POLL = 0.01


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, http.client.HTTPException):
        return None  # not serving yet, or a page cut short while it is written again


class LivePreview:
    """A running preview server (``hoshin serve`` or ``sphinx-autobuild``) and the page it
    serves; :meth:`save` appends a sentence and waits until the served page shows it."""

    def __init__(self, label: str, cmd: list[str], page: Path, url_path: str, log: Path) -> None:
        self.label, self.page, self.log = label, page, log
        self.port = _free_port()
        self.cmd = [part.replace("{port}", str(self.port)) for part in cmd]
        self.url = f"http://127.0.0.1:{self.port}/{url_path}"
        self.original = page.read_text(encoding="utf-8")
        self.count = 0
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 1800) -> float:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        sink = open(self.log, "wb")  # noqa: SIM115 - closed with the process
        start = time.perf_counter()
        self.proc = subprocess.Popen(self.cmd, cwd=REPO, stdout=sink, stderr=subprocess.STDOUT)
        while _get(self.url) is None:
            if self.proc.poll() is not None or time.perf_counter() - start > timeout:
                raise NotAvailable(f"{self.label} did not start (see {self.log})")
            time.sleep(0.1)
        return time.perf_counter() - start

    def save(self, timeout: float = 600) -> float:
        self.count += 1
        # unique in the whole run: a sentence an earlier save left would be "shown" at once
        sentence = f"保存から表示までの計測（{next(_SAVES)}）。"
        time.sleep(1.0)  # let the previous rebuild settle; a new mtime for the page
        self.page.write_text(self.original + f"\n{sentence}\n", encoding="utf-8")
        start = time.perf_counter()
        while True:
            body = _get(self.url)
            if body is not None and sentence in body:
                return time.perf_counter() - start
            if time.perf_counter() - start > timeout:
                raise NotAvailable(f"{self.label}: the page never showed the new sentence")
            time.sleep(POLL)

    def stop(self) -> None:
        self.page.write_text(self.original, encoding="utf-8")
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _hoshin_serve(root: Path) -> list[str]:
    return [str(BIN / "hoshin"), "-C", str(root), "serve", "--no-lint", "--port", "{port}"]


def _autobuild(src: Path, confdir: Path, out: Path, overrides: dict[str, str]) -> list[str]:
    """``sphinx-autobuild`` as the previous ``hoshin serve`` ran it (a process per save)."""
    cmd = [str(BIN / "sphinx-autobuild"), "--host", "127.0.0.1", "--port", "{port}"]
    cmd += ["-c", str(confdir), "-d", str(out.parent / f".doctrees-{out.name}")]
    for key, value in overrides.items():
        cmd += ["-D", f"{key}={value}"]
    return [*cmd, str(src), str(out)]


def _project(dest: Path, source: Path, conf_root: Path) -> Path:
    """A project folder: ``conf.py`` (and data) of ``conf_root``, pages of ``source``."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for name in ("conf.py", "glossary", "revisions", "prh.yml", ".textlintrc.json"):
        path = conf_root / name
        if path.is_dir():
            shutil.copytree(path, dest / name)
        elif path.is_file():
            shutil.copy2(path, dest / name)
    shutil.copytree(source, dest / "source")
    shelves.link_node_modules(dest)
    return dest


def measure_preview(ctx: Any) -> Section:
    sec = Section(
        "preview",
        "9. 保存からプレビューまで: 1 章に 1 文を足して保存し、表示中のページに出るまで",
        target="原稿の大きさで中央値 ≤ 0.5 秒、×10 の書棚で ≤ 1 秒",
    )
    if shutil.which(str(BIN / "sphinx-autobuild")) is None:
        raise NotAvailable("sphinx-autobuild が venv にない")
    plain_conf = shelves.write_plain_conf(WORK / "plain-conf")
    overrides = {"hoshin_flow_cache_dir": str(WORK / ".mermaid-cache")}
    runs = ctx.runs
    groups: list[tuple[str, list[LivePreview]]] = []
    seed = _project(WORK / "preview-seed", REPO / "source", REPO)
    page, url = seed / "source" / "3" / "3-1-2.md", "3/3-1-2.html"
    # its own copy: two servers watching one folder would both rebuild on every save
    auto = _project(WORK / "preview-seed-autobuild", REPO / "source", REPO)
    plain_seed = WORK / "preview-seed-plain"
    shutil.rmtree(plain_seed, ignore_errors=True)
    shutil.copytree(REPO / "source", plain_seed / "source")
    groups.append(
        (
            "原稿（source/）",
            [
                LivePreview("hoshin serve（Sphinx をメモリーに保持）", _hoshin_serve(seed), page,
                            url, WORK / "preview-logs" / "seed-hoshin.log"),
                LivePreview("前の hoshin serve（sphinx-autobuild + hoshin の conf.py）",
                            _autobuild(auto / "source", auto, auto / "_build" / "autobuild",
                                       overrides),
                            auto / "source" / "3" / "3-1-2.md", url,
                            WORK / "preview-logs" / "seed-autobuild.log"),
                LivePreview("素の sphinx-autobuild（myst-parser + sphinx-design + furo）",
                            _autobuild(plain_seed / "source", plain_conf,
                                       plain_seed / "_build" / "html", {}),
                            plain_seed / "source" / "3" / "3-1-2.md", url,
                            WORK / "preview-logs" / "seed-plain.log"),
            ],
        )
    )  # fmt: skip
    sizes = (2,) if ctx.quick else (10, 100)
    for copies in sizes:
        shelf = shelves.generate(copies)
        proj = _project(WORK / f"preview-x{copies}", shelf.source, shelf.root)
        page = proj / "source" / "p001" / "3" / "3-1.md"
        url = "p001/3/3-1.html"
        previews = [
            LivePreview(f"×{copies} hoshin serve", _hoshin_serve(proj), page, url,
                        WORK / "preview-logs" / f"x{copies}-hoshin.log"),
        ]  # fmt: skip
        if copies < 100:  # plain Sphinx takes minutes per rebuild at ×100 (every page's toc)
            plain = WORK / f"preview-x{copies}-plain"
            shutil.rmtree(plain, ignore_errors=True)
            shutil.copytree(shelf.source, plain / "source")
            previews.append(
                LivePreview(f"×{copies} 素の sphinx-autobuild",
                            _autobuild(plain / "source", shelf.plain_conf,
                                       plain / "_build" / "html", {}),
                            plain / "source" / "p001" / "3" / "3-1.md", url,
                            WORK / "preview-logs" / f"x{copies}-plain.log")
            )  # fmt: skip
        groups.append((f"×{copies} の書棚", previews))
    starts: list[str] = []
    for _, previews in groups:
        series = {p.label: sec.series(p.label) for p in previews}
        try:
            for p in previews:
                starts.append(f"{p.label} {fmt(p.start(), 's')}")
                ctx.log(f"preview: {p.label} serving")
            if not ctx.quick:
                for p in previews:
                    p.save()  # warm-up
            for i in range(runs):
                for p in previews if i % 2 == 0 else list(reversed(previews)):
                    series[p.label].add(p.save())
        finally:
            for p in previews:
                p.stop()
    sec.lines += [
        "方法: 各サーバーを起動して最初のビルドを待ち、章（原稿は `3/3-1-2.md`、書棚は "
        "`p001/3/3-1.md`）の末尾に毎回違う 1 文を書き足して保存し、そのページを 10 ミリ秒ごとに"
        "取得して新しい文が現れるまでの時間（保存の直後から）。準備の保存 1 回の後、"
        f"{runs} 回を交互に計測。サーバーは同時に起動しておき、保存は 1 つずつ。"
        "`hoshin serve` は `--no-lint`（textlint を入れた原稿では既定で lint も走る）。",
        "最初のビルド（起動から最初のページが出るまで）: " + "、".join(starts) + "。",
    ]
    seed_median = sec.rows[0].median
    x10 = next((s for s in sec.rows if s.label.startswith("×10 hoshin")), None)
    ok = seed_median <= 0.5 and (x10 is None or x10.median <= 1.0)
    sec.verdict = "達成" if ok else "未達"
    ctx.results["preview"] = {s.label: s.median for s in sec.rows}
    return sec


# --- one edit → every deliverable -----------------------------------------------------------


def measure_deliverables(ctx: Any) -> Section:
    sec = Section(
        "deliverables",
        "10. 1 章を編集した後の成果物一式（`make site` と同じ 2 つの `hoshin build`）",
        target="≤ 8 秒",
    )
    from run import project_copy  # the same copy as the other site measurements

    project = project_copy(WORK / "deliverables-project")
    page = project / "source" / "3" / "3-1-2.md"
    original = page.read_text(encoding="utf-8")
    hoshin = [str(BIN / "hoshin"), "-C", str(project), "build"]
    # side → (-j options, whether the review edition is built beside the public one)
    sides = {
        "前: 2 つを順に（PDF は並行）": ([], False),
        "後: `make site`（審議用の版を同時に）": ([], True),
    }
    series = {label: sec.series(label) for label in sides}
    typeset: dict[str, str] = {}
    run([*hoshin, "--pdf", "--office"], what="hoshin build --pdf --office (first)")
    run([*hoshin, "--review"], what="hoshin build --review (first)")
    count = 0

    def one(label: str, record: bool) -> None:
        nonlocal count
        count += 1
        page.write_text(original + f"\n成果物の計測（{count}）。\n", encoding="utf-8")
        jobs, beside = sides[label]
        start = time.perf_counter()
        if beside:  # as the Makefile does: review in the background, public in front
            with ThreadPoolExecutor(1) as pool:
                review = pool.submit(
                    run, [*hoshin, "--review", *jobs], what="hoshin build --review"
                )
                first = run([*hoshin, "--pdf", "--office", *jobs], what="hoshin build --pdf")
                review.result()
        else:
            first = run([*hoshin, "--pdf", "--office", *jobs], what="hoshin build --pdf")
            run([*hoshin, "--review", *jobs], what="hoshin build --review")
        wall = time.perf_counter() - start
        if record:
            series[label].add(wall)
            summary = [line for line in first.output.splitlines() if "PDF" in line]
            typeset[label] = summary[-1].strip() if summary else ""

    try:
        labels = list(sides)
        if not ctx.quick:
            for label in labels:
                one(label, False)
        for i in range(ctx.runs):
            for label in labels if i % 2 == 0 else list(reversed(labels)):
                one(label, True)
    finally:
        page.write_text(original, encoding="utf-8")
    after = series[list(sides)[1]]
    sec.verdict = "達成" if after.median <= 8 else "未達"
    sec.lines += [
        "方法: プロジェクトの写しで、章 `3/3-1-2.md` に毎回違う 1 文を足してから "
        "`hoshin build --pdf --office` と `hoshin build --review` を実行し、両方が終わるまでの"
        "経過時間（`make site` の中身。make の準備の確認は含まない）。前は 2 つを順に、後は "
        "Makefile と同じく審議用の版を裏で同時に実行。"
        f"機械のコア数 {__import__('os').cpu_count()}。",
        "PDF の段階の出力: " + "；".join(f"{k}: {v}" for k, v in typeset.items()) + "。"
        "入力の鍵が変わらない PDF（凍結版、凍結版どうしの新旧対照表）は組版しない。"
        "組版するのは下書きの PDF と、下書きで終わる新旧対照表の 2 つ。",
    ]
    ctx.results["deliverables"] = {k: s.median for k, s in series.items()}
    return sec


# --- memory and the plain-Sphinx ratio -------------------------------------------------------


def measure_footprint(ctx: Any) -> Section:
    from run import fresh_build, hoshin_overrides, pairs, plain_conf, ratio_series

    sec = Section(
        "footprint",
        "11. 最大メモリと経過時間: source/ の HTML 全体ビルド（用語集・用語リンク・検索語・改版の注記あり）",
        target="最大メモリ ≤ 素の Sphinx の 1.5 倍、経過時間 ≤ 1.10 倍",
    )
    out = WORK / "footprint"
    h_wall, p_wall = sec.series("hoshin 経過時間"), sec.series("素の Sphinx 経過時間")
    h_cpu, p_cpu = sec.series("hoshin CPU 時間"), sec.series("素の Sphinx CPU 時間")
    h_rss = sec.series("hoshin 最大常駐メモリ", "MB")
    p_rss = sec.series("素の Sphinx 最大常駐メモリ", "MB")
    store = REPO / "_build" / ".cache" / "sudachi.sqlite"  # outputs under _build: hoshin.core

    def side(
        wall: Series,
        cpu: Series,
        rss: Series,
        confdir: Path,
        name: str,
        hoshin: bool,
        extra: dict[str, str] | None = None,
    ) -> Any:
        def go(record: bool) -> None:
            overrides = {**(hoshin_overrides() if hoshin else {}), **(extra or {})}
            result = fresh_build(REPO / "source", confdir, out / name, overrides=overrides)
            if record:
                wall.add(result.wall)
                cpu.add(result.cpu)
                rss.add(result.maxrss_mb)

        return go

    pairs(
        ctx,
        side(h_wall, h_cpu, h_rss, REPO, "hoshin", True),
        side(p_wall, p_cpu, p_rss, plain_conf(), "plain", False),
    )
    wall_ratio = ratio_series("比（経過時間）", h_wall, p_wall)
    cpu_ratio = ratio_series("比（CPU 時間）", h_cpu, p_cpu)
    rss_ratio = ratio_series("比（最大メモリ）", h_rss, p_rss)
    sec.rows += [wall_ratio, cpu_ratio, rss_ratio]
    nodes = {
        shown: _doctree_nodes(out / f".doctrees-{name}")
        for name, shown in (("hoshin", "hoshin"), ("plain", "素の Sphinx"))
    }
    # The pages plain Sphinx renders as hoshin does: the three pages made of hoshin's
    # directives (用語集, 改版履歴, 意見と対応) left out on both sides.
    prose = {"exclude_patterns": "_build,**/.*,glossary.md,revisions.md,opinions.md"}
    hp_wall, pp_wall = (
        sec.series("hoshin 経過時間（本文のページだけ）"),
        sec.series("素の Sphinx 経過時間（同）"),
    )
    hp_cpu, pp_cpu, hp_rss, pp_rss = (
        Series("", "s"),
        Series("", "s"),
        Series("", "MB"),
        Series("", "MB"),
    )
    pairs(
        ctx,
        side(hp_wall, hp_cpu, hp_rss, REPO, "hoshin-prose", True, prose),
        side(pp_wall, pp_cpu, pp_rss, plain_conf(), "plain-prose", False, prose),
    )
    prose_ratio = ratio_series("比（経過時間、本文のページだけ）", hp_wall, pp_wall)
    sec.rows.append(prose_ratio)
    # The same build with hoshin's caches empty (a fresh clone's first build): no stored
    # analyses (Sudachi, kept checks and marks), no office files to copy.
    cold_wall = sec.series("hoshin 経過時間（キャッシュなし: 初回のビルド）")
    cold_rss = sec.series("hoshin 最大常駐メモリ（同）", "MB")
    for _ in range(1 if ctx.quick else 3):
        store.unlink(missing_ok=True)
        shutil.rmtree(store.parent / "downloads", ignore_errors=True)
        result = fresh_build(
            REPO / "source", REPO, out / "hoshin-cold", overrides=hoshin_overrides()
        )
        cold_wall.add(result.wall)
        cold_rss.add(result.maxrss_mb)
    ok = rss_ratio.median <= 1.5 and wall_ratio.median <= 1.10
    node_text = "、".join(f"{k} {v:,}" for k, v in nodes.items())
    sec.verdict = "達成" if ok else "未達"
    sec.lines += [
        "`os.wait4` の ru_maxrss と CPU 時間（sphinx-build プロセス、`-j 1`、出力と doctree を"
        "消した全体ビルド、交互に計測）。素の Sphinx は 1. と同じ設定（conf.py から hoshin を除いたもの）。"
        "hoshin は Sudachi の解析結果をプロジェクトのキャッシュ（`_build/.cache/sudachi.sqlite`）に"
        "残すので、前に解析した文章のビルドでは辞書（sudachidict_core、202 MB のファイルを mmap、"
        "読み込むだけで約 80 MB、この方針の解析で約 155 MB が常駐メモリに数えられる）を読み込まない。"
        "準備の実行が保存を作るので、交互の計測は保存ありの値。キャッシュなしの行は、解析の保存と"
        "オフィス用ファイルのキャッシュ（`_build/.cache/downloads`）を消した直後のビルド"
        "（新しい clone の初回、原稿を大きく書き換えた後）。",
        "素の Sphinx は hoshin の指令（用語集、改版履歴、意見と対応の表、図）を知らないので、"
        f"その部分を描かない: doctree の節点の数は {node_text}。用語の出てくる箇所のページ"
        "（2 ページ以上に出てくる用語ごとに 1 ページ）も作らない。"
        "「本文のページだけ」の行は、両方から用語集・改版履歴・意見と対応の 3 ページを除いた"
        "ビルド（用語集がないので用語のリンクもない）: 両方が同じものを描くページでの比。",
    ]
    ctx.results["footprint"] = {
        "rss_ratio": rss_ratio.median,
        "wall_ratio": wall_ratio.median,
        "prose_ratio": prose_ratio.median,
        "cpu_ratio": cpu_ratio.median,
        "cold_rss": cold_rss.median,
    }
    return sec


def _doctree_nodes(folder: Path) -> int:
    """Nodes in the doctrees of a build (how much each side renders)."""
    import pickle

    total = 0
    for path in folder.rglob("*.doctree"):
        tree = pickle.loads(path.read_bytes())
        total += sum(1 for _ in tree.findall())
    return total


# --- npm on a fresh machine ------------------------------------------------------------------


def measure_npm(ctx: Any) -> Section:
    sec = Section("npm", "12. 新しい機械の npm: ビルドに要るものだけ（`--omit=dev`）と全部")
    if shutil.which("npm") is None:
        raise NotAvailable("npm がない")
    rows = []
    for label, extra in (("ビルド用（`npm ci --omit=dev`、make site）", ["--omit=dev"]),
                         ("テスト用を含む全部（`npm ci`、make test）", [])):  # fmt: skip
        wall = sec.series(label)
        size = ""
        packages = 0
        for _ in range(1 if ctx.quick else 2):
            with tempfile.TemporaryDirectory(dir=WORK) as tmp:
                for name in ("package.json", "package-lock.json"):
                    shutil.copy2(REPO / name, Path(tmp) / name)
                cmd = ["npm", "ci", *extra, "--no-audit", "--no-fund", "--loglevel=error"]
                cmd += ["--prefer-offline"]
                result = run(cmd, cwd=Path(tmp), env={"PUPPETEER_SKIP_DOWNLOAD": "1"})
                wall.add(result.wall)
                du = subprocess.run(["du", "-sh", str(Path(tmp) / "node_modules")],
                                    capture_output=True, text=True, check=False)  # fmt: skip
                size = du.stdout.split()[0] if du.stdout else "?"
                packages = sum(1 for _ in (Path(tmp) / "node_modules").glob("**/package.json"))
        rows.append(f"| {label} | {fmt(wall.median, 's')} | {size} | {packages} |")
    sec.lines += [
        "| インストール | 時間（中央値） | node_modules の大きさ（`du -sh`） | package.json の数 |",
        "|---|---:|---:|---:|",
        *rows,
        "",
        "方法: この機械を消さずに測れる範囲で、package.json と package-lock.json だけを"
        "一時フォルダーに写して `npm ci` を実行（npm のキャッシュは既にある: ダウンロードの時間は"
        "含まない。`--prefer-offline`）。新しい機械ではこれにダウンロードが加わる。"
        "apt と pip の時間は含まない。",
    ]
    return sec


# --- a fresh clone ----------------------------------------------------------------------------


def measure_fresh(ctx: Any) -> Section:
    """``make site`` in a new clone of the repository: set-up (venv, npm) then the build with
    every cache empty (diagrams drawn by mermaid-cli, every PDF typeset)."""
    sec = Section("fresh", "13. 新しい clone で `make site`（apt の導入済みの機械）")
    if shutil.which("git") is None or shutil.which("make") is None:
        raise NotAvailable("git か make がない")
    setup, build = (
        sec.series("`make setup`（.venv と npm）"),
        sec.series("続く `make site`（ビルド）"),
    )
    total = sec.series("合計")
    sizes: dict[str, str] = {}
    for _ in range(1):  # minutes each: one run
        with tempfile.TemporaryDirectory(dir=WORK) as tmp:
            clone = Path(tmp) / "hoshin"
            run(["git", "clone", "-q", str(REPO), str(clone)], what="git clone")
            first = run(["make", "setup"], cwd=clone, what="make setup (fresh clone)")
            second = run(["make", "site"], cwd=clone, what="make site (fresh clone)")
            setup.add(first.wall)
            build.add(second.wall)
            total.add(first.wall + second.wall)
            for name in (".venv", "node_modules", "_build"):
                du = subprocess.run(["du", "-sh", str(clone / name)],
                                    capture_output=True, text=True, check=False)  # fmt: skip
                sizes[name] = du.stdout.split()[0] if du.stdout else "?"
    sec.lines += [
        "| フォルダー | 大きさ（`du -sh`） |",
        "|---|---:|",
        *(f"| `{name}` | {size} |" for name, size in sizes.items()),
        "",
        "方法: この clone を `git clone` で一時フォルダーに写し、`make setup`（.venv を作って "
        "hoshin を編集可能で入れる pip（テスト用の extras なし）、`npm ci --omit=dev`）と `make site`（公開版の全版の HTML、"
        "新旧対照表、PDF、オフィス用ファイルと審議用の版の HTML。図は mermaid-cli で描き、PDF は"
        "すべて組版する）の経過時間。apt のパッケージはこの機械に入っているので含まない"
        "（issue 19 の計測で約 1.5 分）。pip と npm のキャッシュは既にあるので、ダウンロードの"
        "時間も含まない。",
    ]
    ctx.results["fresh"] = {"setup": setup.median, "build": build.median}
    return sec
