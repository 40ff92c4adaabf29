"""Run Sphinx builds in their own processes and swap finished output in atomically.

Each version is built by its own ``sphinx-build`` process (config and registries are
process-global in Sphinx). Output goes to a staging folder beside the final one and
replaces it only when everything succeeded, so a failed or interrupted build (Ctrl-C
included) leaves the last good site in place. No Sphinx import here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


class BuildFailed(Exception):
    """A Sphinx run failed; ``output`` holds its warnings and errors."""

    def __init__(self, what: str, output: str) -> None:
        super().__init__(f"{what} failed")
        self.what = what
        self.output = output


def sphinx_command() -> list[str]:
    exe = Path(sys.executable).parent / "sphinx-build"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "sphinx"]


def run_sphinx(
    *,
    confdir: Path,
    srcdir: Path,
    outdir: Path,
    doctreedir: Path,
    builder: str = "html",
    overrides: Mapping[str, str] | None = None,
    strict: bool = False,
    jobs: int = 1,
    quiet: bool = True,
    what: str = "sphinx-build",
) -> str:
    """Run one sphinx-build; return its warnings, raise :class:`BuildFailed` on failure."""
    cmd = [*sphinx_command(), "-b", builder, "-c", str(confdir), "-d", str(doctreedir)]
    if quiet:
        cmd.append("-q")
    if not _colour_wanted():
        cmd.append("-N")  # the output is read back and shown again: no escape codes in it
    if strict:
        cmd += ["-W", "--keep-going"]
    if jobs != 1:
        cmd += ["-j", str(jobs)]
    for key, value in (overrides or {}).items():
        cmd += ["-D", f"{key}={value}"]
    cmd += [str(srcdir), str(outdir)]
    # SOURCE_DATE_EPOCH, when the CLI pinned it (hoshin.core.builddate), is inherited.
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=confdir)
    # Sphinx backs up .buildinfo when the configuration changed (an HTML-only build after a
    # --pdf one): not part of any edition.
    (outdir / ".buildinfo.bak").unlink(missing_ok=True)
    if proc.returncode != 0 or critical_lines(proc.stderr):
        raise BuildFailed(what, proc.stderr + proc.stdout)
    return proc.stderr


def _colour_wanted() -> bool:
    """Sphinx colours a pipe when FORCE_COLOR is set; hoshin passes its messages on to
    stderr, so they are coloured only where that stream is a terminal or colour is forced."""
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stderr.isatty()


def critical_lines(warnings: str) -> list[str]:
    """Sphinx's CRITICAL messages (a missing include, a page reading a file outside the
    project): Sphinx exits 0 after them, hoshin fails the build."""
    return [line for line in warnings.splitlines() if "CRITICAL:" in line]


@contextmanager
def output_lock(final: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``final`` for the whole build; a second build waits.

    Two builds of one project at once (an editor's ``hoshin serve`` beside ``make site``)
    would otherwise swap half-finished folders into each other.
    """
    import fcntl

    final.parent.mkdir(parents=True, exist_ok=True)
    with open(final.with_name(f".{final.name}.lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def atomic_dir(final: Path) -> Iterator[Path]:
    """Yield a staging folder (a copy of ``final``) and swap it in only on success."""
    with output_lock(final):
        staging = final.with_name(f".{final.name}.staging-{os.getpid()}")
        retired = final.with_name(f".{final.name}.retired-{os.getpid()}")
        for stale in final.parent.glob(f".{final.name}.*-*"):  # left by a killed build
            shutil.rmtree(stale, ignore_errors=True)
        try:
            if final.is_dir():  # keeps mtimes: incremental writes
                shutil.copytree(final, staging, symlinks=True)
            else:
                staging.mkdir()
            yield staging
        except BaseException:  # a failed copy too (a full disk): no half staging left
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if final.exists():
            final.rename(retired)
        staging.rename(final)
        shutil.rmtree(retired, ignore_errors=True)
