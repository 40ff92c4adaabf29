"""The registry of project checks run by ``hoshin check`` (and, the fast ones, by ``hoshin build``).

Each :class:`Check` names a function ``(project) -> list[DataError | Finding]`` by
``"module:function"`` (imported only when run). A :class:`~hoshin.core.yamlio.DataError` is
invalid input: ``hoshin check`` exits 2 and ``hoshin build`` stops before writing anything.
A :class:`Finding` is a problem in valid data (an unexplained change, a lint hit):
``hoshin check`` exits 1. Features add their checks by appending to :data:`CHECKS`.
No Sphinx import here.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from hoshin.core.yamlio import DataError

if TYPE_CHECKING:
    from hoshin.core.project import Project


@dataclasses.dataclass(frozen=True)
class Finding:
    """A located problem in valid data; ``note`` set means acknowledged (shown, not counted)."""

    path: str
    line: int
    col: int
    message: str
    code: str = ""
    note: str = ""

    def __str__(self) -> str:
        code = f" [{self.code}]" if self.code else ""
        note = f"（確認済み: {self.note}）" if self.note else ""
        return f"{self.path}:{self.line}:{self.col}: {self.message}{note}{code}"

    @property
    def acknowledged(self) -> bool:
        return bool(self.note)


CheckResult = list[DataError | Finding]


@dataclasses.dataclass(frozen=True)
class Check:
    """One registered check: ``target`` is ``"module:function"`` relative to ``hoshin``."""

    name: str
    target: str
    description: str
    in_build: bool = True  # fast enough to run before every build, and fatal there

    def load(self) -> Callable[[Project], CheckResult]:
        module, _, func = self.target.partition(":")
        return getattr(importlib.import_module(f"hoshin.{module}"), func)  # type: ignore[no-any-return]


#: Every check, in the order ``hoshin check`` runs them.
CHECKS: list[Check] = [
    Check("config", "core.config:check_project_conf",
          "conf.py の hoshin_* 設定の検証（型、値。conf.py が実行できない場合も）"),
    Check("sources", "core.source_check:check_source_encoding",
          "source/ のページが UTF-8 で読めるか（Shift_JIS、UTF-16、長すぎる行、制御文字・文字の向きを"
          "変える制御文字）、閉じていないフェンス（```、:::）がないか"),
    Check("files", "core.chapter_files:check_chapter_files",
          "ページが読み込むファイル（literalinclude、include、csv-table の :file:、画像、図）が"
          "プロジェクトの中にあるか、source/ にプロジェクトの外を指すシンボリックリンクがないか、"
          "生の HTML・LaTeX（hoshin_allow_raw で許したもの以外）がないか"),
    Check("revisions", "revisions.check:check_revision_data",
          "history.yaml と changes.yaml の検証（形式、版、No. の重複、節のラベル）"),
    Check("frozen", "revisions.check:check_frozen_versions",
          "凍結版の MANIFEST.sha256 の照合（原稿、用語集、改版記録、履歴の項目の書き換え・追加・削除と、"
          "前の版の MANIFEST.sha256 とのつながり）"),
    Check("signatures", "revisions.check:check_signatures",
          "凍結版の署名（MANIFEST.sha256.sig）を revisions/allowed_signers で検証（ssh-keygen -Y verify）",
          in_build=False),
    Check("comparisons", "revisions.check:check_comparisons",
          "改版記録と本文の照合（改版記録のない変更、変更のない記録、引用の不一致）",
          in_build=False),
    Check("glossary", "glossary.term_check:check_glossary_data",
          "用語集と許可リストの YAML の検証（形式、ひらがなの読み、id・見出し語の重複、表記の衝突）"),
    Check("terms", "glossary.term_check:check_unexplained_terms",
          "本文の難しい語（略語、カタカナ語、〜化・〜性の造語、長い漢字の複合語）が用語集か許可リストで"
          "説明されているか、使われなくなった許可語がないか",
          in_build=False),
    Check("flows", "diagrams.check:check_flow_data",
          "ページが描く図（{flow}）の YAML の検証（形式、ID の重複、未定義の工程・レーン、"
          "開始から辿れない工程、出口が 2 つ未満の分岐）"),
    Check("opinions", "opinions.check:check_opinion_data",
          "意見の YAML（revisions/opinions/*.yaml）の検証（形式、意見の番号の重複、対応区分）"),
    Check("opinion-links", "cli.opinion_check:check_opinion_join",
          "意見と改版記録の対応（対応区分と市の考え方のない意見、反映した意見が挙げる改版記録の有無と"
          "その変更が新旧対照表にあるか、意見を挙げる改版記録がその意見から挙げられているか）",
          in_build=False),
]  # fmt: skip


def run_checks(project: Project, *, names: Sequence[str] = (),
               in_build: bool = False) -> tuple[list[DataError], list[Finding]]:  # fmt: skip
    """Run the selected checks; return (errors, findings) in check order."""
    errors: list[DataError] = []
    findings: list[Finding] = []
    for check in CHECKS:
        if names and check.name not in names:
            continue
        if in_build and not check.in_build:
            continue
        for item in check.load()(project):
            if isinstance(item, DataError):
                item.path = project_path(project, item.path)
                errors.append(item)
            else:
                findings.append(dataclasses.replace(item, path=project_path(project, item.path)))
    return errors, findings


def project_path(project: Project, path: str) -> str:
    """A message's path shown one way: relative to the project folder (``-C DIR`` or not).

    Checks name files relative to the working folder or to the project; a path inside the
    project becomes project-relative, any other is left as it is.
    """
    if not path:
        return path
    given = Path(path)
    root = project.root.resolve()
    tries = [given] if given.is_absolute() else [Path.cwd() / given, project.root / given]
    for k, candidate in enumerate(tries):
        try:
            relative = candidate.resolve().relative_to(root)
        except ValueError:
            continue
        if candidate.exists() or k == len(tries) - 1:
            return relative.as_posix()
    return path
