"""Configuration values: each feature declares its own, one check and one reference use them."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from hoshin import FEATURES, all_settings
from hoshin.core.config import check_conf

from .conftest import REPO

EXT = REPO / "_ext" / "hoshin"


def test_each_value_is_declared_once_by_the_feature_that_uses_it() -> None:
    keys = [s.key for s in all_settings()]
    assert len(keys) == len(set(keys))
    owners = {
        "hoshin_glossary_dir": "hoshin.glossary",
        "hoshin_term_links": "hoshin.glossary",
        "hoshin_flow_theme": "hoshin.diagrams",
        "hoshin_shinkyu_columns": "hoshin.revisions",
        "hoshin_lint_in_build": "hoshin.lint",
        "hoshin_pdf_links": "hoshin.pdf",
        "hoshin_navigation": "hoshin.web",
    }
    for key, feature in owners.items():
        declared = importlib.import_module(f"{feature}.settings").SETTINGS
        assert key in [s.key for s in declared], key
    for feature in FEATURES[1:]:
        source = (EXT / feature.split(".")[1] / "__init__.py").read_text(encoding="utf-8")
        assert "add_settings(app, SETTINGS)" in source, feature


def test_every_declared_value_is_read_somewhere() -> None:
    """A documented setting nobody reads (as hoshin_revisions_dir was) cannot come back."""
    code = {
        path: path.read_text(encoding="utf-8")
        for path in EXT.rglob("*.py")
        if path.name != "settings.py" and path.parts[-2:] != ("core", "config.py")
    }
    for setting in all_settings():
        pattern = re.compile(rf"\b{setting.key}\b|\bhc\.{setting.name}\b")
        assert any(pattern.search(text) for text in code.values()), setting.key
    assert "hoshin_revisions_dir" not in [s.key for s in all_settings()]


def test_hoshin_check_names_unknown_and_bad_values_of_every_feature(tmp_path: Path) -> None:
    conf = tmp_path / "conf.py"
    conf.write_text(
        'project = "x"\n'
        'hoshin_revisions_dir = "old"\n'
        "hoshin_term_link = False\n"
        'hoshin_navigation = "nearby"\n'
        'hoshin_draft_findings = "error"\n'
        'hoshin_pdf_links = "yes"\n',
        encoding="utf-8",
    )
    errors = [str(e) for e in check_conf(conf)]
    assert f"{conf}:2:24: unknown setting hoshin_revisions_dir" in errors
    hint = "(did you mean 'hoshin_term_links'?)"
    assert f"{conf}:3:20: unknown setting hoshin_term_link {hint}" in errors
    assert f"{conf}:4:21: hoshin_navigation must be 'site' or 'document', got 'nearby'" in errors
    assert f"{conf}:5:25: hoshin_draft_findings must be 'warning' or 'info', got 'error'" in errors
    assert f"{conf}:6:20: hoshin_pdf_links must be bool, got str 'yes'" in errors
    assert len(errors) == 5


@pytest.mark.sphinx("html", testroot="mini", confoverrides={"hoshin_flow_theme": 3})
def test_a_feature_checks_its_own_values_in_the_build(app) -> None:
    warnings = app.warning.getvalue()
    assert "hoshin_flow_theme must be str, got int 3; using the default 'neutral'" in warnings
    assert app.config.hoshin_flow_theme == "neutral"


def test_the_guide_lists_every_declared_value() -> None:
    from hoshin.reference import ConfigReference

    lines = ConfigReference.markdown(None)  # type: ignore[arg-type]
    for setting in all_settings():
        assert any(line.startswith(f"| `{setting.key}` |") for line in lines), setting.key


@pytest.mark.sphinx("text", testroot="flows", confoverrides={"hoshin_pdf_links": True})
def test_pdf_links_is_an_ordinary_setting(app) -> None:
    """``hoshin build --pdf`` passes it as ``-D hoshin_pdf_links=1``; no environment variable."""
    from hoshin.pdf.extension import pdf_links_html

    assert app.config.hoshin_pdf_links is True
    links = pdf_links_html(app, "index", {})
    assert '<aside class="hoshin-pdf-links"' in links and "policy-current.pdf" in links
