"""Personnel change (人事调整): who hands over to whom, and what the successor takes over.

The notice: when a member unit's responsible person or liaison changes job, the successor takes over the
work and the change is filed with the office (报专班办公室备案).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import ValidationError

from laoxiao_cli.domain import rules
from laoxiao_cli.domain.calendar import next_quarter, quarter_end, quarter_of, quarter_start
from laoxiao_cli.errors import LxError, UsageError
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.messages import explain
from laoxiao_cli.model.records import Duty, Handover, Letter, Person, Task

PersonRole = Literal["member", "liaison"]
"""The posts a handover changes: the unit's member of the group, or its liaison."""
_POST_IN_MESSAGES: dict[PersonRole, str] = {"member": "专班成员", "liaison": "联络员"}
"""For the refusal below only; what users read elsewhere comes from render/labels.py."""


@dataclass(frozen=True, slots=True)
class OpenTask:
    task: Task
    role: rules.TaskRole
    due: date
    """The due in force on the day."""
    days_late: int | None
    open_milestones: list[tuple[int, str, date, int | None]]
    """(position, name, due, days late) of the milestones not yet done."""


@dataclass(frozen=True, slots=True)
class HandoverPlan:
    record: Handover
    unit_name: str
    duties: list[Duty]
    open_tasks: list[OpenTask]
    open_letters: list[Letter]
    missing_reports: list[str]
    next_meeting_quarter: str


def current_holder(ds: Dataset, unit_id: str, role: PersonRole) -> Person | None:
    unit = ds.units[unit_id]
    return unit.member if role == "member" else unit.liaison


def successor(
    current: Person | None, role: PersonRole, name: str, title: str | None, phone: str | None, email: str | None
) -> Person:
    """The new person: name given; title given or kept; section kept; phone and email given or removed."""
    new_title = title if title is not None else (current.title if current else None)
    if role == "member" and not new_title:
        raise LxError("专班成员须有职务：请用 --title 指定（如 --title 区民政局局长）")
    section = current.section if current is not None and role == "liaison" else None
    given = {"name": name, "title": new_title, "section": section, "phone": phone, "email": email}
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
) -> HandoverPlan:
    current = current_holder(ds, unit_id, role)
    if current is not None and current.name == to.name:
        raise LxError(f"{to.name} 已是{ds.units[unit_id].name}的{_POST_IN_MESSAGES[role]}，无需交接")
    record_id = f"{effective.isoformat()}-{unit_id}-{role}"
    if record_id in ds.handovers:
        raise LxError(f"交接记录 {record_id} 已存在：同一单位、同一角色、同一天只能有一条交接记录")
    tasks = _open_tasks(ds, unit_id, effective)
    letters = sorted(
        (x for x in ds.letters.values() if x.unit == unit_id and rules.awaiting_reply(x, effective)),
        key=lambda x: (x.issued, x.id),
    )
    missing = rules.missing_reports(ds, ds.units[unit_id], effective)
    record = Handover.model_validate(
        {
            "id": record_id,
            "unit": unit_id,
            "role": role,
            "from": current.model_dump(exclude_none=True) if current else None,
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
    return HandoverPlan(record, unit.name, list(unit.duties), tasks, letters, missing, next_meeting(ds, effective))


def _open_tasks(ds: Dataset, unit_id: str, as_of: date) -> list[OpenTask]:
    out = []
    for task in sorted(ds.tasks.values(), key=lambda t: (rules.due_at(t, as_of), t.id)):
        if not rules.is_open(task, as_of) or (task.lead != unit_id and unit_id not in task.support):
            continue
        due = rules.due_at(task, as_of)
        late = rules.days_late(due, as_of) if due < as_of else None
        milestones = [
            (n, m.name, m.due, rules.days_late(m.due, as_of) if m.due < as_of else None)
            for n, m in enumerate(task.milestones, start=1)
            if m.done is None or m.done > as_of
        ]
        out.append(OpenTask(task, "lead" if task.lead == unit_id else "support", due, late, milestones))
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
    record = plan_.record
    before = record.from_.name if record.from_ else "空缺"
    return f"交接: {plan_.unit_name} {record.role}: {before} → {record.to.name} ({record.effective.isoformat()})"


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
