"""Everything overdue as of a date (spec section 4, `lx overdue`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from laoxiao_cli.domain import progress, rules
from laoxiao_cli.domain.calendar import month_label, quarter_end, quarter_label
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
    colour: progress.Colour | None = None
    """Its task's colour (三色预警) for a task or a milestone; None for reports and meetings."""


@dataclass(frozen=True, slots=True)
class Overdue:
    as_of: date
    unit: str | None
    items: list[OverdueItem]
    warnings: list[progress.Gauge] = field(default_factory=list)
    """The yellow (预警) tasks, not overdue yet (with a unit: those it leads), worst first."""


def overdue(ds: Dataset, as_of: date, unit: str | None = None) -> Overdue:
    gauges = progress.gauges(ds, as_of)
    items: list[OverdueItem] = []
    for task in ds.tasks.values():
        if not rules.is_open(task, as_of):
            continue
        due = rules.due_at(task, as_of)
        if due < as_of:
            late = rules.days_late(due, as_of)
            if unit is None or task.lead == unit:
                level = rules.next_letter(ds, task, as_of)
                items.append(OverdueItem("task", task.id, task.lead, "lead", task.title, due, late, level, "red"))
            elif unit in task.support:
                items.append(OverdueItem("task", task.id, unit, "support", task.title, due, late, None, "red"))
        if unit is None or task.lead == unit:
            for n, milestone in enumerate(task.milestones, start=1):
                if rules.milestone_overdue(task, milestone, as_of):
                    late = rules.days_late(milestone.due, as_of)
                    mid, name, colour = f"{task.id}#{n}", milestone.name, gauges[task.id].colour
                    items.append(
                        OverdueItem("milestone", mid, task.lead, "lead", name, milestone.due, late, None, colour)
                    )
    for unit_record in ds.units.values():
        if unit is not None and unit_record.id != unit:
            continue
        for month in rules.missing_reports(ds, unit_record, as_of):
            due = rules.report_due_date(ds, month)
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
    position = {uid: n for n, uid in enumerate(ds.units)}
    items.sort(key=lambda item: _order(item, position))
    yellow = [g for g in gauges.values() if g.colour == "yellow" and unit in (None, g.task.lead)]
    return Overdue(as_of, unit, items, sorted(yellow, key=progress.order))


def _order(item: OverdueItem, position: dict[str, int]) -> tuple[int, str, int]:
    """Most days late first; then by id, but a month's missing reports in roster order."""
    if item.kind == "report" and item.unit is not None:
        return (-item.days_late, item.id.partition("/")[0] + "/", position.get(item.unit, len(position)))
    return (-item.days_late, item.id, 0)
