"""和暦 (wareki): Japanese era dates as public documents write them.

``2021-06-03`` → 令和3年6月3日, ``2019-05-01`` → 令和元年5月1日 (the first year of an era is
元年). A version whose date is not fixed yet is written as the seed writes it:
令和XX年XX月. Pure Python, no Sphinx.
"""

from __future__ import annotations

import datetime as dt
import re

#: (first day, era name), newest first.
ERAS: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
    (dt.date(1912, 7, 30), "大正"),
    (dt.date(1873, 1, 1), "明治"),  # the Gregorian calendar was adopted on 明治6年1月1日
)

#: The seed's own spelling of a date still to be fixed (表紙: 令和XX年XX月).
UNDETERMINED = "令和XX年XX月"
#: Keyword in history.yaml for such a date.
UNDETERMINED_KEYWORD = "undetermined"
#: Shown when a version's date was never recorded.
UNRECORDED = "記録なし"

_PARTIAL = re.compile(r"(\d{4})-(\d{2})")


def era_year(day: dt.date) -> tuple[str, int]:
    """The era and the year within it (1 for the first year)."""
    for start, name in ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError(f"{day.isoformat()} is before 明治6年 (1873); no 和暦 conversion")


def _year_text(year: int) -> str:
    return "元" if year == 1 else str(year)


def to_wareki(day: dt.date) -> str:
    """``2021-06-03`` → ``令和3年6月3日``."""
    era, year = era_year(day)
    return f"{era}{_year_text(year)}年{day.month}月{day.day}日"


def month_to_wareki(year: int, month: int) -> str:
    """A month only (``2021-06`` → ``令和3年6月``); the era is that of the month's last day."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1-12")
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    era, era_yr = era_year(last)
    return f"{era}{_year_text(era_yr)}年{month}月"


def format_version_date(value: str | None) -> str:
    """Display text of a history.yaml ``date``: ISO day, ``YYYY-MM``, ``undetermined`` or none."""
    if value is None:
        return UNRECORDED
    if value == UNDETERMINED_KEYWORD:
        return UNDETERMINED
    partial = _PARTIAL.fullmatch(value)
    if partial:
        return month_to_wareki(int(partial.group(1)), int(partial.group(2)))
    return to_wareki(dt.date.fromisoformat(value))


def is_valid_version_date(value: str) -> bool:
    """True for ``YYYY-MM-DD``, ``YYYY-MM`` (a real month, from 1873) or ``undetermined``."""
    if value == UNDETERMINED_KEYWORD:
        return True
    try:
        format_version_date(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", value))
