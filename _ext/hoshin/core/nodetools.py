"""Where hoshin's Node.js tools (textlint and its rules, mermaid-cli) are, wherever it runs.

The package ships the npm side as ``npm/package.json`` + ``npm/package-lock.json`` (no
test-only tools). ``hoshin setup`` installs exactly that lock into a per-user cache,
``~/.cache/hoshin/node/<digest of the two files>`` (``$HOSHIN_NODE_CACHE`` or
``$XDG_CACHE_HOME/hoshin/node`` instead of ``~/.cache/hoshin/node``), so that every project
of the user shares one install and a new hoshin with new pins gets a folder of its own.

A project's own ``node_modules`` (a town that pins its own versions, or hoshin's repository
with its embedded edition) comes first; nothing else is searched: hoshin never borrows the
tools of the checkout it happens to be installed from. No Sphinx import here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from hoshin.core.digest import sha256_bytes

NPM_DIR = Path(__file__).resolve().parent / "npm"
LOCK_FILES = ("package.json", "package-lock.json")
CACHE_ENV = "HOSHIN_NODE_CACHE"
#: Written last by ``hoshin setup``: its presence says the folder is complete.
STAMP_NAME = ".hoshin-setup"
SETUP_HINT = "hoshin setup"


def lock_digest(npm_dir: Path = NPM_DIR) -> str:
    # the lock files one after the other (the folder name of installed tools: keep its value)
    return sha256_bytes(b"".join((npm_dir / name).read_bytes() for name in LOCK_FILES))[:16]


def cache_root(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if environ.get(CACHE_ENV):
        return Path(environ[CACHE_ENV]).expanduser()
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "hoshin" / "node"


def tools_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The folder ``hoshin setup`` installs into (it holds ``node_modules``)."""
    return cache_root(environ) / lock_digest()


def is_set_up(folder: Path) -> bool:
    return (folder / STAMP_NAME).is_file() and (folder / "node_modules").is_dir()


def node_roots(project_root: Path, environ: Mapping[str, str] | None = None) -> list[Path]:
    """Folders whose ``node_modules`` may hold a tool: the project's own, then the cache's."""
    roots = [project_root]
    cached = tools_dir(environ)
    if cached != project_root:
        roots.append(cached)
    return roots


def find_bin(
    project_root: Path, name: str, environ: Mapping[str, str] | None = None
) -> Path | None:
    """``node_modules/.bin/<name>`` of the first root that has it."""
    for root in node_roots(project_root, environ):
        candidate = root / "node_modules" / ".bin" / name
        if candidate.exists():
            return candidate
    return None
