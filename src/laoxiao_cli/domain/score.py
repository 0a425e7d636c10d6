"""阶段性赋分: each unit's score for a period, judged at the period's end (spec section 3)."""

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


@dataclass(frozen=True, slots=True)
class Scores:
    period: str
    end: date
    units: list[UnitScore]


def round_half_up(value: Fraction) -> float:
    """One decimal, half-up on the exact value (72.25 → 72.3)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _fraction(value: float) -> Fraction:
    return Fraction(Decimal(str(value)))


def missing_in_period(ds: Dataset, unit: Unit, period: Period) -> list[str]:
    """Months inside the period the unit owed a report for, with none submitted by the period's end."""
    months = months_between(month_of(period.start), month_of(period.end))
    inside = [m for m in months if month_start(m) >= period.start and month_end(m) <= period.end]
    return [
        m
        for m in inside
        if rules.owes_report(ds, unit, m) and rules.report_submitted(ds, m, unit.id, period.end) is None
    ]


def unit_score(ds: Dataset, unit: Unit, period: Period, led: list[Task] | None = None) -> UnitScore:
    """``led``: the tasks the unit leads, when the caller has grouped them already."""
    scoring = ds.group.rules.scoring
    on_time, late = _fraction(scoring.on_time), _fraction(scoring.late)
    end = period.end
    details = []
    mine = led if led is not None else [t for t in ds.tasks.values() if t.lead == unit.id]
    for task in sorted(mine, key=lambda t: t.id):
        if task.status == "cancelled" or not period.start <= task.due <= end:
            continue
        weight = _fraction(task.weight)
        if task.status == "done" and task.done is not None and task.done <= task.due:
            details.append(TaskScore(task, "on_time", weight * on_time))
        elif task.status == "done" and task.done is not None and task.done <= end:
            details.append(TaskScore(task, "late", weight * late))
        else:
            details.append(TaskScore(task, "none", Fraction(0)))
    missing = missing_in_period(ds, unit, period)
    total_weight = sum((_fraction(d.task.weight) for d in details), Fraction(0))
    earned = sum((d.earned for d in details), Fraction(0))
    score: float | None = None
    if details:
        raw = 100 * earned / total_weight - _fraction(scoring.missing_report_penalty) * len(missing)
        score = max(0.0, round_half_up(raw))
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
    )


def scores(ds: Dataset, period: Period) -> Scores:
    units = ds.units.values()
    by_lead: dict[str, list[Task]] = {}
    for task in ds.tasks.values():
        by_lead.setdefault(task.lead, []).append(task)
    return Scores(period.name, period.end, [unit_score(ds, u, period, by_lead.get(u.id, [])) for u in units])
