"""Letters, meeting agenda and minutes, report scaffolds — through the CLI on real Git repositories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from docx import Document

from tests.conftest import Lx, git, make_repo

SECOND_TASK = "id: t2022-003\ntitle: 完成丙事\ntarget: 丙事完成\nlead: alpha\ndue: 2022-09-30\nstatus: open\n"


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """alpha leads two overdue tasks (due 09-30); l2022-001 (reminder for t2022-001, reply_by 10-20) exists."""
    return make_repo(tmp_path / "office", {"data/tasks/t2022-003.yaml": SECOND_TASK})


def issue(lx: Lx, root: Path, day: str, *extra: str):  # type: ignore[no-untyped-def]
    return lx("letters", "issue", "--as-of", day, "-o", str(root.parent / "out"), *extra, cwd=root)


def letters_in(root: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    return {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / "data/letters").glob("*.yaml"))
    }


def test_escalation_sequence_over_dates(office: Path, lx: Lx) -> None:
    # 10-10: t2022-003 is 10 days late, no letter yet → reminder; t2022-001 already has its reminder
    result = issue(lx, office, "2022-10-10")
    assert result.exit_code == 0, result.output
    new = letters_in(office)["l2022-002"]
    assert (new["kind"], new["unit"], new["tasks"], str(new["issued"]), str(new["reply_by"])) == (
        "reminder",
        "alpha",
        ["t2022-003"],
        "2022-10-10",
        "2022-10-20",
    )
    assert git(office, "log", "-1", "--format=%s") == "函件: 提醒函 1 件 (2022-10-10)\n"
    assert sorted(git(office, "show", "--name-only", "--format=", "HEAD").split()) == ["data/letters/l2022-002.yaml"]
    # the same day again: nothing more
    head = git(office, "rev-parse", "HEAD")
    again = issue(lx, office, "2022-10-10")
    assert again.exit_code == 0 and "没有需要发出的函件" in again.output
    assert git(office, "rev-parse", "HEAD") == head
    # 10-20: reply_by not yet before as_of → nothing
    assert "没有需要发出的函件" in issue(lx, office, "2022-10-20").output
    # 10-21: 21 days late and both reminders past reply_by → one assignment letter listing both tasks
    assert issue(lx, office, "2022-10-21").exit_code == 0
    third = letters_in(office)["l2022-003"]
    assert (third["kind"], third["tasks"]) == ("assignment", ["t2022-001", "t2022-003"])
    # 11-14: 45 days late, assignment's reply_by (10-31) passed → supervision
    assert issue(lx, office, "2022-11-14").exit_code == 0
    fourth = letters_in(office)["l2022-004"]
    assert (fourth["kind"], fourth["tasks"], str(fourth["reply_by"])) == (
        "supervision",
        ["t2022-001", "t2022-003"],
        "2022-11-24",
    )
    # after supervision: none more, ever
    assert "没有需要发出的函件" in issue(lx, office, "2023-06-30").output
    assert lx("validate", cwd=office).exit_code == 0
    assert git(office, "status", "--porcelain", "--", "data") == ""


def test_letters_list_and_json(office: Path, lx: Lx) -> None:
    data = json.loads(lx("letters", "--as-of", "2022-10-21", "-f", "json", cwd=office).stdout)
    assert data["as_of"] == "2022-10-21"
    assert [(x["unit"], x["kind"], [t["id"] for t in x["tasks"]]) for x in data["letters"]] == [
        ("alpha", "reminder", ["t2022-003"]),
        ("alpha", "assignment", ["t2022-001"]),
    ]
    table = lx("letters", "--as-of", "2022-10-21", cwd=office).stdout
    assert "提醒函" in table and "交办函" in table


def test_letter_documents_read_back(office: Path, lx: Lx) -> None:
    result = issue(lx, office, "2022-10-21")
    assert result.exit_code == 0, result.output
    out = office.parent / "out"
    assert sorted(p.name for p in out.iterdir()) == ["l2022-002.docx", "l2022-002.md", "l2022-003.docx", "l2022-003.md"]
    doc = Document(str(out / "l2022-003.docx"))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert doc.sections[0].first_page_header.paragraphs[0].text == "测试办公室"  # the 信函 mark
    assert texts[:2] == ["〔2022〕3号", "关于加快推进测试逾期任务的交办函"]
    assert "甲局：" in texts
    assert any("2022年10月31日前书面反馈" in t for t in texts)
    assert texts[-1] == "2022年10月21日" and texts[-2] == "测试办公室"
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert cells[0] == ["序号", "任务", "完成时限", "逾期天数"]
    assert cells[1] == ["1", "完成甲事", "2022年9月30日", "21"]
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.top_margin.cm, 1) == 3.7
    title = next(p for p in doc.paragraphs if p.text == texts[1])
    assert title.runs[0].font.name == "方正小标宋简体"
    md = (out / "l2022-002.md").read_text(encoding="utf-8")
    assert md.startswith("测试办公室\n\n〔2022〕2号\n\n# 关于加快推进测试逾期任务的提醒函") and "| 1 | 完成丙事 |" in md


def test_issue_refuses_dirty_tree_and_honours_unit_and_no_commit(office: Path, lx: Lx) -> None:
    (office / "data/tasks/draft.yaml").write_text("id: draft\n", encoding="utf-8")
    refused = issue(lx, office, "2022-10-21")
    assert refused.exit_code == 1 and "未提交的修改" in refused.output
    (office / "data/tasks/draft.yaml").unlink()
    nothing = issue(lx, office, "2022-10-21", "--unit", "乙局")
    assert "没有需要发出的函件" in nothing.output
    head = git(office, "rev-parse", "HEAD")
    result = issue(lx, office, "2022-10-21", "--no-commit")
    assert result.exit_code == 0 and git(office, "rev-parse", "HEAD") == head
    assert set(letters_in(office)) == {"l2022-001", "l2022-002", "l2022-003"}


def test_minutes_markdown_and_docx(repo: Path, lx: Lx, tmp_path: Path) -> None:
    md = lx("meeting", "minutes", "2022-q3", cwd=repo)
    assert md.exit_code == 0, md.output
    assert "副组长乙（受组长组长甲委托）主持召开2022年第三季度专班例会" in md.stdout
    assert "一、完成甲事（牵头单位：甲局；完成时限：2022年9月30日；跟踪任务：t2022-001（完成甲事））" in md.stdout
    assert "二、加强沟通" in md.stdout
    out = tmp_path / "纪要.docx"
    assert lx("meeting", "minutes", "2022-q3", "-f", "docx", "-o", str(out), cwd=repo).exit_code == 0
    texts = [p.text for p in Document(str(out)).paragraphs if p.text]
    assert texts[:4] == ["测试会议纪要", "第1期", "测试办公室\t2022年9月1日", "2022年第三季度专班例会纪要"]
    assert any(t.startswith("一、完成甲事") and "甲局" in t and "t2022-001" in t for t in texts)
    assert any(t.startswith("二、加强沟通") for t in texts)
    assert texts[-1] == "出席：甲局、乙局"  # no attendance recorded: the attending units
    assert any("会议听取了甲局" in t for t in texts)


def test_minutes_refusals(repo: Path, lx: Lx) -> None:
    assert lx("meeting", "minutes", "2022-q3", "-f", "docx", cwd=repo).exit_code == 2
    unknown = lx("meeting", "minutes", "2022-q9", cwd=repo)
    assert unknown.exit_code == 1 and "2022-q3" in unknown.output
    planned = "id: 2022-q4\nkind: regular\nstatus: planned\ndate: 2022-12-20\n"
    (repo / "data/meetings/2022-q4.yaml").write_text(planned, encoding="utf-8")
    result = lx("meeting", "minutes", "2022-q4", cwd=repo)
    assert result.exit_code == 1 and "尚未召开" in result.output


def test_agenda_has_every_section_and_write(repo: Path, lx: Lx) -> None:
    result = lx("meeting", "agenda", "--as-of", "2022-10-26", "--write", cwd=repo)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("# 2022年第四季度专班例会议程（草案）")
    assert "甲局、乙局（共 2 家）" in text
    assert "- **甲局**：完成甲事（t2022-001，逾期 26 天）" in text
    assert "| t2022-001 | 完成甲事 | 甲局 | 2022-09-30 | 已逾期 | 红 |" in text
    assert "1. 完成甲事（牵头 甲局，时限 2022-09-30，跟踪任务 t2022-001）" in text
    assert "2. 加强沟通" in text
    assert "- 甲局：缺报 2022年8月、2022年9月" in text and "- 乙局：缺报 2022年7月" in text
    assert "**甲局**（2022年7月）：困难：经费不足；建议：增加经费" in text
    meeting = yaml.safe_load((repo / "data/meetings/2022-q4.yaml").read_text(encoding="utf-8"))
    assert (meeting["status"], meeting["kind"], str(meeting["date"])) == ("planned", "regular", "2022-11-02")
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["data/meetings/2022-q4.yaml"]
    assert lx("validate", cwd=repo).exit_code == 0
    again = lx("meeting", "agenda", "--as-of", "2022-10-26", "--write", cwd=repo)
    assert again.exit_code == 1 and "已存在" in again.output


def test_agenda_after_a_held_meeting_targets_the_next_quarter(repo: Path, lx: Lx) -> None:
    text = lx("meeting", "agenda", "--as-of", "2022-09-05", cwd=repo).stdout
    assert text.startswith("# 2022年第四季度")


def test_report_scaffold_validates_before_and_after_filling(repo: Path, lx: Lx) -> None:
    result = lx("reports", "new", "--unit", "甲局", "--month", "2022-08", "--as-of", "2022-08-20", cwd=repo)
    assert result.exit_code == 0, result.output
    path = repo / "data/reports/2022-08/alpha.yaml"
    text = path.read_text(encoding="utf-8")
    assert "by: 李二" in text and "- task: t2022-001   # 完成甲事" in text
    assert text.count("\n# ") >= 8  # a comment line per field
    unfilled = lx("validate", cwd=repo)  # a scaffold is not a report (spec 6.8): a located finding
    assert unfilled.exit_code == 1
    assert "data/reports/2022-08/alpha.yaml:7:12: 月报尚未填写报送日期" in unfilled.stdout
    filled = (
        text.replace("submitted: null", "submitted: 2022-08-24")
        .replace("percent: null", "percent: 80")
        .replace("note: null", "note: 已完成调研")
        .replace("difficulties: []", "difficulties:\n  - 场地紧张")
    )
    path.write_text(filled, encoding="utf-8")
    assert lx("validate", cwd=repo).exit_code == 0
    data = json.loads(lx("reports", "--month", "2022-08", "--as-of", "2022-08-26", "-f", "json", cwd=repo).stdout)
    alpha = next(r for r in data["units"] if r["unit"] == "alpha")
    assert alpha["state"] == "submitted" and alpha["difficulties"] == ["场地紧张"]
    again = lx("reports", "new", "--unit", "alpha", "--month", "2022-08", cwd=repo)
    assert again.exit_code == 1 and "不覆盖" in again.output
    assert path.read_text(encoding="utf-8") == filled


def test_report_scaffold_lists_supported_tasks_and_handles_none(repo: Path, lx: Lx) -> None:
    result = lx("reports", "new", "-u", "beta", "-m", "2022-12", "--as-of", "2022-12-01", cwd=repo)
    assert result.exit_code == 0, result.output
    text = (repo / "data/reports/2022-12/beta.yaml").read_text(encoding="utf-8")
    assert "- task: t2022-001" in text and "t2022-002" not in text and "by: null" in text
    (repo / "data/reports/2022-12/beta.yaml").write_text(text.replace("submitted: null", "submitted: 2022-12-20"))
    (repo / "data/units/gamma.yaml").write_text(
        "id: gamma\nname: 丙局\nkind: department\nduties: []\n", encoding="utf-8"
    )
    assert lx("reports", "new", "-u", "丙局", "-m", "2022-12", cwd=repo).exit_code == 0
    assert "progress: []" in (repo / "data/reports/2022-12/gamma.yaml").read_text(encoding="utf-8")
    assert lx("reports", "new", "-u", "beta", "-m", "2022-13", cwd=repo).exit_code == 2


@pytest.mark.parametrize(
    ("month", "today", "refused"),
    [
        ("2022-05", "2022-08-20", "早于专班成立"),  # the group started 2022-06-02: June begins before it
        ("2022-06", "2022-08-20", "早于专班成立"),
        ("2022-07", "2022-08-20", None),
        ("2022-08", "2022-08-20", None),  # the current month
        ("2022-09", "2022-08-31", "还没有到"),  # the day before it begins
        ("2022-09", "2022-09-01", None),
    ],
)
def test_report_scaffold_months(repo: Path, lx: Lx, month: str, today: str, refused: str | None) -> None:
    result = lx("reports", "new", "-u", "beta", "-m", month, cwd=repo, env={"LX_TODAY": today})
    if refused is None:
        assert result.exit_code == 0, result.output
        assert "submitted: null" in (repo / f"data/reports/{month}/beta.yaml").read_text(encoding="utf-8")
    else:
        assert result.exit_code == 1 and refused in result.output
        assert not (repo / f"data/reports/{month}").exists()


def test_models_with_the_same_given_fields_share_one_set(bundled: Path) -> None:
    """share_fields_sets: every model parsed (nested ones included) holds the one shared frozenset of its
    given fields, so a province-sized dataset keeps a handful of sets, not one per model."""
    from pydantic import BaseModel

    from laoxiao_cli.repo.loader import load_dir

    dataset = load_dir(bundled / "data", use_cache=False).require()
    seen: dict[frozenset[str], int] = {}
    nested = 0
    stack: list[object] = [dataset.group, *dataset.units.values(), *dataset.tasks.values()]
    stack += [*dataset.meetings.values(), *dataset.reports.values(), *dataset.letters.values()]
    while stack:
        model = stack.pop()
        if isinstance(model, list):
            stack.extend(model)
            continue
        if not isinstance(model, BaseModel):
            continue
        given = model.__pydantic_fields_set__
        assert isinstance(given, frozenset)
        assert seen.setdefault(given, id(given)) == id(given), type(model).__name__  # the one shared set
        for value in model.__dict__.values():
            if isinstance(value, (BaseModel, list)):
                nested += isinstance(value, BaseModel) or any(isinstance(v, BaseModel) for v in value)
                stack.append(value)
    assert nested > 100  # the walk reached the nested models (members, duties, progress, decisions …)


def test_records_survive_pickling_as_they_were(bundled: Path) -> None:
    """Record.__reduce_ex__ (the cache and the parsing workers): every record of the bundled data comes back
    equal, of its class, with its given fields (still one shared set) and still frozen."""
    import pickle

    from pydantic import ValidationError

    from laoxiao_cli.repo.loader import load_dir

    dataset = load_dir(bundled / "data", use_cache=False).require()
    tables = {name: dict(getattr(dataset, name)) for name in ("units", "tasks", "meetings", "letters", "handovers")}
    tables["reports"] = dict(dataset.reports)
    tables["group"] = {"group": dataset.group}
    back = pickle.loads(pickle.dumps(tables, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == tables
    for name, table in tables.items():
        for key, record in table.items():
            again = back[name][key]
            assert type(again) is type(record)
            assert again.__pydantic_fields_set__ == record.__pydantic_fields_set__
            assert again.model_dump() == record.model_dump()
    sets = {id(r.__pydantic_fields_set__) for r in back["tasks"].values()}
    assert len(sets) < len(back["tasks"]) / 2  # shared, as before pickling
    with pytest.raises(ValidationError):
        next(iter(back["tasks"].values())).id = "t2099-001"  # type: ignore[misc]
