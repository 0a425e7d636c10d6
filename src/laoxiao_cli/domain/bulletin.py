"""The monthly 通报 (`lx bulletin --month M`, spec 11.2), judged at E = the month's last day, or the
as-of day when earlier: what was done in the month, what is overdue at E, how the last meeting's
decisions stand, who reported (the reports due in the month), the letters issued, each unit's completion
rate and the practices the units reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Literal

from laoxiao_cli.domain import rules
from laoxiao_cli.domain.calendar import month_end, month_of, month_start
from laoxiao_cli.domain.reports import month_reports
from laoxiao_cli.domain.score import round_half_up
from laoxiao_cli.errors import LxError
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.loop_checks import letter_number
from laoxiao_cli.model.records import LetterKind, OfficeDoc
from laoxiao_cli.model.tenure import in_office

BulletinSort = Literal["roster", "rate"]


@dataclass(frozen=True, slots=True)
class DoneTask:
    task: str
    title: str
    lead: str
    done: date


@dataclass(frozen=True, slots=True)
class OverdueTask:
    task: str
    title: str
    lead: str
    due: date
    """The due in force at E."""
    days_late: int


@dataclass(frozen=True, slots=True)
class LaggingDecision:
    number: int
    """The decision's place in the meeting (1-based)."""
    text: str
    task: str
    lead: str
    due: date
    days_late: int


@dataclass(frozen=True, slots=True)
class Decisions:
    """The last meeting held on or before E: its decisions that have a tracking task (cancelled tasks
    left out), how many of those tasks were done by E, and the lagging ones (overdue at E)."""

    meeting: str | None
    date: date | None
    total: int
    done: int
    percent: float | None
    lagging: list[LaggingDecision]


@dataclass(frozen=True, slots=True)
class Rate:
    unit: str
    done: int
    total: int
    rate: float | None


@dataclass(frozen=True, slots=True)
class Practice:
    unit: str
    text: str


@dataclass(frozen=True, slots=True)
class LetterIssued:
    id: str
    kind: LetterKind
    unit: str
    issued: date


@dataclass(frozen=True, slots=True)
class Bulletin:
    month: str
    as_of: date
    group: str
    """The group's name for headings (``short_name``, else ``name``)."""
    cc: list[str]
    """The 组长 and 副组长, as ``title name``."""
    done: list[DoneTask]
    overdue: list[OverdueTask]
    """By lead unit (dataset order), then days late descending, then id."""
    decisions: Decisions
    reports_month: str
    """The month whose reports fall due in ``month``, judged below: ``month`` itself, or the month before
    with ``rules.reports.due_month: next`` (次月5日前报送上月情况: January's 通报 tells who reported December)."""
    on_time: list[str]
    late: list[str]
    missing: list[str]
    letters: list[LetterIssued]
    rates: list[Rate]
    practices: list[Practice]
    doc: OfficeDoc = field(default_factory=OfficeDoc)
    """How the office heads and numbers its documents (group.yaml ``office.doc``)."""
    number: int | None = None
    """The serial of its 发文字号 in the letters' register of E's year, when the office gave one (``--number``);
    None: left blank to be filled in (with ``office.doc.prefix``), or no 发文字号 at all."""


def judged_at(month: str, as_of: date) -> date:
    """E: the last day of ``month``, or ``as_of`` when earlier."""
    return min(month_end(month), as_of)


def percent(done: int, total: int) -> float | None:
    """100 × done / total, one decimal half-up; None when total is 0."""
    return round_half_up(Fraction(100 * done, total)) if total else None


def serial(ds: Dataset, year: int, number: int | None = None) -> int | None:
    """The 通报's serial in the register its letters are numbered from, when the office gives one: a
    number a letter of ``year`` already holds is refused (a 发文字号 is never reused). Without one, None:
    the 通报 is not a record of the repository, so a number taken from the register now would be taken
    again by the next letter; the document leaves the number for the office to fill in when it is issued."""
    if number is None:
        return None
    used = sorted(x.id for x in ds.letters.values() if x.issued.year == year and letter_number(x) == number)
    if used:
        raise LxError(
            f"〔{year}〕{number}号 已由函件 {used[0]} 使用：发文字号不能重复使用，请按登记簿给出未用的编号（--number）"
        )
    return number


def bulletin(
    ds: Dataset, month: str, as_of: date, sort: BulletinSort = "roster", number: int | None = None
) -> Bulletin:
    """The 通报 of ``month`` as of ``as_of`` (``number``: its serial, when the office's register says so)."""
    end = judged_at(month, as_of)
    order = {uid: n for n, uid in enumerate(ds.units)}
    tasks = [t for t in ds.tasks.values() if t.status != "cancelled"]
    done = [
        DoneTask(t.id, t.title, t.lead, t.done)
        for t in tasks
        if t.done is not None and rules.is_done(t, end) and month_of(t.done) == month
    ]
    overdue = [
        OverdueTask(t.id, t.title, t.lead, rules.due_at(t, end), rules.days_late(rules.due_at(t, end), end))
        for t in tasks
        if rules.is_overdue(t, end)
    ]
    overdue.sort(key=lambda o: (order.get(o.lead, len(order)), o.lead, -o.days_late, o.task))
    reports_month = rules.report_month_due_in(ds, month)
    reports = month_reports(ds, reports_month, end)  # on time or late: received, else submitted (spec 6.9)
    by_state = {state: [r.unit for r in reports.rows if r.state == state] for state in ("submitted", "late", "missing")}
    start = month_start(month)
    letters = sorted(
        (LetterIssued(x.id, x.kind, x.unit, x.issued) for x in ds.letters.values() if start <= x.issued <= end),
        key=lambda x: (x.issued, x.id),
    )
    rates = [_rate(ds, uid, end) for uid, u in ds.units.items() if not u.members]  # a group's: its members' (6.11)
    if sort == "rate":  # a league table: highest first, units with no task last, ties in roster order
        rates.sort(key=lambda r: (r.rate is None, -(r.rate or 0.0)))
    group = ds.group
    return Bulletin(
        month=month,
        as_of=end,
        group=(group.short_name or "").strip() or group.name,
        cc=[f"{p.title}{p.name}" for p in in_office([*group.leaders, *group.deputy_leaders], end)],
        done=sorted(done, key=lambda t: (t.done, t.task)),
        overdue=overdue,
        decisions=_decisions(ds, end),
        reports_month=reports_month,
        on_time=by_state["submitted"],
        late=by_state["late"],
        missing=by_state["missing"],
        letters=letters,
        rates=rates,
        practices=[Practice(r.unit, text) for r in reports.rows for text in r.practices],
        doc=group.office.doc,
        number=serial(ds, end.year, number),
    )


def _rate(ds: Dataset, unit: str, end: date) -> Rate:
    """Of the non-cancelled tasks ``unit`` leads (a group's being each member's) with a due in force on or
    before E, those done by E."""
    owed = [
        t
        for t in ds.tasks.values()
        if unit in ds.lead_units(t) and t.status != "cancelled" and rules.due_at(t, end) <= end
    ]
    done = sum(rules.is_done(t, end) for t in owed)
    return Rate(unit, done, len(owed), percent(done, len(owed)))


def _decisions(ds: Dataset, end: date) -> Decisions:
    held = [m for m in ds.meetings.values() if m.status == "held" and m.date <= end]
    last = max(held, key=lambda m: (m.date, m.id), default=None)
    if last is None:
        return Decisions(None, None, 0, 0, None, [])
    total = done = 0
    lagging = []
    for number, decision in enumerate(last.decisions, start=1):
        task = ds.tasks.get(decision.task) if decision.task else None
        if task is None or task.status == "cancelled":
            continue
        total += 1
        done += rules.is_done(task, end)
        if rules.is_overdue(task, end):
            due = rules.due_at(task, end)
            lagging.append(LaggingDecision(number, decision.text, task.id, task.lead, due, rules.days_late(due, end)))
    return Decisions(last.id, last.date, total, done, percent(done, total), lagging)
