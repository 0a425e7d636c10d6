"""Naming a unit on the command line: by id, by name, or by an alias; a unit's part in a task, a group's
members (spec 6.11) passing for it."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from laoxiao_cli.errors import LxError
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Task

if TYPE_CHECKING:
    from laoxiao_cli.domain.rules import TaskRole


def resolve_unit(ds: Dataset, text: str) -> str:
    """The unit id for ``text``; an LxError listing the closest matches when there is none."""
    given = text.strip()
    if not given:
        raise LxError("单位不能为空：请写单位编号、名称或别名（如 minzheng 或 区民政局）")
    found = ds.unit_names.get(given)
    if found is None:  # ids are lower case: MINZHENG, Minzheng mean minzheng
        found = ds.unit_names.get(given.lower()) if given.lower() in ds.units else None
    if found is not None:
        return found
    candidates = list(ds.unit_names)
    close = difflib.get_close_matches(text, candidates, n=5, cutoff=0.3)
    close += [c for c in candidates if text and (text in c or c in text) and c not in close]
    names = []
    for name in close:
        unit = ds.units[ds.unit_names[name]]
        label = f"{unit.name}（{unit.id}）"
        if label not in names:
            names.append(label)
    hint = f"；是否是：{'、'.join(names[:5])}？" if names else "；可用单位编号、名称或别名，见 data/units/"
    raise LxError(f"没有名为“{text}”的单位{hint}")


def unit_name(ds: Dataset, unit_id: str) -> str:
    unit = ds.units.get(unit_id)
    return unit.name if unit is not None else unit_id


def role(ds: Dataset, task: Task, unit_id: str) -> TaskRole | None:
    """``unit_id``'s part in ``task``: it leads it (as its lead, or as a member of the group that leads it),
    supports it (likewise), or has none."""
    if unit_id == task.lead or unit_id in ds.lead_units(task):
        return "lead"
    if unit_id in task.support or unit_id in ds.support_units(task):
        return "support"
    return None


def not_a_group(ds: Dataset, unit_id: str, why: str) -> str:
    """``unit_id``, refused when it is a group (spec 6.11): ``why`` says what is done for each member."""
    unit = ds.units.get(unit_id)
    if unit is None or not unit.members:
        return unit_id
    members = "、".join(f"{ds.units[m].name}（{m}）" for m in ds.members(unit_id))
    raise LxError(f"{unit.name}（{unit_id}）是单位组：{why}，请用 --unit 指定其中一个成员单位：{members or '无'}")
