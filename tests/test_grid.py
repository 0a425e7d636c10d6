"""Terminal tables: Chinese text aligned by display width, wrapped to the screen, colour only when styled."""

from __future__ import annotations

import os
import subprocess
import sys

from laoxiao_cli.render.common import Screen
from laoxiao_cli.render.grid import Col, grid, width
from tests.conftest import ROOT


def test_lines_have_equal_display_width() -> None:
    out = grid([Col("单位"), Col("数", right=True)], [["区民政局", "3"], ["ab", ("12", "red")]], Screen(False, 80))
    lines = out.rstrip("\n").splitlines()
    assert len({width(line) for line in lines}) == 1
    assert "\x1b[" not in out
    assert "│ 区民政局 │  3 │" in out


def test_wrapping_to_the_screen_width() -> None:
    text = "牵头推进、督促指导、监督管理“一老一小”服务工作，拟定全区养老服务体系建设规划" * 2
    out = grid([Col("编号", wrap=False), Col("内容")], [["minzheng.1", text]], Screen(False, 40))
    lines = out.rstrip("\n").splitlines()
    assert all(width(line) <= 40 for line in lines)
    assert len(lines) > 5
    assert "".join(line.split("│")[2].strip() for line in lines[3:-1]) == text


def test_colour_only_when_styled() -> None:
    rows = [["x", ("逾期", "bold red")]]
    assert "\x1b[1;31m逾期\x1b[0m" in grid([Col("a"), Col("b")], rows, Screen(True, 80))
    assert "\x1b[" not in grid([Col("a"), Col("b")], rows, Screen(False, 80))


def test_no_colour_codes_through_a_pipe_or_with_no_color() -> None:
    lx = os.path.join(os.path.dirname(sys.executable), "lx")
    env = {**os.environ, "NO_COLOR": "1"}
    piped = subprocess.run(
        [lx, "status", "--as-of", "2022-12-31"], cwd=ROOT, capture_output=True, text=True, env=env, check=True
    )
    assert "\x1b[" not in piped.stdout and "区民政局" in piped.stdout
