"""The checklist (交接清单) of a 组长's or 副组长's handover: what the successor inherits, as text, a
Markdown document, or the record as JSON (the formats of render/handover.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING

from laoxiao_cli.domain.calendar import quarter_label
from laoxiao_cli.render import labels
from laoxiao_cli.render.common import Renderer, dump_json
from laoxiao_cli.render.handover import late_note, reported_note

if TYPE_CHECKING:
    from laoxiao_cli.domain.leader_handover import InheritedTask, LeaderPlan
    from laoxiao_cli.model.records import Person


def _person(person: Person | None) -> str:
    if person is None:
        return "（空缺）"
    return person.name + (f"（{person.title}）" if person.title else "")


def _state(item: InheritedTask, names: Mapping[str, str]) -> str:
    lead = names.get(item.task.lead, item.task.lead)
    return f"（牵头 {lead}；截止 {item.due.isoformat()}{late_note(item.days_late)}；{reported_note(item.reported)}）"


def _task(item: InheritedTask, names: Mapping[str, str]) -> str:
    return f"{item.task.id} {item.task.title}{_state(item, names)}"


def _coordinator(plan: LeaderPlan) -> list[str]:
    change, day = plan.coordinator, plan.record.effective.isoformat()
    if change is None:
        return []
    if change.after is None:
        return [f"牵头协调人：原由 {change.before} 担任，自 {day} 起空缺（group.yaml 中没有在任的牵头协调人）"]
    before = f"（此前为 {change.before}）" if change.before and change.before != change.after else ""
    return [f"牵头协调人：自 {day} 起由 {change.after} 担任{before}"]


def sections(plan: LeaderPlan, names: Mapping[str, str]) -> list[tuple[str, list[str]]]:
    r = plan.record
    post = labels.PERSON_ROLES[r.role]
    last = r.effective - timedelta(days=1)
    decisions = [
        f"{d.meeting} 第{d.number}项（{d.held.isoformat()}）：{d.text} → {d.task.task.id}{_state(d.task, names)}"
        for d in plan.decisions
    ]
    letters = [
        f"{x.id} {labels.LETTER_KINDS[x.kind]}（致 {names.get(x.unit, x.unit)}，{x.issued.isoformat()} 发出，"
        f"回复期限 {x.reply_by.isoformat()}；涉及 {'、'.join(x.tasks)}）"
        for x in plan.open_letters
    ]
    return [
        (
            "基本情况",
            [
                f"职务：专班{post}",
                f"原任：{_person(r.from_)}，任职至 {last.isoformat()}",
                f"继任：{_person(r.to)}，自 {r.effective.isoformat()} 起任职",
                f"生效日期：{r.effective.isoformat()}；备案日期：{r.filed.isoformat()}",
                f"交接后在任的{post}：{'、'.join(plan.in_office)}",
                *_coordinator(plan),
                *([f"备注：{r.note}"] if r.note else []),
            ],
        ),
        ("重点项目（在办）", [_task(t, names) for t in plan.key_tasks] or ["（无）"]),
        ("会议议定事项（未办结）", decisions or ["（无）"]),
        ("待回复函件", letters or ["（无）"]),
        ("下次例会", [f"{quarter_label(plan.next_meeting_quarter)}专班例会"]),
    ]


def text(plan: LeaderPlan, names: Mapping[str, str]) -> str:
    r = plan.record
    post = labels.PERSON_ROLES[r.role]
    lines = [f"交接清单：专班{post} {_person(r.from_)} → {_person(r.to)}", ""]
    for title, items in sections(plan, names):
        lines.append(f"【{title}】")
        lines += [f"  {item}" for item in items]
        lines.append("")
    return "\n".join(lines)


def markdown(plan: LeaderPlan, names: Mapping[str, str]) -> str:
    lines = [f"# 专班{labels.PERSON_ROLES[plan.record.role]}交接清单", ""]
    for title, items in sections(plan, names):
        lines += [f"## {title}", ""]
        lines += [f"- {item}" for item in items]
        lines.append("")
    lines += ["交接人：__________　　接收人：__________　　专班办公室备案：__________", ""]
    return "\n".join(lines)


def as_json(plan: LeaderPlan) -> str:
    """The record itself, as filed."""
    from laoxiao_cli.domain.handover import record_data

    return dump_json(record_data(plan.record))


def summary(plan: LeaderPlan, commit: str | None, files: list[str], ids: list[str], dry_run: bool) -> str:
    """``--format json``: as render/handover.py's (``action`` is ``new``)."""
    from laoxiao_cli.domain.handover import record_data
    from laoxiao_cli.render.handover import summary_of

    return summary_of(plan.kind, record_data(plan.record), commit, files, ids, dry_run)


FORMATS: dict[str, Renderer[LeaderPlan]] = {
    "text": lambda p, view: text(p, view.names),
    "markdown": lambda p, view: markdown(p, view.names),
    "json": lambda p, view: as_json(p),
}
