"""Field types shared by the records: ids, dates, months, quarters, with Chinese error messages."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from laoxiao_cli.model.years import YEAR_RULE, year_ok

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
        if not year_ok(value.year):
            raise PydanticCustomError("lx_date", "日期 {got} 不合理：" + YEAR_RULE, {"got": value.isoformat()})
        return value
    if isinstance(value, str) and DATE_RE.match(value):
        try:
            return _check_date(date.fromisoformat(value))
        except ValueError:
            pass
        raise PydanticCustomError("lx_date", "“{got}”不是存在的日期：应为 YYYY-MM-DD，如 2022-12-31", {"got": value})
    raise PydanticCustomError("lx_date", "应为日期 YYYY-MM-DD（如 2022-12-31），实际为 {got}", {"got": _show(value)})


def _check_month(value: Any) -> str:
    if isinstance(value, str) and MONTH_RE.match(value):
        if not year_ok(int(value[:4])):
            raise PydanticCustomError("lx_month", "月份 {got} 不合理：" + YEAR_RULE, {"got": value})
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

PHONE_RE = re.compile(r"^[0-9+()（）\- 转分机ext.,，、/]+$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
ACCOUNT_RE = re.compile(r"^(@?[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?|[^\s@#]+@[^\s@#]+\.[^\s@#]+)$")
"""A forge account as CODEOWNERS takes it: a user (``wangwu``, ``@wangwu``), a team (``@org/team``), an e-mail."""


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("lx_blank", "不能只有空格：请写出内容")
    return value


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise PydanticCustomError("lx_line", "不能换行：姓名、职务写在一行内")
    return value


def _check_phone(value: str) -> str:
    digits = sum(c.isdigit() for c in value)
    if not PHONE_RE.match(value) or digits < 3:
        raise PydanticCustomError(
            "lx_phone",
            "“{got}”不像电话号码：只能含数字、空格、+ - ( ) 和“转”，如 0577-88888888、13800138000 或 0577-88888888转123",
            {"got": value},
        )
    return value


def _check_email(value: str) -> str:
    if not EMAIL_RE.match(value):
        raise PydanticCustomError("lx_email", "“{got}”不像电子邮箱地址：应形如 zhangsan@example.org", {"got": value})
    return value


def _check_account(value: str) -> str:
    if not ACCOUNT_RE.match(value):
        raise PydanticCustomError(
            "lx_account",
            "“{got}”不像代码托管平台的账号：应为用户名（如 wangwu 或 @wangwu）、团队（如 @org/team）或邮箱，不能含空格或 #",
            {"got": value},
        )
    return value


Id = Annotated[str, PlainValidator(_check_id), WithJsonSchema({"type": "string", "pattern": ID_RE.pattern})]
Date = Annotated[date, PlainValidator(_check_date), WithJsonSchema({"type": "string", "format": "date"})]
Month = Annotated[str, PlainValidator(_check_month), WithJsonSchema({"type": "string", "pattern": MONTH_RE.pattern})]
Weight = Annotated[float, PlainValidator(_check_weight), WithJsonSchema({"type": "number", "exclusiveMinimum": 0})]
Text = Annotated[str, Field(min_length=1), AfterValidator(_not_blank)]
"""Text that must say something: not empty, not only spaces."""
Line = Annotated[str, Field(min_length=1), AfterValidator(_not_blank), AfterValidator(_one_line)]
"""A name or a title: not blank, on one line."""
Phone = Annotated[str, AfterValidator(_check_phone)]
Email = Annotated[str, AfterValidator(_check_email)]
Account = Annotated[str, AfterValidator(_check_account)]
