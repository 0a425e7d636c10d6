"""Escalation letters due (提醒函 → 交办函 → 督办函) and the records that issuing them creates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from laoxiao_cli.domain import rules
from laoxiao_cli.model.dataset import Dataset
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
    """One letter per unit and level, listing every overdue task of that unit whose next letter it is."""
    groups: dict[tuple[str, LetterKind], list[DueTask]] = {}
    for task in sorted(ds.tasks.values(), key=lambda t: t.id):
        if unit is not None and task.lead != unit:
            continue
        level = rules.next_letter(ds, task, as_of)
        if level is not None:
            groups.setdefault((task.lead, level), []).append(due_task(task, as_of))
    order = {level: i for i, level in enumerate(rules.LEVELS)}
    position = {uid: n for n, uid in enumerate(ds.units)}  # units in file-name order
    keys = sorted(groups, key=lambda k: (position.get(k[0], len(position)), k[0], order[k[1]]))
    return [DueLetter(u, ds.units[u].name if u in ds.units else u, kind, groups[(u, kind)]) for u, kind in keys]


def next_ids(ds: Dataset, year: int, count: int) -> list[str]:
    """``l<YYYY>-<NNN>`` ids continuing from the highest existing one of that year."""
    highest = 0
    for letter_id in ds.letters:
        match = _LETTER_ID.match(letter_id)
        if match and int(match[1]) == year:
            highest = max(highest, int(match[2]))
    return [f"l{year:04d}-{highest + i:03d}" for i in range(1, count + 1)]


def issue(ds: Dataset, as_of: date, unit: str | None = None) -> list[tuple[Letter, DueLetter]]:
    """The letter records to write for the letters due as of ``as_of``."""
    due = letters_due(ds, as_of, unit)
    reply_by = as_of + timedelta(days=ds.group.rules.escalation.reply_days)
    out = []
    for letter_id, item in zip(next_ids(ds, as_of.year, len(due)), due, strict=True):
        record = Letter(
            id=letter_id,
            kind=item.kind,
            unit=item.unit,
            tasks=[t.task.id for t in item.tasks],
            issued=as_of,
            reply_by=reply_by,
            replied=None,
        )
        out.append((record, item))
    return out


def letter_data(letter: Letter) -> dict[str, object]:
    return {
        "id": letter.id,
        "kind": letter.kind,
        "unit": letter.unit,
        "tasks": list(letter.tasks),
        "issued": letter.issued,
        "reply_by": letter.reply_by,
        "replied": letter.replied,
    }


def issued_letter(ds: Dataset, letter_id: str) -> tuple[Letter, DueLetter]:
    """An issued letter and what its document lists, as ``issue`` computed them on its issue day (``ds``:
    the data as committed with the letter, so the document comes out as it was issued)."""
    from laoxiao_cli.errors import LxError

    letter = ds.letters.get(letter_id)
    if letter is None:
        raise LxError(f"没有编号为“{letter_id}”的函件")
    tasks = [due_task(ds.tasks[t], letter.issued) for t in letter.tasks if t in ds.tasks]
    unit = ds.units.get(letter.unit)
    return letter, DueLetter(letter.unit, unit.name if unit else letter.unit, letter.kind, tasks)
