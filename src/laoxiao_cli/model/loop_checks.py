"""Rules for what the writing commands record (spec 6.2, 6.3): extensions, cancellations, replies and
letter numbers. Called from checks.py, located the same way (a path inside the record)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.extensions import due_when_requested, latest_due
from laoxiao_cli.model.findings import Loc
from laoxiao_cli.model.records import Letter, Task

Issue = tuple[Loc, str]
_NUMBERED_ID = re.compile(r"^l(\d{4})-(\d+)$")


def task_issues(t: Task) -> Iterator[Issue]:
    for i, ext in enumerate(t.extensions):
        at = ("extensions", i)
        if ext.approved is not None and ext.refused is not None:
            yield (*at, "refused"), "同一项延期申请不能既同意（approved）又不同意（refused）：只保留一项"
        for key in ("approved", "refused"):
            day = getattr(ext, key)
            if day is not None and day < ext.requested:
                yield (*at, key), f"决定日期 {day} 早于申请日期 {ext.requested}"
        in_force = due_when_requested(t, i)
        if ext.new_due <= in_force:
            yield (
                (*at, "new_due"),
                f"申请延期至 {ext.new_due}，不晚于申请时的截止日期 {in_force}：延期后的期限须晚于当时的截止日期",
            )
    if t.cancelled is not None and t.status != "cancelled":
        yield ("cancelled",), f"只有状态为 cancelled 时才能填写 `cancelled`；当前状态为 {t.status}"
    latest = latest_due(t)
    for i, milestone in enumerate(t.milestones):
        if milestone.due > latest:
            yield (
                ("milestones", i, "due"),
                f"节点“{milestone.name}”的期限 {milestone.due} 晚于任务的截止日期 {latest}：节点应在任务截止前完成",
            )


def letter_issues(letter: Letter) -> Iterator[Issue]:
    if letter.replied is None:
        for key in ("reply_note", "promised"):
            if getattr(letter, key) is not None:
                yield (key,), f"尚未回复（没有 `replied`）的函件不能填写 `{key}`：请先填写回复日期"
    elif letter.promised is not None and letter.promised < letter.replied:
        yield ("promised",), f"承诺完成时限 {letter.promised} 早于回复日期 {letter.replied}"


def letter_number(letter: Letter) -> int | None:
    """The letter's serial in its year: ``number``, else the digits of its id (``l2023-007`` → 7)."""
    if letter.number is not None:
        return letter.number
    match = _NUMBERED_ID.match(letter.id)  # only ids of the recommended form: `l2025-d10-020` has none
    return int(match[2]) if match and int(match[1]) == letter.issued.year else None


def deciders(ds: Dataset, task: Task) -> list[str]:
    """Who may decide an extension of ``task``: the 组长 and 副组长; for other than a key task or one
    from a meeting decision, also the heads (members) of the office director units."""
    names = [p.name for p in ds.group.leaders] + [p.name for p in ds.group.deputy_leaders]
    if task.key or task.source is not None:
        return names
    for unit_id in ds.group.office.director_units:
        unit = ds.units.get(unit_id)
        if unit is not None and unit.member is not None:
            names.append(unit.member.name)
    return names


def cross_issues(ds: Dataset) -> Iterator[tuple[str, Loc, str]]:
    for task in ds.tasks.values():
        allowed: list[str] | None = None
        for i, ext in enumerate(task.extensions):
            if ext.by is None:
                continue
            allowed = allowed if allowed is not None else deciders(ds, task)
            if ext.by not in allowed:
                why = (
                    "重点任务或会议议定的任务的延期由组长、副组长决定"
                    if task.key or task.source
                    else "延期由组长、副组长或办公室主任决定"
                )
                yield (
                    ds.path_of("task", task.id),
                    ("extensions", i, "by"),
                    f"“{ext.by}”不能决定这项延期：{why}（{'、'.join(allowed)}）",
                )
    seen: dict[tuple[int, int], str] = {}
    for letter in sorted(ds.letters.values(), key=lambda x: (x.issued, x.id)):
        number = letter_number(letter)
        if number is None:
            continue
        other = seen.setdefault((letter.issued.year, number), letter.id)
        if other != letter.id:
            loc: Loc = ("number",) if letter.number is not None else ("id",)
            yield (
                ds.path_of("letter", letter.id),
                loc,
                f"{letter.issued.year} 年的函件编号 {number} 已被 {other} 使用：发文字号一经使用不能重复，"
                "请撤回其中一份或改用下一个编号",
            )
