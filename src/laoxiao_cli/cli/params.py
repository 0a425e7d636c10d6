"""Parameter types: a bad date, month, period or format is a usage error (exit 2) while the command line
is parsed — before any data is read or any lock is taken.

This Typer (0.29) no longer takes Click ``ParamType`` objects; an option's ``parser=`` callable is its
type. Each type here is such a callable, with the message users have always read.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from importlib import import_module
from pathlib import Path

import typer
from typer._click.exceptions import UsageError as ClickUsageError

from laoxiao_cli.domain.calendar import Period, parse_period


def integer(value: str | int) -> int:
    """A whole number (Typer's own message for a bad one is English); a default comes as it is."""
    if isinstance(value, int):
        return value
    try:
        return int(value.strip())
    except ValueError:
        raise typer.BadParameter(f"“{value}”不是整数") from None


def positive(value: str) -> int:
    """A whole number of at least 1."""
    if not value.strip().isdigit() or int(value) < 1:
        raise typer.BadParameter(f"“{value}”不是正整数：应为 1、2、3……")
    return int(value)


class DateType:
    """``YYYY-MM-DD``, a day that exists, as for ``--as-of`` and ``--date``."""

    def __call__(self, value: str) -> date:
        from laoxiao_cli.model.years import YEAR_RULE, year_ok

        try:
            day = date.fromisoformat(value)
        except ValueError:
            refused = typer.BadParameter(f"“{value}”不是日期：应为 YYYY-MM-DD，如 2022-12-31")
        else:
            if year_ok(day.year):
                return day
            refused = typer.BadParameter(f"日期“{value}”超出范围：{YEAR_RULE}")
        # v1 checked dates inside the commands, where the message named no option; a plain usage error
        # keeps that wording byte for byte (a BadParameter would gain "for '--as-of'").
        raise ClickUsageError(refused.format_message())


def path_value(value: str | Path) -> Path:
    """A file or folder named on the command line (``-o``, ``--data``, ``FILE``): a NUL character cannot be
    in a path, and the system would refuse it only when lx first used the path (an internal error). Typer
    also passes an option's default through its parser: a default is a Path already."""
    if isinstance(value, Path):
        return value
    if "\0" in value:
        raise typer.BadParameter("路径中不能含有空字符（NUL）：请检查文件名")
    return Path(value)


class MonthType:
    """``YYYY-MM``, as for ``--month``."""

    def __call__(self, value: str) -> str:
        from laoxiao_cli.model.types import MONTH_RE  # imports pydantic: not at start-up
        from laoxiao_cli.model.years import year_ok

        if not MONTH_RE.match(value) or not year_ok(int(value[:4])):
            raise typer.BadParameter(f"“{value}”不是月份：应为 YYYY-MM，如 2022-08")
        return value


class PeriodType:
    """A scoring period: ``YYYY``, ``YYYY-H1``/``H2``, ``YYYY-Q1``…``Q4`` or ``YYYY-MM``."""

    def __call__(self, value: str) -> Period:
        period = parse_period(value)
        if period is None:
            raise typer.BadParameter(
                f"“{value}”不是考核期：应为 YYYY、YYYY-H1/H2、YYYY-Q1…Q4 或 YYYY-MM（年份 1900–2999），如 2022-Q3"
            )
        return period


class Formats:
    """The formats of a render module: the keys of its ``FORMATS``, in their order, matched exactly.

    Read when first needed — when a command parses its ``--format`` or shows its help — because
    importing every render module whenever lx starts would cost ``lx --help`` about 14 ms, past the
    benchmark's floor (1.5 × ``python -c "import typer"``, benchmarks/RESULTS.md).
    """

    def __init__(self, module: str, names: tuple[str, ...] | None = None) -> None:
        self.module, self._names = module, names

    @cached_property
    def names(self) -> tuple[str, ...]:
        """The module's formats; given ones (a view answered from the cache imports no render module)."""
        return self._names if self._names is not None else tuple(import_module(self.module).FORMATS)

    def __str__(self) -> str:
        """The help's metavar, ``<table|json|markdown>``: Typer formats it only when help is shown."""
        return "<" + "|".join(self.names) + ">"

    def __call__(self, value: str) -> str:
        if value not in self.names:
            # a ValueError: Typer reports it as Click's Choice did ("Value error, 'x' is not one of …")
            raise ValueError(f"{value!r} is not one of {', '.join(map(repr, self.names))}.")
        return value
