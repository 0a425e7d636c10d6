"""`lx init DIR --remote URL` (spec 9): origin set, the first commit pushed to main with its upstream; a push
that fails leaves the local repository made and says so. Against bare repositories in tmp_path."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import Lx, git


def bare(path: Path) -> Path:
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)
    return path


def test_the_first_commit_is_pushed_with_its_upstream(tmp_path: Path, lx: Lx) -> None:
    shared = bare(tmp_path / "shared.git")
    target = tmp_path / "专班数据"
    result = lx("init", str(target), "--remote", str(shared))
    assert result.exit_code == 0, result.output
    head = git(target, "rev-parse", "HEAD").strip()
    assert git(shared, "rev-parse", "refs/heads/main").strip() == head
    assert git(target, "remote", "get-url", "origin").strip() == str(shared)
    assert git(target, "rev-parse", "--abbrev-ref", "main@{upstream}").strip() == "origin/main"
    assert git(target, "status", "--porcelain") == ""
    assert f"已推送到 {shared}" in result.output


def test_a_relative_path_is_the_one_from_where_lx_runs(tmp_path: Path, lx: Lx) -> None:
    shared = bare(tmp_path / "shared.git")
    target = tmp_path / "sub" / "repo"
    result = lx("init", str(target), "--remote", "shared.git", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert git(target, "remote", "get-url", "origin").strip() == str(shared)
    assert git(shared, "rev-parse", "refs/heads/main").strip() == git(target, "rev-parse", "HEAD").strip()


def test_a_push_that_fails_leaves_the_local_repository(tmp_path: Path, lx: Lx) -> None:
    missing = tmp_path / "nowhere" / "shared.git"
    target = tmp_path / "repo"
    result = lx("init", str(target), "--remote", str(missing))
    assert result.exit_code == 1
    assert f"推送到 {missing} 失败" in result.output
    assert f"本地仓库已新建在 {target}" in result.output and "lx sync" in result.output
    assert "Traceback" not in result.output
    assert git(target, "log", "--format=%s").strip() == "lx init: 新建专班数据仓库"
    assert git(target, "remote", "get-url", "origin").strip() == str(missing)
    assert git(target, "status", "--porcelain") == ""
    assert lx("validate", cwd=target).exit_code == 0
    # once the shared repository exists, the push the message names works
    bare(missing)
    pushed = lx("sync", cwd=target)
    assert pushed.exit_code == 0, pushed.output
    assert git(missing, "rev-parse", "refs/heads/main") == git(target, "rev-parse", "HEAD")


def test_a_blank_or_option_like_url_is_a_usage_error(tmp_path: Path, lx: Lx) -> None:
    for url in ("", "  ", "--upload-pack=touch x"):
        result = lx("init", str(tmp_path / "repo"), f"--remote={url}")
        assert result.exit_code == 2, (url, result.output)
        assert not (tmp_path / "repo").exists()


def test_without_remote_there_is_no_origin(tmp_path: Path, lx: Lx) -> None:
    target = tmp_path / "repo"
    assert lx("init", str(target)).exit_code == 0
    assert git(target, "remote") == ""
