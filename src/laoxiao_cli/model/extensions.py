"""The due in force of a task (spec 7): its ``due``, moved by the extensions approved in time.

Here rather than in domain/ because validation needs it too (an extension must ask for a due after the
one in force when it was requested); domain/rules.py re-exports it with the other rules.
"""

from __future__ import annotations

from datetime import date

from laoxiao_cli.model.records import Extension, Task


def due_at(task: Task, as_of: date) -> date:
    """The due in force as of ``as_of``: go through the extensions in order; one counts when it was
    approved on or before ``as_of`` and requested on or before the due in force so far (逾期后申请延期
    不予延期); the due in force then becomes its ``new_due``."""
    due = task.due
    for ext in task.extensions:
        if ext.approved is not None and ext.approved <= as_of and ext.requested <= due:
            due = ext.new_due
    return due


def due_when_requested(task: Task, index: int) -> date:
    """The due in force when extension ``index`` was requested (the earlier extensions only)."""
    ext = task.extensions[index]
    due = task.due
    for earlier in task.extensions[:index]:
        if earlier.approved is not None and earlier.approved <= ext.requested and earlier.requested <= due:
            due = earlier.new_due
    return due


def in_time(task: Task, index: int) -> bool:
    """Whether extension ``index`` was requested on or before the due in force at the time."""
    return task.extensions[index].requested <= due_when_requested(task, index)


def decided(ext: Extension, as_of: date) -> bool:
    return any(day is not None and day <= as_of for day in (ext.approved, ext.refused))


def pending(task: Task, as_of: date) -> Extension | None:
    """An extension requested in time and not decided as of ``as_of``: it holds back the next letter."""
    for n, ext in enumerate(task.extensions):
        if ext.requested <= as_of and not decided(ext, as_of) and in_time(task, n):
            return ext
    return None


def last_pending(task: Task) -> Extension | None:
    """The last extension when nobody has decided it yet (whatever the dates): a new request must wait."""
    if task.extensions and task.extensions[-1].approved is None and task.extensions[-1].refused is None:
        return task.extensions[-1]
    return None


def latest_due(task: Task) -> date:
    """The latest due the task can have: every approved extension counted."""
    return due_at(task, date.max)
