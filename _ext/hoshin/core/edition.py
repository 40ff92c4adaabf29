"""Which edition a build makes: the public edition for residents or the review edition.

The public edition shows residents only what is written for them. The review edition (for
editors and the committee, ``hoshin build --review``) adds what the checks found and what
proves which text a page came from: quote mismatches, stale reasons, unexplained changes
and their acknowledgements with file and line, hashes of the sources, editors' notes in
the glossary. Every feature asks :func:`is_review` (one rule, defined here) and marks each
page and PDF of the review edition with :data:`REVIEW_MARK`.

The edition is the config value ``hoshin_edition``; its default comes from the environment
variable :data:`EDITION_ENV`, which ``hoshin build --review`` sets for every Sphinx process
it starts (the working draft, each frozen version, each PDF). No Sphinx import here.
"""

from __future__ import annotations

import os
from typing import Any

PUBLIC = "public"
REVIEW = "review"
EDITIONS = (PUBLIC, REVIEW)
#: Set to ``review`` by ``hoshin build --review`` for the Sphinx processes it starts.
EDITION_ENV = "HOSHIN_EDITION"
#: The mark on every page and PDF of the review edition.
REVIEW_MARK = "審議用"
#: What the mark means, shown beside it on web pages.
REVIEW_NOTE = (
    "編集者と審議会委員のための版です。照合結果や原稿の出所などの確認用の情報を含みます。"
    "市民向けに公開する版ではありません。"
)


def env_edition() -> str:
    """The edition asked for by the environment (``public`` unless set to ``review``)."""
    return REVIEW if os.environ.get(EDITION_ENV) == REVIEW else PUBLIC


def edition_default(config: Any = None) -> str:
    """Default of ``hoshin_edition`` (a Sphinx callable default: takes the config)."""
    return env_edition()


def is_review(config: Any) -> bool:
    """Whether a build with this Sphinx config (or ``HoshinConfig``) makes the review edition."""
    value = getattr(config, "hoshin_edition", None)
    if value is None:
        value = getattr(config, "edition", PUBLIC)
    return bool(value == REVIEW)
