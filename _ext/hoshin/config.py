"""hoshin's configuration values, declared once.

Each field becomes ``hoshin_<name>`` in ``conf.py``; the docs reference is generated from
this dataclass. ``rebuild`` follows Sphinx: ``"env"`` when the value changes what is read,
``"html"`` when it only changes output.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


@dataclasses.dataclass(frozen=True)
class HoshinConfig:
    project_slug: str = dataclasses.field(
        default="policy",
        metadata={"rebuild": "html", "doc": "PDF などのファイル名に使う ASCII の略称"},
    )
    issuer: str = dataclasses.field(
        default="", metadata={"rebuild": "html", "doc": "発行者（PDF の著者、表紙）"}
    )
    root: str = dataclasses.field(
        default="",
        metadata={
            "rebuild": "env",
            "doc": "プロジェクトの最上位フォルダ（空なら conf.py のあるフォルダ）",
        },
    )
    revisions_dir: str = dataclasses.field(
        default="revisions",
        metadata={"rebuild": "env", "doc": "版の履歴・改版記録・凍結版を置くフォルダ"},
    )
    glossary_dir: str = dataclasses.field(
        default="glossary", metadata={"rebuild": "env", "doc": "用語集の YAML を置くフォルダ"}
    )
    version_id: str = dataclasses.field(
        default="current",
        metadata={"rebuild": "env", "doc": "このビルドが表す版の ID（作業中の原稿は current）"},
    )
    draft_findings: str = dataclasses.field(
        default="warning",
        metadata={
            "rebuild": "",
            "doc": "作業中の原稿と最新の凍結版との照合結果（改版記録のない変更など）を警告"
            "（warning）にするか情報（info）にするか",
        },
    )
    shinkyu_columns: tuple[str, ...] = dataclasses.field(
        default=("old", "new"),
        metadata={"rebuild": "html", "doc": "新旧対照表の列の順（old = 改版前, new = 改版後）"},
    )
    pdf_appendices: tuple[str, ...] = dataclasses.field(
        default=("glossary",),
        metadata={"rebuild": "", "doc": "PDF で付録にする文書（docname）。既定は用語集"},
    )
    pdf_backmatter: tuple[str, ...] = dataclasses.field(
        default=("colophon",),
        metadata={"rebuild": "", "doc": "PDF の最後に置く文書（docname）。既定は奥付"},
    )
    lint_in_build: bool = dataclasses.field(
        default=False,
        metadata={"rebuild": "", "doc": "textlint の指摘を Sphinx の警告としても表示する"},
    )
    flow_theme: str = dataclasses.field(
        default="neutral",
        metadata={
            "rebuild": "html",
            "doc": "図（flow）の mermaid テーマ（白黒印刷に向く neutral が既定）",
        },
    )
    flow_mmdc: str = dataclasses.field(
        default="",
        metadata={
            "rebuild": "",
            "doc": "mermaid-cli（mmdc）のパス（空なら node_modules/.bin/mmdc）",
        },
    )
    flow_chromium: str = dataclasses.field(
        default="/usr/bin/chromium",
        metadata={"rebuild": "", "doc": "図の描画に使う chromium のパス"},
    )
    flow_cache_dir: str = dataclasses.field(
        default="",
        metadata={"rebuild": "", "doc": "描画した図の置き場（空なら _build/.cache/mermaid）"},
    )


def setup_config(app: Sphinx) -> None:
    for f in dataclasses.fields(HoshinConfig):
        app.add_config_value(f"hoshin_{f.name}", f.default, f.metadata["rebuild"])


def read_config(config: Config) -> HoshinConfig:
    values: dict[str, Any] = {}
    for f in dataclasses.fields(HoshinConfig):
        value = getattr(config, f"hoshin_{f.name}")
        values[f.name] = tuple(value) if isinstance(f.default, tuple) else value
    return HoshinConfig(**values)


def project_root(app: Sphinx) -> Path:
    root = app.config.hoshin_root
    return Path(root).resolve() if root else Path(app.confdir).resolve()
