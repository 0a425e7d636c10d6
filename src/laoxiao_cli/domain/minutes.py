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

NUMERALS = "一二三四五六七八九十"
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


def minutes(ds: Dataset, meeting_id: str) -> Minutes:
    meeting = find(ds.meetings, meeting_id, "会议")
    if meeting.status != "held":
        raise LxError(f"会议 {meeting_id} 尚未召开（status: {meeting.status}）：只能为已召开的会议生成纪要")
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
        short_name=ds.group.short_name or ds.group.name,
    )
