"""The repository interface: consistent reads, one order of records, every write through the writer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import laoxiao_cli.repo.loader as loader_module
import laoxiao_cli.repo.scan as scan_module
from laoxiao_cli.repo import Repo
from laoxiao_cli.repo.discover import git_dir
from laoxiao_cli.repo.loader import load_dir
from laoxiao_cli.repo.lock import bump, locked
from tests.conftest import Lx, git, make_repo

LX = str(Path(sys.executable).with_name("lx"))
TASK = "data/tasks/t2022-001.yaml"


def _committed_since_cached(tmp_path: Path) -> tuple[Path, Path, bytes, Path]:
    """A repository whose cache describes its first commit, and a second commit that changed one task:
    (root, that task's path, its committed bytes, the Git folder)."""
    root = make_repo(tmp_path / "r")
    assert load_dir(root / "data").findings == []
    path = root / TASK
    good = path.read_bytes().replace(b"title: ", "title: 改 ".encode(), 1)
    path.write_bytes(good)
    git(root, "commit", "-qam", "edit")
    gdir = git_dir(root)
    assert gdir is not None
    return root, path, good, gdir


def test_a_read_overlapping_a_rolled_back_write_does_not_poison_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression (v1: the cache was written under the key computed before the scan, before the seqlock
    check). A writer writes an invalid file after the reader computed its key and rolls it back after
    the reader parsed it: the read must be repeated, and nothing of it may reach the cache."""
    root, path, good, gdir = _committed_since_cached(tmp_path)
    real_scan = scan_module.scan
    events: list[str] = []

    def overlapped_scan(*args: object) -> scan_module.Listing:
        listing = real_scan(*args)  # type: ignore[arg-type]
        if not events:
            with locked(gdir):
                bump(gdir)  # a writer begins …
                path.write_bytes(good + b"deu: 2022-01-01\n")  # … and writes an invalid file
            events.append("wrote")
        return listing

    def progress(total: int):  # type: ignore[no-untyped-def]
        def advance(n: int) -> None:
            if events == ["wrote"]:
                with locked(gdir):
                    path.write_bytes(good)  # the writer rolls back after the reader parsed
                    bump(gdir)
                events.append("rolled back")

        return advance

    monkeypatch.setattr(scan_module, "scan", overlapped_scan)
    monkeypatch.setattr(loader_module, "EDITS_SINCE_CACHED", 0)  # the scanning path, not the one below
    first = load_dir(root / "data", progress=progress)
    assert events == ["wrote", "rolled back"]
    assert first.findings == []
    monkeypatch.setattr(scan_module, "scan", real_scan)
    assert load_dir(root / "data").findings == []
    assert load_dir(root / "data", use_cache=False).findings == []


def test_a_load_from_the_cached_commit_overlapping_a_rolled_back_write_is_repeated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The load that applies what changed since the cached commit: a writer writes an invalid file as the
    reader reads the changed files and rolls it back after the reader checked them; the reader must
    read again and see the valid file."""
    root, path, good, gdir = _committed_since_cached(tmp_path)
    real_edits, real_planned = loader_module._edits, loader_module.planned
    events: list[str] = []

    def overlapped_edits(*args: object) -> object:
        if not events:
            with locked(gdir):
                bump(gdir)  # a writer begins …
                path.write_bytes(good + b"deu: 2022-01-01\n")  # … and writes an invalid file
            events.append("wrote")
        return real_edits(*args)  # type: ignore[arg-type]

    def overlapped_planned(*args: object, **kwargs: object) -> object:
        result = real_planned(*args, **kwargs)  # type: ignore[arg-type]
        if events == ["wrote"]:
            assert result.findings  # it did read the invalid file …
            with locked(gdir):
                path.write_bytes(good)  # … which the writer then rolls back
                bump(gdir)
            events.append("rolled back")
        return result

    monkeypatch.setattr(loader_module, "_edits", overlapped_edits)
    monkeypatch.setattr(loader_module, "planned", overlapped_planned)
    first = load_dir(root / "data")
    assert events == ["wrote", "rolled back"]
    assert first.findings == []
    assert first.dataset is not None and "改" in first.dataset.tasks[path.stem].title
    monkeypatch.undo()
    assert load_dir(root / "data").findings == load_dir(root / "data", use_cache=False).findings == []


def test_a_key_that_changed_during_the_read_is_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hand edit (no lx writer, so no sequence bump) during the read: the findings of what was parsed
    are shown, but not stored under the key of the state before it."""
    root = make_repo(tmp_path / "r")
    path = root / TASK
    original = path.read_bytes()
    real_scan = scan_module.scan

    def edited_during_scan(*args: object) -> scan_module.Listing:
        listing = real_scan(*args)  # type: ignore[arg-type]
        path.write_bytes(original + b"deu: 2022-01-01\n")
        return listing

    monkeypatch.setattr(scan_module, "scan", edited_during_scan)
    load_dir(root / "data")
    monkeypatch.setattr(scan_module, "scan", real_scan)
    assert [f.file for f in load_dir(root / "data").findings] == [TASK]
    path.write_bytes(original)
    assert load_dir(root / "data").findings == []


def test_warm_and_cold_loads_order_records_alike(tmp_path: Path) -> None:
    """Regression (v1: the incremental path sorted by key, the cold one by path). `t1-a.yaml` comes
    before `t1.yaml` in file-name order although `t1` < `t1-a`."""
    tasks = {
        f"data/tasks/{tid}.yaml": (
            f"id: {tid}\ntitle: 任务{tid}\ntarget: 目标\nlead: alpha\ndue: 2022-12-31\nstatus: open\n"
        )
        for tid in ("t1", "t1-a", "t1.b", "t10")
    }
    root = make_repo(tmp_path / "r", tasks)
    cold = load_dir(root / "data", use_cache=False).require()
    assert load_dir(root / "data").findings == []  # fills the cache
    (root / "data/tasks/t10.yaml").write_text(tasks["data/tasks/t10.yaml"] + "key: true\n", encoding="utf-8")
    warm = load_dir(root / "data").require()  # the incremental path: one file parsed again
    order = [t for t in cold.tasks if t.startswith("t1")]
    assert order == ["t1-a", "t1.b", "t1", "t10"]  # file-name order
    assert [t for t in warm.tasks if t.startswith("t1")] == order
    assert list(warm.units) == list(cold.units) and list(warm.reports) == list(cold.reports)


def test_reports_new_writes_through_the_writer(repo: Path) -> None:
    """Regression (v1: `reports new` wrote through its own transaction, with no journal). Killed after
    the journal is written, the scaffold is undone by the next command."""
    env = {**os.environ, "LX_TODAY": "2022-08-20", "LX_CRASH_AT": "wrote-1"}
    killed = subprocess.run(
        [LX, "reports", "new", "-u", "alpha", "-m", "2022-08"], cwd=repo, env=env, capture_output=True, check=False
    )
    assert killed.returncode == -9
    assert (repo / ".git" / "lx-journal.json").exists()
    after = subprocess.run([LX, "validate"], cwd=repo, capture_output=True, text=True, check=False)
    assert after.returncode == 0 and "已撤销上次被中断的写入" in after.stderr
    assert not (repo / "data/reports/2022-08/alpha.yaml").exists()
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def test_letters_issue_is_all_or_nothing(repo: Path, lx: Lx, tmp_path: Path) -> None:
    """Regression (v1: the records were committed, then writing the documents failed). A documents
    folder that cannot be one (an existing file) is refused before anything is written."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    head = git(repo, "rev-parse", "HEAD")
    result = lx("letters", "issue", "--as-of", "2022-12-31", "-o", str(blocker), cwd=repo)
    assert result.exit_code == 1, result.output
    assert "无法写入" in result.output and "Traceback" not in result.output
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    ok = lx("letters", "issue", "--as-of", "2022-12-31", "-o", str(tmp_path / "docs"), cwd=repo)
    assert ok.exit_code == 0, ok.output
    letters = sorted(p.stem for p in (repo / "data/letters").glob("*.yaml"))
    docs = sorted(p.name for p in (tmp_path / "docs").iterdir())
    new = [lid for lid in letters if lid != "l2022-001"]
    assert new and docs == sorted([f"{lid}.docx" for lid in new] + [f"{lid}.md" for lid in new])


def test_letters_issue_killed_after_the_commit_completes_its_documents(repo: Path, tmp_path: Path) -> None:
    env = {**os.environ, "LX_TODAY": "2022-12-31", "LX_CRASH_AT": "committed"}
    out = tmp_path / "docs"
    killed = subprocess.run([LX, "letters", "issue", "-o", str(out)], cwd=repo, env=env, capture_output=True)
    assert killed.returncode == -9
    assert not any(p.suffix in (".docx", ".md") for p in out.iterdir())  # only staged copies so far
    after = subprocess.run([LX, "validate"], cwd=repo, capture_output=True, text=True, check=False)
    assert after.returncode == 0 and "已补写" in after.stderr, after.stderr
    names = sorted(p.name for p in out.iterdir())
    letters = sorted(p.stem for p in (repo / "data/letters").glob("*.yaml") if p.stem != "l2022-001")
    assert letters and names == sorted([f"{lid}.docx" for lid in letters] + [f"{lid}.md" for lid in letters])


def test_at_reads_the_data_as_committed(repo: Path) -> None:
    repository = Repo.open(repo / "data")
    first = git(repo, "rev-parse", "HEAD").strip()
    (repo / "data/tasks/t2022-002.yaml").unlink()
    git(repo, "commit", "-qam", "删除任务")
    (repo / "data/units/beta.yaml").write_text("id: beta\n", encoding="utf-8")  # a broken work tree
    then = repository.at(first)
    assert then.findings == [] and "t2022-002" in then.require().tasks
    now = repository.at("HEAD")
    assert now.findings == [] and "t2022-002" not in now.require().tasks
    assert repository.load().findings  # the work tree itself is broken
    with pytest.raises(Exception, match="找不到版本"):
        repository.at("no-such-branch")


def test_letters_show_renders_an_issued_letter_as_it_was_issued(repo: Path, lx: Lx, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    assert lx("letters", "issue", "--as-of", "2022-12-31", "-o", str(out), cwd=repo).exit_code == 0
    issued = sorted(p for p in out.glob("*.md"))
    assert issued
    letter_id = issued[0].stem
    # later changes to the task and the letter do not change the document of the letter as issued
    task = repo / "data/tasks/t2022-001.yaml"
    task.write_text(task.read_text(encoding="utf-8").replace("title: 完成甲事", "title: 改过的标题"), encoding="utf-8")
    git(repo, "commit", "-qam", "改任务标题")
    shown = lx("letters", "show", letter_id, cwd=repo)
    assert shown.exit_code == 0, shown.output
    assert shown.stdout == issued[0].read_text(encoding="utf-8")
    same = lx("letters", "show", letter_id, "-o", "-", cwd=repo)
    assert same.stdout == shown.stdout
    docx = tmp_path / "again.docx"
    assert lx("letters", "show", letter_id, "-f", "docx", "-o", str(docx), cwd=repo).exit_code == 0
    from docx import Document

    def paragraphs(path: Path) -> list[str]:
        return [p.text for p in Document(str(path)).paragraphs]

    assert paragraphs(docx) == paragraphs(out / f"{letter_id}.docx")
    assert lx("letters", "show", letter_id, "-f", "docx", cwd=repo).exit_code == 2
    missing = lx("letters", "show", "l2099-999", cwd=repo)
    assert missing.exit_code == 1 and "l2099-999" in missing.output
