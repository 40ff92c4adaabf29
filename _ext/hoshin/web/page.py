"""Page furniture of the residents' web edition: Japanese UI text, ARIA fixes, sharing metadata.

The theme (furo) is built for English software documentation. For a Japanese municipal site:

- the theme's and Sphinx's UI strings that Sphinx's Japanese catalogue lacks (本文へ移動 for
  "Skip to content", …) are translated through a fallback catalogue;
- labels the theme hard-codes in English (sidebar toggles, "Toggle navigation of …") and toctree
  captions that carry ``role="heading"`` without the required ``aria-level`` are fixed on the
  rendered page body (``templates/page.html`` hands it to :func:`localise_furniture`);
- every page gets ``<meta name="description">`` and Open Graph tags from its first paragraph,
  and an empty inline favicon so that browsers do not ask the server for ``/favicon.ico``.
"""

from __future__ import annotations

import gettext
import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from hoshin.core.edition import REVIEW_MARK, REVIEW_NOTE, is_review

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

TEMPLATES_DIR = Path(__file__).parent / "templates"
DESCRIPTION_LENGTH = 110

#: UI strings of furo and Sphinx that Sphinx's ``ja`` catalogue does not translate.
UI_JA: dict[str, str] = {
    "Skip to content": "本文へ移動",
    "Back to top": "ページの先頭へ",
    "Next": "次へ",
    "Previous": "前へ",
    "Home": "ホーム",
    "On this page": "このページの内容",
    "Made with ": "使用ソフトウェア: ",
    "Copyright &#169; %(copyright)s": "&#169; %(copyright)s",
    "Link to this heading": "この見出しへのリンク",
    "Link to this definition": "この定義へのリンク",
    "Link to this term": "この用語へのリンク",
    "Link to this table": "この表へのリンク",
    "Link to this code": "このコードへのリンク",
    "Link to this image": "この図へのリンク",
    "Link to this toctree": "この目次へのリンク",
}

#: Markup furo writes with fixed English labels, and the Japanese replacement.
_FURNITURE_JA: tuple[tuple[str, str], ...] = (
    (
        'aria-label="Toggle site navigation sidebar"',
        'aria-label="サイト内ナビゲーションの表示切替"',
    ),
    ('aria-label="Toggle table of contents sidebar"', 'aria-label="このページの目次の表示切替"'),
    (
        'aria-label="Toggle Light / Dark / Auto color theme"',
        'aria-label="配色の切替（ライト・ダーク・自動）"',
    ),
    ("<title>Contents</title>", "<title>目次</title>"),
    ("<title>Menu</title>", "<title>メニュー</title>"),
    ("<title>Expand</title>", "<title>開く</title>"),
    ("<title>Light mode</title>", "<title>ライトモード</title>"),
    ("<title>Dark mode</title>", "<title>ダークモード</title>"),
    ("<title>Auto light/dark, in light mode</title>", "<title>自動（現在ライト）</title>"),
    ("<title>Auto light/dark, in dark mode</title>", "<title>自動（現在ダーク）</title>"),
    # Sphinx's toctree captions: role="heading" requires aria-level (axe aria-required-attr).
    ('class="caption" role="heading">', 'class="caption" role="heading" aria-level="2">'),
)
_TOGGLE_NAV_RE = re.compile(r'aria-label="Toggle navigation of ([^"]*)"')


def localise_furniture(body: str) -> str:
    """Translate the theme's hard-coded English labels in a rendered page body."""
    for english, japanese in _FURNITURE_JA:
        body = body.replace(english, japanese)
    return _TOGGLE_NAV_RE.sub(r'aria-label="「\1」の下位項目の表示切替"', body)


class _UiCatalogue(gettext.NullTranslations):
    """A fallback catalogue: consulted only for strings Sphinx's own catalogue lacks."""

    def __init__(self, messages: dict[str, str]) -> None:
        super().__init__()
        self.messages = messages

    def gettext(self, message: str) -> str:
        return self.messages.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.messages.get(msgid1 if n == 1 else msgid2, msgid1 if n == 1 else msgid2)


def _install_ui_catalogue(app: Sphinx) -> None:
    if not (app.config.language or "").startswith("ja"):
        return
    translator: Any = app.translator
    chained = translator
    while chained is not None:
        if isinstance(chained, _UiCatalogue):
            return
        chained = getattr(chained, "_fallback", None)
    translator.add_fallback(_UiCatalogue(UI_JA))


def _add_templates_path(app: Sphinx, config: Config) -> None:
    if str(TEMPLATES_DIR) not in config.templates_path:
        config.templates_path.append(str(TEMPLATES_DIR))


def page_description(doctree: nodes.Node | None, fallback: str) -> str:
    """The first paragraph of real prose on the page, shortened for link previews."""
    if doctree is not None:
        for paragraph in doctree.findall(nodes.paragraph):
            if _in_navigation(paragraph) or _generated(paragraph):
                continue
            text = re.sub(r"\s+", " ", paragraph.astext()).strip()
            if len(text) >= 30:
                return (
                    text
                    if len(text) <= DESCRIPTION_LENGTH
                    else text[: DESCRIPTION_LENGTH - 1] + "…"
                )
    return fallback


#: Paragraphs inside these are not the page's own prose (cells, notes, navigation).
_NOT_PROSE = (nodes.table, nodes.Admonition, nodes.footnote, nodes.citation, nodes.sidebar)


def _generated(paragraph: nodes.paragraph) -> bool:
    """hoshin's own sentences (revision notes, headings of boxes) are not the page's prose."""
    return any(c.startswith("hoshin-") for c in paragraph.get("classes", ()))


def _in_navigation(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _NOT_PROSE) or (
            isinstance(parent, nodes.Element)
            and {"toctree-wrapper", "no-search"} & set(parent.get("classes", ()))
        ):
            return True
        parent = parent.parent
    return False


def sharing_tags(*, title: str, site_name: str, description: str, url: str | None) -> str:
    """``<meta>`` tags for search engines and link previews (no image: nothing external)."""
    tags = [
        ("name", "description", description),
        ("property", "og:type", "website"),
        ("property", "og:locale", "ja_JP"),
        ("property", "og:site_name", site_name),
        ("property", "og:title", title),
        ("property", "og:description", description),
    ]
    if url:
        tags.append(("property", "og:url", url))
    tags.append(("name", "twitter:card", "summary"))
    lines = [f'<meta {kind}="{key}" content="{html.escape(value)}">' for kind, key, value in tags]
    lines.append('<link rel="icon" href="data:,">')
    return "\n".join(lines) + "\n"


def _page_context(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.Node | None,
) -> None:
    context["hoshin_localise_furniture"] = localise_furniture
    if is_review(app.config):
        context["hoshin_review_mark"] = REVIEW_MARK
        context["hoshin_review_note"] = REVIEW_NOTE
        docstitle = context.get("docstitle") or app.config.project
        if not docstitle.startswith(f"【{REVIEW_MARK}】"):
            context["docstitle"] = f"【{REVIEW_MARK}】{docstitle}"
    project = app.config.project
    issuer = getattr(app.config, "hoshin_issuer", "")
    fallback = (
        f"{issuer}「{project}」のウェブ版です。" if issuer else f"「{project}」のウェブ版です。"
    )
    title = html.unescape(re.sub(r"<[^>]+>", "", context.get("title") or project))
    if pagename == app.config.root_doc:
        description = fallback  # the cover: the document itself, not its first table note
    elif doctree is None:
        description = f"{title}。{fallback}" if title != project else fallback
    else:
        description = page_description(doctree, fallback)
    url = context.get("pageurl") if app.config.html_baseurl else None
    context["metatags"] = context.get("metatags", "") + sharing_tags(
        title=title, site_name=project, description=description, url=url
    )


def setup_webpage(app: Sphinx) -> None:
    app.connect("config-inited", _add_templates_path)
    app.connect("builder-inited", _install_ui_catalogue)
    app.connect("html-page-context", _page_context)
