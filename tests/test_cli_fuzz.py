"""Fuzzing the command line: every command with every option given empty, blank, huge, odd and
out-of-range values. The only outcomes allowed are success (0), a refusal or findings (1) and a usage
error (2) — never a traceback, never an internal error (3). ``LX_FUZZ_EXAMPLES`` runs it longer."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import BASE, Lx, git, make_repo

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("LX_FUZZ_EXAMPLES", "300"))

ODD_VALUES = st.sampled_from(
    [
        "",
        " ",
        "　",
        "\t",
        "-",
        "--",
        "0",
        "-1",
        "1e309",
        "9" * 5000,
        "0001-01-01",
        "9999-12-31",
        "2022-02-29",
        "2022-13",
        "2022-Q5",
        "2022-H3",
        "alpha",
        "ALPHA",
        "甲局",
        "不存在的单位",
        "t2022-001",
        "../../etc/passwd",
        "/dev/full",
        "a\nb",
        "\x00",
        "=cmd|' /C calc'!A0",
        "x" * 300,
        "😀",
    ]
)
VALUES = st.one_of(ODD_VALUES, st.text(max_size=40), st.dates().map(str))

COMMANDS: dict[tuple[str, ...], list[str]] = {
    ("validate",): ["--format", "--since", "--data"],
    ("status",): ["--as-of", "--format", "--data"],
    ("overdue",): ["--unit", "--as-of", "--format"],
    ("checklist",): ["--unit", "--list", "--format", "--as-of", "-o"],
    ("reports",): ["--month", "--as-of", "--format"],
    ("reports", "new"): ["--unit", "--month", "--as-of"],
    ("handover", "--dry-run"): [
        "--unit",
        "--role",
        "--to",
        "--title",
        "--phone",
        "--email",
        "--date",
        "--note",
        "--account",
        "--format",
    ],
    ("handover", "--no-commit"): ["--unit", "--role", "--to", "--date", "--account"],
    ("handover", "--correct", "--dry-run"): ["--unit", "--role", "--to", "--date"],
    ("history",): [],
    ("meeting", "agenda"): ["--as-of"],
    ("meeting", "minutes"): ["--format", "-o"],
    ("letters",): ["--as-of", "--unit", "--format"],
    ("letters", "issue"): ["--as-of", "--unit", "-o", "--number"],
    ("letters", "issue", "--dry-run"): ["--task", "--kind", "--reason", "--as-of", "--number"],
    ("letters", "reply"): ["--date", "--note", "--promised", "--format"],
    ("task", "new"): ["--title", "--target", "--lead", "--due", "--support", "--milestone", "--weight", "--meeting"],
    ("task", "done"): ["--date", "--milestone", "--format"],
    ("task", "cancel"): ["--reason", "--date"],
    ("task", "extend"): ["--to", "--reason", "--requested", "--approved", "--by"],
    ("task", "approve"): ["--date", "--to", "--by"],
    ("task", "refuse", "--dry-run"): ["--date", "--by"],
    ("meeting", "hold"): ["--date", "--chair", "--on-behalf-of", "--attendee", "--heard", "--kind"],
    ("meeting", "decide"): ["--text", "--lead", "--due", "--title", "--target", "--support", "--weight"],
    ("score",): ["--period", "--format"],
    ("codeowners",): ["-o"],
    ("schema",): ["-o"],
}


TAKES_AN_ID = {
    ("history",),
    ("meeting", "minutes"),
    ("meeting", "hold"),
    ("meeting", "decide"),
    ("letters", "reply"),
    ("task", "done"),
    ("task", "cancel"),
    ("task", "extend"),
    ("task", "approve"),
    ("task", "refuse"),
}


@pytest.fixture(scope="module")
def fuzz_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repo(tmp_path_factory.mktemp("fuzz") / "repo", base=BASE)


def _reset(root: Path) -> None:
    git(root, "reset", "-q", "--hard", "HEAD")
    git(root, "clean", "-qfdx", "--", ".")
    for leftover in ("lx-journal.json",):
        (root / ".git" / leftover).unlink(missing_ok=True)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_option_value_crashes_lx(fuzz_repo: Path, data: st.DataObject) -> None:
    lx = Lx()
    command = data.draw(st.sampled_from(sorted(COMMANDS)), label="command")
    options = data.draw(st.lists(st.sampled_from(COMMANDS[command] or ["--format"]), max_size=4), label="options")
    args = list(command)
    for option in options:
        args += [option, data.draw(VALUES, label=option)]
    if command[:2] in TAKES_AN_ID:
        args.append(data.draw(st.one_of(st.sampled_from(["t2022-001", "l2022-001", "2022-q3"]), VALUES), label="id"))
    out_dir = fuzz_repo.parent / "out"
    args = [a if a != "/dev/full" or "-o" not in args else str(out_dir / "x") for a in args]
    result = lx(*args, cwd=fuzz_repo, env={"LX_TODAY": "2022-12-01", "LX_LOCK_TIMEOUT": "5"})
    try:
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output, result.exception)
        assert "Traceback" not in result.output and "内部错误" not in result.output, (args, result.output)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError((args, repr(result.exception)))
    finally:
        _reset(fuzz_repo)
        shutil.rmtree(out_dir, ignore_errors=True)
