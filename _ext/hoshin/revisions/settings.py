"""The revisions' ``hoshin_*`` configuration values (pure declarations, no Sphinx)."""

from __future__ import annotations

from typing import Any

from hoshin.core.configspec import Setting, one_of


def _old_and_new(value: Any) -> str | None:
    if sorted(value) != ["new", "old"]:
        return f"must name 'old' and 'new' once each, got {list(value)!r}"
    return None


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "draft_findings",
        "warning",
        "",
        "作業中の原稿と最新の凍結版との照合結果（改版記録のない変更など）を警告"
        "（warning）にするか情報（info）にするか",
        rule=one_of("warning", "info"),
    ),
    Setting(
        "shinkyu_columns",
        ("old", "new"),
        "html",
        "新旧対照表の列の順（old = 改版前, new = 改版後）",
        rule=_old_and_new,
    ),
)
