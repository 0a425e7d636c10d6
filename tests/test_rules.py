"""The rules of spec section 3 at their boundaries: the day before, of and after each date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laoxiao_cli.domain import rules
from laoxiao_cli.domain.calendar import first_month_on_or_after, first_quarter_on_or_after
from laoxiao_cli.domain.overdue import overdue
from laoxiao_cli.domain.status import status
from tests.factory import d, dataset, group, letter, meeting, report, task, unit


def work(ds, as_of, unit_id=None):  # type: ignore[no-untyped-def]
    """Overdue tasks and milestones only (meetings and reports are tested on their own)."""
    return [i for i in overdue(ds, as_of, unit_id).items if i.kind in ("task", "milestone")]


@pytest.mark.parametrize(
    ("as_of", "overdue_", "late"),
    [("2022-09-29", False, None), ("2022-09-30", False, None), ("2022-10-01", True, 1), ("2022-10-31", True, 31)],
)
def test_task_overdue_boundary(as_of: str, overdue_: bool, late: int | None) -> None:
    t = task("t1", "2022-09-30")
    assert rules.is_overdue(t, d(as_of)) is overdue_
    items = work(dataset(tasks=[t], units=[unit("a", reports=False)]), d(as_of))
    assert [(i.id, i.days_late) for i in items] == ([("t1", late)] if overdue_ else [])


@pytest.mark.parametrize(
    ("done", "as_of", "state"),
    [
        ("2022-09-30", "2022-12-31", "done"),
        ("2022-10-01", "2022-12-31", "done_late"),
        ("2022-10-05", "2022-10-04", "overdue"),  # done after as_of: still open as of that day
        ("2022-09-20", "2022-09-19", "open"),
        ("2022-09-20", "2022-09-20", "done"),
    ],
)
def test_done_on_time_late_and_in_the_future(done: str, as_of: str, state: str) -> None:
    assert rules.task_state(task("t1", "2022-09-30", done=done), d(as_of)) == state


def test_cancelled_counts_nowhere() -> None:
    t = task("t1", "2022-09-30", status="cancelled")
    ds = dataset(tasks=[t], units=[unit("a", reports=False)])
    assert work(ds, d("2023-01-01")) == []
    s = status(ds, d("2023-01-01"))
    assert (s.tasks.total, s.tasks.open, s.tasks.overdue, s.tasks.done, s.tasks.cancelled) == (1, 0, 0, 0, 1)
    assert (s.units[0].lead_open, s.units[0].lead_overdue, s.units[0].lead_done) == (0, 0, 0)


def test_milestone_overdue() -> None:
    t = task(
        "t1",
        "2023-06-30",
        milestones=[
            {"name": "一", "due": d("2022-09-30"), "done": d("2022-09-30")},
            {"name": "二", "due": d("2022-10-31")},
            {"name": "三", "due": d("2022-10-31"), "done": d("2022-11-15")},
        ],
    )
    ds = dataset(tasks=[t], units=[unit("a", reports=False)])
    assert [i.id for i in work(ds, d("2022-10-31"))] == []
    items = work(ds, d("2022-11-01"))
    assert [(i.id, i.kind, i.days_late, i.title, i.role, i.next_letter) for i in items] == [
        ("t1#2", "milestone", 1, "二", "lead", None),
        ("t1#3", "milestone", 1, "三", "lead", None),
    ]
    assert [i.id for i in work(ds, d("2022-11-16"))] == ["t1#2"]
    finished = dataset(
        tasks=[task("t1", "2023-06-30", done="2022-11-10", milestones=[{"name": "二", "due": d("2022-10-31")}])],
        units=[unit("a", reports=False)],
    )
    assert work(finished, d("2022-12-01")) == []


@pytest.mark.parametrize(
    ("as_of", "missing"),
    [("2022-07-25", []), ("2022-07-26", ["2022-07"]), ("2022-08-26", ["2022-07", "2022-08"])],
)
def test_report_due_day_boundary(as_of: str, missing: list[str]) -> None:
    ds = dataset(units=[unit("a")])
    assert rules.missing_reports(ds, ds.units["a"], d(as_of)) == missing


def test_report_submitted_late_or_after_as_of() -> None:
    ds = dataset(units=[unit("a")], reports=[report("a", "2022-07", "2022-07-28")])
    assert rules.missing_reports(ds, ds.units["a"], d("2022-07-27")) == ["2022-07"]
    assert rules.missing_reports(ds, ds.units["a"], d("2022-07-28")) == []
    items = [i for i in overdue(ds, d("2022-07-27")).items if i.kind == "report"]
    assert [(i.kind, i.id, i.due, i.days_late, i.role) for i in items] == [
        ("report", "2022-07/a", d("2022-07-25"), 2, None)
    ]


def test_custom_due_day_and_units_that_owe_nothing() -> None:
    ds = dataset(grp=group(rules={"reports": {"due_day": 5}}), units=[unit("a"), unit("b", reports=False)])
    assert rules.missing_reports(ds, ds.units["a"], d("2022-07-06")) == ["2022-07"]
    assert rules.missing_reports(ds, ds.units["a"], d("2022-07-05")) == []
    assert rules.missing_reports(ds, ds.units["b"], d("2023-07-06")) == []


@pytest.mark.parametrize(
    ("started", "first_month", "first_quarter"),
    [
        ("2022-06-02", "2022-07", "2022-Q3"),
        ("2022-06-01", "2022-06", "2022-Q3"),
        ("2022-07-01", "2022-07", "2022-Q3"),
        ("2022-04-01", "2022-04", "2022-Q2"),
        ("2022-12-31", "2023-01", "2023-Q1"),
    ],
)
def test_obligations_begin_with_the_first_period_on_or_after_started(
    started: str, first_month: str, first_quarter: str
) -> None:
    assert first_month_on_or_after(d(started)) == first_month
    assert first_quarter_on_or_after(d(started)) == first_quarter


def test_started_mid_month_owes_from_next_month() -> None:
    ds = dataset(grp=group(started=d("2022-06-02")), units=[unit("a")])
    assert rules.missing_reports(ds, ds.units["a"], d("2022-07-01")) == []
    ds = dataset(grp=group(started=d("2022-06-01")), units=[unit("a")])
    assert rules.missing_reports(ds, ds.units["a"], d("2022-07-01")) == ["2022-06"]


@pytest.mark.parametrize(
    ("as_of", "expected", "items"),
    [
        ("2022-09-30", [], []),
        ("2022-10-01", ["2022-Q3"], [("2022-Q3", "2022-09-30", 1, "2022年第三季度专班例会")]),
        ("2022-12-31", ["2022-Q3"], [("2022-Q3", "2022-09-30", 92, "2022年第三季度专班例会")]),
        (
            "2023-01-01",
            ["2022-Q3", "2022-Q4"],
            [
                ("2022-Q3", "2022-09-30", 93, "2022年第三季度专班例会"),
                ("2022-Q4", "2022-12-31", 1, "2022年第四季度专班例会"),
            ],
        ),
    ],
)
def test_meeting_overdue_at_quarter_end(
    as_of: str, expected: list[str], items: list[tuple[str, str, int, str]]
) -> None:
    ds = dataset(grp=group(started=d("2022-06-02")))
    assert rules.overdue_quarters(ds, d(as_of)) == expected
    meetings = [i for i in overdue(ds, d(as_of)).items if i.kind == "meeting"]
    # one item per overdue quarter, most days late first, for no unit and no role
    assert [(i.id, i.due, i.days_late, i.title, i.unit, i.role, i.next_letter) for i in meetings] == [
        (quarter, d(due), late, title, None, None, None) for quarter, due, late, title in items
    ]


def test_which_meetings_count() -> None:
    base = dict(grp=group(started=d("2022-06-02")))
    assert rules.overdue_quarters(dataset(**base, meetings=[meeting("m", "2022-09-30")]), d("2022-10-01")) == []
    assert rules.overdue_quarters(
        dataset(**base, meetings=[meeting("m", "2022-09-30", kind="special")]), d("2022-10-01")
    ) == ["2022-Q3"]
    assert rules.overdue_quarters(
        dataset(**base, meetings=[meeting("m", "2022-09-30", status="planned")]), d("2022-10-01")
    ) == ["2022-Q3"]
    assert rules.overdue_quarters(dataset(**base, meetings=[meeting("m", "2022-10-01")]), d("2022-10-02")) == [
        "2022-Q3"
    ]
    # a meeting dated after as_of has not been held yet
    held_later = dataset(**base, meetings=[meeting("m", "2022-09-20")])
    assert rules.last_held(held_later, d("2022-09-19")) is None
    assert rules.last_held(held_later, d("2022-09-20")) == d("2022-09-20")
    # started mid-quarter: that quarter is not owed
    assert rules.overdue_quarters(dataset(**base), d("2022-07-01")) == []


def _esc(as_of: str, letters: list, due: str = "2022-09-30") -> str | None:  # type: ignore[type-arg]
    ds = dataset(tasks=[task("t1", due)], letters=letters, units=[unit("a", reports=False)])
    return rules.next_letter(ds, ds.tasks["t1"], d(as_of))


def test_escalation_thresholds_and_sequence() -> None:
    # due 09-30; reminder at 7 days late (10-07), assignment 21 (10-21), supervision 45 (11-14)
    assert _esc("2022-10-06", []) is None
    assert _esc("2022-10-07", []) == "reminder"
    assert _esc("2022-12-31", []) == "reminder"  # no level is skipped
    r = letter("l1", "reminder", ["t1"], "2022-10-07", "2022-10-17")
    assert _esc("2022-10-07", [r]) is None  # the same day: nothing more
    assert _esc("2022-10-17", [r]) is None  # reply_by not yet before as_of
    assert _esc("2022-10-18", [r]) is None  # waits for the assignment threshold (21 days: 10-21)
    assert _esc("2022-10-21", [r]) == "assignment"
    replied = letter("l1", "reminder", ["t1"], "2022-10-07", "2022-10-17", replied="2022-10-10")
    assert _esc("2022-10-21", [replied]) == "assignment"  # a reply does not stop escalation
    a = letter("l2", "assignment", ["t1"], "2022-10-21", "2022-10-31")
    assert _esc("2022-11-13", [r, a]) is None
    assert _esc("2022-11-14", [r, a]) == "supervision"
    s = letter("l3", "supervision", ["t1"], "2022-11-14", "2022-11-24")
    assert _esc("2023-06-30", [r, a, s]) is None  # after supervision, none


def test_escalation_ignores_future_and_foreign_letters() -> None:
    later = letter("l1", "reminder", ["t1"], "2022-10-20", "2022-10-30")
    assert _esc("2022-10-10", [later]) == "reminder"
    other_task = letter("l1", "reminder", ["t9"], "2022-10-07", "2022-10-17")
    assert _esc("2022-10-21", [other_task]) == "reminder"
    other_unit = letter("l1", "reminder", ["t1"], "2022-10-07", "2022-10-17", unit_id="b")
    assert _esc("2022-10-21", [other_unit]) == "reminder"


def test_escalation_custom_thresholds() -> None:
    ds = dataset(
        grp=group(rules={"escalation": {"reminder": 1, "assignment": 2, "supervision": 3, "reply_days": 1}}),
        tasks=[task("t1", "2022-09-30")],
        units=[unit("a", reports=False)],
    )
    assert rules.next_letter(ds, ds.tasks["t1"], d("2022-10-01")) == "reminder"


def test_overdue_unit_roles_and_ordering() -> None:
    tasks = [
        task("t1", "2022-09-30", lead="a", support=["b"]),
        task("t2", "2022-09-20", lead="b", milestones=[{"name": "m", "due": d("2022-09-01")}]),
        task("t3", "2022-09-30", lead="b"),
    ]
    ds = dataset(tasks=tasks, units=[unit("a", reports=False), unit("b", reports=False)])
    everything = work(ds, d("2022-10-10"))
    assert [(i.id, i.unit, i.role) for i in everything] == [
        ("t2#1", "b", "lead"),
        ("t2", "b", "lead"),
        ("t1", "a", "lead"),
        ("t3", "b", "lead"),
    ]
    for_b = overdue(ds, d("2022-10-10"), "b").items
    assert [(i.id, i.role, i.next_letter) for i in for_b] == [
        ("t2#1", "lead", None),
        ("t2", "lead", "reminder"),
        ("t1", "support", None),
        ("t3", "lead", "reminder"),
    ]
    for_a = overdue(ds, d("2022-10-10"), "a").items
    assert [(i.id, i.role, i.next_letter) for i in for_a] == [("t1", "lead", "reminder")]


def test_status_counts() -> None:
    tasks = [
        task("t1", "2022-09-30"),  # overdue
        task("t2", "2023-09-30"),  # open
        task("t3", "2022-09-30", done="2022-09-01"),
        task("t4", "2022-09-30", done="2022-10-01"),  # done late
        task("t5", "2022-09-30", status="cancelled"),
    ]
    ds = dataset(
        tasks=tasks,
        units=[unit("a", liaison={"name": "联络员甲"}), unit("b")],
        letters=[
            letter("l1", "reminder", ["t1"], "2022-10-07", "2022-10-17"),
            letter("l2", "reminder", ["t1"], "2022-10-07", "2022-10-17", replied="2022-10-09"),
            letter("l3", "reminder", ["t1"], "2022-10-07", "2022-10-17", replied="2022-10-11"),
            letter("l4", "reminder", ["t1"], "2022-10-12", "2022-10-22"),
        ],
    )
    s = status(ds, d("2022-10-10"))
    assert (s.tasks.total, s.tasks.open, s.tasks.overdue, s.tasks.done, s.tasks.done_late, s.tasks.cancelled) == (
        5,
        2,
        1,
        2,
        1,
        1,
    )
    a = s.units[0]
    assert (a.lead_open, a.lead_overdue, a.lead_done, a.liaison) == (2, 1, 2, "联络员甲")
    assert s.units[1].liaison is None
    assert [x.id for x in s.awaiting] == ["l1", "l3"]


dates = st.dates(min_value=date(2022, 6, 1), max_value=date(2024, 12, 31))


@settings(max_examples=200, deadline=None)
@given(due=dates, done=st.one_of(st.none(), dates), first=dates, step=st.integers(min_value=0, max_value=400))
def test_moving_as_of_later_never_removes_a_still_open_overdue_task(
    due: date, done: date | None, first: date, step: int
) -> None:
    t = task("t1", due.isoformat(), **({"done": done.isoformat()} if done else {}))
    ds = dataset(tasks=[t], units=[unit("a", reports=False)])
    later = first + timedelta(days=step)
    before = {i.id for i in overdue(ds, first).items if i.kind == "task"}
    after = {i.id for i in overdue(ds, later).items if i.kind == "task"}
    if rules.is_open(t, later):
        assert before <= after
