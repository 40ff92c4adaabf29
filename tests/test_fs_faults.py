"""File-system faults: a full disk and a read-only ``_build`` give one clear line.

Faults are injected: in hoshin's own process by monkeypatching the writes, and inside the
``sphinx-build`` processes through a ``sitecustomize`` module on ``PYTHONPATH`` that makes
``open()`` for writing fail under the staging folder after a few files (as a disk that fills
up halfway does). Each case checks what the reader sees (one line, no traceback, the truth
about what ``_build`` still holds), that no staging folder is left, and the exit code. A
real 2 MB tmpfs repeats the full-disk case where the machine lets the tests mount one.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hoshin.cli import main

INJECTOR = """
import builtins, errno, os
_spec = os.environ.get("HOSHIN_TEST_FAULT", "")
if _spec:
    _code, _under, _after = _spec.split(":", 2)
    _real_open = builtins.open
    _count = [0]
    def open(file, mode="r", *args, **kwargs):
        if any(m in mode for m in "wax+") and _under in str(file):
            _count[0] += 1
            if _count[0] > int(_after):
                raise OSError(int(_code), os.strerror(int(_code)), str(file))
        return _real_open(file, mode, *args, **kwargs)
    builtins.open = open
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("faults") / "p"
    assert main(["init", str(root), "--title", "試しの方針", "--issuer", "試し市"]) == 0
    return root


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(template, root, symlinks=True)
    return root


@pytest.fixture
def sphinx_fault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``sphinx_fault(code, under, after)``: writes under ``under`` fail in Sphinx's process."""
    site = tmp_path / "inject"
    site.mkdir()
    (site / "sitecustomize.py").write_text(INJECTOR, "utf-8")
    monkeypatch.setenv("PYTHONPATH", str(site))

    def arm(code: int, under: str, after: int) -> None:
        monkeypatch.setenv("HOSHIN_TEST_FAULT", f"{code}:{under}:{after}")

    yield arm


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    printed = capsys.readouterr()
    text = printed.out + printed.err
    assert "Traceback" not in text and "Error:" not in text, text
    assert len(text) < 2000, text  # not a crash report nor a list of every file
    return code, [ln for ln in printed.err.splitlines() if not ln.startswith("[")]


def _full_disk(monkeypatch: pytest.MonkeyPatch, prefix: Path) -> None:
    """Opening a file for writing under ``prefix…`` fails with ENOSPC (shutil's copies and
    zipfile's writers open their files with ``open``/``io.open``)."""
    real_open = builtins.open

    def full(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if str(file).startswith(str(prefix)) and any(m in mode for m in "wax+"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", full)
    monkeypatch.setattr(io, "open", full)


def _leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "_build").glob(".*.*-*"))


def test_full_disk_in_sphinx_on_the_first_build(
    project: Path, capsys: pytest.CaptureFixture[str], sphinx_fault: Any
) -> None:
    sphinx_fault(errno.ENOSPC, ".html.staging-", 3)
    code, lines = _run(capsys, "-C", str(project), "build")
    html = project / "_build" / "html"
    assert code == 1
    assert lines == [
        f"hoshin: no space left on the disk while writing {html} (free some space, then build "
        f"again); nothing was built in {html}"
    ]
    assert not html.exists() and _leftovers(project) == []


def test_full_disk_in_sphinx_keeps_the_last_good_site(
    project: Path, capsys: pytest.CaptureFixture[str], sphinx_fault: Any
) -> None:
    assert main(["-C", str(project), "build"]) == 0
    page = project / "_build" / "html" / "1" / "1-1.html"
    good = page.read_text("utf-8")
    (project / "source" / "1" / "1-1.md").open("a", encoding="utf-8").write("\n追記です。\n")
    capsys.readouterr()
    sphinx_fault(errno.ENOSPC, ".html.staging-", 0)
    code, lines = _run(capsys, "-C", str(project), "build")
    html = project / "_build" / "html"
    assert code == 1 and lines[-1].endswith(f"; {html} still holds the last good build"), lines
    assert lines[-1].startswith("hoshin: no space left on the disk while writing")
    assert page.read_text("utf-8") == good and _leftovers(project) == []


def test_full_disk_while_copying_the_last_good_site(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """copytree's ``shutil.Error`` lists every file it could not copy (21 KB of text on a
    real site): the reader gets one line, and the half copy is removed."""
    assert main(["-C", str(project), "build"]) == 0
    capsys.readouterr()
    (project / "source" / "1" / "1-1.md").open("a", encoding="utf-8").write("\n追記です。\n")

    _full_disk(monkeypatch, project / "_build" / ".html.staging-")
    code, lines = _run(capsys, "-C", str(project), "build")
    html = project / "_build" / "html"
    assert code == 1
    assert lines == [
        f"hoshin: no space left on the disk while writing {html} (free some space, then build "
        f"again); {html} still holds the last good build"
    ]
    assert (html / "index.html").is_file() and _leftovers(project) == []


def test_full_disk_said_in_japanese(
    project: Path, capsys: pytest.CaptureFixture[str], sphinx_fault: Any
) -> None:
    sphinx_fault(errno.ENOSPC, ".html.staging-", 3)
    code, lines = _run(capsys, "--lang", "ja", "-C", str(project), "build")
    html = project / "_build" / "html"
    assert code == 1
    assert lines == [
        f"hoshin: {html} を書き込む途中でディスクがいっぱいになりました（空きを作ってから、もう一度"
        f"ビルドします）。{html} には何も作られていません"
    ]


def _read_only(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Every write under ``folder`` fails with EROFS, as on a read-only mount."""
    inside = str(folder)

    def guard(name: str, real: Any, path_arg: int = 0, write_only: bool = False) -> None:
        def fake(*args: Any, **kwargs: Any) -> Any:
            path = str(args[path_arg]) if len(args) > path_arg else ""
            mode = str(args[1]) if write_only and len(args) > 1 else kwargs.get("mode", "r")
            writes = not write_only or any(m in str(mode) for m in "wax+")
            if path.startswith(inside) and writes:
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)
            return real(*args, **kwargs)

        monkeypatch.setattr(os if name != "open" else builtins, name, fake)

    guard("open", builtins.open, write_only=True)
    for name in ("mkdir", "unlink", "rename", "replace", "rmdir"):
        guard(name, getattr(os, name))

    real_os_open = os.open

    def os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).startswith(inside) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)


def test_read_only_build_folder(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["-C", str(project), "build"]) == 0
    capsys.readouterr()
    (project / "source" / "1" / "1-1.md").open("a", encoding="utf-8").write("\n追記です。\n")
    _read_only(monkeypatch, project / "_build")
    code, lines = _run(capsys, "-C", str(project), "build", "--office")
    html = project / "_build" / "html"
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith("hoshin: "), lines
    assert lines[0].endswith(
        f" is on a read-only file system; {html} still holds the last good build"
    )


def test_read_only_build_folder_on_the_first_build(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "_build").mkdir()
    _read_only(monkeypatch, project / "_build")
    code, lines = _run(capsys, "-C", str(project), "build")
    html = project / "_build" / "html"
    assert code == 1 and len(lines) == 1, lines
    assert lines[0].endswith(f" is on a read-only file system; nothing was built in {html}")
    assert "still holds" not in lines[0]


def test_full_disk_in_the_office_stage(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["-C", str(project), "freeze", "v1", "--summary", "最初の版"]) == 0
    capsys.readouterr()
    _full_disk(monkeypatch, project / "_build" / ".office.staging-")
    code, lines = _run(capsys, "-C", str(project), "build", "--office")
    office = project / "_build" / "office"
    assert code == 1
    assert lines[-1] == (
        f"hoshin: no space left on the disk while writing {office} (free some space, then "
        f"build again); nothing was built in {office}"
    )
    assert not office.exists() and _leftovers(project) == []
    assert (project / "_build" / "html" / "index.html").is_file()  # the web stage finished


def test_full_disk_in_the_pdf_stage(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF stage's own handling, with TeX replaced by a writer that hits a full disk."""
    from hoshin.cli.commands import pdfstage

    def typeset(root: Path, staging: Path, cache: Path, **kwargs: Any) -> None:
        (staging / "half.pdf").write_bytes(b"%PDF-1.5\n")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(staging / "policy.pdf"))

    monkeypatch.setattr(pdfstage, "require_tex", lambda: None)
    monkeypatch.setattr(pdfstage, "build_project_pdfs", typeset)
    pdf = project / "_build" / "pdf"
    for had, said in ((False, f"nothing was built in {pdf}"),
                      (True, f"{pdf} still holds the last good PDFs")):  # fmt: skip
        if had:
            pdf.mkdir(parents=True, exist_ok=True)
            (pdf / "policy.pdf").write_bytes(b"%PDF-good\n")
        assert pdfstage.run_pdf_stage(pdfstage.Project.find(str(project))) == 1
        err = capsys.readouterr().err.splitlines()
        assert err[-1] == (
            f"hoshin: no space left on the disk while writing {pdf} (free some space, then "
            f"build again); {said}"
        )
        assert _leftovers(project) == []
    assert (pdf / "policy.pdf").read_bytes() == b"%PDF-good\n"


def test_read_only_output_of_diff_names_the_file(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["-C", str(project), "freeze", "v1", "--summary", "最初の版"]) == 0
    capsys.readouterr()
    target = project / "out" / "diff.csv"
    target.parent.mkdir()
    _read_only(monkeypatch, target.parent)
    code, lines = _run(capsys, "-C", str(project), "diff", "v1", "current", "--format", "csv",
                       "-o", str(target))  # fmt: skip
    assert code == 1 and lines == [f"hoshin: {target} is on a read-only file system"]


def _can_mount_tmpfs(where: Path) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(where)],
                          capture_output=True, check=False)  # fmt: skip
    return done.returncode == 0


def test_real_full_disk_on_a_small_tmpfs(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same on a real 2 MB file system: the first build fills it up."""
    build = project / "_build"
    if not _can_mount_tmpfs(build):
        pytest.skip("cannot mount a tmpfs here; the injected faults above cover the same paths")
    try:
        (build / "filler").write_bytes(b"\0" * 1_900_000)
        code, lines = _run(capsys, "-C", str(project), "build")
        assert code == 1 and len(lines) == 1, lines
        assert lines[0].startswith("hoshin: no space left on the disk while writing")
        assert lines[0].endswith(f"nothing was built in {build / 'html'}")
        assert _leftovers(project) == []
    finally:
        subprocess.run(["umount", str(build)], check=False)


@pytest.mark.parametrize(
    ("output", "code"),
    [
        ("OSError: [Errno 28] No space left on device: '/p/_build/.html.staging-1/x.html'", 28),
        ("dvipdfmx:fatal: Unable to write: No space left on device", errno.ENOSPC),
        ("PermissionError: [Errno 13] Permission denied: '/p/_build/.pdf.staging-1'", 13),
        ("OSError: [Errno 30] Read-only file system: '/p/_build/.cache'", errno.EROFS),
        ("source/1.md:3: WARNING: undefined label: 'x'", None),
        ("FileNotFoundError: [Errno 2] No such file or directory: 'a.png'", None),
    ],
)
def test_faults_read_from_a_tools_output(output: str, code: int | None) -> None:
    from hoshin.cli.fsfault import fault_in_output

    assert fault_in_output(output) == code
