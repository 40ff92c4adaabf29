"""The glossary's ``hoshin_*`` configuration values (pure declarations, no Sphinx)."""

from __future__ import annotations

from hoshin.core.configspec import Setting

SETTINGS: tuple[Setting, ...] = (
    Setting("glossary_dir", "glossary", "env", "用語集の YAML を置くフォルダ"),
    Setting(
        "term_links",
        True,
        "env",
        "各ページで用語集の語が最初に出てくる箇所を用語集へのリンクにする（ウェブ版では説明を"
        "ツールチップで表示）",
    ),
    Setting(
        "term_check",
        True,
        "env",
        "用語集にも許可リストにもない難しい語を警告（hoshin.unexplained_term）として表示する",
    ),
)
