"""hoshin lint --fix: a fix is written only when the text, linted again, has no new finding.

The pure tests drive :func:`plan_fixes` with a small checker that behaves like the two
textlint rules of the reported damage (JTF 4.3.1 fixes one half-width bracket at a time;
no-unmatched-pair reports a bracket left without its partner). The textlint tests run the
real rules once over a project of fixture files (all files in one batch) and read that run.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

import hoshin.lint.textlint as textlint_module
from hoshin.cli import main
from hoshin.lint.safefix import VersionKey, new_findings, plan_fixes
from hoshin.lint.textlint import Finding, Fix

from .conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "lint_fix"

needs_textlint = pytest.mark.skipif(
    not (REPO / "node_modules" / "textlint" / "bin" / "textlint.js").is_file()
    or shutil.which("node") is None,
    reason="node or node_modules/textlint missing (make setup)",
)

HALF, PAIR = "half-paren", "unmatched-pair"
_LINE_END = re.compile(r"\r\n|\r|\n")


def _bracket_findings(path: Path, text: str) -> list[Finding]:
    """A stand-in for the two rules: every half-width bracket beside Japanese is reported
    with a fix to full width, and a line whose brackets do not pair up is reported."""
    out: list[Finding] = []
    starts = [0] + [m.end() for m in _LINE_END.finditer(text)]
    lines = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    for n, line in enumerate(lines):
        depth = {"(": 0, "（": 0}
        broken = None
        for col, ch in enumerate(line):
            if ch in depth:
                depth[ch] += 1
            elif ch in ")）":
                opener = "(" if ch == ")" else "（"
                depth[opener] -= 1
                if depth[opener] < 0 and broken is None:
                    broken = col
        if any(depth.values()) and broken is None:
            broken = 0
        if broken is not None:
            out.append(Finding(path, n + 1, broken + 1, PAIR, "pair"))
        for m in re.finditer(r"(?<=[^\x00-\x7f])[()]|[()](?=[^\x00-\x7f])", line):
            wide = "（" if m.group() == "(" else "）"
            # like JTF 4.3.1: no fix for a "(" between a digit and a digit-led group
            if m.group() == "(" and re.match(r"\(\d", line[m.start() :]):
                continue
            fix = Fix(starts[n] + m.start(), starts[n] + m.end(), wide)
            out.append(Finding(path, n + 1, m.start() + 1, HALF, "half", fix=fix))
    return sorted(out, key=lambda f: (f.line, f.col, f.rule))


class FakeChecker:
    def __init__(self) -> None:
        self.runs = 0
        self.batches: list[int] = []

    def __call__(
        self, batch: dict[VersionKey, tuple[Path, str]]
    ) -> dict[VersionKey, list[Finding]]:
        self.runs += 1
        self.batches.append(len(batch))
        return {k: _bracket_findings(path, text) for k, (path, text) in batch.items()}


def _plan(texts: dict[Path, str]) -> tuple[dict[Path, str], list[str], FakeChecker]:
    check = FakeChecker()
    findings = [f for p, t in texts.items() for f in _bracket_findings(p, t)]
    plan = plan_fixes(texts, findings, check)
    fixed = {p: plan.texts.get(p, t) for p, t in texts.items()}
    refused = [f"{r.finding.line}:{r.finding.col} {r.replaced}" for r in plan.refused]
    return fixed, refused, check


def test_a_fix_that_breaks_a_bracket_pair_is_refused_and_its_neighbours_kept() -> None:
    a = Path("a.md")
    fixed, refused, check = _plan(
        {a: "# 見出し\n\n計画(案)と方針(2010年度)を示します。\n\n市(本庁)の計画です。\n"}
    )
    # the "(" before 2010 gets no fix, so fixing its ")" alone would unpair it
    assert (
        fixed[a] == "# 見出し\n\n計画（案）と方針(2010年度)を示します。\n\n市（本庁）の計画です。\n"
    )
    assert refused == ["3:16 )"]
    assert check.runs == 3  # everything, the suspect group's parts, the verification
    assert check.batches[0] == 1


def test_files_are_checked_together_and_a_clean_file_needs_one_run() -> None:
    texts = {
        Path("clean.md"): "計画(案)です。\n",
        Path("bad.md"): "方針(2010年度)です。\n",
        Path("none.md"): "括弧はありません。\n",
    }
    fixed, refused, check = _plan(texts)
    assert fixed[Path("clean.md")] == "計画（案）です。\n"
    assert fixed[Path("bad.md")] == "方針(2010年度)です。\n"  # untouched
    assert fixed[Path("none.md")] == "括弧はありません。\n"
    assert refused == ["1:10 )"]
    assert check.batches[0] == 2  # both files with fixes in the first run; none.md not at all


def test_crlf_positions_map_back_and_line_ends_stay() -> None:
    a = Path("a.md")
    text = "前文です。\r\n\r\n計画(案)と方針(2010年度)を示します。\r\n"
    fixed, refused, _ = _plan({a: text})
    assert fixed[a] == "前文です。\r\n\r\n計画（案）と方針(2010年度)を示します。\r\n"
    assert refused == ["3:16 )"]


def test_a_harmless_fix_that_leaves_its_finding_is_still_applied() -> None:
    """A fix after which its own finding is still reported (it cannot fully fix it) but
    nothing new appears is written: it damages nothing."""
    a = Path("a.md")
    text = "市の「計画」を見直す。\n"
    fix = Fix(text.index("見直す"), text.index("見直す") + 3, "見直します")
    before = [Finding(a, 1, 7, "style", "常体", fix=fix)]

    def check(batch):  # type: ignore[no-untyped-def]
        return {k: [Finding(p, 1, 7, "style", "まだ指摘")] for k, (p, _) in batch.items()}

    plan = plan_fixes({a: text}, before, check)
    assert plan.texts[a] == "市の「計画」を見直します。\n"
    assert plan.refused == []


def test_new_findings_compare_rule_and_line_not_message() -> None:
    p = Path("a.md")
    before = [Finding(p, 3, 1, "sentence-length", "length(173)"), Finding(p, 5, 2, "x", "m")]
    after = [
        Finding(p, 3, 1, "sentence-length", "length(172)"),
        Finding(p, 5, 4, "x", "m"),
        Finding(p, 5, 9, "x", "m"),
    ]
    assert [(f.line, f.rule) for f in new_findings(before, after)] == [(5, "x")]
    assert new_findings(before, after[:2]) == []  # a column shift is not a new finding


# --- the real rules --------------------------------------------------------------------


@pytest.fixture(scope="session")
def fixed_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str, int]:
    """A project of the fixture files, after one ``hoshin lint --fix`` (stdout, stderr and
    the number of textlint processes it started)."""
    project = tmp_path_factory.mktemp("fix")
    (project / "conf.py").write_text("", encoding="utf-8")
    for name in (".textlintrc.json", "prh.yml"):
        shutil.copy(REPO / name, project / name)
    (project / "node_modules").symlink_to(REPO / "node_modules")
    source = project / "source"
    source.mkdir()
    for f in FIXTURES.iterdir():
        shutil.copyfile(f, source / f.name)
    crlf = source / "crlf.md"
    crlf.write_bytes(crlf.read_bytes().replace(b"\n", b"\r\n"))
    untouched = source / "only-refused.md"
    os.utime(untouched, ns=(1_000_000_000, 1_000_000_000))
    rc = project / ".textlintrc.json"
    # the repository's allowances are for the embedded edition: none here
    rc.write_text(
        re.sub(r'"hoshin": \{.*\}\s*\}\s*$', '"hoshin": {}}\n', rc.read_text("utf-8"), flags=re.S),
        encoding="utf-8",
    )
    runs = 0
    real = textlint_module._run_textlint

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal runs
        runs += 1
        return real(*args, **kwargs)

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp, redirect_stdout(out), redirect_stderr(err):
        mp.setattr(textlint_module, "_run_textlint", counting)
        mp.chdir(project)
        main(["-C", str(project), "lint", "--fix"])
    return project, out.getvalue(), err.getvalue(), runs


@needs_textlint
def test_fix_keeps_every_harmless_fix_and_refuses_the_damaging_ones(
    fixed_project: tuple[Path, str, str, int],
) -> None:
    project, _, _, _ = fixed_project
    text = (project / "source" / "brackets.md").read_text(encoding="utf-8")
    assert text == (
        "# 括弧の直し方\n\n"
        "平成22年度（2010年度）に計画を策定しました。\n\n"
        # the ")" alone would have been unpaired; the second pass fixes both halves
        "計画（案）と方針（2010年度）を示します。\n\n"
        "方針（計画（案）を含む）を定めます。\n\n"
        "「デジタル（ICT）」と『計画（案）』を示します。\n\n"
        # the unpaired （ was there before: fixing the rest does not touch it
        "「方針（2010年度）」と『計画（案)』の関係です。\n\n"
        "国及び県（本庁）と連携します。\n\n"
        # one half alone breaks the pair, both give "））" (ja-no-successive-word): unchanged
        "（令和3年(2021年)）の計画です。\n"
    )


@needs_textlint
def test_fix_leaves_correct_and_unfixable_files_untouched(
    fixed_project: tuple[Path, str, str, int],
) -> None:
    project, _, _, _ = fixed_project
    source = project / "source"
    assert (source / "full-width.md").read_bytes() == (FIXTURES / "full-width.md").read_bytes()
    assert (source / "only-refused.md").read_bytes() == (FIXTURES / "only-refused.md").read_bytes()
    assert (source / "only-refused.md").stat().st_mtime_ns == 1_000_000_000  # never rewritten


@needs_textlint
def test_fix_keeps_crlf_line_ends_exactly(fixed_project: tuple[Path, str, str, int]) -> None:
    project, _, _, _ = fixed_project
    data = (project / "source" / "crlf.md").read_bytes()
    want = (
        "# 改行が CRLF のファイル\r\n\r\n国及び県と連携します。\r\n\r\n"
        "計画（案）と方針（2010年度）を示します。\r\n\r\n（令和3年(2021年)）の計画です。\r\n"
    )
    assert data == want.encode("utf-8")
    assert (project / "source" / "crlf.md").stat().st_mode & 0o777 == 0o644


@needs_textlint
def test_fix_reports_what_it_refused_like_a_compiler(
    fixed_project: tuple[Path, str, str, int],
) -> None:
    _, out, err, runs = fixed_project
    refused = [ln for ln in out.splitlines() if "修正を見送り" in ln]
    assert refused[0].startswith(
        "source/brackets.md:15:6: 修正を見送り jtf-style/4.3.1.丸かっこ（）: "
        "「(」を「（」に直すと新しい指摘が出るため、直していません（15:"
    )
    where = sorted(ln.split(": ")[0] for ln in refused)
    assert where == [
        "source/brackets.md:15:12",
        "source/brackets.md:15:6",
        "source/crlf.md:7:12",
        "source/crlf.md:7:6",
        "source/only-refused.md:3:12",
        "source/only-refused.md:3:6",
    ]
    assert "hoshin lint: 修正を見送り 6 件（" in err
    assert "fixed 22 in 2 files" in err
    # one lint, then per pass: all fixes, the suspects' parts, the verification; the second
    # pass's first run is clean. All files in each run.
    assert runs <= 5, runs
