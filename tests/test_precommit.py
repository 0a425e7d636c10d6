"""The pre-commit hook this project ships (`.pre-commit-hooks.yaml`, spec 9), run by the real pre-commit in
a data repository made by `lx init`: a commit with a broken data file is refused with the located finding,
a good one passes, one that touches nothing under data/ is not checked.

pre-commit installs lx from a Git repository at a commit. The hook must come from this project as it is
now (its tracked files and the ones about to be added, `.pre-commit-hooks.yaml` among them), so the tests
build that repository in a temporary folder: the same in CI's clean clone and in a work tree with changes.
pre-commit builds the hook's environment once per module (`PRE_COMMIT_HOME` shared), with network access to
the package index for lx's dependencies."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GIT_ENV, ROOT, Lx

HOOK_ID = "lx-validate"
BAD_TASK = "id: t2024-001\ntitle: 试点任务\ndeu: 2024-10-31\n"


def quiet_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment for Git and pip outside a test function (module fixtures run before the per-test
    isolation): no user Git configuration, the test identity, a home of its own."""
    env = dict(os.environ)
    env.update(GIT_ENV)
    env.update({"HOME": str(home), "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})
    env.pop("LX_DATA", None)
    env.update(extra)
    return env


def shared_pip_cache(factory: pytest.TempPathFactory) -> Path:
    """One pip cache for every module that installs lx in this run (the session's base temp folder)."""
    return factory.getbasetemp() / "lx-pip-cache"


def project_files() -> list[str]:
    """This project's files as its next commit would hold them: tracked ones and new ones Git does not
    ignore (in CI's clean clone: exactly the committed ones)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8", "surrogateescape")
    return sorted({name for name in listed.split("\0") if name and (ROOT / name).is_file()})


def hook_repository(dest: Path, env: dict[str, str]) -> str:
    """A Git repository at ``dest`` holding this project as it is now, in one commit; returns its id."""
    if (dest / ".git").is_dir():  # built already in this run
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=dest, capture_output=True, text=True, check=True, env=env
        ).stdout.strip()
    for name in project_files():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target, follow_symlinks=False)
    assert (dest / ".pre-commit-hooks.yaml").is_file()
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "lx"]):
        subprocess.run(["git", *args], cwd=dest, check=True, env=env, capture_output=True)
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=dest, capture_output=True, text=True, check=True, env=env
    ).stdout.strip()


def project_copy(factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The session's one copy of this project as a Git repository (built by the first module asking)."""
    base = factory.getbasetemp()
    return base / "lx-project", hook_repository(base / "lx-project", quiet_env(base))


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)


def pre_commit(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=root, capture_output=True, text=True, check=False, env=env
    )


def config(repo: Path, rev: str) -> str:
    return f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n      - id: {HOOK_ID}\n"


@pytest.fixture(scope="module")
def hook(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """(hook repository, its commit, PRE_COMMIT_HOME with the hook's environment installed)."""
    repo, rev = project_copy(tmp_path_factory)
    scratch = tmp_path_factory.mktemp("precommit")
    home = scratch / "pre-commit-home"
    env = quiet_env(scratch, PRE_COMMIT_HOME=str(home), PIP_CACHE_DIR=str(shared_pip_cache(tmp_path_factory)))
    data = scratch / "data-repo"
    data.mkdir()
    (data / ".pre-commit-config.yaml").write_text(config(repo, rev), encoding="utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=data, check=True, env=env)
    subprocess.run(["git", "add", "-A"], cwd=data, check=True, env=env)
    done = pre_commit(data, "install-hooks", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return repo, rev, home


@pytest.fixture
def data_repo(tmp_path: Path, lx: Lx, hook: tuple[Path, str, Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data repository made by `lx init`, its pre-commit configuration committed and the hook installed."""
    repo, rev, home = hook
    monkeypatch.setenv("PRE_COMMIT_HOME", str(home))
    root = tmp_path / "专班数据"
    assert lx("init", str(root)).exit_code == 0
    (root / ".pre-commit-config.yaml").write_text(config(repo, rev), encoding="utf-8")
    assert git(root, "add", ".pre-commit-config.yaml").returncode == 0
    assert git(root, "commit", "-q", "-m", "pre-commit").returncode == 0
    installed = pre_commit(root, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return root


def test_the_hook_is_declared_as_the_spec_says() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (entry,) = [h for h in hooks if h["id"] == HOOK_ID]
    assert entry["entry"] == "lx validate" and entry["language"] == "python"
    assert entry["pass_filenames"] is False and entry["files"] == "^data/"


@pytest.mark.slow
def test_a_commit_with_a_broken_data_file_is_refused(data_repo: Path, lx: Lx) -> None:
    task = data_repo / "data/tasks/t2024-001.yaml"
    task.write_text(BAD_TASK, encoding="utf-8")
    said = lx("validate", cwd=data_repo).stdout.splitlines()
    (expected,) = [line for line in said if line.startswith("data/tasks/t2024-001.yaml:3:1: 未知字段 `deu`")]
    git(data_repo, "add", "data/tasks/t2024-001.yaml")
    head = git(data_repo, "rev-parse", "HEAD").stdout
    refused = git(data_repo, "commit", "-m", "任务: t2024-001")
    assert refused.returncode != 0
    assert expected in refused.stdout + refused.stderr
    assert git(data_repo, "rev-parse", "HEAD").stdout == head
    assert task.read_text(encoding="utf-8") == BAD_TASK  # pre-commit put the work tree back


@pytest.mark.slow
def test_a_good_commit_passes_and_one_outside_data_is_not_checked(data_repo: Path) -> None:
    group = data_repo / "data/group.yaml"
    group.write_text(group.read_text(encoding="utf-8").replace("goals: []", "goals: [老有所养]"), encoding="utf-8")
    git(data_repo, "add", "data/group.yaml")
    done = git(data_repo, "commit", "-m", "专班: 目标")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "lx validate" in done.stdout + done.stderr and "Passed" in done.stdout + done.stderr
    # broken data committed past the hook; a later commit that changes no data file is not checked
    (data_repo / "data/tasks/t2024-001.yaml").write_text(BAD_TASK, encoding="utf-8")
    git(data_repo, "add", "-A")
    assert git(data_repo, "commit", "-q", "--no-verify", "-m", "坏数据").returncode == 0
    (data_repo / "README.md").write_text("说明\n", encoding="utf-8")
    git(data_repo, "add", "README.md")
    skipped = git(data_repo, "commit", "-m", "说明")
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "Skipped" in skipped.stdout + skipped.stderr
