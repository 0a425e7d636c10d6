"""Shared fixtures: real temporary Git repositories built from folders or dicts of files."""

from __future__ import annotations

import os
import shutil
import subprocess
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
