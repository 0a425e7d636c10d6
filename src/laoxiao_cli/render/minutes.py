"""The 会议纪要 as Markdown and as a Word document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from laoxiao_cli.domain.calendar import quarter_label
from laoxiao_cli.render import labels, official
from laoxiao_cli.render.common import Renderer
from laoxiao_cli.render.official import chinese_date

if TYPE_CHECKING:
    from laoxiao_cli.domain.minutes import MinuteDecision, Minutes


def _kind(m: Minutes) -> str:
    """A regular meeting is its quarter's: 2022年第三季度专班例会."""
    return (quarter_label(m.quarter) if m.kind == "regular" else "") + labels.MEETING_KINDS[m.kind]


MARK_BELOW_TOP = 35
"""mm from the top of the text block to the top of the 纪要's mark (GB/T 9704-2012 10.3)."""


def mark(m: Minutes) -> str:
    """The 纪要标志: the group's short name + 会议纪要."""
    return f"{m.short_name}会议纪要"


def _issue(m: Minutes) -> str:
    return f"第{m.number}期"


def _office(m: Minutes) -> str:
    return official.issuer(m.doc, m.short_name)


def _title(m: Minutes) -> str:
    return f"{_kind(m)}纪要"


def attendance(m: Minutes) -> list[tuple[str, str]]:
    """The lists at the end: 出席、列席、请假 from ``attendance`` (those with anyone in them), else 出席 with the
    attending units."""
    if not m.attendance:
        return [("出席：", "、".join(m.attendees) or "（未记录）")]
    groups = (("出席：", m.present), ("列席：", m.attending), ("请假：", m.absent))
    return [(label, "、".join(official.person(p) for p in people)) for label, people in groups if people]


def _decision(d: MinuteDecision) -> str:
    parts = [
        p for p in (f"牵头单位：{d.lead}" if d.lead else "", f"完成时限：{chinese_date(d.due)}" if d.due else "") if p
    ]
    if d.task:
        parts.append(f"跟踪任务：{d.task}" + (f"（{d.task_title}）" if d.task_title else ""))
    tail = f"（{'；'.join(parts)}）" if parts else ""
    return f"{d.number}、{d.text}{tail}"


def _opening(m: Minutes) -> list[str]:
    lines = [f"{chinese_date(m.date)}，{m.chair}主持召开{_kind(m)}。"]
    if m.agenda:
        lines.append("会议议题：" + "；".join(m.agenda) + "。")
    if m.heard:
        lines.append("会议听取了" + "、".join(m.heard) + "等单位阶段性工作推进情况的汇报。")
    if m.reviewed:
        lines.append("会议审议了" + "、".join(m.reviewed) + "。")
    lines.append("现将会议议定事项纪要如下：")
    return lines


def markdown(m: Minutes) -> str:
    out = [mark(m), "", _issue(m), "", f"{_office(m)}\u3000\u3000{chinese_date(m.issued)}", "", f"# {_title(m)}", ""]
    out += [*(line + "\n" for line in _opening(m))]
    out += [_decision(d) + "\n" for d in m.decisions] or ["（本次会议无议定事项）\n"]
    out += [f"**{label}**{names}  " for label, names in attendance(m)]
    return "\n".join(out).rstrip(" ") + "\n"


def docx(m: Minutes) -> bytes:
    """The minutes in the 纪要格式 of GB/T 9704-2012."""
    from laoxiao_cli.render.docx_doc import OfficialDocument

    doc = OfficialDocument()
    doc.red_mark(mark(m), MARK_BELOW_TOP)
    doc.centred(_issue(m), before_lines=1)
    doc.red_rule(doc.issuer_line(_office(m), m.issued))
    doc.blank()
    doc.title(_title(m))
    for line in _opening(m):
        doc.para(line)
    for d in m.decisions:
        doc.para(_decision(d))
    if not m.decisions:
        doc.para("（本次会议无议定事项）")
    doc.blank()
    for label, names in attendance(m):
        doc.people(label, names)
    return doc.to_bytes()


FORMATS: dict[str, Renderer[Minutes]] = {
    "markdown": lambda m, view: markdown(m),
    "docx": lambda m, view: docx(m),
}
