"""The opinions' ``hoshin_*`` configuration values (pure declarations, no Sphinx)."""

from __future__ import annotations

from typing import Any

from hoshin.core.configspec import Setting
from hoshin.opinions.model import DEFAULT_DISPOSITIONS, DEFAULT_REFLECTED


def _non_empty(value: Any) -> str | None:
    if not value or any(not str(v).strip() for v in value):
        return "must list at least one category, none of them empty"
    if len(set(value)) != len(value):
        return f"names a category twice: {list(value)!r}"
    return None


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "opinion_dispositions",
        DEFAULT_DISPOSITIONS,
        "env",
        "意見の対応区分（公表する表と件数の順）",
        rule=_non_empty,
    ),
    Setting(
        "opinion_reflected",
        DEFAULT_REFLECTED,
        "env",
        "本文を改めたことを表す対応区分（この区分の意見は改版記録の No. を挙げる必要があります）",
        rule=_non_empty,
    ),
    Setting(
        "opinion_office",
        True,
        "html",
        "ウェブ版の「意見の概要と市の考え方」の表に Excel（.xlsx）と Word（.docx）の"
        "ファイルを添える",
    ),
)
