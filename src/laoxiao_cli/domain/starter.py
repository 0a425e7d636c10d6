"""The files of a new data repository (`lx init`)."""

from __future__ import annotations

import json
from datetime import date

from laoxiao_cli.domain.ci_files import Ci, ci_file
from laoxiao_cli.model.kinds import BY_NAME, KINDS, NESTED
from laoxiao_cli.model.schema import schemas

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
  reports: {{due_day: 25, due_month: same}}   # same：当月 due_day 日前报送；next：次月 due_day 日前报送上月情况
  escalation: {{reminder: 7, assignment: 21, supervision: 45, reply_days: 10}}
  scoring: {{on_time: 1.0, late: 0.5, missing_report_penalty: 2}}
"""

README = """\
# {name} 数据仓库

由 `lx init` 创建。每条记录一个 YAML 文件：`data/units/`（成员单位）、`data/tasks/`（任务）、
`data/meetings/`（会议）、`data/reports/<YYYY-MM>/`（月报）、`data/letters/`（函件）、`data/handovers/`（交接备案）。
修改后运行 `lx validate`。`schemas/` 中是每类记录的 JSON Schema：用 VS Code 并装有 Red Hat 的 YAML 插件时，
编辑这些文件即有字段提示和检查（设置见 `.vscode/settings.json`；升级 lx 后可运行 `lx schema -o schemas` 更新）。
"""

SCHEMAS = "schemas"


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def editor_files() -> dict[str, str]:
    """``schemas/<kind>.schema.json`` (as ``lx schema -o schemas`` writes them) and the VS Code settings
    that apply each to its data folder's files (the ``yaml.schemas`` setting of the Red Hat YAML
    extension: schema path relative to the workspace → glob), plus the recommendation of that extension."""
    files: dict[str, str] = {}
    mapping: dict[str, str] = {}
    for kind, doc in schemas().items():
        rel = f"{SCHEMAS}/{kind}.schema.json"
        files[rel] = _json(doc)
        record = BY_NAME[kind]
        mapping[f"./{rel}"] = "data/" + record.path(("*", "*") if record.name in NESTED else "*")
    files[".vscode/settings.json"] = _json({"yaml.schemas": mapping})
    files[".vscode/extensions.json"] = _json({"recommendations": ["redhat.vscode-yaml"]})
    return files


def starter_files(name: str, today: date, ci: Ci | None = None, lx_source: str = "") -> dict[str, str]:
    """Every file of the first commit: the group file, an empty folder per record kind, the schemas and
    editor settings, and with ``ci`` the CI file that installs lx from ``lx_source``."""
    values = {"name": name, "today": today.isoformat()}
    files = {
        "data/group.yaml": GROUP.format(**values),
        "README.md": README.format(**values),
    }
    for kind in KINDS:
        if kind.folder:
            files[f"data/{kind.folder}/.gitkeep"] = ""
    files.update(editor_files())
    if ci is not None:
        path, text = ci_file(ci, lx_source)
        files[path] = text
    return files
