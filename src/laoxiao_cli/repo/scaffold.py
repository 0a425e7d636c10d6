"""A monthly report scaffold: a valid YAML file with a comment above every field saying what to write."""

from __future__ import annotations

from laoxiao_cli.repo.yamlio import scalar_text


def report_scaffold(unit: str, unit_name: str, month: str, by: str | None, tasks: list[tuple[str, str]]) -> str:
    """Left unfilled: ``submitted: null`` until the liaison reports (a scaffold is not a report)."""
    lines = [
        f"# {unit_name} {month} 月度工作报告（lx reports new 生成）。填写后运行 lx save（校验并提交）。",
        "# 单位编号（不要修改）",
        f"unit: {unit}",
        "# 报告月份（不要修改）",
        f"month: '{month}'",
        "# 报送日期：实际报送当天，YYYY-MM-DD（填写前，这份月报不算已报送）",
        "submitted: null",
        "# 报送人：联络员姓名",
        f"by: {scalar_text(by) if by else 'null'}",
        "# 本单位牵头或配合的在办任务进展：percent 为完成百分比（0–100），note 写本月进展",
    ]
    if tasks:
        lines.append("progress:")
        for task_id, title in tasks:
            lines += [f"  - task: {task_id}   # {title}", "    percent: null", "    note: null"]
    else:
        lines.append("progress: []")
    lines += [
        "# 工作中存在的困难（每条一行，以“- ”开头；没有则保留 []）",
        "difficulties: []",
        "# 意见和建议",
        "suggestions: []",
        "# 下步工作思路",
        "plans: []",
        "# 可复制、可推广的工作做法和经验",
        "practices: []",
        "",
    ]
    return "\n".join(lines)
