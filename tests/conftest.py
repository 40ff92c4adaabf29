"""Shared fixtures: paths of the repository and one HTML build of the working draft per session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

REPO = Path(__file__).resolve().parent.parent
#: The CLI speaks Japanese in a Japanese project unless asked otherwise; the tests read its
#: English texts (tests/test_i18n.py checks the Japanese ones), whatever the machine's LANG.
os.environ["HOSHIN_LANG"] = "en"
#: Messages are compared as plain text; a CI runner's FORCE_COLOR would colour them.
os.environ.pop("FORCE_COLOR", None)
#: The seed text, kept in the repository so that CI on a clean clone checks against it.
SEED = REPO / "tests" / "seed" / "000_57dda743b5e09dc3.txt"
VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="session", autouse=True)
def node_tools_cache(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """``hoshin setup``'s cache for the projects tests make outside the repository.

    The repository's own node_modules holds the same pinned tools (make setup installs
    them), so a cache folder that links to it stands for a finished ``hoshin setup``
    without the network. Set HOSHIN_NODE_CACHE yourself to test against a real one.
    """
    from hoshin.core.nodetools import CACHE_ENV, STAMP_NAME, tools_dir

    if os.environ.get(CACHE_ENV) or not (REPO / "node_modules" / ".bin" / "mmdc").exists():
        return None
    root = tmp_path_factory.mktemp("node-cache")
    folder = tools_dir({CACHE_ENV: str(root)})
    folder.mkdir(parents=True)
    (folder / "node_modules").symlink_to(REPO / "node_modules", target_is_directory=True)
    (folder / STAMP_NAME).write_text("linked to the repository's node_modules\n", "utf-8")
    os.environ[CACHE_ENV] = str(root)
    return folder


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Small test projects for ``sphinx.testing`` live under ``tests/roots``."""
    return REPO / "tests" / "roots"


@pytest.fixture(scope="session")
def draft_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded edition's working draft built to HTML once (``sphinx-build``, strict)."""
    out = tmp_path_factory.mktemp("draft-html")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1622678400"}
    proc = subprocess.run(
        [
            str(VENV_BIN / "sphinx-build"),
            "-q",
            "-W",
            "--keep-going",
            "-c",
            str(REPO),
            str(REPO / "source"),
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return out
