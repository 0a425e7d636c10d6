"""`--at REV` (spec 11.6): every reading command reads ``data/`` as committed at REV, never the work tree.

The history is made with lx's own commands, one a day (committer dates fixed in Asia/Shanghai):

1. 2023-01-02 10:00  the base data
2. 2023-01-03 10:00  `lx task new` t2023-001, due 2023-01-04
3. 2023-01-04 10:00  `lx handover` alpha's liaison 李二 → 赵四
4. 2023-01-05 00:30  `lx task extend` t2023-001 to 2023-02-28, requested 01-04, approved 01-05
   (16:30 on 01-04 in UTC: a date is a day in Asia/Shanghai, so `--at 2023-01-04` is commit 3)
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.conftest import Lx, git, make_repo

DAYS = ["2023-01-02", "2023-01-03", "2023-01-04", "2023-01-05"]
TIMES = [
    f"{DAYS[0]}T10:00:00+08:00",
    f"{DAYS[1]}T10:00:00+08:00",
    f"{DAYS[2]}T10:00:00+08:00",
    f"{DAYS[3]}T00:30:00+08:00",
]
STEPS = [
    [
        "task",
        "new",
        "--title",
        "新任务",
        "--target",
        "完成",
        "--lead",
        "alpha",
        "--due",
        "2023-01-04",
        "--id",
        "t2023-001",
    ],
    ["handover", "--unit", "alpha", "--role", "liaison", "--to", "赵四", "--date", DAYS[2]],
    [
        *["task", "extend", "t2023-001", "--to", "2023-02-28", "--reason", "需协调场地"],
        *["--requested", DAYS[2], "--approved", DAYS[3], "--by", "组长甲"],
    ],
]
VIEWS = [["status", "-f", "json"], ["overdue", "-f", "json"], ["checklist", "-f", "json"]]
LATER = "2023-01-20"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The repository and its four commits, oldest first."""
    mp = pytest.MonkeyPatch()
    tmp = tmp_path_factory.mktemp("at")
    home = tmp / "home"
    home.mkdir()
    for key, value in {
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "测试员",
        "GIT_AUTHOR_EMAIL": "tester@example.org",
        "GIT_COMMITTER_NAME": "测试员",
        "GIT_COMMITTER_EMAIL": "tester@example.org",
    }.items():
        mp.setenv(key, value)
    try:
        mp.setenv("GIT_AUTHOR_DATE", TIMES[0])
        mp.setenv("GIT_COMMITTER_DATE", TIMES[0])
        root = make_repo(tmp / "repo")
        commits = [git(root, "rev-parse", "HEAD").strip()]
        lx = Lx()
        for step, day, when in zip(STEPS, DAYS[1:], TIMES[1:], strict=True):
            env = {"LX_TODAY": day, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
            result = lx(*step, "--data", str(root / "data"), cwd=tmp, env=env)
            assert result.exit_code == 0, result.output
            commits.append(git(root, "rev-parse", "HEAD").strip())
    finally:
        mp.undo()
    assert len(set(commits)) == 4
    return root, commits


def run(lx: Lx, root: Path, *args: str) -> tuple[int, str]:
    result = lx(*args, "--data", str(root / "data"), cwd=root.parent, env={"LX_TODAY": LATER})
    return result.exit_code, result.stdout if result.exit_code == 0 else result.output


def checkout(root: Path, commit: str, where: Path) -> Path:
    """A clone of ``root`` with ``commit`` checked out: what `--at` must show."""
    git(root.parent, "clone", "-q", str(root), str(where))
    git(where, "checkout", "-q", commit)
    return where


def fingerprint(root: Path) -> dict[str, str]:
    """Every file of the work tree (outside .git), the index's entries, HEAD and `git status`."""
    files = {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }
    return {
        **files,
        "index": git(root, "ls-files", "-s"),
        "HEAD": git(root, "rev-parse", "HEAD"),
        "status": git(root, "status", "--porcelain", "--untracked-files=all"),
    }


@pytest.mark.parametrize("n", range(4))
def test_at_each_commit_shows_that_state(history: tuple[Path, list[str]], lx: Lx, tmp_path: Path, n: int) -> None:
    root, commits = history
    clone = checkout(root, commits[n], tmp_path / "clone")
    for view in VIEWS:
        got = run(lx, root, *view, "--as-of", DAYS[3], "--at", commits[n])
        want = run(lx, clone, *view, "--as-of", DAYS[3])
        assert got[0] == 0, got[1]
        assert json.loads(got[1]) == json.loads(want[1]), view


@pytest.mark.parametrize("n", range(4))
def test_at_a_date_is_the_last_commit_of_that_day_and_that_day_is_the_as_of(
    history: tuple[Path, list[str]], lx: Lx, tmp_path: Path, n: int
) -> None:
    root, commits = history
    # 01-05 00:30 (Shanghai) is 01-04 in UTC, yet `--at 2023-01-04` is commit 3 (index 2)
    clone = checkout(root, commits[n], tmp_path / "clone")
    for view in VIEWS:
        got = run(lx, root, *view, "--at", DAYS[n])
        want = run(lx, clone, *view, "--as-of", DAYS[n])
        assert got[0] == 0, got[1]
        assert json.loads(got[1]) == json.loads(want[1]), view
        assert json.loads(got[1])["as_of"] == DAYS[n] if view[0] != "checklist" else True


def test_the_states_differ_as_the_history_says(history: tuple[Path, list[str]], lx: Lx) -> None:
    root, commits = history

    def overdue_tasks(rev: str) -> list[str]:
        code, out = run(lx, root, "overdue", "-f", "json", "--as-of", DAYS[3], "--at", rev)
        assert code == 0, out
        return [i["id"] for i in json.loads(out)["items"] if i["kind"] == "task"]

    def liaison(rev: str) -> str:
        code, out = run(lx, root, "status", "-f", "json", "--at", rev)
        assert code == 0, out
        return str(next(u["liaison"] for u in json.loads(out)["units"] if u["id"] == "alpha"))

    assert "t2023-001" not in overdue_tasks(commits[0])  # not created yet
    assert "t2023-001" in overdue_tasks(commits[1])  # due 01-04, open on 01-05
    assert "t2023-001" in overdue_tasks("HEAD~1")
    assert "t2023-001" not in overdue_tasks("HEAD")  # extended to 02-28
    assert [liaison(r) for r in (DAYS[1], DAYS[2], DAYS[3])] == ["李二", "赵四", "赵四"]


def test_at_with_as_of_takes_the_as_of(history: tuple[Path, list[str]], lx: Lx, tmp_path: Path) -> None:
    root, commits = history
    clone = checkout(root, commits[1], tmp_path / "clone")
    got = run(lx, root, "overdue", "-f", "json", "--at", DAYS[1], "--as-of", LATER)
    want = run(lx, clone, "overdue", "-f", "json", "--as-of", LATER)
    assert json.loads(got[1]) == json.loads(want[1])
    assert json.loads(got[1])["as_of"] == LATER


def test_the_work_tree_and_index_are_untouched(history: tuple[Path, list[str]], lx: Lx) -> None:
    root, commits = history
    task = root / "data" / "tasks" / "t2023-001.yaml"
    original = task.read_bytes()
    task.write_bytes(original.replace("新任务".encode(), "手改的任务".encode()))  # a hand edit, not committed
    (root / "data" / "notes.txt").write_text("草稿", encoding="utf-8")
    try:
        before = fingerprint(root)
        for rev in [*commits, DAYS[1], "HEAD"]:
            for view in VIEWS:
                code, out = run(lx, root, *view, "--at", rev)
                assert code == 0, out
                assert "手改的任务" not in out
        code, out = run(lx, root, "checklist", "-f", "json")  # the work tree itself shows the hand edit
        assert "手改的任务" in out
        assert fingerprint(root) == before
    finally:
        task.write_bytes(original)
        (root / "data" / "notes.txt").unlink()


@pytest.mark.parametrize("rev", ["2023-01-01", "no-such-branch", "HEAD~9", "-p", "2023-02-30"])
def test_an_unknown_revision_or_a_day_before_the_first_commit_is_refused(
    history: tuple[Path, list[str]], lx: Lx, rev: str
) -> None:
    root, _ = history
    code, out = run(lx, root, "status", "--at", rev)
    assert code == 1
    assert "错误：" in out and "Traceback" not in out
    if rev == "2023-01-01":
        assert "2023-01-01 当天结束前（北京时间）没有提交" in out
    else:
        assert f"找不到版本“{rev}”" in out


READERS = [
    ["validate", "-f", "json"],
    ["status", "-f", "json"],
    ["overdue", "-f", "json"],
    ["checklist", "-f", "json"],
    ["reports", "-f", "json", "--month", "2022-12"],
    ["score", "--period", "2022", "-f", "json"],
    ["letters", "-f", "json"],
    ["meeting", "agenda"],
    ["meeting", "minutes", "2022-q3"],
    ["bulletin", "--month", "2022-12", "-f", "json"],
    ["progress", "-f", "json"],
    ["calendar"],
]


@pytest.mark.parametrize("view", READERS, ids=lambda v: "-".join(v[:2]))
def test_every_reading_command_takes_at(
    history: tuple[Path, list[str]], lx: Lx, tmp_path: Path, view: list[str]
) -> None:
    root, commits = history
    clone = checkout(root, commits[1], tmp_path / "clone")
    as_of = [] if view[0] == "validate" or view[:2] == ["meeting", "minutes"] else ["--as-of", LATER]
    got = run(lx, root, *view, *as_of, "--at", "HEAD~2")
    want = run(lx, clone, *view, *as_of)
    assert got[0] == want[0] == 0, got[1]
    assert got[1] == want[1]


def test_agenda_write_refuses_at(history: tuple[Path, list[str]], lx: Lx) -> None:
    root, _ = history
    code, out = run(lx, root, "meeting", "agenda", "--write", "--at", "HEAD~1")
    assert code == 2
    assert "--at" in out


def test_a_date_means_the_day_in_asia_shanghai(history: tuple[Path, list[str]]) -> None:
    from datetime import date

    from laoxiao_cli.repo import gitcli

    root, commits = history
    got = [gitcli.last_commit_on(root, date.fromisoformat(day)) for day in ["2023-01-01", *DAYS, "2030-01-01"]]
    assert got == [None, *commits[:3], commits[3], commits[3]]
    # commit 4 is dated 2023-01-04 16:30 UTC, yet belongs to 2023-01-05 in Asia/Shanghai
    assert gitcli.last_commit_on(root, date(2023, 1, 4)) == commits[2]
