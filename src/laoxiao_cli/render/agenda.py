"""The office's draft agenda for the next regular meeting, as Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from laoxiao_cli.domain.calendar import month_label, quarter_label
from laoxiao_cli.render import labels
from laoxiao_cli.render.common import markdown_table
from laoxiao_cli.render.progress import COLOUR_WORDS, warning

if TYPE_CHECKING:
    from laoxiao_cli.domain.agenda import Agenda


def _colour(a: Agenda, task_id: str) -> str:
    colour = a.colours.get(task_id)
    return COLOUR_WORDS[colour] if colour else ""


def markdown(a: Agenda) -> str:
    out = [
        f"# {quarter_label(a.quarter)}专班例会议程（草案）",
        "",
        f"专班办公室 {a.as_of.isoformat()} 拟；拟于 {a.planned_date.isoformat()} 前后召开（会议编号 {a.meeting_id}）。",
        "",
        "## 一、听取各成员单位阶段性工作推进情况",
        "",
        "、".join(name for _, name in a.units) + f"（共 {len(a.units)} 家）。",
        "",
        "## 二、协调解决逾期任务",
        "",
    ]
    if a.overdue_by_unit:
        for name, items in a.overdue_by_unit:
            out.append(f"- **{name}**：" + "；".join(f"{t.title}（{t.id}，逾期 {days} 天）" for t, days in items))
    else:
        out.append("无逾期任务。")
    if a.warnings:
        names = dict(a.units)
        out += ["", f"预警任务（黄色，尚未逾期，须提前协调）：{len(a.warnings)} 项", ""]
        out += [f"- {warning(g, a.as_of, names)}" for g in a.warnings]
    out += ["", "## 三、重点项目推进情况", ""]
    if a.key_projects:
        rows = [
            [t.id, t.title, lead, due, labels.TASK_STATES[state], _colour(a, t.id)]
            for t, lead, state, due in a.key_projects
        ]
        out.append(markdown_table(["编号", "项目", "牵头单位", "截止日期", "状态", "预警"], rows))
    else:
        out.append("无重点项目。\n")
    out += ["## 四、上次会议议定事项落实情况", ""]
    if a.last_meeting is None:
        out.append("此前尚未召开专班会议。")
    elif a.open_decisions:
        out.append(f"{a.last_meeting.date.isoformat()} 会议（{a.last_meeting.id}）尚未完成的议定事项：")
        out.append("")
        for n, decision, lead, task in a.open_decisions:
            due = f"，时限 {decision.due.isoformat()}" if decision.due else ""
            tracked = f"，跟踪任务 {task.id}" if task else ""
            out.append(f"{n}. {decision.text}（牵头 {lead}{due}{tracked}）")
    else:
        out.append(f"{a.last_meeting.date.isoformat()} 会议（{a.last_meeting.id}）的议定事项均已完成。")
    out += ["", "## 五、月报报送情况", ""]
    if a.missing_reports:
        out += [f"- {name}：缺报 {'、'.join(month_label(m) for m in months)}" for name, months in a.missing_reports]
    else:
        out.append("各单位月报均已按时报送。")
    out += ["", "## 六、各单位反映的困难、建议和下步工作思路（最近一期月报）", ""]
    if a.raised:
        words = labels.REPORT_SECTIONS
        for name, report in a.raised:
            raised = [f"{words['difficulties']}：{x}" for x in report.difficulties]
            raised += [f"{words['suggestions']}：{x}" for x in report.suggestions]
            raised += [f"{words['plans']}：{x}" for x in report.plans]
            out.append(f"- **{name}**（{month_label(report.month)}）：" + "；".join(raised))
    else:
        out.append("无。")
    out += ["", "## 七、部署下一阶段工作任务", "", "（由专班办公室会前研究提出需提交会议议定的事项。）", ""]
    return "\n".join(out)
