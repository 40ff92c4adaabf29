"""hoshin's own lint rules (Python), run beside textlint and reported the same way.

A rule turns a file's text into messages in textlint's format, so its findings are placed,
allowed (``hoshin.allow`` in ``.textlintrc.json``), cached and fixed like textlint's. Rules
are switched in the ``"hoshin"`` section of the configuration::

    "hoshin": {"desumasu": false}

Results are kept per file in ``hoshin-rules.json`` beside textlint's cache, keyed by the
file's text (not the blanked text: a rule may read what blanking drops) and the rules'
versions, so an unchanged project does not even load the analyser. Pure Python.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hoshin.core.yamlio import DataError
from hoshin.lint import desumasu
from hoshin.lint.cache import ResultCache

#: rule id → (setting in the "hoshin" section, on by default)
RULES = {desumasu.RULE: ("desumasu", True)}
#: textlint's rule that reports だ/である among です・ます: the same line is not reported twice.
TEXTLINT_DESUMASU = "no-mix-dearu-desumasu"


def enabled_rules(config: dict[str, Any], config_path: Path) -> list[str]:
    section = config.get("hoshin", {})
    section = section if isinstance(section, dict) else {}
    out = []
    for rule, (key, default) in RULES.items():
        value = section.get(key, default)
        if not isinstance(value, bool):
            raise DataError(config_path, 1, 1, f'"hoshin.{key}" must be true or false')
        if value:
            out.append(rule)
    return out


class OwnRules:
    """The enabled rules of one configuration, with their result cache."""

    def __init__(self, config: dict[str, Any], config_path: Path, cache_dir: Path | None):
        self.rules = enabled_rules(config, config_path)
        setup = json.dumps({"rules": self.rules, "desumasu": desumasu.VERSION})
        self.cache = ResultCache(cache_dir / "hoshin-rules.json" if cache_dir else None, setup)
        self._memo: dict[tuple[Path, str], list[dict[str, Any]]] = {}

    def messages(self, path: Path, text: str, *, store: bool = False) -> list[dict[str, Any]]:
        if not self.rules:
            return []
        got = self._memo.get((path, text))
        if got is None:
            got = self.cache.get(path, text)
        if got is None:
            got = desumasu.desumasu_messages(text) if desumasu.RULE in self.rules else []
            self._memo[(path, text)] = got
        if store and self.cache.get(path, text) is None:
            self.cache.put(path, text, got)
        return got

    def save(self) -> None:
        self.cache.save()
