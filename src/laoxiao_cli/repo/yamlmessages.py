"""PyYAML's parse errors as Chinese messages a clerk understands, pointing at the right place."""

from __future__ import annotations

import re
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
    # the wording of libyaml (the C loader lx reads with), where it differs from PyYAML's
    ("mapping values are not allowed in this context", "这里不能出现“:”——可能缩进不对，或值中含“: ”需要加引号", False),
    ("mapping keys are not allowed in this context", "这里不能出现“? ”——可能缩进不对", False),
    (
        "block sequence entries are not allowed in this context",
        "这里不能出现列表项“- ”——可能缩进不对，或上一行缺少键",
        False,
    ),
    ("did not find expected <document start>", "这一行多出了内容：可能缩进不对，或一个文件写了多条记录", False),
    ("did not find expected ',' or ']'", "方括号 [ 没有闭合，或列表各项之间缺少逗号", True),
    ("did not find expected ',' or '}'", "花括号 { 没有闭合，或各项之间缺少逗号", True),
    ("found a tab character", "此处有制表符（Tab）：YAML 只能用空格缩进", False),
    ("did not find expected alphabetic or numeric character", "锚点 & 或别名 * 后面应是名字（字母或数字）", False),
    ("did not find expected comment or line break", "这一行在值后面还有多余的内容：含空格的值可整体加引号", False),
    ("found unexpected document indicator", "字符串中间不能出现单独一行的 --- 或 ...", False),
]


_KEY_WITHOUT_SPACE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_.-]*):(\S.*)$")
_DASH_WITHOUT_SPACE = re.compile(r"^\s*-([^\s-].*)$")
CONFLICT_MARKER = re.compile(rb"^(<{7}|={7}|>{7}|\|{7})(?: |\r?$)", re.MULTILINE)


def conflict_marker(raw: bytes) -> tuple[int, str] | None:
    """The 1-based line and the marker of the first Git conflict marker in ``raw``, if any."""
    if b"<<<<<<<" not in raw and b">>>>>>>" not in raw and b"=======" not in raw:
        return None
    found = CONFLICT_MARKER.search(raw)
    if found is None:
        return None
    return raw.count(b"\n", 0, found.start()) + 1, found.group(1).decode()


CONFLICT_MESSAGE = (
    "文件中有 Git 合并冲突标记 {marker}：上次合并（git pull、git merge 或 lx sync）没有完成，文件里同时留着"
    "两个版本。请打开此文件，在 <<<<<<< 与 ======= 之间（本地的修改）和 ======= 与 >>>>>>> 之间（共享仓库的修改）"
    "中保留正确的内容，删去这三行标记，保存后运行 lx validate"
)


def _line_diagnosis(text: str, marks: list[Any]) -> tuple[str, Any] | None:
    """What a clerk's usual slips look like on the lines an error points at: a full-width or non-breaking
    space, a key or a dash without the space after it."""
    lines = text.splitlines()
    for mark in marks:
        if mark is None or not 0 <= mark.line < len(lines):
            continue
        line = lines[mark.line]
        for char, message in (
            ("\u3000", "这一行有全角空格（　）：YAML 只认半角空格，缩进和“键: 值”冒号后的空格都须是半角空格"),
            ("\u00a0", "这一行有不间断空格（常见于从网页、Word 或微信复制的文字）：请删掉它，重新输入普通空格"),
        ):
            if char in line:
                return f"YAML 格式错误：{message}", _at(mark, line.index(char))
        key = _KEY_WITHOUT_SPACE.match(line)
        if key:
            return f"YAML 格式错误：冒号后缺少空格：应写成“{key.group(1)}: {key.group(2)}”", _at(
                mark, line.index(":") + 1
            )
        dash = _DASH_WITHOUT_SPACE.match(line)
        if dash:
            return f"YAML 格式错误：短横线后缺少空格：列表项应写成“- {dash.group(1)}”", _at(mark, line.index("-") + 1)
    return None


def _at(mark: Any, column: int) -> Any:
    """A mark on the same line at ``column`` (0-based)."""
    return yaml.Mark(mark.name, mark.index, mark.line, column, mark.buffer, mark.pointer)


def yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, Any]:
    diagnosed = _line_diagnosis(text, [exc.context_mark, exc.problem_mark])
    if diagnosed is not None:
        return diagnosed
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
    return f"YAML 格式错误：无法读取这里的内容（{problem or exc}）", mark


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
