"""`lx --help`: every command listed from the registry (cli/commands.py) without loading one, each with
a summary that is its help's first sentence, cut to the terminal's width in display columns."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from laoxiao_cli.cli.commands import COMMANDS, load
from laoxiao_cli.cli.helptext import first_sentence, summary
from tests.conftest import Lx


def columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_registry_summary_is_the_commands_first_sentence(name: str) -> None:
    command = load(name)
    assert command.name == name
    assert COMMANDS[name][2] == first_sentence(command.help), "update the summary in cli/commands.py"


def test_top_level_help_lists_every_command_in_registry_order(lx: Lx) -> None:
    result = lx("--help", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    listed = result.output.split("命令:\n", 1)[1].splitlines()
    rows = [line.split(None, 1) for line in listed if line.strip()]
    assert [row[0] for row in rows] == list(COMMANDS)
    for name, text in rows:
        assert "..." not in text
        assert columns(f"  {name:<12}{text}") <= 80, text
        sentence = COMMANDS[name][2]
        assert text == sentence or (text.endswith("…") and sentence.startswith(text[:-1]))


def test_subcommand_lists_use_the_same_summaries(lx: Lx) -> None:
    result = lx("task", "--help", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    rows = [line.split(None, 1) for line in result.output.split("命令:\n", 1)[1].splitlines() if line.strip()]
    assert [row[0] for row in rows] == ["new", "done", "cancel", "extend", "approve", "refuse"]
    assert all("..." not in text and text for _, text in rows)


def _commands_loaded(tmp_path: Path, *argv: str) -> tuple[str, list[str]]:
    """What ``lx ARGV`` prints, run in a fresh interpreter, and the command modules it imported."""
    code = (
        "import sys\n"
        "from laoxiao_cli.cli.app import main\n"
        f"sys.argv = ['lx', *{list(argv)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('laoxiao_cli.cli.') and m.endswith(('_cmd', 'validate')))\n"
        "sys.stderr.write(repr(loaded))\n"
    )
    env = {**os.environ, "COLUMNS": "80"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout, ast.literal_eval(done.stderr)


def test_top_level_help_imports_no_command_module(tmp_path: Path) -> None:
    shown, loaded = _commands_loaded(tmp_path, "--help")
    assert "命令:" in shown
    assert loaded == []


def test_a_command_loads_only_its_own_module(tmp_path: Path) -> None:
    _shown, loaded = _commands_loaded(tmp_path, "schema", "--help")
    assert loaded == ["laoxiao_cli.cli.schema_cmd"]


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("一二三。后面", 8, "一二三。"),  # exactly the limit (a Chinese character is two columns): whole
        ("一二三。后面", 7, "一二三…"),  # one column short: cut, and the "…" fits
        ("一二三四。", 9, "一二三四…"),
        ("一二三四。", 10, "一二三四。"),
        ("ab一二", 5, "ab一…"),
        ("", 10, ""),
        ("第一段\n\n第二段。", 20, "第一段"),
        ("跨行的\n  第一句。第二句。", 40, "跨行的 第一句。"),
    ],
)
def test_summary_cuts_at_display_columns(text: str, limit: int, expected: str) -> None:
    got = summary(text, limit)
    assert got == expected
    assert columns(got) <= limit


def test_unknown_command_says_so_in_chinese_with_the_close_ones(lx: Lx) -> None:
    result = lx("statsu")
    assert result.exit_code == 2
    assert "没有命令“statsu”，是否想用 status" in result.output
    assert "Did you mean" not in result.output


def test_the_view_formats_written_out_are_their_renderers_formats() -> None:
    """`lx status` / `lx overdue` name their formats without importing their renderers (a remembered view
    imports no render module): the names must be those the renderers have, in their order."""
    from importlib import import_module

    from laoxiao_cli.cli.options import VIEW_FORMATS

    assert set(VIEW_FORMATS) == {"status", "overdue"}
    for renderer, names in VIEW_FORMATS.items():
        assert names == tuple(import_module(f"laoxiao_cli.render.{renderer}").FORMATS)


def test_a_remembered_view_imports_no_rules_or_renderer(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    from tests.conftest import BUNDLED, init_git

    root = tmp_path / "ouhai"
    shutil.copytree(BUNDLED, root / "data")
    init_git(root)
    probe = (
        "import sys\n"
        "from laoxiao_cli.cli.app import main\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    print('MODULES', *sorted(m for m in sys.modules if m.startswith('laoxiao_cli.')), file=sys.stderr)\n"
    )
    heavy = {  # the records' models, the rules, the views' renderers
        "laoxiao_cli.model.records",
        "laoxiao_cli.domain.rules",
        "laoxiao_cli.domain.status",
        "laoxiao_cli.domain.overdue",
        "laoxiao_cli.render.status",
        "laoxiao_cli.render.overdue",
    }
    for command in (["status", "--as-of", "2022-12-31"], ["overdue", "--as-of", "2022-12-31", "--unit", "区民政局"]):
        runs = [
            subprocess.run([sys.executable, "-c", probe, *command], cwd=root, capture_output=True, text=True)
            for _ in range(2)
        ]
        assert [r.returncode for r in runs] == [0, 0] and runs[0].stdout == runs[1].stdout != ""
        first, again = ({*r.stderr.split("MODULES")[-1].split()} for r in runs)
        assert heavy & first  # computed the first time
        assert not heavy & again  # remembered: no model, rule or renderer imported
