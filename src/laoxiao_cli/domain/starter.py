"""The files of a new data repository (`lx init`)."""

from __future__ import annotations

from datetime import date

GROUP = """\
# 专班的基本信息：发文、组长、副组长、办公室与规则。字段说明见 lx 的 README。
name: {name}
document:
  number: （发文字号）
  title: （通知标题）
  issued: {today}
  issuers: []
started: {today}   # 月报、例会等义务从此日起算
goals: []
leaders:
  - {{name: （组长姓名）, title: （职务）}}
deputy_leaders: []
office:
  director_units: []
  deputy_units: []
  staff_units: []
  duties: []
rules:
  meetings: {{every_months: 3}}
  reports: {{due_day: 25}}
  escalation: {{reminder: 7, assignment: 21, supervision: 45, reply_days: 10}}
  scoring: {{on_time: 1.0, late: 0.5, missing_report_penalty: 2}}
"""

WORKFLOW = """\
# 每次推送时校验数据（需要能安装 lx 的环境）。
name: lx validate
on: [push, pull_request]
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {python-version: "3.11"}
      - run: pip install laoxiao-cli
      - run: lx validate --format github
"""

README = """\
# {name} 数据仓库

由 `lx init` 创建。每条记录一个 YAML 文件：`data/units/`（成员单位）、`data/tasks/`（任务）、
`data/meetings/`（会议）、`data/reports/<YYYY-MM>/`（月报）、`data/letters/`（函件）、`data/handovers/`（交接备案）。
修改后运行 `lx validate`。
"""


def starter_files(name: str, today: date) -> dict[str, str]:
    values = {"name": name, "today": today.isoformat()}
    files = {
        "data/group.yaml": GROUP.format(**values),
        "README.md": README.format(**values),
        ".github/workflows/lx-validate.yml": WORKFLOW,
    }
    for folder in ("units", "tasks", "meetings", "reports", "letters", "handovers"):
        files[f"data/{folder}/.gitkeep"] = ""
    return files
