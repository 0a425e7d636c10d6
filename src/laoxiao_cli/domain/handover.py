"""Personnel change (人事调整): who hands over to whom, and what the successor takes over.

The notice: when a member unit's responsible person or liaison changes job, the successor takes over the
work and the change is filed with the office (报专班办公室备案). The handovers of one unit and role form a
chain (model/checks.py): a new handover goes at its end, a back-dated one is inserted into it, and a
mistaken one is corrected in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import ValidationError

from laoxiao_cli.domain import progress, rules
from laoxiao_cli.domain.calendar import next_quarter, quarter_end, quarter_of, quarter_start
from laoxiao_cli.domain.units import role as task_role
from laoxiao_cli.errors import LxError, UsageError
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.messages import explain
from laoxiao_cli.model.records import Duty, Handover, Letter, Person, Task
from laoxiao_cli.model.types import ACCOUNT_RE

PersonRole = Literal["member", "liaison"]
"""The posts of a unit a handover changes: the unit's member of the group, or its liaison."""
LeaderRole = Literal["leader", "deputy_leader"]
"""The posts of the group a handover changes (group.yaml ``leaders``, ``deputy_leaders``; spec 6.10)."""
HandoverRole = PersonRole | LeaderRole
HandoverKind = Literal["new", "insert", "correct"]
"""A handover at the end of its chain, one inserted before a later one, or a correction of one."""
_POST_IN_MESSAGES: dict[PersonRole, str] = {"member": "专班成员", "liaison": "联络员"}
"""For the refusals below only; what users read elsewhere comes from render/labels.py."""


@dataclass(frozen=True, slots=True)
class OpenTask:
    task: Task
    role: rules.TaskRole
    due: date
    """The due in force on the day."""
    days_late: int | None
    open_milestones: list[tuple[int, str, date, int | None]]
    """(position, name, due, days late) of the milestones not yet done."""
    reported: int | None = None
    """Its percent in the latest report that has one for it (spec 7), as of the day."""


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a handover effective on a day goes in the chain of its unit and role."""

    kind: HandoverKind
    holder: Person | None
    """Who held the post just before that day: the record's ``from``."""
    base: Person | None
    """Whose title and section the successor keeps when not given: the holder; for a correction, the
    successor as recorded (the person was mistaken, not the post)."""
    corrected: Handover | None = None
    """The record a correction rewrites, as it is."""
    following: Handover | None = None
    """The next record of the chain, whose ``from`` becomes the successor (the unit file is left alone)."""


@dataclass(frozen=True, slots=True)
class HandoverPlan:
    record: Handover
    unit_name: str
    duties: list[Duty]
    open_tasks: list[OpenTask]
    open_letters: list[Letter]
    missing_reports: list[str]
    next_meeting_quarter: str
    kind: HandoverKind = "new"
    corrected: Handover | None = None
    following: Handover | None = None


def current_holder(ds: Dataset, unit_id: str, role: PersonRole) -> Person | None:
    unit = ds.units[unit_id]
    return unit.member if role == "member" else unit.liaison


def chain(ds: Dataset, unit_id: str, role: PersonRole) -> list[Handover]:
    """The handovers of a unit and role in the order the chain rule reads them."""
    items = [h for h in ds.handovers.values() if h.unit == unit_id and h.role == role]
    return sorted(items, key=lambda h: (h.effective, h.filed, h.id))


def placement(ds: Dataset, unit_id: str, role: PersonRole, effective: date, correct: bool = False) -> Placement:
    """Where a handover effective on ``effective`` goes; refuses a correction of nothing, and a second
    record on one day without ``correct``."""
    items = chain(ds, unit_id, role)
    same = next((h for h in items if h.effective == effective), None)
    following = next((h for h in items if h.effective > effective), None)
    if correct:
        if same is None:
            raise LxError(
                f"{ds.units[unit_id].name}没有生效日期为 {effective} 的{_POST_IN_MESSAGES[role]}交接记录可更正："
                "--correct 只更正同一生效日期已录入的交接（请用 --date 指定那次交接的生效日期）"
            )
        return Placement("correct", same.from_, same.to, same, following)
    if same is not None:
        raise LxError(
            f"交接记录 {same.id} 已存在：同一单位、同一角色、同一天只能有一条交接记录；"
            "如果那次交接的继任者录错了，请加 --correct 更正"
        )
    if following is None:
        holder = current_holder(ds, unit_id, role)
        return Placement("new", holder, holder)
    earlier = [h for h in items if h.effective < effective]
    holder = earlier[-1].to if earlier else following.from_
    return Placement("insert", holder, holder, following=following)


def successor(
    current: Person | None,
    role: PersonRole,
    name: str,
    title: str | None,
    phone: str | None,
    email: str | None,
    account: str | None = None,
) -> Person:
    """The new person: name given; title given or kept; section kept; phone, email and account given or
    removed (they were the old person's)."""
    new_title = title if title is not None else (current.title if current else None)
    if role == "member" and not new_title:
        raise LxError("专班成员须有职务：请用 --title 指定（如 --title 区民政局局长）")
    if account is not None and not ACCOUNT_RE.match(account.strip()):
        raise UsageError(
            f"继任者信息有误：--account “{account}”不像代码托管平台的账号：应为用户名（如 wangwu 或 @wangwu）、"
            "团队（如 @org/team）或邮箱，不能含空格或 #"
        )
    section = current.section if current is not None and role == "liaison" else None
    given = {
        "name": name,
        "title": new_title,
        "section": section,
        "phone": phone,
        "email": email,
        "account": account.strip() if account is not None else None,
    }
    try:
        return Person.model_validate({k: v for k, v in given.items() if v is not None})
    except ValidationError as exc:
        options = {"name": "--to", "title": "--title", "phone": "--phone", "email": "--email", "section": "--to"}
        problems = [
            f"{options.get(str(loc[0]), '') if loc else ''} {message}".strip() for loc, message in explain(exc, Person)
        ]
        raise UsageError("继任者信息有误：" + "；".join(problems)) from None


def plan(
    ds: Dataset,
    unit_id: str,
    role: PersonRole,
    to: Person,
    effective: date,
    filed: date,
    note: str | None = None,
    place: Placement | None = None,
) -> HandoverPlan:
    """The record and the successor's checklist (as of ``effective``); refuses what would break the chain.
    A correction keeps the record's snapshot and ``filed``: only ``to`` (and ``note``, when given) change."""
    where = place if place is not None else placement(ds, unit_id, role, effective)
    _refusals(ds, unit_id, role, to, effective, where)
    tasks = _open_tasks(ds, unit_id, effective)
    letters = sorted(
        (x for x in ds.letters.values() if x.unit == unit_id and rules.awaiting_reply(x, effective)),
        key=lambda x: (x.issued, x.id),
    )
    missing = rules.missing_reports(ds, ds.units[unit_id], effective)
    if where.corrected is not None:
        old = record_data(where.corrected)
        data = {**old, "to": to.model_dump(exclude_none=True), "note": old["note"] if note is None else note}
        record = Handover.model_validate(data)
    else:
        record = Handover.model_validate(
            {
                "id": f"{effective.isoformat()}-{unit_id}-{role}",
                "unit": unit_id,
                "role": role,
                "from": where.holder.model_dump(exclude_none=True) if where.holder else None,
                "to": to.model_dump(exclude_none=True),
                "effective": effective,
                "filed": filed,
                "open_tasks": [t.task.id for t in tasks],
                "open_letters": [x.id for x in letters],
                "missing_reports": missing,
                "note": note,
            }
        )
    unit = ds.units[unit_id]
    return HandoverPlan(
        record,
        unit.name,
        list(unit.duties),
        tasks,
        letters,
        missing,
        next_meeting(ds, effective),
        where.kind,
        where.corrected,
        where.following,
    )


def _refusals(ds: Dataset, unit_id: str, role: PersonRole, to: Person, effective: date, where: Placement) -> None:
    post = f"{ds.units[unit_id].name}的{_POST_IN_MESSAGES[role]}"
    holder, following = where.holder, where.following
    if holder is not None and holder.name == to.name:
        if where.kind == "correct":
            raise LxError(f"{to.name} 是这次交接的原任，不能同时是继任者")
        if where.kind == "insert":
            raise LxError(f"{effective} 时 {to.name} 已是{post}，无需补录交接")
        raise LxError(f"{to.name} 已是{post}，无需交接")
    if where.corrected is not None and where.corrected.to == to:
        raise LxError(f"交接记录 {where.corrected.id} 的继任者已是 {to.name}（信息相同），无需更正")
    if following is not None and following.to.name == to.name:
        verb = "更正" if where.kind == "correct" else "补录"
        raise LxError(
            f"{to.name} 是其后一次交接（{following.id}）的继任者：{verb}后那次交接的原任和继任将是同一人。"
            f"如果是那次交接的生效日期录错了：先撤回那次提交（git revert；lx history handover/{following.id} 可查到它），"
            "再按正确的日期重新办理"
        )


def _open_tasks(ds: Dataset, unit_id: str, as_of: date) -> list[OpenTask]:
    out = []
    mine = [
        (task, part)
        for task in ds.tasks.values()
        if rules.is_open(task, as_of)
        # a task its group leads or supports is the member's too (spec 6.11)
        and (part := task_role(ds, task, unit_id)) is not None
    ]
    mine.sort(key=lambda pair: (rules.due_at(pair[0], as_of), pair[0].id))
    percents = progress.reported(ds, as_of, unit_id, (task.id for task, _ in mine)) if mine else {}
    for task, part in mine:
        due = rules.due_at(task, as_of)
        late = rules.days_late(due, as_of) if due < as_of else None
        milestones = [
            (n, m.name, m.due, rules.days_late(m.due, as_of) if m.due < as_of else None)
            for n, m in enumerate(task.milestones, start=1)
            if m.done is None or m.done > as_of
        ]
        out.append(OpenTask(task, part, due, late, milestones, percents.get(task.id)))
    return out


def next_meeting(ds: Dataset, as_of: date) -> str:
    """The quarter of the next regular meeting: this quarter unless one was already held in it."""
    quarter = quarter_of(as_of)
    held = any(
        m.kind == "regular"
        and m.status == "held"
        and quarter_start(quarter) <= m.date <= min(as_of, quarter_end(quarter))
        for m in ds.meetings.values()
    )
    return next_quarter(quarter) if held else quarter


def commit_message(plan_: HandoverPlan) -> str:
    """``交接: `` and what really happened: a handover, a correction of one, or one filed late (补录)."""
    record = plan_.record
    to = record.to.name
    then = f"；其后 {plan_.following.id} 的原任随之改为 {to}" if plan_.following is not None else ""
    if plan_.corrected is not None:
        wrong = plan_.corrected.to.name
        said = f"继任者为 {to}（原误录 {wrong}）" if wrong != to else f"继任者 {to} 的信息"
        return f"交接: 更正 {record.id}：{said}{then}"
    before = record.from_.name if record.from_ else "空缺"
    change = f"{plan_.unit_name} {record.role}: {before} → {to} ({record.effective.isoformat()})"
    return f"交接: 补录 {change}{then}" if plan_.kind == "insert" else f"交接: {change}"


def contacts(ds: Dataset, plan_: HandoverPlan) -> set[str]:
    """Every phone number and e-mail address in the files the handover edits (for a dry run's diff)."""
    people = [current_holder(ds, plan_.record.unit, "member"), current_holder(ds, plan_.record.unit, "liaison")]
    for h in (plan_.record, plan_.corrected, plan_.following):
        if h is not None:
            people += [h.from_, h.to]
    return {value for p in people if p is not None for value in (p.phone, p.email) if value}


def record_data(record: Handover) -> dict[str, object]:
    """The record as it is written to ``handovers/<id>.yaml`` (and printed as JSON)."""
    return {
        "id": record.id,
        "unit": record.unit,
        "role": record.role,
        "from": record.from_.model_dump(exclude_none=True) if record.from_ else None,
        "to": record.to.model_dump(exclude_none=True),
        "effective": record.effective,
        "filed": record.filed,
        "open_tasks": list(record.open_tasks),
        "open_letters": list(record.open_letters),
        "missing_reports": list(record.missing_reports),
        "note": record.note,
    }
