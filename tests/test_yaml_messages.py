"""The parse errors of libyaml (the C loader lx reads with) reach the user as Chinese messages, located at
the line and column, never as the parser's English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import Lx

CASES = [
    ("id: a\ntitle: b: c\n", "2:9", "这里不能出现“:”"),
    ("a: 1\n- b\n", "2:1", "此处应为“键: 值”"),
    ("a: [1, 2\nb: 3\n", "1:4", "方括号 [ 没有闭合"),
    ("a: {x: 1\nb: 3\n", "1:4", "花括号 { 没有闭合"),
    ("a: 1\n  b: 2\n", "2:4", "这里不能出现“:”"),
    ("a:\n\t- b\n", "2:1", "制表符（Tab）"),
    ("a: &\nb: 1\n", "1:5", "锚点 & 或别名 * 后面应是名字"),
    ("a: 'x' y\n", "1:8", "此处应为“键: 值”"),
    ('a: |\n x\n  y\nb: "\n', "4:4", "引号没有闭合"),
]


@pytest.mark.parametrize(("text", "place", "message"), CASES)
def test_a_broken_file_gets_a_located_chinese_message(
    bundled: Path, lx: Lx, text: str, place: str, message: str
) -> None:
    path = bundled / "data" / "tasks" / "t2022-001.yaml"
    path.write_text(text, encoding="utf-8")
    result = lx("validate", cwd=bundled)
    assert result.exit_code == 1
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("data/tasks/t2022-001.yaml:")]
    assert line.startswith(f"data/tasks/t2022-001.yaml:{place}: YAML 格式错误："), line
    assert message in line, line
    assert not re.search(r"[a-z]{4,} [a-z]{3,}", line.split("：", 1)[1]), line  # no English sentence
