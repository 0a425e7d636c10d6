"""Issue 11: nothing lost, nothing crashes, every message names the real cause."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laoxiao_cli.repo import yamlio
from laoxiao_cli.repo.yamllimits import MAX_DEPTH
from tests.conftest import Lx, git

LX = str(Path(sys.executable).with_name("lx"))


def run(root: Path, *args: str, env: dict[str, str] | None = None, **kw: object) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "LX_TODAY": "2022-12-01", **(env or {})}
    return subprocess.run([LX, *args], cwd=root, env=full, capture_output=True, text=True, check=False, **kw)  # type: ignore[call-overload, no-any-return]


# --- writing commands never commit as a made-up author, never on a detached HEAD ----------------


def test_no_git_identity_is_refused_with_how_to_set_one(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(repo, "config", "--unset", "user.name")
    git(repo, "config", "--unset", "user.email")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_AUTHOR", "GIT_COMMITTER")) and k != "EMAIL"}
    head = git(repo, "rev-parse", "HEAD")
    done = subprocess.run(
        [LX, "handover", "-u", "alpha", "--role", "liaison", "--to", "王五"],
        cwd=repo,
        env={**env, "LX_TODAY": "2022-12-01"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Git 还不知道提交人是谁" in done.stderr and "git config --global user.email" in done.stderr
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_detached_head_is_refused(repo: Path) -> None:
    git(repo, "checkout", "-q", "--detach")
    head = git(repo, "rev-parse", "HEAD")
    done = run(repo, "handover", "-u", "alpha", "--role", "liaison", "--to", "王五")
    assert done.returncode == 1 and "detached HEAD" in done.stderr and "git switch main" in done.stderr
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def test_changed_file_names_are_shown_as_they_are(repo: Path) -> None:
    (repo / "data/tasks/新任务.yaml").write_text("id: x\n", encoding="utf-8")
    done = run(repo, "handover", "-u", "alpha", "--role", "liaison", "--to", "王五")
    assert done.returncode == 1 and "data/tasks/新任务.yaml" in done.stderr and "\\3" not in done.stderr


def test_a_staged_deletion_is_named_once(repo: Path) -> None:
    git(repo, "rm", "-q", "data/tasks/t2022-002.yaml")
    done = run(repo, "handover", "-u", "alpha", "--role", "liaison", "--to", "王五")
    assert done.returncode == 1
    assert done.stderr.count("data/tasks/t2022-002.yaml") == 1


# --- -o: what may be replaced --------------------------------------------------------------------


def test_output_to_a_directory_or_device_is_refused(repo: Path, tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    for target in (folder, Path("/dev/null")):
        done = run(repo, "checklist", "-f", "csv", "-o", str(target))
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr and "内部错误" not in done.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    done = run(repo, "checklist", "-f", "csv", "-o", str(fifo))
    assert done.returncode == 1 and "不是普通文件" in done.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_output_files_get_the_umask_and_symlinks_are_written_through(repo: Path, tmp_path: Path) -> None:
    new = tmp_path / "清单.csv"
    done = run(repo, "checklist", "-f", "csv", "-o", str(new))
    assert done.returncode == 0, done.stderr
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    target = tmp_path / "real.csv"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert run(repo, "checklist", "-f", "csv", "-o", str(link)).returncode == 0
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_text(encoding="utf-8-sig") == new.read_text(encoding="utf-8-sig")


# --- standard output that cannot take the output ---------------------------------------------------


def test_standard_output_full_closed_or_ascii(bundled: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [LX, "status", "--as-of", "2022-12-31"], cwd=bundled, stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert done.returncode == 1 and "磁盘已满" in done.stderr and "Traceback" not in done.stderr
    closed = subprocess.run(
        f"{LX} status --as-of 2022-12-31 >&-", shell=True, cwd=bundled, capture_output=True, text=True
    )
    assert closed.returncode == 0 and "Traceback" not in closed.stderr
    ascii_ = run(bundled, "status", "--as-of", "2022-12-31", env={"PYTHONIOENCODING": "ascii"})
    assert ascii_.returncode == 0 and "\\u4efb\\u52a1" in ascii_.stdout


# --- messages that name the real cause --------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (".", "是否想用"),  # the repository root
        ("data/group.yaml", "是一个文件：是否想用"),
        ("no-such-folder", "不存在"),
    ],
)
def test_data_option_says_what_was_meant(repo: Path, lx: Lx, given: str, said: str) -> None:
    result = lx("validate", "--data", given, cwd=repo)
    assert result.exit_code == 1 and said in result.output


def test_a_yml_file_is_the_one_finding(repo: Path, lx: Lx) -> None:
    """Not a cascade of "不存在" for the records it holds."""
    task = repo / "data/tasks/t2022-001.yaml"
    task.rename(task.with_suffix(".yml"))
    result = lx("validate", "--format", "json", cwd=repo)
    errors = json.loads(result.stdout)["errors"]
    assert [e["file"] for e in errors] == ["data/tasks/t2022-001.yml"]
    assert errors[0]["message"].startswith("扩展名应为 .yaml（不是 .yml）：请把文件改名为 t2022-001.yaml")


def test_unit_ids_are_matched_whatever_their_case(repo: Path, lx: Lx) -> None:
    result = lx("overdue", "--unit", "ALPHA", "--as-of", "2022-12-31", "-f", "json", cwd=repo)
    assert result.exit_code == 0 and json.loads(result.stdout)["unit"] == "alpha"


def test_successor_details_are_checked_before_anything(repo: Path, lx: Lx) -> None:
    for option, value in (("--phone", "1"), ("--email", "x"), ("--to", "")):
        args = ["handover", "-u", "alpha", "--role", "liaison", "--to", "王五", option, value]
        result = lx(*args, cwd=repo)
        assert result.exit_code == 2 and "继任者信息有误" in result.output and option in result.output
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""


# --- read commands keep working when a file is broken (spec 13) -------------------------------------


def test_read_commands_show_the_valid_records_and_exit_1(repo: Path, lx: Lx) -> None:
    (repo / "data/letters/l2022-001.yaml").write_text("id: l2022-001\nkind: 提醒\n", encoding="utf-8")
    result = lx("status", "--as-of", "2022-12-31", "-f", "json", cwd=repo)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["tasks"]["total"] == 2 and data["letters"]["awaiting_reply"] == 0
    assert "data/letters/l2022-001.yaml" in result.stderr and "未计入" in result.stderr
    assert lx("validate", cwd=repo).exit_code == 1
    refused = lx("handover", "-u", "alpha", "--role", "liaison", "--to", "王五", "--no-commit", cwd=repo)
    assert refused.exit_code == 1 and "数据校验未通过" in refused.output


def test_records_referring_to_a_left_out_record_are_left_out_too(repo: Path, lx: Lx) -> None:
    (repo / "data/units/beta.yaml").write_text("id: beta\nname: 乙局\n", encoding="utf-8")
    result = lx("overdue", "--as-of", "2022-12-31", "-f", "json", cwd=repo)
    assert result.exit_code == 1 and "Traceback" not in result.output
    kinds = {item["kind"] for item in json.loads(result.stdout)["items"]}
    assert "task" not in kinds  # both tasks name beta: left out with it, never shown with a dangling unit
    assert "data/tasks/t2022-002.yaml" in result.stderr


@pytest.mark.parametrize("where", [["validate", "--data", ""], ["--data", " ", "status"]])
def test_an_empty_data_option_is_a_usage_error(repo: Path, lx: Lx, where: list[str]) -> None:
    result = lx(*where, cwd=repo)
    assert result.exit_code == 2 and "--data：不能为空" in result.output


@pytest.mark.parametrize("record", ["\x00", "task/../../etc", "TASK/T1", "report/2022-07", " "])
def test_history_refuses_what_cannot_be_a_record(repo: Path, lx: Lx, record: str) -> None:
    """Found by the CLI fuzz: `lx history "\\x00"` was an internal error (a NUL reached git)."""
    result = lx("history", record, cwd=repo)
    assert result.exit_code == 1 and "不是记录编号" in result.output and "内部错误" not in result.output


def test_newer_click_number_errors_are_said_in_chinese() -> None:
    """Typer/Click with Pydantic-style wording ("Input should be a valid integer…") still gets Chinese."""
    from types import SimpleNamespace

    from typer._click import exceptions as click_errors

    from laoxiao_cli.cli.usage import message

    option = SimpleNamespace(opts=["--weight"], param_type_name="option", name="weight")
    for text, said in [
        ("Input should be a valid integer, unable to parse string as an integer", "--weight 的值应为整数"),
        ("Input should be a valid number, unable to parse string as a number", "--weight 的值应为数字"),
    ]:
        assert message(click_errors.BadParameter(text, param=option)) == said  # type: ignore[arg-type]


# --- nesting depth: refused beyond MAX_DEPTH, whatever the style; the quick count never lets one through --


def _nested(style: str, levels: int) -> bytes:
    """``levels`` collections, each inside the previous one (the file's mapping the first), in one style."""
    if style == "block-map":
        return "".join(f"{'  ' * i}k:\n" for i in range(levels - 1)).encode() + f"{'  ' * (levels - 1)}k: 1\n".encode()
    if style == "block-map-at-eof":  # the innermost key ends the file: no space after its ":"
        return "".join(f"{'  ' * i}k:\n" for i in range(levels - 1)).encode() + f"{'  ' * (levels - 1)}k:".encode()
    if style == "compact-seq":
        return b"k:\n  " + b"- " * (levels - 1) + b"x\n"
    if style == "flow-seq":
        return b"k: " + b"[" * (levels - 1) + b"1" + b"]" * (levels - 1) + b"\n"
    if style == "unicode-breaks":  # NEL, LS and PS end a line for libyaml too
        breaks = ["\u2028", "\u0085", "\u2029"]
        lines = [f"{'  ' * i}k:{breaks[i % 3]}" for i in range(levels - 1)]
        return ("".join(lines) + f"{'  ' * (levels - 1)}k: 1\n").encode()
    if style == "flow-json":
        return b"{" + b'"k":{' * (levels - 1) + b'"v":1' + b"}" * levels + b"\n"
    raise ValueError(style)


@pytest.mark.parametrize(
    "style", ["block-map", "block-map-at-eof", "compact-seq", "flow-seq", "flow-json", "unicode-breaks"]
)
@pytest.mark.parametrize("levels", [3, MAX_DEPTH, MAX_DEPTH + 1, MAX_DEPTH + 2, MAX_DEPTH + 10])
def test_nesting_beyond_the_limit_is_refused_in_every_style(style: str, levels: int) -> None:
    raw = _nested(style, levels)
    if levels <= MAX_DEPTH + 1:  # depths 0 … MAX_DEPTH
        yamlio.parse(raw)
    else:
        with pytest.raises(yamlio.ParseError, match="嵌套层数过多"):
            yamlio.parse(raw)


@settings(max_examples=200, deadline=None)
@given(
    wrappers=st.lists(st.sampled_from(["list", "dict", "pair"]), min_size=1, max_size=MAX_DEPTH + 8),
    flow=st.sampled_from([False, True, None]),
)
def test_the_quick_count_only_skips_documents_too_shallow_to_refuse(wrappers: list[str], flow: bool | None) -> None:
    import yaml as pyyaml

    value: object = "x"
    for kind in wrappers:
        value = [value] if kind == "list" else {"k": value} if kind == "dict" else {"k": value, "j": 1}
    raw = pyyaml.safe_dump({"top": value}, default_flow_style=flow, allow_unicode=True).encode()
    depth = _depth(pyyaml.compose(raw, Loader=pyyaml.SafeLoader))
    assert depth == len(wrappers) + 1
    if yamlio._shallow(raw):
        assert depth <= MAX_DEPTH
    if depth <= MAX_DEPTH + 1:
        yamlio.parse(raw)
    else:
        with pytest.raises(yamlio.ParseError, match="嵌套层数过多"):
            yamlio.parse(raw)


def _depth(node: object) -> int:
    import yaml as pyyaml

    if isinstance(node, pyyaml.MappingNode):
        return 1 + max((_depth(v) for _, v in node.value), default=0)
    if isinstance(node, pyyaml.SequenceNode):
        return 1 + max((_depth(v) for v in node.value), default=0)
    return 0


@pytest.mark.parametrize(("text", "line"), [("a: !!bool x\n", 1), ("b: 1\na: !!int ''\n", 2), ("a: !!float\n", 1)])
def test_a_tag_that_cannot_hold_its_value_is_a_located_finding(text: str, line: int) -> None:
    with pytest.raises(yamlio.ParseError, match="显式类型标签") as refused:
        yamlio.parse(text.encode())
    assert (refused.value.line, refused.value.column) == (line, 4)


def test_repeated_short_texts_and_dates_are_one_object_and_keep_their_type() -> None:
    """A data folder repeats ids, months and dates in thousands of files: the parser gives one object per
    short value, and a quoted date stays text even once the same date has been read as a date."""
    first = yamlio.parse(b'unit: d01-minzheng\nmonth: "2025-01"\ndue: 2025-03-31\nnote: "2025-03-31"\n').data
    second = yamlio.parse(b"lead: d01-minzheng\nmonth: '2025-01'\nstart: 2025-03-31\n").data
    assert isinstance(first, dict) and isinstance(second, dict)
    assert second["lead"] is first["unit"] and second["month"] is first["month"]
    assert second["start"] is first["due"] and type(first["due"]).__name__ == "date"
    assert first["note"] == "2025-03-31" and isinstance(first["note"], str)
    long = "长" * 41
    a, b = (yamlio.parse(f"title: {long}\n".encode()).data for _ in range(2))
    assert isinstance(a, dict) and isinstance(b, dict) and a["title"] == b["title"] and a["title"] is not b["title"]


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--data", "da\0ta"],
        ["--data", "da\0ta", "validate"],
        ["overdue", "-o", "逾期\0.csv"],
        ["codeowners", "-o", "CODE\0OWNERS"],
        ["letters", "issue", "-o", "out\0"],
        ["reports", "import", "月报\0.xlsx"],
        ["reports", "form", "--unit", "alpha", "--month", "2022-11", "-o", "a\0.xlsx"],
        ["init", "new\0repo"],
    ],
    ids=lambda args: " ".join(args).replace("\0", "NUL"),
)
def test_a_path_with_a_nul_is_a_usage_error(repo: Path, lx: Lx, args: list[str]) -> None:
    result = lx(*args, cwd=repo)
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "路径中不能含有空字符（NUL）" in result.output
    assert git(repo, "status", "--porcelain") == ""  # nothing written


@pytest.mark.parametrize("args", [["status", "--at", "HEAD\0"], ["sync", "--remote", "ori\0gin"]])
def test_a_revision_or_remote_with_a_nul_is_refused_by_name(repo: Path, lx: Lx, args: list[str]) -> None:
    result = lx(*args, cwd=repo)
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert "参数中有不可用的字符（NUL）" in result.output
