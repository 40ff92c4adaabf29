"""和暦 conversion of version dates."""

from __future__ import annotations

import datetime as dt

import pytest

from hoshin.core.wareki import format_version_date, is_valid_version_date, to_wareki


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2021, 6, 3), "令和3年6月3日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(1989, 1, 8), "平成元年1月8日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(2001, 1, 1), "平成13年1月1日"),
        (dt.date(1926, 12, 25), "昭和元年12月25日"),
    ],
)
def test_to_wareki(day: dt.date, expected: str) -> None:
    assert to_wareki(day) == expected


def test_version_dates() -> None:
    assert format_version_date("2021-06-03") == "令和3年6月3日"
    assert format_version_date("2019-05") == "令和元年5月"
    assert format_version_date("2019-04") == "平成31年4月"
    assert format_version_date("undetermined") == "令和XX年XX月"  # as the seed's cover writes it
    assert format_version_date(None) == "記録なし"


@pytest.mark.parametrize("value", ["2021-13-01", "2021-02-30", "2021-13", "1800-01-01", "令和3年",
                                   "2021/06/03", ""])  # fmt: skip
def test_invalid_dates_are_refused(value: str) -> None:
    assert not is_valid_version_date(value)


def test_valid_dates() -> None:
    assert all(is_valid_version_date(v) for v in ("2021-06-03", "2021-06", "undetermined"))
