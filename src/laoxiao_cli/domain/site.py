"""The dashboard page (`lx site`, spec 11.4): everything it shows as of a day, gathered from the rules and
views that already compute it (status, overdue, 三色预警, reports, letters) — nothing is judged here anew."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from laoxiao_cli.domain import progress, rules
from laoxiao_cli.domain.calendar import first_month_on_or_after, month_end, month_of, month_start, months_between
from laoxiao_cli.domain.meetings import MeetingKind
from laoxiao_cli.domain.overdue import OverdueItem, overdue
from laoxiao_cli.domain.reports import ReportState, month_reports
from laoxiao_cli.domain.status import Status, status
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Letter, Meeting


@dataclass(frozen=True, slots=True)
class UnitBar:
    """One unit's tasks as lead, as of the day: open and not overdue, overdue, done (on time or late)."""

    unit: str
    name: str
    open: int
    overdue: int
    done: int

    @property
    def total(self) -> int:
        return self.open + self.overdue + self.done


@dataclass(frozen=True, slots=True)
class MonthPoint:
    """One month: the tasks done in it, and the tasks overdue at its end (at the as-of day for its month)."""

    month: str
    judged: date
    done: int
    overdue: int


@dataclass(frozen=True, slots=True)
class GridRow:
    """One unit's monthly reports, one state per month of ``Site.report_months``."""

    unit: str
    name: str
    states: list[ReportState]


@dataclass(frozen=True, slots=True)
class DecisionState:
    """A decision of the last meeting and how its tracking task stands on the day (None: no task)."""

    number: int
    text: str
    lead: str | None
    task: str | None
    due: date | None
    """The task's due in force, else the decision's own time limit."""
    state: rules.TaskState | None
    colour: progress.Colour | None
    """The task's colour (三色预警) when it is open."""


@dataclass(frozen=True, slots=True)
class LastMeeting:
    id: str
    date: date
    kind: MeetingKind
    decisions: list[DecisionState]


@dataclass(frozen=True, slots=True)
class Site:
    as_of: date
    status: Status
    """The overall numbers and colours, the last meeting's date, the quarters without one, letters awaiting reply."""
    units: list[UnitBar]
    """Every unit, in roster order."""
    months: list[MonthPoint]
    """From the group's start to the as-of month."""
    report_months: list[str]
    """From the first month the group owes reports for to the as-of month."""
    reports: list[GridRow]
    overdue: list[OverdueItem]
    """As `lx overdue` lists them: most days late first."""
    meeting: LastMeeting | None
    partial: bool = False
    """Computed from part of the data (files with findings left out, spec 13): set by the command, said on the page."""

    @property
    def group(self) -> str:
        return self.status.group

    @property
    def awaiting(self) -> list[Letter]:
        return self.status.awaiting


def site(ds: Dataset, as_of: date) -> Site:
    """What the dashboard shows as of ``as_of``."""
    summary = status(ds, as_of)
    bars = [UnitBar(r.id, r.name, r.lead_open - r.lead_overdue, r.lead_overdue, r.lead_done) for r in summary.units]
    grid_months = _months(first_month_on_or_after(ds.group.started), as_of)
    states: dict[str, list[ReportState]] = {uid: [] for uid in ds.units}
    for month in grid_months:
        for row in month_reports(ds, month, as_of).rows:
            states[row.unit].append(row.state)
    return Site(
        as_of=as_of,
        status=summary,
        units=bars,
        months=_month_points(ds, as_of),
        report_months=grid_months,
        reports=[GridRow(u.id, u.name, states[u.id]) for u in ds.units.values()],
        overdue=overdue(ds, as_of).items,
        meeting=_last_meeting(ds, as_of),
    )


def _months(first: str, as_of: date) -> list[str]:
    return list(months_between(first, month_of(as_of)))


def _group_months(ds: Dataset, as_of: date) -> list[str]:
    """The months from the group's start to ``as_of`` (none before the group started)."""
    return _months(month_of(ds.group.started), as_of) if as_of >= ds.group.started else []


def _month_points(ds: Dataset, as_of: date) -> list[MonthPoint]:
    """Each month's tasks done in it and overdue at its end (or at ``as_of``); a task done before a month
    began is neither, so each month looks only at the tasks still open when it began."""
    live = [t for t in ds.tasks.values() if t.status != "cancelled"]
    points = []
    for month in _group_months(ds, as_of):
        end, before = min(month_end(month), as_of), month_start(month) - timedelta(days=1)
        live = [t for t in live if not rules.is_done(t, before)]
        done = sum(t.done is not None and month_of(t.done) == month and rules.is_done(t, end) for t in live)
        points.append(MonthPoint(month, end, done, sum(rules.is_overdue(t, end) for t in live)))
    return points


def _last_meeting(ds: Dataset, as_of: date) -> LastMeeting | None:
    """The last meeting held on or before ``as_of`` (the latest date, then the highest id)."""
    held = [m for m in ds.meetings.values() if m.status == "held" and m.date <= as_of]
    last = max(held, key=lambda m: (m.date, m.id), default=None)
    if last is None:
        return None
    return LastMeeting(last.id, last.date, last.kind, _decisions(ds, last, as_of))


def _decisions(ds: Dataset, meeting: Meeting, as_of: date) -> list[DecisionState]:
    gauges = progress.gauges(ds, as_of)
    out = []
    for number, decision in enumerate(meeting.decisions, start=1):
        task = ds.tasks.get(decision.task) if decision.task else None
        if task is None:
            out.append(DecisionState(number, decision.text, decision.lead, None, decision.due, None, None))
            continue
        gauge = gauges.get(task.id)
        out.append(
            DecisionState(
                number,
                decision.text,
                task.lead,
                task.id,
                rules.due_at(task, as_of),
                rules.task_state(task, as_of),
                gauge.colour if gauge else None,
            )
        )
    return out
