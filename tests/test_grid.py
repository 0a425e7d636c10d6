"""Terminal tables: Chinese text aligned by display width, wrapped to the screen, colour only when styled."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from laoxiao_cli.render.common import Screen
from laoxiao_cli.render.grid import Col, grid, width
from tests.ptyrun import on_a_terminal


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


CELLS = st.text(alphabet=st.sampled_from("ab1 区民政局逾期、\n\t\x1b"), max_size=14)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.integers(1, 4).flatmap(
        lambda n: st.lists(
            st.lists(st.one_of(CELLS, st.tuples(CELLS, st.sampled_from(["red", "", "bold"]))), min_size=n, max_size=n),
            max_size=6,
        )
    ),
    screen_width=st.integers(20, 90),
)
def test_a_plain_table_is_the_styled_one_without_its_colours(rows: list[list[object]], screen_width: int) -> None:
    """The plain screen's one-line rows are drawn by a shortcut; the styled screen draws every row the
    general way: without their escape codes the two are the same table, whatever wraps."""
    columns = [Col(f"列{i}", right=i == 1, wrap=i != 2) for i in range(len(rows[0]) if rows else 2)]
    plain = grid(columns, rows, Screen(False, screen_width), title="标题")  # type: ignore[arg-type]
    styled = grid(columns, rows, Screen(True, screen_width), title="标题")  # type: ignore[arg-type]
    assert re.sub("\x1b\\[[0-9;]*m", "", styled) == plain


LX = os.path.join(os.path.dirname(sys.executable), "lx")
STATUS = [LX, "status", "--as-of", "2022-12-31"]
ANSI_CODE = re.compile("\x1b\\[[0-9;]*m")


def _env(no_color: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return {**env, "NO_COLOR": "1"} if no_color else env


def _on_a_terminal(cwd: Path, env: dict[str, str]) -> str:
    """Standard output of ``lx status`` when it is a terminal (a pseudo-terminal); standard error goes to a
    file, so that only what is written to the terminal is looked at."""
    errors = cwd.parent / "stderr.txt"
    with errors.open("wb") as err:
        code, out = on_a_terminal(STATUS, cwd, env, stderr=err)
    assert code == 0, errors.read_text(encoding="utf-8")
    return out


def test_colour_codes_on_a_terminal(bundled: Path) -> None:
    # the control for the two tests below: the same command on a terminal without NO_COLOR is coloured,
    # and colour is all that differs from the plain output
    out = _on_a_terminal(bundled, _env(no_color=False))
    assert "\x1b[" in out
    plain = subprocess.run(STATUS, cwd=bundled, capture_output=True, text=True, env=_env(no_color=True), check=True)
    assert ANSI_CODE.sub("", out).replace("\r\n", "\n") == plain.stdout


def test_no_colour_codes_through_a_pipe(bundled: Path) -> None:
    piped = subprocess.run(STATUS, cwd=bundled, capture_output=True, text=True, env=_env(no_color=False), check=True)
    assert "\x1b[" not in piped.stdout
    assert "│ 区民政局" in piped.stdout


def test_no_colour_codes_on_a_terminal_with_no_color(bundled: Path) -> None:
    out = _on_a_terminal(bundled, _env(no_color=True))
    assert "\x1b[" not in out
    assert "│ 区民政局" in out
