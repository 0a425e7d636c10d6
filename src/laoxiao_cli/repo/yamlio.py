"""The one module that imports PyYAML: safe parsing with located errors, and node lookup by path.

Parsing uses libyaml (the C loader) when available. The document is composed to nodes first, so that
aliases can be counted (alias bombs) before anything is constructed; construction then refuses
duplicate keys, merge keys, non-string keys and custom tags, each with its line and column.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - libyaml is present in every supported install
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ParseError(Exception):
    def __init__(self, message: str, line: int | None = 1, column: int | None = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class Parsed:
    data: Any
    raw: bytes

    @property
    def text(self) -> str:
        """The decoded text (needed only to locate a finding)."""
        return self.raw.decode("utf-8-sig")


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Loader(_BaseLoader):
    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Hashable, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise ParseError("此处应为映射", *_mark(node))
        mapping: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise ParseError("不支持合并键 `<<`：请把内容直接写出", *_mark(key_node))
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                raise ParseError(
                    f"键 {key_node.value!r} 不是文字：键必须是英文字段名（yes/no/on/off/数字/日期作键时请加引号）",
                    *_mark(key_node),
                )
            if key in mapping:
                raise ParseError(f"重复的键 `{key}`：同一映射中每个键只能出现一次", *_mark(key_node))
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_map(self, node: yaml.Node) -> Any:
        data: dict[Hashable, Any] = {}
        yield data
        data.update(self.construct_mapping(node))

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        text = self.construct_scalar(node)  # type: ignore[arg-type]
        if _DATE_RE.match(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                return text
        return text  # a datetime or a non-padded date: left as text, refused by the schema

    def construct_yaml_int(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_int(node)  # type: ignore[arg-type]
        except ValueError:  # e.g. more digits than Python converts (int_max_str_digits)
            raise ParseError("数字过大：整数最多 4300 位（如是编号或文字，请加引号）", *_mark(node)) from None

    def construct_undefined(self, node: yaml.Node) -> Any:
        tag = str(node.tag)
        if tag.startswith("tag:yaml.org,2002:"):
            short = tag.replace("tag:yaml.org,2002:", "!!")
            raise ParseError(f"不支持 {short} 类型：数据文件只能使用文字、数字、日期、列表和映射", *_mark(node))
        raise ParseError(f"不支持自定义标签 {tag}：数据文件只能使用普通的 YAML 值", *_mark(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor(None, _Loader.construct_undefined)
for _tag in ("binary", "omap", "pairs", "set"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _Loader.construct_undefined)


def decode(raw: bytes) -> str:
    """UTF-8 text, BOM tolerated; a located ParseError for other encodings."""
    if len(raw) > MAX_BYTES:
        raise ParseError(
            f"文件过大（{len(raw) // 1024} KB）：单个数据文件不能超过 {MAX_BYTES // 1024 // 1024} MB", 1, 1
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise ParseError(
            "文件不是 UTF-8 编码（可能是 GBK）：请用 UTF-8 保存（记事本“另存为”选择 UTF-8）", line, column
        ) from None
    if "\x00" in text:
        index = text.index("\x00")
        raise ParseError("文件含有 NUL 字符，不是文本文件", *_position(text, index))
    return text


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _check_expansion(root: yaml.Node) -> None:
    """Count nodes as if every alias were expanded; refuse more than MAX_NODES and deep nesting."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool, int]] = [(root, False, 0)]
    on_path: set[int] = set()
    while stack:
        node, done, depth = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            total = 1 + sum(sizes[id(c)] for c in children)
            sizes[key] = total
            if total > MAX_NODES:
                raise ParseError(
                    f"锚点与别名展开后超过 {MAX_NODES} 个节点：请勿用别名大量复制内容（疑似“别名炸弹”）",
                    *_mark(node),
                )
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise ParseError("别名引用了包含它自己的锚点（递归别名）", *_mark(node))
        if depth > MAX_DEPTH:
            raise ParseError(f"嵌套层数过多（超过 {MAX_DEPTH} 层）", *_mark(node))
        on_path.add(key)
        stack.append((node, True, depth))
        for child in _children(node):
            if id(child) not in sizes:
                stack.append((child, False, depth + 1))


def _check_depth(root: yaml.Node) -> None:
    """Nesting depth of a document without aliases, visiting only its collections."""
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(f"嵌套层数过多（超过 {MAX_DEPTH} 层）", *_mark(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend((v, depth + 1) for _, v in node.value if not isinstance(v, yaml.ScalarNode))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((v, depth + 1) for v in node.value if not isinstance(v, yaml.ScalarNode))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def parse(raw: bytes) -> Parsed:
    """Parse one file's bytes. Raises ParseError (with line and column) for anything not allowed.

    libyaml reads the bytes itself (UTF-8, BOM tolerated); the text is decoded here only to explain
    an error, so a valid file is decoded once, by the C parser."""
    if len(raw) > MAX_BYTES or raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        decode(raw)  # raises the size error
        raise ParseError("文件是 UTF-16 编码：请用 UTF-8 保存", 1, 1)
    loader = _Loader(raw)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ParseError("文件为空（或只有注释）：每个文件应含一条记录", 1, 1)
        if b"*" in raw:  # aliases: count the nodes as if expanded (alias bombs), and the depth
            _check_expansion(node)
        else:  # a tree: only its depth can be too much
            _check_depth(node)
        data = loader.construct_document(node)
    except ParseError:
        raise
    except yaml.MarkedYAMLError as exc:
        text = decode(raw)
        message, mark = _yaml_problem(exc, text)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ParseError(message, line, column) from None
    except yaml.reader.ReaderError as exc:
        text = decode(raw)  # raises the located error for a file that is not UTF-8
        # libyaml counts the position in UTF-8 bytes
        body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
        chars = len(body[: exc.position].decode("utf-8", errors="ignore"))
        line, column = _position(text, chars)
        raise ParseError(f"文件含有不允许的控制字符 U+{exc.character:04X}：请删除它", line, column) from None
    except yaml.YAMLError as exc:
        raise ParseError(f"YAML 格式错误：{exc}", 1, 1) from None
    except RecursionError:
        raise ParseError(f"嵌套层数过多（超过 {MAX_DEPTH} 层）", 1, 1) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a constructor's own error, e.g. an impossible value
        raise ParseError(f"无法读取的值：{exc}", 1, 1) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ParseError(f"文件顶层应为映射（key: value 形式），实际为{_kind(data)}", *_mark(node))
    return Parsed(data, raw)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "列表"
    if value is None:
        return "空值"
    return "单个值"


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


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, Any]:
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


# --- locating a path inside a document -----------------------------------------------------------


def compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_BaseLoader)
    except yaml.YAMLError:
        return None


def locate(root: yaml.Node | None, loc: tuple[str | int, ...], at_key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the node at ``loc``: the deepest existing node on the path."""
    if root is None:
        return 1, 1
    node = root
    key_node: yaml.Node | None = None
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for k, v in node.value:
                if k.value == part:
                    key_node, child = k, v
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            key_node, child = None, node.value[part]
        if child is None:
            break
        node = child
    else:
        if at_key and key_node is not None:
            return _mark(key_node)
    return _mark(node)


# --- writing --------------------------------------------------------------------------------------


def compose_exact(text: str) -> yaml.Node | None:
    """Nodes whose marks index characters of ``text`` exactly (the pure-Python parser), for edits."""
    return yaml.compose(text, Loader=yaml.SafeLoader)


def dump(data: dict[str, Any]) -> str:
    """A new record file: block style, keys in the given order, Chinese as is."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100_000)


def scalar_text(value: Any, flow: bool = False, style: str | None = None) -> str:
    """YAML text for one scalar that reads back as exactly ``value``: in the quoting ``style`` of the
    value it replaces when that is a quoted one, else plain when safe, else double-quoted."""
    if isinstance(value, str) and style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, str) and style == '"':
        import json

        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, date)):
        return str(value)
    text = str(value)
    unsafe_in_flow = flow and any(c in text for c in ",[]{}")
    if text and text.strip() == text and "\n" not in text and not unsafe_in_flow:
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    import json

    return json.dumps(text, ensure_ascii=False)


def safe_scalar(text: str, node: yaml.Node) -> Any:
    """The value of one scalar node as the loader reads it."""
    snippet = text[node.start_mark.index : node.end_mark.index]
    try:
        return yaml.safe_load(f"k: {snippet}")["k"] if snippet else None
    except yaml.YAMLError:
        return object()
