"""Working days (spec 6.4): a date in a year's ``workdays`` (调休上班), or a Mon–Fri not in its ``holidays``.

A year's days come from its file ``calendar/<YYYY>.yaml``, else from the ``chinese-calendar`` package (a
pure data package: its constants module holds the State Council's arrangements as ``date`` literals, so
importing it reads no file of the user's and keeps this module free of I/O), else the computation is
refused: a working day is never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from laoxiao_cli.errors import LxError
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.kinds import BY_NAME

YearDays = tuple[frozenset[date], frozenset[date]]
"""A year's (holidays on Mon–Fri, workdays on Sat/Sun)."""
_ONE = timedelta(days=1)


class UnknownYear(LxError):
    """A working-day computation needs a year neither a calendar file nor the package knows (spec 6.4)."""

    def __init__(self, year: int, path: str) -> None:
        super().__init__(f"{year} 年的节假日安排尚未录入：请添加 {path}")
        self.year = year
        self.path = path


@dataclass(frozen=True, slots=True)
class WorkingDays:
    """The working days as a data repository knows them: its calendar files, then the package's data."""

    files: tuple[tuple[int, frozenset[date], frozenset[date]], ...] = ()
    """(year, holidays, workdays) of each calendar file."""
    prefix: str = "data"
    """The data folder (repository-relative), for the refusal's path."""

    def year(self, year: int) -> YearDays:
        for known, holidays, workdays in self.files:
            if known == year:
                return holidays, workdays
        days = package_year(year)
        if days is None:
            folder = f"{self.prefix}/" if self.prefix not in ("", ".") else ""
            raise UnknownYear(year, f"{folder}{BY_NAME['calendar'].path(str(year))}")
        return days

    def is_working_day(self, day: date) -> bool:
        holidays, workdays = self.year(day.year)
        return day in workdays or (day.weekday() < 5 and day not in holidays)

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        day += _ONE
        while not self.is_working_day(day):
            day += _ONE
        return day

    def add_working_days(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (``day`` itself not counted; ``n`` = 0: ``day``)."""
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def on_or_after(self, day: date) -> date:
        """``day`` when it is a working day, else the next one."""
        return day if self.is_working_day(day) else self.next_working_day(day)


def of(ds: Dataset) -> WorkingDays:
    """The working days of a dataset (its calendar files, then the package)."""
    files = tuple(
        (c.year, frozenset(c.holidays), frozenset(c.workdays))
        for c in sorted(ds.calendars.values(), key=lambda c: c.year)
    )
    return WorkingDays(files, ds.prefix)


def in_force(ds: Dataset) -> WorkingDays | None:
    """The working days when the group counts them (``rules.calendar.working_days``), else None."""
    return of(ds) if ds.group.rules.calendar.working_days else None


@lru_cache(maxsize=64)
def package_year(year: int) -> YearDays | None:
    """The ``chinese-calendar`` package's arrangements for ``year`` (holidays that fall on Mon–Fri, and
    weekend workdays), or None when it does not know the year."""
    from chinese_calendar import constants

    holidays = frozenset(d for d in constants.holidays if d.year == year and d.weekday() < 5)
    workdays = frozenset(d for d in constants.workdays if d.year == year)
    if not holidays and not workdays:
        return None
    return holidays, workdays


def package_source() -> str:
    """Where the package's data comes from, for a file ``lx calendar init`` writes."""
    import chinese_calendar

    return f"chinese-calendar {chinese_calendar.__version__}"
