"""Input digests are made one way (hoshin.core.digest), and every cache and stamp uses it."""

from __future__ import annotations

import re
from pathlib import Path

from hoshin.core.digest import InputDigest, files_under, sha256_bytes

from .conftest import REPO


def test_names_and_contents_never_run_into_each_other(tmp_path: Path) -> None:
    assert InputDigest().add("ab", b"c").hexdigest() != InputDigest().add("a", b"bc").hexdigest()
    one = InputDigest().add("a", b"").add("b", b"").hexdigest()
    assert one != InputDigest().add("a", b"b").hexdigest()
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    missing = InputDigest().add_file(tmp_path / "none", "f").hexdigest()
    assert missing != InputDigest().add_file(empty, "f").hexdigest()
    assert InputDigest().add_file(empty, "f").hexdigest() == InputDigest().add("f", b"").hexdigest()


def test_files_under_lists_sorted_files_without_compiled_python(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "__pycache__").mkdir(parents=True)
    for name in ("pkg/b.py", "pkg/a.py", "pkg/__pycache__/a.pyc", "pkg/.hidden", "top.txt"):
        (tmp_path / name).write_text(name, encoding="utf-8")
    paths = [tmp_path / "top.txt", tmp_path / "pkg", tmp_path / "absent"]
    names = [p.relative_to(tmp_path).as_posix() for p in files_under(paths)]
    assert names == ["pkg/.hidden", "pkg/a.py", "pkg/b.py", "top.txt"]
    assert ".hidden" not in str(files_under(paths, hidden=False))


def test_no_module_hashes_inputs_on_its_own() -> None:
    """hashlib is used by core.digest alone, the OpenSSH key fingerprint (whose format is
    OpenSSH's: base64 of the raw digest)."""
    users = sorted(
        path.relative_to(REPO / "_ext").as_posix()
        for path in (REPO / "_ext" / "hoshin").rglob("*.py")
        if re.search(r"^\s*(import hashlib|from hashlib)", path.read_text(encoding="utf-8"), re.M)
    )
    assert users == [
        "hoshin/core/digest.py",
        "hoshin/core/signing.py",
    ]


def test_sha256_bytes_is_the_standard_digest() -> None:
    assert sha256_bytes(b"abc").startswith("ba7816bf8f01cfea414140de5dae2223")
