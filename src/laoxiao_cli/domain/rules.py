"""The notice's rules as pure functions of (dataset, as_of): spec section 3.

A record dated after ``as_of`` has not happened yet: a task done later is still open, a report
submitted (or received) later is missing, a letter issued later does not exist, a reply dated later is no reply.
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
    previous_month,
    quarter_end,
    quarter_start,
    report_due,
)
from laoxiao_cli.domain.workdays import WorkingDays, in_force
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.extensions import due_at as due_at  # re-exported: the due in force, with its rules
from laoxiao_cli.model.extensions import pending
from laoxiao_cli.model.records import DueMonth, Letter, LetterKind, Milestone, Task, Unit

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
# One due date for every view: ``due_day`` of the report's month, or of the next with ``due_month: next``,
# moved to the next working day when the group counts them. One date a report counts from: ``received``
# when the office recorded it, else ``submitted`` (``ds.submitted``, spec 6.9). A report counts as
# submitted as of D when that date is on or before D, and is late when that date is after its due.


def owed_months(ds: Dataset, unit: Unit, until: date) -> list[str]:
    """Months whose report the unit owed with a due date before ``until`` (a group owes none: its members do)."""
    if not unit.reports or unit.members:
        return []
    reports = ds.group.rules.reports
    return list(_months_due_before(_owing_from(ds, unit), reports.due_day, reports.due_month, until, in_force(ds)))


def _owing_from(ds: Dataset, unit: Unit) -> date:
    """When the unit's reporting begins: the group's start, or its own ``since`` when it joined later."""
    started = ds.group.started
    return max(started, unit.since) if unit.since is not None else started


@lru_cache(maxsize=64)
def _months_due_before(
    started: date, due_day: int, due_month: DueMonth, until: date, days: WorkingDays | None
) -> tuple[str, ...]:
    first = first_month_on_or_after(started)
    return tuple(m for m in months_between(first, month_of(until)) if _due_before(m, due_day, due_month, until, days))


def report_due_date(ds: Dataset, month: str) -> date:
    """The day the report for ``month`` is due: ``due_day`` of the month (of the next month with
    ``due_month: next``), moved to the next working day when the group counts working days and that day is
    not one (spec 6.5, 6.9)."""
    reports = ds.group.rules.reports
    return _due(month, reports.due_day, reports.due_month, in_force(ds))


def report_due_before(ds: Dataset, month: str, day: date) -> bool:
    """The report for ``month`` was due before ``day``."""
    reports = ds.group.rules.reports
    return _due_before(month, reports.due_day, reports.due_month, day, in_force(ds))


def report_month_due_in(ds: Dataset, month: str) -> str:
    """The month whose report falls due in ``month``: itself, or the month before with ``due_month: next``."""
    return previous_month(month) if ds.group.rules.reports.due_month == "next" else month


def _due(month: str, due_day: int, due_month: DueMonth, days: WorkingDays | None) -> date:
    due = report_due(month, due_day, due_month)
    return days.on_or_after(due) if days is not None else due


def _due_before(month: str, due_day: int, due_month: DueMonth, day: date, days: WorkingDays | None) -> bool:
    # a working day only moves the due later: a due on or after ``day`` as written needs no calendar (whose
    # year may not be known yet: the current month's report with ``due_month: next`` in December)
    return report_due(month, due_day, due_month) < day and _due(month, due_day, due_month, days) < day


def threshold_reached(ds: Dataset, due: date, as_of: date, threshold: int) -> bool:
    """``as_of`` is ``threshold`` days or more past ``due``: calendar days, or working days (the
    ``threshold``-th working day after ``due`` has come) when the group counts them (spec 6.5)."""
    days = in_force(ds)
    if days is None:
        return days_late(due, as_of) >= threshold
    return as_of >= days.add_working_days(due, threshold)


def report_submitted(ds: Dataset, month: str, unit_id: str, as_of: date) -> date | None:
    """The day the unit's report for ``month`` counts from (``received``, else ``submitted``) when that is on
    or before ``as_of``; None: not submitted as of ``as_of``."""
    counted = ds.submitted.get((month, unit_id))
    if counted is None or counted > as_of:
        return None
    return counted


def report_days_late(ds: Dataset, month: str, counted: date) -> int | None:
    """Days a report that counts from ``counted`` came after its due; None when it came in time."""
    due = report_due_date(ds, month)
    return (counted - due).days if counted > due else None


def missing_reports(ds: Dataset, unit: Unit, as_of: date) -> list[str]:
    return [m for m in owed_months(ds, unit, as_of) if report_submitted(ds, m, unit.id, as_of) is None]


def owes_report(ds: Dataset, unit: Unit, month: str) -> bool:
    return unit.reports and not unit.members and month >= first_month_on_or_after(_owing_from(ds, unit))


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
    """The highest letter already issued to the unit for the task."""


def escalation(ds: Dataset, task: Task, as_of: date, unit: str | None = None) -> Escalation:
    """The next letter for an overdue task to ``unit`` (default its lead; for a task a group leads, one of
    the members, spec 6.11): the level after the highest issued to that unit for it, once ``days_late``
    (past the due in force) reaches that level's threshold and the previous letter's ``reply_by`` is
    before ``as_of``. No level is skipped; after supervision there is none. An extension requested in
    time and pending, or a reply's ``promised`` date still ahead, holds it back (spec 6.3, 7)."""
    to = task.lead if unit is None else unit
    sent = [letter for letter in ds.letters_by_task.get(task.id, ()) if letter.unit == to and letter.issued <= as_of]
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


def next_letter(ds: Dataset, task: Task, as_of: date, unit: str | None = None) -> LetterKind | None:
    """The next letter due to ``unit`` for the task; without one, the highest due to any unit that leads it
    (its lead, or the members of the group that leads it)."""
    if unit is not None:
        return escalation(ds, task, as_of, unit).level
    due = [level for u in ds.lead_units(task) if (level := escalation(ds, task, as_of, u).level) is not None]
    return max(due, key=LEVELS.index, default=None)
