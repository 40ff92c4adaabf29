"""An incremental build always equals a clean build of the same inputs (issue 18, item 5).

A Hypothesis state machine edits a tiny project (``hoshin init`` + ``hoshin freeze v1`` + a
flow) at random: chapter text, glossary entries added, removed, renamed and redefined, the
draft's change records, the flow, configuration values. After every edit the project is
built incrementally into the same folders; :meth:`IncrementalBuild.equals_clean` (a rule,
so Hypothesis decides when) and the end of every example build the same inputs from nothing
and compare every output file byte for byte (:mod:`tests.incremental_support`; what is
normalised, nothing but the build record .buildinfo, is documented in docs/quickstart.md).

The normal suite runs a few short examples; the ``slow`` test many longer ones.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from .incremental_support import (
    build_html,
    clean_build,
    first_difference,
    make_project,
    tree_differences,
)

#: Terms the glossary may gain: each is used on some page, or in data shown on a page
#: (会議 in history.yaml's events on the 改版履歴, 申請 in the flow, 手続 and 案内 in 1-1).
TERMS = {
    "kaigi": ("会議", "かいぎ", ["会議", "第1回会議"]),
    "tetsuzuki": ("手続", "てつづき", ["手続", "手続の案内"]),
    "annai": ("案内", "あんない", ["案内", "案内の文章"]),
    "shinsei": ("申請", "しんせい", ["申請", "申請書"]),
    "kensa": ("検査", "けんさ", ["検査"]),  # used nowhere until a sentence brings it
}
SENTENCES = [
    "会議で話し合った内容を手続に生かします。",
    "申請の案内を検査します。",
    "市民の皆さんに分かりやすい文章にします。",
    "ICTを使った検査の手続を見直します。",
]
FLOW_LABELS = ["申請を受け付ける", "案内を送る", "会議にかける", "検査する"]
CONF_VALUES: dict[str, list[object]] = {
    "hoshin_issuer": ["町", "町役場"],
    "html_title": ["町の方針", "町の方針（案）"],
    "hoshin_term_links": [True, False],
}


@pytest.fixture(scope="module")
def base_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("incremental-base") / "p")
    with (root / "conf.py").open("a", encoding="utf-8") as conf:
        # Diagrams become their text alternative: drawing them is covered by the render tests.
        conf.write('\nhoshin_flow_mmdc = "no-mmdc-here"\n')
    return root


class IncrementalBuild(RuleBasedStateMachine):
    base: Path

    @initialize()
    def start(self) -> None:
        self.work = Path(tempfile.mkdtemp(prefix="hoshin-incr-"))
        self.root = self.work / "p"
        shutil.copytree(self.base, self.root)
        self.sentences: list[str] = []
        self.terms: dict[str, str] = {}  # id -> spelling in the glossary now
        self.records: list[int] = []
        self.conf: dict[str, object] = {}
        self.build()

    # --- helpers ---------------------------------------------------------------------------
    def build(self) -> None:
        build_html(self.root, self.work / "incr" / "html", self.work / "incr" / "doctrees")

    def write_chapter(self) -> None:
        page = self.root / "source" / "1" / "2.md"
        body = "".join(f"- {s}\n" for s in self.sentences)
        page.write_text(f"(sec-1-2)=\n# 1-2.追加の節\n\n{body}", encoding="utf-8")
        index = self.root / "source" / "1" / "index.md"
        text = index.read_text(encoding="utf-8")
        if "\n2\n" not in text:
            index.write_text(text.replace("1-1\n", "1-1\n2\n", 1), encoding="utf-8")

    def write_glossary(self) -> None:
        entries = [
            {"term": spelling, "reading": TERMS[tid][1], "id": tid,
             "definition": f"{spelling}の説明です。", "kind": "専門用語",
             "treatment": "説明を付ける", "source": "一般的な用法"}
            for tid, spelling in sorted(self.terms.items())
        ]  # fmt: skip
        path = self.root / "glossary" / "extra.yaml"
        if entries:
            path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), "utf-8")
        else:
            path.unlink(missing_ok=True)

    def write_records(self) -> None:
        folder = self.root / "revisions" / "current"
        records = [
            {"number": n, "from": "v1", "motive": "第2回会議", "sections": ["sec-1-1"],
             "old": None, "new": None, "reason": f"第2回会議の議論（{n}）を受け"}
            for n in self.records
        ]  # fmt: skip
        if records:
            folder.mkdir(exist_ok=True)
            text = yaml.safe_dump({"changes": records}, allow_unicode=True, sort_keys=False)
            (folder / "changes.yaml").write_text(text, encoding="utf-8")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    # --- edits ---------------------------------------------------------------------------
    @rule(sentence=st.sampled_from(SENTENCES))
    def add_sentence(self, sentence: str) -> None:
        self.sentences.append(sentence)
        self.write_chapter()
        self.build()

    @precondition(lambda self: bool(self.sentences))
    @rule(data=st.data())
    def remove_sentence(self, data: st.DataObject) -> None:
        self.sentences.pop(data.draw(st.integers(0, len(self.sentences) - 1)))
        self.write_chapter()
        self.build()

    @rule(tid=st.sampled_from(sorted(TERMS)))
    def add_term(self, tid: str) -> None:
        self.terms.setdefault(tid, TERMS[tid][0])
        self.write_glossary()
        self.build()

    @precondition(lambda self: bool(self.terms))
    @rule(data=st.data())
    def remove_term(self, data: st.DataObject) -> None:
        del self.terms[data.draw(st.sampled_from(sorted(self.terms)))]
        self.write_glossary()
        self.build()

    @precondition(lambda self: bool(self.terms))
    @rule(data=st.data())
    def rename_term(self, data: st.DataObject) -> None:
        tid = data.draw(st.sampled_from(sorted(self.terms)))
        self.terms[tid] = data.draw(st.sampled_from(TERMS[tid][2]))
        self.write_glossary()
        self.build()

    @rule(number=st.integers(1, 3))
    def toggle_change_record(self, number: int) -> None:
        if number in self.records:
            self.records.remove(number)
        else:
            self.records.append(number)
        self.write_records()
        self.build()

    @rule(label=st.sampled_from(FLOW_LABELS))
    def edit_flow(self, label: str) -> None:
        flow = self.root / "source" / "flows" / "f.yaml"
        data = yaml.safe_load(flow.read_text(encoding="utf-8"))
        data["steps"][0]["label"] = label
        flow.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        self.build()

    @rule(data=st.data())
    def set_conf(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(CONF_VALUES)))
        self.conf[name] = data.draw(st.sampled_from(CONF_VALUES[name]))
        conf = (self.base / "conf.py").read_text(encoding="utf-8")
        conf += "".join(f"{k} = {v!r}\n" for k, v in sorted(self.conf.items()))
        (self.root / "conf.py").write_text(conf, encoding="utf-8")
        self.build()

    # --- the property ----------------------------------------------------------------------
    @rule()
    def equals_clean(self) -> None:
        clean = clean_build(self.root, self.work / "clean")
        incremental = self.work / "incr" / "html"
        found = tree_differences(clean, incremental)
        detail = [first_difference(clean, incremental, d.split(": ", 1)[1])
                  for d in found[:2] if d.startswith("differs")]  # fmt: skip
        assert not found, "\n".join(found + detail)

    def teardown(self) -> None:
        if hasattr(self, "work"):
            try:
                self.equals_clean()
            finally:
                shutil.rmtree(self.work, ignore_errors=True)


def _run(base: Path, monkeypatch: pytest.MonkeyPatch, examples: int, steps: int) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1622505600")
    IncrementalBuild.base = base
    case = IncrementalBuild.TestCase
    case.settings = settings(
        max_examples=examples, stateful_step_count=steps, deadline=None, derandomize=True,
        suppress_health_check=list(HealthCheck), database=None,
        phases=[Phase.explicit, Phase.generate],  # shrinking costs minutes of builds
    )  # fmt: skip
    case().runTest()


def test_incremental_build_equals_clean_build(
    base_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(base_project, monkeypatch, examples=6, steps=8)


@pytest.mark.slow
def test_incremental_build_equals_clean_build_many_edits(
    base_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(base_project, monkeypatch, examples=40, steps=12)
