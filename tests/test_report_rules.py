"""Reports as the notice asks for them (spec 6.9): lateness judged on ``received`` when the office recorded
it, else on ``submitted``; ``rules.reports.due_month: next`` (次月5日前报送上月情况); ``plans`` (下步工作思路)
in the agenda. Every view asks the one rule (domain/rules.py), so each boundary is checked in several."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from laoxiao_cli.domain import progress, rules
from laoxiao_cli.domain.agenda import agenda
from laoxiao_cli.domain.bulletin import bulletin
from laoxiao_cli.domain.calendar import previous_month, report_due
from laoxiao_cli.domain.deadlines import deadlines
from laoxiao_cli.domain.overdue import overdue
from laoxiao_cli.domain.reports import default_month, month_reports
from laoxiao_cli.domain.score import scores
from laoxiao_cli.domain.status import status
from laoxiao_cli.domain.workdays import UnknownYear
from laoxiao_cli.model.checks import record_issues
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Calendar, Report, Task
from laoxiao_cli.render import agenda as render_agenda
from laoxiao_cli.render import bulletin as render_bulletin
from laoxiao_cli.render import ics as render_ics
from laoxiao_cli.render.common import View
from tests.conftest import Lx, git
from tests.factory import d, dataset, group, task, unit


def report(unit_id: str, month: str, submitted: str, received: str | None = None, **over: Any) -> Report:
    data: dict[str, Any] = {"unit": unit_id, "month": month, "submitted": d(submitted), **over}
    if received is not None:
        data["received"] = d(received)
    return Report.model_validate(data)


def same(*reports: Report, tasks: list[Task] | None = None) -> Dataset:
    """Due on the 25th of the report's month (the default), calendar days, one unit a."""
    return dataset(grp=group(), units=[unit("a")], reports=list(reports), tasks=tasks)


def nxt(
    *reports: Report, working_days: bool = False, due_day: int = 5, tasks: list[Task] | None = None, **over: Any
) -> Dataset:
    """Due on ``due_day`` of the month after the report's (次月5日前), one unit a."""
    grp = group(
        rules={"reports": {"due_day": due_day, "due_month": "next"}, "calendar": {"working_days": working_days}},
        **over,
    )
    return dataset(grp=grp, units=[unit("a")], reports=list(reports), tasks=tasks)


def state(ds: Dataset, month: str, as_of: str) -> tuple[str, int | None]:
    row = month_reports(ds, month, d(as_of)).rows[0]
    return row.state, row.days_late


# --- received, else submitted ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "received", "expected"),
    [
        ("2022-07-20", "2022-07-25", ("submitted", None)),  # received on its due day: on time
        ("2022-07-25", "2022-07-26", ("late", 1)),  # the day after: late
        ("2022-07-20", "2022-07-30", ("late", 5)),  # sent in time, received late: late
        ("2022-07-25", None, ("submitted", None)),  # no received: submitted decides
        ("2022-07-26", None, ("late", 1)),
    ],
)
def test_lateness_is_judged_on_received_else_submitted(
    submitted: str, received: str | None, expected: tuple[str, int | None]
) -> None:
    ds = same(report("a", "2022-07", submitted, received))
    assert state(ds, "2022-07", "2022-08-31") == expected
    row = month_reports(ds, "2022-07", d("2022-08-31")).rows[0]
    assert (row.submitted, row.received) == (d(submitted), d(received) if received else None)
    b = bulletin(ds, "2022-07", d("2022-08-31"))
    assert (b.on_time, b.late) == ((["a"], []) if expected[0] == "submitted" else ([], ["a"]))


def test_a_report_counts_as_submitted_on_the_day_it_was_received() -> None:
    """Sent on the 20th, received on the 27th: on the 26th the office has no report, and it is overdue."""
    ds = same(report("a", "2022-07", "2022-07-20", "2022-07-27"))
    a = ds.units["a"]
    assert rules.missing_reports(ds, a, d("2022-07-26")) == ["2022-07"]
    assert rules.missing_reports(ds, a, d("2022-07-27")) == []
    assert state(ds, "2022-07", "2022-07-26") == ("missing", 1)
    assert state(ds, "2022-07", "2022-07-27") == ("late", 2)
    items = [(i.id, i.days_late) for i in overdue(ds, d("2022-07-26")).items if i.kind == "report"]
    assert items == [("2022-07/a", 1)]
    assert [i for i in overdue(ds, d("2022-07-27")).items if i.kind == "report"] == []
    assert status(ds, d("2022-07-26")).units[0].missing_reports == ["2022-07"]
    assert status(ds, d("2022-07-27")).units[0].missing_reports == []


def test_the_reported_percent_counts_from_the_day_received() -> None:
    t = task("t1", "2022-12-31", start="2022-07-01")
    row = [{"task": "t1", "percent": 40}]
    ds = dataset(
        units=[unit("a")], tasks=[t], reports=[report("a", "2022-07", "2022-07-20", "2022-07-27", progress=row)]
    )
    assert progress.reported(ds, d("2022-07-26")) == {}
    assert progress.reported(ds, d("2022-07-27")) == {"t1": 40}


# --- due_month: next -------------------------------------------------------------------------------


def test_next_month_dues_across_the_year_end() -> None:
    ds = nxt()
    assert report_due("2022-12", 5, "next") == d("2023-01-05") == rules.report_due_date(ds, "2022-12")
    assert rules.report_due_date(ds, "2022-11") == d("2022-12-05")
    assert report_due("2022-12", 5) == d("2022-12-05")  # the default: the report's own month
    assert rules.report_due_date(same(), "2022-12") == d("2022-12-25")
    assert previous_month("2023-01") == "2022-12" and previous_month("2022-07") == "2022-06"


@pytest.mark.parametrize(
    ("as_of", "missing", "dec_state"),
    [
        ("2022-12-31", ["2022-07", "2022-08", "2022-09", "2022-10", "2022-11"], ("pending", None)),
        ("2023-01-05", ["2022-07", "2022-08", "2022-09", "2022-10", "2022-11"], ("pending", None)),  # due today
        ("2023-01-06", ["2022-07", "2022-08", "2022-09", "2022-10", "2022-11", "2022-12"], ("missing", 1)),
    ],
)
def test_next_month_the_december_report_is_missing_after_january_5(
    as_of: str, missing: list[str], dec_state: tuple[str, int | None]
) -> None:
    ds = nxt()
    assert rules.missing_reports(ds, ds.units["a"], d(as_of)) == missing
    assert state(ds, "2022-12", as_of) == dec_state
    late = {i.id: (i.due, i.days_late) for i in overdue(ds, d(as_of)).items if i.kind == "report"}
    assert ("2022-12/a" in late) == (as_of == "2023-01-06")
    assert late["2022-07/a"] == (d("2022-08-05"), (d(as_of) - d("2022-08-05")).days)


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [("2022-12-28", ("submitted", None)), ("2023-01-05", ("submitted", None)), ("2023-01-06", ("late", 1))],
)
def test_next_month_a_report_can_come_during_the_next_month(submitted: str, expected: tuple[str, int]) -> None:
    ds = nxt(report("a", "2022-12", submitted))
    assert list(record_issues(ds.reports[("2022-12", "a")])) == []  # sent during M or M+1: valid
    assert state(ds, "2022-12", "2023-01-31") == expected


@pytest.mark.parametrize(
    ("due_day", "due", "before", "on", "after"),
    [
        # 2023-01-02 was a holiday (元旦), the 1st a Sunday: both move to Tuesday 2023-01-03
        (2, "2023-01-03", "2023-01-03", "2023-01-03", "2023-01-04"),
        (1, "2023-01-03", "2023-01-03", "2023-01-03", "2023-01-04"),
        (5, "2023-01-05", "2023-01-05", "2023-01-05", "2023-01-06"),  # a Thursday: stays
    ],
)
def test_next_month_with_working_days_moves_a_holiday_due(
    due_day: int, due: str, before: str, on: str, after: str
) -> None:
    ds = nxt(working_days=True, due_day=due_day)
    assert rules.report_due_date(ds, "2022-12") == d(due)
    assert "2022-12" not in rules.missing_reports(ds, ds.units["a"], d(on))
    assert "2022-12" in rules.missing_reports(ds, ds.units["a"], d(after))
    assert state(ds, "2022-12", on)[0] == "pending"
    assert state(ds, "2022-12", after) == ("missing", 1)


def test_next_month_a_weekend_due_moves_to_monday() -> None:
    ds = nxt(working_days=True, due_day=4)  # 2023-02-04 is a Saturday
    assert rules.report_due_date(ds, "2023-01") == d("2023-02-06")


def test_next_month_in_december_needs_no_calendar_of_the_next_year() -> None:
    """With working days, the current month's report is due next month — perhaps in a year nobody knows yet;
    asking what is missing in December must not need that year (the due is after the day as written)."""
    grp = nxt(working_days=True, started=d("2099-06-01")).group
    known = Calendar.model_validate({"year": 2099, "holidays": [], "workdays": []})  # 2100: nobody knows
    ds = Dataset.build(grp, {"unit": {"a": unit("a")}, "calendar": {"2099": known}})
    owed = ["2099-06", "2099-07", "2099-08", "2099-09", "2099-10", "2099-11"]
    assert rules.missing_reports(ds, ds.units["a"], d("2099-12-20")) == owed  # December's due is in 2100
    assert default_month(ds, d("2099-12-20")) == "2099-11"
    with pytest.raises(UnknownYear):  # once the day is past the due as written, the year is needed
        rules.missing_reports(ds, ds.units["a"], d("2100-01-06"))


@pytest.mark.parametrize(
    ("started", "as_of", "missing"),
    [
        ("2022-06-02", "2022-08-05", []),  # started mid-June: owes from July, due 08-05
        ("2022-06-02", "2022-08-06", ["2022-07"]),
        ("2022-06-01", "2022-07-05", []),  # started on the 1st: owes June, due 07-05
        ("2022-06-01", "2022-07-06", ["2022-06"]),
    ],
)
def test_next_month_a_group_started_mid_month(started: str, as_of: str, missing: list[str]) -> None:
    ds = nxt(started=d(started))
    assert rules.missing_reports(ds, ds.units["a"], d(as_of)) == missing


def test_next_month_a_unit_that_joins_later() -> None:
    ds = dataset(
        grp=group(rules={"reports": {"due_day": 5, "due_month": "next"}}),
        units=[unit("a", since=d("2022-09-10"))],
    )
    assert rules.missing_reports(ds, ds.units["a"], d("2022-11-05")) == []
    assert rules.missing_reports(ds, ds.units["a"], d("2022-11-06")) == ["2022-10"]


@pytest.mark.parametrize(
    ("as_of", "month"),
    [("2023-01-05", "2022-11"), ("2023-01-06", "2022-12"), ("2023-02-06", "2023-01"), ("2023-02-05", "2022-12")],
)
def test_next_month_the_default_month_of_lx_reports(as_of: str, month: str) -> None:
    assert default_month(nxt(), d(as_of)) == month


@pytest.mark.parametrize(("as_of", "month"), [("2022-08-25", "2022-07"), ("2022-08-26", "2022-08")])
def test_same_month_the_default_month_is_unchanged(as_of: str, month: str) -> None:
    assert default_month(same(), d(as_of)) == month


# --- the score's penalty at a period's end ---------------------------------------------------------


def _missing(ds: Dataset, period: str, as_of: str | None = None) -> tuple[int, float | None]:
    from laoxiao_cli.domain.calendar import parse_period

    found = parse_period(period)
    assert found is not None
    row = scores(ds, found, d(as_of) if as_of else None).units[0]
    return row.missing_reports, row.score


@pytest.mark.parametrize(
    ("as_of", "missing", "score"),
    [
        (None, 5, 90.0),  # judged at 2022-12-31: December's report is due 2023-01-05, not missing yet
        ("2023-01-05", 5, 90.0),
        ("2023-01-06", 6, 88.0),  # the annual 考绩 after the due: December counts
    ],
)
def test_next_month_the_missing_penalty_at_the_period_end(as_of: str | None, missing: int, score: float) -> None:
    ds = nxt(tasks=[task("t1", "2022-11-30", done="2022-11-20")])
    assert _missing(ds, "2022-H2", as_of) == (missing, score)


def test_same_month_the_missing_penalty_at_the_period_end() -> None:
    done = [task("t1", "2022-11-30", done="2022-11-20")]
    assert _missing(same(tasks=done), "2022-H2") == (6, 88.0)
    late = same(report("a", "2022-12", "2022-12-20", "2023-01-02"), tasks=done)
    assert _missing(late, "2022-H2") == (6, 88.0)  # sent in December, received after E: missing at E
    assert _missing(late, "2022-H2", "2023-01-02") == (5, 90.0)


# --- the 通报, the calendar, the agenda ------------------------------------------------------------


def test_next_month_the_bulletin_judges_the_reports_due_in_its_month() -> None:
    """January's 通报 tells who reported December (due 2023-01-05); its JSON keeps the shape of spec 11.2."""
    ds = dataset(
        grp=group(rules={"reports": {"due_day": 5, "due_month": "next"}}),
        units=[unit("a"), unit("b"), unit("c")],
        reports=[
            report("a", "2022-12", "2023-01-04", practices=["一站式受理"]),
            report("b", "2022-12", "2023-01-05", "2023-01-06"),
            report("c", "2023-01", "2023-01-20"),
        ],
    )
    b = bulletin(ds, "2023-01", d("2023-02-10"))
    assert b.reports_month == "2022-12"
    got = json.loads(render_bulletin.json(b, View()))
    assert set(got) == {"month", "as_of", "decisions", "reports", "letters", "overdue", "rates", "practices"}
    assert got["reports"] == {"on_time": ["a"], "late": ["b"], "missing": ["c"]}
    assert got["practices"] == [{"unit": "a", "text": "一站式受理"}]
    text = render_bulletin.markdown(b, View({"a": "甲局", "b": "乙局", "c": "丙局"}))
    assert "2022年12月月报：按时报送1家（甲局）；逾期报送1家（乙局）；未报送1家（丙局）。" in text
    assert bulletin(same(), "2023-01", d("2023-02-10")).reports_month == "2023-01"


def test_next_month_the_calendar_has_the_report_due_this_month() -> None:
    ds = nxt()
    result = deadlines(ds, d("2023-01-03"))
    dues = [(i.key, i.day) for i in result.items if i.kind == "report_due"]
    assert dues[0] == ("report-2022-12", d("2023-01-05"))
    assert len(dues) == 12
    text = render_ics.ics(result, View()).decode("utf-8").replace("\r\n ", "")
    assert "次月 5 日" in text and "每月 5 日" not in text
    plain = [i.key for i in deadlines(same(), d("2023-01-03")).items if i.kind == "report_due"]
    assert plain[:2] == ["report-2023-01", "report-2023-02"]  # the default: from the as-of day's month


def test_the_agenda_lists_plans_and_reads_the_latest_report_received() -> None:
    ds = same(
        report("a", "2022-11", "2022-11-20", suggestions=["加强统筹"]),
        report("a", "2022-12", "2022-12-20", "2022-12-28", difficulties=["场地不足"], plans=["一月完成选址"]),
    )
    before = agenda(ds, d("2022-12-27"))
    assert [(name, r.month) for name, r in before.raised] == [("a局", "2022-11")]
    after = agenda(ds, d("2022-12-28"))
    assert [(name, r.month) for name, r in after.raised] == [("a局", "2022-12")]
    text = render_agenda.markdown(after)
    assert "## 六、各单位反映的困难、建议和下步工作思路（最近一期月报）" in text
    assert "- **a局**（2022年12月）：困难：场地不足；工作思路：一月完成选址" in text
    only_plans = agenda(same(report("a", "2022-12", "2022-12-20", plans=["一月完成选址"])), d("2022-12-28"))
    assert [name for name, _ in only_plans.raised] == ["a局"]  # plans alone are worth raising


# --- validation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "received", "said"),
    [
        ("2022-07-20", "2022-07-19", "收到日期 2022-07-19 早于报送日期 2022-07-20"),
        ("2022-07-20", "2022-06-30", "收到日期 2022-06-30 早于 2022-07 月的第一天"),
        ("2022-07-20", "2022-07-20", None),  # received the day it was sent
        ("2022-07-20", "2022-08-15", None),
    ],
)
def test_received_is_not_before_submitted_nor_the_month(submitted: str, received: str, said: str | None) -> None:
    issues = list(record_issues(report("a", "2022-07", submitted, received)))
    if said is None:
        assert issues == []
    else:
        assert [(loc, said in message) for loc, message in issues] == [(("received",), True)]


def test_due_month_is_same_or_next() -> None:
    assert group().rules.reports.due_month == "same"
    with pytest.raises(ValueError):
        group(rules={"reports": {"due_month": "later"}})


# --- the commands ----------------------------------------------------------------------------------


def _next_month_repo(bundled: Path) -> None:
    path = bundled / "data/group.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  reports:\n    due_day: 25\n" in text
    path.write_text(text.replace("  reports:\n    due_day: 25\n", "  reports:\n    due_day: 5\n    due_month: next\n"))
    git(bundled, "commit", "-qam", "次月5日前报送上月情况")


def test_next_month_on_the_bundled_data(bundled: Path, lx: Lx) -> None:
    _next_month_repo(bundled)
    assert lx("validate", cwd=bundled).exit_code == 0
    on_due = json.loads(lx("reports", "-m", "2022-12", "--as-of", "2023-01-05", "-f", "json", cwd=bundled).stdout)
    assert on_due["due"] == "2023-01-05"
    owed = {"not_owed"}  # a group of units reports through its members (spec 6.11)
    assert {r["state"] for r in on_due["units"]} - owed == {"submitted", "pending"}  # not in yet: not due yet
    after = json.loads(lx("reports", "-m", "2022-12", "--as-of", "2023-01-06", "-f", "json", cwd=bundled).stdout)
    assert {r["state"] for r in after["units"]} - owed == {"submitted", "missing"}
    status_on = json.loads(lx("status", "--as-of", "2023-01-05", "-f", "json", cwd=bundled).stdout)
    status_after = json.loads(lx("status", "--as-of", "2023-01-06", "-f", "json", cwd=bundled).stdout)
    before = {u["id"]: u["missing_reports"] for u in status_on["units"]}
    later = {u["id"]: u["missing_reports"] for u in status_after["units"]}
    grown = {uid for uid in later if later[uid] != before[uid]}
    assert grown and all(later[uid] == [*before[uid], "2022-12"] for uid in grown)


def test_reports_new_with_next_month_writes_the_month_being_collected(bundled: Path, lx: Lx) -> None:
    """With due_month next, December's report is written in January; the current month may be begun early,
    a month not begun is still refused (spec 6.8)."""
    _next_month_repo(bundled)
    env = {"LX_TODAY": "2023-01-03"}
    collected = lx("reports", "new", "-u", "minzheng", "-m", "2023-01", "--dry-run", cwd=bundled, env=env)
    assert collected.exit_code == 0, collected.output
    assert "+plans: []\n" in collected.stdout and "+# 下步工作思路\n" in collected.stdout
    refused = lx("reports", "new", "-u", "minzheng", "-m", "2023-02", "--dry-run", cwd=bundled, env=env)
    assert refused.exit_code == 1 and "还没有到" in refused.output


def test_received_in_a_file_is_shown_and_judged(bundled: Path, lx: Lx) -> None:
    path = bundled / "data/reports/2022-12/minzheng.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("submitted: 2022-12-16\n", "submitted: 2022-12-16\nreceived: 2022-12-27\n"))
    git(bundled, "commit", "-qam", "收到日期")
    shown = json.loads(lx("reports", "-m", "2022-12", "--as-of", "2022-12-31", "-f", "json", cwd=bundled).stdout)
    row = {r["unit"]: r for r in shown["units"]}["minzheng"]
    assert (row["state"], row["submitted"], row["received"], row["days_late"]) == (
        "late",
        "2022-12-16",
        "2022-12-27",
        1,  # due 2022-12-26: the 25th was a Sunday
    )
    assert row["plans"] == ["加快与省、市级系统的数据接口对接测试，推动平台一期上线试运行"]
    table = lx("reports", "-m", "2022-12", "--as-of", "2022-12-31", cwd=bundled, env={"COLUMNS": "200"}).stdout
    assert "收到日期" in table
    untouched = lx("reports", "-m", "2022-11", "--as-of", "2022-12-31", cwd=bundled, env={"COLUMNS": "200"}).stdout
    assert "收到日期" not in untouched  # no report of the month has one: the column is left out
