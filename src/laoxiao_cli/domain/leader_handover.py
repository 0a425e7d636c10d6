"""A 组长's or 副组长's handover (spec 6.10): the terms it changes in group.yaml, the record filed, and
what the successor inherits (key projects, the meetings' open decisions, letters awaiting reply, the
next meeting).

The change takes effect on D: the predecessor's entry gets ``until: D − 1`` (the last day in office),
and a new entry ``from: D`` goes right after it, so that the list keeps its order of precedence (the
order 抄送 and documents list the leaders in). The record is ``handovers/<D>-group-<role>.yaml``
(``unit: group``): a 组长 belongs to no member unit, and a second change of the same post on one day —
two 副组长 replaced at once — is ``…-2``, ``…-3``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from laoxiao_cli.domain import progress, rules
from laoxiao_cli.domain.handover import LeaderRole, next_meeting
from laoxiao_cli.errors import LxError, UsageError
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.leader_checks import POSTS, PostList, terms_of
from laoxiao_cli.model.records import GROUP_UNIT, DeputyLeader, Handover, Leader, Letter, Task
from laoxiao_cli.model.tenure import names_in_office, serves


@dataclass(frozen=True, slots=True)
class LeaderChange:
    """What `lx handover --role leader|deputy_leader` is given."""

    role: LeaderRole
    to: str
    effective: date
    filed: date
    replaces: str | None = None
    """The one leaving; None: the only one in office on ``effective``."""
    title: str | None = None
    """None: the predecessor's."""
    coordinator: bool = False
    """The new 副组长 is the 牵头协调人 (the one before, if another, leaves that post the day before)."""
    note: str | None = None


@dataclass(frozen=True, slots=True)
class TermEdit:
    """One edit of a list of group.yaml: ``values`` set in its item ``index`` (``until``), or, with
    ``insert``, a new item ``values`` right after it. A plan's edits are in the order to apply them."""

    key: PostList
    index: int
    values: dict[str, object]
    insert: bool = False


@dataclass(frozen=True, slots=True)
class InheritedTask:
    task: Task
    due: date
    """The due in force on the day."""
    days_late: int | None
    reported: int | None
    """Its percent in the latest report that has one (spec 7)."""


@dataclass(frozen=True, slots=True)
class OpenDecision:
    """A decision (议定事项) of a held meeting whose task is still open on the day."""

    meeting: str
    held: date
    number: int
    """Its place in the meeting's decisions, from 1."""
    text: str
    task: InheritedTask


@dataclass(frozen=True, slots=True)
class CoordinatorChange:
    """Who is 牵头协调人 before and from the day (None: nobody)."""

    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class LeaderPlan:
    record: Handover
    edits: list[TermEdit]
    key_tasks: list[InheritedTask]
    decisions: list[OpenDecision]
    open_letters: list[Letter]
    next_meeting_quarter: str
    in_office: list[str]
    """Who holds the post from the day on, in the list's order."""
    coordinator: CoordinatorChange | None = None
    kind: Literal["new"] = "new"
    """What the JSON summary calls the action (a unit's handover may also be an insert or a correction)."""


def plan(ds: Dataset, change: LeaderChange) -> LeaderPlan:
    """The edits of group.yaml, the record and the checklist; refuses a change that cannot be."""
    key, label = POSTS[change.role]
    people: list[Leader] = list(getattr(ds.group, key))
    day = change.effective
    index, old = _leaving(ds, change, key, label)
    to = change.to.strip()
    if to == old.name:
        raise LxError(f"{to} 就是原任：继任者须是另一人")
    if any(p.name == to and serves(p, day) for p in people):
        raise LxError(f"{to} 在 {day} 已是在任的{label}，无需交接")
    title = change.title.strip() if change.title is not None else old.title
    if not title:
        raise UsageError("继任者信息有误：--title 不能为空")
    last = day - timedelta(days=1)
    new: dict[str, object] = {"name": to, "title": title}
    if change.coordinator:
        new["coordinator"] = True
    new["from"] = day
    edits = [TermEdit(key, index, {"until": last}), TermEdit(key, index, new, insert=True)]
    moved = None
    if change.role == "deputy_leader":
        moved, more = _coordinator(ds.group.deputy_leaders, index, change)
        edits = sorted([*edits, *more], key=lambda e: (-e.index, e.insert))  # later items first: indices hold
    tasks = _inherited(ds, day)
    decisions = _decisions(ds, day, tasks)
    letters = sorted((x for x in ds.letters.values() if rules.awaiting_reply(x, day)), key=lambda x: (x.issued, x.id))
    key_tasks = [t for t in tasks.values() if t.task.key]
    record = Handover.model_validate(
        {
            "id": record_id(ds, change.role, day),
            "unit": GROUP_UNIT,
            "role": change.role,
            "from": {"name": old.name, "title": old.title},
            "to": {"name": to, "title": title},
            "effective": day,
            "filed": change.filed,
            "open_tasks": list(dict.fromkeys([*(t.task.id for t in key_tasks), *(d.task.task.id for d in decisions)])),
            "open_letters": [x.id for x in letters],
            "missing_reports": [],
            "note": change.note,
        }
    )
    # who holds the post from the day: the successor where the predecessor was
    before, rest = names_in_office(people[:index], day), names_in_office(people[index + 1 :], day)
    names = list(dict.fromkeys([*before, to, *rest]))
    return LeaderPlan(record, edits, key_tasks, decisions, letters, next_meeting(ds, day), names, moved)


def _leaving(ds: Dataset, change: LeaderChange, key: PostList, label: str) -> tuple[int, Leader]:
    """The entry of the one who leaves: in office on the day, its term open, begun before the day."""
    people: list[Leader] = list(getattr(ds.group, key))
    day = change.effective
    serving = names_in_office(people, day)
    name = change.replaces.strip() if change.replaces is not None else None
    if name is None:
        if len(serving) != 1:
            who = f"有 {'、'.join(serving)}" if serving else "没有人"
            raise UsageError(f"{day} 在任的{label}{who}：请用 --replaces 指定离任的是哪一位")
        name = serving[0]
    entries = [(i, p) for i, p in enumerate(people) if p.name == name]
    current = next(((i, p) for i, p in entries if serves(p, day)), None)
    if current is None:
        later = next((p for _, p in entries if p.from_ is not None and p.from_ > day), None)
        if later is not None:
            raise LxError(
                f"生效日期 {day} 早于 {name} 任{label}的起始日期 {later.from_}（from）：交接只能在原任任职期间生效"
            )
        terms = terms_of(ds.group, name, (key,))
        where = f"（{terms}）" if terms else f"（group.yaml 的 {key} 中没有 {name}）"
        raise LxError(f"{name} 在 {day} 不是在任的{label}{where}；当天在任的{label}：{'、'.join(serving) or '（无）'}")
    index, old = current
    if old.from_ == day:
        raise LxError(f"生效日期 {day} 是 {name} 任{label}的第一天（from）：交接须在原任任职之后生效")
    if old.until is not None:
        raise LxError(
            f"{name} 任{label}已记录至 {old.until}（group.yaml 中已有 until）：不再办理交接；"
            "如记录有误，请手工修改 group.yaml 和相应的交接记录"
        )
    return index, old


def _coordinator(
    deputies: list[DeputyLeader], index: int, change: LeaderChange
) -> tuple[CoordinatorChange | None, list[TermEdit]]:
    """The 牵头协调人 from the day: the successor with ``--coordinator`` (another deputy holding it ends
    that term the day before and goes on without it from the day), else nobody if it was the predecessor."""
    day = change.effective
    holder = next(((i, d) for i, d in enumerate(deputies) if d.coordinator and serves(d, day)), None)
    if not change.coordinator:
        if holder is not None and holder[0] == index:
            return CoordinatorChange(holder[1].name, None), []
        return None, []
    if holder is None or holder[0] == index:
        return CoordinatorChange(holder[1].name if holder else None, change.to.strip()), []
    i, other = holder
    if other.from_ == day or other.until is not None:
        raise LxError(
            f"牵头协调人 {other.name} 的任期（{other.from_ or ''} 至 {other.until or ''}）不能在 {day} 前一天结束："
            "请手工修改 group.yaml"
        )
    keep = {"name": other.name, "title": other.title, "from": day}
    edits = [
        TermEdit("deputy_leaders", i, {"until": day - timedelta(days=1)}),
        TermEdit("deputy_leaders", i, keep, True),
    ]
    return CoordinatorChange(other.name, change.to.strip()), edits


def record_id(ds: Dataset, role: LeaderRole, day: date) -> str:
    """``<D>-group-<role>``, or with ``-2``, ``-3``, … when the post already changed that day."""
    base = f"{day.isoformat()}-{GROUP_UNIT}-{role}"
    n = 1
    while (candidate := base if n == 1 else f"{base}-{n}") in ds.handovers:
        n += 1
    return candidate


def _inherited(ds: Dataset, day: date) -> dict[str, InheritedTask]:
    """Every task open on the day (key or not: the decisions pick theirs), by id, in due order."""
    open_tasks = sorted(
        (task for task in ds.tasks.values() if rules.is_open(task, day)), key=lambda t: (rules.due_at(t, day), t.id)
    )
    percents = progress.reported(ds, day, tasks=(task.id for task in open_tasks))
    out: dict[str, InheritedTask] = {}
    for task in open_tasks:
        due = rules.due_at(task, day)
        late = rules.days_late(due, day) if due < day else None
        out[task.id] = InheritedTask(task, due, late, percents.get(task.id))
    return out


def _decisions(ds: Dataset, day: date, tasks: dict[str, InheritedTask]) -> list[OpenDecision]:
    held = sorted(
        (m for m in ds.meetings.values() if m.status == "held" and m.date <= day), key=lambda m: (m.date, m.id)
    )
    return [
        OpenDecision(m.id, m.date, n, d.text, tasks[d.task])
        for m in held
        for n, d in enumerate(m.decisions, start=1)
        if d.task is not None and d.task in tasks
    ]


def commit_message(p: LeaderPlan) -> str:
    """``交接: 专班组长: 曾瑞华 → 王五 (2023-01-01)``, and the 牵头协调人 when it changes (a commit message is
    read by people: the post in Chinese, as in the record's file)."""
    r = p.record
    before = r.from_.name if r.from_ else "空缺"
    moved = ""
    if p.coordinator is not None:
        moved = f"；牵头协调人 {p.coordinator.before or '空缺'} → {p.coordinator.after or '空缺'}"
    post = {"leader": "专班组长", "deputy_leader": "专班副组长"}.get(r.role, r.role)
    return f"交接: {post}: {before} → {r.to.name} ({r.effective.isoformat()}){moved}"
