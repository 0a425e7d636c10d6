"""Who may change what (CODEOWNERS, validate --authors) and contacts kept out of exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import Lx, git, make_repo

GROUP_STAFF = """\
  staff:
    - {name: 办公室甲, account: office-a}
    - {name: 办公室乙, account: "@ouhai/office"}
"""


def with_staff(base: Path) -> str:
    text = (base / "data/group.yaml").read_text(encoding="utf-8")
    return text.replace("  duties: [统筹协调]\n", "  duties: [统筹协调]\n" + GROUP_STAFF)


@pytest.fixture
def owned(tmp_path: Path) -> Path:
    from tests.conftest import BASE

    alpha = (
        (BASE / "data/units/alpha.yaml")
        .read_text(encoding="utf-8")
        .replace('phone: "0577-1234567"}', 'phone: "0577-1234567", email: li2@example.org, account: li-er}')
    )
    return make_repo(tmp_path / "r", {"data/group.yaml": with_staff(BASE), "data/units/alpha.yaml": alpha})


def test_codeowners(owned: Path, lx: Lx, tmp_path: Path) -> None:
    out = tmp_path / "CODEOWNERS"
    result = lx("codeowners", "-o", str(out), cwd=owned)
    assert result.exit_code == 0, result.output
    lines = [line for line in out.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert lines[0] == "*  @office-a @ouhai/office"
    assert "/data/units/alpha.yaml  @li-er @office-a @ouhai/office" in lines
    assert "/data/reports/*/alpha.yaml  @li-er @office-a @ouhai/office" in lines
    assert "/data/reports/*/beta.yaml  @office-a @ouhai/office" in lines
    assert "乙局" in result.output  # warned: beta's liaison has no account


def _commit_report(root: Path, unit: str, month: str, name: str, email: str) -> None:
    path = root / f"data/reports/{month}/{unit}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"unit: {unit}\nmonth: '{month}'\nsubmitted: {month}-20\n", encoding="utf-8")
    git(root, "add", "-A")
    git(
        root,
        "-c",
        f"user.name={name}",
        "-c",
        f"user.email={email}",
        "commit",
        "-q",
        "-m",
        f"{unit} {month}",
        "--author",
        f"{name} <{email}>",
    )


def test_validate_authors(owned: Path, lx: Lx) -> None:
    start = git(owned, "rev-parse", "HEAD").strip()
    _commit_report(owned, "alpha", "2022-08", "李二", "li2@example.org")  # the liaison, by e-mail
    _commit_report(owned, "alpha", "2022-09", "Li Er", "li-er@users.example")  # the liaison, by account
    _commit_report(owned, "beta", "2022-08", "办公室甲", "a@office.example")  # office staff, by name
    _commit_report(owned, "beta", "2022-09", "路人", "stranger@example.org")  # nobody
    _commit_report(owned, "alpha", "2022-10", "王三", "wang3@example.org")  # beta's member, not alpha's liaison
    result = lx("validate", "--authors", "--since", start, "-f", "json", cwd=owned)
    assert result.exit_code == 1
    errors = json.loads(result.stdout)["errors"]
    assert [(e["file"], e["line"]) for e in errors] == [
        ("data/reports/2022-09/beta.yaml", 1),
        ("data/reports/2022-10/alpha.yaml", 1),
    ]
    assert "路人" in errors[0]["message"] and "联络员（尚未指定）" in errors[0]["message"]
    assert "联络员 李二" in errors[1]["message"]
    assert lx("validate", cwd=owned).exit_code == 0  # without --authors: only the data
    later = lx("validate", "--authors", "--since", "HEAD~1", cwd=owned)
    assert later.exit_code == 1 and "2022-09/beta" not in later.stdout
    assert lx("validate", "--authors", "--since", "no-such-rev", cwd=owned).exit_code == 1


def test_contacts_stay_out_of_exports(owned: Path, lx: Lx, tmp_path: Path) -> None:
    secrets = ("0577-1234567", "li2@example.org")
    outputs = []
    for fmt in ("table", "markdown", "csv", "json"):
        outputs.append(lx("checklist", "--list", "duties", "-f", fmt, cwd=owned).stdout)
    for fmt in ("table", "markdown", "json"):
        outputs.append(lx("status", "-f", fmt, "--as-of", "2022-12-31", cwd=owned).stdout)
    outputs.append(lx("handover", "-u", "alpha", "--role", "liaison", "--to", "王五", "--dry-run", cwd=owned).stdout)
    outputs.append(
        lx(
            "handover", "-u", "alpha", "--role", "liaison", "--to", "王五", "--dry-run", "-f", "markdown", cwd=owned
        ).stdout
    )
    outputs.append(lx("meeting", "minutes", "2022-q3", cwd=owned).stdout)
    outputs.append(lx("overdue", "-f", "csv", "--as-of", "2022-12-31", cwd=owned).stdout)
    outputs.append(lx("reports", "--month", "2022-07", "-f", "markdown", cwd=owned).stdout)
    book = tmp_path / "清单.xlsx"
    assert lx("checklist", "-f", "xlsx", "-o", str(book), cwd=owned).exit_code == 0
    cells = [str(c) for ws in load_workbook(book) for row in ws.iter_rows(values_only=True) for c in row]
    for text in [*outputs, *cells]:
        for secret in secrets:
            assert secret not in text
    assert lx("letters", "issue", "--as-of", "2022-10-21", "-o", str(tmp_path / "out"), cwd=owned).exit_code == 0
    for doc in (tmp_path / "out").iterdir():
        if doc.suffix == ".md":
            assert not any(s in doc.read_text(encoding="utf-8") for s in secrets)


def test_contacts_with_the_flag(owned: Path, lx: Lx, tmp_path: Path) -> None:
    md = lx("checklist", "--list", "duties", "-f", "markdown", "--with-contacts", cwd=owned).stdout
    assert "| 联络员 | 电话 | 邮箱 |" in md and "0577-1234567" in md and "li2@example.org" in md
    status = lx("status", "--with-contacts", "--as-of", "2022-12-31", cwd=owned).stdout
    assert "0577-1234567" in status
    handover = lx(
        "handover",
        "-u",
        "alpha",
        "--role",
        "liaison",
        "--to",
        "王五",
        "--phone",
        "13900000000",
        "--dry-run",
        "--with-contacts",
        cwd=owned,
    ).stdout
    assert "13900000000" in handover and "0577-1234567" in handover
    book = tmp_path / "c.xlsx"
    assert lx("checklist", "-f", "xlsx", "-o", str(book), "--with-contacts", cwd=owned).exit_code == 0
    assert "0577-1234567" in [
        str(c) for row in load_workbook(book)["责任清单"].iter_rows(values_only=True) for c in row
    ]
