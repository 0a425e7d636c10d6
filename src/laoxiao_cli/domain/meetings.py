"""Recording a meeting (spec 8.3): holding it, and the decisions (议定事项) it takes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from laoxiao_cli.domain.lookup import find
from laoxiao_cli.errors import LxError
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.leader_checks import terms_of
from laoxiao_cli.model.records import Meeting
from laoxiao_cli.model.tenure import names_in_office
from laoxiao_cli.model.types import ID_RE, ID_RULE

MeetingKind = Literal["regular", "special"]


@dataclass(frozen=True, slots=True)
class Holding:
    """What `lx meeting hold` records: the meeting as held, and whether its file is new."""

    meeting: Meeting
    new: bool


def hold(
    ds: Dataset,
    meeting_id: str,
    day: date,
    today: date,
    chair: str,
    on_behalf_of: str | None = None,
    attendees: list[str] | None = None,
    heard: list[str] | None = None,
    kind: MeetingKind | None = None,
) -> Holding:
    """The meeting held on ``day`` (units already resolved to ids); refused when it is already held, the
    day is after today, or the chair is neither a 组长 nor a 副组长 acting for a 组长 (spec 2)."""
    if not ID_RE.match(meeting_id):
        raise LxError(f"会议编号“{meeting_id}”不合规：{ID_RULE}")
    planned = ds.meetings.get(meeting_id)
    if planned is not None and planned.status == "held":
        raise LxError(f"会议 {meeting_id} 已于 {planned.date} 召开：不重复记录")
    if day > today:
        raise LxError(f"会议日期 {day} 晚于今天（{today}）：还没有召开的会议不能记录为已召开")
    check_chair(ds, chair, on_behalf_of, day)
    meeting = Meeting(
        id=meeting_id,
        kind=kind or (planned.kind if planned else "regular"),
        status="held",
        date=day,
        chair=chair,
        on_behalf_of=on_behalf_of,
        attendees=list(attendees if attendees is not None else planned.attendees if planned else []),
        agenda=list(planned.agenda) if planned else [],
        heard=list(heard if heard is not None else planned.heard if planned else []),
        reviewed=list(planned.reviewed) if planned else [],
        decisions=list(planned.decisions) if planned else [],
    )
    return Holding(meeting, planned is None)


def check_chair(ds: Dataset, chair: str, on_behalf_of: str | None, day: date) -> None:
    """A 组长 chairs alone; a 副组长 chairs on behalf of a 组长 — those in office on ``day`` (spec 6.10)."""
    leaders = names_in_office(ds.group.leaders, day)
    deputies = names_in_office(ds.group.deputy_leaders, day)
    if chair in leaders:
        if on_behalf_of is not None:
            raise LxError(f"{chair} 是组长：组长主持会议时不填 --on-behalf-of")
    elif chair in deputies:
        if on_behalf_of is None:
            raise LxError(f"副组长 {chair} 主持会议须用 --on-behalf-of 写明受哪位组长委托（{'、'.join(leaders)}）")
        if on_behalf_of not in leaders:
            terms = terms_of(ds.group, on_behalf_of, ("leaders",))
            what = f"在 {day} 不是在任的组长（{terms}）" if terms else "不是组长"
            raise LxError(f"“{on_behalf_of}”{what}；--on-behalf-of 应为：{'、'.join(leaders)}")
    elif terms := terms_of(ds.group, chair, ("leaders", "deputy_leaders")):
        raise LxError(
            f"主持人“{chair}”在 {day} 不在任（{terms}）；当天在任的组长、副组长：{'、'.join(leaders + deputies)}"
        )
    else:
        raise LxError(f"主持人“{chair}”不是组长或副组长；应为：{'、'.join(leaders + deputies)}")


def held_meeting(ds: Dataset, meeting_id: str) -> Meeting:
    """The meeting a decision is added to: it must exist and have been held."""
    meeting = find(ds.meetings, meeting_id, "会议")
    if meeting.status != "held":
        raise LxError(f"会议 {meeting_id} 尚未召开：先用 lx meeting hold 记录召开，再记录议定事项")
    return meeting


def meeting_data(meeting: Meeting) -> dict[str, object]:
    """A new meeting file, with every key of the bundled data's meetings (the lists to fill in later)."""
    return {
        "id": meeting.id,
        "kind": meeting.kind,
        "status": meeting.status,
        "date": meeting.date,
        "chair": meeting.chair,
        "on_behalf_of": meeting.on_behalf_of,
        "attendees": list(meeting.attendees),
        "agenda": list(meeting.agenda),
        "heard": list(meeting.heard),
        "reviewed": list(meeting.reviewed),
        "decisions": [d.model_dump(exclude_none=True) for d in meeting.decisions],
    }
