"""YAML loading: safe parsing with located errors (the entry point of the yaml* modules of repo/).

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

from laoxiao_cli.repo.yamlemit import compose_exact, dump, safe_scalar, scalar_text
from laoxiao_cli.repo.yamllimits import MAX_BYTES, MAX_DEPTH, MAX_NODES, node_position
from laoxiao_cli.repo.yamllocate import locate
from laoxiao_cli.repo.yamlmessages import CONFLICT_MESSAGE, conflict_marker, yaml_problem

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "ParseError",
    "Parsed",
    "compose",
    "compose_exact",
    "decode",
    "dump",
    "locate",
    "parse",
    "safe_scalar",
    "scalar_text",
]
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


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters (but tab and line breaks): libyaml refuses them in the text itself, but a quoted
string can still write them as escapes (``"\\e[31m"``), which would reach terminals and documents."""


_PLAIN_TAGS: dict[str, str] = {}
_REMEMBERED, _REMEMBERED_LENGTH = 50_000, 40

_TEXTS: dict[str, str] = {}
_DATES: dict[str, date] = {}
"""Short texts and dates already built in this process, by their text. A data folder repeats its ids,
months, dates, states and stock phrases across thousands of files; one object per distinct value (they
are immutable) took a province's cold load from 1.73 to 1.37 GB at its peak, and makes the pickles (the
cache, the workers' hand-over: one copy per pickle) smaller too."""
_SHARED_MAX, _SHARED_LENGTH = 200_000, 40


def _shared(table: dict[str, Any], value: Any, text: str) -> Any:
    """The object ``table`` has for ``text`` if any, else ``value`` (remembered there while there is room)."""
    if len(text) > _SHARED_LENGTH:
        return value
    known = table.get(text)
    if known is not None:
        return known
    if len(table) < _SHARED_MAX:
        table[text] = value
    return value


class _Loader(_BaseLoader):
    escapes = False
    """Whether the file has a backslash at all: only then can a string hold an escaped control character."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """A node's tag; a short plain scalar's remembered by its text: a data folder repeats its ids, dates
        and states thousands of times, and PyYAML's resolver matches regular expressions for each (libyaml
        calls it for every node). The tag of a plain scalar depends on its text alone."""
        if kind is yaml.ScalarNode and implicit[0] and len(value) <= _REMEMBERED_LENGTH:
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
                if len(_PLAIN_TAGS) < _REMEMBERED:
                    _PLAIN_TAGS[value] = tag
            return tag
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]

    def construct_yaml_str(self, node: yaml.Node) -> Any:
        value = super().construct_yaml_str(node)
        if self.escapes and isinstance(value, str) and _CONTROL.search(value):
            raise ParseError(
                "文字中有控制字符（如 \\x01、\\e）：它们在终端和文档中会显示为乱码或改变颜色，请删除",
                *node_position(node),
            )
        return value

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Hashable, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise ParseError("此处应为映射", *node_position(node))
        return _mapping(node, lambda child: self.construct_object(child, deep=deep))

    def construct_yaml_map(self, node: yaml.Node) -> Any:
        data: dict[Hashable, Any] = {}
        yield data
        data.update(self.construct_mapping(node))

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        text = self.construct_scalar(node)  # type: ignore[arg-type]
        if _DATE_RE.match(text):
            known = _DATES.get(text)
            if known is not None:
                return known
            try:
                return _shared(_DATES, date.fromisoformat(text), text)
            except ValueError:
                return text
        return text  # a datetime or a non-padded date: left as text, refused by the schema

    def construct_yaml_int(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_int(node)  # type: ignore[arg-type]
        except ValueError:  # e.g. more digits than Python converts (int_max_str_digits)
            raise ParseError("数字过大：整数最多 4300 位（如是编号或文字，请加引号）", *node_position(node)) from None

    def construct_undefined(self, node: yaml.Node) -> Any:
        tag = str(node.tag)
        if tag.startswith("tag:yaml.org,2002:"):
            short = tag.replace("tag:yaml.org,2002:", "!!")
            raise ParseError(f"不支持 {short} 类型：数据文件只能使用文字、数字、日期、列表和映射", *node_position(node))
        raise ParseError(f"不支持自定义标签 {tag}：数据文件只能使用普通的 YAML 值", *node_position(node))


def _mapping(node: yaml.MappingNode, construct: Any) -> dict[Hashable, Any]:
    """A mapping's keys and values: merge keys, keys that are not text and repeated keys refused."""
    mapping: dict[Hashable, Any] = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise ParseError("不支持合并键 `<<`：请把内容直接写出", *node_position(key_node))
        key = construct(key_node)
        if not isinstance(key, str):
            raise ParseError(
                f"键 {key_node.value!r} 不是文字：键必须是英文字段名（yes/no/on/off/数字/日期作键时请加引号）",
                *node_position(key_node),
            )
        if key in mapping:
            raise ParseError(f"重复的键 `{key}`：同一映射中每个键只能出现一次", *node_position(key_node))
        mapping[key] = construct(value_node)
    return mapping


_TAG_MISMATCH = "无法读取的值：显式类型标签（如 !!bool、!!int、!!float）与其后的值不符，请删去标签或改正值"
_STR, _MAP, _SEQ = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
FAST_CONSTRUCT = True
"""Build a document without aliases with ``_build`` (the reference, PyYAML's own construction through the
methods of ``_Loader``, is used when False: tests compare the two)."""


def _build(loader: _Loader, node: yaml.Node) -> Any:
    """A tree's value: text, mappings and lists built directly (a third of PyYAML's generic construction,
    which dispatches every node through generators); every other node goes to ``_Loader``'s constructors,
    so that numbers, dates, booleans and refused tags behave exactly as there."""
    tag = node.tag
    if tag == _STR and isinstance(node, yaml.ScalarNode):
        value = node.value
        if loader.escapes and _CONTROL.search(value):
            return loader.construct_yaml_str(node)  # raises the located error
        return _shared(_TEXTS, value, value)
    if tag == _MAP and isinstance(node, yaml.MappingNode):
        return _mapping(node, lambda child: _build(loader, child))
    if tag == _SEQ and isinstance(node, yaml.SequenceNode):
        return [_build(loader, child) for child in node.value]
    try:
        return loader.construct_object(node, deep=True)
    except (KeyError, IndexError):  # PyYAML's own, for a tag that cannot hold the text: `!!bool x`, `!!int ''`
        raise ParseError(_TAG_MISMATCH, *node_position(node)) from None


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
_Loader.add_constructor("tag:yaml.org,2002:str", _Loader.construct_yaml_str)
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
                    *node_position(node),
                )
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise ParseError("别名引用了包含它自己的锚点（递归别名）", *node_position(node))
        if depth > MAX_DEPTH:
            raise ParseError(f"嵌套层数过多（超过 {MAX_DEPTH} 层）", *node_position(node))
        on_path.add(key)
        stack.append((node, True, depth))
        for child in _children(node):
            if id(child) not in sizes:
                stack.append((child, False, depth + 1))


_INDICATORS = (b":", b"-", b"[", b"{", b"?")
"""Every collection starts at an indicator of its own: a flow bracket, a block entry's "-", a key's ":"
or "?". Counting each of these bytes, whatever follows it (a space, a line break, NEL, LS or PS, the end
of the file), counts at least the collections; multi-byte UTF-8 never holds these bytes."""


def _shallow(raw: bytes) -> bool:
    """Too few collection indicators to nest ``MAX_DEPTH`` deep: the depth need not be walked (a record
    file has 20 to 50): five counts in C take 1.5 µs a file, walking the nodes in Python 5.5 µs, counting
    the fifteen two-byte openers this replaced 8.8 µs."""
    return sum(map(raw.count, _INDICATORS)) + 1 < MAX_DEPTH


def _check_depth(root: yaml.Node) -> None:
    """Nesting depth of a document without aliases, visiting only its collections."""
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(f"嵌套层数过多（超过 {MAX_DEPTH} 层）", *node_position(node))
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
    marker = conflict_marker(raw)
    if marker is not None:
        raise ParseError(CONFLICT_MESSAGE.format(marker=marker[1]), marker[0], 1)
    loader = _Loader(raw)
    loader.escapes = b"\\" in raw
    try:
        node = loader.get_single_node()
        if node is None:
            raise ParseError("文件为空（或只有注释）：每个文件应含一条记录", 1, 1)
        if b"*" in raw:  # aliases: count the nodes as if expanded (alias bombs), and the depth
            _check_expansion(node)
        elif not _shallow(raw):  # a tree: only its depth can be too much
            _check_depth(node)
        data = _build(loader, node) if FAST_CONSTRUCT and b"*" not in raw else loader.construct_document(node)
    except ParseError:
        raise
    except yaml.MarkedYAMLError as exc:
        text = decode(raw)
        message, mark = yaml_problem(exc, text)
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
    except (KeyError, IndexError):  # the same, in a document with aliases (built by PyYAML itself)
        raise ParseError(_TAG_MISMATCH, 1, 1) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ParseError(f"文件顶层应为映射（key: value 形式），实际为{_kind(data)}", *node_position(node))
    return Parsed(data, raw)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "列表"
    if value is None:
        return "空值"
    return "单个值"


def compose(text: str) -> yaml.Node | None:
    """The node tree of ``text`` (for locating findings), or None when it does not parse."""
    try:
        return yaml.compose(text, Loader=_BaseLoader)
    except yaml.YAMLError:
        return None
