"""Rules beyond the shape of one record: conditional fields, file names, and cross-references.

Every check returns findings located by a path inside the record (``loc``); the store maps the path to
a line and column. Nothing here reads files.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from laoxiao_cli.model import calendar_checks, leader_checks, loop_checks, unit_group_checks
from laoxiao_cli.model.dataset import Dataset, RawRecord
from laoxiao_cli.model.findings import Loc
from laoxiao_cli.model.records import (
    LEADER_ROLES,
    Calendar,
    Group,
    Handover,
    Letter,
    Meeting,
    Record,
    Report,
    Task,
    Unit,
)

Issue = tuple[Loc, str]


# --- one record ------------------------------------------------------------------------------------


def record_issues(record: Record) -> Iterator[Issue]:
    if isinstance(record, Group):
        yield from _group(record)
    elif isinstance(record, Unit):
        yield from _unit(record)
    elif isinstance(record, Task):
        yield from _task(record)
    elif isinstance(record, Meeting):
        yield from _meeting(record)
    elif isinstance(record, Letter):
        yield from _letter(record)
    elif isinstance(record, Handover):
        yield from _handover(record)
    elif isinstance(record, Report):
        yield from _report(record)
    elif isinstance(record, Calendar):
        yield from calendar_checks.calendar_issues(record)


def _group(g: Group) -> Iterator[Issue]:
    esc = g.rules.escalation
    if not esc.reminder < esc.assignment < esc.supervision:
        key = "assignment" if esc.reminder >= esc.assignment else "supervision"
        yield (
            ("rules", "escalation", key),
            f"升级天数须递增：reminder < assignment < supervision，实际为 {esc.reminder}、{esc.assignment}、{esc.supervision}",
        )
    yield from leader_checks.group_issues(g)


def _unit(u: Unit) -> Iterator[Issue]:
    seen: set[str] = set()
    for i, duty in enumerate(u.duties):
        prefix, _, number = duty.id.rpartition(".")
        if prefix != u.id or not number.isdigit() or number.startswith("0"):
            yield ("duties", i, "id"), f"职责编号“{duty.id}”应为“{u.id}.<序号>”（如 {u.id}.{i + 1}）"
        if duty.id in seen:
            yield ("duties", i, "id"), f"职责编号“{duty.id}”重复：同一单位内职责编号须唯一"
        seen.add(duty.id)
    for i, alias in enumerate(u.aliases):
        if alias == u.name:
            yield ("aliases", i), f"别名“{alias}”与单位名称相同，请删除"
    yield from _duplicates(("aliases",), u.aliases, "别名")
    yield from unit_group_checks.unit_issues(u)


def _task(t: Task) -> Iterator[Issue]:
    if t.status == "done" and t.done is None:
        yield ("status",), "状态为 done（已完成）时必须填写 `done`（完成日期）"
    if t.status != "done" and t.done is not None:
        yield (
            ("done",),
            f"只有状态为 done 时才能填写完成日期；当前状态为 {t.status}，请删除 `done` 或把状态改为 done",
        )
    if t.start is not None and t.start > t.due:
        yield ("start",), f"开始日期 {t.start} 晚于截止日期 {t.due}"
    if t.start is not None and t.done is not None and t.done < t.start:
        yield ("done",), f"完成日期 {t.done} 早于开始日期 {t.start}"
    yield from loop_checks.task_issues(t)
    for i, unit in enumerate(t.support):
        if unit == t.lead:
            yield ("support", i), f"配合单位“{unit}”与牵头单位相同：牵头单位不必再列为配合单位"
    yield from _duplicates(("support",), t.support, "配合单位")
    yield from _duplicates(("duties",), t.duties, "职责")


def _meeting(m: Meeting) -> Iterator[Issue]:
    if m.status == "held" and not m.chair:
        yield ("status",), "已召开（held）的会议必须填写 `chair`（主持人）"
    if m.status == "planned" and m.decisions:
        yield ("decisions",), "尚未召开（planned）的会议不能有议定事项：会后把 status 改为 held 再写 decisions"
    quarter = _QUARTER_ID.match(m.id)
    if m.kind == "regular" and quarter:
        year, q = int(quarter[1]), int(quarter[2])
        if (m.date.year, (m.date.month - 1) // 3 + 1) != (year, q):
            yield (
                ("date",),
                f"例会 {m.id} 是 {year} 年第{q}季度的例会，日期 {m.date} 却不在该季度内"
                f"（应在 {year}-{3 * q - 2:02d}-01 至 {_quarter_end(year, q)} 之间）",
            )
    for key, what in (("minutes", "会议纪要（minutes）"), ("attendance", "出席情况（attendance）")):
        if m.status == "planned" and getattr(m, key) is not None:
            yield (key,), f"尚未召开（planned）的会议不能有{what}：会后把 status 改为 held 再填写"
    if m.minutes is not None and m.minutes.issued is not None and m.minutes.issued < m.date:
        yield ("minutes", "issued"), f"纪要印发日期 {m.minutes.issued} 早于会议日期 {m.date}"
    for i, d in enumerate(m.decisions):
        if d.lead is not None and d.task is None:
            yield ("decisions", i, "lead"), "明确了牵头单位的议定事项必须填写 `task`（跟踪它的任务编号）"
    yield from _duplicates(("attendees",), m.attendees, "参会单位")
    yield from _duplicates(("heard",), m.heard, "汇报单位")


def _letter(letter: Letter) -> Iterator[Issue]:
    if letter.reply_by < letter.issued:
        yield ("reply_by",), f"回复期限 {letter.reply_by} 早于发函日期 {letter.issued}"
    if letter.replied is not None and letter.replied < letter.issued:
        yield ("replied",), f"回复日期 {letter.replied} 早于发函日期 {letter.issued}"
    yield from _duplicates(("tasks",), letter.tasks, "任务")
    yield from loop_checks.letter_issues(letter)


_QUARTER_ID = re.compile(r"^(\d{4})-q([1-4])$")


def _quarter_end(year: int, q: int) -> date:
    return date(year, 12, 31) if q == 4 else date(year, 3 * q + 1, 1) - timedelta(days=1)


def _report(r: Report) -> Iterator[Issue]:
    yield from _duplicates(("progress",), [p.task for p in r.progress], "任务", key="task")
    first = date.fromisoformat(f"{r.month}-01")
    if r.submitted < first:
        yield ("submitted",), f"报送日期 {r.submitted} 早于 {r.month} 月的第一天：月报不能在当月开始前报送"
    if r.received is not None and r.received < first:
        yield ("received",), f"收到日期 {r.received} 早于 {r.month} 月的第一天：月报不能在当月开始前收到"
    elif r.received is not None and r.received < r.submitted:
        yield (
            ("received",),
            f"收到日期 {r.received} 早于报送日期 {r.submitted}：专班办公室不能在联络员报送之前收到月报"
            "（收到日期应不早于报送日期）",
        )


def _handover(h: Handover) -> Iterator[Issue]:
    if h.role in LEADER_ROLES:
        yield from leader_checks.record_issues(h)
    elif h.id != (expected := f"{h.effective.isoformat()}-{h.unit}-{h.role}"):
        yield ("id",), f"交接记录编号应为“生效日期-单位-角色”，即“{expected}”"
    if h.role == "member":
        for key, person in (("from", h.from_), ("to", h.to)):
            if person is not None and not person.title:
                yield (key,), "专班成员须写明职务 `title`（如 区民政局局长）"
    if h.from_ is not None and h.from_.name == h.to.name:
        yield ("to",), f"继任者“{h.to.name}”与原任相同"


def _duplicates(loc: Loc, values: list[str], what: str, key: str | None = None) -> Iterator[Issue]:
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            yield ((*loc, i, key) if key else (*loc, i)), f"{what}“{value}”重复"
        seen.add(value)


# --- file names ------------------------------------------------------------------------------------


def name_issues(raw: RawRecord, record: Record) -> Iterator[Issue]:
    if isinstance(record, Report):
        if raw.folder != record.month:
            yield (
                ("month",),
                f"月报所在文件夹“{raw.folder}”与 month“{record.month}”不一致：应放在 reports/{record.month}/",
            )
        if raw.stem != record.unit:
            yield (
                ("unit",),
                f"月报文件名“{raw.stem}”与 unit“{record.unit}”不一致：应命名为 {record.unit}.yaml",
            )
        return
    if isinstance(record, Calendar):
        yield from calendar_checks.calendar_name_issues(raw.stem, record)
        return
    record_id = getattr(record, "id", None)
    if record_id is not None and raw.stem != record_id:
        yield ("id",), f"文件名“{raw.stem}.yaml”与编号“{record_id}”不一致：文件名须为 <编号>.yaml"


# --- across files ----------------------------------------------------------------------------------


def cross_issues(
    ds: Dataset,
    broken: frozenset[tuple[str, str]] = frozenset(),
    reports: Mapping[Any, Report] | None = None,
    tasks: Mapping[str, Task] | None = None,
) -> Iterator[tuple[str, Loc, str]]:
    """Findings as (file, loc, message); references resolved over the whole Dataset.

    ``broken`` holds (kind, id) of files that exist but failed their own checks: references to them
    are not reported again as dangling. ``reports``, ``tasks``: the reports, the tasks whose own rules to
    run (the caller knows the others give nothing: a clean dataset changed where they cannot see);
    default all, loaded for it.
    """
    refs = _Refs(ds, broken)
    yield from _unit_names(ds)
    broken_units = frozenset(key for kind, key in broken if kind == "unit")
    for loc, message in calendar_checks.roster_issues(ds.group, ds.units, broken_units):
        yield ds.path_of("group", "group"), loc, message
    yield from _office(refs, ds)
    yield from _members(refs, ds)
    yield from unit_group_checks.cross_issues(ds)
    for task in (ds.tasks if tasks is None else tasks).values():
        yield from _task_refs(refs, ds, task)
    for meeting in ds.meetings.values():
        yield from _meeting_refs(refs, ds, meeting)
    for (month, unit), report in (ds.reports if reports is None else reports).items():
        rel = ds.path_of("report", f"{month}/{unit}")
        if refs.missing("unit", report.unit):
            yield rel, ("unit",), _unknown_unit(ds, report.unit)
        for i, row in enumerate(report.progress):
            if refs.missing("task", row.task):
                yield rel, ("progress", i, "task"), f"任务“{row.task}”不存在（tasks/ 下没有 {row.task}.yaml）"
                continue
            reported = ds.tasks.get(row.task)
            if (
                reported is not None
                and report.unit in ds.units
                and report.unit != reported.lead
                and report.unit not in reported.support
                and report.unit not in ds.lead_units(reported)
                and report.unit not in ds.support_units(reported)
            ):
                yield (
                    rel,
                    ("progress", i, "task"),
                    f"任务 {row.task} 由 {reported.lead} 牵头（配合：{'、'.join(reported.support) or '无'}），"
                    f"{report.unit} 既不牵头也不配合：月报只填写本单位牵头或配合的任务",
                )
    yield from _letter_refs(refs, ds)
    for handover in ds.handovers.values():
        yield from _handover_refs(refs, ds, handover)
        if handover.effective < ds.group.started:
            yield (
                ds.path_of("handover", handover.id),
                ("effective",),
                f"生效日期 {handover.effective} 早于专班成立（group.yaml 的 started：{ds.group.started}）",
            )
    yield from _handover_chains(ds)
    yield from _minutes_numbers(ds)
    yield from loop_checks.cross_issues(ds)
    yield from loop_checks.repeated_letters(ds)
    yield from loop_checks.letters_out_of_sequence(ds)
    yield from loop_checks.letters_to_groups(ds)


class _Refs:
    """Does a referenced record exist? Records whose file exists but is invalid count as existing."""

    def __init__(self, ds: Dataset, broken: frozenset[tuple[str, str]]) -> None:
        self.ds = ds
        self.broken = broken

    def missing(self, kind: str, key: str) -> bool:
        table: dict[str, Mapping[str, object]] = {
            "unit": self.ds.units,
            "task": self.ds.tasks,
            "meeting": self.ds.meetings,
            "letter": self.ds.letters,
        }
        return key not in table[kind] and (kind, key) not in self.broken

    def missing_duty(self, duty_id: str) -> bool:
        owner = duty_id.rpartition(".")[0]
        return duty_id not in self.ds.duty_ids and ("unit", owner) not in self.broken


_BAD_ID = re.compile(r"编号“(?P<value>[^”]+)”不合规")


def name_hint(ds: Dataset, message: str) -> str:
    """``message`` with a hint when the id it refuses is a unit's name or alias (``lead: 区民政局``)."""
    found = _BAD_ID.search(message)
    if found is None:
        return message
    unit_id = ds.unit_names.get(found["value"].strip())
    if unit_id is None:
        return message
    return f"单位须用编号引用，“{found['value']}”应写成 {unit_id}（{message}）"


def _unknown_unit(ds: Dataset, unit_id: str) -> str:
    import difflib

    named = ds.unit_names.get(unit_id)
    if named is not None:  # a name or alias where the id belongs
        return f"单位“{unit_id}”不存在：数据文件中单位用编号引用，“{unit_id}”应写成 {named}"
    if unit_id.lower() in ds.units:
        return f"单位“{unit_id}”不存在：编号用小写字母，应写成 {unit_id.lower()}"

    close = difflib.get_close_matches(unit_id, list(ds.units), n=3, cutoff=0.5)
    hint = f"，是否是：{'、'.join(close)}？" if close else "；单位须用 units/ 下的文件名（编号）引用"
    return f"单位“{unit_id}”不存在{hint}"


def _unit_names(ds: Dataset) -> Iterator[tuple[str, Loc, str]]:
    owners: dict[str, str] = {}
    for unit in ds.units.values():
        rel = ds.path_of("unit", unit.id)
        for loc, name in [(("name",), unit.name), *((("aliases", i), a) for i, a in enumerate(unit.aliases))]:
            other = owners.get(name)
            if other is not None and other != unit.id:
                yield rel, loc, f"名称“{name}”已被单位 {other} 使用：单位名称和别名须在所有单位中唯一"
            owners.setdefault(name, unit.id)


def _office(refs: _Refs, ds: Dataset) -> Iterator[tuple[str, Loc, str]]:
    rel = ds.path_of("group", "group")
    office = ds.group.office
    for key in ("director_units", "deputy_units", "staff_units"):
        for i, unit_id in enumerate(getattr(office, key)):
            if refs.missing("unit", unit_id):
                yield rel, ("office", key, i), _unknown_unit(ds, unit_id)


def _members(refs: _Refs, ds: Dataset) -> Iterator[tuple[str, Loc, str]]:
    """A group's members are units (spec 6.11)."""
    for unit in ds.units.values():
        for i, member_id in enumerate(unit.members):
            if refs.missing("unit", member_id):
                yield ds.path_of("unit", unit.id), ("members", i), _unknown_unit(ds, member_id)


def _task_refs(refs: _Refs, ds: Dataset, task: Task) -> Iterator[tuple[str, Loc, str]]:
    rel = ds.path_of("task", task.id)
    if refs.missing("unit", task.lead):
        yield rel, ("lead",), _unknown_unit(ds, task.lead)
    for i, unit_id in enumerate(task.support):
        if refs.missing("unit", unit_id):
            yield rel, ("support", i), _unknown_unit(ds, unit_id)
    for i, duty_id in enumerate(task.duties):
        if refs.missing_duty(duty_id):
            yield (
                rel,
                ("duties", i),
                f"职责“{duty_id}”不存在：职责编号形如 <单位编号>.<序号>，见 units/ 下各单位的 duties",
            )
    if task.source is not None:
        meeting = ds.meetings.get(task.source.meeting)
        if meeting is None:
            if not refs.missing("meeting", task.source.meeting):
                return
            yield rel, ("source", "meeting"), f"会议“{task.source.meeting}”不存在（meetings/ 下没有该文件）"
        else:
            # a task may come from a meeting without a decision naming it (the minutes recorded the
            # matter, the office made the task later: `lx task new --meeting`); one that names it must agree
            decision = next((d for d in meeting.decisions if d.task == task.id), None)
            if decision is not None:
                if decision.lead is not None and decision.lead != task.lead:
                    yield (
                        rel,
                        ("lead",),
                        f"牵头单位 {task.lead} 与会议 {meeting.id} 议定事项的牵头单位 {decision.lead} 不一致",
                    )
                if decision.due is not None and decision.due != task.due:
                    yield (
                        rel,
                        ("due",),
                        f"截止日期 {task.due} 与会议 {meeting.id} 议定事项的期限 {decision.due} 不一致",
                    )


def _meeting_refs(refs: _Refs, ds: Dataset, meeting: Meeting) -> Iterator[tuple[str, Loc, str]]:
    rel = ds.path_of("meeting", meeting.id)
    for loc, message in leader_checks.chair_issues(ds.group, meeting):
        yield rel, loc, message
    for key in ("attendees", "heard"):
        for i, unit_id in enumerate(getattr(meeting, key)):
            if refs.missing("unit", unit_id):
                yield rel, (key, i), _unknown_unit(ds, unit_id)
    if meeting.attendance is not None:
        for key in ("present", "attending", "absent"):
            for i, person in enumerate(getattr(meeting.attendance, key)):
                if refs.missing("unit", person.unit):
                    yield rel, ("attendance", key, i, "unit"), _unknown_unit(ds, person.unit)
    counts = Counter(d.task for d in meeting.decisions if d.task)
    for i, decision in enumerate(meeting.decisions):
        if decision.lead is not None and refs.missing("unit", decision.lead):
            yield rel, ("decisions", i, "lead"), _unknown_unit(ds, decision.lead)
        if decision.task is None:
            continue
        if counts[decision.task] > 1:
            yield (
                rel,
                ("decisions", i, "task"),
                f"任务 {decision.task} 被多个议定事项引用：每个议定事项对应一个任务",
            )
        task = ds.tasks.get(decision.task)
        if task is None:
            if not refs.missing("task", decision.task):
                continue
            yield (
                rel,
                ("decisions", i, "task"),
                f"任务“{decision.task}”不存在（tasks/ 下没有 {decision.task}.yaml）",
            )
        elif task.source is None or task.source.meeting != meeting.id:
            yield (
                rel,
                ("decisions", i, "task"),
                (
                    f"任务 {task.id} 的 source.meeting 应为本次会议 {meeting.id}：请在任务文件中写 source: {{meeting: {meeting.id}}}"
                ),
            )


def _minutes_numbers(ds: Dataset) -> Iterator[tuple[str, Loc, str]]:
    """A 纪要's 第N期 is used once a year (the year of its issue, else of the meeting): the later meeting
    (by date, then id) of two with one number is the finding."""
    seen: dict[tuple[int, int], str] = {}
    for meeting in sorted(ds.meetings.values(), key=lambda m: (m.date, m.id)):
        if meeting.minutes is None or meeting.minutes.number is None:
            continue
        year = (meeting.minutes.issued or meeting.date).year
        other = seen.setdefault((year, meeting.minutes.number), meeting.id)
        if other != meeting.id:
            yield (
                ds.path_of("meeting", meeting.id),
                ("minutes", "number"),
                f"{year} 年的会议纪要第{meeting.minutes.number}期已被会议 {other} 使用：纪要期号每年不重复",
            )


def _letter_refs(refs: _Refs, ds: Dataset) -> Iterator[tuple[str, Loc, str]]:
    unreplied: dict[tuple[str, str, str], str] = {}
    whole: set[tuple[str, str, frozenset[str]]] = set()  # the same letter twice is loop_checks' finding
    for letter in ds.letters.values():
        rel = ds.path_of("letter", letter.id)
        same = (letter.unit, letter.kind, frozenset(letter.tasks))
        repeated = letter.replied is None and same in whole
        if letter.replied is None:
            whole.add(same)
        if refs.missing("unit", letter.unit):
            yield rel, ("unit",), _unknown_unit(ds, letter.unit)
        known = []
        for i, task_id in enumerate(letter.tasks):
            if refs.missing("task", task_id):
                yield rel, ("tasks", i), f"任务“{task_id}”不存在（tasks/ 下没有 {task_id}.yaml）"
            task = ds.tasks.get(task_id)
            if task is not None:
                known.append(task)
            if letter.replied is None:
                other = unreplied.setdefault((letter.unit, letter.kind, task_id), letter.id)
                if other != letter.id and not repeated:
                    yield (
                        rel,
                        ("tasks", i),
                        f"任务 {task_id} 已有一份发给 {letter.unit} 的同级函件 {other} 尚未回复：同一任务同一级别不重复发函",
                    )
        to = ds.units.get(letter.unit)
        if known and to is not None and not to.members and all(letter.unit not in ds.lead_units(t) for t in known):
            leads = "、".join(dict.fromkeys(f"{t.lead} 的成员单位" if ds.members(t.lead) else t.lead for t in known))
            yield (
                rel,
                ("unit",),
                f"函件发给 {letter.unit}，但它不牵头所列的任何任务：函件应发给任务的牵头单位（{leads}）",
            )


def _handover_refs(refs: _Refs, ds: Dataset, h: Handover) -> Iterator[tuple[str, Loc, str]]:
    rel = ds.path_of("handover", h.id)
    if h.role not in LEADER_ROLES and refs.missing("unit", h.unit):
        yield rel, ("unit",), _unknown_unit(ds, h.unit)
    for loc, message in leader_checks.handover_issues(ds.group, h):
        yield rel, loc, message
    for i, task_id in enumerate(h.open_tasks):
        if refs.missing("task", task_id):
            yield rel, ("open_tasks", i), f"任务“{task_id}”不存在"
    for i, letter_id in enumerate(h.open_letters):
        if refs.missing("letter", letter_id):
            yield rel, ("open_letters", i), f"函件“{letter_id}”不存在"


_ROLE_LABELS = {"member": "专班成员", "liaison": "联络员"}


def _handover_chains(ds: Dataset) -> list[tuple[str, Loc, str]]:
    """Handovers of one unit and role, in date order, form a chain; the unit file holds the last successor."""
    out: list[tuple[str, Loc, str]] = []
    chains: dict[tuple[str, str], list[Handover]] = {}
    for h in ds.handovers.values():
        if h.role not in LEADER_ROLES:  # a 组长's post is no chain: group.yaml holds the terms
            chains.setdefault((h.unit, h.role), []).append(h)
    for (unit_id, role), items in sorted(chains.items()):
        items.sort(key=lambda h: (h.effective, h.filed, h.id))
        for previous, current in itertools.pairwise(items):
            before = current.from_.name if current.from_ else None
            if before != previous.to.name:
                rel = ds.path_of("handover", current.id)
                out.append(
                    (
                        rel,
                        ("from",),
                        f"交接链断开：上一条交接（{previous.id}）的继任者是 {previous.to.name}，本条的原任应为 {previous.to.name}",
                    )
                )
        unit = ds.units.get(unit_id)
        if unit is None:
            continue
        holder = unit.member if role == "member" else unit.liaison
        last = items[-1]
        if holder is None or holder.name != last.to.name:
            rel = ds.path_of("unit", unit_id)
            now = holder.name if holder else "空缺"
            out.append(
                (
                    rel,
                    (role,),
                    f"{_ROLE_LABELS[role]}应为最近一次交接（{last.id}）的继任者 {last.to.name}，实际为 {now}",
                )
            )
    return out
