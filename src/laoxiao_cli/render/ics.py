"""`lx calendar`: the deadlines as an RFC 5545 calendar (spec 11.5), written with the icalendar library.

Every event is all-day (``DTSTART;VALUE=DATE``, ``DTEND`` the next day) and free time (``TRANSP``), so it
shows on the day without blocking it. What makes importing the file again update rather than duplicate:

- ``UID`` = the item's key (which names the task, month, meeting or letter, never a date) ``@`` a slug of
  the group's founding notice, so that two groups' calendars never share a UID;
- ``SEQUENCE`` grows with each extension approved, so a calendar takes the moved due date as an update;
- ``DTSTAMP`` is the as-of day (00:00 UTC), not the clock: two runs on the same data and day give the same
  bytes, and a later day's export is the newer one.

The reminder (``VALARM``) fires 15 hours before the all-day start, i.e. at 09:00 the day before (a
``-P1D`` trigger would ring at midnight).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from laoxiao_cli.domain.calendar import month_label, quarter_label, quarter_of
from laoxiao_cli.render.common import Renderer, View, printable
from laoxiao_cli.render.labels import (
    DEADLINE_CATEGORIES,
    DEADLINE_TAGS,
    LETTER_KINDS,
    MEETING_KINDS,
    REPORT_DUE_MONTHS,
)

if TYPE_CHECKING:
    from icalendar import Event

    from laoxiao_cli.domain.deadlines import Deadline, Deadlines
    from laoxiao_cli.model.records import Group, Meeting, Task

PRODID = "-//lx//laoxiao-cli calendar//ZH"
TIMEZONE = "Asia/Shanghai"
REMINDER = timedelta(hours=-15)
"""09:00 the day before: 15 hours before the all-day event's start (its day's 00:00, local time)."""
_DAY = timedelta(days=1)


def slug(group: Group) -> str:
    """The UIDs' domain part: a short hash of what names the group — its name and its founding notice
    (number, issuing offices) and start — which do not change once the group is set up."""
    parts = [group.name, group.document.number or "", *group.document.issuers, group.started.isoformat()]
    return "lx-" + hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:12]


def calendar_name(result: Deadlines, names: Mapping[str, str]) -> str:
    short = result.group.short_name or result.group.name
    return f"{short}（{names.get(result.unit, result.unit)}）" if result.unit is not None else short


def ics(result: Deadlines, view: View) -> bytes:
    """The calendar: a VCALENDAR with one all-day VEVENT (with its VALARM) for each item."""
    from icalendar import Calendar, vText

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", vText(printable(calendar_name(result, view.names), keep="")))
    cal.add("x-wr-timezone", TIMEZONE)
    cal.add("x-wr-caldesc", vText(_calendar_description(result.as_of)))
    cal.add_component(_timezone())
    stamp = datetime.combine(result.as_of, time(0), tzinfo=UTC)
    domain = slug(result.group)
    for item in result.items:
        cal.add_component(_event(item, result, view.names, stamp, domain))
    data: bytes = cal.to_ical()
    return data


def _timezone() -> Any:
    """The zone X-WR-TIMEZONE names, as a VTIMEZONE: UTC+8 with no daylight saving (none since 1991).
    The events are all-day dates and need no zone; the component also keeps a calendar with nothing to
    show valid (RFC 5545 wants at least one component)."""
    from icalendar import Timezone, TimezoneStandard

    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1991, 9, 15, 2, 0))
    standard.add("tzoffsetfrom", timedelta(hours=8))
    standard.add("tzoffsetto", timedelta(hours=8))
    standard.add("tzname", "CST")
    zone = Timezone()
    zone.add("tzid", TIMEZONE)
    zone.add_component(standard)
    return zone


def _calendar_description(as_of: date) -> str:
    return (
        f"截至 {as_of.isoformat()}：在办任务的截止日期、未完成的任务节点、{as_of.year}年{as_of.month}月起 12 个月的"
        "月报报送截止日、计划召开的会议、待回复函件的回复期限（lx calendar 生成，再次导入时更新而不重复）"
    )


def _event(item: Deadline, result: Deadlines, names: Mapping[str, str], stamp: datetime, domain: str) -> Event:
    from icalendar import Alarm, Event

    title = printable(summary(item, names))
    event = Event()
    event.add("uid", f"{item.key}@{domain}")
    event.add("dtstamp", stamp)
    event.add("dtstart", item.day)
    event.add("dtend", item.day + _DAY)
    event.add("summary", title)
    event.add("description", printable(description(item, result, names)))
    categories = [DEADLINE_CATEGORIES[item.kind]]
    if item.task is not None and item.task.key:
        categories.append("重点项目")
    event.add("categories", categories)
    event.add("transp", "TRANSPARENT")
    event.add("sequence", item.revision)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"明天：{title}")
    alarm.add("trigger", REMINDER)
    event.add_component(alarm)
    return event


# --- titles ----------------------------------------------------------------------------------------


def summary(item: Deadline, names: Mapping[str, str]) -> str:
    """The event's title: ``【任务到期】t2022-001 …（牵头：区民政局）``, ``【月报】2023年1月月报报送截止`` …"""
    tag = f"【{DEADLINE_TAGS[item.kind]}】"
    if item.task is not None:
        lead = names.get(item.task.lead, item.task.lead)
        if item.milestone is not None:
            name = item.task.milestones[item.milestone - 1].name
            return f"{tag}{item.task.id} {name}（牵头：{lead}）"
        return f"{tag}{item.task.id} {item.task.title}（牵头：{lead}）"
    if item.month is not None:
        return f"{tag}{month_label(item.month)}月报报送截止"
    if item.meeting is not None:
        return f"{tag}{meeting_title(item.meeting.kind, item.meeting.date)}"
    assert item.letter is not None
    unit = names.get(item.letter.unit, item.letter.unit)
    return f"{tag}{item.letter.id} {LETTER_KINDS[item.letter.kind]}回复期限（{unit}）"


def meeting_title(kind: str, day: date) -> str:
    """``2023年第一季度专班例会`` (a regular meeting is its quarter's), ``2023年3月专班专题会议``."""
    if kind == "regular":
        return f"{quarter_label(quarter_of(day))}{MEETING_KINDS['regular']}"
    return f"{day.year}年{day.month}月{MEETING_KINDS['special']}"


# --- descriptions ----------------------------------------------------------------------------------


def description(item: Deadline, result: Deadlines, names: Mapping[str, str]) -> str:
    """The event's details, one fact a line, ending with its state as of the day."""
    if item.task is not None:
        lines = _task_lines(item, item.task, result.as_of, names)
    elif item.month is not None:
        lines = _report_lines(item, result, names)
    elif item.meeting is not None:
        lines = _meeting_lines(item.meeting, names)
    else:
        lines = _letter_lines(item, result.as_of, names)
    return "\n".join(lines)


def _task_lines(item: Deadline, task: Task, as_of: date, names: Mapping[str, str]) -> list[str]:
    lines = [f"任务：{task.id} {task.title}", f"目标：{task.target}"]
    if item.milestone is not None:
        lines.append(f"节点 {item.milestone}：{task.milestones[item.milestone - 1].name}")
        lines.append(f"节点截止日期：{item.day.isoformat()}")
    else:
        moved = f"（原定 {task.due.isoformat()}，已批准延期）" if item.day != task.due else ""
        lines.append(f"截止日期：{item.day.isoformat()}{moved}")
    lines.append(f"牵头单位：{names.get(task.lead, task.lead)}")
    if len(item.units) > 1:
        lines.append("配合单位：" + "、".join(names.get(u, u) for u in item.units[1:]))
    if task.key:
        lines.append("重点项目：是")
    lines.append(f"截至 {as_of.isoformat()}：{_state(item.day, as_of, '未完成')}")
    return lines


def _report_lines(item: Deadline, result: Deadlines, names: Mapping[str, str]) -> list[str]:
    assert item.month is not None
    rules = result.group.rules
    rule = f"{REPORT_DUE_MONTHS[rules.reports.due_month]} {rules.reports.due_day} 日"
    if rules.calendar.working_days:
        rule += "，遇节假日顺延至下一个工作日"
    owing = "、".join(names.get(u, u) for u in item.units)
    who = f"{owing}" if result.unit is not None else f"尚未报送的单位（{len(item.units)} 个）：{owing}"
    return [
        f"{month_label(item.month)}工作月报报送截止：{item.day.isoformat()}（{rule}）",
        who,
        f"截至 {result.as_of.isoformat()}：{_state(item.day, result.as_of, '未报送')}",
    ]


def _meeting_lines(meeting: Meeting, names: Mapping[str, str]) -> list[str]:
    lines = [f"会议：{meeting.id}（{MEETING_KINDS[meeting.kind]}）", f"日期：{meeting.date.isoformat()}"]
    if meeting.attendees:
        lines.append("参会单位：" + "、".join(names.get(u, u) for u in meeting.attendees))
    if meeting.agenda:
        lines += ["议题：", *(f"{n}. {text}" for n, text in enumerate(meeting.agenda, start=1))]
    return lines


def _letter_lines(item: Deadline, as_of: date, names: Mapping[str, str]) -> list[str]:
    letter = item.letter
    assert letter is not None
    lines = [
        f"函件：{letter.id} {LETTER_KINDS[letter.kind]}",
        f"发往：{names.get(letter.unit, letter.unit)}",
        f"印发日期：{letter.issued.isoformat()}",
        f"回复期限：{letter.reply_by.isoformat()}",
    ]
    titles = {t.id: t.title for t in item.letter_tasks}
    lines.append("涉及任务：" + "；".join(f"{tid} {titles[tid]}" if tid in titles else tid for tid in letter.tasks))
    lines.append(f"截至 {as_of.isoformat()}：{_state(item.day, as_of, '未回复')}")
    return lines


def _state(day: date, as_of: date, pending: str) -> str:
    """``已逾期 5 天`` / ``今天截止`` / ``距截止 3 天`` (what is still ``pending``)."""
    left = (day - as_of).days
    if left < 0:
        return f"{pending}，已逾期 {-left} 天"
    if left == 0:
        return f"{pending}，今天截止"
    return f"{pending}，距截止 {left} 天"


FORMATS: dict[str, Renderer[Deadlines]] = {"ics": ics}
