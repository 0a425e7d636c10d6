"""Remembered views (repo/views.py): `lx status` and `lx overdue` repeated on the same content print what
they printed, read from the cache without reading the tables; anything that could change the output
(the content, the day, the unit, the format, the screen) gives the output computed afresh."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from laoxiao_cli.repo import views
from laoxiao_cli.repo.cache import location
from tests.conftest import Lx, git
from tests.test_cache import _parts_read

TABLES = {"tasks", "units", "meetings", "letters", "handovers", "calendars", "submitted", "percents", "by_task"}


def _fresh(lx: Lx, root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """The command's exit code, output and messages without any cache: what it must print."""
    done = lx(*args, cwd=root, env={**(env or {}), "LX_NO_CACHE": "1"})
    return done.exit_code, done.stdout, done.stderr


def _run(lx: Lx, root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    done = lx(*args, cwd=root, env=env)
    return done.exit_code, done.stdout, done.stderr


COMMANDS = [
    ("status",),
    ("status", "--format", "json"),
    ("status", "--format", "markdown", "--with-contacts"),
    ("overdue",),
    ("overdue", "--format", "json"),
    ("overdue", "--format", "csv", "--unit", "甲局"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("day", ["2022-09-29", "2022-09-30", "2022-10-01"])
def test_a_repeated_view_prints_the_same_and_reads_no_table(
    aged: Path, lx: Lx, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...], day: str
) -> None:
    args = (*command, "--as-of", day)
    expected = _fresh(lx, aged, *args)
    assert expected[0] == 0, expected
    assert _run(lx, aged, *args) == expected  # computed, then remembered
    assert (location(aged, aged / "data") / f"view-{command[0]}").is_file()
    names = _parts_read(monkeypatch)
    assert _run(lx, aged, *args) == expected
    assert f"view-{command[0]}" in names
    assert not TABLES & set(names) - {"units"}, names  # answered from the remembered output
    if "--unit" not in command:
        assert "units" not in names


def test_the_day_before_of_and_after_are_each_their_own(aged: Path, lx: Lx) -> None:
    outputs = {}
    for day in ("2022-09-29", "2022-09-30", "2022-10-01", "2022-09-30", "2022-09-29"):
        got = _run(lx, aged, "overdue", "--format", "json", "--as-of", day)
        assert got == _fresh(lx, aged, "overdue", "--format", "json", "--as-of", day)
        outputs.setdefault(day, got)
        assert outputs[day] == got
    assert len(set(outputs.values())) == 3
    # t2022-001 is due on 2022-09-30: overdue from the day after, not on the day
    assert '"id": "t2022-001"' not in outputs["2022-09-30"][1] and '"id": "t2022-001"' in outputs["2022-10-01"][1]


def test_a_hand_edit_or_a_commit_is_seen_at_once(aged: Path, lx: Lx) -> None:
    args = ("status", "--format", "json", "--as-of", "2023-06-30")
    before = _run(lx, aged, *args)
    assert _run(lx, aged, *args) == before
    task = sorted((aged / "data" / "tasks").glob("*.yaml"))[0]
    original = task.read_text(encoding="utf-8")
    task.write_text(
        original.replace("status: open", "status: cancelled\ncancelled:\n  date: 2023-06-01\n  reason: 测试", 1),
        encoding="utf-8",
    )
    edited = _fresh(lx, aged, *args)
    assert edited != before  # the edit changes the output …
    assert _run(lx, aged, *args) == edited  # … and lx shows it, not the remembered one
    assert _run(lx, aged, *args) == edited
    git(aged, "commit", "-qam", "cancel a task")
    assert _run(lx, aged, *args) == edited
    git(aged, "reset", "-q", "--hard", "HEAD~1")
    assert _run(lx, aged, *args) == before


def test_a_cache_rebuilt_for_new_content_does_not_give_the_old_content_s_view(aged: Path, lx: Lx) -> None:
    args = ("overdue", "--format", "json", "--as-of", "2022-10-01")
    before = _run(lx, aged, *args)
    assert _run(lx, aged, *args) == before
    task = aged / "data" / "tasks" / "t2022-001.yaml"
    task.write_text(
        task.read_text(encoding="utf-8").replace("title: 完成甲事", "title: 完成甲事（第二稿）"), encoding="utf-8"
    )
    git(aged, "commit", "-qam", "a new title")
    (location(aged, aged / "data") / "state").unlink()
    assert lx("validate", cwd=aged).exit_code == 0  # the cache now holds the new content, the view the old's
    after = _fresh(lx, aged, *args)
    assert after != before
    for _ in range(3):
        assert _run(lx, aged, *args) == after


def test_the_screen_and_the_unit_are_part_of_what_is_remembered(aged: Path, lx: Lx) -> None:
    for env in ({"COLUMNS": "60"}, {"COLUMNS": "200"}, {}, {"COLUMNS": "60"}):
        for args in (("overdue",), ("overdue", "--unit", "甲局"), ("overdue", "--unit", "乙局"), ("status",)):
            assert _run(lx, aged, *args, "--as-of", "2023-07-01", env=env) == _fresh(
                lx, aged, *args, "--as-of", "2023-07-01", env=env
            )


def test_an_unknown_unit_is_an_error_though_other_units_are_remembered(aged: Path, lx: Lx) -> None:
    _run(lx, aged, "overdue", "--unit", "甲局")
    code, _, err = _run(lx, aged, "overdue", "--unit", "不存在的局")
    assert code == 1 and "没有名为“不存在的局”的单位" in err


def test_at_most_limit_results_are_kept_and_a_damaged_file_is_ignored(aged: Path, lx: Lx) -> None:
    days = [f"2023-07-{n:02d}" for n in range(1, views.LIMIT + 3)]
    for day in days:
        _run(lx, aged, "status", "--as-of", day)
    folder = location(aged, aged / "data")
    known = views.read(folder, "status")
    assert known is not None and len(known.results) == views.LIMIT
    assert [args[0].isoformat() for args in known.results] == days[-views.LIMIT :]  # type: ignore[index]
    path = views.path(folder, "status")
    path.write_bytes(path.read_bytes()[:-40])  # cut short
    assert _run(lx, aged, "status", "--as-of", days[-1]) == _fresh(lx, aged, "status", "--as-of", days[-1])
    path.write_bytes(b"not a cache file")
    assert _run(lx, aged, "status", "--as-of", days[-1]) == _fresh(lx, aged, "status", "--as-of", days[-1])


def test_a_view_of_partial_data_reports_the_findings_every_time(
    aged: Path, lx: Lx, monkeypatch: pytest.MonkeyPatch
) -> None:
    task = sorted((aged / "data" / "tasks").glob("*.yaml"))[0]
    task.write_text(task.read_text(encoding="utf-8") + "deu: 2023-01-01\n", encoding="utf-8")
    git(aged, "commit", "-qam", "a broken task")
    expected = _fresh(lx, aged, "status", "--as-of", "2023-06-30")
    assert expected[0] == 1 and task.name in expected[2]
    assert _run(lx, aged, "status", "--as-of", "2023-06-30") == expected
    import laoxiao_cli.domain.status as domain

    def refuse(*args: object) -> object:
        raise AssertionError("computed again")

    monkeypatch.setattr(domain, "status", refuse)  # from now on only the remembered output can be shown
    for _ in range(2):
        assert _run(lx, aged, "status", "--as-of", "2023-06-30") == expected


def test_a_file_format_is_never_remembered(aged: Path, lx: Lx, tmp_path: Path) -> None:
    for n in range(2):
        done = lx("overdue", "-o", str(tmp_path / f"{n}.xlsx"), cwd=aged)
        assert done.exit_code == 0, done.stderr
    assert not (location(aged, aged / "data") / "view-overdue").exists()


def test_no_cache_means_nothing_remembered(aged: Path, lx: Lx) -> None:
    _run(lx, aged, "status", env={"LX_NO_CACHE": "1"})
    _run(lx, aged, "status", env={"LX_NO_CACHE": "1"})
    assert not (location(aged, aged / "data") / "view-status").exists()


def test_an_unwritable_cache_still_prints_the_view(aged: Path, lx: Lx, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _fresh(lx, aged, "status")

    def fail(*args: object, **kwargs: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    assert _run(lx, aged, "status") == expected
    assert _run(lx, aged, "status") == expected


def test_with_and_without_contacts_are_each_their_own(aged: Path, lx: Lx) -> None:
    for args in (("status",), ("status", "--with-contacts"), ("status",), ("status", "--with-contacts")):
        for fmt in ("table", "markdown"):
            assert _run(lx, aged, *args, "--format", fmt) == _fresh(lx, aged, *args, "--format", fmt)
    assert _fresh(lx, aged, "status", "--with-contacts") != _fresh(lx, aged, "status")


def test_colours_on_a_terminal_are_part_of_what_is_remembered(aged: Path) -> None:
    import sys

    from tests.ptyrun import on_a_terminal

    lx_path = os.path.join(os.path.dirname(sys.executable), "lx")
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "LX_NO_CACHE")}
    base["COLUMNS"] = "120"
    outputs = []
    for no_color in (False, True, False, True):
        env = {**base, "NO_COLOR": "1"} if no_color else base
        code, out = on_a_terminal([lx_path, "status", "--as-of", "2022-10-01"], aged, env, stderr=subprocess.DEVNULL)
        fresh_code, fresh = on_a_terminal(
            [lx_path, "status", "--as-of", "2022-10-01"], aged, {**env, "LX_NO_CACHE": "1"}, stderr=subprocess.DEVNULL
        )
        assert (code, out) == (fresh_code, fresh) == (0, fresh)
        assert ("\x1b[" in out) is not no_color
        outputs.append(out)
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]


def test_a_view_computed_while_the_cache_was_replaced_is_not_remembered(aged: Path) -> None:
    """Another lx rewrote the cache for other content after this load was served from it: the dataset then
    comes from the files as they are now, which the load's key may not describe."""
    from laoxiao_cli.repo.loader import load_dir

    load_dir(aged / "data")
    loaded = load_dir(aged / "data", view=("status", "one"))
    assert loaded.key is not None
    (location(aged, aged / "data") / "letters").unlink()  # gone before the view first reads it
    assert loaded.remembered(lambda: len(loaded.dataset.letters) if loaded.dataset else -1) >= 0
    assert views.read(location(aged, aged / "data"), "status") is None


@pytest.mark.parametrize("committed", [False, True], ids=["hand edits", "a commit"])
def test_a_view_after_hand_edits_or_a_commit_is_remembered(
    aged: Path, lx: Lx, monkeypatch: pytest.MonkeyPatch, committed: bool
) -> None:
    """The cache holds the commit before: the edits, or the commit, are applied to it, then remembered."""
    args = ("overdue", "--format", "json", "--as-of", "2022-10-01")
    _run(lx, aged, "validate")
    task = aged / "data" / "tasks" / "t2022-001.yaml"
    task.write_text(
        task.read_text(encoding="utf-8").replace("title: 完成甲事", "title: 完成甲事（第二稿）"), encoding="utf-8"
    )
    if committed:
        git(aged, "commit", "-qam", "a new title")
    expected = _fresh(lx, aged, *args)
    assert "（第二稿）" in expected[1]
    assert _run(lx, aged, *args) == expected
    names = _parts_read(monkeypatch)
    assert _run(lx, aged, *args) == expected
    assert "view-overdue" in names and not TABLES & set(names), names
