"""The dashboard (spec section 4, `lx status`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from laoxiao_cli.domain import progress, rules
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Letter


@dataclass(frozen=True, slots=True)
class TaskCounts:
    total: int
    open: int
    overdue: int
    done: int
    done_late: int
    cancelled: int


@dataclass(frozen=True, slots=True)
class UnitRow:
    id: str
    name: str
    lead_open: int
    lead_overdue: int
    lead_done: int
    liaison: str | None
    liaison_contact: str | None
    """Phone and e-mail, shown only with --with-contacts."""
    missing_reports: list[str]
    due_soon: int
    """Open tasks it leads that fall due within 7 days (for colouring only)."""


@dataclass(frozen=True, slots=True)
class Status:
    as_of: date
    tasks: TaskCounts
    units: list[UnitRow]
    last_held: date | None
    overdue_quarters: list[str]
    awaiting: list[Letter]
    group: str
    """The group's name for headings: group.yaml ``short_name``, else ``name``."""
    colours: dict[progress.Colour, int] = field(default_factory=dict)
    """Open tasks by colour (三色预警, spec 7): every colour named."""


def status(ds: Dataset, as_of: date) -> Status:
    states = {task.id: rules.task_state(task, as_of) for task in ds.tasks.values()}
    counts = Counter(states.values())
    tasks = TaskCounts(
        total=len(states),
        open=counts["open"] + counts["overdue"],
        overdue=counts["overdue"],
        done=counts["done"] + counts["done_late"],
        done_late=counts["done_late"],
        cancelled=counts["cancelled"],
    )
    per_unit: dict[str, Counter[str]] = {u: Counter() for u in ds.units}
    for task in ds.tasks.values():
        state = states[task.id]
        soon = state == "open" and 0 <= (rules.due_at(task, as_of) - as_of).days <= 7
        # a group's row counts the tasks it leads, and so does each member's (spec 6.11)
        for lead in dict.fromkeys((task.lead, *ds.lead_units(task))):
            if lead in per_unit:
                per_unit[lead][state] += 1
                per_unit[lead]["due_soon"] += soon
    rows = []
    for unit in ds.units.values():
        c = per_unit[unit.id]
        rows.append(
            UnitRow(
                id=unit.id,
                name=unit.name,
                lead_open=c["open"] + c["overdue"],
                lead_overdue=c["overdue"],
                lead_done=c["done"] + c["done_late"],
                liaison=unit.liaison.name if unit.liaison else None,
                liaison_contact="，".join(x for x in (unit.liaison.phone, unit.liaison.email) if x) or None
                if unit.liaison
                else None,
                missing_reports=rules.missing_reports(ds, unit, as_of),
                due_soon=c["due_soon"],
            )
        )
    awaiting = sorted(
        (letter for letter in ds.letters.values() if rules.awaiting_reply(letter, as_of)),
        key=lambda letter: (letter.reply_by, letter.id),
    )
    group = (ds.group.short_name or "").strip() or ds.group.name
    colours = progress.counts(list(progress.gauges(ds, as_of).values()))
    held, quarters = rules.last_held(ds, as_of), rules.overdue_quarters(ds, as_of)
    return Status(as_of, tasks, rows, held, quarters, awaiting, group, colours)
