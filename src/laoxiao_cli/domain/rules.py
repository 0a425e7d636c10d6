"""The notice's rules as pure functions of (dataset, as_of): spec section 3.

A record dated after ``as_of`` has not happened yet: a task done later is still open, a report
submitted later is missing, a letter issued later does not exist, a reply dated later is no reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from laoxiao_cli.domain.calendar import (
    first_month_on_or_after,
    first_quarter_on_or_after,
    month_of,
    months_between,
    next_quarter,
    quarter_end,
    quarter_start,
    report_due,
)
from laoxiao_cli.domain.workdays import WorkingDays, in_force
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.extensions import due_at as due_at  # re-exported: the due in force, with its rules
from laoxiao_cli.model.extensions import pending
from laoxiao_cli.model.records import Letter, LetterKind, Milestone, Task, Unit

TaskState = Literal["open", "overdue", "done", "done_late", "cancelled"]
TaskRole = Literal["lead", "support"]
"""A unit's part in a task: it leads it, or supports the lead."""
LEVELS: tuple[LetterKind, ...] = ("reminder", "assignment", "supervision")


# --- tasks -----------------------------------------------------------------------------------------


def is_done(task: Task, as_of: date) -> bool:
    return task.status == "done" and task.done is not None and task.done <= as_of


def is_open(task: Task, as_of: date) -> bool:
    return task.status != "cancelled" and not is_done(task, as_of)


def is_overdue(task: Task, as_of: date) -> bool:
    return is_open(task, as_of) and due_at(task, as_of) < as_of


def days_late(due: date, as_of: date) -> int:
    return (as_of - due).days


def task_state(task: Task, as_of: date) -> TaskState:
    if task.status == "cancelled":
        return "cancelled"
    due = due_at(task, as_of)
    if is_done(task, as_of):
        assert task.done is not None
        return "done_late" if task.done > due else "done"
    return "overdue" if due < as_of else "open"


def milestone_overdue(task: Task, milestone: Milestone, as_of: date) -> bool:
    done = milestone.done is not None and milestone.done <= as_of
    return is_open(task, as_of) and not done and milestone.due < as_of


# --- reports ---------------------------------------------------------------------------------------


def owed_months(ds: Dataset, unit: Unit, until: date) -> list[str]:
    """Months whose report the unit owed with a due date before ``until``."""
    if not unit.reports:
        return []
    return list(_months_due_before(_owing_from(ds, unit), ds.group.rules.reports.due_day, until, in_force(ds)))


def _owing_from(ds: Dataset, unit: Unit) -> date:
    """When the unit's reporting begins: the group's start, or its own ``since`` when it joined later."""
    started = ds.group.started
    return max(started, unit.since) if unit.since is not None else started


@lru_cache(maxsize=64)
def _months_due_before(started: date, due_day: int, until: date, days: WorkingDays | None) -> tuple[str, ...]:
    first = first_month_on_or_after(started)
    return tuple(m for m in months_between(first, month_of(until)) if _due(m, due_day, days) < until)


def report_due_date(ds: Dataset, month: str) -> date:
    """The day the report for ``month`` is due: ``due_day`` of the month, moved to the next working day
    when the group counts working days and that day is not one (spec 6.5)."""
    return _due(month, ds.group.rules.reports.due_day, in_force(ds))


def _due(month: str, due_day: int, days: WorkingDays | None) -> date:
    due = report_due(month, due_day)
    return days.on_or_after(due) if days is not None else due


def threshold_reached(ds: Dataset, due: date, as_of: date, threshold: int) -> bool:
    """``as_of`` is ``threshold`` days or more past ``due``: calendar days, or working days (the
    ``threshold``-th working day after ``due`` has come) when the group counts them (spec 6.5)."""
    days = in_force(ds)
    if days is None:
        return days_late(due, as_of) >= threshold
    return as_of >= days.add_working_days(due, threshold)


def report_submitted(ds: Dataset, month: str, unit_id: str, as_of: date) -> date | None:
    submitted = ds.submitted.get((month, unit_id))
    if submitted is None or submitted > as_of:
        return None
    return submitted


def missing_reports(ds: Dataset, unit: Unit, as_of: date) -> list[str]:
    submitted = ds.submitted
    missing = []
    for month in owed_months(ds, unit, as_of):
        day = submitted.get((month, unit.id))
        if day is None or day > as_of:
            missing.append(month)
    return missing


def owes_report(ds: Dataset, unit: Unit, month: str) -> bool:
    return unit.reports and month >= first_month_on_or_after(_owing_from(ds, unit))


# --- meetings --------------------------------------------------------------------------------------


def overdue_quarters(ds: Dataset, as_of: date) -> list[str]:
    """Quarters (from the first beginning on or after ``started``) ended before ``as_of`` with no
    regular meeting held inside them."""
    held = {m.date for m in ds.meetings.values() if m.kind == "regular" and m.status == "held" and m.date <= as_of}
    quarters: list[str] = []
    quarter = first_quarter_on_or_after(ds.group.started)
    while quarter_end(quarter) < as_of:
        start, end = quarter_start(quarter), quarter_end(quarter)
        if not any(start <= day <= end for day in held):
            quarters.append(quarter)
        quarter = next_quarter(quarter)
    return quarters


def last_held(ds: Dataset, as_of: date) -> date | None:
    days = [m.date for m in ds.meetings.values() if m.status == "held" and m.date <= as_of]
    return max(days, default=None)


# --- letters ---------------------------------------------------------------------------------------


def awaiting_reply(letter: Letter, as_of: date) -> bool:
    return letter.issued <= as_of and (letter.replied is None or letter.replied > as_of)


@dataclass(frozen=True, slots=True)
class Escalation:
    level: LetterKind | None
    """The next letter due for the task as of the date, or None."""
    previous: Letter | None
    """The highest letter already issued to the lead unit for the task."""


def escalation(ds: Dataset, task: Task, as_of: date) -> Escalation:
    """The next letter for an overdue task: the level after the highest issued to its lead unit for
    it, once ``days_late`` (past the due in force) reaches that level's threshold and the previous
    letter's ``reply_by`` is before ``as_of``. No level is skipped; after supervision there is none. An
    extension requested in time and pending, or a reply's ``promised`` date still ahead, holds it back
    (spec 6.3, 7)."""
    sent = [
        letter for letter in ds.letters_by_task.get(task.id, ()) if letter.unit == task.lead and letter.issued <= as_of
    ]
    highest = max((LEVELS.index(letter.kind) for letter in sent), default=-1)
    previous = None
    if highest >= 0:
        previous = max(
            (letter for letter in sent if LEVELS.index(letter.kind) == highest),
            key=lambda letter: (letter.reply_by, letter.issued, letter.id),
        )
    if not is_overdue(task, as_of) or highest == len(LEVELS) - 1:
        return Escalation(None, previous)
    level = LEVELS[highest + 1]
    threshold = getattr(ds.group.rules.escalation, level)
    if not threshold_reached(ds, due_at(task, as_of), as_of, threshold):
        return Escalation(None, previous)
    if previous is not None and not previous.reply_by < as_of:
        return Escalation(None, previous)
    if pending(task, as_of) is not None or any(promise_ahead(letter, as_of) for letter in sent):
        return Escalation(None, previous)
    return Escalation(level, previous)


def promise_ahead(letter: Letter, as_of: date) -> bool:
    """The unit's reply (on or before ``as_of``) promised completion on a date still ahead."""
    return (
        letter.replied is not None
        and letter.replied <= as_of
        and letter.promised is not None
        and as_of < letter.promised
    )


def next_letter(ds: Dataset, task: Task, as_of: date) -> LetterKind | None:
    return escalation(ds, task, as_of).level
