"""Frozen versions share the site's unchanged static files (one URL, one browser cache entry)."""

from __future__ import annotations

import os
from pathlib import Path

from hoshin.revisions.sharedstatic import SHARED_RECORD, share_static, sharing_is_current


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _site(tmp_path: Path) -> tuple[Path, Path, Path]:
    site = tmp_path / "html"
    _write(site / "_static" / "hoshin.css", "body { color: black; }")
    _write(site / "_static" / "styles" / "furo.css", "/* furo */")
    version = site / "versions" / "_83"
    _write(version / "_static" / "hoshin.css", "body { color: black; }")
    _write(version / "_static" / "styles" / "furo.css", "/* furo */")
    _write(version / "_static" / "documentation_options.js", "VERSION = '_83';")
    cache = tmp_path / "cache" / "3-1-2.html"
    _write(
        cache,
        '<link href="../_static/styles/furo.css?v=1"><link href="../_static/hoshin.css?v=2">'
        '<script src="../_static/documentation_options.js?v=3"></script>',
    )
    page = version / "3" / "3-1-2.html"
    page.parent.mkdir(parents=True)
    os.link(cache, page)  # as place_version puts a cached version into the site
    return site, version, cache


def test_identical_files_are_shared_and_different_ones_stay(tmp_path: Path) -> None:
    site, version, cache = _site(tmp_path)
    assert sorted(share_static(site, version)) == ["hoshin.css", "styles/furo.css"]
    page = (version / "3" / "3-1-2.html").read_text(encoding="utf-8")
    assert '<link href="../../../_static/styles/furo.css?v=1">' in page
    assert '<link href="../../../_static/hoshin.css?v=2">' in page
    assert '<script src="../_static/documentation_options.js?v=3">' in page  # its own
    assert not (version / "_static" / "hoshin.css").exists()
    assert not (version / "_static" / "styles").exists()
    assert (version / "_static" / "documentation_options.js").exists()
    assert cache.read_text(encoding="utf-8").startswith('<link href="../_static/')  # untouched
    assert sharing_is_current(site, version)
    assert share_static(site, version) == []  # nothing more to share, record kept
    assert "hoshin.css" in (version / SHARED_RECORD).read_text(encoding="utf-8")


def test_a_changed_site_file_asks_for_the_version_to_be_placed_again(tmp_path: Path) -> None:
    site, version, _ = _site(tmp_path)
    share_static(site, version)
    _write(site / "_static" / "hoshin.css", "body { color: navy; }")
    assert not sharing_is_current(site, version)
