"""End-to-end behaviour of the ``hoshin`` command: build, atomic output, serve."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from hoshin.cli import main
from hoshin.core.config import check_conf
from hoshin.core.project import Project
from hoshin.core.sitebuild import atomic_dir

from .conftest import REPO

HOSHIN = str(Path(sys.executable).parent / "hoshin")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    root = tmp_path / "mini"
    shutil.copytree(REPO / "tests" / "roots" / "test-mini", root)
    return root


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for command in ("build", "serve"):
        assert command in text
    assert "exit codes" in text


def test_build_writes_site(mini: Path) -> None:
    assert main(["-C", str(mini), "build"]) == 0
    assert "これは試しの文章です。" in (mini / "_build/html/chapter.html").read_text("utf-8")


def test_failed_build_keeps_last_good_site(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(mini), "build", "--strict"]) == 0
    good = (mini / "_build/html/chapter.html").read_text("utf-8")
    (mini / "source/chapter.md").write_text(
        "(sec-1-1)=\n# 1-1.壊れた章\n\n{unknownrole}`x` と [参照](#nowhere)\n", "utf-8"
    )
    assert main(["-C", str(mini), "build", "--strict"]) == 1
    assert "still holds the last good build" in capsys.readouterr().err
    assert (mini / "_build/html/chapter.html").read_text("utf-8") == good
    assert not list((mini / "_build").glob(".html.*-*"))  # no staging left behind


def test_interrupted_build_keeps_last_good_output(tmp_path: Path) -> None:
    final = tmp_path / "html"
    final.mkdir()
    (final / "index.html").write_text("good", "utf-8")
    with pytest.raises(KeyboardInterrupt), atomic_dir(final) as staging:
        (staging / "index.html").write_text("half", "utf-8")
        raise KeyboardInterrupt
    assert (final / "index.html").read_text("utf-8") == "good"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".html.lock", "html"]


def test_not_a_project_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(tmp_path), "build"]) == 2
    assert f"{tmp_path / 'conf.py'}:1:1: no conf.py here" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_serve_previews_on_localhost_and_rebuilds_on_save(mini: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [HOSHIN, "-C", str(mini), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}/chapter.html"
        page = _fetch_when_ready(url, proc)
        assert "これは試しの文章です。" in page
        (mini / "source/chapter.md").write_text(
            "(sec-1-1)=\n# 1-1.試しの章\n\n書き換えた文章です。\n", "utf-8"
        )
        deadline = time.monotonic() + 30
        while "書き換えた文章です。" not in page and time.monotonic() < deadline:
            time.sleep(0.5)
            page = _fetch_when_ready(url, proc)
        assert "書き換えた文章です。" in page
    finally:
        proc.terminate()
        proc.wait(10)


def _fetch_when_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            output = proc.stdout.read().decode() if proc.stdout else ""
            raise AssertionError(f"hoshin serve exited with {proc.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_project_paths(mini: Path) -> None:
    project = Project.find(mini)
    assert project.html == mini / "_build" / "html"


def test_bad_config_value_is_named_with_its_conf_line(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conf = mini / "conf.py"
    lines = conf.read_text("utf-8").splitlines()
    lines += ['hoshin_shinkyu_columns = ["old", "old"]', 'hoshin_lint_in_build = "yes"']
    conf.write_text("\n".join(lines) + "\n", "utf-8")
    columns_line, lint_line = len(lines) - 1, len(lines)
    # conf.py checked without Sphinx: path:line:col
    errors = [str(e) for e in check_conf(conf)]
    assert (
        f"{conf}:{columns_line}:26: hoshin_shinkyu_columns must name 'old' and 'new' once each, got ['old', 'old']"
        in errors
    )
    assert f"{conf}:{lint_line}:24: hoshin_lint_in_build must be bool, got str 'yes'" in errors
    # plain sphinx-build (no hoshin preflight): a located warning, the default used,
    # and -W stops the build without a traceback
    sphinx = Path(sys.executable).parent / "sphinx-build"
    proc = subprocess.run(
        [str(sphinx), "-q", "-W", "-c", str(mini), str(mini / "source"), str(mini / "out")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode != 0
    assert f"{conf}:{columns_line}: WARNING: hoshin_shinkyu_columns must name" in proc.stderr
    assert "[hoshin.data]" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_check_and_build_stop_on_bad_config_before_writing(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conf = mini / "conf.py"
    conf.write_text(conf.read_text("utf-8") + 'hoshin_project_slug = "上越"\n', "utf-8")
    line = len(conf.read_text("utf-8").splitlines())
    assert main(["-C", str(mini), "check", "--only", "config"]) == 2
    # paths relative to the project, whatever the working folder (-C DIR)
    assert (
        f"\nconf.py:{line}:23: hoshin_project_slug must be ASCII" in "\n" + capsys.readouterr().err
    )
    assert main(["-C", str(mini), "build"]) == 2
    assert "nothing was built" in capsys.readouterr().err
    assert not (mini / "_build" / "html").exists()


def test_a_page_saved_as_shift_jis_is_named_before_sphinx_runs(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = mini / "source" / "sj.md"
    page.write_bytes("(sec-1-2)=\n# 試し\n\n日本語の文です。\n".encode("shift_jis"))
    assert main(["-C", str(mini), "build"]) == 2
    message = capsys.readouterr().err
    assert "\nsource/sj.md:2:3: file is not valid UTF-8 (it looks like Shift_JIS)" in "\n" + message
    assert "Traceback" not in message


@pytest.mark.slow
def test_ctrl_c_during_a_build_keeps_the_last_good_site(mini: Path) -> None:
    import signal

    assert main(["-C", str(mini), "build"]) == 0
    good = (mini / "_build/html/chapter.html").read_bytes()
    pages = [f"p{i:03}" for i in range(300)]  # enough pages for a build of several seconds
    for name in pages:
        (mini / "source" / f"{name}.md").write_text(f"# {name}\n\n本文です。\n" * 20, "utf-8")
    index = mini / "source/index.md"
    index.write_text(
        index.read_text("utf-8").replace("chapter\n", "chapter\n" + "\n".join(pages) + "\n"),
        "utf-8",
    )
    proc = subprocess.Popen([HOSHIN, "-C", str(mini), "build"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while not list((mini / "_build").glob(".html.staging-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # now inside the Sphinx run
    assert proc.poll() is None, "the build finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's process group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0, err.decode()
    assert (mini / "_build/html/chapter.html").read_bytes() == good
    assert not (mini / "_build/html/p000.html").exists()
    assert not [p.name for p in (mini / "_build").iterdir() if ".staging" in p.name]


def test_two_builds_at_once_take_turns(tmp_path: Path) -> None:
    import threading

    from hoshin.core.sitebuild import atomic_dir

    final = tmp_path / "html"
    order: list[str] = []
    first_inside = threading.Event()

    def first() -> None:
        with atomic_dir(final) as staging:
            order.append("first in")
            first_inside.set()
            time.sleep(0.5)
            (staging / "page.html").write_text("first", "utf-8")
            order.append("first out")

    thread = threading.Thread(target=first)
    thread.start()
    first_inside.wait(10)
    with atomic_dir(final) as staging:  # waits for the first build's swap
        order.append("second in")
        assert (staging / "page.html").read_text("utf-8") == "first"
    thread.join()
    assert order == ["first in", "first out", "second in"]


def test_a_build_with_nothing_changed_runs_no_stage(
    mini: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hoshin.cli.commands import build

    assert main(["-C", str(mini), "build"]) == 0

    def no_sphinx(**_kwargs: object) -> str:
        raise AssertionError("Sphinx started although nothing changed")

    monkeypatch.setattr(build, "run_sphinx", no_sphinx)
    assert main(["-C", str(mini), "build"]) == 0
    assert "nothing changed since the last build" in capsys.readouterr().out
    chapter = mini / "source" / "chapter.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n追記です。\n", "utf-8")
    with pytest.raises(AssertionError, match="Sphinx started"):
        main(["-C", str(mini), "build"])
    monkeypatch.undo()
    assert main(["-C", str(mini), "build"]) == 0  # the edit is built: the stamp was dropped
    assert "追記です。" in (mini / "_build/html/chapter.html").read_text("utf-8")
