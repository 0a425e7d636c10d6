"""End to end: the installed `lx` console script, as a user runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BUNDLED

pytestmark = pytest.mark.slow  # the installed console script, in subprocesses


def _lx() -> str:
    beside = Path(sys.executable).with_name("lx")
    found = str(beside) if beside.exists() else shutil.which("lx")
    assert found, "the lx console script is not installed"
    return found


def test_installed_lx_validates_the_bundled_data(bundled: Path) -> None:
    files = sum(1 for p in (bundled / "data").rglob("*") if p.suffix in (".yaml", ".yml"))
    # the bundled 瓯海 data (calendars 2022, 2023; 各镇街 split into 13 members, whose reports replace its own):
    # counted so a change is noticed
    assert files == 294
    done = subprocess.run([_lx(), "validate"], cwd=bundled, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"共检查 {files} 个文件，全部通过。\n", "")
    as_json = subprocess.run(
        [_lx(), "validate", "--format", "json"], cwd=bundled, capture_output=True, text=True, check=False
    )
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == {"ok": True, "files": files, "errors": []}


def test_installed_lx_reports_a_broken_file(tmp_path: Path) -> None:
    shutil.copytree(BUNDLED, tmp_path / "data")
    (tmp_path / "data" / "tasks" / "t2022-001.yaml").write_bytes("id: t2022-001\ntitle: 坏\n".encode("gbk"))
    done = subprocess.run([_lx(), "validate"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stdout.startswith("data/tasks/t2022-001.yaml:2:")
    assert "UTF-8" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_help_is_chinese() -> None:
    done = subprocess.run([_lx(), "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "用法：lx [OPTIONS] COMMAND [ARGS]..."
    assert "  lx：瓯海区“一老一小”一体化试点工作专班的工作工具。数据是 Git 仓库中的 YAML 文件。" in lines
    assert "  validate    检查所有数据文件及相互引用；无问题退出码 0，有问题退出码 1。" in lines
    assert "  -h, --help     显示此帮助并退出。" in lines
