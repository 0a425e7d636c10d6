"""Who has and has not reported for a month (`lx reports`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from laoxiao_cli.domain import rules
from laoxiao_cli.domain.calendar import month_of
from laoxiao_cli.model.dataset import Dataset

ReportState = Literal["submitted", "late", "missing", "pending", "not_owed"]


@dataclass(frozen=True, slots=True)
class ReportRow:
    unit: str
    name: str
    state: ReportState
    submitted: date | None
    days_late: int | None
    difficulties: list[str]
    suggestions: list[str]
    practices: list[str]


@dataclass(frozen=True, slots=True)
class MonthReports:
    as_of: date
    month: str
    due: date
    rows: list[ReportRow]


def default_month(ds: Dataset, as_of: date) -> str:
    """The latest month whose report is already due on ``as_of`` (else the month of ``as_of``)."""
    month = month_of(as_of)
    if rules.report_due_date(ds, month) < as_of:
        return month
    start = date(as_of.year - (as_of.month == 1), 12 if as_of.month == 1 else as_of.month - 1, 1)
    return month_of(start)


def month_reports(ds: Dataset, month: str, as_of: date) -> MonthReports:
    due = rules.report_due_date(ds, month)
    rows = []
    state: ReportState
    for unit in ds.units.values():
        submitted = rules.report_submitted(ds, month, unit.id, as_of)
        report = ds.reports.get((month, unit.id)) if submitted is not None else None
        if submitted is not None:
            state = "late" if submitted > due else "submitted"
            late = (submitted - due).days if submitted > due else None
        elif not rules.owes_report(ds, unit, month):
            state, late = "not_owed", None
        elif due < as_of:
            state, late = "missing", (as_of - due).days
        else:
            state, late = "pending", None
        rows.append(
            ReportRow(
                unit.id,
                unit.name,
                state,
                submitted,
                late,
                list(report.difficulties) if report else [],
                list(report.suggestions) if report else [],
                list(report.practices) if report else [],
            )
        )
    return MonthReports(as_of, month, due, rows)
