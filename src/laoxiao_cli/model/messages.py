"""Turn Pydantic's errors into Chinese messages that say what is wrong and what is allowed."""

from __future__ import annotations

import types as pytypes
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from laoxiao_cli.model.findings import Loc
from laoxiao_cli.model.types import show_value

UNFILLED = "月报尚未填写报送日期"
"""The finding of a report scaffold not yet filled in (spec 6.8): it is not a submitted report."""

LABELS = {
    "id": "编号",
    "name": "名称",
    "title": "标题",
    "target": "目标",
    "lead": "牵头单位",
    "support": "配合单位",
    "due": "截止日期",
    "done": "完成日期",
    "status": "状态",
    "start": "开始日期",
    "kind": "类别",
    "date": "日期",
    "chair": "主持人",
    "unit": "单位",
    "month": "月份",
    "submitted": "报送日期",
    "received": "收到日期",
    "plans": "下步工作思路",
    "issued": "发函日期",
    "reply_by": "回复期限",
    "replied": "回复日期",
    "tasks": "任务",
    "duties": "职责",
    "member": "专班成员",
    "liaison": "联络员",
    "effective": "生效日期",
    "filed": "备案日期",
    "role": "角色",
    "from": "原任",
    "to": "继任",
    "document": "发文",
    "started": "起始日期",
    "leaders": "组长",
    "deputy_leaders": "副组长",
    "office": "专班办公室",
    "text": "内容",
    "weight": "权重",
    "milestones": "节点",
    "minutes": "会议纪要",
    "number": "序号",
    "attendance": "出席情况",
    "present": "出席",
    "attending": "列席",
    "absent": "请假",
    "stand_in": "代为出席",
    "doc": "公文",
    "issuer": "发文机关",
    "prefix": "发文字号前缀",
    "contact": "联系人",
}


IN_CONTEXT = {
    ("minutes", "issued"): "纪要印发日期",
    ("minutes", "number"): "纪要期号",
    **{(post, "from"): "任职起始日期" for post in ("leaders", "deputy_leaders", "staff")},
    **{(post, "until"): "任职截止日期" for post in ("leaders", "deputy_leaders", "staff")},
}
"""Labels of keys that mean something else inside a mapping (a meeting's ``minutes.issued`` is no letter's)."""


def field_label(loc: Loc) -> str:
    keys = [k for k in loc if isinstance(k, str)]
    if not keys:
        return "本记录"
    key = keys[-1]
    label = IN_CONTEXT.get((keys[-2], key)) if len(keys) > 1 else None
    label = label or LABELS.get(key)
    return f"`{key}`（{label}）" if label else f"`{key}`"


def _submodel(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = get_origin(annotation)
    if origin in (list, Union, pytypes.UnionType) or origin is not None:
        for arg in get_args(annotation):
            found = _submodel(arg)
            if found is not None:
                return found
    return None


def model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that holds the mapping at ``loc`` (list indices skipped)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        field = next((f for n, f in current.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return None
        current = _submodel(field.annotation)
    return current


def allowed_keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def translate(error: ErrorDetails, root: type[BaseModel]) -> tuple[Loc, bool, str]:
    """Return (location, point-at-key, message) for one Pydantic error."""
    loc: Loc = tuple(p for p in error["loc"] if isinstance(p, int) or not p.startswith(("function-", "constrained-")))
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    got = show_value(error.get("input"))
    label = field_label(loc)
    if loc == ("submitted",) and root.__name__ == "Report" and error.get("input") is None:
        return loc, False, f"{UNFILLED}：这份月报还是模板，填写 submitted（报送日期，YYYY-MM-DD）后才算报送"
    if kind == "missing":
        parent = model_at(root, loc[:-1])
        hint = f"；必填字段：{'、'.join(_required(parent))}" if parent else ""
        return loc[:-1], False, f"缺少必填字段 `{loc[-1]}`{hint}"
    if kind == "extra_forbidden":
        parent = model_at(root, loc[:-1])
        allowed = allowed_keys(parent) if parent else []
        return loc, True, _unknown_key(str(loc[-1]), allowed)
    if kind.startswith("lx_"):
        return loc, False, f"{label}：{error['msg']}"
    if kind == "literal_error":
        choices = str(ctx.get("expected", "")).replace(" or ", ", ").replace("'", "")
        return loc, False, f"{label} 的值 {got} 不在允许范围内，应为以下之一：{choices}"
    if kind in ("string_type", "str_type"):
        return loc, False, f"{label} 应为文字，实际为 {got}（数字、日期等请加引号）"
    if kind == "string_too_short":
        return loc, False, f"{label} 不能为空"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return loc, False, f"{label} 应为整数，实际为 {got}"
    if kind in ("float_type", "float_parsing"):
        return loc, False, f"{label} 应为数字，实际为 {got}"
    if kind in ("bool_type", "bool_parsing"):
        return loc, False, f"{label} 应为 true 或 false，实际为 {got}"
    if kind in ("list_type", "tuple_type"):
        value = error.get("input")
        slip = ""
        if isinstance(value, str) and value.startswith("-") and not value.startswith("- "):
            slip = f"（短横线后缺少空格？列表项应写成“- {value[1:]}”）"
        return loc, False, f"{label} 应为列表（- 开头的各项，或 [a, b]），实际为 {got}{slip}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return (
            loc,
            False,
            f"{label} 应为映射（key: value 形式），实际为 {got}{_mapping_example(root, loc, error.get('input'))}",
        )
    if kind == "too_short":
        return loc, False, f"{label} 至少需要 {ctx.get('min_length', 1)} 项"
    if kind == "greater_than":
        return loc, False, f"{label} 应大于 {ctx.get('gt')}，实际为 {got}"
    if kind == "greater_than_equal":
        return loc, False, f"{label} 应不小于 {ctx.get('ge')}，实际为 {got}"
    if kind == "less_than_equal":
        return loc, False, f"{label} 应不大于 {ctx.get('le')}，实际为 {got}"
    return loc, False, f"{label} 的值 {got} 不符合要求（{error['msg']}）"


def _unknown_key(key: str, allowed: list[str]) -> str:
    listed = f"允许的字段：{'、'.join(allowed)}"
    for char, what in (("\u3000", "全角空格（　）"), ("\u00a0", "不间断空格（从网页或 Word 复制来的）")):
        if char in key:
            meant = key.replace(char, "").strip()
            return f"字段名 `{key}` 中有{what}：YAML 只认半角空格缩进，应写成 `{meant}`。{listed}"
    english = [k for k in allowed if LABELS.get(k) == key.strip()]
    if english:
        return f"未知字段 `{key}`：字段名用英文，“{key}”应写成 `{english[0]}`。{listed}"
    close = closest(key, allowed)
    guess = f"，是否想写 `{close}`？" if close else "。"
    return f"未知字段 `{key}`{guess}{listed}"


def _mapping_example(root: type[BaseModel], loc: Loc, value: Any) -> str:
    """An example of the mapping expected at ``loc`` (a name given alone becomes its ``name``)."""
    model = model_at(root, loc)
    key = next((k for k in reversed(loc) if isinstance(k, str)), None)
    if model is None or key is None:
        return ""
    fields = _required(model) or allowed_keys(model)[:2]
    parts = [f"{f}: {value if f == 'name' and isinstance(value, str) else '…'}" for f in fields]
    return f"，应写成 `{key}: {{{', '.join(parts)}}}`"


def _required(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items() if f.is_required()]


def closest(word: str, candidates: list[str]) -> str | None:
    """The candidate within a small edit distance (typos, swapped letters), if any."""
    limit = 1 if len(word) <= 4 else 2
    scored = sorted((_distance(word, c), c) for c in candidates)
    return scored[0][1] if scored and scored[0][0] <= limit else None


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps."""
    rows = [list(range(len(b) + 1))] + [[i + 1] + [0] * len(b) for i in range(len(a))]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


def explain(exc: ValidationError, model: type[BaseModel]) -> list[tuple[Loc, str]]:
    """Every error of a failed validation, as (location, Chinese message)."""
    out = []
    for error in exc.errors(include_url=False):
        loc, _at_key, message = translate(error, model)
        out.append((loc, message))
    return out
