"""Dates as news writes them ("Wednesday", "last month", "May 14"), resolved against the publication date.

The result keeps the precision of the words: "last month" is a month (``2025-05``), "last week" an ISO
week (``2025-W25``), "Wednesday" a day (the latest Wednesday on or before publication). Nothing is
resolved when the publication date is too coarse for the expression (a weekday needs a day).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..dates import DatePrecision, parse_partial_date
from .lexicon import alternation

__all__ = ["DateMention", "find_date"]

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
# Wire style abbreviates a month given with its day ("Nov. 19"): the abbreviation and its month.
_MONTH_ABBREVIATIONS = {
    **{"Jan.": 1, "Feb.": 2, "Aug.": 8, "Sept.": 9, "Sep.": 9, "Oct.": 10, "Nov.": 11, "Dec.": 12},
    **{"Mar.": 3, "Apr.": 4, "Jun.": 6, "Jul.": 7},
}
# Alternations of fixed words and bounded digit runs only: no nested quantifiers, no backtracking blow-up.
_DATE_RE = re.compile(
    r"\b(?P<rel>last|this|next|earlier this|later this|past)\s(?P<unit>week|month|year)\b"
    r"|\b(?P<day>yesterday|today|tonight)\b"
    r"|\b(?P<wmod>last |next |on |this )?(?P<weekday>" + alternation(_WEEKDAYS) + r")\b"
    r"|\b(?P<month>"
    + alternation([*_MONTHS, *_MONTH_ABBREVIATIONS])
    + r")(?: (?P<mday>\d{1,2})\b)?(?:,? (?P<myear>\d{4})\b)?"
    r"|\bin (?P<year>(?:19|20)\d\d)\b"
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression found in the text and its value (``None`` when it cannot be resolved)."""

    start: int
    end: int
    text: str
    value: str | None


def _week(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def _month_shift(year: int, month: int, delta: int) -> str:
    index = year * 12 + (month - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _resolve(match: re.Match[str], published: str | None) -> str | None:  # noqa: PLR0911, PLR0912  # one flat case per expression reads better than a dispatch table
    if published is None:
        return None
    interval = parse_partial_date(published)
    ref = interval.first
    precision = interval.precision
    groups = match.groupdict()
    if groups["rel"]:
        delta = {"last": -1, "past": -1, "next": 1}.get(groups["rel"], 0)
        unit = groups["unit"]
        if unit == "year":
            return f"{ref.year + delta:04d}"
        if unit == "month" and precision != DatePrecision.year:
            return _month_shift(ref.year, ref.month, delta)
        if unit == "week" and precision in (DatePrecision.day, DatePrecision.week):
            return _week(ref + dt.timedelta(days=7 * delta))
        return None
    if precision != DatePrecision.day and (groups["day"] or groups["weekday"]):
        return None
    if groups["day"]:
        return (ref - dt.timedelta(days=1 if groups["day"] == "yesterday" else 0)).isoformat()
    if groups["weekday"]:
        target = _WEEKDAYS.index(groups["weekday"])
        if (groups["wmod"] or "").strip() == "next":
            ahead = (target - ref.weekday()) % 7 or 7
            return (ref + dt.timedelta(days=ahead)).isoformat()
        back = (ref.weekday() - target) % 7
        if (groups["wmod"] or "").strip() == "last" and back == 0:
            back = 7
        return (ref - dt.timedelta(days=back)).isoformat()
    if groups["month"]:
        written = groups["month"]
        month = (
            _MONTH_ABBREVIATIONS[written] if written in _MONTH_ABBREVIATIONS else _MONTHS.index(written) + 1
        )
        if groups["myear"]:
            year = int(groups["myear"])
        elif precision == DatePrecision.year:
            year = ref.year
        else:
            # News reports the recent past: a month after the publication month is last year's.
            year = ref.year if month <= interval.last.month else ref.year - 1
        if groups["mday"]:
            try:
                return dt.date(year, month, int(groups["mday"])).isoformat()
            except ValueError:
                return None
        return f"{year:04d}-{month:02d}"
    if groups["year"]:
        return groups["year"]
    return None


def find_date(text: str, start: int, end: int, published: str | None) -> DateMention | None:
    """The first date expression in ``text[start:end]``, resolved against ``published``."""
    for match in _DATE_RE.finditer(text, start, end):
        if match.group("month") in _MONTH_ABBREVIATIONS and not match.group("mday"):
            continue  # "Dec." alone: an abbreviation stands for a month only with its day
        if match.group("month") == "May" and not (match.group("mday") or match.group("myear")):
            before = text[max(start, match.start() - 3) : match.start()]
            # "May" alone is usually the verb ("may be resolved") unless introduced by "in".
            if not before.endswith("in "):
                continue
        return DateMention(match.start(), match.end(), match.group(), _resolve(match, published))
    return None
