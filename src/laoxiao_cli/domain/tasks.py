"""The steps of a task (spec 8.2): what each changes, and when it is refused."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from laoxiao_cli.domain.lookup import find
from laoxiao_cli.errors import LxError
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.extensions import due_at, due_when_requested, in_time, last_pending
from laoxiao_cli.model.loop_checks import deciders
from laoxiao_cli.model.records import Extension, Milestone, Source, Task
from laoxiao_cli.model.types import ID_RE, ID_RULE


def find_task(ds: Dataset, task_id: str) -> Task:
    """The task with this id; refused (naming the closest ids) when there is none."""
    return find(ds.tasks, task_id, "任务")


def open_task(ds: Dataset, task_id: str, doing: str) -> Task:
    """The task, refused unless it is open (``doing``: what only an open task may have done to it)."""
    task = find_task(ds, task_id)
    if task.status != "open":
        state = {"done": f"已于 {task.done} 完成", "cancelled": "已取消"}.get(task.status, task.status)
        raise LxError(f"任务 {task_id} {state}：只有在办的任务才能{doing}")
    return task


def happened(day: date, today: date, what: str) -> None:
    """Refuses a date after today for something that has happened."""
    if day > today:
        raise LxError(f"{what} {day} 晚于今天（{today}）：还没有发生的事不能记录")


def completion(ds: Dataset, task_id: str, day: date, today: date) -> dict[str, object]:
    """The fields `lx task done` sets; refused when the task is not open, or ``day`` is before its start or
    after today (a completion that has not happened yet)."""
    task = open_task(ds, task_id, "办结")
    happened(day, today, "完成日期")
    if task.start is not None and day < task.start:
        raise LxError(f"完成日期 {day} 早于任务的开始日期 {task.start}")
    return {"status": "done", "done": day}


def milestone_completion(ds: Dataset, task_id: str, number: int, day: date, today: date) -> tuple[int, date]:
    """Where `lx task done --milestone N` writes (the milestone's index) and the date; refused as
    ``completion`` is, and when the task has no N-th milestone or it is done already."""
    task = open_task(ds, task_id, "记录节点完成")
    count = len(task.milestones)
    if not 1 <= number <= count:
        has = f"只有 {count} 个节点：--milestone 应为 1–{count}" if count else "没有节点（milestones）"
        raise LxError(f"任务 {task_id} {has}")
    milestone = task.milestones[number - 1]
    if milestone.done is not None:
        raise LxError(f"任务 {task_id} 的节点{number}“{milestone.name}”已于 {milestone.done} 完成")
    happened(day, today, "完成日期")
    if task.start is not None and day < task.start:
        raise LxError(f"完成日期 {day} 早于任务的开始日期 {task.start}")
    return number - 1, day


def cancellation(ds: Dataset, task_id: str, reason: str, day: date, today: date) -> dict[str, object]:
    """The ``cancelled`` mapping `lx task cancel` writes (with status cancelled); refused when the task is
    not open, or the date is after today."""
    open_task(ds, task_id, "取消")
    happened(day, today, "取消日期")
    return {"date": day, "reason": reason}


@dataclass(frozen=True)
class Request:
    """An extension `lx task extend` appends, and the due in force when it was requested."""

    item: dict[str, object]
    in_force: date
    late: bool
    """Requested after the due in force: recorded, but it moves nothing (逾期后申请延期不予延期)."""


def extension_request(
    ds: Dataset,
    task_id: str,
    to: date,
    reason: str,
    requested: date,
    today: date,
    approved: date | None = None,
    by: str | None = None,
) -> Request:
    """Refused: the task is not open; its last extension is undecided; a date after today; a request
    before the last decision; ``to`` not after the due in force when requested; a decider not allowed."""
    task = open_task(ds, task_id, "申请延期")
    waiting = last_pending(task)
    if waiting is not None:
        raise LxError(
            f"任务 {task_id} 的上一项延期申请（{waiting.requested} 申请延期至 {waiting.new_due}）尚未决定："
            "请先用 lx task approve 或 lx task refuse 记录决定"
        )
    happened(requested, today, "申请日期")
    if task.extensions:
        last = task.extensions[-1]
        decided = last.approved or last.refused or last.requested
        if requested < decided:
            raise LxError(f"申请日期 {requested} 早于上一项延期申请的决定日期 {decided}：延期申请按提出的先后记录")
    in_force = due_at(task, requested)
    if to <= in_force:
        raise LxError(f"延期至 {to} 不晚于申请时的截止日期 {in_force}：延期后的期限须晚于当时的截止日期")
    if approved is not None:
        happened(approved, today, "同意日期")
        if approved < requested:
            raise LxError(f"同意日期 {approved} 早于申请日期 {requested}")
    if by is not None:
        _may_decide(ds, task, by, approved or requested)
    item: dict[str, object] = {"requested": requested, "new_due": to, "reason": reason, "approved": approved}
    if by is not None:
        item["by"] = by
    return Request(item, in_force, requested > in_force)


@dataclass(frozen=True)
class Decision:
    """What `lx task approve` / `lx task refuse` set on the task's pending (last) extension."""

    index: int
    values: dict[str, object]
    extension: Extension
    late: bool
    """The request came after the due in force: approving it moves nothing."""
    in_force: date
    """The due in force when it was requested."""


def extension_decision(
    ds: Dataset,
    task_id: str,
    approve: bool,
    day: date,
    today: date,
    to: date | None = None,
    by: str | None = None,
) -> Decision:
    """Refused: no extension pending; a date after today or before the request; ``to`` (the due granted,
    approving) not after the due in force when requested; a decider not allowed (spec 6.2)."""
    task = find_task(ds, task_id)
    ext = last_pending(task)
    if ext is None:
        raise LxError(f"任务 {task_id} 没有待决定的延期申请：请先用 lx task extend 记录申请")
    index = len(task.extensions) - 1
    what = "同意日期" if approve else "不同意日期"
    happened(day, today, what)
    if day < ext.requested:
        raise LxError(f"{what} {day} 早于申请日期 {ext.requested}")
    in_force = due_when_requested(task, index)
    if to is not None and to <= in_force:
        raise LxError(f"同意延期至 {to} 不晚于申请时的截止日期 {in_force}：延期后的期限须晚于当时的截止日期")
    if by is not None:
        _may_decide(ds, task, by, day)
    values: dict[str, object] = {"approved": day, "refused": None} if approve else {"approved": None, "refused": day}
    if approve and to is not None:
        values["new_due"] = to
    if by is not None:
        values["by"] = by
    return Decision(index, values, ext, not in_time(task, index), in_force)


def _may_decide(ds: Dataset, task: Task, by: str, day: date) -> None:
    allowed = deciders(ds, task, day)  # those in office on the day of the decision
    if by not in allowed:
        who = "组长、副组长" if task.key or task.source else "组长、副组长或办公室主任"
        raise LxError(f"“{by}”不能决定任务 {task.id} 的延期：由{who}决定（{'、'.join(allowed)}）")


def source_meeting(ds: Dataset, meeting_id: str) -> str:
    """The meeting a new task comes from: refused unless it exists and has been held."""
    meeting = find(ds.meetings, meeting_id, "会议")
    if meeting.status != "held":
        raise LxError(f"会议 {meeting_id} 尚未召开（status: {meeting.status}）：任务只能来自已召开会议的议定事项")
    return meeting_id


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


def next_task_id(ds: Dataset, year: int, elsewhere: Collection[str] = ()) -> str:
    """``t<YYYY>-<NNN>``: one more than the largest ``t<YYYY>-<digits>`` in use (at least 3 digits), in the
    dataset or ``elsewhere`` (the ids of the clone's remote-tracking branches)."""
    highest = 0
    for task_id in [*ds.tasks, *elsewhere]:
        match = _TASK_ID.match(task_id)
        if match and int(match[1]) == year:
            highest = max(highest, int(match[2]))
    return f"t{year:04d}-{highest + 1:03d}"


def new_task(ds: Dataset, draft: TaskDraft, today: date, elsewhere: Collection[str] = ()) -> Task:
    """The open task a draft makes; refused when its id is malformed or taken (in the dataset or
    ``elsewhere``: the task ids of the clone's remote-tracking branches). It is not validated here:
    everything else (text, units, duties, dates, the meeting) is checked, located in the new file, by
    validating the repository with it."""
    task_id = draft.id or next_task_id(ds, today.year, elsewhere)
    if not ID_RE.match(task_id):
        raise LxError(f"任务编号“{task_id}”不合规：{ID_RULE}")
    if task_id in ds.tasks:
        raise LxError(f"任务编号 {task_id} 已被使用：请换一个 --id，或不填 --id 由 lx 编号")
    if task_id in elsewhere:
        raise LxError(
            f"任务编号 {task_id} 已在共享仓库中使用（远程跟踪分支里有这项任务，本地尚未同步）："
            "请换一个 --id，或不填 --id 由 lx 编号"
        )
    return Task.model_construct(
        id=task_id,
        title=draft.title,
        target=draft.target,
        lead=draft.lead,
        support=list(draft.support),
        duties=list(draft.duties),
        key=draft.key,
        start=draft.start,
        due=draft.due,
        milestones=[Milestone.model_construct(name=name, due=due) for name, due in draft.milestones],
        status="open",
        weight=draft.weight,
        source=Source.model_construct(meeting=draft.meeting) if draft.meeting else None,
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
