"""Numbering that cannot collide silently (issue 13): the same letter recorded twice and letter numbers
out of step with their dates are findings; `letters issue` refuses a day before the latest letter; new
task and letter ids, and letter numbers, are chosen above what the remote-tracking branches hold too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from laoxiao_cli.model import loop_checks
from laoxiao_cli.model.checks import cross_issues
from laoxiao_cli.model.records import Letter
from laoxiao_cli.repo import remote_ids
from tests import factory as f
from tests.conftest import Lx, git, make_repo

# --- the rules, on datasets -------------------------------------------------------------------------


def _letter(lid: str, issued: str, *, number: int | None = None, **over: Any) -> Letter:
    data: dict[str, Any] = {
        "id": lid,
        "kind": "reminder",
        "unit": "a",
        "tasks": ["t1"],
        "issued": f.d(issued),
        "reply_by": f.d(issued),
        "replied": None,
        "number": number,
    }
    data.update({k: f.d(v) if k == "replied" and isinstance(v, str) else v for k, v in over.items()})
    return Letter.model_validate(data)


def _ds(*letters: Letter) -> Any:
    tasks = [f.task("t1", "2022-09-30"), f.task("t2", "2022-09-30")]
    return f.dataset(tasks=tasks, letters=list(letters))


def _repeated(*letters: Letter) -> list[tuple[str, Any, str]]:
    return list(loop_checks.repeated_letters(_ds(*letters)))


def test_the_same_letter_twice_is_a_finding_on_the_later_one() -> None:
    # the later by issued date, whatever the ids' order
    found = _repeated(_letter("l2022-009", "2022-10-10"), _letter("l2022-002", "2022-10-12", tasks=["t1"]))
    assert found == [
        (
            "data/letters/l2022-002.yaml",
            ("tasks",),
            "与 l2022-009（2022-10-10 发出）是同一份函件：发给同一单位 a、同一级别、同样的任务，且都未回复；"
            "请撤回其中一份，删除重复的记录",
        )
    ]
    # the same day: the later id; the same set of tasks in another order is the same letter
    same_day = _repeated(
        _letter("l2022-002", "2022-10-10", tasks=["t2", "t1"]), _letter("l2022-001", "2022-10-10", tasks=["t1", "t2"])
    )
    assert [(rel, message[:12]) for rel, _, message in same_day] == [("data/letters/l2022-002.yaml", "与 l2022-001（")]


@pytest.mark.parametrize(
    "second",
    [
        {"replied": "2022-10-15"},  # one of them was answered
        {"kind": "assignment"},  # another level
        {"tasks": ["t1", "t2"]},  # another set of tasks
        {"unit": "b"},  # another unit
    ],
    ids=["replied", "other-kind", "other-tasks", "other-unit"],
)
def test_letters_that_differ_are_not_the_same_letter(second: dict[str, Any]) -> None:
    assert _repeated(_letter("l2022-001", "2022-10-10"), _letter("l2022-002", "2022-10-12", **second)) == []


def _sequence(*letters: Letter) -> list[tuple[str, Any, str]]:
    return list(loop_checks.letters_out_of_sequence(_ds(*letters)))


def test_a_higher_number_issued_the_same_day_is_in_sequence() -> None:
    assert _sequence(_letter("l2022-001", "2022-10-10", number=1), _letter("l2022-002", "2022-10-10", number=2)) == []


def test_a_higher_number_issued_a_day_earlier_is_a_finding_at_its_number() -> None:
    found = _sequence(
        _letter("l2022-001", "2022-10-10", number=1),
        _letter("l2022-002", "2022-10-09", number=2, tasks=["t2"]),
        _letter("l2022-003", "2022-10-11", number=3, tasks=["t2"], kind="assignment"),
    )
    assert found == [
        (
            "data/letters/l2022-002.yaml",
            ("number",),
            "2022 年的函件编号 2 排在 l2022-001（编号 1，2022-10-10 发出）之后，发文日期 2022-10-09 却更早："
            "发文字号按发文先后编排，请核对发文日期或编号",
        )
    ]


def test_it_names_the_latest_issued_of_the_lower_numbers() -> None:
    found = _sequence(
        _letter("l2022-001", "2022-10-20", number=1),
        _letter("l2022-002", "2022-10-25", number=2, tasks=["t2"]),
        _letter("l2022-003", "2022-10-21", number=3, kind="assignment"),
    )
    assert [(rel, message.split("之后")[0]) for rel, _, message in found] == [
        ("data/letters/l2022-003.yaml", "2022 年的函件编号 3 排在 l2022-002（编号 2，2022-10-25 发出）")
    ]


def test_years_are_numbered_independently() -> None:
    # number 1 of 2023 issued before number 5 of 2022's date would be out of order only within one year
    assert _sequence(_letter("l2022-005", "2022-12-30", number=5), _letter("l2023-001", "2023-01-02", number=1)) == []
    assert _sequence(_letter("l2022-001", "2022-12-30", number=1), _letter("l2023-009", "2023-01-02", number=9)) == []


def test_a_letter_without_a_number_uses_the_digits_of_its_id() -> None:
    found = _sequence(_letter("l2022-001", "2022-10-10"), _letter("l2022-002", "2022-10-08", tasks=["t2"]))
    assert [(rel, loc) for rel, loc, _ in found] == [("data/letters/l2022-002.yaml", ("id",))]
    # an id not of the form l<YYYY>-<NNN> has no serial: nothing to compare
    assert _sequence(_letter("l2022-001", "2022-10-10"), _letter("l2022-x-002", "2022-10-08", tasks=["t2"])) == []


def test_the_number_counts_not_the_id_so_a_renumbered_id_changes_nothing() -> None:
    # lx sync renumbers l2022-002 to l2022-005 but keeps its number 2: still in sequence
    renumbered = _letter("l2022-005", "2022-10-11", number=2, tasks=["t2"])
    assert _sequence(_letter("l2022-003", "2022-10-12", number=3), renumbered, _letter("l2022-001", "2022-10-10")) == []


def test_a_repeated_number_is_not_also_out_of_sequence() -> None:
    ds = _ds(_letter("l2022-001", "2022-10-10", number=4), _letter("l2022-002", "2022-10-09", number=4, tasks=["t2"]))
    messages = [message for _, _, message in cross_issues(ds)]
    assert len(messages) == 1 and "编号 4 已被 l2022-002 使用" in messages[0]


# --- letters issue: not before the latest letter ----------------------------------------------------

TODAY = {"LX_TODAY": "2022-11-01"}
DUE_TASK = "id: t2022-003\ntitle: 完成丙事\ntarget: 丙事完成\nlead: alpha\ndue: 2022-10-01\nstatus: open\n"
# the base repository's latest letter: l2022-001, issued 2022-10-10


def _untouched(repo: Path, head: str, out: Path) -> None:
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    assert not out.exists()


LADDER = ["letters", "issue", "--unit", "alpha"]
DISCRETION = ["letters", "issue", "--task", "t2022-003", "--kind", "assignment", "--reason", "进度滞后"]


@pytest.mark.parametrize("form", [LADDER, DISCRETION], ids=["ladder", "discretionary"])
def test_issue_on_the_day_before_the_latest_letter_is_refused(tmp_path: Path, lx: Lx, form: list[str]) -> None:
    repo = make_repo(tmp_path / "r", {"data/tasks/t2022-003.yaml": DUE_TASK})
    head, out = git(repo, "rev-parse", "HEAD"), tmp_path / "out"
    result = lx(*form, "--as-of", "2022-10-09", "-o", str(out), cwd=repo, env=TODAY)
    assert result.exit_code == 1, result.output
    assert result.output.strip() == (
        "错误：发函日期 2022-10-09 早于最近发出的函件 l2022-001（data/letters/l2022-001.yaml，2022-10-10 发出）："
        "函件按发文先后编号，不能补发更早日期的函件；请用 2022-10-10 或之后的日期（--as-of）"
    )
    _untouched(repo, head, out)
    dry = lx(*form, "--as-of", "2022-10-09", "--dry-run", "-o", str(out), cwd=repo, env=TODAY)
    assert dry.exit_code == 1 and "早于最近发出的函件 l2022-001" in dry.output
    _untouched(repo, head, out)


@pytest.mark.parametrize("day", ["2022-10-10", "2022-10-11"], ids=["same-day", "day-after"])
@pytest.mark.parametrize("form", [LADDER, DISCRETION], ids=["ladder", "discretionary"])
def test_issue_on_or_after_the_latest_letter_day_is_allowed(tmp_path: Path, lx: Lx, form: list[str], day: str) -> None:
    repo = make_repo(tmp_path / "r", {"data/tasks/t2022-003.yaml": DUE_TASK})
    result = lx(*form, "--as-of", day, "-o", str(tmp_path / "out"), "-f", "json", cwd=repo, env=TODAY)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ids"] == ["l2022-002"]
    written = (repo / "data/letters/l2022-002.yaml").read_text(encoding="utf-8")
    assert "number: 2\n" in written and f"issued: {day}\n" in written
    assert lx("validate", cwd=repo).exit_code == 0


def test_the_latest_letter_of_any_year_counts(tmp_path: Path, lx: Lx) -> None:
    later = "id: l2023-001\nkind: reminder\nunit: beta\ntasks: [t2022-002]\nissued: 2023-01-05\nreply_by: 2023-01-15\n"
    repo = make_repo(tmp_path / "r", {"data/tasks/t2022-003.yaml": DUE_TASK, "data/letters/l2023-001.yaml": later})
    result = lx(*DISCRETION, "--as-of", "2022-12-30", cwd=repo, env={"LX_TODAY": "2023-02-01"})
    assert (
        result.exit_code == 1 and "早于最近发出的函件 l2023-001" in result.output and "2023-01-05 发出" in result.output
    )


# --- ids and numbers above the remote-tracking branches' --------------------------------------------


def _task(tid: str) -> str:
    return f"id: {tid}\ntitle: 任务{tid}\ntarget: 完成\nlead: alpha\ndue: 2026-02-01\nstatus: open\n"


def _letter_file(lid: str, issued: str, number: int | None, task: str = "t2026-002", replied: str = "null") -> str:
    serial = f"number: {number}\n" if number is not None else ""
    return (
        f"id: {lid}\nkind: reminder\n{serial}unit: alpha\ntasks: [{task}]\nissued: {issued}\n"
        f"reply_by: {issued[:8]}28\nreplied: {replied}\n"
    )


SEED = {
    **{f"data/tasks/t2026-00{n}.yaml": _task(f"t2026-00{n}") for n in (1, 2, 3)},
    "data/letters/l2026-001.yaml": _letter_file("l2026-001", "2026-03-01", 1, replied="2026-03-03"),
}
TODAY_2026 = {"LX_TODAY": "2026-03-10"}


def _commit_in(clone: Path, files: dict[str, str], branch: str = "main") -> None:
    """Another clone adds ``files`` and pushes them to ``branch`` of the shared repository."""
    for rel, text in files.items():
        (clone / rel).write_text(text, encoding="utf-8")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "另一个单位的记录")
    git(clone, "push", "-q", "origin", f"HEAD:{branch}")


@pytest.fixture
def clones(tmp_path: Path) -> tuple[Path, Path]:
    """(ours, theirs): two clones of one bare shared repository holding the base data and SEED."""
    seed = make_repo(tmp_path / "seed", SEED)
    git(tmp_path, "clone", "-q", "--bare", str(seed), "shared.git")
    for name in ("ours", "theirs"):
        git(tmp_path, "clone", "-q", "shared.git", name)
        git(tmp_path / name, "config", "user.name", "测试员")
        git(tmp_path / name, "config", "user.email", "tester@example.org")
    return tmp_path / "ours", tmp_path / "theirs"


NEW_TASK = ["task", "new", "--title", "新任务", "--target", "完成", "--lead", "alpha", "--due", "2026-12-31"]


def test_task_new_numbers_above_a_remote_tracking_branch(clones: tuple[Path, Path], lx: Lx) -> None:
    ours, theirs = clones
    _commit_in(theirs, {"data/tasks/t2026-005.yaml": _task("t2026-005")})
    # not fetched yet: what the clone knows is its own work tree and the refs as last fetched
    dry = lx(*NEW_TASK, "--dry-run", "-f", "json", cwd=ours, env=TODAY_2026)
    assert json.loads(dry.stdout)["ids"] == ["t2026-004"], dry.output
    git(ours, "fetch", "-q")
    assert not (ours / "data/tasks/t2026-005.yaml").exists()
    result = lx(*NEW_TASK, "-f", "json", cwd=ours, env=TODAY_2026)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ids"] == ["t2026-006"]
    assert (ours / "data/tasks/t2026-006.yaml").is_file()
    # an explicit --id the shared repository already uses is refused, writing nothing
    head = git(ours, "rev-parse", "HEAD")
    taken = lx(*NEW_TASK, "--id", "t2026-005", cwd=ours, env=TODAY_2026)
    assert taken.exit_code == 1 and "任务编号 t2026-005 已在共享仓库中使用" in taken.output
    assert git(ours, "rev-parse", "HEAD") == head


def test_meeting_decide_numbers_its_task_above_a_remote_tracking_branch(clones: tuple[Path, Path], lx: Lx) -> None:
    ours, theirs = clones
    _commit_in(theirs, {"data/tasks/t2026-005.yaml": _task("t2026-005")})
    git(ours, "fetch", "-q")
    git(ours, "pack-refs", "--all")  # the remote-tracking refs now live only in packed-refs
    decide = ["meeting", "decide", "2022-q3", "--text", "推进丁事", "--lead", "alpha", "--due", "2026-12-31"]
    result = lx(*decide, "--title", "丁事", "--target", "丁事完成", "-f", "json", cwd=ours, env=TODAY_2026)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ids"] == ["2022-q3", "t2026-006"]


def test_letters_ids_and_numbers_above_the_remote_tracking_branches(clones: tuple[Path, Path], lx: Lx) -> None:
    ours, theirs = clones
    # theirs issued l2026-004 numbered 7 on main, and an older-style l2026-006 (no number: serial 6) on a branch
    _commit_in(theirs, {"data/letters/l2026-004.yaml": _letter_file("l2026-004", "2026-03-02", 7)})
    _commit_in(theirs, {"data/letters/l2026-006.yaml": _letter_file("l2026-006", "2026-03-02", None)}, "other")
    git(ours, "fetch", "-q")
    assert git(ours, "for-each-ref", "--format=%(refname)", "refs/remotes").split() == [
        "refs/remotes/origin/HEAD",
        "refs/remotes/origin/main",
        "refs/remotes/origin/other",
    ]
    issue = ["letters", "issue", "--task", "t2026-001", "--kind", "assignment", "--reason", "进度滞后"]
    out = ours.parent / "out"
    head = git(ours, "rev-parse", "HEAD")
    taken = lx(*issue, "--as-of", "2026-03-05", "--number", "7", "-o", str(out), cwd=ours, env=TODAY_2026)
    assert taken.exit_code == 1, taken.output
    assert "2026 年的函件编号 7 已被 l2026-004 使用（在共享仓库中，本地尚未同步）：发文字号不能重复" in taken.output
    assert git(ours, "rev-parse", "HEAD") == head and not out.exists()
    result = lx(*issue, "--as-of", "2026-03-05", "-o", str(out), "-f", "json", cwd=ours, env=TODAY_2026)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ids"] == ["l2026-007"]
    assert "number: 8\n" in (ours / "data/letters/l2026-007.yaml").read_text(encoding="utf-8")


def test_a_remote_letter_with_an_id_the_work_tree_has_is_not_read_for_its_number(clones: tuple[Path, Path]) -> None:
    ours, theirs = clones
    _commit_in(theirs, {"data/letters/l2026-001.yaml": _letter_file("l2026-001", "2026-03-01", 9)})
    git(ours, "fetch", "-q")
    elsewhere = remote_ids.known(ours, ours / "data", ["l2022-001", "l2026-001"])
    assert "l2026-001" in elsewhere.letters and elsewhere.numbers_of(2026) == {}
    assert remote_ids.known(ours, ours / "data", []).numbers_of(2026) == {9: "l2026-001"}
    assert remote_ids.known(ours, ours / "data").numbers == {}  # ids only: no letter is read


def test_no_remote_tracking_ref_costs_nothing_and_one_is_read(repo: Path) -> None:
    assert remote_ids.known(repo, repo / "data", []) is remote_ids.NOTHING
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    elsewhere = remote_ids.known(repo, repo / "data", [])
    assert {"t2022-001", "t2022-002"} <= elsewhere.tasks and elsewhere.letters == {"l2022-001"}
    assert elsewhere.numbers_of(2022) == {1: "l2022-001"}
