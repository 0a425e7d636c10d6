"""The 会议纪要 of a held meeting: everything the document shows, with unit ids turned into names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from laoxiao_cli.domain.calendar import quarter_of
from laoxiao_cli.domain.lookup import find
from laoxiao_cli.domain.units import unit_name
from laoxiao_cli.errors import LxError
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Attendee, Meeting, OfficeDoc

NUMERALS = "一二三四五六七八九十"
Day = date
"""``date`` for the fields after ``Minutes.date``, which hides the type's name inside the class."""
MeetingKind = Literal["regular", "special"]


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (enough for the decisions of one meeting)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


@dataclass(frozen=True, slots=True)
class MinuteDecision:
    number: str
    text: str
    lead: str | None
    due: date | None
    task: str | None
    task_title: str | None


@dataclass(frozen=True, slots=True)
class Person:
    """Someone at (or excused from) the meeting, with the unit's name."""

    unit: str
    name: str
    title: str | None
    stand_in: bool


@dataclass(frozen=True, slots=True)
class Minutes:
    id: str
    date: date
    kind: MeetingKind
    quarter: str
    """The quarter the meeting was held in (a regular meeting is that quarter's)."""
    chair: str
    attendees: list[str]
    agenda: list[str]
    heard: list[str]
    reviewed: list[str]
    decisions: list[MinuteDecision]
    group_name: str
    short_name: str
    """The group's short name (its name when it has none), as its documents are signed."""
    doc: OfficeDoc
    number: int
    """第N期: ``minutes.number`` when recorded, else the meeting's place among the held meetings of its year."""
    issued: Day
    """``minutes.issued``, else the meeting's date."""
    present: list[Person]
    """出席 (``attendance``); empty when attendance is not recorded: the minutes list ``attendees`` instead."""
    attending: list[Person]
    """列席."""
    absent: list[Person]
    """请假."""
    attendance: bool
    """Whether the meeting records who attended (``attendance``)."""


def minutes(ds: Dataset, meeting_id: str) -> Minutes:
    meeting = find(ds.meetings, meeting_id, "会议")
    if meeting.status != "held":
        raise LxError(f"会议 {meeting_id} 尚未召开（status: {meeting.status}）：只能为已召开的会议生成纪要")
    attendance = meeting.attendance
    chair = meeting.chair or ""
    if meeting.on_behalf_of:
        chair = f"{chair}（受组长{meeting.on_behalf_of}委托）"
    decisions = []
    for n, d in enumerate(meeting.decisions, start=1):
        task = ds.tasks.get(d.task) if d.task else None
        decisions.append(
            MinuteDecision(
                chinese_number(n),
                d.text,
                unit_name(ds, d.lead) if d.lead else None,
                d.due,
                d.task,
                task.title if task else None,
            )
        )
    return Minutes(
        id=meeting.id,
        date=meeting.date,
        kind=meeting.kind,
        quarter=quarter_of(meeting.date),
        chair=chair,
        attendees=[unit_name(ds, u) for u in meeting.attendees],
        agenda=list(meeting.agenda),
        heard=[unit_name(ds, u) for u in meeting.heard],
        reviewed=list(meeting.reviewed),
        decisions=decisions,
        group_name=ds.group.name,
        short_name=(ds.group.short_name or "").strip() or ds.group.name,
        doc=ds.group.office.doc,
        number=minutes_number(ds, meeting),
        issued=meeting.minutes.issued if meeting.minutes and meeting.minutes.issued else meeting.date,
        present=_people(ds, attendance.present if attendance else []),
        attending=_people(ds, attendance.attending if attendance else []),
        absent=_people(ds, attendance.absent if attendance else []),
        attendance=attendance is not None,
    )


def minutes_number(ds: Dataset, meeting: Meeting) -> int:
    """第N期: the recorded ``minutes.number``, else the meeting's place (1-based) among the held meetings of
    its year, by date then id (the 期号 register starts again each year, as the finding on repeats says)."""
    if meeting.minutes is not None and meeting.minutes.number is not None:
        return meeting.minutes.number
    held = sorted(
        (m for m in ds.meetings.values() if m.status == "held" and m.date.year == meeting.date.year),
        key=lambda m: (m.date, m.id),
    )
    return [m.id for m in held].index(meeting.id) + 1


def _people(ds: Dataset, people: list[Attendee]) -> list[Person]:
    return [Person(unit_name(ds, p.unit), p.name, p.title, p.stand_in) for p in people]
