"""The registry of `lx`'s commands: name → where it is defined and the summary `lx --help` lists.

A command's module is imported, and turned into a Click command by Typer, only when that command is used
(or its own help is asked for): `lx --help` imports none of them, and `lx status` only status's. The
summary is the first sentence of the command's help; tests/test_help.py checks each against the command.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any

from laoxiao_cli.cli.helptext import summary

COMMANDS: dict[str, tuple[str, str, str]] = {
    "validate": ("validate", "validate", "检查所有数据文件及相互引用；无问题退出码 0，有问题退出码 1。"),
    "status": (
        "status_cmd",
        "status",
        "专班工作总览：任务完成情况、各单位在办与逾期、联络员、缺报月报、会议与待回复函件。",
    ),
    "overdue": (
        "overdue_cmd",
        "overdue",
        "逾期事项：任务、节点、月报、例会，含逾期天数和应发的函件（提醒函/交办函/督办函）。",
    ),
    "checklist": ("checklist_cmd", "checklist", "任务清单、责任清单、目标清单（目标具体化、任务项目化、责任清单化）。"),
    "progress": (
        "progress_cmd",
        "progress",
        "序时进度与三色预警：每项在办任务按时间应完成的进度、最近月报报送的进度、滞后多少，红（逾期）、黄（滞后超过容差或临近截止）、绿。",
    ),
    "reports": (
        "reports_cmd",
        "app",
        "月报：查看各单位报送情况；lx reports new 生成月报模板；lx reports form / import 发出和导入月报表（xlsx）。",
    ),
    "handover": (
        "handover_cmd",
        "handover",
        "人员调整交接：写交接备案记录、更新单位文件（组长、副组长：group.yaml），并做一次 Git 提交；输出继任者的交接清单。",
    ),
    "history": (
        "history_cmd",
        "history",
        "一条记录的 Git 历史：每次提交的时间、作者、说明，以及改动了哪些字段（旧值 → 新值）。",
    ),
    "save": (
        "save_cmd",
        "save",
        "校验手工修改过的数据文件，通过后把 data/ 中的全部修改（修改、新增、删除）做一次提交；有问题则什么也不提交。",
    ),
    "sync": (
        "sync_cmd",
        "sync",
        "与共享仓库同步：拉取其他单位的提交，合并（本地与共享仓库重复的任务、函件编号自动改号），校验后推送。",
    ),
    "meeting": ("meeting_cmd", "app", "专班会议：会前议程草案、记录召开与议定事项、会后会议纪要。"),
    "letters": (
        "letters_cmd",
        "app",
        "函件：按升级规则列出应发的提醒函、交办函、督办函；lx letters issue 发出，lx letters reply 记录回复。",
    ),
    "task": ("task_cmd", "app", "任务：新增、办结、取消、申请延期及其决定（不必手工编辑 YAML）。"),
    "score": (
        "score_cmd",
        "score",
        "阶段性赋分：各单位在考核期内牵头任务的完成得分，扣除缺报月报（默认按考核期末或今天——取较早者——的情况计算）。",
    ),
    "bulletin": (
        "bulletin_cmd",
        "bulletin",
        "月度工作通报：本月完成的任务、逾期任务、会议议定事项落实、月报报送、函件、各单位完成率、亮点做法（按该月最后一天计算，--as-of 更早时按 --as-of）；docx 为 GB/T 9704-2012 公文格式。",
    ),
    "site": (
        "site_cmd",
        "site",
        "工作看板网页：总体数字与三色预警、各单位任务条形图、每月完成与逾期、月报报送表、逾期事项、上次会议议定事项落实情况、待回复函件。",
    ),
    "calendar": (
        "calendar_cmd",
        "app",
        "日程与工作日历：导出 .ics 日程（任务、节点、月报、会议、函件回复）；init YYYY 生成工作日历文件。",
    ),
    "codeowners": (
        "codeowners_cmd",
        "codeowners",
        "生成 CODEOWNERS：各单位的月报和单位文件归本单位联络员（liaison.account）与专班办公室人员（office.staff），其余归专班办公室。",
    ),
    "schema": ("schema_cmd", "schema", "输出每类记录的 JSON Schema，供编辑器（如 VS Code 的 YAML 插件）提示与检查。"),
    "init": ("init_cmd", "init", "新建一个最小的、可通过校验的数据仓库（git init 并做第一次提交）。"),
}
"""Name → (module under laoxiao_cli.cli, its function or Typer app, the summary), in the order `lx --help`
lists them."""


def load(name: str) -> Any:
    """The Click command of one registered command, made by Typer from its function or Typer app."""
    from typer.main import get_command_from_info, get_group_from_info
    from typer.models import CommandInfo, TyperInfo

    from laoxiao_cli.cli.helptext import LxCommand

    module_name, attribute, _ = COMMANDS[name]
    target = getattr(importlib.import_module(f"laoxiao_cli.cli.{module_name}"), attribute)
    if callable(target) and not hasattr(target, "registered_commands"):
        return get_command_from_info(
            CommandInfo(name=name, cls=LxCommand, callback=target), pretty_exceptions_short=True, rich_markup_mode=None
        )
    return get_group_from_info(
        TyperInfo(target, name=name), pretty_exceptions_short=True, rich_markup_mode=None, suggest_commands=True
    )


class LazyCommands(MutableMapping[str, Any]):
    """The top-level group's commands: every registered name, each loaded on first access."""

    def __init__(self, added: dict[str, Any]) -> None:
        self._loaded = added

    def __getitem__(self, name: str) -> Any:
        if name not in self._loaded:
            if name not in COMMANDS:
                raise KeyError(name)
            self._loaded[name] = load(name)
        return self._loaded[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*COMMANDS, *self._loaded]))

    def __len__(self) -> int:
        return len(set(COMMANDS) | set(self._loaded))

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS or name in self._loaded

    def is_loaded(self, name: str) -> bool:
        return name in self._loaded


def summary_of(commands: MutableMapping[str, Any], name: str, limit: int) -> str:
    """The summary of one command for a command list, without loading it when it is not loaded yet."""
    if isinstance(commands, LazyCommands) and not commands.is_loaded(name) and name in COMMANDS:
        return summary(COMMANDS[name][2], limit)
    return str(commands[name].get_short_help_str(limit))
