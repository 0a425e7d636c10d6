"""序时进度 and 三色预警 (spec 7, 11.3): the gauge at its boundaries, the reported percent, the colour,
the order, and `lx progress` / `lx status` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laoxiao_cli.domain.progress import expected, gauges, progress, reported
from laoxiao_cli.domain.status import status
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Report, Task
from laoxiao_cli.render import progress as render
from laoxiao_cli.render.common import View
from tests.conftest import Lx
from tests.factory import d, dataset, group, task, unit


def filed(unit_id: str, month: str, submitted: str, **percents: int | None) -> Report:
    """A report of ``unit_id`` for ``month`` with a percent (or none) for each task named."""
    progress_ = [{"task": t, "percent": p} if p is not None else {"task": t} for t, p in percents.items()]
    return Report.model_validate({"unit": unit_id, "month": month, "submitted": d(submitted), "progress": progress_})


def one(tasks: list[Task], reports: list[Report] | None = None, **rules: Any) -> Dataset:
    grp = group(rules={"progress": rules}) if rules else None
    return dataset(grp=grp, units=[unit("a"), unit("b")], tasks=tasks, reports=reports)


# --- expected: round-half-up(100 × clamp((D − start) / (due − start), 0, 1)) ------------------------


@pytest.mark.parametrize(
    ("day", "want"),
    [
        ("2022-01-01", 0),  # the start day
        ("2021-12-31", 0),  # the day before: clamped
        ("2022-01-02", 13),  # 1/8 = 12.5 → 13 (half up, not to even)
        ("2022-01-04", 38),  # 3/8 = 37.5 → 38
        ("2022-01-05", 50),
        ("2022-01-09", 100),  # the due day
        ("2022-03-01", 100),  # after the due: clamped
    ],
)
def test_expected_at_its_boundaries(day: str, want: int) -> None:
    assert expected(d("2022-01-01"), d("2022-01-09"), d(day)) == want


def test_expected_is_null_without_a_start_and_the_due_day_is_the_start() -> None:
    assert expected(None, d("2022-01-09"), d("2022-01-05")) is None
    assert expected(d("2022-01-09"), d("2022-01-09"), d("2022-01-08")) == 0
    assert expected(d("2022-01-09"), d("2022-01-09"), d("2022-01-09")) == 100


def test_after_the_due_it_is_full_and_red() -> None:
    g = gauges(one([task("t1", "2022-01-09", start="2022-01-01")]), d("2022-01-10"))["t1"]
    assert (g.expected, g.colour) == (100, "red")


def test_expected_uses_the_due_in_force() -> None:
    moved = task(
        "t1",
        "2022-01-09",
        start="2022-01-01",
        extensions=[
            {"requested": d("2022-01-05"), "new_due": d("2022-01-17"), "reason": "r", "approved": d("2022-01-06")}
        ],
    )
    assert gauges(one([moved]), d("2022-01-05"))["t1"].expected == 50  # before the approval: due 01-09
    g = gauges(one([moved]), d("2022-01-09"))["t1"]
    assert (g.due, g.expected) == (d("2022-01-17"), 50)


# --- reported ------------------------------------------------------------------------------------------


def _reported(reports: list[Report], day: str) -> int | None:
    ds = one([task("t1", "2022-12-31", lead="a")], reports)
    return gauges(ds, d(day))["t1"].reported


def test_reported_comes_from_the_latest_month() -> None:
    reports = [filed("a", "2022-07", "2022-07-20", t1=30), filed("b", "2022-08", "2022-08-20", t1=50)]
    assert _reported(reports, "2022-08-31") == 50  # the later month wins, even a supporting unit's


def test_reported_prefers_the_lead_units_report_of_a_month() -> None:
    reports = [filed("a", "2022-08", "2022-08-24", t1=40), filed("b", "2022-08", "2022-08-20", t1=60)]
    assert _reported(reports, "2022-08-31") == 40
    lead_is_b = one([task("t1", "2022-12-31", lead="b")], reports)
    assert gauges(lead_is_b, d("2022-08-31"))["t1"].reported == 60


def test_a_report_submitted_after_the_day_is_ignored() -> None:
    reports = [filed("a", "2022-07", "2022-07-20", t1=30), filed("a", "2022-08", "2022-09-02", t1=50)]
    assert _reported(reports, "2022-09-01") == 30
    assert _reported(reports, "2022-09-02") == 50
    assert _reported(reports, "2022-07-19") is None


def test_a_report_without_a_percent_for_the_task_is_skipped() -> None:
    reports = [
        filed("a", "2022-07", "2022-07-20", t1=30),
        filed("a", "2022-08", "2022-08-20", t1=None),  # an entry with a note only
        filed("b", "2022-09", "2022-09-20", t2=80),  # another task
    ]
    assert _reported(reports, "2022-09-30") == 30


def test_lag_is_null_when_either_side_is() -> None:
    reports = [filed("a", "2022-01", "2022-01-05", t1=20, t2=20)]
    tasks = [
        task("t1", "2022-01-21", start="2022-01-01"),
        task("t2", "2022-01-21"),
        task("t3", "2022-01-21", start="2022-01-01"),
    ]
    got = gauges(one(tasks, reports), d("2022-01-11"))
    assert (got["t1"].expected, got["t1"].reported, got["t1"].lag) == (50, 20, 30)
    assert (got["t2"].expected, got["t2"].reported, got["t2"].lag) == (None, 20, None)
    assert (got["t3"].expected, got["t3"].reported, got["t3"].lag) == (50, None, None)


# --- colour ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("percent", "lag", "colour"), [(40, 10, "green"), (39, 11, "yellow"), (60, -10, "green")])
def test_yellow_when_the_lag_is_over_the_tolerance(percent: int, lag: int, colour: str) -> None:
    # expected 50 on 01-11; the due 01-21 is 10 days away (more than warn_days)
    ds = one([task("t1", "2022-01-21", start="2022-01-01")], [filed("a", "2022-01", "2022-01-10", t1=percent)])
    g = gauges(ds, d("2022-01-11"))["t1"]
    assert (g.lag, g.colour) == (lag, colour)


def test_the_tolerance_and_warn_days_come_from_group_rules() -> None:
    tasks = [task("t1", "2022-01-21", start="2022-01-01")]
    reports = [filed("a", "2022-01", "2022-01-10", t1=35)]  # lag 15
    assert gauges(one(tasks, reports), d("2022-01-11"))["t1"].colour == "yellow"
    assert gauges(one(tasks, reports, tolerance=15), d("2022-01-11"))["t1"].colour == "green"
    assert gauges(one(tasks, reports, tolerance=15, warn_days=10), d("2022-01-11"))["t1"].colour == "yellow"


@pytest.mark.parametrize(
    ("day", "colour"), [("2022-01-13", "green"), ("2022-01-14", "yellow"), ("2022-01-21", "yellow")]
)
def test_yellow_within_warn_days_of_the_due(day: str, colour: str) -> None:
    # due 01-21: 8 days before it is green, 7 (warn_days) and less yellow, the due day itself too
    assert gauges(one([task("t1", "2022-01-21")]), d(day))["t1"].colour == colour


def test_red_the_day_after_the_due_in_force_and_an_extension_moves_it_back() -> None:
    plain = task("t1", "2022-01-21")
    assert gauges(one([plain]), d("2022-01-22"))["t1"].colour == "red"
    ext = {"requested": d("2022-01-15"), "new_due": d("2022-02-28"), "reason": "r", "approved": d("2022-01-20")}
    extended = task("t1", "2022-01-21", extensions=[ext])
    assert gauges(one([extended]), d("2022-01-22"))["t1"].colour == "green"  # 37 days to go
    assert gauges(one([extended]), d("2022-02-21"))["t1"].colour == "yellow"  # 7 days to go
    assert gauges(one([extended]), d("2022-03-01"))["t1"].colour == "red"
    pending = task("t1", "2022-01-21", extensions=[{**ext, "approved": None}])
    assert gauges(one([pending]), d("2022-01-22"))["t1"].colour == "red"  # a pending request changes nothing


def test_only_open_tasks_have_a_gauge() -> None:
    tasks = [
        task("t1", "2022-01-21", done="2022-01-10"),
        task("t2", "2022-01-21", done="2022-01-25"),  # done after the day: still open
        task("t3", "2022-01-21", status="cancelled", cancelled={"date": d("2022-01-05"), "reason": "r"}),
    ]
    assert list(gauges(one(tasks), d("2022-01-11"))) == ["t2"]


# --- order, --unit, JSON ------------------------------------------------------------------------------


@pytest.fixture
def mixed() -> Dataset:
    """As of 2022-01-11: r1, r2 overdue (red); y1 lag 30, y2 due in 5 days (yellow, no lag);
    g1 lag 5, g2 lag -5, g3 no start, g0 no start (green)."""
    tasks = [
        task("r2", "2022-01-05", start="2022-01-01"),
        task("r1", "2022-01-05", lead="b"),
        task("y2", "2022-01-16"),
        task("y1", "2022-01-21", start="2022-01-01"),
        task("g3", "2022-02-28", lead="b"),
        task("g0", "2022-02-28"),
        task("g2", "2022-01-21", start="2022-01-01", lead="b"),
        task("g1", "2022-01-21", start="2022-01-01"),
    ]
    reports = [filed("a", "2022-01", "2022-01-10", r2=90, y1=20, g1=45), filed("b", "2022-01", "2022-01-10", g2=55)]
    return one(tasks, reports)


def test_sorted_red_yellow_green_then_lag_descending_then_id(mixed: Dataset) -> None:
    items = progress(mixed, d("2022-01-11")).items
    assert [(g.task.id, g.colour, g.lag) for g in items] == [
        ("r2", "red", 10),
        ("r1", "red", None),
        ("y1", "yellow", 30),
        ("y2", "yellow", None),
        ("g1", "green", 5),
        ("g2", "green", -5),
        ("g0", "green", None),
        ("g3", "green", None),
    ]


def test_a_unit_sees_the_tasks_it_leads(mixed: Dataset) -> None:
    result = progress(mixed, d("2022-01-11"), "b")
    assert result.unit == "b" and [g.task.id for g in result.items] == ["r1", "g2", "g3"]


def test_json_shape_exactly() -> None:
    ds = one([task("t1", "2022-01-21", start="2022-01-01")], [filed("a", "2022-01", "2022-01-10", t1=35)])
    assert render.FORMATS["json"](progress(ds, d("2022-01-11")), View()) == (
        "{\n"
        '  "as_of": "2022-01-11",\n'
        '  "unit": null,\n'
        '  "items": [\n'
        "    {\n"
        '      "task": "t1",\n'
        '      "lead": "a",\n'
        '      "title": "任务t1",\n'
        '      "start": "2022-01-01",\n'
        '      "due": "2022-01-21",\n'
        '      "expected": 50,\n'
        '      "reported": 35,\n'
        '      "lag": 15,\n'
        '      "colour": "yellow"\n'
        "    }\n"
        "  ]\n"
        "}\n"
    )


def test_markdown_and_table_say_the_colour_in_words(mixed: Dataset) -> None:
    names = {"a": "a局", "b": "b局"}
    result = progress(mixed, d("2022-01-11"), "b")
    assert render.FORMATS["markdown"](result, View(names)) == (
        "### b局 在办任务序时进度（截至 2022-01-11）：共 3 项，红 1 · 黄 0 · 绿 2\n"
        "\n"
        "| 预警 | 编号 | 任务 | 牵头单位 | 开始日期 | 截止日期 | 序时% | 报送% | 滞后 |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        "| 红 | r1 | 任务r1 | b局 |  | 2022-01-05 |  |  |  |\n"
        "| 绿 | g2 | 任务g2 | b局 | 2022-01-01 | 2022-01-21 | 50 | 55 | -5 |\n"
        "| 绿 | g3 | 任务g3 | b局 |  | 2022-02-28 |  |  |  |\n"
        "\n"
        "序时%：开始日期至截止日期（含已批准的延期）已过时间的比例；报送%：最近一期月报所报进度；"
        "滞后 = 序时 − 报送（百分点）。红：已逾期；黄：滞后超过 10 个百分点或距截止不超过 7 天；绿：其余。\n"
    )
    table = render.FORMATS["table"](result, View(names))
    assert isinstance(table, str) and "\x1b[" not in table
    rows = [line.split("│")[1].strip() for line in table.splitlines() if line.startswith("│")]
    assert rows == ["红", "绿", "绿"]
    empty = render.FORMATS["table"](progress(mixed, d("2022-01-11"), "x"), View(names))
    assert empty == "x 在办任务序时进度（截至 2022-01-11）：共 0 项，红 0 · 黄 0 · 绿 0，没有在办任务。\n"


def test_status_counts_the_colours(mixed: Dataset) -> None:
    assert status(mixed, d("2022-01-11")).colours == {"red": 2, "yellow": 2, "green": 4}


# --- through the CLI on the bundled data -----------------------------------------------------------------


def test_status_colours_equal_progress_counts_on_the_bundled_data(bundled: Path, lx: Lx) -> None:
    shown = lx("progress", "--as-of", "2022-12-31", "-f", "json", cwd=bundled)
    assert shown.exit_code == 0, shown.output
    items = json.loads(shown.stdout)["items"]
    counts = {c: sum(1 for i in items if i["colour"] == c) for c in ("red", "yellow", "green")}
    got = json.loads(lx("status", "--as-of", "2022-12-31", "-f", "json", cwd=bundled).stdout)
    assert got["colours"] == counts and sum(counts.values()) == got["tasks"]["open"]
    assert counts["red"] == got["tasks"]["overdue"]
    order = [("red", "yellow", "green").index(i["colour"]) for i in items]
    assert order == sorted(order)
    assert all(
        set(i) == {"task", "lead", "title", "start", "due", "expected", "reported", "lag", "colour"} for i in items
    )


def test_progress_of_one_unit_by_name(bundled: Path, lx: Lx) -> None:
    everyone = json.loads(lx("progress", "--as-of", "2022-12-31", "-f", "json", cwd=bundled).stdout)["items"]
    result = lx("progress", "--as-of", "2022-12-31", "-f", "json", "--unit", "区住建局", cwd=bundled)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["unit"] == "zhujian" and data["as_of"] == "2022-12-31"
    assert data["items"] == [i for i in everyone if i["lead"] == "zhujian"] and data["items"]
    table = lx("progress", "--as-of", "2022-12-31", "-u", "zhujian", cwd=bundled).stdout
    assert table.lstrip().startswith("区住建局 在办任务序时进度（截至 2022-12-31）") and "红" in table


def test_unknown_unit_is_refused(bundled: Path, lx: Lx) -> None:
    result = lx("progress", "--unit", "没有这个局", cwd=bundled)
    assert result.exit_code == 1 and "Traceback" not in result.output


# --- reported: per task (ds.percents_by_task) gives what a walk over every report gave -----------------


def walk_every_report(ds: Dataset, as_of: Any, unit_id: str | None = None) -> dict[str, int]:
    """The reference: the earlier implementation, one pass over every report in file-name order."""
    percents: dict[str, int] = {}
    months: dict[str, str] = {}
    by_lead: set[str] = set()
    group_id = ds.group_of.get(unit_id) if unit_id is not None else None
    siblings = set(ds.members(group_id)) - {unit_id} if group_id is not None else set()
    for (month, uid), pairs in ds.percents.items():
        if ds.submitted[(month, uid)] > as_of:
            continue
        for task_id, percent in pairs:
            known = months.get(task_id)
            if known is not None and (month < known or (month == known and task_id in by_lead)):
                continue
            t = ds.tasks.get(task_id)
            if t is not None and group_id is not None and t.lead == group_id and uid in siblings:
                continue
            lead = t is not None and (t.lead == uid or uid in ds.lead_units(t))
            if known == month and not lead:
                continue
            months[task_id] = month
            percents[task_id] = percent
            if lead:
                by_lead.add(task_id)
            else:
                by_lead.discard(task_id)
    return percents


UNITS = ["a", "b", "c", "g"]  # g: a group of a and b
MONTHS = ["2022-01", "2022-02", "2022-03"]


@settings(max_examples=150, deadline=None)
@given(
    leads=st.lists(st.sampled_from(UNITS), min_size=3, max_size=3),
    filed_reports=st.dictionaries(
        st.tuples(st.sampled_from(MONTHS), st.sampled_from(["a", "b", "c"])),
        st.tuples(
            st.integers(1, 40),  # submitted: day of the month after
            st.dictionaries(st.sampled_from(["t1", "t2", "t3", "t9"]), st.integers(0, 100), max_size=4),
        ),
        max_size=9,
    ),
    day=st.integers(1, 75),
    viewer=st.sampled_from([None, "a", "b", "c", "g"]),
)
def test_reported_per_task_equals_a_walk_over_every_report(
    leads: list[str], filed_reports: dict[tuple[str, str], Any], day: int, viewer: str | None
) -> None:
    from datetime import date, timedelta

    tasks = [task(f"t{n}", "2022-12-31", lead=lead, support=["c"]) for n, lead in enumerate(leads, start=1)]
    reports = []
    for (month, uid), (late, figures) in filed_reports.items():
        first = date.fromisoformat(f"{month}-01")
        sent = (first + timedelta(days=31 + late)).isoformat()
        reports.append(filed(uid, month, sent, **figures))
    units = [unit("a"), unit("b"), unit("c"), unit("g", members=["a", "b"])]
    ds = dataset(units=units, tasks=tasks, reports=reports)
    as_of = date(2022, 2, 1) + timedelta(days=day)
    assert reported(ds, as_of, viewer) == walk_every_report(ds, as_of, viewer)
