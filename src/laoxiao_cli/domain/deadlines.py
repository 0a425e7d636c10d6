"""The dated items of the office's calendar as of a day (spec 11.5): every open task's due in force, every
open milestone, the report due dates of the 12 months from that day's month, the planned meetings and the
letters awaiting a reply.

Each item has a ``key`` that names the thing, never its date, so that an exported calendar imported again
moves an item whose date changed (an approved extension) instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal

from laoxiao_cli.domain import rules
from laoxiao_cli.domain.calendar import month_of, next_month
from laoxiao_cli.domain.units import role
from laoxiao_cli.domain.workdays import UnknownYear
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Group, Letter, Meeting, Task

DeadlineKind = Literal["task_due", "milestone", "report_due", "meeting", "letter_reply"]
KINDS: tuple[DeadlineKind, ...] = ("task_due", "milestone", "report_due", "meeting", "letter_reply")
"""The order of the kinds among the items of one day."""
REPORT_MONTHS = 12
"""How many months of report due dates, from the as-of day's month."""


@dataclass(frozen=True, slots=True)
class Deadline:
    """One dated item: what it is (``kind`` and the record it comes from), its day, whom it concerns."""

    key: str
    """Stable across runs and dates: ``task-<id>-due``, ``task-<id>-milestone-<n>``, ``report-<YYYY-MM>``,
    ``meeting-<id>``, ``letter-<id>-reply``."""
    kind: DeadlineKind
    day: date
    units: tuple[str, ...]
    """The units it concerns, in roster order where there are several (a task: its lead first)."""
    ids: tuple[str, ...]
    """The records it comes from: the task, the month, the meeting, the letter and its tasks."""
    revision: int = 0
    """Grows when the day moves by a decision: for a task's due, the extensions approved as of the day."""
    task: Task | None = None
    """The task of a ``task_due`` or ``milestone``."""
    milestone: int | None = None
    """The milestone's number in its task (1-based)."""
    letter: Letter | None = None
    letter_tasks: tuple[Task, ...] = ()
    """The tasks a ``letter_reply``'s letter is about (those the dataset has)."""
    meeting: Meeting | None = None
    month: str | None = None
    """The month of a ``report_due``."""


@dataclass(frozen=True, slots=True)
class Deadlines:
    as_of: date
    unit: str | None
    group: Group
    items: list[Deadline]
    """By day, then kind (``KINDS``), then key."""
    unknown: tuple[UnknownYear, ...] = ()
    """Years whose holidays neither a calendar file nor the package knows, so that the report dues that
    fall in them are left out (never guessed, spec 6.4): the command says which file to add."""


def deadlines(ds: Dataset, as_of: date, unit: str | None = None) -> Deadlines:
    """Everything dated that is still to be done as of ``as_of``; with ``unit``, what concerns that unit:
    the tasks it leads or supports and their milestones, its report dues, the letters to it, and the
    planned meetings (every member unit attends them) — a task its group leads or supports concerns it
    too, and a group's members' items are the group's (spec 6.11).

    Overdue tasks, milestones and replies stay, at their (past) day, while they are open. A planned
    meeting stays only from its day on: once its day has passed it was held (and is recorded as held) or
    put off (and gets a new date), so a past day would remind nobody of anything; quarters with no
    meeting are what ``lx overdue`` reports. A meeting recorded as held but dated after ``as_of`` had not
    been held as of that day (spec 3), so it counts as planned."""
    unknown: dict[int, UnknownYear] = {}
    reports = list(_reports(ds, as_of, unit, unknown))
    items = [*_tasks(ds, as_of, unit), *reports, *_meetings(ds, as_of), *_letters(ds, as_of, unit)]
    items.sort(key=lambda item: (item.day, KINDS.index(item.kind), item.key))
    return Deadlines(as_of, unit, ds.group, items, tuple(unknown[year] for year in sorted(unknown)))


def _named(ds: Dataset, unit: str | None) -> tuple[str, ...]:
    """The units ``--unit`` names: the unit, and a group's members with it (spec 6.11)."""
    return (unit, *ds.members(unit)) if unit is not None else ()


def approved_by(task: Task, as_of: date) -> int:
    """How many of the task's extensions were approved on or before ``as_of``: a number that grows each
    time its due in force moves (an extension counts only once approved), and never falls as the day
    moves on."""
    return sum(1 for ext in task.extensions if ext.approved is not None and ext.approved <= as_of)


def _tasks(ds: Dataset, as_of: date, unit: str | None) -> Iterator[Deadline]:
    position = {uid: n for n, uid in enumerate(ds.units)}
    named = _named(ds, unit)
    for task in ds.tasks.values():
        if not rules.is_open(task, as_of) or (unit is not None and all(role(ds, task, u) is None for u in named)):
            continue
        support = sorted(dict.fromkeys(task.support), key=lambda uid: (position.get(uid, len(position)), uid))
        units = (task.lead, *(uid for uid in support if uid != task.lead))
        due = rules.due_at(task, as_of)
        yield Deadline(f"task-{task.id}-due", "task_due", due, units, (task.id,), approved_by(task, as_of), task)
        for n, milestone in enumerate(task.milestones, start=1):
            if milestone.done is None or milestone.done > as_of:
                key = f"task-{task.id}-milestone-{n}"
                yield Deadline(key, "milestone", milestone.due, units, (task.id,), task=task, milestone=n)


def report_months(ds: Dataset, as_of: date) -> list[str]:
    """The ``REPORT_MONTHS`` months from the one whose report falls due in ``as_of``'s month on (that month,
    or the month before with ``due_month: next``)."""
    months = [rules.report_month_due_in(ds, month_of(as_of))]
    while len(months) < REPORT_MONTHS:
        months.append(next_month(months[-1]))
    return months


def _reports(ds: Dataset, as_of: date, unit: str | None, unknown: dict[int, UnknownYear]) -> Iterator[Deadline]:
    """A month's report due date, for the units that owe that month's report and have not submitted it
    as of ``as_of`` (none left: no item). A month before the group's start, or before a unit's ``since``,
    is owed by nobody, or not by that unit. A month whose due falls in a year with no working-day data is
    left out and its year noted in ``unknown``: the months before it still have their dues."""
    named = _named(ds, unit)
    for month in report_months(ds, as_of):
        owing = tuple(
            u.id
            for u in ds.units.values()
            if (unit is None or u.id in named)
            and rules.owes_report(ds, u, month)
            and rules.report_submitted(ds, month, u.id, as_of) is None
        )
        if not owing:
            continue
        try:
            due = rules.report_due_date(ds, month)
        except UnknownYear as missing:
            unknown.setdefault(missing.year, missing)
            continue
        yield Deadline(f"report-{month}", "report_due", due, owing, (month,), month=month)


def _meetings(ds: Dataset, as_of: date) -> Iterator[Deadline]:
    for meeting in ds.meetings.values():
        planned = meeting.status == "planned" or meeting.date > as_of
        if planned and meeting.date >= as_of:
            units = tuple(dict.fromkeys(meeting.attendees))
            yield Deadline(f"meeting-{meeting.id}", "meeting", meeting.date, units, (meeting.id,), meeting=meeting)


def _letters(ds: Dataset, as_of: date, unit: str | None) -> Iterator[Deadline]:
    named = _named(ds, unit)
    for letter in ds.letters.values():
        if rules.awaiting_reply(letter, as_of) and (unit is None or letter.unit in named):
            ids = (letter.id, *letter.tasks)
            tasks = tuple(ds.tasks[tid] for tid in letter.tasks if tid in ds.tasks)
            key, day = f"letter-{letter.id}-reply", letter.reply_by
            yield Deadline(key, "letter_reply", day, (letter.unit,), ids, letter=letter, letter_tasks=tasks)
