"""Field types shared by the records: ids, dates, months, quarters, with Chinese error messages."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")

ID_RULE = "只能由小写英文字母、数字和 . _ - 组成，并以字母或数字开头（如 minzheng、t2022-001）"


def _check_id(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("lx_id", "应为编号（文字），实际为 {got}", {"got": _show(value)})
    if not ID_RE.match(value):
        raise PydanticCustomError("lx_id", "编号“{got}”不合规：" + ID_RULE, {"got": value})
    return value


def _check_date(value: Any) -> date:
    # YAML gives dates as `date`; a quoted ISO date is accepted too. Integers (which Pydantic would
    # read as Unix timestamps) and datetimes are refused.
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str) and DATE_RE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
        raise PydanticCustomError("lx_date", "“{got}”不是存在的日期：应为 YYYY-MM-DD，如 2022-12-31", {"got": value})
    raise PydanticCustomError("lx_date", "应为日期 YYYY-MM-DD（如 2022-12-31），实际为 {got}", {"got": _show(value)})


def _check_month(value: Any) -> str:
    if isinstance(value, str) and MONTH_RE.match(value):
        return value
    raise PydanticCustomError("lx_month", "应为月份 YYYY-MM（如 2022-08），实际为 {got}", {"got": _show(value)})


def _check_weight(value: Any) -> float | int:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return value
    raise PydanticCustomError("lx_weight", "权重应为大于 0 的数字（默认 1），实际为 {got}", {"got": _show(value)})


def _show(value: Any) -> str:
    if value is None:
        return "空值（null）"
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"数字 {value}"
    if isinstance(value, date):
        return f"日期 {value.isoformat()}"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:40] + "…"
        return f"“{text}”"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    return type(value).__name__


show_value = _show

Id = Annotated[str, PlainValidator(_check_id), WithJsonSchema({"type": "string", "pattern": ID_RE.pattern})]
Date = Annotated[date, PlainValidator(_check_date), WithJsonSchema({"type": "string", "format": "date"})]
Month = Annotated[str, PlainValidator(_check_month), WithJsonSchema({"type": "string", "pattern": MONTH_RE.pattern})]
Weight = Annotated[float, PlainValidator(_check_weight), WithJsonSchema({"type": "number", "exclusiveMinimum": 0})]
