"""Months, quarters and periods: the calendar arithmetic of the rules."""

from __future__ import annotations

import calendar as _cal
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from laoxiao_cli.model.years import year_ok

if TYPE_CHECKING:
    from laoxiao_cli.model.records import DueMonth


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_start(month: str) -> date:
    year, mon = month.split("-")
    return date(int(year), int(mon), 1)


def month_end(month: str) -> date:
    start = month_start(month)
    return date(start.year, start.month, _cal.monthrange(start.year, start.month)[1])


def next_month(month: str) -> str:
    start = month_start(month)
    return f"{start.year + 1:04d}-01" if start.month == 12 else f"{start.year:04d}-{start.month + 1:02d}"


def previous_month(month: str) -> str:
    start = month_start(month)
    return f"{start.year - 1:04d}-12" if start.month == 1 else f"{start.year:04d}-{start.month - 1:02d}"


def months_between(first: str, last: str) -> Iterator[str]:
    month = first
    while month <= last:
        yield month
        month = next_month(month)


def first_month_on_or_after(day: date) -> str:
    """The first month that begins on or after ``day``."""
    month = month_of(day)
    return month if day.day == 1 else next_month(month)


def report_due(month: str, due_day: int, due_month: DueMonth = "same") -> date:
    """``due_day`` of ``month`` (``same``) or of the month after it (``next``: 次月5日前报送上月情况), before
    any move to a working day."""
    start = month_start(next_month(month) if due_month == "next" else month)
    return date(start.year, start.month, due_day)


def quarter_of(day: date) -> str:
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def quarter_start(quarter: str) -> date:
    year, q = quarter.split("-Q")
    return date(int(year), 3 * (int(q) - 1) + 1, 1)


def quarter_end(quarter: str) -> date:
    start = quarter_start(quarter)
    return month_end(f"{start.year:04d}-{start.month + 2:02d}")


def next_quarter(quarter: str) -> str:
    year, q = quarter.split("-Q")
    return f"{int(year) + 1:04d}-Q1" if q == "4" else f"{year}-Q{int(q) + 1}"


def first_quarter_on_or_after(day: date) -> str:
    quarter = quarter_of(day)
    return quarter if quarter_start(quarter) == day else next_quarter(quarter)


def quarter_label(quarter: str) -> str:
    year, q = quarter.split("-Q")
    return f"{year}年第{'一二三四'[int(q) - 1]}季度"


def month_label(month: str) -> str:
    year, mon = month.split("-")
    return f"{year}年{int(mon)}月"


@dataclass(frozen=True, slots=True)
class Period:
    name: str
    start: date
    end: date


_PERIOD = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$")


def parse_period(text: str) -> Period | None:
    """``YYYY``, ``YYYY-H1|H2``, ``YYYY-Qn`` or ``YYYY-MM``; None when it is none of these."""
    match = _PERIOD.match(text)
    if not match:
        return None
    year = int(match[1])
    part = match[2]
    if not year_ok(year):
        return None
    if part is None:
        return Period(text, date(year, 1, 1), date(year, 12, 31))
    if part == "H1":
        return Period(text, date(year, 1, 1), date(year, 6, 30))
    if part == "H2":
        return Period(text, date(year, 7, 1), date(year, 12, 31))
    if part.startswith("Q"):
        quarter = f"{year:04d}-{part}"
        return Period(text, quarter_start(quarter), quarter_end(quarter))
    month = f"{year:04d}-{part}"
    return Period(text, month_start(month), month_end(month))
