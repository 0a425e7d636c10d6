"""The handover checklist (交接清单) for the successor: text, Markdown document, or the record as JSON;
a dry run's preview, and the ``--format json`` summary."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from laoxiao_cli.domain.calendar import quarter_label
from laoxiao_cli.render import labels
from laoxiao_cli.render.common import Renderer, dump_json

if TYPE_CHECKING:
    from laoxiao_cli.domain.handover import HandoverPlan


def _person(plan: HandoverPlan, which: str, contacts: bool = False) -> str:
    person = plan.record.from_ if which == "from" else plan.record.to
    if person is None:
        return "（空缺）"
    extra = [person.title] if person.title else []
    if contacts:
        extra += [x for x in (person.phone, person.email) if x]
    return person.name + (f"（{'，'.join(extra)}）" if extra else "")


def late_note(days: int | None) -> str:
    return f"，已逾期 {days} 天" if days else ""


def reported_note(percent: int | None) -> str:
    return f"最近报送进度 {percent}%" if percent is not None else "尚未报送进度"


def _chain_lines(plan: HandoverPlan) -> list[str]:
    """What a correction or a late filing (补录) changes beyond the record itself."""
    lines = []
    if plan.corrected is not None:
        wrong = plan.corrected.to.name
        lines.append(
            f"更正：交接记录 {plan.record.id} 原录继任者为 {wrong}，更正为 {plan.record.to.name}"
            if wrong != plan.record.to.name
            else f"更正：交接记录 {plan.record.id} 中继任者的信息"
        )
    elif plan.kind == "insert":
        lines.append("补录：生效日期早于已录入的交接，按补录插入交接链")
    if plan.following is not None:
        lines.append(f"其后的交接 {plan.following.id} 的原任随之改为 {plan.record.to.name}（单位文件不变）")
    return lines


def sections(plan: HandoverPlan, contacts: bool = False) -> list[tuple[str, list[str]]]:
    r = plan.record
    tasks = []
    for item in plan.open_tasks:
        t = item.task
        deadline = f"截止 {item.due.isoformat()}{late_note(item.days_late)}"
        line = f"{t.id} {t.title}（{labels.TASK_ROLES[item.role]}；{deadline}；{reported_note(item.reported)}）"
        tasks.append(line)
        for n, name, due, late in item.open_milestones:
            tasks.append(f"    节点 {n}：{name}（截止 {due.isoformat()}{late_note(late)}）")
    letters = [
        f"{x.id} {labels.LETTER_KINDS[x.kind]}（{x.issued.isoformat()} 发出，回复期限 {x.reply_by.isoformat()}；涉及 {'、'.join(x.tasks)}）"
        for x in plan.open_letters
    ]
    return [
        (
            "基本情况",
            [
                f"单位：{plan.unit_name}（{r.unit}）",
                f"角色：{labels.PERSON_ROLES[r.role]}",
                f"原任：{_person(plan, 'from', contacts)}",
                f"继任：{_person(plan, 'to', contacts)}",
                f"生效日期：{r.effective.isoformat()}；备案日期：{r.filed.isoformat()}",
                *_chain_lines(plan),
                *([f"备注：{r.note}"] if r.note else []),
            ],
        ),
        ("本单位职责", [f"{d.id} {d.text}" for d in plan.duties] or ["（无）"]),
        ("在办任务", tasks or ["（无）"]),
        ("待回复函件", letters or ["（无）"]),
        ("缺报月报", ["、".join(plan.missing_reports)] if plan.missing_reports else ["（无）"]),
        ("下次例会", [f"{quarter_label(plan.next_meeting_quarter)}专班例会"]),
    ]


def text(plan: HandoverPlan, contacts: bool = False) -> str:
    r = plan.record
    lines = [
        f"交接清单：{plan.unit_name} {labels.PERSON_ROLES[r.role]} {_person(plan, 'from')} → {_person(plan, 'to')}",
        "",
    ]
    for title, items in sections(plan, contacts):
        lines.append(f"【{title}】")
        lines += [f"  {item}" for item in items]
        lines.append("")
    return "\n".join(lines)


def markdown(plan: HandoverPlan, contacts: bool = False) -> str:
    r = plan.record
    lines = [f"# {plan.unit_name}{labels.PERSON_ROLES[r.role]}交接清单", ""]
    for title, items in sections(plan, contacts):
        lines += [f"## {title}", ""]
        lines += [f"- {item.strip()}" if not item.startswith("    ") else f"  - {item.strip()}" for item in items]
        lines.append("")
    lines += ["交接人：__________　　接收人：__________　　专班办公室备案：__________", ""]
    return "\n".join(lines)


def as_json(plan: HandoverPlan, contacts: bool = True) -> str:
    """The record itself (as filed, contacts included: it is the 备案 record, not an export)."""
    from laoxiao_cli.domain.handover import record_data

    return dump_json(record_data(plan.record))


def summary(plan: HandoverPlan, commit: str | None, files: list[str], ids: list[str], dry_run: bool) -> str:
    """``--format json``: spec 8.1's ``{"commit", "files", "ids"}`` (``dry_run`` on a dry run), then
    ``action`` (new, insert or correct) and ``record``, the record as the json format printed it before."""
    from laoxiao_cli.domain.handover import record_data

    return summary_of(plan.kind, record_data(plan.record), commit, files, ids, dry_run)


def summary_of(
    action: str, record: dict[str, object], commit: str | None, files: list[str], ids: list[str], dry_run: bool
) -> str:
    """The summary of any handover (a unit's post or the group's): the record as ``record_data`` gives it."""
    payload: dict[str, object] = {"commit": commit, "files": files, "ids": ids}
    if dry_run:
        payload["dry_run"] = True
    payload |= {"action": action, "record": record}
    return dump_json(payload)


HIDDEN = "***"
"""What a dry run's diff shows instead of a phone number or an e-mail address (without --with-contacts)."""


def preview(checklist: str, diffs: list[str], fmt: str, hidden: Collection[str] = ()) -> str:
    """A dry run: the checklist, then the diff of every file it would write, each of ``hidden`` masked."""
    shown = "".join(diffs)
    for value in sorted(hidden, key=len, reverse=True):  # a longer value first: one may contain another
        shown = shown.replace(value, HIDDEN)
    if fmt == "markdown":
        return f"{checklist}## 将要写入的修改\n\n```diff\n{shown}```\n"
    return f"{checklist}\n【将要写入的修改】\n{shown}"


FORMATS: dict[str, Renderer[HandoverPlan]] = {
    "text": lambda p, view: text(p, view.with_contacts),
    "markdown": lambda p, view: markdown(p, view.with_contacts),
    "json": lambda p, view: as_json(p),
}
