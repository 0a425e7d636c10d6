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
    # from the end backwards; at one position a deletion (the longer edit) before an insertion
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    result = ("\ufeff" if bom else "") + text
    _verify(raw, result, key, wanted, rel)
    return result.encode("utf-8")


def set_values(raw: bytes, values: Mapping[str, Any], rel: str, after: Mapping[str, str] | None = None) -> bytes:
    """Set top-level scalar ``values`` of a record file in place (None removes the key). A new key goes on
    its own line after the key ``after`` names for it when the file has that key, else at the end."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = yamlio.decode(raw)
    newline = "\r\n" if "\r\n" in text else "\n"
    root: Any = yamlio.compose_exact(text)
    if root is None or root.id != "mapping" or root.flow_style:
        raise LxError(f"{rel}: 文件顶层不是逐行书写的映射，无法自动修改，请手工编辑")
    pairs = {k.value: (k, v) for k, v in root.value}
    edits: list[_Edit] = []
    inserts: dict[int, list[str]] = {}
    for key, value in values.items():
        present = pairs.get(key)
        if present is not None:
            key_node, value_node = present
            if value_node.id != "scalar":
                raise LxError(f"{rel}: `{key}` 不是单个值，无法自动修改，请手工编辑")
            if value is None:
                edits.append(_delete_line(text, key_node, value_node))
            elif yamlio.safe_scalar(text, value_node) != value:
                style = getattr(value_node, "style", None)
                lead = " " if value_node.start_mark.index == value_node.end_mark.index else ""
                replacement = lead + yamlio.scalar_text(value, style=style)
                edits.append(_Edit(value_node.start_mark.index, value_node.end_mark.index, replacement))
            continue
        if value is None:
            continue
        line = f"{key}: {yamlio.scalar_text(value)}{newline}"
        anchor = pairs.get((after or {}).get(key, ""))
        end = text.find("\n", anchor[1].end_mark.index) if anchor is not None else -1
        if anchor is not None and end >= 0:
            inserts.setdefault(end + 1, []).append(line)
        else:
            inserts.setdefault(len(text), []).append(line)
    for position, lines in inserts.items():  # several new keys at one place keep their order
        sep = newline if position == len(text) and text and not text.endswith("\n") else ""
        edits.append(_Edit(position, position, sep + "".join(lines)))
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    result = ("\ufeff" if bom else "") + text
    try:
        before = yamlio.parse(raw).data
        got = yamlio.parse(result.encode("utf-8")).data
    except yamlio.ParseError as exc:
        raise LxError(f"{rel}: 自动修改后文件无法解析（{exc.message}），已放弃修改，请手工编辑") from None
    expected = {k: v for k, v in {**before, **values}.items() if v is not None}
    if got != expected:
        raise LxError(f"{rel}: 自动修改的结果与预期不符，已放弃修改，请手工编辑")
    return result.encode("utf-8")


def _flow(mapping: Mapping[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {yamlio.scalar_text(v, flow=True)}" for k, v in mapping.items()) + "}"


def _mapping_edits(text: str, node: Any, wanted: dict[str, Any], newline: str) -> list[_Edit]:
    flow = bool(node.flow_style)
    pairs = [(k.value, k, v) for k, v in node.value]
    present = {name for name, _k, _v in pairs}
    edits: list[_Edit] = []
    deleted: list[int] = []
    for i, (name, _key_node, value_node) in enumerate(pairs):
        value = wanted.get(name)
        if value is None:
            deleted.append(i)
        elif value_node.id != "scalar" or yamlio.safe_scalar(text, value_node) != value:
            replacement = yamlio.scalar_text(value, flow, style=getattr(value_node, "style", None))
            edits.append(_Edit(value_node.start_mark.index, value_node.end_mark.index, replacement))
    order = [*PERSON_KEYS, *(k for k in wanted if k not in PERSON_KEYS)]
    inserted = [(field, wanted[field]) for field in order if field in wanted and field not in present]
    kept = [i for i in range(len(pairs)) if i not in deleted]
    if flow:
        return edits + _flow_edits(text, pairs, deleted, kept, inserted)
    for i in deleted:
        edits.append(_delete_line(text, pairs[i][1], pairs[i][2]))
    if inserted:
        edits.append(_insert_block(text, node, pairs, kept, inserted, newline))
    return edits


def _insert_block(
    text: str, node: Any, pairs: list[Any], kept: list[int], inserted: list[tuple[str, Any]], newline: str
) -> _Edit:
    """New pairs, in order, on their own lines after the last pair that stays (else before the first)."""
    indent = " " * node.value[0][0].start_mark.column
    lines = "".join(f"{indent}{field}: {yamlio.scalar_text(value)}{newline}" for field, value in inserted)
    if not kept:
        start = text.rfind("\n", 0, pairs[0][1].start_mark.index) + 1
        return _Edit(start, start, lines)
    last_value = pairs[kept[-1]][2]
    end = text.find("\n", last_value.end_mark.index)
    if end < 0:
        return _Edit(len(text), len(text), newline + lines)
    return _Edit(end + 1, end + 1, lines)


def _delete_line(text: str, key_node: Any, value_node: Any) -> _Edit:
    start, end = key_node.start_mark.index, value_node.end_mark.index
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return _Edit(line_start, len(text) if line_end < 0 else line_end + 1, "")


def _flow_edits(
    text: str, pairs: list[Any], deleted: list[int], kept: list[int], inserted: list[tuple[str, Any]]
) -> list[_Edit]:
    """Deletions and insertions in a flow mapping: each run of deleted pairs is cut out with the separator
    that joined it to its neighbours (so runs never overlap), and new pairs follow the last pair kept."""
    new = ", ".join(f"{field}: {yamlio.scalar_text(value, True)}" for field, value in inserted)
    if not kept:  # every pair goes: the new pairs take their place
        return [_Edit(pairs[0][1].start_mark.index, pairs[-1][2].end_mark.index, new)]
    edits: list[_Edit] = []
    runs: list[list[int]] = []
    for i in deleted:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        first, last = run[0], run[-1]
        if last + 1 < len(pairs):  # a pair follows: cut up to it, separator and line break included
            edits.append(_Edit(pairs[first][1].start_mark.index, pairs[last + 1][1].start_mark.index, ""))
        else:  # the run ends the mapping: cut from the end of the pair before it
            edits.append(_Edit(pairs[first - 1][2].end_mark.index, pairs[last][2].end_mark.index, ""))
    if new:
        anchor = pairs[kept[-1]][2].end_mark.index
        edits.append(_Edit(anchor, anchor, ", " + new))
    return edits


def _verify(raw: bytes, result: str, key: str, wanted: dict[str, Any], rel: str) -> None:
    try:
        before = yamlio.parse(raw).data
        after = yamlio.parse(result.encode("utf-8")).data
    except yamlio.ParseError as exc:
        raise LxError(f"{rel}: 自动修改后文件无法解析（{exc.message}），已放弃修改，请手工编辑") from None
    expected = {**before, key: wanted}
    if after != expected:
        raise LxError(f"{rel}: 自动修改的结果与预期不符，已放弃修改，请手工编辑")
