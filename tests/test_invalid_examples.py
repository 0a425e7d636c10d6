"""Data-driven invalid cases: tests/examples/invalid/<case>/.

Each case folder holds ``files/`` (laid over a copy of tests/examples/base, paths from the repository
root), an optional ``delete.txt`` (paths to remove), and ``expected.txt``: one line per finding, as
``FILE:LINE:COL: text`` (``FILE: text`` for a finding without a line), where ``text`` must occur in the
message. The findings must be exactly these, and lx must exit 1 with no traceback.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, Lx, make_repo

CASES = sorted(p for p in (EXAMPLES / "invalid").iterdir() if p.is_dir())
LINE = re.compile(r"^(?P<file>[^:]+)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<text>.+)$")


def _expected(case: Path) -> list[tuple[str, int | None, int | None, str]]:
    rows = []
    for raw in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        match = LINE.match(raw)
        assert match, f"bad expected line in {case.name}: {raw}"
        line = int(match["line"]) if match["line"] else None
        col = int(match["col"]) if match["col"] else None
        rows.append((match["file"], line, col, match["text"]))
    return rows


def _build(case: Path, root: Path) -> Path:
    files: dict[str, str | bytes] = {}
    overlay = case / "files"
    if overlay.is_dir():
        for path in overlay.rglob("*"):
            if path.is_file():
                files[path.relative_to(overlay).as_posix()] = path.read_bytes()
    make_repo(root, files, commit=False)
    delete = case / "delete.txt"
    if delete.is_file():
        for rel in delete.read_text(encoding="utf-8").split():
            (root / rel).unlink()
    return root


def test_there_are_at_least_30_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_case(case: Path, tmp_path: Path, lx: Lx) -> None:
    root = _build(case, tmp_path / "repo")
    result = lx("validate", "--format", "json", cwd=root)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    report = json.loads(result.stdout)
    assert report["ok"] is False
    got = [(e["file"], e["line"], e["column"], e["message"]) for e in report["errors"]]
    expected = _expected(case)
    assert len(got) == len(expected), f"findings: {got}"
    for file, line, col, text in expected:
        assert any(g[0] == file and g[1] == line and g[2] == col and text in g[3] for g in got), (
            f"no finding {file}:{line}:{col} containing {text!r}; got {got}"
        )
    # the text format carries the same places
    text_result = lx("validate", cwd=root)
    assert text_result.exit_code == 1
    for file, line, col, _ in expected:
        place = file if line is None else f"{file}:{line}:{col}"
        assert f"{place}: " in text_result.stdout
