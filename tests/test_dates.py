"""Partial dates: the generated pattern accepts exactly the real calendar dates."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradeschema.dates import PARTIAL_DATE_PATTERN, DatePrecision, parse_partial_date
from tradeschema.models import Measure
from tradeschema.schema import portable_pattern
from tradeschema.testing import partial_dates

PATTERN = re.compile(PARTIAL_DATE_PATTERN)
# What the JSON Schema carries, as Python's `re` (and so `jsonschema`) reads it.
PORTABLE = re.compile(portable_pattern(PARTIAL_DATE_PATTERN))


def _has_week_53(year: int) -> bool:
    try:
        dt.date.fromisocalendar(year, 53, 1)
    except ValueError:
        return False
    return True


def test_leap_days_and_week_53_match_the_calendar_for_every_year() -> None:
    wrong = [
        year
        for year in range(1, 10000)
        if bool(PATTERN.fullmatch(f"{year:04d}-02-29")) != calendar.isleap(year)
        or bool(PATTERN.fullmatch(f"{year:04d}-W53")) != _has_week_53(year)
        or bool(PORTABLE.search(f"{year:04d}-02-29")) != calendar.isleap(year)
    ]
    assert wrong == []


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_every_real_day_matches_and_parses_back(day: dt.date) -> None:
    text = day.isoformat()
    assert PATTERN.fullmatch(text)
    assert PORTABLE.search(text)
    interval = parse_partial_date(text)
    assert (interval.first, interval.last, interval.precision) == (day, day, DatePrecision.day)


@pytest.mark.parametrize(
    "text",
    [
        "2025-13",
        "2025-00",
        "2025-02-30",
        "2025-04-31",
        "2023-02-29",
        "1900-02-29",
        "2025-W00",
        "2025-W54",
        "2021-W53",
        "0000",
        "0000-01-01",
        "25",
        "2025-5",
        "2025-05-1",
        "2025/05/14",
        "2025-05\n",
        " 2025",
        "2025-05-14T00:00",
        "２０２５",
    ],
)
def test_malformed_or_impossible_dates_are_rejected(text: str) -> None:
    assert not PATTERN.fullmatch(text)
    assert not PORTABLE.search(text)  # as jsonschema applies a pattern
    assert Measure.model_fields["announced"].metadata == []  # the constraint sits on the type
    with pytest.raises(ValueError, match="pattern"):
        Measure.model_validate({"id": "m:1", "type": "other", "announced": text})
    with pytest.raises(ValueError, match="not an ISO 8601 partial date"):
        parse_partial_date(text)


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), DatePrecision.year),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), DatePrecision.month),
        ("2025-W25", dt.date(2025, 6, 16), dt.date(2025, 6, 22), DatePrecision.week),
        ("2020-W53", dt.date(2020, 12, 28), dt.date(2021, 1, 3), DatePrecision.week),
        ("2000-02-29", dt.date(2000, 2, 29), dt.date(2000, 2, 29), DatePrecision.day),
    ],
)
def test_intervals_keep_the_stated_precision(
    text: str, first: dt.date, last: dt.date, precision: str
) -> None:
    interval = parse_partial_date(text)
    assert (interval.first, interval.last, interval.precision) == (first, last, precision)


@given(partial_dates())
def test_generated_partial_dates_parse(text: str) -> None:
    interval = parse_partial_date(text)
    assert interval.first <= interval.last
