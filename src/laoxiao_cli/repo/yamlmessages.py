"""PyYAML's parse errors as Chinese messages a clerk understands, pointing at the right place."""

from __future__ import annotations

from typing import Any

import yaml

from laoxiao_cli.repo.yamllimits import MAX_DEPTH

# (text in PyYAML's context or problem, Chinese message, point at the context mark rather than the problem)
_PROBLEMS = [
    ("while scanning a quoted scalar", "引号没有闭合：从这里开始的引号缺少对应的右引号", True),
    ("while parsing a flow sequence", "方括号 [ 没有闭合，或列表各项之间缺少逗号", True),
    ("while parsing a flow mapping", "花括号 { 没有闭合，或各项之间缺少逗号", True),
    ("while scanning a simple key", "缺少“:”——每行应为“键: 值”", True),
    ("could not find expected ':'", "缺少“:”——每行应为“键: 值”", True),
    ("maximum nesting depth", "嵌套层数过多", False),
    ("mapping values are not allowed here", "这里不能出现“:”——可能缩进不对，或值中含“: ”需要加引号", False),
    ("found undefined alias", "别名 * 引用了未定义的锚点 &", False),
    ("expected <block end>, but found", "缩进不一致：同一层的键应对齐", False),
    ("found unexpected end of stream", "文件意外结束：可能缺少右引号或右括号", False),
    ("found unknown escape character", "双引号字符串中有无效的转义符 \\", False),
    ("expected a single document", "一个文件只能有一条记录（不要用 --- 分隔多个文档）", False),
    ("but found another document", "一个文件只能有一条记录（不要用 --- 分隔多个文档）", False),
    ("found duplicate anchor", "锚点名重复", False),
    ("did not find expected node content", "缺少值", False),
    ("did not find expected key", "缩进或格式错误：此处应为“键: 值”", False),
    ("control characters are not allowed", "文件含有不允许的控制字符", False),
    ("did not find expected '-' indicator", "缩进不一致：列表项 - 应对齐", False),
]


def yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, Any]:
    problem = f"{exc.context or ''} {exc.problem or ''}".strip()
    mark = exc.problem_mark or exc.context_mark
    if "cannot start any token" in problem and mark is not None and _char_at(text, mark) == "\t":
        return "YAML 格式错误：此处有制表符（Tab）：YAML 只能用空格缩进", mark
    if "maximum nesting depth" in problem:
        return f"嵌套层数过多（超过 {MAX_DEPTH} 层）", _deep_mark(text) or mark
    for needle, chinese, use_context in _PROBLEMS:
        if needle in problem:
            if use_context and exc.context_mark is not None:
                mark = exc.context_mark
            return f"YAML 格式错误：{chinese}", mark
    if "cannot start any token" in problem:
        char = _char_at(text, mark) if mark is not None else ""
        return f"YAML 格式错误：字符“{char}”不能出现在这里（以 @ ` 开头的值请加引号）", mark
    return f"YAML 格式错误：{problem or exc}", mark


def _deep_mark(text: str) -> Any:
    """Where nesting first exceeds MAX_DEPTH, found with the event parser (no recursion)."""
    depth = -1
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def _char_at(text: str, mark: Any) -> str:
    lines = text.splitlines()
    line: int = mark.line
    column: int = mark.column
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""
