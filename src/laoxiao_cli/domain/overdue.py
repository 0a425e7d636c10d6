"""Everything overdue as of a date (spec section 4, `lx overdue`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from laoxiao_cli.domain import rules
from laoxiao_cli.domain.calendar import month_label, quarter_end, quarter_label, report_due
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import LetterKind

OverdueKind = Literal["task", "milestone", "report", "meeting"]


@dataclass(frozen=True, slots=True)
class OverdueItem:
    kind: OverdueKind
    id: str
    unit: str | None
    role: rules.TaskRole | None
    """None for reports and meetings."""
    title: str
    due: date
    days_late: int
    next_letter: LetterKind | None


@dataclass(frozen=True, slots=True)
class Overdue:
    as_of: date
    unit: str | None
    items: list[OverdueItem]


def overdue(ds: Dataset, as_of: date, unit: str | None = None) -> Overdue:
    items: list[OverdueItem] = []
    for task in ds.tasks.values():
        if not rules.is_open(task, as_of):
            continue
        due = rules.due_at(task, as_of)
        if due < as_of:
            late = rules.days_late(due, as_of)
            if unit is None or task.lead == unit:
                level = rules.next_letter(ds, task, as_of)
                items.append(OverdueItem("task", task.id, task.lead, "lead", task.title, due, late, level))
            elif unit in task.support:
                items.append(OverdueItem("task", task.id, unit, "support", task.title, due, late, None))
        if unit is None or task.lead == unit:
            for n, milestone in enumerate(task.milestones, start=1):
                if rules.milestone_overdue(task, milestone, as_of):
                    late = rules.days_late(milestone.due, as_of)
                    items.append(
                        OverdueItem(
                            "milestone", f"{task.id}#{n}", task.lead, "lead", milestone.name, milestone.due, late, None
                        )
                    )
    due_day = ds.group.rules.reports.due_day
    for unit_record in ds.units.values():
        if unit is not None and unit_record.id != unit:
            continue
        for month in rules.missing_reports(ds, unit_record, as_of):
            due = report_due(month, due_day)
            title = f"{month_label(month)}工作月报"
            items.append(
                OverdueItem(
                    "report", f"{month}/{unit_record.id}", unit_record.id, None, title, due, (as_of - due).days, None
                )
            )
    if unit is None:
        for quarter in rules.overdue_quarters(ds, as_of):
            end = quarter_end(quarter)
            title = f"{quarter_label(quarter)}专班例会"
            items.append(OverdueItem("meeting", quarter, None, None, title, end, (as_of - end).days, None))
    items.sort(key=lambda item: (-item.days_late, item.id))
    return Overdue(as_of, unit, items)
