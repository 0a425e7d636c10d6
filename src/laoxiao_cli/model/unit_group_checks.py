"""Rules of groups of units (spec 6.11, 各镇街): a group lists its member units, one level deep, each unit in
one group at most; a group owes no report and has no liaison of its own (its members do), so a report or
a handover of a group is a finding. Letters to a group are loop_checks' finding. Called from checks.py,
located the same way (a path inside the record)."""

from __future__ import annotations

from collections.abc import Iterator

from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.findings import Loc
from laoxiao_cli.model.records import Unit

Issue = tuple[Loc, str]
_ROLES = {"member": "专班成员", "liaison": "联络员"}


def unit_issues(u: Unit) -> Iterator[Issue]:
    """One unit file's own rules: no member twice, not itself."""
    seen: set[str] = set()
    for i, member_id in enumerate(u.members):
        if member_id == u.id:
            yield ("members", i), f"单位组不能把自己（{u.id}）列为成员单位"
        elif member_id in seen:
            yield ("members", i), f"成员单位“{member_id}”重复"
        seen.add(member_id)
    if u.members and u.liaison is not None:
        yield (
            ("liaison",),
            "单位组没有自己的联络员：联络员由各成员单位分别指定（写在成员单位的文件中），此处请写 liaison: null",
        )


def members_text(ds: Dataset, group_id: str) -> str:
    """The group's members as a message names them: 景山街道（jingshan）、…"""
    return "、".join(f"{ds.units[m].name}（{m}）" for m in ds.members(group_id)) or "无"


def cross_issues(ds: Dataset) -> Iterator[tuple[str, Loc, str]]:
    """A member that is a group itself; a unit in two groups (the later group in roster order is the
    finding); a group's report; a group's handover. Unknown members are checks.py's finding."""
    first: dict[str, str] = {}
    for unit in ds.units.values():
        rel = ds.path_of("unit", unit.id)
        for i, member_id in enumerate(unit.members):
            member = ds.units.get(member_id)
            if member is None or member_id == unit.id:
                continue
            if member.members:
                yield (
                    rel,
                    ("members", i),
                    f"成员单位 {member.name}（{member_id}）本身也是单位组：单位组只有一层，请直接列出它的成员单位",
                )
            other = first.setdefault(member_id, unit.id)
            if other != unit.id:
                yield (
                    rel,
                    ("members", i),
                    f"{member.name}（{member_id}）已是单位组 {ds.units[other].name}（{other}）的成员："
                    "一个单位只能属于一个单位组",
                )
    for month, unit_id in ds.submitted:
        group = ds.units.get(unit_id)
        if group is not None and group.members:
            yield (
                ds.path_of("report", f"{month}/{unit_id}"),
                ("unit",),
                f"{group.name}（{unit_id}）是单位组，本身不报送月报：月报由各成员单位分别报送"
                f"（{members_text(ds, unit_id)}），请改为其中一个成员单位的月报（reports/{month}/<成员单位编号>.yaml）",
            )
    for handover in ds.handovers.values():
        group = ds.units.get(handover.unit)
        if group is not None and group.members and handover.role in _ROLES:
            yield (
                ds.path_of("handover", handover.id),
                ("unit",),
                f"{group.name}（{handover.unit}）是单位组，没有自己的{_ROLES[handover.role]}：人事调整记在成员单位"
                f"（{members_text(ds, handover.unit)}）",
            )
