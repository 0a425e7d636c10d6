"""End to end: the installed `lx` console script, as a user runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def _lx() -> str:
    beside = Path(sys.executable).with_name("lx")
    found = str(beside) if beside.exists() else shutil.which("lx")
    assert found, "the lx console script is not installed"
    return found


def test_installed_lx_validates_the_bundled_data() -> None:
    done = subprocess.run(
        [_lx(), "validate", "--format", "json"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True and report["files"] > 150


def test_installed_lx_reports_a_broken_file(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "data" / "tasks" / "t2022-001.yaml").write_bytes("id: t2022-001\ntitle: 坏\n".encode("gbk"))
    done = subprocess.run([_lx(), "validate"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stdout.startswith("data/tasks/t2022-001.yaml:2:")
    assert "UTF-8" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_help_is_chinese() -> None:
    done = subprocess.run([_lx(), "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert "校验" in done.stdout or "检查" in done.stdout
