"""The writer's check before writing (repo/loader.planned): the repository as it would be with a
plan applied, validated in memory. It must agree with validating the same files on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from laoxiao_cli.repo import loader
from tests.conftest import git

TASK = "data/tasks/t2022-001.yaml"


def _on_disk(repo: Path) -> list[tuple[str, int | None, str]]:
    return sorted((f.file, f.line, f.message) for f in loader.load_dir(repo / "data", use_cache=False).findings)


def _planned(repo: Path, changes: dict[str, bytes | None]) -> list[tuple[str, int | None, str]]:
    findings = loader.planned(repo / "data", {repo / rel: data for rel, data in changes.items()}).findings
    return sorted((f.file, f.line, f.message) for f in findings)


CASES = {
    "edit-valid": {TASK: None},  # replaced below by the file with a changed title
    "edit-invalid": {TASK: b"id: t2022-001\ntitle: x\n"},
    "new-file-invalid": {"data/tasks/t2099-001.yaml": b"id: t2099-001\nstatus: open\n"},
    "new-file-wrong-place": {"data/tasks/sub/x.yaml": b"id: x\n"},
    "new-yml": {"data/tasks/t2099-002.yml": b"id: t2099-002\n"},
    "delete-referenced-task": {TASK: None},
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_planned_findings_equal_the_findings_on_disk(repo: Path, case: str) -> None:
    changes = dict(CASES[case])
    if case == "edit-valid":
        raw = (repo / TASK).read_bytes()
        changes = {TASK: raw.replace(b"title: ", b"title: \xe6\x96\xb0", 1)}
    before = git(repo, "status", "--porcelain", "--untracked-files=all")
    warm = loader.load_dir(repo / "data")  # the cache the writer's check reads
    assert not warm.findings
    got = _planned(repo, changes)
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == before  # nothing written
    for rel, data in changes.items():  # now the same change on disk
        path = repo / rel
        if data is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    assert got == _on_disk(repo)
    if case == "edit-valid":
        assert got == []
    else:
        assert got, "the plan has findings"


def test_planned_counts_files_like_a_load(repo: Path) -> None:
    """The whole-repository check sees the planned new file and no longer sees a deleted one."""
    loader.load_dir(repo / "data")
    bad = b"id: t2099-001\n"
    result = loader.planned(repo / "data", {repo / "data/tasks/t2099-001.yaml": bad})
    assert any(f.file == "data/tasks/t2099-001.yaml" for f in result.findings)
    assert result.files == loader.load_dir(repo / "data").files + 1
    assert not (repo / "data/tasks/t2099-001.yaml").exists()


def test_new_files_never_hold_yaml_anchors() -> None:
    """One date used twice (effective = filed = today) is written twice, not as `&id001` / `*id001`."""
    from datetime import date

    from laoxiao_cli.repo import yamlio

    day = date(2023, 1, 3)
    text = yamlio.dump({"effective": day, "filed": day, "tasks": (ids := ["t1"]), "again": ids})
    assert "&" not in text and "*" not in text
    assert yamlio.parse(text.encode()).data == {"effective": day, "filed": day, "tasks": ["t1"], "again": ["t1"]}


@pytest.mark.parametrize(
    ("edit", "finding"),
    [
        ((b"lead: alpha", b"lead: beta"), "既不牵头也不配合"),  # the report's unit no longer leads the task
        ((b"status: open", b"status: done\ndone: 2022-12-01"), None),  # cannot touch the reports' rules
    ],
)
def test_the_writers_check_sees_what_a_task_edit_does_to_reports(
    repo: Path, edit: tuple[bytes, bytes], finding: str | None
) -> None:
    """The writer's check skips the reports' rules only when the change cannot affect them."""
    data = repo / "data"
    loader.load_dir(data)
    base = loader.load_dir(data)
    assert base.cached is not None and not base.findings
    path = repo / TASK
    raw = path.read_bytes()
    assert edit[0] in raw
    got = loader.planned(data, {path: raw.replace(*edit)}, base).findings
    assert [f.message for f in got if finding and finding in f.message] if finding else got == []
    path.write_bytes(raw.replace(*edit))  # the same on disk, checked from scratch
    on_disk = loader.load_dir(data, use_cache=False).findings
    assert [(f.file, f.message) for f in got] == [(f.file, f.message) for f in on_disk]


NEW_REPORT = "unit: beta\nmonth: 2022-07\nsubmitted: 2022-07-20\nprogress:\n  - {task: t2022-001, percent: 10}\n"
NEW_TASK = "id: t2022-009\ntitle: 新任务\ntarget: 目标\nlead: beta\ndue: 2022-12-31\nstatus: open\n"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"data/tasks/t2022-009.yaml": NEW_TASK}, []),  # a task that came breaks no reference
        ({"data/reports/2022-07/beta.yaml": NEW_REPORT}, []),  # beta supports t2022-001
        (
            {
                "data/reports/2022-08/alpha.yaml": NEW_REPORT.replace("t2022-001", "t2022-002")
                .replace("beta", "alpha")
                .replace("2022-07", "2022-08")
            },
            ["既不牵头也不配合"],  # a new report is checked itself
        ),
        ({"data/tasks/t2022-001.yaml": None}, ["不存在"]),  # a task that went: every report is checked
    ],
)
def test_the_writers_check_on_records_that_come_and_go(
    repo: Path, changes: dict[str, str | None], expected: list[str]
) -> None:
    data = repo / "data"
    loader.load_dir(data)
    base = loader.load_dir(data)
    plan = {repo / rel: (text.encode() if text is not None else None) for rel, text in changes.items()}
    got = loader.planned(data, plan, base).findings
    for path, raw in plan.items():
        if raw is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(raw)
    on_disk = loader.load_dir(data, use_cache=False).findings
    assert [(f.file, f.message) for f in got] == [(f.file, f.message) for f in on_disk]
    for text in expected:
        assert any(text in f.message for f in got), got
    if not expected:
        assert got == []


# --- a clean load with a few files changed (pipeline.apply): only those files parsed ----------------

APPLY_CASES: dict[str, dict[str, bytes | None]] = {
    "task-title": {"data/tasks/t2022-001.yaml": None},  # filled in from the file: a changed title
    "task-broken": {"data/tasks/t2022-001.yaml": b"id: t2022-001\ntitle: x\n"},
    "task-deleted": {"data/tasks/t2022-005.yaml": None},  # a report and a letter name it
    "task-new": {
        "data/tasks/t2099-001.yaml": "id: t2099-001\ntitle: 新\ntarget: 新\nlead: minzheng\ndue: 2023-01-31\n"
        "status: open\n".encode()
    },
    "task-new-unknown-lead": {
        "data/tasks/t2099-002.yaml": b"id: t2099-002\ntitle: x\ntarget: x\nlead: nobody\ndue: 2023-01-31\nstatus: open\n"
    },
    "report-new": {
        "data/reports/2022-12/minzheng.yaml": b"unit: minzheng\nmonth: '2022-12'\nsubmitted: 2022-12-20\n"
        b"progress:\n- task: t2022-005\n  percent: 90\n"
    },
    "report-changed": {"data/reports/2022-07/minzheng.yaml": None},  # a new percent, below
    "report-deleted": {"data/reports/2022-07/minzheng.yaml": None},
    "report-unknown-task": {
        "data/reports/2022-12/minzheng.yaml": b"unit: minzheng\nmonth: '2022-12'\nsubmitted: 2022-12-20\n"
        b"progress:\n- task: t2099-404\n  percent: 5\n"
    },
    "unit-deleted": {"data/units/minzheng.yaml": None},
    "unit-broken": {"data/units/minzheng.yaml": "id: minzheng\nname: 区民政局\n".encode()},
    "group-broken": {"data/group.yaml": b"name: [\n"},
    "letter-deleted": {"data/letters/l2022-001.yaml": None},
    "misplaced": {"data/tasks/sub/x.yaml": b"id: x\n", "data/notes.yaml": b"a: 1\n"},
    "yml": {"data/tasks/t2099-003.yml": b"id: t2099-003\n"},
    "two-kinds": {"data/tasks/t2022-005.yaml": None, "data/reports/2022-07/minzheng.yaml": None},
    "roster-removed": {"data/group.yaml": None},  # group.yaml without `units:`: file-name order again
}


def _apply_case(root: Path, case: str) -> dict[str, bytes | None]:
    changes = dict(APPLY_CASES[case])
    if case == "task-title":
        raw = (root / "data/tasks/t2022-001.yaml").read_bytes()
        changes["data/tasks/t2022-001.yaml"] = raw.replace(b"title: ", "title: 新".encode(), 1)
    if case == "roster-removed":
        text = (root / "data/group.yaml").read_text(encoding="utf-8")
        start = text.index("\nunits:")
        end = (
            text.index("\n", text.index("]", start))
            if "units: [" in text[start : start + 20]
            else _block_end(text, start)
        )
        changes["data/group.yaml"] = (text[:start] + text[end:]).encode()
    if case == "report-changed":
        raw = (root / "data/reports/2022-07/minzheng.yaml").read_bytes()
        changes["data/reports/2022-07/minzheng.yaml"] = raw.replace(b"percent: 20", b"percent: 35")
    return changes


def _block_end(text: str, start: int) -> int:
    """The end of the block list that starts at ``start`` (a newline before ``units:``)."""
    lines = text[start + 1 :].split("\n")
    n = 1
    while n < len(lines) and lines[n].startswith(("- ", "  ")):
        n += 1
    return start + 1 + sum(len(line) + 1 for line in lines[:n]) - 1


def _same_load(got: loader.Loaded, want: loader.Loaded) -> None:
    assert [(f.file, f.line, f.column, f.message) for f in got.findings] == [
        (f.file, f.line, f.column, f.message) for f in want.findings
    ]
    assert got.files == want.files
    if want.dataset is None:
        assert got.dataset is None
        return
    assert got.dataset is not None
    for name in ("units", "tasks", "meetings", "letters", "handovers", "calendars", "submitted", "percents"):
        assert list(getattr(got.dataset, name).items()) == list(getattr(want.dataset, name).items()), name
    assert list(got.dataset.reports.items()) == list(want.dataset.reports.items())
    assert list(got.dataset.percents_by_task.items()) == list(want.dataset.percents_by_task.items())
    assert got.dataset.group == want.dataset.group


@pytest.mark.parametrize("case", sorted(APPLY_CASES))
def test_a_clean_load_with_changes_equals_a_load_from_scratch(bundled: Path, case: str) -> None:
    data = bundled / "data"
    warm = loader.load_dir(data)
    assert not warm.findings and warm.cached is not None  # clean, and held by the cache
    changes = _apply_case(bundled, case)
    plan = loader.planned(data, {bundled / rel: raw for rel, raw in changes.items()}, warm)
    for rel, raw in changes.items():  # now the same change on disk
        path = bundled / rel
        if raw is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(raw)
    scratch = loader.load_dir(data, use_cache=False)
    _same_load(plan, scratch)
    clean = (
        "task-title",
        "task-new",
        "report-new",
        "report-changed",
        "report-deleted",
        "letter-deleted",
        "roster-removed",
    )
    assert bool(scratch.findings) == (case not in clean), case
    edited = loader.load_dir(data)  # hand edits on top of the committed, cached state
    assert edited.applied is not None or case in ("misplaced", "yml")
    _same_load(edited, scratch)
