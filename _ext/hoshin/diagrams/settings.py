"""The diagrams' ``hoshin_*`` configuration values (pure declarations, no Sphinx)."""

from __future__ import annotations

from hoshin.core.configspec import Setting

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "flow_theme",
        "neutral",
        "html",
        "図（flow と mermaid）の mermaid テーマ（白黒印刷に向く neutral が既定）",
    ),
    Setting("flow_mmdc", "", "", "mermaid-cli（mmdc）のパス（空なら node_modules/.bin/mmdc）"),
    Setting("flow_chromium", "/usr/bin/chromium", "", "図の描画に使う chromium のパス"),
    Setting("flow_cache_dir", "", "", "描画した図の置き場（空なら _build/.cache/mermaid）"),
)
