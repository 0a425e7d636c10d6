"""Edit values of a YAML file in place, keeping every other byte: comments, order, quoting, spacing.

``set_mapping`` (a nested mapping, e.g. a liaison), ``set_values`` (top-level values, e.g. status and
done), ``add_value`` (a new top-level key after an anchor), ``append_item`` (an item at the end of a
top-level list, e.g. an extension), ``set_item`` (values inside one list item, e.g. a milestone's done).
The parser's marks locate the exact characters of the value; only those characters are replaced. The
result is parsed again and compared with what was intended, so a wrong edit is refused, never written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    root: Any = yamlio.compose_exact(text, rel)
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
    root: Any = yamlio.compose_exact(text, rel)
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
    removed = {k for k, v in values.items() if v is None}  # other keys holding null stay as they are
    expected = {k: v for k, v in {**before, **values}.items() if k not in removed}
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


# --- keys added to a record, and the items of its top-level lists ----------------------------------


def add_value(raw: bytes, key: str, value: Any, rel: str, after: Sequence[str] = ()) -> bytes:
    """Add the top-level ``key`` (absent from the file) holding ``value``: a scalar, a mapping (one flow
    mapping) or a list of mappings (one flow mapping a line, as the spec writes extensions). It goes on its
    own lines after the value of the first key of ``after`` the file has, else at the end."""
    text, root, newline = _block_root(raw, rel)
    pairs = {k.value: v for k, v in root.value}
    if key in pairs:
        raise LxError(f"{rel}: 已有 `{key}`，无法再添加")
    if isinstance(value, Mapping):
        lines = f"{key}: {_flow(value)}{newline}"
    elif isinstance(value, list):
        lines = f"{key}:{newline}" + "".join(f"  - {_flow(item)}{newline}" for item in value)
    else:
        lines = f"{key}: {yamlio.scalar_text(value)}{newline}"
    anchor = next((pairs[name] for name in after if name in pairs), None)
    position = _line_after(text, anchor) if anchor is not None else -1
    edit = _Edit(position, position, lines) if position >= 0 else _at_end(text, lines, newline)
    return _finish(raw, text, [edit], {key: value}, rel)


def append_item(raw: bytes, key: str, item: Mapping[str, Any], rel: str, after: Sequence[str] = ()) -> bytes:
    """Append the mapping ``item`` to the top-level list ``key``, written like its last item (a flow
    mapping on one line, or a block mapping); a missing list is added as ``add_value`` does, a null or
    empty one becomes a flow list."""
    text, root, newline = _block_root(raw, rel)
    node = next((v for k, v in root.value if k.value == key), None)
    if node is None:
        return add_value(raw, key, [dict(item)], rel, after)
    old = yamlio.parse(raw).data.get(key)
    flow = _flow(item)
    if node.id == "scalar" and old is None:
        lead = " " if node.start_mark.index == node.end_mark.index else ""
        edit = _Edit(node.start_mark.index, node.end_mark.index, f"{lead}[{flow}]")
    elif node.id == "sequence" and node.flow_style:
        at = node.value[-1].end_mark.index if node.value else node.start_mark.index + 1
        edit = _Edit(at, at, f", {flow}" if node.value else flow)
    elif node.id == "sequence" and node.value:
        edit = _block_item(text, node, item, newline)
    else:
        raise LxError(f"{rel}: `{key}` 不是列表，无法自动修改，请手工编辑")
    return _finish(raw, text, [edit], {key: [*(old or []), dict(item)]}, rel)


def insert_item(raw: bytes, key: str, index: int, item: Mapping[str, Any], rel: str) -> bytes:
    """Insert the mapping ``item`` into the top-level list ``key`` so that it becomes item ``index``
    (1 ≤ index ≤ length), right after the item before it and written like that one (e.g. a new 组长 after
    the predecessor, keeping the list's order of precedence)."""
    text, root, newline = _block_root(raw, rel)
    node = next((v for k, v in root.value if k.value == key), None)
    old = yamlio.parse(raw).data.get(key)
    if node is None or node.id != "sequence" or not isinstance(old, list) or not 1 <= index <= len(old):
        raise LxError(f"{rel}: `{key}` 中没有第 {index} 项，无法在其后插入")
    before = node.value[index - 1]
    if node.flow_style:
        edit = _Edit(before.end_mark.index, before.end_mark.index, f", {_flow(item)}")
    else:
        edit = _block_item(text, node, item, newline, before)
    return _finish(raw, text, [edit], {key: [*old[:index], dict(item), *old[index:]]}, rel)


def set_item(raw: bytes, key: str, index: int, values: Mapping[str, Any], rel: str) -> bytes:
    """Set scalar ``values`` of the mapping at ``index`` of the top-level list ``key`` (None removes a key;
    a new key follows the last one kept), e.g. a milestone's ``done`` or an extension's decision."""
    text, root, newline = _block_root(raw, rel)
    node = next((v for k, v in root.value if k.value == key), None)
    old = yamlio.parse(raw).data.get(key)
    if node is None or node.id != "sequence" or not isinstance(old, list) or not -len(old) <= index < len(old):
        raise LxError(f"{rel}: `{key}` 中没有第 {index + 1 if index >= 0 else index} 项，无法修改")
    item = node.value[index]
    if item.id != "mapping":
        raise LxError(f"{rel}: `{key}` 的第 {index % len(old) + 1} 项不是映射，无法自动修改，请手工编辑")
    if (
        not item.flow_style
        and item.value
        and item.value[0][0].value in values
        and values[item.value[0][0].value] is None
    ):
        raise LxError(f"{rel}: 不能自动删除 `{key}` 第 {index % len(old) + 1} 项的第一个键，请手工编辑")
    new = list(old)
    new[index] = {k: v for k, v in {**old[index], **values}.items() if k not in values or v is not None}
    return _finish(raw, text, _item_edits(text, item, values, newline), {key: new}, rel)


def _item_edits(text: str, node: Any, values: Mapping[str, Any], newline: str) -> list[_Edit]:
    """The edits that set ``values`` in one mapping (None: delete), leaving its other pairs alone."""
    flow = bool(node.flow_style)
    pairs = [(k.value, k, v) for k, v in node.value]
    present = {name for name, _k, _v in pairs}
    edits: list[_Edit] = []
    for name, _key_node, value_node in pairs:
        value = values.get(name)
        if value is not None and (value_node.id != "scalar" or yamlio.safe_scalar(text, value_node) != value):
            replacement = yamlio.scalar_text(value, flow, style=getattr(value_node, "style", None))
            edits.append(_Edit(value_node.start_mark.index, value_node.end_mark.index, replacement))
    deleted = [i for i, (name, _k, _v) in enumerate(pairs) if name in values and values[name] is None]
    kept = [i for i in range(len(pairs)) if i not in deleted]
    inserted = [(name, value) for name, value in values.items() if value is not None and name not in present]
    if flow:
        return edits + _flow_edits(text, pairs, deleted, kept, inserted)
    edits += [_delete_line(text, pairs[i][1], pairs[i][2]) for i in deleted]
    if inserted:
        edits.append(_insert_block(text, node, pairs, kept, inserted, newline))
    return edits


def _block_root(raw: bytes, rel: str) -> tuple[str, Any, str]:
    text = yamlio.decode(raw)
    root: Any = yamlio.compose_exact(text, rel)
    if root is None or root.id != "mapping" or root.flow_style:
        raise LxError(f"{rel}: 文件顶层不是逐行书写的映射，无法自动修改，请手工编辑")
    return text, root, "\r\n" if "\r\n" in text else "\n"


def _last_end(node: Any) -> int:
    """Where the last character of a node's own text ends (a block collection: its last value's)."""
    while node.id != "scalar" and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if node.id == "mapping" else last
    return int(node.end_mark.index)


def _line_after(text: str, node: Any) -> int:
    """The start of the line after a node's text (-1: it ends the file without a line break)."""
    end = _last_end(node)
    if node.id == "scalar" and node.style in ("|", ">") and text[end - 1 : end] == "\n":
        return end  # a block scalar's text takes its final line break
    found = text.find("\n", end)
    return found + 1 if found >= 0 else -1


def _at_end(text: str, lines: str, newline: str) -> _Edit:
    sep = newline if text and not text.endswith("\n") else ""
    return _Edit(len(text), len(text), sep + lines)


def _block_item(text: str, node: Any, item: Mapping[str, Any], newline: str, last: Any = None) -> _Edit:
    """A new item of a block sequence after ``last`` (default its last item), at its dash's column, in
    the style of that item."""
    dash = node.start_mark.column
    last = node.value[-1] if last is None else last
    if last.id == "mapping" and not last.flow_style and last.value:
        column = max(last.value[0][0].start_mark.column, dash + 2)
        pairs = [f"{k}: {yamlio.scalar_text(v)}" for k, v in item.items()]
        first = " " * dash + "-" + " " * (column - dash - 1) + pairs[0]
        lines = newline.join([first, *(" " * column + pair for pair in pairs[1:])]) + newline
    else:
        lines = " " * dash + f"- {_flow(item)}{newline}"
    position = _line_after(text, last)
    return _Edit(position, position, lines) if position >= 0 else _at_end(text, lines, newline)


def _finish(raw: bytes, text: str, edits: list[_Edit], changed: Mapping[str, Any], rel: str) -> bytes:
    """Apply the edits (from the end backwards) and check the result reads back as intended."""
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    result = ("\ufeff" if raw.startswith(b"\xef\xbb\xbf") else "") + text
    try:
        before = yamlio.parse(raw).data
        got = yamlio.parse(result.encode("utf-8")).data
    except yamlio.ParseError as exc:
        raise LxError(f"{rel}: 自动修改后文件无法解析（{exc.message}），已放弃修改，请手工编辑") from None
    if got != {**before, **changed}:
        raise LxError(f"{rel}: 自动修改的结果与预期不符，已放弃修改，请手工编辑")
    return result.encode("utf-8")


def replace_scalars(raw: bytes, places: Sequence[tuple[str, ...]], mapping: Mapping[str, str], rel: str) -> bytes:
    """Replace each string scalar at one of ``places`` (paths of keys from the top; ``*``: any list item)
    whose value is a key of ``mapping`` by its value, e.g. a renumbered task's id wherever a record names
    it. Returns ``raw`` itself when nothing matches."""
    text = yamlio.decode(raw)
    root: Any = yamlio.compose_exact(text, rel)
    edits: list[_Edit] = []

    def visit(node: Any, path: tuple[str, ...], flow: bool) -> None:
        if not path:
            if node.id == "scalar" and yamlio.safe_scalar(text, node) in mapping:
                new = mapping[yamlio.safe_scalar(text, node)]
                style = getattr(node, "style", None)
                edits.append(_Edit(node.start_mark.index, node.end_mark.index, yamlio.scalar_text(new, flow, style)))
            return
        head, rest = path[0], path[1:]
        if head == "*" and node.id == "sequence":
            for item in node.value:
                visit(item, rest, flow or bool(node.flow_style))
        elif head != "*" and node.id == "mapping":
            for key, value in node.value:
                if key.value == head:
                    visit(value, rest, flow or bool(node.flow_style))

    if root is not None:
        for place in places:
            visit(root, place, False)
    if not edits:
        return raw
    before = yamlio.parse(raw).data
    expected = before
    for place in places:
        expected = _replaced(expected, place, mapping)
    return _finish(raw, text, edits, expected, rel)


def _replaced(value: Any, path: tuple[str, ...], mapping: Mapping[str, str]) -> Any:
    """``value`` with the scalars at ``path`` replaced as ``replace_scalars`` does (for its check)."""
    if not path:
        return mapping.get(value, value) if isinstance(value, str) else value
    head, rest = path[0], path[1:]
    if head == "*" and isinstance(value, list):
        return [_replaced(item, rest, mapping) for item in value]
    if head != "*" and isinstance(value, dict) and head in value:
        return {**value, head: _replaced(value[head], rest, mapping)}
    return value
