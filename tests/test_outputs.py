"""Files written with ``-o``: the format follows the file's name when ``--format`` is not given, a text
format never lands in a .docx or .xlsx, and no output replaces a data file or goes into ``.git``."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.conftest import Lx

DOCX = [
    ["meeting", "minutes", "2022-q3"],
    ["letters", "show", "l2022-001"],
    ["bulletin", "--month", "2022-12"],
]
XLSX = [["checklist"], ["overdue", "--as-of", "2022-12-31"], ["score", "--period", "2022"]]


def _is_office_file(path: Path, part: str) -> bool:
    with zipfile.ZipFile(path) as book:
        return any(name.startswith(part) for name in book.namelist())


@pytest.mark.parametrize("command", DOCX, ids=lambda c: c[0])
def test_a_docx_name_without_format_writes_a_word_document(bundled: Path, lx: Lx, command: list[str]) -> None:
    result = lx(*command, "-o", "out.docx", cwd=bundled)
    assert result.exit_code == 0, result.output
    assert _is_office_file(bundled / "out.docx", "word/")


@pytest.mark.parametrize("command", XLSX, ids=lambda c: c[0])
def test_an_xlsx_name_without_format_writes_a_workbook(bundled: Path, lx: Lx, command: list[str]) -> None:
    result = lx(*command, "-o", "out.XLSX", cwd=bundled)  # the suffix in any case
    assert result.exit_code == 0, result.output
    assert _is_office_file(bundled / "out.XLSX", "xl/")


@pytest.mark.parametrize("command", DOCX, ids=lambda c: c[0])
def test_a_text_format_named_for_a_docx_is_a_usage_error(bundled: Path, lx: Lx, command: list[str]) -> None:
    result = lx(*command, "--format", "markdown", "-o", "out.docx", cwd=bundled)
    assert result.exit_code == 2
    assert "-o out.docx 是 Word 文档，但 --format 为 markdown：请改用 --format docx" in result.stderr
    assert not (bundled / "out.docx").exists()


@pytest.mark.parametrize(
    ("command", "name"),
    [(["checklist"], "out.docx"), (["meeting", "minutes", "2022-q3"], "out.xlsx"), (["codeowners"], "out.docx")],
)
def test_a_file_format_the_command_does_not_have_is_refused(
    bundled: Path, lx: Lx, command: list[str], name: str
) -> None:
    result = lx(*command, "-o", name, cwd=bundled)
    assert result.exit_code == 2, result.output
    assert f"-o {name} 是 " in result.stderr
    assert not (bundled / name).exists()


def test_other_names_keep_the_default_format(bundled: Path, lx: Lx) -> None:
    result = lx("meeting", "minutes", "2022-q3", "-o", "纪要.md", cwd=bundled)
    assert result.exit_code == 0
    assert (bundled / "纪要.md").read_text(encoding="utf-8").startswith("“一老一小”")


@pytest.mark.parametrize("name", ["data/group.yaml", "data/letters/l2022-002.yaml", "x.yml", "new.yaml"])
def test_no_output_is_written_as_a_yaml_file(bundled: Path, lx: Lx, name: str) -> None:
    target = bundled / name
    before = target.read_bytes() if target.exists() else None
    for command in (["calendar", "--as-of", "2022-12-10"], ["letters", "show", "l2022-001"], ["codeowners"]):
        result = lx(*command, "-o", name, cwd=bundled)
        assert result.exit_code == 1, result.output
        assert "lx 不把输出写成 .yaml 文件" in result.stderr
    assert (target.read_bytes() if target.exists() else None) == before
    assert lx("validate", cwd=bundled).exit_code == 0


def test_no_output_goes_into_the_git_folder(bundled: Path, lx: Lx) -> None:
    result = lx("meeting", "minutes", "2022-q3", "-o", ".git/minutes.md", cwd=bundled)
    assert result.exit_code == 1
    assert "在 Git 的仓库文件夹（.git）里" in result.stderr
    assert not (bundled / ".git" / "minutes.md").exists()
