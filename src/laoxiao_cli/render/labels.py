"""The Chinese words for the English kinds in the results: one place for every renderer and command.

The domain speaks in ``Literal`` kinds ("reminder", "lead", "overdue"); only what a user reads is Chinese.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from laoxiao_cli.domain.checklist import ListName
    from laoxiao_cli.domain.handover import HandoverRole
    from laoxiao_cli.domain.history import ChangeAction
    from laoxiao_cli.domain.minutes import MeetingKind
    from laoxiao_cli.domain.overdue import OverdueKind
    from laoxiao_cli.domain.report_form import Section as ReportSection
    from laoxiao_cli.domain.reports import ReportState
    from laoxiao_cli.domain.rules import TaskRole, TaskState
    from laoxiao_cli.model.records import DueMonth, LetterKind

LETTER_KINDS: dict[LetterKind, str] = {"reminder": "提醒函", "assignment": "交办函", "supervision": "督办函"}
OVERDUE_KINDS: dict[OverdueKind, str] = {"task": "任务", "milestone": "节点", "report": "月报", "meeting": "例会"}
TASK_ROLES: dict[TaskRole, str] = {"lead": "牵头", "support": "配合"}
"""A unit's part in a task."""
PERSON_ROLES: dict[HandoverRole, str] = {
    "member": "专班成员",
    "liaison": "联络员",
    "leader": "组长",
    "deputy_leader": "副组长",
}
"""A person's post in a unit, or in the group (the posts a handover changes)."""
TASK_STATES: dict[TaskState, str] = {
    "open": "进行中",
    "overdue": "已逾期",
    "done": "已完成",
    "done_late": "逾期完成",
    "cancelled": "已取消",
}
REPORT_STATES: dict[ReportState, str] = {
    "submitted": "已报送",
    "late": "逾期报送",
    "missing": "未报送（已逾期）",
    "pending": "未报送（未到期）",
    "not_owed": "无需报送",
}
REPORT_SECTIONS: dict[ReportSection, str] = {
    "difficulties": "困难",
    "suggestions": "建议",
    "plans": "工作思路",
    "practices": "经验做法",
}
"""A report's lists, as a view names one item of each (``困难：…``)."""
REPORT_DUE_MONTHS: dict[DueMonth, str] = {"same": "每月", "next": "次月"}
"""Where a report's ``due_day`` falls (``rules.reports.due_month``): ``每月 25 日``, ``次月 5 日``."""
CHECKLISTS: dict[ListName, str] = {"tasks": "任务清单", "duties": "责任清单", "targets": "目标清单"}
CHANGE_ACTIONS: dict[ChangeAction, str] = {
    "created": "新建",
    "changed": "修改",
    "deleted": "删除",
    "unreadable": "（该版本无法解析）",
    "shallow": "浅克隆的起点（更早的历史不在本地，无从得知此前的改动）",
}
MEETING_KINDS: dict[MeetingKind, str] = {"regular": "专班例会", "special": "专班专题会议"}

RECORD_KINDS: dict[str, str] = {
    "group": "专班",
    "unit": "单位",
    "task": "任务",
    "meeting": "会议",
    "report": "月报",
    "letter": "函件",
    "handover": "交接",
    "calendar": "工作日历",
}
CHANGE_STATES: dict[str, str] = {"added": "新增", "modified": "修改", "deleted": "删除"}

if TYPE_CHECKING:
    from laoxiao_cli.domain.deadlines import DeadlineKind

DEADLINE_TAGS: dict[DeadlineKind, str] = {
    "task_due": "任务到期",
    "milestone": "节点到期",
    "report_due": "月报",
    "meeting": "会议",
    "letter_reply": "函件回复",
}
"""The bracketed tag that begins a calendar event's title (``【任务到期】…``)."""
DEADLINE_CATEGORIES: dict[DeadlineKind, str] = {
    "task_due": "任务",
    "milestone": "任务节点",
    "report_due": "月报",
    "meeting": "会议",
    "letter_reply": "函件",
}
"""A calendar event's category (CATEGORIES), by kind."""
