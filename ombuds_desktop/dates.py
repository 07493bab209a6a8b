"""Dates as the form wants them: ISO in storage, mm/dd/yyyy on screen and paper.

Typed dates are read only as mm/dd/yyyy (never guessed as dd/mm/yyyy).  Day
counts follow ``dhs-7001.md`` §4.5: calendar days and months, and business
days that skip weekends and U.S. federal holidays (from the ``holidays``
package, whose federal calendar includes observed days).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

_US_DATE = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DateFormatError(ValueError):
    pass


def parse_us(text: str) -> date:
    """Read ``mm/dd/yyyy`` as typed by a person; raise with a plain message."""
    m = _US_DATE.match(text)
    if not m:
        raise DateFormatError(
            f'Type the date as mm/dd/yyyy, like 03/15/2024; "{text.strip()}" is not in that form.'
        )
    month, day, year = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        raise DateFormatError(
            f'"{text.strip()}": there is no month {month} (dates are mm/dd/yyyy, month first).'
        )
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateFormatError(
            f'"{text.strip()}": {calendar.month_name[month]} {year} has {last} days.'
        )
    if year < 1900:
        raise DateFormatError(f'"{text.strip()}": the year {year} is too early.')
    return date(year, month, day)


def parse_iso(text: str) -> date:
    """Read a stored ISO date (``YYYY-MM-DD``), strictly."""
    if not isinstance(text, str) or not _ISO_DATE.match(text):
        raise DateFormatError(f"Dates in a draft are stored as YYYY-MM-DD; got {text!r}.")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DateFormatError(f"{text} is not a real date.") from None


def try_iso(value: object) -> date | None:
    try:
        return parse_iso(value)  # type: ignore[arg-type]
    except DateFormatError:
        return None


def format_us(value: date | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        parsed = try_iso(value)
        if parsed is None:
            return value
        value = parsed
    return f"{value.month:02d}/{value.day:02d}/{value.year:04d}"


def add_months(d: date, months: int) -> date:
    total = d.month - 1 + months
    year, month = d.year + total // 12, total % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=64)
def _federal_holidays(year: int) -> frozenset[date]:
    import holidays  # imported on first use: it is slow to load and rarely needed

    return frozenset(holidays.US(years=year, observed=True).keys())


def is_federal_holiday(d: date) -> bool:
    return d in _federal_holidays(d.year)


def is_business_day(d: date) -> bool:
    return d.weekday() < 5 and not is_federal_holiday(d)


def business_days_between(start: date, end: date) -> int:
    """Business days after ``start`` up to and including ``end``."""
    count, d = 0, start
    while d < end:
        d += timedelta(days=1)
        if is_business_day(d):
            count += 1
    return count


def add_business_days(start: date, days: int) -> date:
    d = start
    while days > 0:
        d += timedelta(days=1)
        if is_business_day(d):
            days -= 1
    return d


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
