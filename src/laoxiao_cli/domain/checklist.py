"""The three lists of the notice: 任务清单, 责任清单, 目标清单 (`lx checklist`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from laoxiao_cli.domain import progress, rules
from laoxiao_cli.domain.units import role, unit_name
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Person, Task

ListName = Literal["tasks", "duties", "targets"]
LISTS: tuple[ListName, ...] = ("tasks", "duties", "targets")


@dataclass(frozen=True, slots=True)
class TaskRow:
    id: str
    title: str
    lead: str
    lead_name: str
    support: list[str]
    support_names: list[str]
    role: rules.TaskRole | None
    """The chosen unit's part in the task; None for the whole list."""
    key: bool
    start: date | None
    due: date
    status: str
    state: rules.TaskState
    days_late: int | None
    done: date | None
    weight: float
    reported: int | None = None
    """An open task's percent in the latest report that has one for it (spec 7); None otherwise."""


@dataclass(frozen=True, slots=True)
class DutyRow:
    """One duty of a unit, with the tasks that carry it out (the unit leading or supporting them).
    A last row per unit with ``duty`` None holds its tasks that cite none of its duties."""

    unit: str
    unit_name: str
    duty: str | None
    text: str
    lead_tasks: list[str]
    support_tasks: list[str]


@dataclass(frozen=True, slots=True)
class TargetRow:
    task: str
    target: str
    lead: str
    lead_name: str
    key: bool
    due: date
    state: rules.TaskState


@dataclass(frozen=True, slots=True)
class Checklist:
    as_of: date
    unit: str | None
    tasks: list[TaskRow]
    duties: list[DutyRow]
    targets: list[TargetRow]
    liaisons: dict[str, Person | None]
    """Unit id → its liaison, for exports that include contacts (--with-contacts)."""


def _role(ds: Dataset, task: Task, unit: str | None) -> rules.TaskRole | None:
    """The chosen unit's part (a group's: its own, or else the best of its members')."""
    if unit is None:
        return None
    parts = [role(ds, task, u) for u in (unit, *ds.members(unit))]
    return "lead" if "lead" in parts else "support"


def checklist(ds: Dataset, as_of: date, unit: str | None = None) -> Checklist:
    """The three lists; with ``unit``, its tasks and duties (a member's include the tasks its group leads or
    supports; a group's, its members' tasks and duties too: spec 6.11)."""
    named = (unit, *ds.members(unit)) if unit is not None else ()
    chosen = [
        t
        for t in sorted(ds.tasks.values(), key=lambda t: t.id)
        if unit is None or any(role(ds, t, u) is not None for u in named)
    ]
    tasks = []
    targets = []
    percents = progress.reported(ds, as_of, unit, (t.id for t in chosen)) if chosen else {}
    for task in chosen:
        state = rules.task_state(task, as_of)
        due = rules.due_at(task, as_of)
        late = rules.days_late(due, as_of) if state == "overdue" else None
        tasks.append(
            TaskRow(
                task.id,
                task.title,
                task.lead,
                unit_name(ds, task.lead),
                list(task.support),
                [unit_name(ds, u) for u in task.support],
                _role(ds, task, unit),
                task.key,
                task.start,
                due,
                task.status,
                state,
                late,
                task.done if state in ("done", "done_late") else None,
                task.weight,
                percents.get(task.id) if state in ("open", "overdue") else None,
            )
        )
        if unit is None or _role(ds, task, unit) == "lead":
            targets.append(TargetRow(task.id, task.target, task.lead, unit_name(ds, task.lead), task.key, due, state))
    shown = {*named, *([ds.group_of[unit]] if unit in ds.group_of else [])}  # a member: its group's duties too
    duties = [row for u in ds.units.values() if unit is None or u.id in shown for row in _duty_rows(ds, u.id)]
    liaisons = {u.id: u.liaison for u in ds.units.values()}
    return Checklist(as_of, unit, tasks, duties, targets, liaisons)


def _duty_rows(ds: Dataset, unit_id: str) -> list[DutyRow]:
    record = ds.units[unit_id]
    mine = ds.tasks_by_unit.get(unit_id, [])
    rows = []
    placed: set[str] = set()
    for duty in record.duties:
        carriers = [t for t in mine if duty.id in t.duties]
        placed.update(t.id for t in carriers)
        rows.append(
            DutyRow(
                unit_id,
                record.name,
                duty.id,
                duty.text,
                [t.id for t in carriers if role(ds, t, unit_id) == "lead"],
                [t.id for t in carriers if role(ds, t, unit_id) != "lead"],
            )
        )
    group = ds.units.get(ds.group_of.get(unit_id, ""))
    if group is not None:  # a member carries out its group's duties: those tasks are in the group's rows
        placed.update(t.id for t in mine if any(d.id in t.duties for d in group.duties))
    rest = [t for t in mine if t.id not in placed]
    if rest:
        rows.append(
            DutyRow(
                unit_id,
                record.name,
                None,
                "（未对应具体职责的任务）",
                [t.id for t in rest if role(ds, t, unit_id) == "lead"],
                [t.id for t in rest if role(ds, t, unit_id) != "lead"],
            )
        )
    return rows
