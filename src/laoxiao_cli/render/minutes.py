"""The 会议纪要 as Markdown and as a Word document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from laoxiao_cli.domain.calendar import quarter_label
from laoxiao_cli.render import labels
from laoxiao_cli.render.common import Renderer
from laoxiao_cli.render.docx_doc import OfficialDocument, chinese_date

if TYPE_CHECKING:
    from laoxiao_cli.domain.minutes import MinuteDecision, Minutes


def _kind(m: Minutes) -> str:
    """A regular meeting is its quarter's: 2022年第三季度专班例会."""
    return (quarter_label(m.quarter) if m.kind == "regular" else "") + labels.MEETING_KINDS[m.kind]


def _title(m: Minutes) -> str:
    return f"{m.short_name}会议纪要"


def _office(m: Minutes) -> str:
    return f"{m.short_name}办公室"


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
    out = [f"# {_title(m)}", "", f"（{_kind(m)}，{chinese_date(m.date)}）", ""]
    out += [*(line + "\n" for line in _opening(m))]
    out += [_decision(d) + "\n" for d in m.decisions] or ["（本次会议无议定事项）\n"]
    out += [f"**参会单位**：{'、'.join(m.attendees) or '（未记录）'}", "", f"{_office(m)}  ", chinese_date(m.date), ""]
    return "\n".join(out)


def docx(m: Minutes) -> bytes:
    doc = OfficialDocument()
    doc.title(_title(m))
    doc.subtitle(f"（{_kind(m)}）")
    doc.blank()
    for line in _opening(m):
        doc.para(line)
    for d in m.decisions:
        doc.para(_decision(d))
    if not m.decisions:
        doc.para("（本次会议无议定事项）")
    doc.blank()
    doc.para(f"参会单位：{'、'.join(m.attendees) or '（未记录）'}", indent=False)
    doc.signature(_office(m), m.date)
    return doc.to_bytes()


FORMATS: dict[str, Renderer[Minutes]] = {
    "markdown": lambda m, view: markdown(m),
    "docx": lambda m, view: docx(m),
}
