"""阶段性赋分: each unit's score for a period, judged as of a day D (spec sections 3 and 13): by default the
period's end E or today, whichever is earlier; D may be after E (the annual 考绩 in January)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

from laoxiao_cli.domain import rules
from laoxiao_cli.domain.calendar import Period, month_end, month_of, month_start, months_between
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Task, Unit


@dataclass(frozen=True, slots=True)
class TaskScore:
    task: Task
    outcome: Literal["on_time", "late", "none"]
    earned: Fraction


@dataclass(frozen=True, slots=True)
class UnitScore:
    id: str
    name: str
    score: float | None
    tasks: int
    weight: float
    earned: float
    missing_reports: int
    missing_months: list[str]
    details: list[TaskScore]
    penalty: float = 0.0
    """The deduction for missing reports (one decimal), for every unit that owes reports."""

    @property
    def task_ids(self) -> list[str]:
        return [d.task.id for d in self.details]


@dataclass(frozen=True, slots=True)
class Scores:
    period: str
    end: date
    units: list[UnitScore]
    as_of: date | None = None


def round_half_up(value: Fraction) -> float:
    """One decimal, half-up on the exact value (72.25 → 72.3)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _fraction(value: float) -> Fraction:
    return Fraction(Decimal(str(value)))


def missing_in_period(ds: Dataset, unit: Unit, period: Period, as_of: date | None = None) -> list[str]:
    """Months inside the period the unit owed a report for that were missing as of D (default: the period's
    end): judged at D, a month counts once its report was due before D and none was submitted by D (with
    ``due_month: next`` the period's last month is due after its end: it counts only when D is later)."""
    day = as_of if as_of is not None else period.end
    months = months_between(month_of(period.start), month_of(period.end))
    inside = {m for m in months if month_start(m) >= period.start and month_end(m) <= period.end}
    return [m for m in rules.missing_reports(ds, unit, day) if m in inside]


def default_as_of(period: Period, today: date) -> date:
    """The period's end, or today when the period is still running."""
    return min(period.end, today)


def unit_score(
    ds: Dataset, unit: Unit, period: Period, led: list[Task] | None = None, as_of: date | None = None
) -> UnitScore:
    """``led``: the tasks the unit leads (a group's tasks are each member's, spec 6.11), when the caller has
    grouped them already."""
    scoring = ds.group.rules.scoring
    on_time, late = _fraction(scoring.on_time), _fraction(scoring.late)
    end = period.end if as_of is None else as_of
    details = []
    mine = led if led is not None else [t for t in ds.tasks.values() if unit.id in ds.lead_units(t)]
    for task in sorted(mine, key=lambda t: t.id):
        # 未经批准延期的按原定时间考核: the due in force at the judgement date, never after the period's end
        due = rules.due_at(task, min(end, period.end))
        if task.status == "cancelled" or not period.start <= due <= period.end:
            continue
        weight = _fraction(task.weight)
        if task.status == "done" and task.done is not None and task.done <= min(due, end):
            details.append(TaskScore(task, "on_time", weight * on_time))
        elif task.status == "done" and task.done is not None and task.done <= end:
            details.append(TaskScore(task, "late", weight * late))
        else:
            details.append(TaskScore(task, "none", Fraction(0)))
    missing = missing_in_period(ds, unit, period, as_of)
    total_weight = sum((_fraction(d.task.weight) for d in details), Fraction(0))
    earned = sum((d.earned for d in details), Fraction(0))
    penalty = _fraction(scoring.missing_report_penalty) * len(missing)
    score: float | None = None
    if details:  # the notice scores 任务完成情况: no task, no score — but the penalty still stands
        score = max(0.0, round_half_up(100 * earned / total_weight - penalty))
    return UnitScore(
        unit.id,
        unit.name,
        score,
        len(details),
        float(total_weight),
        round_half_up(earned),
        len(missing),
        missing,
        details,
        round_half_up(penalty),
    )


def scores(
    ds: Dataset, period: Period, as_of: date | None = None, sort: Literal["roster", "score"] = "roster"
) -> Scores:
    """Every unit's score (roster order, or ``sort="score"``: highest first, units without a score last). A
    group has no line of its own: its members are scored, each on the tasks the group leads (spec 6.11)."""
    units = [u for u in ds.units.values() if not u.members]
    by_lead: dict[str, list[Task]] = {}
    for task in ds.tasks.values():
        for lead in ds.lead_units(task):
            by_lead.setdefault(lead, []).append(task)
    rows = [unit_score(ds, u, period, by_lead.get(u.id, []), as_of) for u in units]
    if sort == "score":
        rows.sort(key=lambda r: (r.score is None, -(r.score or 0.0)))  # stable: roster order among equals
    return Scores(period.name, period.end, rows, as_of if as_of is not None else period.end)
