"""The editor's guide builds strict-clean with hoshin itself, and its reference is generated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hoshin.core.warnings_ import WarningSubType

from .conftest import REPO
from .htmltext import page_text


@pytest.fixture(scope="module")
def guide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    sphinx = Path(sys.executable).parent / "sphinx-build"
    proc = subprocess.run(
        [str(sphinx), "-q", "-W", "--keep-going", "-c", "docs", "docs", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    return out


def test_reference_lists_every_warning_subtype_with_its_meaning(guide: Path) -> None:
    text = page_text(guide / "reference.html")
    for member in WarningSubType:
        assert f"hoshin.{member.value}" in text
    assert "A data file (YAML) is invalid" in text


def test_reference_lists_commands_and_config(guide: Path) -> None:
    text = page_text(guide / "reference.html")
    assert "hoshin build" in text and "hoshin serve" in text
    assert "hoshin_project_slug" in text
