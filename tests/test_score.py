"""阶段性赋分 worked by hand for each period kind (spec section 3, score)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laoxiao_cli.domain.calendar import parse_period
from laoxiao_cli.domain.score import round_half_up, scores, unit_score
from tests.factory import d, dataset, group, report, task, unit


def period(text: str):  # type: ignore[no-untyped-def]
    parsed = parse_period(text)
    assert parsed is not None
    return parsed


def test_period_parsing() -> None:
    assert (period("2022").start.isoformat(), period("2022").end.isoformat()) == ("2022-01-01", "2022-12-31")
    assert period("2022-H1").end.isoformat() == "2022-06-30"
    assert period("2022-H2").start.isoformat() == "2022-07-01"
    assert (period("2022-Q3").start.isoformat(), period("2022-Q3").end.isoformat()) == ("2022-07-01", "2022-09-30")
    assert period("2024-02").end.isoformat() == "2024-02-29"
    for bad in ("2022-Q5", "2022-13", "22", "2022-H3", "2022-q3"):
        assert parse_period(bad) is None


def no_reports() -> list:  # type: ignore[type-arg]
    return [unit("a", reports=False)]


def test_on_time_late_after_end_and_cancelled() -> None:
    tasks = [
        task("t1", "2022-08-31", done="2022-08-31", weight=2),  # on time: 2 × 1.0
        task("t2", "2022-08-31", done="2022-09-30"),  # late inside Q3: 1 × 0.5
        task("t3", "2022-09-15", done="2022-10-02"),  # done after the period end: 0
        task("t4", "2022-09-01"),  # still open: 0
        task("t5", "2022-09-01", status="cancelled", weight=9),  # counts nowhere
        task("t6", "2022-10-01", done="2022-09-01"),  # due outside the period
    ]
    ds = dataset(tasks=tasks, units=no_reports())
    s = unit_score(ds, ds.units["a"], period("2022-Q3"))
    assert (s.tasks, s.weight, s.earned, s.missing_reports) == (4, 5.0, 2.5, 0)
    assert s.score == 50.0  # 100 × 2.5 / 5


def test_year_half_and_month_periods() -> None:
    tasks = [task("t1", "2022-03-31", done="2022-04-10"), task("t2", "2022-11-30", done="2022-11-01")]
    ds = dataset(tasks=tasks, units=no_reports())
    a = ds.units["a"]
    assert unit_score(ds, a, period("2022")).score == 75.0  # (0.5 + 1) / 2
    assert unit_score(ds, a, period("2022-H1")).score == 50.0
    assert unit_score(ds, a, period("2022-H2")).score == 100.0
    assert unit_score(ds, a, period("2022-03")).score == 0.0  # done after 03-31
    assert unit_score(ds, a, period("2022-04")).score is None  # no task due in April


def test_no_tasks_is_null_and_missing_reports_still_counted() -> None:
    ds = dataset(units=[unit("a")], grp=group(started=__import__("datetime").date(2022, 6, 2)))
    s = unit_score(ds, ds.units["a"], period("2022-Q3"))
    assert (s.score, s.tasks, s.earned, s.missing_reports) == (None, 0, 0.0, 3)


def test_penalty_and_floor_at_zero() -> None:
    ds = dataset(
        tasks=[task("t1", "2022-08-31", done="2022-08-01")],
        units=[unit("a")],
        reports=[report("a", "2022-07", "2022-07-20"), report("a", "2022-09", "2022-10-05")],
    )
    s = unit_score(ds, ds.units["a"], period("2022-Q3"))
    # August missing; September submitted after the period end counts as missing at E
    assert (s.missing_reports, s.score) == (2, 96.0)
    harsh = dataset(
        grp=group(rules={"scoring": {"missing_report_penalty": 60}}),
        tasks=[task("t1", "2022-08-31")],
        units=[unit("a")],
    )
    assert unit_score(harsh, harsh.units["a"], period("2022-Q3")).score == 0.0


def test_half_up_rounding_on_the_exact_value() -> None:
    assert round_half_up(Fraction(7225, 100)) == 72.3
    assert round_half_up(Fraction(7224999, 100000)) == 72.2
    assert round_half_up(Fraction(1, 3) * 100) == 33.3
    tasks = [
        task("t1", "2022-08-31", done="2022-08-01", weight=194),
        task("t2", "2022-08-31", done="2022-09-01", weight=206),
    ]
    ds = dataset(
        tasks=tasks,
        units=[unit("a")],
        reports=[report("a", "2022-07", "2022-07-01"), report("a", "2022-08", "2022-08-01")],
    )
    s = unit_score(ds, ds.units["a"], period("2022-Q3"))
    assert s.missing_reports == 1 and s.earned == 297.0
    assert s.score == 72.3  # 100 × 297 / 400 − 2 = 72.25 exactly


def test_custom_factors_and_order() -> None:
    ds = dataset(
        grp=group(rules={"scoring": {"on_time": 1.0, "late": 0.7}}),
        tasks=[task("t1", "2022-08-31", lead="b", done="2022-09-01")],
        units=[unit("b", reports=False), unit("a", reports=False)],
    )
    result = scores(ds, period("2022-Q3"))
    assert [u.id for u in result.units] == ["a", "b"]
    assert result.units[1].score == 70.0 and result.end.isoformat() == "2022-09-30"


@settings(max_examples=150, deadline=None)
@given(
    outcomes=st.lists(
        st.tuples(st.integers(1, 10), st.sampled_from(["on_time", "late", "after", "open"])), min_size=0, max_size=8
    ),
    missing=st.integers(0, 3),
)
def test_score_stays_in_0_100(outcomes: list[tuple[int, str]], missing: int) -> None:
    dones = {"on_time": "2022-08-01", "late": "2022-09-10", "after": "2022-10-10", "open": None}
    tasks = []
    for n, (weight, outcome) in enumerate(outcomes):
        extra = {"done": dones[outcome]} if dones[outcome] else {}
        tasks.append(task(f"t{n}", "2022-08-31", weight=weight, **extra))
    reports = [report("a", m, f"{m}-01") for m in ("2022-07", "2022-08", "2022-09")[missing:]]
    ds = dataset(tasks=tasks, units=[unit("a")], reports=reports)
    s = unit_score(ds, ds.units["a"], period("2022-Q3"))
    if not outcomes:
        assert s.score is None
    else:
        assert s.score is not None and 0.0 <= s.score <= 100.0


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_score_command(repo, lx, fmt: str) -> None:  # type: ignore[no-untyped-def]
    result = lx("score", "--period", "2022-Q4", "-f", fmt, cwd=repo)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        import json

        data = json.loads(result.stdout)
        assert data["period"] == "2022-Q4" and data["end"] == "2022-12-31"
        beta = next(u for u in data["units"] if u["id"] == "beta")
        assert beta == {
            "id": "beta",
            "name": "乙局",
            "score": 94.0,
            "tasks": 1,
            "earned": 1.0,
            "missing_reports": 3,
            "penalty": 6.0,
            "weight": 1.0,
            "task_ids": ["t2022-002"],
        }
        assert data["as_of"] == "2022-12-31"
    elif fmt == "csv":
        assert result.stdout.startswith("\ufeff单位编号,单位")
    else:
        assert "乙局" in result.stdout and "94.0" in result.stdout


def test_score_bad_period_is_usage_error(repo, lx) -> None:  # type: ignore[no-untyped-def]
    assert lx("score", "--period", "2022-Q5", cwd=repo).exit_code == 2
    assert lx("score", cwd=repo).exit_code == 2


# --- spec 13: judged as of D, penalties for every unit that owes reports, units that joined later -------


def _judged(ds, as_of: str):  # type: ignore[no-untyped-def]
    from laoxiao_cli.domain.calendar import parse_period
    from laoxiao_cli.domain.score import scores

    period = parse_period("2022-Q3")
    assert period is not None
    return {u.id: u for u in scores(ds, period, d(as_of)).units}


@pytest.mark.parametrize(
    ("as_of", "score", "missing"),
    [
        ("2022-08-24", 0.0, 1),  # running: the July report is missing (due 07-25); August is not due yet
        ("2022-08-25", 0.0, 1),  # August due on the 25th: not yet missing on its due day
        ("2022-08-26", 0.0, 2),  # the day after: missing
        ("2022-09-30", 0.0, 3),  # the period's end: t1 not done
        ("2022-10-01", 44.0, 3),  # after E (the annual 考绩): done 10-01 counts as late, 100 × 0.5 − 3 × 2
    ],
)
def test_score_as_of_boundaries(as_of: str, score: float, missing: int) -> None:
    ds = dataset(tasks=[task("t1", "2022-09-30", lead="a", done="2022-10-01")], units=[unit("a")])
    got = _judged(ds, as_of)["a"]
    assert got.missing_reports == missing
    assert got.penalty == 2.0 * missing
    assert got.score == score


def test_a_unit_without_tasks_keeps_no_score_but_its_penalty() -> None:
    ds = dataset(units=[unit("a")], reports=[report("a", "2022-07", "2022-07-20")])
    got = _judged(ds, "2022-09-30")["a"]
    assert got.score is None and got.missing_reports == 2 and got.penalty == 4.0 and got.task_ids == []


def test_units_that_joined_later_owe_reports_from_their_first_month() -> None:
    ds = dataset(units=[unit("a", since=d("2022-08-02")), unit("b", since=d("2022-08-01"))])
    assert _judged(ds, "2022-09-30")["a"].missing_reports == 1  # September only
    assert _judged(ds, "2022-09-30")["b"].missing_reports == 2  # August and September


def test_score_sort_and_as_of_options(repo, lx) -> None:  # type: ignore[no-untyped-def]
    import json

    roster = json.loads(lx("score", "-p", "2022-Q4", "-f", "json", cwd=repo).stdout)
    ranked = json.loads(lx("score", "-p", "2022-Q4", "-f", "json", "--sort", "score", cwd=repo).stdout)
    scores_ = [u["score"] for u in ranked["units"]]
    known = [s for s in scores_ if s is not None]
    assert known == sorted(known, reverse=True) and scores_[: len(known)] == known
    assert sorted(u["id"] for u in roster["units"]) == sorted(u["id"] for u in ranked["units"])
    early = json.loads(lx("score", "-p", "2022-Q4", "-f", "json", "--as-of", "2022-11-01", cwd=repo).stdout)
    assert early["as_of"] == "2022-11-01"
