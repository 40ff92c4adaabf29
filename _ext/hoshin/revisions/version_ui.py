"""Version furniture on every HTML page: switcher, 素案 mark, banner on older versions, footer.

The switcher is a ``<details>`` list of plain links: it opens with Enter or Space on its
``<summary>``, needs no JavaScript and works from ``file://``. Each link goes to the same
page in the other version when that version has it, otherwise to its cover. Older
versions say so in a banner linking to the latest version; every page ends with the
version id and, in the review edition, a short SHA-256 of its own source file (and, for a
frozen version, of its manifest), so the committee can tell which text a printout came from.

Theme-independent: the furniture is added to the page body in ``html-page-context``.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hoshin.core.digest import sha256_file
from hoshin.core.edition import is_review
from hoshin.core.history import CURRENT
from hoshin.core.manifest import MANIFEST, manifest_digest
from hoshin.revisions.links import revision_state, site_uri
from hoshin.revisions.state import RevisionState, version_root

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SHORT_HASH = 12
STATUS_MARK = {"draft": "素案", "published": "公表"}


def version_title(state: RevisionState, version_id: str) -> str:
    """The human name of a version (one rule: :func:`hoshin.core.history.version_display_name`)."""
    return state.data.display_name(version_id)


def version_status(state: RevisionState, version_id: str) -> str:
    """What the version is, in words: 作業中 / 最後に確定した版・素案 / 過去の版・公表 …"""
    if version_id == CURRENT:
        return "作業中・未確定"
    info = state.data.get(version_id)
    latest = state.data.latest
    place = "最後に確定した版" if latest is not None and latest.id == version_id else "過去の版"
    if info is None:
        return place
    parts = [place, STATUS_MARK.get(info.status, info.status)]
    if info.reconstructed:
        parts.append("本文は再構成")
    return "・".join(parts)


def relation_sentence(state: RevisionState) -> str:
    """How the working draft relates to the latest frozen version, stated once for the site."""
    latest = state.data.latest
    if latest is None:
        return "このサイトの既定の版は作業中の原稿です。まだ確定した版はありません。"
    return (f"このサイトの既定の版は作業中の原稿です。作業中の原稿は、最後に確定した版"
            f"「{version_title(state, latest.id)}」に手を加えている途中のもので、内容はまだ確定していません。")  # fmt: skip


def has_page(state: RevisionState, version_id: str, pagename: str) -> bool:
    """Whether ``pagename`` is a document of that version (frozen text or working draft)."""
    folder = state.root / "source" if version_id == CURRENT else state.data.source_dir(version_id)
    return (folder / f"{pagename}.md").is_file() or (folder / f"{pagename}.rst").is_file()


def switcher_html(app: Sphinx, state: RevisionState, pagename: str, is_doc: bool) -> str:
    here = state.version_id
    items: list[str] = []
    for vid in [CURRENT, *reversed(state.data.ids)]:
        same_page = is_doc and has_page(state, vid, pagename)
        href = site_uri(app, pagename, version_root(vid) + (pagename if same_page else "index"))
        info = state.data.get(vid)
        extra = [version_status(state, vid)]
        if info is not None and info.known_date:
            extra.append(info.date_text)
        if info is not None:
            extra.append(f"版番号 {vid}")
        detail = f'<span class="hoshin-version-detail">（{escape("・".join(extra))}）</span>'
        # aria-current="page" only on a link to this very page; elsewhere the version is
        # the current one of the set ("true"), its link goes to that version's cover.
        current = ""
        if vid == here:
            current = ' aria-current="page"' if same_page else ' aria-current="true"'
        items.append(f'<li><a href="{escape(href)}"{current}>{escape(version_title(state, vid))}</a>'
                     f"{detail}</li>")  # fmt: skip
    info = state.data.get(here)
    mark = ""
    if here == CURRENT:
        mark = '<span class="hoshin-draft-mark">作業中</span>'
    elif info is not None and info.status == "draft":
        mark = '<span class="hoshin-draft-mark">素案</span>'
    return ('<details class="hoshin-switcher">'
            f'<summary>版: {escape(version_title(state, here))} {mark}'
            '<span class="hoshin-sr">（版を切り替える）</span></summary>'
            f'<p class="hoshin-version-relation">{escape(relation_sentence(state))}</p>'
            f'<ul>{"".join(items)}</ul></details>')  # fmt: skip


def banner_html(app: Sphinx, state: RevisionState, pagename: str, is_doc: bool) -> str:
    """On a frozen version's pages: which version this is, and a link to the working draft."""
    here = state.version_id
    info = state.data.get(here)
    if here == CURRENT or info is None:
        return ""
    latest = state.data.latest
    target = pagename if is_doc and has_page(state, CURRENT, pagename) else "index"
    href = site_uri(app, pagename, version_root(CURRENT) + target)
    which = "最後に確定した版" if latest is not None and latest.id == here else "過去の版"
    recon = "この版の本文は、改訂箇所の表から再構成したものです。" if info.reconstructed else ""
    return ('<div class="hoshin-old-banner" role="note">'
            f"<p>これは{which}「{escape(version_title(state, here))}」のページです。{recon}"
            f'いま編集中の内容は<a href="{escape(href)}">作業中の原稿</a>にあります。</p></div>')  # fmt: skip


def footer_html(app: Sphinx, state: RevisionState, pagename: str) -> str:
    parts = [f"版: {escape(version_title(state, state.version_id))}"]
    if not is_review(app.config):  # hashes prove the source to the committee, not to residents
        return f'<footer class="hoshin-version-footer"><p>{parts[0]}</p></footer>'
    if pagename in app.env.found_docs:
        source = Path(app.env.doc2path(pagename))
        digest = sha256_file(source)
        parts.append(f'この頁の原稿 <code title="sha256 {digest}">{digest[:SHORT_HASH]}</code>')
    manifest = state.data.source_dir(state.version_id).parent / MANIFEST
    if state.version_id != CURRENT and manifest.is_file():
        digest = manifest_digest(manifest.parent)
        # the same full value as on the last page of the version's PDF
        parts.append(f'版の識別値（{MANIFEST} の SHA-256） <code title="sha256 {digest}">'
                     f"{digest}</code>")  # fmt: skip
    return f'<footer class="hoshin-version-footer"><p>{" ・ ".join(parts)}</p></footer>'


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    state = revision_state(app.env)
    if not state.enabled:
        return
    # Every page's <title> says which version it belongs to (hoshin.web's templates add the
    # suffix); a 新旧対照表 page names its two versions in its own title instead.
    if not context.get("hoshin_shinkyu"):
        context["hoshin_title_suffix"] = f"｜{version_title(state, state.version_id)}"
    if "body" not in context:
        return
    is_doc = pagename in app.env.found_docs
    bar = ('<div class="hoshin-versionbar">'
           f"{switcher_html(app, state, pagename, is_doc)}"
           f"{banner_html(app, state, pagename, is_doc)}</div>")  # fmt: skip
    context["body"] = bar + context["body"] + footer_html(app, state, pagename)
    if (
        state.version_id != CURRENT
        and state.data.latest
        and state.version_id != state.data.latest.id
    ):
        context["metatags"] = (
            context.get("metatags", "") + '<meta name="robots" content="noindex">\n'
        )


def setup_version_ui(app: Sphinx) -> None:
    app.connect("html-page-context", _page_context)
    app.add_css_file("hoshin-versions.css")
    app.add_css_file("hoshin-shinkyu.css")
