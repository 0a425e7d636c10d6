"""序时进度 and 三色预警 (spec 7, 11.3): how far along an open task should be by its dates, what its
lead last reported, and its colour."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from laoxiao_cli.domain import rules
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Task

Colour = Literal["red", "yellow", "green"]
COLOURS: tuple[Colour, ...] = ("red", "yellow", "green")
"""Worst first: the order lists are sorted in."""


@dataclass(frozen=True, slots=True)
class Gauge:
    """One open task as of a day: its due in force, the gauge and the colour."""

    task: Task
    due: date
    expected: int | None
    """Percent of its time gone (序时进度); None without a ``start``."""
    reported: int | None
    """The percent of the latest report with one for it; None when none has."""
    lag: int | None
    colour: Colour


@dataclass(frozen=True, slots=True)
class Progress:
    as_of: date
    unit: str | None
    items: list[Gauge]
    tolerance: int = 10
    warn_days: int = 7
    """The thresholds the colours were judged by (group.yaml ``rules.progress``)."""


def thresholds(ds: Dataset) -> tuple[int, int]:
    """group.yaml ``rules.progress``: (tolerance, warn_days)."""
    given = ds.group.rules.progress
    return given.tolerance, given.warn_days


def expected(start: date | None, due: date, as_of: date) -> int | None:
    """round-half-up(100 × clamp((D − start) / (due − start), 0, 1)); None without a start."""
    if start is None:
        return None
    span = (due - start).days
    if span <= 0:  # due on (or before) the start: all its time is gone once it starts
        return 100 if as_of >= start else 0
    gone = min(max((as_of - start).days, 0), span)
    return (200 * gone + span) // (2 * span)


def reported(ds: Dataset, as_of: date, unit: str | None = None, tasks: Iterable[str] | None = None) -> dict[str, int]:
    """Task id → the percent in the latest report submitted on or before ``as_of`` that has one for it:
    the latest month first, then the lead unit's report before the others' (a member's of the group that
    leads it counts as the lead's; among the others of one month, and among the members, the first in
    file-name order; within one report, its first entry for the task). With ``unit`` a member of a group,
    a task its group leads is that member's own: only its reports count, not the other members'.
    ``tasks``: only these (default: every task some report has a figure for)."""
    index = ds.percents_by_task
    group = ds.group_of.get(unit) if unit is not None else None
    siblings = set(ds.members(group)) - {unit} if group is not None else set()
    submitted = ds.submitted
    percents: dict[str, int] = {}
    for task_id in index if tasks is None else tasks:
        entries = index.get(task_id)
        if not entries:
            continue
        task = ds.tasks.get(task_id)
        leads = (task.lead, *ds.lead_units(task)) if task is not None else ()
        skip = siblings if task is not None and group is not None and task.lead == group else ()
        found = _latest(entries, submitted, as_of, leads, skip)
        if found is not None:
            percents[task_id] = found
    return percents


def _latest(
    entries: tuple[tuple[str, str, int], ...],
    submitted: Mapping[tuple[str, str], date],
    as_of: date,
    leads: tuple[str, ...],
    skip: Collection[str],
) -> int | None:
    """Of one task's (month, unit, percent) entries (file-name order), the figure that counts at ``as_of``:
    the latest month's, a lead's before another's, the first of equals."""
    chosen: tuple[str, int] | None = None  # (month, percent)
    by_lead = False
    for month, unit_id, percent in reversed(entries):  # latest month first
        if chosen is not None and month < chosen[0]:
            break
        if submitted[(month, unit_id)] > as_of or unit_id in skip:
            continue
        lead = unit_id in leads
        # within the month, walking backwards: a later lead entry gives way to an earlier one, a lead to
        # nothing else, and an earlier non-lead entry replaces a later one unless a lead was found
        if chosen is None or lead or not by_lead:
            chosen, by_lead = (month, percent), lead or by_lead
    return chosen[1] if chosen is not None else None


def colour(due: date, lag: int | None, as_of: date, tolerance: int, warn_days: int) -> Colour:
    """Red when overdue; yellow when behind by more than the tolerance or due within ``warn_days``."""
    if due < as_of:
        return "red"
    if (lag is not None and lag > tolerance) or (due - as_of).days <= warn_days:
        return "yellow"
    return "green"


def gauges(ds: Dataset, as_of: date, unit: str | None = None) -> dict[str, Gauge]:
    """Every task open at ``as_of`` (file-name order) → its gauge (``unit``: as that unit sees it, see
    ``reported``)."""
    tolerance, warn_days = thresholds(ds)
    open_tasks = [task for task in ds.tasks.values() if rules.is_open(task, as_of)]
    percents = reported(ds, as_of, unit, (task.id for task in open_tasks))
    out: dict[str, Gauge] = {}
    for task in open_tasks:
        due = rules.due_at(task, as_of)
        want = expected(task.start, due, as_of)
        have = percents.get(task.id)
        lag = want - have if want is not None and have is not None else None
        out[task.id] = Gauge(task, due, want, have, lag, colour(due, lag, as_of, tolerance, warn_days))
    return out


def order(gauge: Gauge) -> tuple[int, bool, int, str]:
    """Red, yellow, green; then the largest lag first (none last); then the id."""
    return (COLOURS.index(gauge.colour), gauge.lag is None, -(gauge.lag or 0), gauge.task.id)


def progress(ds: Dataset, as_of: date, unit: str | None = None) -> Progress:
    """Every task open at ``as_of`` (with ``unit``: those it leads, a group's tasks being each member's and a
    group naming its members, spec 6.11), worst first; each task once, its lead as the task names it."""
    chosen = ds.responsible(unit) if unit is not None else ()
    items = [
        g
        for g in gauges(ds, as_of, unit).values()
        if unit is None or g.task.lead == unit or any(u in chosen for u in ds.lead_units(g.task))
    ]
    return Progress(as_of, unit, sorted(items, key=order), *thresholds(ds))


def counts(items: list[Gauge]) -> dict[Colour, int]:
    """How many of each colour, every colour named."""
    tally = Counter(g.colour for g in items)
    return {c: tally[c] for c in COLOURS}
