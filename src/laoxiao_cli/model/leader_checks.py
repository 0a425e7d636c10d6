"""The rules of the group's posts over time (spec 6.10): the terms in group.yaml, a meeting's chair as of
its date, and a 组长's or 副组长's handover record against group.yaml. Called from checks.py, located the
same way (a path inside the record)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Literal

from laoxiao_cli.model.findings import Loc
from laoxiao_cli.model.records import GROUP_UNIT, LEADER_ROLES, Group, Handover, Leader, Meeting
from laoxiao_cli.model.tenure import Term, names_in_office, overlap, span

Issue = tuple[Loc, str]
PostList = Literal["leaders", "deputy_leaders"]
POSTS: dict[str, tuple[PostList, str]] = {"leader": ("leaders", "组长"), "deputy_leader": ("deputy_leaders", "副组长")}
"""A handover role → the list of group.yaml that holds the post, and the post's name."""


def group_issues(g: Group) -> Iterator[Issue]:
    for key, label in POSTS.values():
        people: Sequence[Leader] = getattr(g, key)
        yield from _backwards((key,), people, label)
        yield from _repeats((key,), people, label)
    yield from _backwards(("office", "staff"), g.office.staff, "专班办公室人员")
    coordinators = [(i, d) for i, d in enumerate(g.deputy_leaders) if d.coordinator]
    for n, (j, later) in enumerate(coordinators):
        earlier = next(((i, d) for i, d in coordinators[:n] if overlap(d, later)), None)
        if earlier is not None:
            i, first = earlier
            yield (
                ("deputy_leaders", j, "coordinator"),
                f"牵头协调人（coordinator: true）同一时间只能有一位：{later.name}{_when(later)}与第 {i + 1} 项的 "
                f"{first.name}{_when(first)}任期重叠；更换牵头协调人时给原任写 until、新任写 from",
            )


def _backwards(loc: Loc, people: Sequence[Term], label: str) -> Iterator[Issue]:
    for i, p in enumerate(people):
        if p.from_ is not None and p.until is not None and p.until < p.from_:
            yield (
                (*loc, i, "until"),
                f"{label} {p.name} 的任职截止日期 until（{p.until}）早于起始日期 from（{p.from_}）："
                "from 是在任的第一天，until 是最后一天",
            )


def _repeats(loc: Loc, people: Sequence[Term], label: str) -> Iterator[Issue]:
    for j, later in enumerate(people):
        i = next((i for i, p in enumerate(people[:j]) if p.name == later.name and overlap(p, later)), None)
        if i is not None:
            yield (
                (*loc, j, "name"),
                f"{label}“{later.name}”重复：本项任期{_when(later)}与第 {i + 1} 项{_when(people[i])}重叠；"
                "同一人再次任职时另写一项，两段任期不能重叠",
            )


def _when(p: Term) -> str:
    return f"（{span(p) or '未写任期起止'}）"


# --- a meeting's chair, as of its date -------------------------------------------------------------


def chair_issues(g: Group, m: Meeting) -> Iterator[Issue]:
    """A 组长 in office on the meeting's date chairs alone; a 副组长 in office chairs on behalf of one."""
    if not m.chair:
        return
    leaders = names_in_office(g.leaders, m.date)
    deputies = names_in_office(g.deputy_leaders, m.date)
    if m.chair in leaders:
        if m.on_behalf_of is not None:
            yield ("on_behalf_of",), "组长主持会议时不填 `on_behalf_of`（受委托人）"
    elif m.chair in deputies:
        if m.on_behalf_of is None:
            yield (
                ("chair",),
                f"副组长 {m.chair} 主持会议须写明 `on_behalf_of`：受哪位组长委托（{_names(sorted(leaders))}）",
            )
        elif m.on_behalf_of not in leaders:
            terms = terms_of(g, m.on_behalf_of, ("leaders",))
            yield (
                ("on_behalf_of",),
                f"“{m.on_behalf_of}”在 {m.date} 不是在任的组长（{terms}）；会议当天在任的组长：{_names(leaders)}"
                if terms
                else f"“{m.on_behalf_of}”不是组长；应为：{_names(sorted(leaders))}",
            )
    else:
        terms = terms_of(g, m.chair, ("leaders", "deputy_leaders"))
        allowed = _names(leaders + deputies)
        yield (
            ("chair",),
            f"主持人“{m.chair}”在 {m.date} 不在任（{terms}）；会议当天在任的组长、副组长：{allowed}"
            if terms
            else f"主持人“{m.chair}”不是组长或副组长；应为：{allowed}",
        )


def terms_of(g: Group, name: str, keys: Sequence[PostList]) -> str:
    """``name``'s terms in the lists ``keys`` of group.yaml, in words (``组长 至 2022-12-31``); '' if none."""
    labels = {key: label for key, label in POSTS.values()}
    terms = [f"{labels[key]} {span(p)}".strip() for key in keys for p in getattr(g, key) if p.name == name]
    return "；".join(terms)


def _names(names: Sequence[str]) -> str:
    return "、".join(names) or "（无）"


# --- a 组长's or 副组长's handover record ---------------------------------------------------------------


def record_issues(h: Handover) -> Iterator[Issue]:
    """The record alone: ``unit: group``, its id ``<effective>-group-<role>`` (``-2``, ``-3``, … for a
    second change of the post on one day), titles."""
    if h.unit != GROUP_UNIT:
        yield ("unit",), f"组长、副组长的交接记录不属于某个成员单位：unit 应为 {GROUP_UNIT}"
    base = f"{h.effective.isoformat()}-{GROUP_UNIT}-{h.role}"
    suffix = h.id.removeprefix(base)
    if h.id != base and not (suffix.startswith("-") and suffix[1:].isdigit() and int(suffix[1:]) >= 2):
        yield ("id",), f"交接记录编号应为“生效日期-{GROUP_UNIT}-角色”，即“{base}”（同一天的第二次起加 -2、-3…）"
    label = POSTS[h.role][1]
    for key, person in (("from", h.from_), ("to", h.to)):
        if person is not None and not person.title:
            yield (key,), f"{label}须写明职务 `title`（如 区委书记）"


def handover_issues(g: Group, h: Handover) -> Iterator[Issue]:
    """group.yaml agrees with the record: the successor's term starts on ``effective``, the
    predecessor's ends the day before."""
    if h.role not in LEADER_ROLES:
        return
    key, label = POSTS[h.role]
    people: Sequence[Leader] = getattr(g, key)
    if not any(p.name == h.to.name and p.from_ == h.effective for p in people):
        yield (
            ("to",),
            f"group.yaml 的 {key} 中没有 {h.to.name} 自 {h.effective} 起任{label}的一项（from: {h.effective}）："
            "交接记录与 group.yaml 应一致",
        )
    if h.from_ is not None:
        last = h.effective - timedelta(days=1)
        if not any(p.name == h.from_.name and p.until == last for p in people):
            yield (
                ("from",),
                f"group.yaml 的 {key} 中没有 {h.from_.name} 任{label}至 {last} 的一项（until: {last}，生效日期的前一天）："
                "交接记录与 group.yaml 应一致",
            )
