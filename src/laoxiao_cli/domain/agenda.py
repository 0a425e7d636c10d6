"""The office's draft agenda for the next regular meeting (`lx meeting agenda`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from laoxiao_cli.domain import progress, rules
from laoxiao_cli.domain.calendar import quarter_end, quarter_start
from laoxiao_cli.domain.handover import next_meeting
from laoxiao_cli.domain.units import unit_name
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Decision, Meeting, Report, Task


@dataclass(frozen=True, slots=True)
class Agenda:
    as_of: date
    quarter: str
    meeting_id: str
    planned_date: date
    units: list[tuple[str, str]]
    overdue_by_unit: list[tuple[str, list[tuple[Task, int]]]]
    key_projects: list[tuple[Task, str, rules.TaskState, date]]
    """(task, lead unit name, state, due in force)."""
    last_meeting: Meeting | None
    open_decisions: list[tuple[int, Decision, str, Task | None]]
    """(number, decision, lead unit name, tracking task)."""
    missing_reports: list[tuple[str, list[str]]]
    raised: list[tuple[str, Report]]
    """(unit name, its latest report submitted on or before the day — received, else submitted, spec 6.9)
    for the units whose report raised difficulties, suggestions or plans (下步工作思路)."""
    colours: dict[str, progress.Colour] = field(default_factory=dict)
    """Task id → its colour (三色预警), for the tasks open on the day."""
    warnings: list[progress.Gauge] = field(default_factory=list)
    """The yellow (预警) tasks, worst first: not overdue yet, but behind or close to their due."""


def agenda(ds: Dataset, as_of: date) -> Agenda:
    quarter = next_meeting(ds, as_of)
    year, q = quarter.split("-Q")
    start, end = quarter_start(quarter), quarter_end(quarter)
    planned = min(max(as_of + timedelta(days=7), start), end)
    units = ds.units.values()
    overdue: dict[str, list[tuple[Task, int]]] = {}
    for task in sorted(ds.tasks.values(), key=lambda t: (rules.due_at(t, as_of), t.id)):
        if rules.is_overdue(task, as_of):
            overdue.setdefault(task.lead, []).append((task, rules.days_late(rules.due_at(task, as_of), as_of)))
    key = [
        (t, unit_name(ds, t.lead), rules.task_state(t, as_of), rules.due_at(t, as_of))
        for t in sorted(ds.tasks.values(), key=lambda t: t.id)
        if t.key
    ]
    held = [m for m in ds.meetings.values() if m.status == "held" and m.date <= as_of]
    last = max(held, key=lambda m: (m.date, m.id), default=None)
    open_decisions: list[tuple[int, Decision, str, Task | None]] = []
    if last is not None:
        for n, decision in enumerate(last.decisions, start=1):
            tracking = ds.tasks.get(decision.task) if decision.task else None
            if tracking is None or rules.is_open(tracking, as_of):
                lead = unit_name(ds, decision.lead) if decision.lead else "—"
                open_decisions.append((n, decision, lead, tracking))
    missing = [(u.name, rules.missing_reports(ds, u, as_of)) for u in units]
    latest_by_unit: dict[str, Report] = {}
    for (_month, unit_id), report in ds.reports.items():
        best = latest_by_unit.get(unit_id)
        if report.counted <= as_of and (best is None or (report.month, report.counted) > (best.month, best.counted)):
            latest_by_unit[unit_id] = report
    raised = []
    for unit in units:
        latest = latest_by_unit.get(unit.id)
        if latest is not None and (latest.difficulties or latest.suggestions or latest.plans):
            raised.append((unit.name, latest))
    gauges = progress.gauges(ds, as_of)
    yellow = sorted((g for g in gauges.values() if g.colour == "yellow"), key=progress.order)
    return Agenda(
        as_of=as_of,
        quarter=quarter,
        meeting_id=f"{year}-q{q}",
        planned_date=planned,
        units=[(u.id, u.name) for u in units if u.id not in ds.groups],  # a group is heard through its members
        overdue_by_unit=[(ds.units[u].name if u in ds.units else u, items) for u, items in _in_roster(ds, overdue)],
        key_projects=key,
        last_meeting=last,
        open_decisions=open_decisions,
        missing_reports=[(name, months) for name, months in missing if months],
        raised=raised,
        colours={task_id: g.colour for task_id, g in gauges.items()},
        warnings=yellow,
    )


def planned_meeting(a: Agenda) -> dict[str, object]:
    """The ``meetings/<YYYY-qN>.yaml`` record `--write` creates: status planned, ready to complete."""
    return {
        "id": a.meeting_id,
        "kind": "regular",
        "status": "planned",
        "date": a.planned_date,
        "chair": None,
        "on_behalf_of": None,
        "attendees": [],
        "agenda": [
            "听取各成员单位阶段性工作推进情况",
            f"协调解决卡点难点问题（逾期任务 {sum(len(items) for _, items in a.overdue_by_unit)} 项）",
            "审议重要方案",
            "部署下一阶段工作任务和事项",
        ],
        "heard": [],
        "reviewed": [],
        "decisions": [],
    }


def _in_roster(ds: Dataset, by_unit: dict[str, list[tuple[Task, int]]]) -> list[tuple[str, list[tuple[Task, int]]]]:
    """The units' entries in roster order (ids no unit has, after them by id)."""
    position = {uid: n for n, uid in enumerate(ds.units)}
    return sorted(by_unit.items(), key=lambda item: (position.get(item[0], len(position)), item[0]))
