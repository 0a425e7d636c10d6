"""Rules for what the writing commands record (spec 6.2, 6.3, 6.11): extensions, cancellations, replies,
letter numbers, the same letter issued twice, letter numbers out of step with their dates, letters to a
group of units. Called from checks.py, located the same way (a path inside the record)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.extensions import due_when_requested, latest_due
from laoxiao_cli.model.findings import Loc
from laoxiao_cli.model.leader_checks import terms_of
from laoxiao_cli.model.records import Extension, Letter, Task
from laoxiao_cli.model.tenure import names_in_office
from laoxiao_cli.model.unit_group_checks import members_text

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


def deciders(ds: Dataset, task: Task, day: date) -> list[str]:
    """Who may decide an extension of ``task`` on ``day``: the 组长 and 副组长 in office that day; for other
    than a key task or one from a meeting decision, also the heads (members) of the office director units."""
    names = names_in_office([*ds.group.leaders, *ds.group.deputy_leaders], day)
    if task.key or task.source is not None:
        return names
    for unit_id in ds.group.office.director_units:
        unit = ds.units.get(unit_id)
        if unit is not None and unit.member is not None:
            names.append(unit.member.name)
    return names


def decided_on(ext: Extension) -> date:
    """The day an extension's ``by`` is judged on: its approval or refusal, else its request."""
    return ext.approved or ext.refused or ext.requested


def cross_issues(ds: Dataset) -> Iterator[tuple[str, Loc, str]]:
    for task in ds.tasks.values():
        for i, ext in enumerate(task.extensions):
            if ext.by is None:
                continue
            day = decided_on(ext)
            allowed = deciders(ds, task, day)
            if ext.by not in allowed:
                why = (
                    "重点任务或会议议定的任务的延期由组长、副组长决定"
                    if task.key or task.source
                    else "延期由组长、副组长或办公室主任决定"
                )
                terms = terms_of(ds.group, ext.by, ("leaders", "deputy_leaders"))
                yield (
                    ds.path_of("task", task.id),
                    ("extensions", i, "by"),
                    f"“{ext.by}”在 {day} 不在任（{terms}），不能决定这项延期：{why}（当天在任：{'、'.join(allowed)}）"
                    if terms
                    else f"“{ext.by}”不能决定这项延期：{why}（{'、'.join(allowed)}）",
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


def repeated_letters(ds: Dataset) -> Iterator[tuple[str, Loc, str]]:
    """The same letter twice: two unreplied letters to one unit, of one level, for the same set of tasks
    (two clones issuing the same letter, or one issued again by hand). The later one (by issued date,
    then id) is the finding."""
    first: dict[tuple[str, str, frozenset[str]], Letter] = {}
    for letter in sorted(ds.letters.values(), key=lambda x: (x.issued, x.id)):
        if letter.replied is not None:
            continue
        other = first.setdefault((letter.unit, letter.kind, frozenset(letter.tasks)), letter)
        if other is not letter:
            yield (
                ds.path_of("letter", letter.id),
                ("tasks",),
                f"与 {other.id}（{other.issued} 发出）是同一份函件：发给同一单位 {letter.unit}、同一级别、"
                "同样的任务，且都未回复；请撤回其中一份，删除重复的记录",
            )


def letters_out_of_sequence(ds: Dataset) -> Iterator[tuple[str, Loc, str]]:
    """Within a year, letters in the order of their serials (``letter_number``) are in the order of their
    issue dates: a letter numbered after another but issued before it is the finding (naming the latest
    issued of the lower numbers). Letters of one number are not compared with each other (a repeated
    number is its own finding); the serial, not the id, so that renumbering an id changes nothing."""
    by_year: dict[int, list[tuple[int, Letter]]] = {}
    for letter in ds.letters.values():
        number = letter_number(letter)
        if number is not None:
            by_year.setdefault(letter.issued.year, []).append((number, letter))
    for year in sorted(by_year):
        latest: tuple[int, Letter] | None = None  # the latest issued among the lower numbers seen so far
        pending: tuple[int, Letter] | None = None  # the same, including the current number's letters
        rows = sorted(by_year[year], key=lambda row: (row[0], row[1].issued, row[1].id))
        for i, (number, letter) in enumerate(rows):
            if i and rows[i - 1][0] != number:
                latest = pending
            if latest is not None and letter.issued < latest[1].issued:
                other_number, other = latest
                yield (
                    ds.path_of("letter", letter.id),
                    ("number",) if letter.number is not None else ("id",),
                    f"{year} 年的函件编号 {number} 排在 {other.id}（编号 {other_number}，{other.issued} 发出）之后，"
                    f"发文日期 {letter.issued} 却更早：发文字号按发文先后编排，请核对发文日期或编号",
                )
            if pending is None or letter.issued > pending[1].issued:
                pending = (number, letter)


def letters_to_groups(ds: Dataset) -> Iterator[tuple[str, Loc, str]]:
    """A letter's ``unit`` is a 责任单位, never a group (spec 6.11): a group's letters go to its members, one
    each (``lx letters issue`` writes them so)."""
    for letter in ds.letters.values():
        group = ds.units.get(letter.unit)
        if group is not None and group.members:
            yield (
                ds.path_of("letter", letter.id),
                ("unit",),
                f"函件发给单位组 {group.name}（{letter.unit}）：单位组不收函件，应分别发给它的成员单位（{members_text(ds, letter.unit)}），"
                "每个成员单位一份",
            )
