"""hoshin lint: MyST blanking, textlint findings at the right place, allowances, CLI, Sphinx.

textlint runs cost a few seconds each (the morphological dictionary loads once per run), so
the fixture files are linted together once per session and the tests read that report.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hoshin.cli import main
from hoshin.core.mystblank import blank_myst
from hoshin.core.yamlio import DataError
from hoshin.glossary.model import read_glossary
from hoshin.lint.allow import Allowance, read_allowances, unused_allowances
from hoshin.lint.cache import ResultCache, setup_key
from hoshin.lint.prh import paraphrase_rules, render_prh_yaml
from hoshin.lint.textlint import (
    INSTALL_HINT,
    NODE_HINT,
    Finding,
    LintReport,
    LintToolMissing,
    apply_fixes,
    find_toolchain,
    lint_paths,
    load_config,
)

from .conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "lint"
PLANTED = FIXTURES / "planted"

needs_textlint = pytest.mark.skipif(
    not (REPO / "node_modules" / "textlint" / "bin" / "textlint.js").is_file()
    or shutil.which("node") is None,
    reason="node or node_modules/textlint missing (make setup)",
)

#: (file, rule, anchor, offset): the rule reports on the anchor's line, at its column + offset.
PLANTED_ERRORS = [
    ("desumasu.md", "ja-technical-writing/no-mix-dearu-desumasu", "である", 0),
    ("period.md", "ja-technical-writing/ja-no-mixed-period", "見直します", 4),
    ("doubled-joshi.md", "ja-technical-writing/no-doubled-joshi", "で製品", 0),
    ("ra-nuki.md", "ja-technical-writing/no-dropping-the-ra", "見れる", 1),
    ("nfd.md", "ja-technical-writing/no-nfd", "シ\u3099", 1),
    ("hankaku-kana.md", "ja-technical-writing/no-hankaku-kana", "ｱﾝｹｰﾄ", 0),
    ("zenkaku-digit.md", "jtf-style/2.1.8.算用数字", "３", 0),
    ("zenkaku-alpha.md", "jtf-style/2.1.9.アルファベット", "ＩＣＴ", 0),
    ("half-paren.md", "jtf-style/4.3.1.丸かっこ（）", "(デジタル化)", 0),
    ("kanji-run.md", "ja-technical-writing/max-kanji-continuous-len", "業務効率化推進計画", 0),
    ("sentence-length.md", "ja-technical-writing/sentence-length", "市は、", 0),
    ("redundant.md", "ja-technical-writing/ja-no-redundant-expression", "調査を行い", 0),
    ("keishikimeishi.md", "ja-hiragana-keishikimeishi", "事が", 0),
    ("hojodoushi.md", "ja-hiragana-hojodoushi", "行きます", 0),
    ("prh.md", "prh", "および", 0),
    ("glossary.md", "hoshin/glossary-paraphrase", "アウトソーシング", 0),
    # 常体 among です・ます that textlint's no-mix-dearu-desumasu does not see (hoshin's rule)
    ("joutai.md", "hoshin/desumasu", "する。", 0),
    # after a character outside the BMP (two UTF-16 units): prh works on JavaScript strings,
    # so its offset must be converted. (Rules built on kuromoji positions are one column short
    # after such a character: an upstream quirk, not checked here.)
    ("astral.md", "prh", "および", 0),
]


def _where(path: Path, anchor: str, offset: int) -> tuple[int, int]:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if anchor in line:
            return n, line.index(anchor) + 1 + offset
    raise AssertionError(f"{anchor!r} not in {path}")


@pytest.fixture(scope="session")
def fixture_report(tmp_path_factory: pytest.TempPathFactory) -> LintReport:
    """One textlint run over every fixture file, with the fixture glossary."""
    return lint_paths(
        [PLANTED, FIXTURES / "myst-clean.md", FIXTURES / "myst-prose.md"],
        project_root=REPO,
        glossary_terms=read_glossary(FIXTURES / "glossary").entries,
        cache_dir=tmp_path_factory.mktemp("lint-cache"),
    )


def _of(report: LintReport, name: str) -> list[Finding]:
    return [f for f in report.findings if f.path.name == name]


# --- MyST blanking (pure) ----------------------------------------------------------------


@given(st.text(alphabet=st.sampled_from([*"`:%()={}-+^#* \n\r\tab市。", "𠮷", "\u2028"])))
def test_blanking_keeps_length_and_line_breaks(text: str) -> None:
    blanked = blank_myst(text)
    assert len(blanked) == len(text)
    assert [i for i, c in enumerate(blanked) if c == "\n"] == [
        i for i, c in enumerate(text) if c == "\n"
    ]
    assert all(b == t or b == " " for b, t in zip(blanked, text, strict=True))


def test_blanking_skips_syntax_and_keeps_prose() -> None:
    text = (FIXTURES / "myst-clean.md").read_text(encoding="utf-8")
    blanked = blank_myst(text)
    kept = {line.strip() for line in blanked.splitlines() if line.strip()}
    assert "注記の本文も検査されます。" in kept
    assert "囲みの本文も検査されます。" in kept
    assert "カードの本文です。" in kept
    assert "- 手続の利便性を高めます。" in kept
    assert "入れ子の外の本文です。" in kept
    for gone in (
        "seed_page",
        "(fixture-myst)=",
        "%",
        ":class:",
        ":::",
        "```",
        "^^^",
        "+++",
        "flowchart",
        "1/index",
        "入れ子のコード",
        "{#anchor-1",
        "reStructuredText",
        "図の中の文字",
        "{term}",
        "{ref}",
    ):
        assert gone not in blanked, gone
    assert "`ICT`" in blanked  # a role's content stays inline code, which textlint skips


# --- findings at the right place ---------------------------------------------------------


@needs_textlint
@pytest.mark.parametrize(("name", "rule", "anchor", "offset"), PLANTED_ERRORS)
def test_planted_error_is_reported_at_its_line_and_column(
    fixture_report: LintReport, name: str, rule: str, anchor: str, offset: int
) -> None:
    where = _where(PLANTED / name, anchor, offset)
    found = [(f.line, f.col) for f in _of(fixture_report, name) if f.rule == rule]
    assert where in found, (where, [(f.line, f.col, f.rule) for f in _of(fixture_report, name)])


@needs_textlint
def test_planted_files_have_no_other_findings(fixture_report: LintReport) -> None:
    """Front matter, labels, comments and headings around each planted error stay silent."""
    planted_lines = {(n, _where(PLANTED / n, a, 0)[0]) for n, _, a, _ in PLANTED_ERRORS}
    planted_lines.add(("astral.md", _where(PLANTED / "astral.md", "見れる", 0)[0]))
    stray = [
        f
        for f in fixture_report.findings
        if f.path.parent == PLANTED and (f.path.name, f.line) not in planted_lines
    ]
    assert stray == []
    assert {f.path.name for f in fixture_report.findings if f.path.parent == PLANTED} == {
        n for n, *_ in PLANTED_ERRORS
    }


@needs_textlint
def test_fixes_carry_the_replacement(fixture_report: LintReport) -> None:
    fixes = {(f.path.name, f.rule): f.fix for f in fixture_report.findings if f.fix}
    assert fixes[("prh.md", "prh")].replacement == "及び"
    assert fixes[("glossary.md", "hoshin/glossary-paraphrase")].replacement == "外部委託"
    assert fixes[("keishikimeishi.md", "ja-hiragana-keishikimeishi")].replacement == "こと"
    glossary = next(f for f in _of(fixture_report, "glossary.md"))
    assert glossary.severity == "warning"  # a suggestion the editor may apply


@needs_textlint
def test_myst_constructs_cause_no_findings(fixture_report: LintReport) -> None:
    assert _of(fixture_report, "myst-clean.md") == []


@needs_textlint
def test_prose_inside_directives_is_linted(fixture_report: LintReport) -> None:
    path = FIXTURES / "myst-prose.md"
    got = {(f.rule, f.line, f.col) for f in _of(fixture_report, "myst-prose.md")}
    assert got == {
        ("ja-technical-writing/no-dropping-the-ra", *_where(path, "見れる", 1)),  # in a note
        ("ja-technical-writing/ja-no-redundant-expression", *_where(path, "調査を行い", 0)),
        ("prh", *_where(path, "および", 0)),  # in a list-table cell
    }


@needs_textlint
def test_fix_offsets_count_code_points_not_utf16_units(
    fixture_report: LintReport, tmp_path: Path
) -> None:
    copy = tmp_path / "astral.md"
    shutil.copy(PLANTED / "astral.md", copy)
    moved = [dataclasses.replace(f, path=copy) for f in _of(fixture_report, "astral.md")]
    assert apply_fixes(moved) == {copy: 1}
    text = copy.read_text(encoding="utf-8")
    assert "𠮷田市は国及び県と連携します。" in text
    assert "誰でも見れる" in text  # no fix offered for ら抜き: left as written


def test_findings_round_trip_through_json() -> None:
    finding = Finding(Path("source/a.md"), 3, 7, "prh", "および => 及び", "error", fix=None)
    assert Finding.from_json(json.loads(json.dumps(finding.to_json()))) == finding


# --- configuration and allowances (pure) -------------------------------------------------


def test_config_reads_comments_and_keeps_urls(tmp_path: Path) -> None:
    rc = tmp_path / ".textlintrc.json"
    rc.write_text('// top\n{"a": "http://x//y", /* b */ "c": [1, 2,],}\n', encoding="utf-8")
    assert load_config(rc) == {"a": "http://x//y", "c": [1, 2]}


def test_bad_config_names_line_and_column(tmp_path: Path) -> None:
    rc = tmp_path / ".textlintrc.json"
    rc.write_text('{\n  "rules": {\n    "x": tru\n  }\n}\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_config(rc)
    assert (info.value.line, info.value.col) == (3, 10)


def test_allowance_needs_a_reason(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="'reason' is required"):
        read_allowances({"hoshin": {"allow": [{"rule": "prh"}]}}, tmp_path / "rc")
    with pytest.raises(DataError, match="unknown key"):
        read_allowances(
            {"hoshin": {"allow": [{"rule": "prh", "reason": "r", "line": 3}]}}, tmp_path / "rc"
        )


def test_allowance_matching_and_staleness() -> None:
    a = Allowance(rule="prh", reason="r", path="source/*", texts=("および県",), index=0)
    assert a.matches("prh", "source/1/a.md", "国および県と", "および => 及び")
    assert not a.matches("prh", "docs/a.md", "国および県と", "")
    assert not a.matches("prh", "source/a.md", "国または県と", "")
    assert not a.matches("no-nfd", "source/a.md", "国および県と", "")
    assert unused_allowances([a], [], ["source/a.md"]) == [a]
    assert unused_allowances([a], [0], ["source/a.md"]) == []
    assert unused_allowances([a], [], ["docs/a.md"]) == []


def test_glossary_paraphrase_rules() -> None:
    @dataclasses.dataclass
    class Entry:
        term: str
        id: str
        paraphrase: str
        aliases: tuple[str, ...]
        treatment: str

    rules = paraphrase_rules(
        [
            Entry(
                "アウトソーシング", "outsourcing", "外部委託", ("アウト・ソーシング",), "言い換える"
            ),
            Entry("DX", "dx", "デジタル変革(DX)", (), "言い換える"),
            Entry("ICT", "ict", "", (), "説明を付ける"),
        ]
    )
    assert [r["expected"] for r in rules] == ["外部委託", "デジタル変革(DX)"]
    assert rules[0]["patterns"] == ["/アウト・ソーシング/", "/アウトソーシング/"]
    # ASCII edges are guarded, and the paraphrase itself is not reported again
    assert rules[1]["patterns"] == [r"/(?<!デジタル変革\()(?<![A-Za-z0-9])DX(?![A-Za-z0-9])(?!\))/"]
    assert "version: 1" in render_prh_yaml(rules)


def test_result_cache_follows_text_config_and_dictionaries(tmp_path: Path) -> None:
    prh = tmp_path / "prh.yml"
    prh.write_text("version: 1\nrules: []\n", encoding="utf-8")
    config = {"rules": {"prh": {"rulePaths": [str(prh)]}}}
    key = setup_key(config, tmp_path)
    cache = ResultCache(tmp_path / "cache.json", key)
    page = tmp_path / "a.md"
    cache.put(page, "本文です。", [{"ruleId": "prh", "message": "m", "range": [0, 1]}])
    cache.save()
    again = ResultCache(tmp_path / "cache.json", key)
    assert again.get(page, "本文です。") == [{"ruleId": "prh", "message": "m", "range": [0, 1]}]
    assert again.get(page, "本文を直しました。") is None
    prh.write_text(
        "version: 1\nrules:\n  - expected: 及び\n    pattern: および\n", encoding="utf-8"
    )
    assert setup_key(config, tmp_path) != key  # a dictionary edit invalidates every file


# --- the CLI -----------------------------------------------------------------------------


def _project(tmp_path: Path, *names: str) -> Path:
    """A throw-away project: the repository's rules, the given fixtures as its source/."""
    (tmp_path / "conf.py").write_text("", encoding="utf-8")
    for name in (".textlintrc.json", "prh.yml"):
        shutil.copy(REPO / name, tmp_path / name)
    (tmp_path / "source").mkdir()
    for name in names:
        shutil.copy(FIXTURES / name, tmp_path / "source" / Path(name).name)
    shutil.copytree(FIXTURES / "glossary", tmp_path / "glossary")
    return tmp_path


@needs_textlint
def test_cli_json_matches_the_library(
    fixture_report: LintReport, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, "planted/prh.md", "planted/glossary.md", "myst-clean.md")
    code = main(["-C", str(project), "lint", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    got = sorted(
        (Path(f["path"]).name, f["line"], f["col"], f["rule"], f["message"])
        for f in data["findings"]
    )
    want = sorted(
        (f.path.name, f.line, f.col, f.rule, f.message)
        for f in fixture_report.findings
        if f.path.name in ("prh.md", "glossary.md", "myst-clean.md")
    )
    assert got == want
    assert [Finding.from_json(f).to_json() for f in data["findings"]] == data["findings"]
    assert code == 1  # prh.md has an error-level finding


@needs_textlint
def test_cli_fix_applies_fixes_and_reports_like_a_compiler(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, "planted/prh.md", "planted/ra-nuki.md")
    monkeypatch.chdir(project)
    code = main(["-C", str(project), "lint", "--fix"])
    out, err = capsys.readouterr()
    assert "国及び県と連携します。" in (project / "source" / "prh.md").read_text(encoding="utf-8")
    assert out.startswith("source/ra-nuki.md:8:10: error ja-technical-writing/no-dropping-the-ra: ")
    assert "prh.md" not in out  # fixed, nothing left there
    assert "fixed 1 in 1 files" in err
    assert code == 1  # ら抜き has no automatic fix


def test_cli_without_node_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, "planted/prh.md")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert main(["-C", str(project), "lint"]) == 2
    assert NODE_HINT in capsys.readouterr().err


def test_missing_textlint_says_how_to_install(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node missing")
    with pytest.raises(LintToolMissing) as info:
        find_toolchain([tmp_path], path_env=str(Path(node).parent))
    assert str(info.value) == INSTALL_HINT
    assert "hoshin setup" in INSTALL_HINT


# --- the embedded edition ----------------------------------------------------------------


@needs_textlint
def test_embedded_edition_lints_clean_with_its_allowances(tmp_path: Path) -> None:
    report = lint_paths([REPO / "source"], project_root=REPO, cache_dir=tmp_path)
    errors = [
        f"{f.path.relative_to(REPO)}:{f.line}:{f.col}: {f.rule}"
        for f in report.findings
        if f.severity == "error"
    ]
    assert errors == []
    assert [a.describe() for a in report.stale] == []
    assert report.allowed  # the allowances are in use, not dead configuration


# --- Sphinx ------------------------------------------------------------------------------


@needs_textlint
@pytest.mark.sphinx("html", testroot="lint")
def test_findings_as_sphinx_warnings(app, warning) -> None:  # type: ignore[no-untyped-def]
    app.build()
    lines = [ln for ln in warning.getvalue().splitlines() if "[hoshin.lint]" in ln]
    assert any(
        "page.md:10:" in ln and "no-dropping-the-ra" in ln and "column 10" in ln for ln in lines
    ), lines
    assert any("page.md:13:" in ln and "ja-no-mixed-period" in ln for ln in lines), lines
    assert not any("page.md:15:" in ln for ln in lines)  # allowed in .textlintrc.json
    assert len(lines) == 2, lines
