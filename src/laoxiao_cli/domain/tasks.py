"""The steps of a task (spec 8.2): what each changes, and when it is refused."""

from __future__ import annotations

from datetime import date

from laoxiao_cli.errors import LxError
from laoxiao_cli.model.dataset import Dataset


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
