"""Escalation letters (提醒函 → 交办函 → 督办函): those due, the records issuing them creates (by the ladder or
at the office's discretion), and what a reply records."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from laoxiao_cli.domain import rules, workdays
from laoxiao_cli.domain.lookup import find
from laoxiao_cli.domain.units import unit_name
from laoxiao_cli.errors import LxError
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.loop_checks import letter_number
from laoxiao_cli.model.records import Letter, LetterKind, Task

_LETTER_ID = re.compile(r"^l(\d{4})-(\d+)$")


@dataclass(frozen=True, slots=True)
class DueTask:
    task: Task
    due: date
    """The due in force on the day (spec 7)."""
    days_late: int


def due_task(task: Task, as_of: date) -> DueTask:
    due = rules.due_at(task, as_of)
    return DueTask(task, due, rules.days_late(due, as_of))


@dataclass(frozen=True, slots=True)
class DueLetter:
    unit: str
    unit_name: str
    kind: LetterKind
    tasks: list[DueTask]


@dataclass(frozen=True, slots=True)
class DueLetters:
    """The letters due as of a date (`lx letters`)."""

    as_of: date
    letters: list[DueLetter]


def letters_due(ds: Dataset, as_of: date, unit: str | None = None) -> list[DueLetter]:
    """One letter per unit and level, listing every overdue task of that unit whose next letter it is. A
    task a group leads is each member's (spec 6.11): each gets its own letter, by its own ladder. ``unit``:
    that unit's letters (a group's: its members')."""
    chosen = ds.responsible(unit) if unit is not None else None
    groups: dict[tuple[str, LetterKind], list[DueTask]] = {}
    for task in sorted(ds.tasks.values(), key=lambda t: t.id):
        for lead in ds.lead_units(task):
            if chosen is not None and lead not in chosen:
                continue
            level = rules.next_letter(ds, task, as_of, lead)
            if level is not None:
                groups.setdefault((lead, level), []).append(due_task(task, as_of))
    order = {level: i for i, level in enumerate(rules.LEVELS)}
    position = {uid: n for n, uid in enumerate(ds.units)}  # units in roster order
    keys = sorted(groups, key=lambda k: (position.get(k[0], len(position)), k[0], order[k[1]]))
    return [DueLetter(u, ds.units[u].name if u in ds.units else u, kind, groups[(u, kind)]) for u, kind in keys]


def next_ids(ds: Dataset, year: int, count: int, elsewhere: Collection[str] = ()) -> list[str]:
    """``l<YYYY>-<NNN>`` ids continuing from the highest existing one of that year, in the dataset or
    ``elsewhere`` (the letter ids of the clone's remote-tracking branches)."""
    highest = 0
    for letter_id in [*ds.letters, *elsewhere]:
        match = _LETTER_ID.match(letter_id)
        if match and int(match[1]) == year:
            highest = max(highest, int(match[2]))
    return [f"l{year:04d}-{highest + i:03d}" for i in range(1, count + 1)]


def next_numbers(
    ds: Dataset, year: int, count: int, first: int | None = None, elsewhere: Mapping[int, str] | None = None
) -> list[int]:
    """The serials of ``count`` new letters of ``year`` (spec 6.3): from ``first`` (the office's register),
    else after the highest number of that year (in the dataset or ``elsewhere``: {serial: letter id} of
    that year's letters in the clone's remote-tracking branches); refused when one is taken."""
    taken: dict[int | None, tuple[str, str]] = {
        letter_number(x): (x.id, "") for x in ds.letters.values() if x.issued.year == year
    }
    for serial, letter_id in (elsewhere or {}).items():
        taken.setdefault(serial, (letter_id, "（在共享仓库中，本地尚未同步）"))
    start = first if first is not None else max((n for n in taken if n is not None), default=0) + 1
    numbers = list(range(start, start + count))
    for number in numbers:
        if number in taken:
            letter_id, where = taken[number]
            raise LxError(
                f"{year} 年的函件编号 {number} 已被 {letter_id} 使用{where}：发文字号不能重复，请换一个 --number"
            )
    return numbers


def not_before_latest(ds: Dataset, as_of: date) -> None:
    """Refuses issuing on a day before the latest letter already issued (any year): the serials follow
    the issue dates (a letter dated earlier would be numbered after a later one). The same day is fine."""
    latest = max(ds.letters.values(), key=lambda x: (x.issued, x.id), default=None)
    if latest is not None and as_of < latest.issued:
        raise LxError(
            f"发函日期 {as_of} 早于最近发出的函件 {latest.id}（{ds.path_of('letter', latest.id)}，"
            f"{latest.issued} 发出）：函件按发文先后编号，不能补发更早日期的函件；"
            f"请用 {latest.issued} 或之后的日期（--as-of）"
        )


def reply_by(ds: Dataset, issued: date) -> date:
    """A new letter's reply deadline: ``issued + reply_days``, or the ``reply_days``-th working day after
    ``issued`` when the group counts working days (spec 6.5)."""
    reply_days = ds.group.rules.escalation.reply_days
    days = workdays.in_force(ds)
    return days.add_working_days(issued, reply_days) if days is not None else issued + timedelta(days=reply_days)


def issue(
    ds: Dataset,
    as_of: date,
    unit: str | None = None,
    number: int | None = None,
    ids_elsewhere: Collection[str] = (),
    numbers_elsewhere: Mapping[int, str] | None = None,
) -> list[tuple[Letter, DueLetter]]:
    """The letter records to write for the letters due as of ``as_of`` (``number``: the first one's);
    refused on a day before the latest letter issued. ``ids_elsewhere``, ``numbers_elsewhere``: the letter
    ids, and {serial: id} of ``as_of``'s year, in the clone's remote-tracking branches (next_ids, next_numbers)."""
    not_before_latest(ds, as_of)
    due = letters_due(ds, as_of, unit)
    if not due:
        return []
    ids = next_ids(ds, as_of.year, len(due), ids_elsewhere)
    numbers = next_numbers(ds, as_of.year, len(due), number, numbers_elsewhere)
    return [
        (_letter(ds, letter_id, n, item, as_of), item) for letter_id, n, item in zip(ids, numbers, due, strict=True)
    ]


def discretionary(
    ds: Dataset,
    task_id: str,
    kind: LetterKind,
    reason: str,
    as_of: date,
    number: int | None = None,
    ids_elsewhere: Collection[str] = (),
    numbers_elsewhere: Mapping[int, str] | None = None,
    unit: str | None = None,
) -> list[tuple[Letter, DueLetter]]:
    """A letter of level ``kind`` for a task to its lead unit, out of the ladder (spec 8.3): one to each
    member when a group leads it (spec 6.11), or only to ``unit`` (one of them, or the group: all).
    Refused when the task is not open, ``unit`` does not lead it, a letter of that level for it to one of
    them is still unanswered, or ``as_of`` is before the latest letter issued. ``ids_elsewhere``,
    ``numbers_elsewhere``: as for ``issue``."""
    if not reason.strip():
        raise LxError("发函事由（--reason）不能为空：请写明为什么专门发函")
    not_before_latest(ds, as_of)
    task = find(ds.tasks, task_id, "任务")
    if task.status != "open" or not rules.is_open(task, as_of):
        state = {"done": "已完成", "cancelled": "已取消"}.get(task.status, "不在办")
        raise LxError(f"任务 {task_id} {state}：只有在办的任务才能发函")
    leads = ds.lead_units(task)
    if unit is not None:
        leads = tuple(u for u in ds.responsible(unit) if u in leads)
        if not leads:
            raise LxError(
                f"{unit_name(ds, unit)}（{unit}）不牵头任务 {task_id}：专门发函发给任务的牵头单位"
                f"（{'、'.join(unit_name(ds, u) for u in ds.lead_units(task))}）"
            )
    for other in ds.letters_by_task.get(task_id, ()):
        if other.kind == kind and other.unit in leads and (other.replied is None or other.replied > as_of):
            raise LxError(
                f"任务 {task_id} 已有一份发给 {unit_name(ds, other.unit)} 的同级函件 {other.id}（{other.issued} 发出）尚未回复："
                "同一任务同一级别不重复发函"
            )
    items = [DueLetter(u, unit_name(ds, u), kind, [due_task(task, as_of)]) for u in leads]
    ids = next_ids(ds, as_of.year, len(items), ids_elsewhere)
    serials = next_numbers(ds, as_of.year, len(items), number, numbers_elsewhere)
    return [
        (_letter(ds, letter_id, serial, item, as_of, reason), item)
        for letter_id, serial, item in zip(ids, serials, items, strict=True)
    ]


def _letter(
    ds: Dataset, letter_id: str, number: int, item: DueLetter, as_of: date, reason: str | None = None
) -> Letter:
    return Letter(
        id=letter_id,
        kind=item.kind,
        unit=item.unit,
        tasks=[t.task.id for t in item.tasks],
        issued=as_of,
        reply_by=reply_by(ds, as_of),
        replied=None,
        number=number,
        reason=reason,
    )


def letter_data(letter: Letter) -> dict[str, object]:
    """A new letter as the YAML mapping lx writes (``reason``, ``signed_by``, ``cc`` only when set;
    ``replied`` last, to fill in)."""
    out: dict[str, object] = {"id": letter.id, "kind": letter.kind}
    if letter.number is not None:
        out["number"] = letter.number
    out.update(unit=letter.unit, tasks=list(letter.tasks), issued=letter.issued, reply_by=letter.reply_by)
    if letter.reason is not None:
        out["reason"] = letter.reason
    if letter.signed_by is not None:
        out["signed_by"] = letter.signed_by
    if letter.cc:
        out["cc"] = list(letter.cc)
    out["replied"] = letter.replied
    return out


def reply(
    ds: Dataset, letter_id: str, day: date, today: date, note: str | None = None, promised: date | None = None
) -> dict[str, object]:
    """The fields `lx letters reply` sets; refused when the letter is already answered, or ``day`` is before
    it was issued or after today, or ``promised`` is before ``day``."""
    letter = find_letter(ds, letter_id)
    if letter.replied is not None:
        raise LxError(f"函件 {letter_id} 已于 {letter.replied} 回复：不重复记录")
    if day > today:
        raise LxError(f"回复日期 {day} 晚于今天（{today}）：还没有发生的事不能记录")
    if day < letter.issued:
        raise LxError(f"回复日期 {day} 早于发函日期 {letter.issued}")
    if promised is not None and promised < day:
        raise LxError(f"承诺完成时限 {promised} 早于回复日期 {day}")
    return {"replied": day, "reply_note": note, "promised": promised}


def find_letter(ds: Dataset, letter_id: str) -> Letter:
    return find(ds.letters, letter_id, "函件")


def issued_letter(ds: Dataset, letter_id: str) -> tuple[Letter, DueLetter]:
    """An issued letter and what its document lists, as ``issue`` computed them on its issue day (``ds``:
    the data as committed with the letter, so the document comes out as it was issued)."""
    letter = find_letter(ds, letter_id)
    tasks = [due_task(ds.tasks[t], letter.issued) for t in letter.tasks if t in ds.tasks]
    unit = ds.units.get(letter.unit)
    return letter, DueLetter(letter.unit, unit.name if unit else letter.unit, letter.kind, tasks)
