"""Edit one value of a YAML file in place, keeping every other byte: comments, order, quoting, spacing.

The parser's marks locate the exact characters of the value; only those characters are replaced. The
result is parsed again and compared with what was intended, so a wrong edit is refused, never written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from laoxiao_cli.errors import LxError
from laoxiao_cli.repo import yamlio

PERSON_KEYS = ("name", "title", "section", "phone", "email", "account")


@dataclass(frozen=True, slots=True)
class _Edit:
    start: int
    end: int
    text: str


def set_mapping(raw: bytes, key: str, new: Mapping[str, Any], rel: str) -> bytes:
    """Set the top-level ``key`` of the file to the mapping ``new`` (None values are removed)."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = yamlio.decode(raw)
    newline = "\r\n" if "\r\n" in text else "\n"
    wanted = {k: v for k, v in new.items() if v is not None}
    root: Any = yamlio.compose_exact(text)
    if root is None or root.id != "mapping":
        raise LxError(f"{rel}: 文件顶层不是映射，无法修改")
    pair = next(((k, v) for k, v in root.value if k.value == key), None)
    if pair is None:
        sep = "" if text.endswith("\n") or not text else newline
        edits = [_Edit(len(text), len(text), f"{sep}{key}: {_flow(wanted)}{newline}")]
    elif pair[1].id == "scalar":
        node = pair[1]
        lead = " " if node.start_mark.index == node.end_mark.index else ""
        edits = [_Edit(node.start_mark.index, node.end_mark.index, lead + _flow(wanted))]
    elif pair[1].id == "mapping":
        edits = _mapping_edits(text, pair[1], wanted, newline)
    else:
        raise LxError(f"{rel}: `{key}` 不是映射，无法修改")
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    result = ("\ufeff" if bom else "") + text
    _verify(raw, result, key, wanted, rel)
    return result.encode("utf-8")


def _flow(mapping: Mapping[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {yamlio.scalar_text(v, flow=True)}" for k, v in mapping.items()) + "}"


def _mapping_edits(text: str, node: Any, wanted: dict[str, Any], newline: str) -> list[_Edit]:
    flow = bool(node.flow_style)
    pairs = {k.value: (k, v) for k, v in node.value}
    edits: list[_Edit] = []
    for field in [*PERSON_KEYS, *(k for k in pairs if k not in PERSON_KEYS)]:
        present = pairs.get(field)
        value = wanted.get(field)
        if present is None:
            if value is not None:
                edits.append(_insert(text, node, field, value, newline))
            continue
        key_node, value_node = present
        if value is None:
            edits.append(_delete(text, key_node, value_node, flow))
        elif value_node.id != "scalar" or yamlio.safe_scalar(text, value_node) != value:
            replacement = yamlio.scalar_text(value, flow, style=getattr(value_node, "style", None))
            edits.append(_Edit(value_node.start_mark.index, value_node.end_mark.index, replacement))
    return edits


def _insert(text: str, node: Any, field: str, value: Any, newline: str) -> _Edit:
    _last_key, last_value = node.value[-1]
    if node.flow_style:
        return _Edit(
            last_value.end_mark.index, last_value.end_mark.index, f", {field}: {yamlio.scalar_text(value, True)}"
        )
    indent = " " * node.value[0][0].start_mark.column
    end = text.find("\n", last_value.end_mark.index)
    position = len(text) if end < 0 else end + 1
    prefix = newline if end < 0 else ""
    return _Edit(position, position, f"{prefix}{indent}{field}: {yamlio.scalar_text(value)}{newline}")


def _delete(text: str, key_node: Any, value_node: Any, flow: bool) -> _Edit:
    start, end = key_node.start_mark.index, value_node.end_mark.index
    if not flow:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        return _Edit(line_start, len(text) if line_end < 0 else line_end + 1, "")
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    if after < len(text) and text[after] == ",":
        after += 1
        while after < len(text) and text[after] in " \t":
            after += 1
        return _Edit(start, after, "")
    before = start
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    if before > 0 and text[before - 1] == ",":
        before -= 1
    return _Edit(before, end, "")


def _verify(raw: bytes, result: str, key: str, wanted: dict[str, Any], rel: str) -> None:
    try:
        before = yamlio.parse(raw).data
        after = yamlio.parse(result.encode("utf-8")).data
    except yamlio.ParseError as exc:
        raise LxError(f"{rel}: 自动修改后文件无法解析（{exc.message}），已放弃修改，请手工编辑") from None
    expected = {**before, key: wanted}
    if after != expected:
        raise LxError(f"{rel}: 自动修改的结果与预期不符，已放弃修改，请手工编辑")
