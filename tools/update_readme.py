"""Fill README.md's `<!-- lx-output: ARGS -->` blocks with the real output of `lx ARGS` (100 columns).

Run: python tools/update_readme.py   (tests/test_readme.py checks the README is up to date)
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"(<!-- lx-output: (?P<args>[^\n]+?) -->\n)(?:(?!<!--).)*?(<!-- end -->)", re.S)


def run(args: str) -> str:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "LX_TODAY": "2023-01-03"}
    env.pop("LX_DATA", None)
    lx = Path(sys.executable).with_name("lx")
    done = subprocess.run([str(lx), *shlex.split(args)], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    return done.stdout.rstrip() + "\n"


def render(text: str) -> str:
    return BLOCK.sub(lambda m: f"{m[1]}```text\n{run(m['args'])}```\n{m[3]}", text)


if __name__ == "__main__":
    readme = ROOT / "README.md"
    readme.write_text(render(readme.read_text(encoding="utf-8")), encoding="utf-8")
