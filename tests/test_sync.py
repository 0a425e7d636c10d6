"""`lx sync` against a real Git server (`git daemon` on 127.0.0.1, tests/gitserver.py): fast-forward,
push, integrate with renumbering, refusals that leave everything as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import git, make_repo
from tests.gitserver import GitServer

LX = str(Path(sys.executable).with_name("lx"))
TODAY = "2022-11-01"


def lx(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**{k: v for k, v in os.environ.items() if k != "LX_CRASH_AT"}, "LX_TODAY": TODAY, **env}
    return subprocess.run([LX, *args], cwd=root, env=full, capture_output=True, text=True, timeout=120, check=False)


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def new_task(root: Path, title: str) -> str:
    out = ok(
        lx(
            root,
            "task",
            "new",
            "--title",
            title,
            "--target",
            "完成",
            "--lead",
            "alpha",
            "--due",
            "2022-12-31",
            "-f",
            "json",
        )
    )
    return str(json.loads(out.stdout)["ids"][0])


def sync_json(root: Path) -> dict[str, object]:
    return dict(json.loads(ok(lx(root, "sync", "-f", "json")).stdout))


def snapshot(root: Path) -> tuple[str, str, dict[str, bytes]]:
    """HEAD, `git status`, and every file under data/: what "exactly as before" compares."""
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()}
    return git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain", "--untracked-files=all"), files


@pytest.fixture
def clones(tmp_path: Path, git_server: GitServer) -> tuple[GitServer, Path, Path]:
    """A shared repository holding the base data, and two clones of it."""
    origin = make_repo(tmp_path / "origin")
    url = git_server.publish(origin)
    return git_server, git_server.clone(url, tmp_path / "a"), git_server.clone(url, tmp_path / "b")


def test_nothing_to_do_then_push_then_fast_forward(clones: tuple[GitServer, Path, Path]) -> None:
    server, a, b = clones
    assert sync_json(a) == {"pulled": 0, "pushed": 0, "renumbered": {}, "head": git(a, "rev-parse", "HEAD").strip()}
    assert ok(lx(a, "sync")).stdout == "已同步：拉取 0 个提交，推送 0 个提交（本地与共享仓库已经相同）\n"
    tid = new_task(a, "甲单位的任务")
    pushed = sync_json(a)
    assert (pushed["pulled"], pushed["pushed"]) == (0, 1)
    assert server.head() == git(a, "rev-parse", "HEAD").strip()
    text = ok(lx(b, "sync")).stdout
    assert "已同步：拉取 1 个提交，推送 0 个提交" in text
    assert (b / f"data/tasks/{tid}.yaml").read_bytes() == (a / f"data/tasks/{tid}.yaml").read_bytes()
    assert git(b, "status", "--porcelain") == ""
    assert git(b, "rev-parse", "HEAD") == git(a, "rev-parse", "HEAD")


def test_first_push_to_an_empty_shared_repository(tmp_path: Path, git_server: GitServer) -> None:
    root = make_repo(tmp_path / "r")
    git_server.bare("empty.git")
    git(root, "remote", "add", "origin", git_server.url("empty.git"))
    out = sync_json(root)
    assert out["pushed"] == 1 and out["pulled"] == 0
    assert git_server.head("empty.git") == git(root, "rev-parse", "HEAD").strip()


def test_same_task_id_on_both_sides_is_renumbered_here_with_its_references(
    clones: tuple[GitServer, Path, Path],
) -> None:
    server, a, b = clones
    assert new_task(a, "甲单位的任务") == "t2022-003"
    ok(lx(a, "sync"))
    assert new_task(b, "乙单位的任务") == "t2022-003"  # b has not fetched a's task yet
    letter = ok(
        lx(b, "letters", "issue", "--task", "t2022-003", "--kind", "reminder", "--reason", "测试", "-f", "json")
    )
    lid = json.loads(letter.stdout)["ids"][0]
    out = sync_json(b)
    assert out["renumbered"] == {"t2022-003": "t2022-004"}
    assert out["pulled"] == 1
    assert out["pushed"] == 4  # the task, the letter, the renumbering, the merge
    mine = (b / "data/tasks/t2022-004.yaml").read_text(encoding="utf-8")
    assert "id: t2022-004" in mine and "乙单位的任务" in mine
    assert "甲单位的任务" in (b / "data/tasks/t2022-003.yaml").read_text(encoding="utf-8")
    letter_text = (b / f"data/letters/{lid}.yaml").read_text(encoding="utf-8")
    assert "- t2022-004" in letter_text and "t2022-003" not in letter_text
    subjects = git(b, "log", "--format=%s").splitlines()
    assert "编号: t2022-003 → t2022-004（与共享仓库重复）" in subjects
    ok(lx(b, "validate"))
    assert server.head() == git(b, "rev-parse", "HEAD").strip()
    assert git(b, "status", "--porcelain", "--", "data") == ""
    # the other clone catches up by fast-forward and has both
    assert sync_json(a)["pulled"] == 4
    assert sorted(p.name for p in (a / "data/tasks").iterdir()) == [
        "t2022-001.yaml",
        "t2022-002.yaml",
        "t2022-003.yaml",
        "t2022-004.yaml",
    ]


def test_same_letter_id_with_different_numbers_is_renumbered(clones: tuple[GitServer, Path, Path]) -> None:
    _server, a, b = clones
    ok(lx(a, "letters", "issue", "--task", "t2022-001", "--kind", "assignment", "--reason", "甲"))
    ok(lx(a, "sync"))
    ok(lx(b, "letters", "issue", "--task", "t2022-001", "--kind", "supervision", "--reason", "乙", "--number", "9"))
    out = sync_json(b)
    assert out["renumbered"] == {"l2022-002": "l2022-003"}
    text = (b / "data/letters/l2022-003.yaml").read_text(encoding="utf-8")
    assert "id: l2022-003" in text and "number: 9" in text  # the 发文字号 never changes
    shown = ok(lx(b, "letters", "show", "l2022-003")).stdout
    assert "\n〔2022〕9号\n" in shown  # printed as issued: the serial, not the (renumbered) id
    ok(lx(b, "validate"))


def test_same_letter_number_on_both_sides_is_refused_and_nothing_changes(clones: tuple[GitServer, Path, Path]) -> None:
    server, a, b = clones
    ok(lx(a, "letters", "issue", "--task", "t2022-001", "--kind", "assignment", "--reason", "甲"))
    ok(lx(a, "sync"))
    ok(lx(b, "letters", "issue", "--task", "t2022-001", "--kind", "supervision", "--reason", "乙"))
    before, remote = snapshot(b), server.head()
    refused = lx(b, "sync")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "同步已停止" in refused.stderr and "编号 2" in refused.stderr
    assert snapshot(b) == before and server.head() == remote
    assert "Traceback" not in refused.stderr


def test_report_edited_on_both_sides_is_a_textual_conflict_and_nothing_changes(
    clones: tuple[GitServer, Path, Path],
) -> None:
    server, a, b = clones
    rel = "data/reports/2022-07/alpha.yaml"
    for root, who in ((a, "甲"), (b, "乙")):
        path = root / rel
        path.write_text(
            path.read_text(encoding="utf-8").replace("2022-07-20", "2022-07-21") + f"# {who}\n", encoding="utf-8"
        )
    ok(lx(a, "save"))
    ok(lx(a, "sync"))
    ok(lx(b, "save"))
    before, remote = snapshot(b), server.head()
    refused = lx(b, "sync")
    assert refused.returncode == 1
    assert "无法自动合并" in refused.stderr and rel in refused.stderr
    assert snapshot(b) == before and server.head() == remote
    assert not (b / ".git/MERGE_HEAD").exists()


def test_two_handovers_of_one_role_are_a_validation_conflict(clones: tuple[GitServer, Path, Path]) -> None:
    server, a, b = clones
    ok(lx(a, "handover", "-u", "alpha", "--role", "liaison", "--to", "王五", "--date", "2022-11-01"))
    ok(lx(a, "sync"))
    ok(lx(b, "handover", "-u", "alpha", "--role", "liaison", "--to", "王五", "--date", "2022-10-30"))
    before, remote = snapshot(b), server.head()
    refused = lx(b, "sync")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "与共享仓库合并后的数据未通过校验" in refused.stderr and "data/handovers/" in refused.stderr
    assert snapshot(b) == before and server.head() == remote


def test_unsafe_states_are_refused(clones: tuple[GitServer, Path, Path]) -> None:
    _server, a, _b = clones
    (a / "data/tasks/t2022-009.yaml").write_text("id: t2022-009\n", encoding="utf-8")
    dirty = lx(a, "sync")
    assert dirty.returncode == 1 and "请先运行 lx save" in dirty.stderr
    (a / "data/tasks/t2022-009.yaml").unlink()
    missing = lx(a, "sync", "--remote", "upstream")
    assert missing.returncode == 1 and "没有名为 upstream 的远程仓库" in missing.stderr and "origin" in missing.stderr
    git(a, "checkout", "-q", "--detach")
    detached = lx(a, "sync")
    assert detached.returncode == 1 and "detached HEAD" in detached.stderr
    git(a, "checkout", "-q", "main")
    git(a, "checkout", "-q", "-b", "side")
    (a / "notes.txt").write_text("x\n", encoding="utf-8")
    git(a, "add", "notes.txt")
    git(a, "commit", "-q", "-m", "side")
    git(a, "checkout", "-q", "main")
    git(a, "merge", "-q", "--no-ff", "--no-commit", "side")
    merging = lx(a, "sync")
    assert merging.returncode == 1 and "未完成的合并" in merging.stderr
    git(a, "merge", "--abort")
    unreachable = lx(a, "sync", **{"GIT_TERMINAL_PROMPT": "0"})
    assert unreachable.returncode == 0  # back to normal


def test_unreachable_server_is_a_message(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    git(root, "remote", "add", "origin", "git://127.0.0.1:9/none.git")
    before = snapshot(root)
    out = lx(root, "sync")
    assert out.returncode == 1 and "无法从共享仓库 origin 拉取" in out.stderr and "Traceback" not in out.stderr
    assert snapshot(root) == before


def test_init_with_a_remote_on_the_server_then_a_unit_clones_and_syncs(tmp_path: Path, git_server: GitServer) -> None:
    git_server.bare("office.git")
    url = git_server.url("office.git")
    office = tmp_path / "office"
    ok(lx(tmp_path, "init", str(office), "--name", "测试专班", "--remote", url))
    assert git_server.head("office.git") == git(office, "rev-parse", "HEAD").strip()
    unit = git_server.clone(url, tmp_path / "unit")
    ok(lx(unit, "validate"))
    assert sync_json(unit)["pushed"] == 0


def test_local_commits_with_findings_are_not_pushed(clones: tuple[GitServer, Path, Path]) -> None:
    server, a, _b = clones
    path = a / "data/tasks/t2022-001.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "deu: 2022-12-31\n", encoding="utf-8")
    git(a, "commit", "-qam", "bare git, not lx save")  # what lx save would have refused
    remote = server.head()
    refused = lx(a, "sync")
    assert refused.returncode == 1
    assert "本地的数据未通过校验，没有推送" in refused.stderr and "data/tasks/t2022-001.yaml:" in refused.stderr
    assert server.head() == remote


def test_a_file_deleted_on_one_side_and_changed_on_the_other_says_so(clones: tuple[GitServer, Path, Path]) -> None:
    _server, a, b = clones
    rel = "data/reports/2022-07/alpha.yaml"
    (a / rel).unlink()
    ok(lx(a, "save"))
    ok(lx(a, "sync"))
    path = b / rel
    path.write_text(path.read_text(encoding="utf-8").replace("2022-07-20", "2022-07-21"), encoding="utf-8")
    ok(lx(b, "save"))
    refused = lx(b, "sync")
    assert refused.returncode == 1
    assert f"{rel}（共享仓库中已删除，本地修改了它）" in refused.stderr


def test_a_url_given_as_the_remote_name_is_explained(clones: tuple[GitServer, Path, Path]) -> None:
    server, a, _b = clones
    out = lx(a, "sync", "--remote", server.url("shared.git"))
    assert out.returncode == 1 and "--remote 要写远程仓库的名字（如 origin），不是地址" in out.stderr


def test_renumberings_over_several_rounds_are_reported_from_first_to_last() -> None:
    from laoxiao_cli.repo.sync import _compose

    done: dict[str, str] = {}
    _compose(done, {"t2023-113": "t2023-114", "l2023-002": "l2023-003"})
    _compose(done, {"t2023-114": "t2023-115"})
    assert done == {"t2023-113": "t2023-115", "l2023-002": "l2023-003"}
