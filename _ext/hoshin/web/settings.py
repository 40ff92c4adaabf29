"""The web edition's ``hoshin_*`` configuration values (pure declarations, no Sphinx)."""

from __future__ import annotations

from hoshin.core.configspec import Setting, one_of

#: ``hoshin_navigation``: the whole site, or only the document a page belongs to.
NAVIGATION_SCOPES = ("site", "document")

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "navigation",
        "site",
        "html",
        "サイドバーの目次の範囲: site はサイト全体、document は各ページが属する文書だけ"
        "（最上位の文書をポータルとし、その目次の各項目を 1 つの文書とみなす。"
        "多数の文書を載せる書棚向け）",
        rule=one_of(*NAVIGATION_SCOPES),
    ),
)
