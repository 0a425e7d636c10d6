"""The due in force (spec 7) at its boundaries, through the real commands' JSON: `overdue`, `status`,
`checklist`, `letters` and `score` on small repositories holding one task with its extensions.

The task t2022-009 (lead 乙局, due 2022-10-31 unless a row says otherwise) replaces the base data's
t2022-002, so that it is the only task 乙局 leads. Default escalation: a reminder once 7 days late.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Lx, init_git, make_repo

TASK = "data/tasks/t2022-009.yaml"
T1 = "data/tasks/t2022-001.yaml"


def ext(requested: str, new_due: str, approved: str | None = None, refused: str | None = None) -> dict[str, str]:
    out = {"requested": requested, "new_due": new_due, "reason": "理由"}
    if approved:
        out["approved"] = approved
    if refused:
        out["refused"] = refused
    return out


def task_file(
    extensions: list[dict[str, str]], due: str = "2022-10-31", done: str | None = None, task_id: str = "t2022-009"
) -> str:
    lines = [f"id: {task_id}", "title: 测试延期", "target: 按期完成", "lead: beta", f"due: {due}"]
    lines += ["status: done", f"done: {done}"] if done else ["status: open"]
    if extensions:
        lines.append("extensions:")
        lines += ["  - {" + ", ".join(f"{k}: {v}" for k, v in e.items()) + "}" for e in extensions]
    return "\n".join(lines) + "\n"


def build(root: Path, files: dict[str, str]) -> Path:
    make_repo(root, files, commit=False)
    (root / "data/tasks/t2022-002.yaml").unlink()
    init_git(root)
    return root


def run_json(lx: Lx, root: Path, *args: str, today: str = "2023-03-01") -> Any:
    result = lx(*args, "--format", "json", cwd=root, env={"LX_TODAY": today})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@dataclass(frozen=True)
class Seen:
    """What the commands say about t2022-009 as of a day."""

    due: str
    state: str
    days_late: int | None
    next_letter: str | None
    in_overdue: bool
    letter: str | None
    """The kind of the letter `lx letters` lists for the task, if any."""
    status_overdue: int
    lead_overdue: int


def seen(lx: Lx, root: Path, as_of: str) -> Seen:
    checklist = run_json(lx, root, "checklist", "--as-of", as_of)
    row = next(item for item in checklist["items"] if item["id"] == "t2022-009")
    overdue = run_json(lx, root, "overdue", "--as-of", as_of)
    item = next((i for i in overdue["items"] if i["kind"] == "task" and i["id"] == "t2022-009"), None)
    letters = run_json(lx, root, "letters", "--as-of", as_of)["letters"]
    kinds = [x["kind"] for x in letters if any(t["id"] == "t2022-009" for t in x["tasks"])]
    for x in letters:  # every listing shows the due in force
        for t in x["tasks"]:
            if t["id"] == "t2022-009":
                assert t["due"] == row["due"]
    status = run_json(lx, root, "status", "--as-of", as_of)
    beta = next(u for u in status["units"] if u["id"] == "beta")
    if item is not None:
        assert (item["due"], item["days_late"]) == (row["due"], row["days_late"])
    return Seen(
        row["due"],
        row["state"],
        row["days_late"],
        item["next_letter"] if item else None,
        item is not None,
        kinds[0] if kinds else None,
        status["tasks"]["overdue"] - 1,  # t2022-001 of the base data is overdue throughout
        beta["lead_overdue"],
    )


def open_(due: str) -> Seen:
    return Seen(due, "open", None, None, False, None, 0, 0)


def late(due: str, days: int, letter: str | None) -> Seen:
    return Seen(due, "overdue", days, letter, True, letter, 1, 1)


@dataclass(frozen=True)
class Row:
    name: str
    extensions: list[dict[str, str]]
    as_of: str
    expected: Seen
    files: dict[str, str] = field(default_factory=dict)


ONE = ext("2022-10-30", "2022-11-30", approved="2022-11-02")
FIRST = ext("2022-10-20", "2022-11-30", approved="2022-10-25")
ROWS = [
    Row("no extension", [], "2022-11-10", late("2022-10-31", 10, "reminder")),
    # requested the day before the due; approved after / on / before the as-of date
    Row("approved the day after as-of", [ONE], "2022-11-01", late("2022-10-31", 1, None)),
    Row("approved on as-of", [ONE], "2022-11-02", open_("2022-11-30")),
    Row("approved before as-of", [ONE], "2022-11-03", open_("2022-11-30")),
    Row("requested on the due", [ext("2022-10-31", "2022-11-30", "2022-11-01")], "2022-11-05", open_("2022-11-30")),
    Row(
        "requested the day after the due",
        [ext("2022-11-01", "2022-11-30", "2022-11-02")],
        "2022-11-10",
        late("2022-10-31", 10, "reminder"),
    ),
    # two in a row: the second requested before / on / after the first's new due
    Row("second before", [FIRST, ext("2022-11-29", "2022-12-31", "2022-12-01")], "2022-12-05", open_("2022-12-31")),
    Row("second on", [FIRST, ext("2022-11-30", "2022-12-31", "2022-12-01")], "2022-12-05", open_("2022-12-31")),
    Row(
        "second after",
        [FIRST, ext("2022-12-01", "2022-12-31", "2022-12-02")],
        "2022-12-05",
        late("2022-11-30", 5, None),  # 5 days late: no letter yet
    ),
    Row(
        "second not approved yet",
        [FIRST, ext("2022-11-29", "2022-12-31", "2022-12-01")],
        "2022-11-30",
        open_("2022-11-30"),
    ),
    # a refused one changes nothing
    Row(
        "refused",
        [ext("2022-10-20", "2022-11-30", refused="2022-10-25")],
        "2022-11-10",
        late("2022-10-31", 10, "reminder"),
    ),
    Row(
        "refused, then approved",
        [ext("2022-10-20", "2022-11-30", refused="2022-10-25"), ext("2022-10-26", "2022-11-15", "2022-10-27")],
        "2022-11-10",
        open_("2022-11-15"),
    ),
    # a request in time and pending holds back the next letter, and nothing else
    Row("pending in time", [ext("2022-10-20", "2022-11-30")], "2022-11-10", late("2022-10-31", 10, None)),
    Row("pending late", [ext("2022-11-01", "2022-11-30")], "2022-11-10", late("2022-10-31", 10, "reminder")),
    Row(
        "approved later: pending then",
        [ext("2022-10-20", "2022-11-30", "2022-11-15")],
        "2022-11-10",
        late("2022-10-31", 10, None),
    ),
    Row(
        "approved later: moved after",
        [ext("2022-10-20", "2022-11-30", "2022-11-15")],
        "2022-11-16",
        open_("2022-11-30"),
    ),
    Row(
        "refused later: pending then",
        [ext("2022-10-20", "2022-11-30", refused="2022-11-15")],
        "2022-11-10",
        late("2022-10-31", 10, None),
    ),
    Row(
        "refused later: escalation resumes",
        [ext("2022-10-20", "2022-11-30", refused="2022-11-15")],
        "2022-11-16",
        late("2022-10-31", 16, "reminder"),
    ),
    Row("requested after as-of", [ext("2022-11-11", "2022-11-30")], "2022-11-10", late("2022-10-31", 10, "reminder")),
    # a late request never moves the due, however long after
    Row(
        "late, approved",
        [ext("2022-11-01", "2022-11-30", "2022-11-02")],
        "2022-12-31",
        late("2022-10-31", 61, "reminder"),
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_due_in_force(tmp_path: Path, lx: Lx, row: Row) -> None:
    root = build(tmp_path / "r", {TASK: task_file(row.extensions), **row.files})
    assert lx("validate", cwd=root).exit_code == 0
    assert seen(lx, root, row.as_of) == row.expected


def test_a_pending_request_holds_back_the_second_letter_too(tmp_path: Path, lx: Lx) -> None:
    letter = "id: l2022-009\nkind: reminder\nunit: beta\ntasks: [t2022-009]\nissued: 2022-11-08\nreply_by: 2022-11-18\n"
    files = {"data/letters/l2022-009.yaml": letter}
    without = build(tmp_path / "a", {TASK: task_file([]), **files})
    assert seen(lx, without, "2022-11-25") == late("2022-10-31", 25, "assignment")
    held = build(tmp_path / "b", {TASK: task_file([ext("2022-10-31", "2022-12-31")]), **files})
    assert seen(lx, held, "2022-11-25") == late("2022-10-31", 25, None)


# --- done late is judged against the due in force -----------------------------------------------------


@pytest.mark.parametrize(
    ("extensions", "state"),
    [
        ([], "done_late"),
        ([ext("2022-10-20", "2022-11-30", "2022-10-25")], "done"),
        ([ext("2022-10-20", "2022-11-30", "2022-11-25")], "done"),  # approved after it was done, before D
        ([ext("2022-10-20", "2022-11-30", "2022-12-05")], "done_late"),  # approved after D
        ([ext("2022-11-01", "2022-11-30", "2022-11-02")], "done_late"),  # requested late
        ([ext("2022-10-20", "2022-11-30")], "done_late"),  # pending
        ([ext("2022-10-20", "2022-11-30", refused="2022-10-25")], "done_late"),
    ],
)
def test_done_late_against_the_due_in_force(
    tmp_path: Path, lx: Lx, extensions: list[dict[str, str]], state: str
) -> None:
    root = build(tmp_path / "r", {TASK: task_file(extensions, done="2022-11-20")})
    row = next(i for i in run_json(lx, root, "checklist", "--as-of", "2022-12-01")["items"] if i["id"] == "t2022-009")
    assert row["state"] == state
    counts = run_json(lx, root, "status", "--as-of", "2022-12-01")["tasks"]
    assert (counts["done"], counts["done_late"]) == (1, 0 if state == "done" else 1)  # done counts both


# --- scoring at the period's end E: due_at(E) (未经批准延期的按原定时间考核) -----------------------------


@dataclass(frozen=True)
class ScoreRow:
    name: str
    due: str
    done: str
    extensions: list[dict[str, str]]
    period: str
    earned: float | None
    """None: the task is not in the period."""
    as_of: str | None = None


SCORE_ROWS = [
    ScoreRow(
        "moved out of Q3", "2022-09-20", "2022-10-15", [ext("2022-09-10", "2022-10-20", "2022-09-15")], "2022-Q3", None
    ),
    ScoreRow(
        "moved into Q4, on time",
        "2022-09-20",
        "2022-10-15",
        [ext("2022-09-10", "2022-10-20", "2022-09-15")],
        "2022-Q4",
        1.0,
    ),
    ScoreRow(
        "approved after E: stays in Q3",
        "2022-09-20",
        "2022-10-15",
        [ext("2022-09-10", "2022-10-20", "2022-10-05")],
        "2022-Q3",
        0.0,
    ),
    ScoreRow(
        "approved after Q3's E: in Q4",
        "2022-09-20",
        "2022-10-15",
        [ext("2022-09-10", "2022-10-20", "2022-10-05")],
        "2022-Q4",
        1.0,
    ),
    ScoreRow(
        "moved into Q3 from Q2",
        "2022-06-20",
        "2022-07-18",
        [ext("2022-06-10", "2022-07-20", "2022-06-15")],
        "2022-Q3",
        1.0,
    ),
    ScoreRow(
        "moved out of Q2", "2022-06-20", "2022-07-18", [ext("2022-06-10", "2022-07-20", "2022-06-15")], "2022-Q2", None
    ),
    ScoreRow(
        "late request: stays in Q3",
        "2022-09-20",
        "2022-09-28",
        [ext("2022-09-25", "2022-10-20", "2022-09-26")],
        "2022-Q3",
        0.5,
    ),
    ScoreRow(
        "late request: not in Q4",
        "2022-09-20",
        "2022-09-28",
        [ext("2022-09-25", "2022-10-20", "2022-09-26")],
        "2022-Q4",
        None,
    ),
    ScoreRow(
        "refused: late",
        "2022-09-20",
        "2022-09-25",
        [ext("2022-09-10", "2022-10-20", refused="2022-09-15")],
        "2022-Q3",
        0.5,
    ),
    ScoreRow("pending at E: late", "2022-09-20", "2022-09-25", [ext("2022-09-10", "2022-10-20")], "2022-Q3", 0.5),
    ScoreRow(
        "approved: on time", "2022-09-20", "2022-09-25", [ext("2022-09-10", "2022-09-28", "2022-09-15")], "2022-Q3", 1.0
    ),
    ScoreRow("the year", "2022-09-20", "2022-10-15", [ext("2022-09-10", "2022-10-20", "2022-10-05")], "2022", 1.0),
]


def _score(lx: Lx, root: Path, period: str, as_of: str | None = None) -> dict[str, Any]:
    args = ["score", "--period", period, *(["--as-of", as_of] if as_of else [])]
    units = run_json(lx, root, *args)["units"]
    return next(u for u in units if u["id"] == "beta")  # type: ignore[no-any-return]


@pytest.mark.parametrize("row", SCORE_ROWS, ids=[r.name for r in SCORE_ROWS])
def test_scoring_judges_the_due_in_force_at_the_periods_end(tmp_path: Path, lx: Lx, row: ScoreRow) -> None:
    root = build(tmp_path / "r", {TASK: task_file(row.extensions, due=row.due, done=row.done)})
    assert lx("validate", cwd=root).exit_code == 0
    beta = _score(lx, root, row.period, row.as_of)
    if row.earned is None:
        assert (beta["task_ids"], beta["score"]) == ([], None)
    else:
        assert (beta["task_ids"], beta["earned"], beta["weight"]) == (["t2022-009"], row.earned, 1.0)


def test_scoring_after_the_period_still_judges_the_due_in_force_at_its_end(tmp_path: Path, lx: Lx) -> None:
    """Q3 judged in January: the extension approved after Q3's end does not take the task out of Q3;
    done by D after its due in force at E, it counts as late (spec 13)."""
    extension = [ext("2022-09-10", "2022-10-20", "2022-10-05")]
    root = build(tmp_path / "r", {TASK: task_file(extension, due="2022-09-20", done="2022-10-15")})
    beta = _score(lx, root, "2022-Q3", "2023-01-10")
    assert (beta["task_ids"], beta["earned"]) == (["t2022-009"], 0.5)


# --- the minutes keep the decision's original due ------------------------------------------------------


def test_an_approved_extension_keeps_the_decision_and_its_minutes(tmp_path: Path, lx: Lx) -> None:
    """t2022-001 comes from the 2022-q3 decision with due 2022-09-30: the task's `due` stays the decided
    one (the decision↔task check still passes) while the due in force moves."""
    root = make_repo(tmp_path / "r")
    env = {"LX_TODAY": "2022-12-01"}
    args = ["task", "extend", "t2022-001", "--to", "2022-10-31", "--reason", "场地调整", "--requested", "2022-09-20"]
    result = lx(*args, "--approved", "2022-09-25", "--by", "组长甲", cwd=root, env=env)
    assert result.exit_code == 0, result.output
    assert lx("validate", cwd=root).exit_code == 0
    minutes = lx("meeting", "minutes", "2022-q3", cwd=root, env=env)
    assert minutes.exit_code == 0 and "完成时限：2022年9月30日" in minutes.stdout and "10月31日" not in minutes.stdout
    row = next(i for i in run_json(lx, root, "checklist", "--as-of", "2022-10-05")["items"] if i["id"] == "t2022-001")
    assert (row["due"], row["state"]) == ("2022-10-31", "open")
