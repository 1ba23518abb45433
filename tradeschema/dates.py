"""Partial ISO 8601 dates, as news reports them.

News rarely gives a full date: "last month" is a month, "in 2019" a year, "this week" an ISO week.
A :data:`PartialDate` keeps the value at the precision it was stated in (``2025``, ``2025-05``,
``2025-05-14``, ``2025-W25``) and never fills in a default day.

The regular expression below is built from the calendar (not typed by hand), so it accepts exactly
the real dates: February 29 only in leap years and week 53 only in ISO years that have one. The same
pattern is the model's constraint and (in its portable form) the JSON Schema's ``pattern``, so both
accept the same strings.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import StringConstraints

from ._compat import StrEnum

__all__ = [
    "PARTIAL_DATE_PATTERN",
    "DateInterval",
    "DatePrecision",
    "PartialDate",
    "parse_partial_date",
]


class DatePrecision(StrEnum):
    """How precisely a partial date was stated."""

    year = "year"
    """A calendar year, ``YYYY``."""
    month = "month"
    """A calendar month, ``YYYY-MM``."""
    week = "week"
    """An ISO 8601 week, ``YYYY-Www`` (Monday to Sunday)."""
    day = "day"
    """A calendar day, ``YYYY-MM-DD``."""


def _century_prefixes() -> list[list[str]]:
    """Two-digit century prefixes grouped by their value modulo 4 (the Gregorian cycle is 400 years)."""
    groups: list[list[str]] = [[] for _ in range(4)]
    for prefix in range(100):
        groups[prefix % 4].append(f"{prefix:02d}")
    return groups


def _alternation(items: list[str]) -> str:
    """A compact alternation of equal-length digit strings, grouped by their first digit."""
    by_first: dict[str, list[str]] = {}
    for item in items:
        by_first.setdefault(item[0], []).append(item[1:])
    parts = []
    for first, rests in sorted(by_first.items()):
        if len(rests) == 1:
            parts.append(first + rests[0])
        else:
            parts.append(first + "[" + "".join(sorted(rests)) + "]")
    return "(?:" + "|".join(parts) + ")"


def _years_where(predicate: object) -> str:
    """A regex for the four-digit years ``y`` (0001 to 9999) for which ``predicate(y)`` holds.

    Leap years and long ISO years repeat every 400 years, and 400 divides 10000, so a year's
    class is fixed by its century prefix modulo 4 and its last two digits. Year 0000 is left out.
    """
    assert callable(predicate)
    branches = []
    for century_class, prefixes in enumerate(_century_prefixes()):
        suffixes = [f"{yy:02d}" for yy in range(100) if predicate(2000 + century_class * 100 + yy)]
        if century_class == 0 and "00" in suffixes:
            suffixes.remove("00")
            branches.append(_alternation([p for p in prefixes if p != "00"]) + "00")
        if suffixes:
            branches.append(_alternation(prefixes) + _alternation(suffixes))
    return "(?:" + "|".join(branches) + ")"


def _has_week_53(year: int) -> bool:
    return dt.date(year, 12, 28).isocalendar().week == 53


def _build_pattern() -> str:
    # `[0-9]`, never `\d`: in Python's `re`, `\d` also matches other scripts' digits ("２０２５").
    # No look-around: the models validate with the Rust regex engine, which has none. Year 0000
    # (absent from the proleptic Gregorian calendar of Python and Arrow) is excluded by construction.
    year = r"(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
    day = r"(?:0[1-9]|1[0-9]|2[0-8])"
    month_days = (
        r"(?:(?:0[13578]|1[02])-(?:0[1-9]|1[0-9]|2[0-9]|3[01])"
        r"|(?:0[469]|11)-(?:0[1-9]|1[0-9]|2[0-9]|30)"
        r"|02-" + day + ")"
    )
    full = year + "-" + month_days
    leap_day = _years_where(calendar.isleap) + "-02-29"
    month = year + r"-(?:0[1-9]|1[0-2])"
    week = year + r"-W(?:0[1-9]|[1-4][0-9]|5[0-2])"
    week53 = _years_where(_has_week_53) + "-W53"
    return "^(?:" + "|".join([full, leap_day, month, week, week53, year]) + ")$"


PARTIAL_DATE_PATTERN: str = _build_pattern()
"""The regular expression every partial date matches in full: year, month, ISO week or day.

Written for engines where ``$`` means the end of the text (Rust, ECMA-262); with Python's ``re`` use
``fullmatch``. The JSON Schema carries a portable form (see :func:`tradeschema.schema.portable_pattern`).
"""

_PARTIAL_DATE_RE = re.compile(PARTIAL_DATE_PATTERN)

PartialDate = Annotated[str, StringConstraints(pattern=PARTIAL_DATE_PATTERN)]
"""An ISO 8601 date at year, month, week or day precision, kept as written."""


@dataclass(frozen=True, slots=True)
class DateInterval:
    """The days a partial date covers: ``first`` to ``last`` inclusive, with its precision."""

    first: dt.date
    last: dt.date
    precision: DatePrecision


def parse_partial_date(value: str) -> DateInterval:
    """Parse a partial date into the interval of days it covers.

    Raises ``ValueError`` for a string that is not a partial date.
    """
    if not _PARTIAL_DATE_RE.fullmatch(value):
        raise ValueError(f"not an ISO 8601 partial date (YYYY, YYYY-MM, YYYY-Www, YYYY-MM-DD): {value!r}")
    year = int(value[:4])
    if len(value) == 4:
        return DateInterval(dt.date(year, 1, 1), dt.date(year, 12, 31), DatePrecision.year)
    if value[5] == "W":
        week = int(value[6:8])
        first = dt.date.fromisocalendar(year, week, 1)
        return DateInterval(first, first + dt.timedelta(days=6), DatePrecision.week)
    month = int(value[5:7])
    if len(value) == 7:
        last_day = calendar.monthrange(year, month)[1]
        return DateInterval(dt.date(year, month, 1), dt.date(year, month, last_day), DatePrecision.month)
    day = dt.date(year, month, int(value[8:10]))
    return DateInterval(day, day, DatePrecision.day)
