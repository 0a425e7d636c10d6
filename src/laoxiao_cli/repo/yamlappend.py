"""Edit a top-level list of a YAML file in place, keeping every other byte: append one mapping to it (a
meeting's ``decisions``), or set a list of plain values (``attendees``, ``heard``).

New items follow the items already there (indentation, block or flow); a list that is empty, null or
missing becomes a block list in the style lx writes new files in. The result is parsed again and
compared with what was intended, so a wrong edit is refused, never written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from laoxiao_cli.errors import LxError
from laoxiao_cli.repo import yamlio

_PREFIX = re.compile(r"^ *- +$")


@dataclass(frozen=True, slots=True)
class _Style:
    prefix: str
    """What comes before an item on its line (``"- "``, ``"  - "``)."""
    indent: str
    """The indentation of a mapping item's further keys."""
    flow: bool
    """Mapping items written ``{k: v, …}``."""


_DEFAULT = _Style("- ", "  ", False)


def append_item(raw: bytes, key: str, item: Mapping[str, Any], rel: str) -> bytes:
    """Append the mapping ``item`` (scalar values; None left out) to the top-level list ``key``."""
    text, bom, newline, root = _open(raw, rel)
    wanted = {k: v for k, v in item.items() if v is not None}
    pair = _pair(root, key)
    if pair is None:
        edit = _append_key(text, key, _block([wanted], _DEFAULT, newline), newline)
    else:
        key_node, node = pair
        if node.id == "sequence" and node.value and node.flow_style:
            position = node.value[-1].end_mark.index
            edit = (position, position, ", " + _flow_mapping(wanted))
        elif node.id == "sequence" and node.value:
            if any(i.id != "mapping" for i in node.value):
                raise LxError(f"{rel}: `{key}` 不是映射的列表，无法自动修改，请手工编辑")
            position = _after_line(text, _last_end(node))
            edit = (position, position, _block([wanted], _style(text, node.value[0]), newline))
        else:
            edit = _replace_empty(text, key, key_node, node, _block([wanted], _DEFAULT, newline), newline, rel)
    result = _apply(text, [edit], bom)
    before = yamlio.parse(raw).data
    _verify(result, {**before, key: [*(before.get(key) or []), wanted]}, rel)
    return result.encode("utf-8")


def set_list(raw: bytes, key: str, items: Sequence[Any], rel: str, after: str | None = None) -> bytes:
    """Set the top-level list ``key`` to the plain values ``items``. A missing key goes on its own lines
    after the value of the key ``after`` names when the file has it, else at the end."""
    text, bom, newline, root = _open(raw, rel)
    values = list(items)
    before = yamlio.parse(raw).data
    if key in before and before[key] == values:
        return raw
    block = _block(values, _DEFAULT, newline)
    pair = _pair(root, key)
    if pair is None:
        head = f"{key}:{newline}" if values else f"{key}: []{newline}"
        anchor = _pair(root, after) if after else None
        position = _after_line(text, _last_end(anchor[1])) if anchor is not None else len(text)
        sep = newline if position == len(text) and text and not text.endswith("\n") else ""
        edit = (position, position, sep + head + block)
    else:
        key_node, node = pair
        if node.id == "mapping" or (node.id == "sequence" and any(i.id != "scalar" for i in node.value)):
            raise LxError(f"{rel}: `{key}` 不是简单值的列表，无法自动修改，请手工编辑")
        if not values:
            edit = (key_node.end_mark.index, _value_end(text, key_node, node), ": []")
        elif node.id == "sequence" and node.value and node.flow_style:
            flow = "[" + ", ".join(yamlio.scalar_text(v, flow=True) for v in values) + "]"
            edit = (node.start_mark.index, node.end_mark.index, flow)
        elif node.id == "sequence" and node.value:
            start = text.rfind("\n", 0, node.value[0].start_mark.index) + 1
            end = _after_line(text, _last_end(node))
            edit = (start, end, _block(values, _style(text, node.value[0]), newline))
        else:
            edit = _replace_empty(text, key, key_node, node, block, newline, rel)
    result = _apply(text, [edit], bom)
    _verify(result, {**before, key: values}, rel)
    return result.encode("utf-8")


# --- where and how ---------------------------------------------------------------------------------


def _open(raw: bytes, rel: str) -> tuple[str, bool, str, Any]:
    text = yamlio.decode(raw)
    root: Any = yamlio.compose_exact(text, rel)
    if root is None or root.id != "mapping" or root.flow_style:
        raise LxError(f"{rel}: 文件顶层不是逐行书写的映射，无法自动修改，请手工编辑")
    return text, raw.startswith(b"\xef\xbb\xbf"), "\r\n" if "\r\n" in text else "\n", root


def _pair(root: Any, key: str) -> tuple[Any, Any] | None:
    return next(((k, v) for k, v in root.value if k.value == key), None)


def _last_end(node: Any) -> int:
    """Where the last character of ``node`` is: its last scalar's end (a block collection's own end
    mark lies at the next token, past comments and blank lines)."""
    while node.id in ("mapping", "sequence") and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if node.id == "mapping" else last
    return int(node.end_mark.index)


def _after_line(text: str, index: int) -> int:
    """The start of the line after the one ``index`` ends on (a block scalar ends past its newline)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _style(text: str, first: Any) -> _Style:
    line_start = text.rfind("\n", 0, first.start_mark.index) + 1
    prefix = text[line_start : first.start_mark.index]
    if not _PREFIX.match(prefix):
        return _DEFAULT
    indent = " " * len(prefix)
    if first.id == "mapping" and first.value and not first.flow_style:
        indent = " " * first.value[0][0].start_mark.column
    return _Style(prefix, indent, first.id == "mapping" and bool(first.flow_style))


def _block(items: Sequence[Any], style: _Style, newline: str) -> str:
    lines = []
    for item in items:
        if not isinstance(item, Mapping):
            lines.append(f"{style.prefix}{yamlio.scalar_text(item)}{newline}")
        elif style.flow:
            lines.append(f"{style.prefix}{_flow_mapping(item)}{newline}")
        else:
            pairs = [f"{k}: {yamlio.scalar_text(v)}" for k, v in item.items()]
            lines.append(style.prefix + f"{newline}{style.indent}".join(pairs) + newline)
    return "".join(lines)


def _flow_mapping(item: Mapping[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {yamlio.scalar_text(v, flow=True)}" for k, v in item.items()) + "}"


def _append_key(text: str, key: str, body: str, newline: str) -> tuple[int, int, str]:
    sep = newline if text and not text.endswith("\n") else ""
    return (len(text), len(text), f"{sep}{key}:{newline}{body}")


def _replace_empty(
    text: str, key: str, key_node: Any, node: Any, block: str, newline: str, rel: str
) -> tuple[int, int, str]:
    """``key: []``, ``key: null`` or ``key:`` becomes ``key:`` followed by the block list."""
    if node.id == "mapping" or (node.id == "scalar" and node.value not in ("", "null", "~", "Null", "NULL")):
        raise LxError(f"{rel}: `{key}` 不是列表，无法自动修改，请手工编辑")
    if node.id == "scalar" and node.start_mark.index == node.end_mark.index:  # `key:` alone: items below it
        position = _after_line(text, _colon(text, key_node) + 1)
        sep = newline if position == len(text) and not text.endswith("\n") else ""
        return (position, position, sep + block)
    return (key_node.end_mark.index, node.end_mark.index, ":" + newline + block.removesuffix(newline))


def _colon(text: str, key_node: Any) -> int:
    return text.index(":", key_node.end_mark.index)


def _value_end(text: str, key_node: Any, node: Any) -> int:
    """The end of the value's text (``key:`` alone: its colon)."""
    if node.id == "scalar" and node.start_mark.index == node.end_mark.index:
        return _colon(text, key_node) + 1
    return _last_end(node)


def _apply(text: str, edits: list[tuple[int, int, str]], bom: bool) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return ("\ufeff" if bom else "") + text


def _verify(result: str, expected: dict[str, Any], rel: str) -> None:
    try:
        got = yamlio.parse(result.encode("utf-8")).data
    except yamlio.ParseError as exc:
        raise LxError(f"{rel}: 自动修改后文件无法解析（{exc.message}），已放弃修改，请手工编辑") from None
    if got != expected:
        raise LxError(f"{rel}: 自动修改的结果与预期不符，已放弃修改，请手工编辑")
