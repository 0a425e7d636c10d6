"""The steps of a task (spec 8.2): what each changes, and when it is refused."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from laoxiao_cli.errors import LxError
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Milestone, Source, Task


def completion(ds: Dataset, task_id: str, day: date, today: date) -> dict[str, object]:
    """The fields `lx task done` sets; refused when the task is not open, or ``day`` is before its start or
    after today (a completion that has not happened yet)."""
    task = ds.tasks.get(task_id)
    if task is None:
        close = [t for t in ds.tasks if task_id.lower() in t.lower()][:5]
        hint = f"；是否是：{'、'.join(close)}？" if close else ""
        raise LxError(f"没有编号为“{task_id}”的任务{hint}")
    if task.status != "open":
        state = {"done": f"已于 {task.done} 完成", "cancelled": "已取消"}.get(task.status, task.status)
        raise LxError(f"任务 {task_id} {state}：只有在办的任务才能办结")
    if day > today:
        raise LxError(f"完成日期 {day} 晚于今天（{today}）：还没有发生的事不能记录")
    if task.start is not None and day < task.start:
        raise LxError(f"完成日期 {day} 早于任务的开始日期 {task.start}")
    return {"status": "done", "done": day}


@dataclass(frozen=True)
class TaskDraft:
    """What `lx task new` and `lx meeting decide` are given (units already resolved to ids)."""

    title: str
    target: str
    lead: str
    due: date
    support: list[str] = field(default_factory=list)
    duties: list[str] = field(default_factory=list)
    key: bool = False
    start: date | None = None
    weight: int = 1
    milestones: list[tuple[str, date]] = field(default_factory=list)
    meeting: str | None = None
    id: str | None = None


_TASK_ID = re.compile(r"^t(\d{4})-(\d+)$")


def next_task_id(ds: Dataset, year: int) -> str:
    """``t<YYYY>-<NNN>``: one more than the largest ``t<YYYY>-<digits>`` in use (at least 3 digits)."""
    highest = 0
    for task_id in ds.tasks:
        match = _TASK_ID.match(task_id)
        if match and int(match[1]) == year:
            highest = max(highest, int(match[2]))
    return f"t{year:04d}-{highest + 1:03d}"


def new_task(ds: Dataset, draft: TaskDraft, today: date) -> Task:
    """The open task a draft makes; refused when its id is taken. Everything else (units, duties, dates,
    the meeting) is checked by validating the repository with the new file."""
    task_id = draft.id or next_task_id(ds, today.year)
    if task_id in ds.tasks:
        raise LxError(f"任务编号 {task_id} 已被使用：请换一个 --id，或不填 --id 由 lx 编号")
    return Task(
        id=task_id,
        title=draft.title,
        target=draft.target,
        lead=draft.lead,
        support=list(draft.support),
        duties=list(draft.duties),
        key=draft.key,
        start=draft.start,
        due=draft.due,
        milestones=[Milestone(name=name, due=due) for name, due in draft.milestones],
        status="open",
        weight=draft.weight,
        source=Source(meeting=draft.meeting) if draft.meeting else None,
    )


def task_data(task: Task) -> dict[str, object]:
    """A task as the YAML mapping lx writes: the spec's key order, optional keys only when they say
    something (the style of the bundled data)."""
    out: dict[str, object] = {"id": task.id, "title": task.title, "target": task.target, "lead": task.lead}
    if task.support:
        out["support"] = list(task.support)
    if task.duties:
        out["duties"] = list(task.duties)
    if task.key:
        out["key"] = True
    if task.start is not None:
        out["start"] = task.start
    out["due"] = task.due
    if task.milestones:
        out["milestones"] = [m.model_dump(exclude_none=True) for m in task.milestones]
    out["status"] = task.status
    if task.weight != 1:
        out["weight"] = task.weight
    if task.source is not None:
        out["source"] = {"meeting": task.source.meeting}
    return out
