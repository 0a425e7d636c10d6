"""The parse cache is a speed-up only: missing, stale, corrupt or foreign caches are ignored and rebuilt."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import laoxiao_cli.repo.cache as cache_module
import laoxiao_cli.repo.forks as forks
import laoxiao_cli.repo.loader as loader_module
import laoxiao_cli.repo.pipeline as pipeline
import laoxiao_cli.repo.scan as scan_module
import laoxiao_cli.repo.snapshot as snapshot
import laoxiao_cli.repo.yamlio as yamlio
from laoxiao_cli.repo.cache import location
from laoxiao_cli.repo.loader import load_dir
from tests.conftest import BUNDLED, Lx, age, git, make_repo


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(raw: bytes) -> yamlio.Parsed:
        raise AssertionError("a file was parsed")

    monkeypatch.setattr(yamlio, "parse", refuse)


def test_second_load_parses_nothing(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_dir(aged / "data")
    assert first.findings == [] and first.dataset is not None
    assert (location(aged, aged / "data") / "state").exists()
    assert ".git" in location(aged, aged / "data").parts  # inside the Git folder, never the work tree
    no_parsing(monkeypatch)
    second = load_dir(aged / "data")
    assert second.files == first.files and second.findings == []
    assert second.dataset is not None
    assert second.dataset.tasks == first.dataset.tasks
    assert second.dataset.reports == first.dataset.reports  # loaded lazily from the cache
    assert second.dataset.submitted == first.dataset.submitted


def test_a_changed_file_is_reparsed_alone(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_dir(aged / "data")
    task = aged / "data/tasks/t2022-002.yaml"
    task.write_text(task.read_text(encoding="utf-8").replace("完成乙事", "完成乙事（改）"), encoding="utf-8")
    parsed: list[str] = []
    real = yamlio.parse

    def counting(raw: bytes) -> yamlio.Parsed:
        result = real(raw)
        parsed.append(str(result.data.get("id") or result.data.get("unit")))
        return result

    monkeypatch.setattr(yamlio, "parse", counting)
    loaded = load_dir(aged / "data")
    assert parsed == ["t2022-002"]
    assert loaded.dataset is not None and loaded.dataset.tasks["t2022-002"].title == "完成乙事（改）"


def test_an_edit_that_breaks_a_file_is_seen(aged: Path, lx: Lx) -> None:
    assert lx("validate", cwd=aged).exit_code == 0
    (aged / "data/tasks/t2022-002.yaml").write_text("id: t2022-002\n", encoding="utf-8")
    assert lx("validate", cwd=aged).exit_code == 1
    git(aged, "checkout", "--", "data/tasks/t2022-002.yaml")
    assert lx("validate", cwd=aged).exit_code == 0


def test_new_and_deleted_files_are_seen(aged: Path, lx: Lx) -> None:
    assert json.loads(lx("validate", "-f", "json", cwd=aged).stdout)["files"] == 8
    (aged / "data/tasks/notes.yml").write_text("x: 1\n", encoding="utf-8")
    result = json.loads(lx("validate", "-f", "json", cwd=aged).stdout)
    assert result["files"] == 9 and not result["ok"]
    (aged / "data/tasks/notes.yml").unlink()
    (aged / "data/letters/l2022-001.yaml").unlink()
    assert json.loads(lx("validate", "-f", "json", cwd=aged).stdout)["files"] == 7


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "foreign", "other-generation"])
def test_damaged_cache_is_ignored_and_rebuilt(aged: Path, damage: str) -> None:
    first = load_dir(aged / "data")
    folder = location(aged, aged / "data")
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "garbage":
            path.write_bytes(os.urandom(len(data)))
        elif damage == "empty":
            path.write_bytes(b"")
        elif damage == "foreign":
            path.write_bytes(cache_module.MAGIC + b"an-older-lx\n" + data.split(b"\n", 2)[2])
    if damage == "other-generation":  # parts from two different runs: they must not be trusted
        for name in ("tasks", "reports", "index"):
            part = folder / name
            _generation, payload = cache_module.read(part)
            cache_module.write(part, ("another", payload))
    again = load_dir(aged / "data")
    assert again.findings == first.findings
    assert again.dataset is not None and first.dataset is not None
    assert again.dataset.tasks == first.dataset.tasks
    assert again.dataset.reports == first.dataset.reports


def test_stale_cache_for_other_content_is_not_used(aged: Path, lx: Lx) -> None:
    assert lx("validate", cwd=aged).exit_code == 0
    folder = location(aged, aged / "data")
    saved = {p.name: p.read_bytes() for p in folder.iterdir()}
    (aged / "data/units/beta.yaml").write_text("id: beta\n", encoding="utf-8")
    git(aged, "commit", "-qam", "坏了")
    for name, data in saved.items():  # put back the cache of the old, valid content
        (folder / name).write_bytes(data)
    result = lx("validate", cwd=aged)
    assert result.exit_code == 1 and "data/units/beta.yaml" in result.stdout


def test_cache_outside_git_and_disabled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "plain", commit=False)
    age(root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert load_dir(root / "data").findings == []
    assert any((tmp_path / "cache" / "lx").iterdir())
    no_parsing(monkeypatch)
    assert load_dir(root / "data").findings == []
    monkeypatch.setenv("LX_NO_CACHE", "1")
    with pytest.raises(AssertionError, match="a file was parsed"):
        load_dir(root / "data")


def test_unwritable_cache_is_not_an_error(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_module.pickle, "dump", failing)
    assert load_dir(aged / "data").findings == []
    folder = location(aged, aged / "data")
    assert not any(p.name.endswith(".tmp") for p in folder.iterdir())  # no half-written part left


def _serial_then_two_cores(root: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The load of ``root/data`` on one core, uncached; then every later load parses on two cores (even on
    a one-core machine), in batches of 7 files."""
    monkeypatch.setenv("LX_NO_CACHE", "1")
    monkeypatch.setenv("LX_WORKERS", "1")
    serial = load_dir(root / "data")
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 10)
    monkeypatch.setattr(pipeline, "BATCH", 7)
    monkeypatch.setenv("LX_WORKERS", "2")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    return serial


def test_parallel_parse_gives_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "ouhai"
    shutil.copytree(BUNDLED, root / "data")
    (root / "data/tasks/t2022-005.yaml").write_text("id: t2022-005\nstatus: open\n", encoding="utf-8")
    serial = _serial_then_two_cores(root, monkeypatch)
    assert forks.cores() == 2
    pools: list[int] = []
    real_parallel = pipeline._parse_in_parallel

    def parallel_parse(*args, **kwargs):  # type: ignore[no-untyped-def]
        pools.append(len(args[1]))
        return real_parallel(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_parse_in_parallel", parallel_parse)
    parallel = load_dir(root / "data")
    assert pools == [serial.files]  # every file went through the worker processes
    assert parallel.findings == serial.findings
    assert [(f.file, f.line, f.message.split("；")[0]) for f in serial.findings] == [
        ("data/tasks/t2022-005.yaml", 1, f"缺少必填字段 `{name}`") for name in ("due", "lead", "target", "title")
    ]
    assert parallel.files == serial.files
    good = tmp_path / "good"
    shutil.copytree(BUNDLED, good / "data")
    a = load_dir(good / "data").dataset
    assert pools == [serial.files, serial.files]  # parsed in parallel again
    monkeypatch.setenv("LX_WORKERS", "1")
    b = load_dir(good / "data").dataset
    assert len(pools) == 2  # and this one serially
    assert a is not None and b is not None
    assert a.tasks == b.tasks and a.reports == b.reports and a.units == b.units


def test_incremental_loads_equal_cold_loads(aged: Path) -> None:
    """After each edit, what the cache-assisted load returns equals a load from scratch."""
    data = aged / "data"

    def same() -> None:
        warm, cold = load_dir(data), load_dir(data, use_cache=False)
        assert warm.findings == cold.findings
        assert warm.files == cold.files
        if cold.dataset is None:
            assert warm.dataset is None
            return
        assert warm.dataset is not None
        for name in ("units", "tasks", "meetings", "letters", "handovers", "submitted", "percents", "reports"):
            assert getattr(warm.dataset, name) == getattr(cold.dataset, name), name
            assert list(getattr(warm.dataset, name)) == list(getattr(cold.dataset, name)), name
        assert list(warm.dataset.percents_by_task.items()) == list(cold.dataset.percents_by_task.items())
        again = load_dir(data).dataset  # served by the cache: the stored per-task figures
        assert again is not None and list(again.percents_by_task.items()) == list(cold.dataset.percents_by_task.items())
        assert warm.dataset.group == cold.dataset.group

    def edit(rel: str, text: str | None) -> None:
        path = data / rel
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        os.utime(path.parent, None)

    same()
    edit(
        "tasks/t2022-002.yaml",
        (data / "tasks/t2022-002.yaml").read_text(encoding="utf-8").replace("完成乙事", "乙事（改）"),
    )
    same()
    edit("letters/l2022-001.yaml", None)
    same()
    edit("reports/2022-08/beta.yaml", "unit: beta\nmonth: '2022-08'\nsubmitted: 2022-08-20\n")
    same()
    edit("units/beta.yaml", "id: beta\nname: 乙局\n")  # broken: every reference to beta is still known
    same()
    edit("units/beta.yaml", "id: beta\nname: 乙局\nkind: department\nduties: [{id: beta.1, text: 配合甲事。}]\n")
    same()
    edit("tasks/t2022-009.yaml", "id: t2022-009\ntitle: 新\ntarget: 新\nlead: beta\ndue: 2023-01-31\nstatus: open\n")
    same()
    group = (data / "group.yaml").read_text(encoding="utf-8")
    edit("group.yaml", group.replace("reports: {due_day: 25}", "reports: {due_day: 20}"))
    same()
    edit("group.yaml", "name: [\n")
    same()
    edit("group.yaml", group)
    same()


def test_a_big_table_is_stored_in_chunks_and_read_back_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from laoxiao_cli.repo import cache

    monkeypatch.setattr(cache, "CHUNK", 3)
    table = {f"k{n:02d}": (n, [n] * n) for n in range(10)}  # 10 entries: 4 chunks of at most 3
    cache.write(tmp_path / "part", ("generation", table))
    back = cache.read(tmp_path / "part")
    assert back == ("generation", table) and list(back[1]) == list(table)  # every entry, in order
    assert cache.read(tmp_path / "part") is not None
    raw = (tmp_path / "part").read_bytes()
    (tmp_path / "part").write_bytes(raw[: len(raw) - 20])  # a chunk cut short: no cache, not an error
    assert cache.read(tmp_path / "part") is None
    cache.write(tmp_path / "empty", ("g", {}))
    assert cache.read(tmp_path / "empty") == ("g", {})
    cache.write(tmp_path / "other", ("g", "not a table"))
    assert cache.read(tmp_path / "other") == ("g", "not a table")


def test_a_parsing_worker_that_fails_leaves_its_files_to_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "ouhai"
    shutil.copytree(BUNDLED, root / "data")
    serial = _serial_then_two_cores(root, monkeypatch)

    def broken(*args: object) -> bool:
        raise RuntimeError("a worker that cannot start")

    monkeypatch.setattr(pipeline, "_parse_share", broken)  # the forked workers fail at once
    scratch = tmp_path / "tmp"  # this load's own temporary folder: another lx on the machine uses /tmp
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    made: list[str] = []
    mkdtemp = tempfile.mkdtemp
    monkeypatch.setattr(tempfile, "mkdtemp", lambda **kwargs: made.append(mkdtemp(**kwargs)) or made[-1])
    parallel = load_dir(root / "data")
    assert parallel.files == serial.files and parallel.findings == serial.findings
    assert parallel.dataset is not None and serial.dataset is not None
    assert parallel.dataset.tasks == serial.dataset.tasks and parallel.dataset.reports == serial.dataset.reports
    assert [Path(folder).parent for folder in made] == [scratch]  # the workers' results folder was made …
    assert not list(scratch.glob("lx-parse-*"))  # … and removed


def _parts_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the cache files read (whole, or a table opened earlier), in order, from now on."""
    names: list[str] = []
    read, open_table = cache_module.read, cache_module.open_table

    def recording(path: Path) -> Any:
        names.append(path.name)
        return read(path)

    def opening(path: Path) -> Any:
        opened = open_table(path)
        if opened is not None:
            table = opened.table

            def reading() -> Any:
                names.append(path.name)
                return table()

            opened.table = reading  # type: ignore[method-assign]
        return opened

    monkeypatch.setattr(cache_module, "read", recording)
    monkeypatch.setattr(cache_module, "open_table", opening)
    return names


def test_a_view_reads_only_the_cache_parts_it_uses(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from laoxiao_cli.domain.overdue import overdue
    from laoxiao_cli.domain.status import status

    load_dir(aged / "data")
    names = _parts_read(monkeypatch)
    loaded = load_dir(aged / "data")
    assert loaded.dataset is not None
    assert names == ["state", "edits", "group"]  # the tables are read when first used, not with the state
    status(loaded.dataset, date(2023, 6, 30))
    assert {"tasks", "units", "meetings", "letters", "submitted", "by_task"} <= set(names)
    assert "percents" not in names and "reports" not in names  # the figures by task are stored apart
    names.clear()
    again = load_dir(aged / "data").dataset
    assert again is not None
    overdue(again, date(2023, 6, 30))
    assert not {"handovers", "percents", "reports"} & set(names), names
    assert len(names) == len(set(names))  # each part read once


@pytest.mark.parametrize("part", ["tasks", "submitted", "by_task", "reports", "units"])
@pytest.mark.parametrize("how", ["rewritten", "removed"])
def test_a_table_read_late_is_the_state_s_even_when_the_cache_changed_meanwhile(
    aged: Path, part: str, how: str
) -> None:
    """Another process may rewrite the cache between the moment a dataset is made and the moment one of its
    tables is first used: the table is still the one of the state the dataset came from, never a mix."""
    load_dir(aged / "data")
    first = load_dir(aged / "data").dataset  # every part opened and checked here, none read yet
    assert first is not None
    folder = location(aged, aged / "data")
    task = aged / "data" / "tasks" / "t2022-001.yaml"
    task.write_text(task.read_text(encoding="utf-8").replace("title:", "title: 改过", 1), encoding="utf-8")
    later = load_dir(aged / "data", use_cache=False).dataset  # what the files say now
    assert later is not None and later.tasks["t2022-001"].title.startswith("改过")
    if how == "rewritten":
        cache_module.write(folder / part, ("another generation", {}))
    else:
        (folder / part).unlink()
    table = "percents_by_task" if part == "by_task" else part
    assert not first.tasks["t2022-001"].title.startswith("改过")  # the state's, not the files' now
    assert getattr(first, table) is not None
    if part != "tasks":
        assert getattr(first, table) == getattr(_old(aged, task), table)


def _old(root: Path, task: Path) -> Any:
    """The dataset of the content before the edit above (the edit undone, loaded without the cache)."""
    task.write_text(task.read_text(encoding="utf-8").replace("title: 改过", "title:", 1), encoding="utf-8")
    return load_dir(root / "data", use_cache=False).dataset


def test_a_part_of_another_generation_when_the_dataset_is_made_means_no_cache(aged: Path) -> None:
    load_dir(aged / "data")
    folder = location(aged, aged / "data")
    _generation, payload = cache_module.read(folder / "meetings")
    cache_module.write(folder / "meetings", ("another generation", payload))
    task = aged / "data" / "tasks" / "t2022-001.yaml"
    task.write_text(task.read_text(encoding="utf-8").replace("title:", "title: 改过", 1), encoding="utf-8")
    loaded = load_dir(aged / "data")
    assert loaded.dataset is not None and loaded.dataset.tasks["t2022-001"].title.startswith("改过")


def test_a_part_damaged_after_its_head_is_read_from_the_files(aged: Path) -> None:
    first = load_dir(aged / "data", use_cache=False).dataset
    load_dir(aged / "data")
    loaded = load_dir(aged / "data").dataset
    assert first is not None and loaded is not None
    path = location(aged, aged / "data") / "tasks"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])  # the file opened keeps its inode: damaged in place
    assert loaded.tasks == first.tasks


def test_the_tables_a_command_will_use_are_read_while_git_works(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import laoxiao_cli.repo.gitcli as gitcli

    load_dir(aged / "data")
    names = _parts_read(monkeypatch)
    seen: list[tuple[str, int]] = []  # (what Git was asked or answered, how many parts were read by then)
    popen = gitcli.subprocess.Popen

    class Watched(popen):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            seen.append(("started", len(names)))

        def communicate(self, *args: Any, **kwargs: Any) -> Any:
            seen.append(("waited", len(names)))
            return super().communicate(*args, **kwargs)

    monkeypatch.setattr(gitcli.subprocess, "Popen", Watched)
    loaded = load_dir(aged / "data", tables=("tasks", "units"))
    assert seen == [("started", 0), ("started", 0), ("waited", 4), ("waited", 4)]  # read while Git worked
    assert names == ["state", "edits", "tasks", "units"]
    assert loaded.dataset is not None and loaded.dataset.tasks and loaded.dataset.units
    assert names.count("tasks") == 1  # the part read ahead is the table: not read again


def test_an_interrupt_while_git_works_leaves_no_git_process(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_dir(aged / "data")

    def interrupted(*_args: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(snapshot, "read_state", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load_dir(aged / "data")
    with pytest.raises(ChildProcessError):  # both Git processes were killed and reaped
        os.waitpid(-1, os.WNOHANG)


def _retitle(root: Path, title: str) -> Path:
    task = root / "data" / "tasks" / "t2022-001.yaml"
    task.write_text(task.read_text(encoding="utf-8").replace("title: 完成甲事", f"title: {title}"), encoding="utf-8")
    return task


def test_the_same_hand_edits_are_not_worked_out_again(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_dir(aged / "data")
    _retitle(aged, "完成甲事（第二稿）")
    first = load_dir(aged / "data")
    assert first.key is not None and (location(aged, aged / "data") / "edits").is_file()
    assert first.dataset is not None and first.dataset.tasks["t2022-001"].title == "完成甲事（第二稿）"
    no_parsing(monkeypatch)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the edits were applied again")

    monkeypatch.setattr(pipeline, "apply", refuse)
    second = load_dir(aged / "data")  # only the stored findings: what `lx validate` shows
    assert (second.files, second.findings, second.key) == (first.files, first.findings, first.key)
    monkeypatch.undo()
    assert second.dataset is not None and second.dataset.tasks == first.dataset.tasks  # made again when needed
    assert second.dataset.units == first.dataset.units and second.dataset.reports == first.dataset.reports


def test_hand_edits_that_break_a_file_are_remembered_with_their_findings(
    aged: Path, lx: Lx, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_dir(aged / "data")
    task = aged / "data" / "tasks" / "t2022-002.yaml"
    task.write_text(task.read_text(encoding="utf-8") + "deu: 2023-01-01\n", encoding="utf-8")
    first = lx("validate", "--format", "json", cwd=aged)
    assert first.exit_code == 1 and "deu" in first.stdout
    no_parsing(monkeypatch)
    again = lx("validate", "--format", "json", cwd=aged)
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)


def test_other_edits_a_commit_or_a_revert_are_not_given_the_stored_edits(aged: Path) -> None:
    def title() -> str:
        loaded = load_dir(aged / "data")
        assert loaded.dataset is not None
        return loaded.dataset.tasks["t2022-001"].title

    assert title() == "完成甲事"
    task = _retitle(aged, "第二稿")
    original = git(aged, "show", "HEAD:data/tasks/t2022-001.yaml")
    assert title() == "第二稿" and title() == "第二稿"
    task.write_text(original.replace("title: 完成甲事", "title: 第三稿"), encoding="utf-8")
    assert title() == "第三稿" and title() == "第三稿"
    git(aged, "commit", "-qam", "第三稿")
    assert title() == "第三稿"
    task.write_text(original, encoding="utf-8")
    assert title() == "完成甲事" and title() == "完成甲事"
    git(aged, "checkout", "-q", "data/tasks/t2022-001.yaml")
    assert title() == "第三稿"


def test_a_file_changed_while_the_edits_are_read_is_not_stored(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import laoxiao_cli.repo.loader as loader

    load_dir(aged / "data")
    task = _retitle(aged, "第二稿")
    read = loader._edits

    def late(root: Path, rels: tuple[str, ...]) -> Any:  # another edit after `git status`, before the read
        task.write_text(task.read_text(encoding="utf-8").replace("第二稿", "第三稿"), encoding="utf-8")
        return read(root, rels)

    monkeypatch.setattr(loader, "_edits", late)
    loaded = load_dir(aged / "data")
    assert loaded.key is None  # not the content the key describes: nothing remembered under it
    assert not (location(aged, aged / "data") / "edits").exists()
    monkeypatch.undo()
    again = load_dir(aged / "data")
    assert again.dataset is not None and again.dataset.tasks["t2022-001"].title == "第三稿"


def test_a_blob_id_is_git_s(tmp_path: Path) -> None:
    from laoxiao_cli.repo.gitcli import blob_id

    for data in (b"", b"id: t1\n", "标题：完成甲事\r\n".encode(), bytes(range(256))):
        (tmp_path / "f").write_bytes(data)
        assert (
            blob_id(data)
            == subprocess.run(
                ["git", "hash-object", str(tmp_path / "f")], capture_output=True, text=True, check=True
            ).stdout.strip()
        )


def test_a_commit_applied_to_the_cached_one_is_stored_unless_a_file_changed_meanwhile(
    aged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import laoxiao_cli.repo.loader as loader

    load_dir(aged / "data")
    task = _retitle(aged, "第二稿")
    git(aged, "commit", "-qam", "第二稿")  # clean again, one commit past the cached state
    read = loader._edits

    def late(root: Path, rels: tuple[str, ...]) -> Any:  # the committed file edited after `git status`
        task.write_text(task.read_text(encoding="utf-8").replace("第二稿", "第三稿"), encoding="utf-8")
        return read(root, rels)

    monkeypatch.setattr(loader, "_edits", late)
    assert load_dir(aged / "data").key is None
    assert not (location(aged, aged / "data") / "edits").exists()
    monkeypatch.undo()
    git(aged, "checkout", "-q", "data")
    loaded = load_dir(aged / "data")
    assert loaded.key is not None and (location(aged, aged / "data") / "edits").is_file()
    assert loaded.dataset is not None and loaded.dataset.tasks["t2022-001"].title == "第二稿"


def _validated(lx: Lx, root: Path, env: dict[str, str] | None = None) -> tuple[int, Any]:
    done = lx("validate", "--format", "json", cwd=root, env=env)
    return done.exit_code, json.loads(done.stdout)


def test_a_rename_in_the_work_tree_only_is_seen(aged: Path, lx: Lx) -> None:
    """`git mv`-like in the work tree alone (` R` after `git add -N`): Git lists the new path, then the old."""
    _validated(lx, aged)
    old, new = aged / "data" / "tasks" / "t2022-002.yaml", aged / "data" / "tasks" / "t2022-098.yaml"
    new.write_text(old.read_text(encoding="utf-8").replace("id: t2022-002", "id: t2022-098"), encoding="utf-8")
    old.unlink()
    git(aged, "add", "-N", "data/tasks/t2022-098.yaml")
    assert " R " in git(aged, "status", "--porcelain") or "RM" in git(aged, "status", "--porcelain")
    expected = _validated(lx, aged, {"LX_NO_CACHE": "1"})
    assert _validated(lx, aged) == expected  # the old file gone, the new one there: the same count
    assert _validated(lx, aged) == expected


def test_a_repository_inside_the_data_folder_is_not_left_out(aged: Path, lx: Lx) -> None:
    """Git lists an untracked folder holding a repository of its own as one entry (`?? data/tasks/sub/`):
    its files are still data files, and a hand edit elsewhere must not hide them."""
    _validated(lx, aged)
    sub = aged / "data" / "tasks" / "sub"
    sub.mkdir()
    git(sub, "init", "-q")
    shutil.copy(aged / "data" / "tasks" / "t2022-001.yaml", sub / "t2022-001.yaml")
    _retitle(aged, "第二稿")
    expected = _validated(lx, aged, {"LX_NO_CACHE": "1"})
    assert expected[0] == 1
    for _ in range(2):
        assert _validated(lx, aged) == expected
    assert not (location(aged, aged / "data") / "edits").exists()


@pytest.mark.parametrize(
    ("path", "old", "new", "named"),
    [
        ("tasks/t2022-002.yaml", "lead: beta", "lead: gamma", "t2022-002.yaml"),  # the changed task's own rule
        ("units/alpha.yaml", "  - {id: alpha.1, text: 负责甲事。}\n", "", "t2022-001.yaml"),  # an unchanged task's
        ("tasks/t2022-002.yaml", "title:", "# 改\ntitle:", None),  # nothing to find
    ],
    ids=["changed task", "unit under an unchanged task", "comment"],
)
def test_after_a_change_the_task_rules_find_what_a_cold_load_finds(
    aged: Path, lx: Lx, path: str, old: str, new: str, named: str | None
) -> None:
    """After a change to a clean load only the changed tasks' own rules run again, unless a unit, a meeting
    or group.yaml changed: then every task's do (a unit's duty can go from under an unchanged task)."""
    _validated(lx, aged)
    target = aged / "data" / path
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    expected = _validated(lx, aged, {"LX_NO_CACHE": "1"})
    assert _validated(lx, aged) == expected
    files = {finding["file"] for finding in expected[1]["errors"]}
    assert (named is None) == (expected[0] == 0) and (named is None or any(f.endswith(named) for f in files))


# --- the cache's parts written by a child beside the cross-file rules (snapshot.begin/Pending) ----------


def _beside(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every later load with a cache writes its parts beside the rules, on two cores (even on one)."""
    monkeypatch.setattr(snapshot, "BESIDE", (0, 10**9))
    monkeypatch.setenv("LX_WORKERS", "2")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)


def _parts(folder: Path) -> dict[str, Any]:
    """The cache's state and the content of every part it names, each checked to be of its generation;
    the files' stats taken out of the index (a copy's inodes differ)."""
    state = snapshot.read_state(folder)
    assert state is not None
    assert {p.name for p in folder.iterdir()} == {"state", *state.parts}  # nothing else: no temporary file
    found: dict[str, Any] = {"state": (state.key, state.files, state.findings, sorted(state.parts), state.tree)}
    for name, generation in state.parts.items():
        stored = cache_module.read(folder / name)
        assert isinstance(stored, tuple) and stored[0] == generation  # of this state
        found[name] = stored[1]
    found["index"] = {rel: entry[1:] for rel, entry in found["index"].items()}
    return found


def test_the_parts_written_beside_the_rules_are_those_written_here(
    bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (bundled / "data/tasks/t2022-005.yaml").write_text("id: t2022-005\nstatus: open\n", encoding="utf-8")
    age(bundled)
    other = tmp_path / "copy"
    shutil.copytree(bundled, other)
    here = load_dir(bundled / "data")
    forked: list[int] = []
    start, write = forks.start, cache_module.write
    monkeypatch.setattr(forks, "start", lambda work, **how: forked.append(1) or start(work, **how))
    written_here: list[str] = []
    monkeypatch.setattr(
        cache_module, "write", lambda path, payload: written_here.append(path.name) or write(path, payload)
    )
    _beside(monkeypatch)
    beside = load_dir(other / "data")
    assert forked == [1]  # one writer (the bundled data is parsed here, on one core)
    assert written_here and not snapshot.ASIDE & set(written_here)  # the child wrote those parts, not this process
    assert beside.findings == here.findings != []
    mine, its = location(bundled, bundled / "data"), location(other, other / "data")
    assert _parts(its) == _parts(mine)
    state = snapshot.read_state(its)
    assert state is not None and set(state.parts) >= snapshot.ASIDE  # every part named, of the same state
    assert snapshot.read_dataset(its, state, "data", lambda: None) is not None
    no_parsing(monkeypatch)
    again = load_dir(other / "data")  # from the cache the child wrote
    assert again.findings == here.findings and again.dataset is not None
    assert again.dataset.reports == here.dataset.reports and again.dataset.tasks == here.dataset.tasks  # type: ignore[union-attr]


def test_a_writer_that_fails_leaves_its_parts_to_this_process(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _beside(monkeypatch)
    monkeypatch.setattr(cache_module, "write_aside", lambda tmp, payload: False)  # in the child: no part written
    first = load_dir(aged / "data")
    folder = location(aged, aged / "data")
    assert {p.name for p in folder.iterdir()} == {"state", *snapshot.read_state(folder).parts}  # type: ignore[union-attr]
    assert {p.name for p in folder.iterdir()} >= snapshot.ASIDE  # no temporary file
    no_parsing(monkeypatch)
    assert load_dir(aged / "data").findings == first.findings


def test_abandoned_parts_are_removed_and_the_cache_is_kept(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_dir(aged / "data")
    folder = location(aged, aged / "data")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    _beside(monkeypatch)
    dataset = first.dataset
    assert dataset is not None
    state = snapshot.read_state(folder)
    pending = snapshot.begin(folder, dataset, {}, None, state, beside=True)
    deadline = time.monotonic() + 20  # the child has written its parts, and waits to be told to go on
    while len(list(folder.glob(".*.tmp"))) < len(snapshot.ASIDE) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(list(folder.glob(".*.tmp"))) == len(snapshot.ASIDE)
    pending.abandon()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_the_writer_removes_its_parts_when_its_parent_dies(aged: Path) -> None:
    """A load killed (SIGKILL) while the child writes: the child finds nobody to tell it to go on, removes
    what it wrote and ends; the cache is the one before."""
    load_dir(aged / "data")
    folder = location(aged, aged / "data")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from laoxiao_cli.repo import loader, snapshot\n"
        "os.environ['LX_WORKERS'] = '2'\n"
        "os.sched_getaffinity = lambda pid: {0, 1}\n"
        "folder = Path(sys.argv[1])\n"
        "loaded = loader.load_dir(Path(sys.argv[2]))\n"
        "pending = snapshot.begin(folder, loaded.dataset, {}, None, snapshot.read_state(folder), beside=True)\n"
        "print(pending._child[0], flush=True)\n"
        "os._exit(0)  # gone, as after a kill: the child is never told to go on\n"
    )
    done = subprocess.run(  # returns when the child has ended too: it holds the output open
        [sys.executable, "-c", script, str(folder), str(aged / "data")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    child = int(done.stdout.strip())
    deadline = time.monotonic() + 20
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _alive(child)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_temporary_files_a_killed_writer_left_are_swept(aged: Path) -> None:
    load_dir(aged / "data")
    folder = location(aged, aged / "data")
    old, young = folder / ".tasks.0123abcd.tmp", folder / ".reports.4567ef01.tmp"
    for path in (old, young):
        path.write_bytes(b"half a pickle")
    past = time.time() - cache_module.STALE - 5
    os.utime(old, (past, past))
    (folder / "state").unlink()  # the next load writes the cache again
    load_dir(aged / "data")
    assert not old.exists()  # left by a writer killed long ago
    assert young.exists()  # may be another load's, being written


def test_a_load_on_the_cached_dataset_writes_its_parts_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A load that reuses the cached dataset (outside Git: by the index) with a report added: its tables
    may still be read from the cache's open files, which a forked writer would read too (one shared file
    offset: each would read the other's bytes). It is written here, and nothing falls back to a reload."""
    root = tmp_path / "plain"
    shutil.copytree(BUNDLED, root / "data")
    age(root)
    load_dir(root / "data")  # the cache, outside Git
    added = root / "data/reports/2022-09/alpha-new.yaml"
    added.parent.mkdir(parents=True, exist_ok=True)
    added.write_text("unit: nowhere\nmonth: '2022-09'\n", encoding="utf-8")
    age(root)
    expected = load_dir(root / "data", use_cache=False).findings
    _beside(monkeypatch)
    forked: list[int] = []
    start = forks.start
    monkeypatch.setattr(forks, "start", lambda work, **how: forked.append(1) or start(work, **how))

    def no_reload(*args: object) -> None:
        raise AssertionError("the dataset was loaded again without the cache")

    monkeypatch.setattr(loader_module, "_fresh", no_reload)
    assert load_dir(root / "data").findings == expected != []
    assert forked == []


def test_a_listing_taken_while_git_works_is_checked_against_its_status(
    aged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With nothing cached, the folder is listed while `git status` runs; a file added meanwhile (here: one
    the listing missed, as when it is created after the listing passed its folder) is in the status's key,
    so the listing is taken again rather than a result without it stored under that key."""
    added = aged / "data/tasks/t2099-001.yaml"
    added.write_text("id: t2099-001\nstatus: open\n", encoding="utf-8")
    age(aged)
    listings: list[int] = []
    real = scan_module.scan

    def racing(data_dir: Path, root: Path) -> Any:
        listing = real(data_dir, root)
        listings.append(len(listing.entries))
        if len(listings) == 1:  # the early listing: as if taken before the file was made
            return replace(listing, entries=[e for e in listing.entries if e.rel != "data/tasks/t2099-001.yaml"])
        return listing

    monkeypatch.setattr(scan_module, "scan", racing)
    loaded = load_dir(aged / "data")
    assert len(listings) == 2 and listings[0] == listings[1]  # listed again
    assert "data/tasks/t2099-001.yaml" in {f.file for f in loaded.findings}
    monkeypatch.setattr(scan_module, "scan", real)
    no_parsing(monkeypatch)
    assert load_dir(aged / "data").findings == loaded.findings  # the stored result holds the new file
