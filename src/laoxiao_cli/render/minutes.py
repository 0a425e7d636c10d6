"""The 会议纪要 as Markdown and as a Word document."""

from __future__ import annotations

from laoxiao_cli.domain.minutes import MinuteDecision, Minutes
from laoxiao_cli.render.docx_doc import OfficialDocument, chinese_date


def _decision(d: MinuteDecision) -> str:
    parts = [
        p for p in (f"牵头单位：{d.lead}" if d.lead else "", f"完成时限：{chinese_date(d.due)}" if d.due else "") if p
    ]
    if d.task:
        parts.append(f"跟踪任务：{d.task}" + (f"（{d.task_title}）" if d.task_title else ""))
    tail = f"（{'；'.join(parts)}）" if parts else ""
    return f"{d.number}、{d.text}{tail}"


def _opening(m: Minutes) -> list[str]:
    lines = [f"{chinese_date(m.date)}，{m.chair}主持召开{m.kind}。"]
    if m.agenda:
        lines.append("会议议题：" + "；".join(m.agenda) + "。")
    if m.heard:
        lines.append("会议听取了" + "、".join(m.heard) + "等单位阶段性工作推进情况的汇报。")
    if m.reviewed:
        lines.append("会议审议了" + "、".join(m.reviewed) + "。")
    lines.append("现将会议议定事项纪要如下：")
    return lines


def markdown(m: Minutes) -> str:
    out = [f"# {m.title}", "", f"（{m.kind}，{chinese_date(m.date)}）", ""]
    out += [*(line + "\n" for line in _opening(m))]
    out += [_decision(d) + "\n" for d in m.decisions] or ["（本次会议无议定事项）\n"]
    out += [f"**参会单位**：{'、'.join(m.attendees) or '（未记录）'}", "", f"{m.office}  ", chinese_date(m.date), ""]
    return "\n".join(out)


def docx(m: Minutes) -> bytes:
    doc = OfficialDocument()
    doc.title(m.title)
    doc.subtitle(f"（{m.kind}）")
    doc.blank()
    for line in _opening(m):
        doc.para(line)
    for d in m.decisions:
        doc.para(_decision(d))
    if not m.decisions:
        doc.para("（本次会议无议定事项）")
    doc.blank()
    doc.para(f"参会单位：{'、'.join(m.attendees) or '（未记录）'}", indent=False)
    doc.signature(m.office, m.date)
    return doc.to_bytes()
