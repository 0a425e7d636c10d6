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
    """Without ``unit`` each task once, for its lead; with one, for each unit it names (a group: each of its
    members, spec 6.11) that leads or supports the task, a task a group leads counting as each member's."""
    gauges = progress.gauges(ds, as_of)
    chosen = ds.responsible(unit) if unit is not None else None
    items: list[OverdueItem] = []
    for task in ds.tasks.values():
        if not rules.is_open(task, as_of):
            continue
        leads = (task.lead,) if chosen is None else tuple(u for u in chosen if u in ds.lead_units(task))
        due = rules.due_at(task, as_of)
        if due < as_of:
            late = rules.days_late(due, as_of)
            for lead in leads:
                level = rules.next_letter(ds, task, as_of, None if chosen is None else lead)
                items.append(OverdueItem("task", task.id, lead, "lead", task.title, due, late, level, "red"))
            supports = ds.support_units(task) if chosen is not None else ()
            for helper in (u for u in chosen or () if u in supports):
                items.append(OverdueItem("task", task.id, helper, "support", task.title, due, late, None, "red"))
        for n, milestone in enumerate(task.milestones, start=1):
            if leads and rules.milestone_overdue(task, milestone, as_of):
                late = rules.days_late(milestone.due, as_of)
                mid, name, colour = f"{task.id}#{n}", milestone.name, gauges[task.id].colour
                items.extend(
                    OverdueItem("milestone", mid, lead, "lead", name, milestone.due, late, None, colour)
                    for lead in leads
                )
    for unit_record in ds.units.values():
        if chosen is not None and unit_record.id not in chosen:
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
    yellow = [
        g
        for g in gauges.values()
        if g.colour == "yellow" and (chosen is None or any(u in chosen for u in ds.lead_units(g.task)))
    ]
    return Overdue(as_of, unit, items, sorted(yellow, key=progress.order))


def _order(item: OverdueItem, position: dict[str, int]) -> tuple[int, str, int]:
    """Most days late first; then by id, but a month's missing reports in roster order; one task's rows
    (a group's members) in roster order too."""
    at = position.get(item.unit, len(position)) if item.unit is not None else 0
    if item.kind == "report" and item.unit is not None:
        return (-item.days_late, item.id.partition("/")[0] + "/", at)
    return (-item.days_late, item.id, at)
