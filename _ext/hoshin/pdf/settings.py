"""The PDF edition's ``hoshin_*`` configuration values (pure declarations, no Sphinx)."""

from __future__ import annotations

from hoshin.core.configspec import Setting

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "pdf_appendices",
        ("revisions", "glossary"),
        "",
        "PDF で付録にする文書（docname）。既定は改版履歴と用語集",
    ),
    Setting("pdf_backmatter", ("colophon",), "", "PDF の最後に置く文書（docname）。既定は奥付"),
    Setting(
        "pdf_links",
        False,
        "html",
        "ウェブ版の各ページに、その版の PDF（新旧対照表のページには対照表の PDF）へのリンクを置く"
        "（hoshin build --pdf が True にする）",
    ),
)
