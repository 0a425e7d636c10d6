"""Writing YAML: new record files, and scalars that read back exactly (for edits at the parser's marks)."""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml

from laoxiao_cli.errors import LxError


def compose_exact(text: str, rel: str) -> yaml.Node | None:
    """Nodes whose marks index characters of ``text`` exactly (the pure-Python parser), for edits of the
    file ``rel``. The two parsers differ on a few plain scalars libyaml reads (``{name: 0?}``: PyYAML ends a
    flow scalar at "?"): such a file is valid data that cannot be edited in place, a located LxError."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{rel}:{mark.line + 1}:{mark.column + 1}" if mark is not None else rel
        raise LxError(
            f"{where}: 此处的写法 lx 无法逐字修改（如流式映射中含“?”的值），请给这个值加上引号，或手工编辑"
        ) from None
    except yaml.YAMLError:
        raise LxError(f"{rel}: 此文件的写法 lx 无法逐字修改，请手工编辑") from None


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # one date used twice is written twice, never as `&id001` / `*id001`


def dump(data: dict[str, Any]) -> str:
    """A new record file: block style, keys in the given order, Chinese as is, no anchors."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100_000)


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
            probe = f"{{k: {text}}}" if flow else f"k: {text}"  # plain in a flow mapping is stricter
            if yaml.safe_load(probe) == {"k": text}:
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
