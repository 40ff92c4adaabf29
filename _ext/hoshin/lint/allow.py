"""Per-rule allowances for textlint findings, recorded in ``.textlintrc.json``.

A policy's text belongs to its author (for the embedded edition, the city): where it departs
from a rule on purpose, the configuration says so, rule by rule, with a reason, instead of the
text being rewritten. textlint ignores the ``"hoshin"`` key; hoshin reads it::

    "hoshin": {
      "allow": [
        {"rule": "ja-technical-writing/sentence-length", "path": "source/1/1-1.md",
         "text": "平成13年1月、日本最初のIT戦略",
         "reason": "市の原文（191字）。改版時に分割を検討する"}
      ]
    }

An entry matches a finding when its ``rule`` is the finding's rule id, the finding's file
(relative to the project, ``/``-separated) matches the ``path`` glob (if given), the source
line where the finding starts contains ``text`` (a string or a list, any of them; if given),
and the message contains ``message`` (if given). ``reason`` is required. Pure Python.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from hoshin.core.yamlio import DataError

_KEYS = {"rule", "path", "text", "message", "reason"}


@dataclasses.dataclass(frozen=True)
class Allowance:
    rule: str
    reason: str
    path: str | None = None
    texts: tuple[str, ...] = ()
    message: str | None = None
    index: int = 0

    def applies_to(self, rel_path: str) -> bool:
        return self.path is None or fnmatch.fnmatchcase(rel_path, self.path)

    def matches(self, rule: str, rel_path: str, line_text: str, message: str) -> bool:
        return (
            rule == self.rule
            and self.applies_to(rel_path)
            and (not self.texts or any(t in line_text for t in self.texts))
            and (self.message is None or self.message in message)
        )

    def describe(self) -> str:
        where = f" in {self.path}" if self.path else ""
        what = f" at 「{self.texts[0]}」" if self.texts else ""
        return f"allowance #{self.index + 1} ({self.rule}{where}{what})"


def read_allowances(config: dict[str, Any], config_path: Path) -> list[Allowance]:
    """The ``hoshin.allow`` entries of a textlint configuration, checked."""
    section = config.get("hoshin", {})
    if not isinstance(section, dict):
        raise DataError(config_path, 1, 1, '"hoshin" must be an object')
    entries = section.get("allow", [])
    if not isinstance(entries, list):
        raise DataError(config_path, 1, 1, '"hoshin.allow" must be a list')
    out = []
    for n, entry in enumerate(entries):
        where = f"hoshin.allow[{n}]"
        if not isinstance(entry, dict):
            raise DataError(config_path, 1, 1, f"{where} must be an object")
        unknown = set(entry) - _KEYS
        if unknown:
            raise DataError(
                config_path,
                1,
                1,
                f"{where}: unknown key(s) {', '.join(sorted(unknown))}; "
                f"allowed: {', '.join(sorted(_KEYS))}",
            )
        for key in ("rule", "reason"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise DataError(config_path, 1, 1, f"{where}: {key!r} is required (a string)")
        text = entry.get("text", [])
        texts = (text,) if isinstance(text, str) else tuple(text)
        if not all(isinstance(t, str) and t for t in texts):
            raise DataError(
                config_path,
                1,
                1,
                f"{where}: 'text' must be a string or a list of non-empty strings",
            )
        for key in ("path", "message"):
            if key in entry and not isinstance(entry[key], str):
                raise DataError(config_path, 1, 1, f"{where}: {key!r} must be a string")
        out.append(
            Allowance(
                rule=entry["rule"],
                reason=entry["reason"],
                path=entry.get("path"),
                texts=texts,
                message=entry.get("message"),
                index=n,
            )
        )
    return out


def relative_name(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def unused_allowances(
    allowances: Sequence[Allowance], used: Iterable[int], linted: Iterable[str]
) -> list[Allowance]:
    """Allowances for a passage (``path`` and ``text``) of a linted file that matched nothing.

    The passage was edited or the finding went away: the allowance is stale. Allowances
    without a ``text`` cover whole files or rules and are never reported as stale.
    """
    used_set = set(used)
    names = list(linted)
    return [
        a
        for a in allowances
        if a.index not in used_set
        and a.path is not None
        and a.texts
        and any(a.applies_to(n) for n in names)
    ]


def config_line(config_text: str, allowance: Allowance) -> int:
    """The line of ``.textlintrc.json`` where an allowance is written (1 if not found)."""
    needles = [json.dumps(t, ensure_ascii=False) for t in allowance.texts]
    needles.append(json.dumps(allowance.rule, ensure_ascii=False))
    for needle in needles:
        k = config_text.find(needle)
        if k >= 0:
            return config_text.count("\n", 0, k) + 1
    return 1
