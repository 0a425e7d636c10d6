"""A real Git server for the sharing tests: `git daemon` on 127.0.0.1 serving bare repositories over
git:// with push enabled, started and stopped by a fixture."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import GIT_ENV, git


@dataclass
class GitServer:
    base: Path
    port: int

    def url(self, name: str) -> str:
        return f"git://127.0.0.1:{self.port}/{name}"

    def bare(self, name: str) -> Path:
        path = self.base / name
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], check=True)
        return path

    def publish(self, source: Path, name: str = "shared.git") -> str:
        """A new shared repository holding ``source``'s main branch; its URL."""
        self.bare(name)
        url = self.url(name)
        git(source, "remote", "add", "origin", url)
        git(source, "push", "-q", "-u", "origin", "main")
        return url

    def clone(self, url: str, dest: Path) -> Path:
        subprocess.run(["git", "clone", "-q", url, str(dest)], check=True, capture_output=True)
        git(dest, "config", "user.name", GIT_ENV["GIT_AUTHOR_NAME"])
        git(dest, "config", "user.email", GIT_ENV["GIT_AUTHOR_EMAIL"])
        return dest

    def head(self, name: str = "shared.git") -> str:
        return git(self.base / name, "rev-parse", "refs/heads/main").strip()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serving(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


@pytest.fixture
def git_server(tmp_path: Path) -> Iterator[GitServer]:
    if shutil.which("git") is None:
        pytest.fail("git is required")
    base = tmp_path / "served"
    base.mkdir()
    for _attempt in range(5):
        port = _free_port()
        proc = subprocess.Popen(
            [
                "git",
                "daemon",
                "--reuseaddr",
                "--listen=127.0.0.1",
                f"--port={port}",
                f"--base-path={base}",
                "--export-all",
                "--enable=receive-pack",
                "--informative-errors",
                str(base),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None and not _serving(port):
            time.sleep(0.05)
        if proc.poll() is None and _serving(port):
            break
        proc.kill()
        proc.wait()
    else:
        pytest.fail("git daemon did not start")
    try:
        yield GitServer(base, port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
