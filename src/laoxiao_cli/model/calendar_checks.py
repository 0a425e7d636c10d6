"""The rules of a working-day calendar file (spec 6.4) and of the roster in group.yaml (spec 6.1)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from datetime import date

from laoxiao_cli.model.findings import Loc
from laoxiao_cli.model.records import Calendar, Group

Issue = tuple[Loc, str]
_WEEKDAYS = "一二三四五六日"


def calendar_issues(c: Calendar) -> Iterator[Issue]:
    """Every date inside the year; holidays Mon–Fri, workdays Sat/Sun; no date in both, none twice."""
    for key, weekend, what in (("holidays", False, "节假日"), ("workdays", True, "调休上班日")):
        seen: set[date] = set()
        for i, day in enumerate(getattr(c, key)):
            if day.year != c.year:
                yield (key, i), f"{what} {day} 不在 {c.year} 年内：本文件只记 {c.year} 年的日期"
            elif (day.weekday() >= 5) != weekend:
                allowed = "周六或周日（周一至周五本来就上班）" if weekend else "周一至周五（周末本来就休息）"
                yield (key, i), f"{what} {day} 是星期{_WEEKDAYS[day.weekday()]}：{key} 只列{allowed}"
            if day in seen:
                yield (key, i), f"{what} {day} 重复"
            seen.add(day)
    holidays = set(c.holidays)
    for i, day in enumerate(c.workdays):
        if day in holidays:
            yield ("workdays", i), f"日期 {day} 同时列在 holidays 与 workdays 中：一天只能是节假日或调休上班日之一"


def calendar_name_issues(stem: str, c: Calendar) -> Iterator[Issue]:
    if stem != str(c.year):
        yield (
            ("year",),
            f"文件名“{stem}.yaml”与年份 {c.year} 不一致：工作日历文件须命名为 <年份>.yaml（如 {c.year}.yaml）",
        )


def roster_issues(group: Group, units: Mapping[str, object], broken: frozenset[str]) -> Iterator[Issue]:
    """group.yaml ``units``: each id a unit file, each unit file listed exactly once. ``broken``: ids of
    unit files that exist but are invalid (listed rightly, reported in their own file)."""
    if group.units is None:
        return
    known = [*units, *sorted(broken)]
    seen: set[str] = set()
    for i, unit_id in enumerate(group.units):
        if unit_id in seen:
            yield ("units", i), f"成员单位名单（units）中“{unit_id}”重复：每个单位只列一次"
        elif unit_id not in units and unit_id not in broken:
            close = difflib.get_close_matches(unit_id, known, n=3, cutoff=0.5)
            hint = f"，是否是：{'、'.join(close)}？" if close else "：名单只列 units/ 下已有的单位编号"
            yield (
                ("units", i),
                f"成员单位名单（units）中的“{unit_id}”不是已有单位（units/ 下没有 {unit_id}.yaml）{hint}",
            )
        seen.add(unit_id)
    missing = [u for u in known if u not in seen]
    if missing:
        yield (
            ("units",),
            f"成员单位名单（units）缺少 {'、'.join(missing)}：名单须按通知顺序列出 units/ 下的每个单位，各一次",
        )
