"""The working draft's date: the one rule for the cover, LaTeX's ``\\today`` and PDF dates.

In order: ``SOURCE_DATE_EPOCH`` from the environment (the reproducible-builds convention);
else the project's ``hoshin_draft_date`` setting: a fixed ``YYYY-MM-DD``, or ``git`` for the
date of the project's last commit; else (the default) the day of the build. A date is
turned into the epoch of that day's 00:00 UTC, so that every step of one build (and every
build of one day) agrees and the caches keyed on the epoch hold for the day.
No Sphinx import here.
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from hoshin.core.yamlio import DataError

ENV = "SOURCE_DATE_EPOCH"
#: ``hoshin_draft_date`` values besides a fixed date.
BUILD_DAY, GIT = "", "git"
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def setting_problem(value: str) -> str | None:
    """Why ``value`` is not a valid ``hoshin_draft_date`` (None when it is)."""
    if value in (BUILD_DAY, GIT):
        return None
    match = _DATE.fullmatch(value)
    if match:
        try:
            datetime.date(*(int(g) for g in match.groups()))
        except ValueError as exc:
            return f"is not a date: {exc}"
        return None
    return f"must be '' (the build's day), 'git' or a date YYYY-MM-DD, got {value!r}"


def _day_epoch(day: datetime.date) -> int:
    return int(datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC).timestamp())


def git_commit_epoch(root: Path) -> int | None:
    """The committer date of the last commit of the repository holding ``root`` (or None)."""
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"],
            capture_output=True, text=True, check=False, timeout=10,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    text = proc.stdout.strip()
    return int(text) if proc.returncode == 0 and text.isdigit() else None


def draft_epoch(
    root: Path | None,
    setting: str = BUILD_DAY,
    environ: Mapping[str, str] | None = None,
    today: datetime.date | None = None,
) -> int:
    """The epoch the working draft is dated by (see the module docstring for the order)."""
    environ = os.environ if environ is None else environ
    given = environ.get(ENV, "").strip()
    if given.isdigit():
        return int(given)
    match = _DATE.fullmatch(setting or "")
    if match and setting_problem(setting) is None:
        return _day_epoch(datetime.date(*(int(g) for g in match.groups())))
    if setting == GIT and root is not None:
        epoch = git_commit_epoch(root)
        if epoch is not None:
            return epoch
    return _day_epoch(today or datetime.date.today())


def draft_day(epoch: int) -> datetime.date:
    """The calendar day an epoch names (UTC, as LaTeX reads ``SOURCE_DATE_EPOCH``)."""
    return datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC).date()


@contextmanager
def pinned_source_date(root: Path, setting: str) -> Iterator[int]:
    """Set ``SOURCE_DATE_EPOCH`` for every process a command starts; restore it after.

    One value for the whole command, so the web pages, the cover and LaTeX's dates agree.
    """
    problem = setting_problem(setting)
    if problem:
        raise DataError(root / "conf.py", 1, 1, f"hoshin_draft_date {problem}")
    previous = os.environ.get(ENV)
    epoch = draft_epoch(root, setting)
    os.environ[ENV] = str(epoch)
    try:
        yield epoch
    finally:
        if previous is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = previous
