"""Shared fixtures: real temporary Git repositories built from folders or dicts of files."""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner

from laoxiao_cli.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = Path(__file__).resolve().parent / "examples"
BASE = EXAMPLES / "base"
BUNDLED = ROOT / "data"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "测试员",
    "GIT_AUTHOR_EMAIL": "tester@example.org",
    "GIT_COMMITTER_NAME": "测试员",
    "GIT_COMMITTER_EMAIL": "tester@example.org",
    "GIT_AUTHOR_DATE": "1669860000 +0800",
    "GIT_COMMITTER_DATE": "1669860000 +0800",
}


# what lx writes into a repository's Git folder; none of it may appear in the checkout during a test run
CHECKOUT_GIT_FILES = ("lx-cache", "lx-journal.json", "lx-seq", "lx.lock")
# ignored folders that running the tests legitimately creates in the checkout
TOOL_OUTPUT = {"__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache", ".venv"}
# an editor's files, which may appear while the tests run
EDITOR_FILES = ("*.swp", "*.swo", "*~", ".#*", "#*#")


def _checkout_state() -> tuple[set[str], set[str]]:
    """lx's files present in the checkout's Git folder, and the files Git does not track in its work tree
    (untracked, and ignored ones other than tool caches, e.g. `letters-out/`)."""
    present = {name for name in CHECKOUT_GIT_FILES if (ROOT / ".git" / name).exists()}
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    ignored = subprocess.run(
        ["git", "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    untracked = {
        name
        for name in listed.decode("utf-8", "surrogateescape").split("\0")
        if name and not any(fnmatch.fnmatch(Path(name).name, pattern) for pattern in EDITOR_FILES)
    }
    untracked |= {
        name
        for name in ignored.decode("utf-8", "surrogateescape").split("\0")
        if name
        and not TOOL_OUTPUT.intersection(Path(name).parts)
        and not Path(name).name.endswith(".egg-info")
        and not Path(name).name.startswith(".coverage")
    }
    return present, untracked


@pytest.fixture(scope="session", autouse=True)
def _checkout_untouched() -> Iterator[None]:
    """Fail the run if a test wrote into the checkout: lx's files in its `.git` or files in its work tree.

    Tests run lx only in copies (tmp_path). A cache left by a developer's own `lx` (or `make test`'s
    `lx validate`) is removed first, so that one written during the run is noticed."""
    if not (ROOT / ".git").is_dir():  # not a Git checkout (e.g. an unpacked sdist): nothing to compare
        yield
        return
    shutil.rmtree(ROOT / ".git" / "lx-cache", ignore_errors=True)
    before_git, before_tree = _checkout_state()
    yield
    after_git, after_tree = _checkout_state()
    problems = [f".git/{name}" for name in sorted(after_git - before_git)]
    problems += sorted(after_tree - before_tree)
    if problems:
        pytest.fail("tests wrote into the checkout (use a copy in tmp_path): " + ", ".join(problems), pytrace=False)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user Git config, no LX_DATA from the environment, no colour."""
    home = tmp_path / "_home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("LX_DATA", raising=False)
    monkeypatch.delenv("LX_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def init_git(root: Path, message: str = "初始数据") -> None:
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", GIT_ENV["GIT_AUTHOR_NAME"])
    git(root, "config", "user.email", GIT_ENV["GIT_AUTHOR_EMAIL"])
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def make_repo(
    root: Path, files: Mapping[str, str | bytes] | None = None, *, base: Path | None = BASE, commit: bool = True
) -> Path:
    """A repository at ``root``: a copy of ``base`` (a folder holding ``data/``), then ``files`` on top."""
    root.mkdir(parents=True, exist_ok=True)
    if base is not None:
        shutil.copytree(base, root, dirs_exist_ok=True)
    write_files(root, files or {})
    if commit:
        init_git(root)
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The small base repository (tests/examples/base), committed."""
    return make_repo(tmp_path / "repo")


def age(root: Path) -> None:
    """Make every data file older than the racy window, so its stat can be trusted."""
    past = time.time() - 60
    for path in (root / "data").rglob("*.yaml"):
        os.utime(path, (past, past))


@pytest.fixture
def aged(tmp_path: Path) -> Path:
    """The base repository with files old enough for their stat to be trusted (the cache keys on it)."""
    root = make_repo(tmp_path / "repo")
    age(root)
    git(root, "update-index", "--refresh")
    return root


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """A committed copy of the bundled 瓯海 data."""
    root = tmp_path / "ouhai"
    shutil.copytree(BUNDLED, root / "data")
    init_git(root)
    return root


class Lx:
    """Run lx in-process, in a given folder."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None):  # type: ignore[no-untyped-def]
        old = Path.cwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            return self.runner.invoke(app, list(args), env=dict(env or {}), catch_exceptions=True)
        finally:
            os.chdir(old)


@pytest.fixture
def lx() -> Iterator[Lx]:
    yield Lx()


pytest_plugins = ["tests.gitserver"]  # the git daemon fixture
