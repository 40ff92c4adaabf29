"""textlint's raw messages per file, reused while nothing that changes them has changed.

``hoshin serve --lint`` and ``hoshin_lint_in_build`` lint on every save; a textlint run costs
seconds (the morphological dictionary loads first), so only files whose blanked text changed
are linted again. The key of a file is its blanked text plus a *setup key*: the effective
configuration, the content of every prh dictionary it names, and the installed npm packages
(``node_modules/.package-lock.json``). textlint's own ``--cache`` is no use here: it never
caches a file that has findings. Pure Python.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hoshin.core.digest import InputDigest, sha256_text

#: Bump when the stored format changes.
FORMAT = 1


def setup_key(config: dict[str, Any], node_modules: Path) -> str:
    """A hash of everything besides the text that decides textlint's messages."""
    digest = InputDigest().add_text(
        "config", json.dumps(config, ensure_ascii=False, sort_keys=True)
    )  # nulls kept: a rule set to null is not a rule left out
    prh = config.get("rules", {}).get("prh")
    for name in prh.get("rulePaths", []) if isinstance(prh, dict) else []:
        digest.add_file(Path(name), f"prh:{name}")
    installed = node_modules / ".package-lock.json"
    packages = installed if installed.is_file() else node_modules / "textlint" / "package.json"
    return digest.add_file(packages, "npm").hexdigest()


class ResultCache:
    """One JSON file mapping each linted file to (key, messages); ``path=None`` disables it."""

    def __init__(self, path: Path | None, setup: str) -> None:
        self.path = path
        self.setup = setup
        self.entries: dict[str, dict[str, Any]] = {}
        self.dirty = False
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("format") == FORMAT:
                    self.entries = data.get("files", {})
            except (OSError, ValueError, AttributeError):
                self.entries = {}

    def _key(self, text: str) -> str:
        return sha256_text(self.setup + "\0" + text)

    def get(self, file: Path, blanked: str) -> list[dict[str, Any]] | None:
        entry = self.entries.get(str(file))
        if entry and entry.get("key") == self._key(blanked):
            return list(entry.get("messages", []))
        return None

    def put(self, file: Path, blanked: str, messages: list[dict[str, Any]]) -> None:
        self.entries[str(file)] = {"key": self._key(blanked), "messages": messages}
        self.dirty = True

    def save(self) -> None:
        """Write atomically (two lint runs at once must not leave a torn file)."""
        if self.path is None or not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        blob = json.dumps({"format": FORMAT, "files": self.entries}, ensure_ascii=False)
        fd, tmp = tempfile.mkstemp(prefix=".lint-", dir=self.path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(blob)
        os.replace(tmp, self.path)
        self.dirty = False
