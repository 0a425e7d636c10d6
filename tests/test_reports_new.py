"""`lx reports new` on the one writer's flags (spec 6.8, 8.1): --dry-run and --format json; never a commit."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Lx, git
from tests.test_handover import snapshot

TODAY = {"LX_TODAY": "2022-08-20"}
SCAFFOLD = "data/reports/2022-08/alpha.yaml"


def test_dry_run_shows_the_new_file_and_writes_nothing(repo: Path, lx: Lx) -> None:
    before = snapshot(repo)
    result = lx("reports", "new", "-u", "甲局", "-m", "2022-08", "--dry-run", cwd=repo, env=TODAY)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"--- /dev/null\n+++ b/{SCAFFOLD}\n@@ ")
    assert "+submitted: null\n" in result.stdout and "+by: 李二\n" in result.stdout
    assert "未写入任何文件" in result.stderr
    assert snapshot(repo) == before
    written = lx("reports", "new", "-u", "甲局", "-m", "2022-08", cwd=repo, env=TODAY)
    added = "".join(line[1:] for line in result.stdout.splitlines(keepends=True)[3:])
    assert (repo / SCAFFOLD).read_text(encoding="utf-8") == added  # the dry run showed the very file
    assert "lx save" in written.stdout


def test_json_names_the_file_and_no_commit(repo: Path, lx: Lx) -> None:
    head = git(repo, "rev-parse", "HEAD")
    result = lx("reports", "new", "-u", "alpha", "-m", "2022-08", "-f", "json", cwd=repo, env=TODAY)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"commit": None, "files": [SCAFFOLD], "ids": ["2022-08/alpha"]}
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == f"?? {SCAFFOLD}\n"
    dry = lx("reports", "new", "-u", "beta", "-m", "2022-08", "-f", "json", "--dry-run", cwd=repo, env=TODAY)
    assert dry.exit_code == 0, dry.output  # another scaffold is no reason to refuse the next one
    save = lx("save", cwd=repo, env=TODAY)  # but it cannot be committed before it is filled in (spec 6.8)
    assert save.exit_code == 1 and "月报尚未填写报送日期" in save.output


def test_dry_run_json_and_a_dirty_tree(repo: Path, lx: Lx) -> None:
    """A scaffold is never committed, so changes Git does not have are no reason to refuse it."""
    other = repo / "data/tasks/t2022-002.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "# 手工备注\n", encoding="utf-8")
    before = snapshot(repo)
    dry = lx("reports", "new", "-u", "alpha", "-m", "2022-08", "--dry-run", "-f", "json", cwd=repo, env=TODAY)
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout) == {"commit": None, "files": [SCAFFOLD], "ids": ["2022-08/alpha"], "dry_run": True}
    assert snapshot(repo) == before
    assert lx("reports", "new", "-u", "alpha", "-m", "2022-08", cwd=repo, env=TODAY).exit_code == 0


def test_refusals_write_nothing(repo: Path, lx: Lx) -> None:
    before = snapshot(repo)
    for args, said in (
        (["-u", "alpha", "-m", "2022-05"], "早于专班成立"),
        (["-u", "alpha", "-m", "2022-09"], "还没有到"),
        (["-u", "alpha", "-m", "2022-07"], "不覆盖已有月报"),
        (["-u", "甲", "-m", "2022-08"], "甲局（alpha）"),
    ):
        result = lx("reports", "new", *args, "--dry-run", cwd=repo, env=TODAY)
        assert result.exit_code == 1 and said in result.output, result.output
        assert snapshot(repo) == before


def test_other_unfilled_scaffolds_do_not_block_a_new_one(bundled: Path, lx: Lx) -> None:
    """The office prepares several units' scaffolds: the earlier ones, not filled in yet, are no reason to
    refuse the next (nor to hide the real reason of a refusal); any other finding still refuses."""
    args = ["--month", "2023-01"]
    assert lx("reports", "new", "--unit", "景山街道", *args, cwd=bundled).exit_code == 0
    second = lx("reports", "new", "--unit", "梧田街道", *args, cwd=bundled)
    assert second.exit_code == 0, second.output
    assert (bundled / "data/reports/2023-01/wutian.yaml").exists()
    early = lx("reports", "new", "--unit", "区民政局", "--month", "2022-05", cwd=bundled)
    assert early.exit_code == 1 and "2022-05 早于专班成立" in early.stderr
    (bundled / "data/tasks/t2022-001.yaml").write_text("x: [\n", encoding="utf-8")
    broken = lx("reports", "new", "--unit", "区民政局", *args, cwd=bundled)
    assert broken.exit_code == 1 and "t2022-001.yaml:2:1" in broken.output
    assert not (bundled / "data/reports/2023-01/minzheng.yaml").exists()
