"""Working days (spec 6.4, 6.5, 7): the year's file, else the chinese-calendar package, else a refusal;
with ``rules.calendar.working_days`` they move reply deadlines, report dues and escalation thresholds."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from laoxiao_cli.domain import rules, workdays
from laoxiao_cli.domain.letters import letters_due, reply_by
from laoxiao_cli.errors import LxError
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Calendar
from tests import factory as f
from tests.conftest import EXAMPLES, Lx, git, make_repo

PACKAGE = workdays.WorkingDays()
"""No calendar files: the package's data."""


def d(text: str) -> date:
    return date.fromisoformat(text)


def _ds(working_days: bool, *, calendars: tuple[Calendar, ...] = (), **over: object) -> Dataset:
    grp = f.group(rules={"calendar": {"working_days": working_days}, **over})
    base = f.dataset(grp=grp, units=[f.unit("a")], tasks=[f.task("t2022-001", "2022-09-23")])
    tables = {"unit": base.units, "task": base.tasks, "calendar": {str(c.year): c for c in calendars}}
    return Dataset.build(grp, tables)


# --- the days -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # 春节 2023: 1-21 … 1-27 off, Saturday 1-28 and Sunday 1-29 worked (调休)
        ("2023-01-20", True),
        ("2023-01-21", False),
        ("2023-01-23", False),
        ("2023-01-27", False),
        ("2023-01-28", True),
        ("2023-01-29", True),
        ("2023-01-30", True),
        # 国庆 2023 (with 中秋): 9-29 … 10-06 off, 10-07 and 10-08 worked
        ("2023-09-28", True),
        ("2023-09-29", False),
        ("2023-10-06", False),
        ("2023-10-07", True),
        ("2023-10-08", True),
        ("2023-10-09", True),
        ("2023-10-14", False),
        # 国庆 2022: 10-01 … 10-07 off, 10-08 and 10-09 worked
        ("2022-09-30", True),
        ("2022-10-01", False),
        ("2022-10-07", False),
        ("2022-10-08", True),
        ("2022-10-09", True),
        ("2022-10-10", True),
        # 元旦 2023: 12-31 … 1-02
        ("2022-12-30", True),
        ("2022-12-31", False),
        ("2023-01-02", False),
        ("2023-01-03", True),
    ],
)
def test_working_days_of_the_package(day: str, working: bool) -> None:
    assert PACKAGE.is_working_day(d(day)) is working


def test_next_and_nth_working_day() -> None:
    assert PACKAGE.next_working_day(d("2023-01-20")) == d("2023-01-28")
    assert PACKAGE.next_working_day(d("2022-09-30")) == d("2022-10-08")
    assert PACKAGE.next_working_day(d("2023-10-07")) == d("2023-10-08")
    assert PACKAGE.add_working_days(d("2022-09-30"), 2) == d("2022-10-09")
    assert PACKAGE.add_working_days(d("2023-09-28"), 0) == d("2023-09-28")
    assert PACKAGE.on_or_after(d("2023-10-01")) == d("2023-10-07")
    assert PACKAGE.on_or_after(d("2023-10-07")) == d("2023-10-07")


def test_across_the_year_boundary() -> None:
    # 2022-12-30 (Fri): the next working day is after 元旦, in the next year's data
    assert PACKAGE.add_working_days(d("2022-12-30"), 1) == d("2023-01-03")
    assert PACKAGE.add_working_days(d("2022-12-29"), 3) == d("2023-01-04")


def test_a_year_nobody_knows_is_refused() -> None:
    with pytest.raises(LxError) as caught:
        PACKAGE.is_working_day(d("2099-03-02"))
    assert caught.value.message == "2099 年的节假日安排尚未录入：请添加 data/calendar/2099.yaml"
    assert caught.value.exit_code == 1


def test_a_calendar_file_comes_before_the_package() -> None:
    own = Calendar.model_validate({"year": 2023, "holidays": [d("2023-01-03")], "workdays": []})
    ds = _ds(True, calendars=(own,))
    days = workdays.of(ds)
    assert not days.is_working_day(d("2023-01-03"))
    assert days.is_working_day(d("2023-01-23"))  # the package's 春节 no longer counts
    assert not days.is_working_day(d("2023-01-28"))  # nor its 调休 Saturday
    assert not days.is_working_day(d("2022-10-03"))  # 2022: no file, the package


def test_a_year_with_a_file_only() -> None:
    own = Calendar.model_validate({"year": 2099, "holidays": [d("2099-01-01")], "workdays": []})
    days = workdays.of(_ds(True, calendars=(own,)))
    assert not days.is_working_day(d("2099-01-01"))
    assert days.is_working_day(d("2099-01-02"))


# --- the rules with working days ------------------------------------------------------------------


def test_reply_by() -> None:
    # issued on the Thursday before 国庆 2023: 10 calendar days, or the 10th working day after
    assert reply_by(_ds(False), d("2023-09-28")) == d("2023-10-08")
    assert reply_by(_ds(True), d("2023-09-28")) == d("2023-10-18")
    # across the year boundary: 2022-12-30 + 1 working day = 2023-01-03
    ds = _ds(True, escalation={"reminder": 7, "assignment": 21, "supervision": 45, "reply_days": 1})
    assert reply_by(ds, d("2022-12-30")) == d("2023-01-03")


@pytest.mark.parametrize(
    ("month", "due_day", "calendar_days", "working"),
    [
        ("2022-09", 25, "2022-09-25", "2022-09-26"),  # a Sunday
        ("2022-10", 25, "2022-10-25", "2022-10-25"),  # a working day stays
        ("2022-10", 3, "2022-10-03", "2022-10-08"),  # 国庆: to the 调休 Saturday
        ("2023-01", 25, "2023-01-25", "2023-01-28"),  # 春节
        ("2022-12", 25, "2022-12-25", "2022-12-26"),
    ],
)
def test_report_due(month: str, due_day: int, calendar_days: str, working: str) -> None:
    reports = {"due_day": due_day}
    assert rules.report_due_date(_ds(False, reports=reports), month) == d(calendar_days)
    assert rules.report_due_date(_ds(True, reports=reports), month) == d(working)


def test_a_report_is_missing_only_after_its_moved_due() -> None:
    unit = f.unit("a")
    assert rules.missing_reports(_ds(False), unit, d("2022-09-26"))[-1] == "2022-09"
    assert "2022-09" not in rules.missing_reports(_ds(True), unit, d("2022-09-26"))
    assert rules.missing_reports(_ds(True), unit, d("2022-09-27"))[-1] == "2022-09"


def _next(ds: Dataset, day: str) -> str | None:
    return rules.next_letter(ds, ds.tasks["t2022-001"], d(day))


def test_escalation_counts_working_days() -> None:
    # due 2022-09-23 (Fri), reminder after 7 days: 9-30 in calendar days; in working days the 7th
    # working day after is 10-09 (a 调休 Sunday): 9-26 … 9-30 are five, 国庆 none, then 10-08, 10-09
    assert _next(_ds(False), "2022-09-29") is None
    assert _next(_ds(False), "2022-09-30") == "reminder"
    assert _next(_ds(True), "2022-09-30") is None
    assert _next(_ds(True), "2022-10-05") is None  # never in the middle of 国庆
    assert _next(_ds(True), "2022-10-08") is None
    assert _next(_ds(True), "2022-10-09") == "reminder"
    (due,) = letters_due(_ds(True), d("2022-10-09"))
    assert due.tasks[0].days_late == 16  # days_late stays in calendar days


def test_task_and_milestone_dues_never_move() -> None:
    ds = _ds(True)
    task = f.task("t2022-002", "2022-10-01", milestones=[{"name": "节点", "due": d("2022-10-02")}])
    assert rules.is_overdue(task, d("2022-10-02"))
    assert rules.due_at(task, d("2022-10-02")) == d("2022-10-01")
    assert rules.milestone_overdue(task, task.milestones[0], d("2022-10-03"))
    assert rules.days_late(d("2022-10-01"), d("2022-10-09")) == 8
    assert ds.group.rules.calendar.working_days


def test_working_days_off_by_default() -> None:
    assert f.group().rules.calendar.working_days is False
    assert f.group().rules.progress.tolerance == 10 and f.group().rules.progress.warn_days == 7


# --- the command line -----------------------------------------------------------------------------

GROUP = (EXAMPLES / "base" / "data" / "group.yaml").read_text(encoding="utf-8") + "  calendar: {working_days: true}\n"


def test_a_year_without_data_exits_1(tmp_path: Path, lx: Lx) -> None:
    root = make_repo(tmp_path / "r", {"data/group.yaml": GROUP})
    result = lx("reports", "--month", "2099-01", "--as-of", "2099-02-01", cwd=root)
    assert result.exit_code == 1, result.output
    assert "2099 年的节假日安排尚未录入：请添加 data/calendar/2099.yaml" in result.output
    assert "Traceback" not in result.output


def test_calendar_init_writes_the_packages_year(tmp_path: Path, lx: Lx) -> None:
    root = make_repo(tmp_path / "r", {"data/group.yaml": GROUP})
    result = lx("calendar", "init", "2023", cwd=root)
    assert result.exit_code == 0, result.output
    text = (root / "data" / "calendar" / "2023.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 2023 年工作日历：由 lx calendar init 按 chinese-calendar")
    assert "- 2023-01-23\n" in text and "- 2023-10-07\n" in text
    assert git(root, "log", "-1", "--format=%s").strip() == "数据: 新增 2023 年工作日历"
    assert lx("validate", cwd=root).exit_code == 0
    again = lx("calendar", "init", "2023", cwd=root)
    assert again.exit_code == 1 and "已存在" in again.output
    unknown = lx("calendar", "init", "2099", cwd=root)
    assert unknown.exit_code == 1 and "没有 2099 年的节假日安排" in unknown.output
    assert not (root / "data" / "calendar" / "2099.yaml").exists()
    bad = lx("calendar", "init", "20x3", cwd=root)
    assert bad.exit_code == 2


def test_calendar_init_json(tmp_path: Path, lx: Lx) -> None:
    root = make_repo(tmp_path / "r", {"data/group.yaml": GROUP})
    result = lx("calendar", "init", "2022", "--format", "json", cwd=root)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"] == ["data/calendar/2022.yaml"]


def test_the_bundled_letters_count_working_days() -> None:
    """The bundled letters were issued with the data's own rule (10 working days)."""
    for issued, due in (("2022-11-08", "2022-11-22"), ("2022-11-10", "2022-11-24")):
        assert PACKAGE.add_working_days(d(issued), 10) == d(due)
        assert d(due) - d(issued) > timedelta(days=10)
