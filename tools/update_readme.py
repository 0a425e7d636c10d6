"""Fill README.md's output blocks with the real output of lx (100 columns).

- ``<!-- lx-output: ARGS -->`` … ``<!-- end -->``: ``lx ARGS`` on the bundled data (today 2023-01-03).
- ``<!-- lx-step YYYY-MM-DD: ARGS -->`` … ``<!-- end -->``: the steps of a walk through the office's
  work, run in order in one committed copy of the bundled data, each with that day as today; what a
  user sees (standard output, then standard error) is shown.

Run: python tools/update_readme.py   (tests/test_readme.py checks the README is up to date)
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(
    r"(<!-- lx-(?P<type>output|step)(?: (?P<day>\d{4}-\d{2}-\d{2}))?: (?P<args>[^\n]+?) -->\n)"
    r"(?:(?!<!--).)*?(<!-- end -->)",
    re.S,
)
GIT = {
    "GIT_AUTHOR_NAME": "专班办公室",
    "GIT_AUTHOR_EMAIL": "office@example.org",
    "GIT_COMMITTER_NAME": "专班办公室",
    "GIT_COMMITTER_EMAIL": "office@example.org",
}
LX = Path(sys.executable).with_name("lx")


def _env(today: str) -> dict[str, str]:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "LX_TODAY": today}
    env.pop("LX_DATA", None)
    return env


def run(args: str) -> str:
    done = subprocess.run(
        [str(LX), *shlex.split(args)], cwd=ROOT, env=_env("2023-01-03"), capture_output=True, text=True, check=False
    )
    return done.stdout.rstrip() + "\n"


class Walk:
    """One committed copy of the bundled data; each step runs in it and commits at its own day."""

    def __init__(self) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="lx-readme-")
        self.repo = Path(self.tmp.name) / "ouhai"
        shutil.copytree(ROOT / "data", self.repo / "data")
        self.git("init", "-q", "-b", "main")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "瓯海区数据", day="2023-01-03")

    def git(self, *args: str, day: str = "2023-01-03") -> None:
        stamp = {"GIT_AUTHOR_DATE": f"{day}T09:00:00+08:00", "GIT_COMMITTER_DATE": f"{day}T09:00:00+08:00"}
        subprocess.run(["git", *args], cwd=self.repo, env={**os.environ, **GIT, **stamp}, check=True)

    def step(self, day: str, args: str) -> str:
        stamp = {"GIT_AUTHOR_DATE": f"{day}T09:00:00+08:00", "GIT_COMMITTER_DATE": f"{day}T09:00:00+08:00"}
        done = subprocess.run(
            [str(LX), *shlex.split(args)],
            cwd=self.repo,
            env={**_env(day), **GIT, **stamp},
            capture_output=True,
            text=True,
            check=False,
        )
        return (done.stdout.rstrip() + "\n" + done.stderr.rstrip()).strip() + "\n"


def render(text: str) -> str:
    walk: Walk | None = None

    def fill(m: re.Match[str]) -> str:
        nonlocal walk
        if m["type"] == "output":
            out = run(m["args"])
        else:
            walk = walk or Walk()
            out = walk.step(m["day"] or "2023-01-03", m["args"])
        return f"{m[1]}```text\n{out}```\n{m[5]}"

    try:
        return BLOCK.sub(fill, text)
    finally:
        if walk is not None:
            walk.tmp.cleanup()


if __name__ == "__main__":
    readme = ROOT / "README.md"
    readme.write_text(render(readme.read_text(encoding="utf-8")), encoding="utf-8")
