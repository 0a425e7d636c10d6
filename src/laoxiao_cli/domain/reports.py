"""Who has and has not reported for a month (`lx reports`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from laoxiao_cli.domain import rules
from laoxiao_cli.domain.calendar import month_of, previous_month
from laoxiao_cli.model.dataset import Dataset

ReportState = Literal["submitted", "late", "missing", "pending", "not_owed"]


@dataclass(frozen=True, slots=True)
class ReportRow:
    unit: str
    name: str
    state: ReportState
    """``submitted`` (in time) or ``late``: judged on the day the report counts from (``received``, else
    ``submitted``, spec 6.9)."""
    submitted: date | None
    """报送日期 as the liaison gave it."""
    received: date | None
    """The day the office received it, when recorded."""
    days_late: int | None
    difficulties: list[str]
    suggestions: list[str]
    plans: list[str]
    """下步工作思路."""
    practices: list[str]


@dataclass(frozen=True, slots=True)
class MonthReports:
    as_of: date
    month: str
    due: date
    rows: list[ReportRow]


def default_month(ds: Dataset, as_of: date) -> str:
    """The latest month whose report was due before ``as_of``."""
    month = month_of(as_of)
    while not rules.report_due_before(ds, month, as_of):  # two steps back at most (three with due_month: next)
        month = previous_month(month)
    return month


def month_reports(ds: Dataset, month: str, as_of: date) -> MonthReports:
    due = rules.report_due_date(ds, month)
    rows = []
    state: ReportState
    for unit in ds.units.values():
        counted = rules.report_submitted(ds, month, unit.id, as_of)
        report = ds.reports.get((month, unit.id)) if counted is not None else None
        if counted is not None:
            late = rules.report_days_late(ds, month, counted)
            state = "late" if late is not None else "submitted"
        elif not rules.owes_report(ds, unit, month):
            state, late = "not_owed", None
        elif due < as_of:
            state, late = "missing", (as_of - due).days
        else:
            state, late = "pending", None
        rows.append(
            ReportRow(
                unit=unit.id,
                name=unit.name,
                state=state,
                submitted=report.submitted if report else counted,
                received=report.received if report else None,
                days_late=late,
                difficulties=list(report.difficulties) if report else [],
                suggestions=list(report.suggestions) if report else [],
                plans=list(report.plans) if report else [],
                practices=list(report.practices) if report else [],
            )
        )
    return MonthReports(as_of, month, due, rows)
