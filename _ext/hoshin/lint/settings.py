"""The lint feature's ``hoshin_*`` configuration values (pure declarations, no Sphinx)."""

from __future__ import annotations

from hoshin.core.configspec import Setting

SETTINGS: tuple[Setting, ...] = (
    Setting("lint_in_build", False, "", "textlint の指摘を Sphinx の警告としても表示する"),
)
