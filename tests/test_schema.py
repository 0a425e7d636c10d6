"""Per-record schema tests: each kind accepts its spec example and refuses what the spec forbids."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from laoxiao_cli.model.checks import record_issues
from laoxiao_cli.model.dataset import RawRecord, validate_record
from laoxiao_cli.model.records import Group, Handover, Letter, Meeting, Report, Task, Unit
from laoxiao_cli.model.schema import schemas

D = date(2022, 10, 10)
TASK: dict[str, Any] = {
    "id": "t2022-001",
    "title": "托班",
    "target": "100%",
    "lead": "jiaoyu",
    "due": D,
    "status": "open",
}
GROUP: dict[str, Any] = {
    "name": "专班",
    "document": {"number": "办函〔2022〕6号"},
    "started": D,
    "leaders": [{"name": "曾瑞华", "title": "区委书记"}],
    "office": {},
}


def check(kind: str, data: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    record, findings = validate_record(RawRecord(kind, f"data/{kind}.yaml", "x", "", data))
    if record is None:
        return [(f.loc, f.message) for f in findings]
    return list(record_issues(record))


def test_minimal_records_are_valid() -> None:
    assert check("group", GROUP) == []
    assert check("task", TASK) == []
    assert check("unit", {"id": "a", "name": "甲", "kind": "department", "duties": []}) == []
    assert check("meeting", {"id": "2022-q4", "kind": "regular", "status": "planned", "date": D}) == []
    assert check("report", {"unit": "a", "month": "2022-08", "submitted": D}) == []
    letter = {"id": "l1", "kind": "reminder", "unit": "a", "tasks": ["t1"], "issued": D, "reply_by": D}
    assert check("letter", letter) == []
    handover = {
        "id": "2022-10-10-a-liaison",
        "unit": "a",
        "role": "liaison",
        "from": None,
        "to": {"name": "张三"},
        "effective": D,
        "filed": D,
    }
    assert check("handover", handover) == []


def test_defaults() -> None:
    task = Task.model_validate(TASK)
    assert (task.key, task.weight, task.support, task.done) == (False, 1, [], None)
    group = Group.model_validate(GROUP)
    assert group.rules.reports.due_day == 25
    assert (group.rules.escalation.reminder, group.rules.escalation.reply_days) == (7, 10)
    assert group.rules.scoring.late == 0.5
    assert Unit.model_validate({"id": "a", "name": "甲", "kind": "party", "duties": []}).reports is True


@pytest.mark.parametrize(
    ("change", "loc", "text"),
    [
        ({"deu": D}, ("deu",), "未知字段 `deu`，是否想写 `due`"),
        ({"due": "2022-13-01"}, ("due",), "不是存在的日期"),
        ({"due": 20221231}, ("due",), "应为日期"),
        ({"due": "2022-12-31 10:00"}, ("due",), "应为日期"),
        ({"status": "opne"}, ("status",), "open, done, cancelled"),
        ({"id": "T2022-001"}, ("id",), "不合规"),
        ({"weight": 0}, ("weight",), "大于 0"),
        ({"key": "yes"}, ("key",), "true 或 false"),
        ({"title": 5}, ("title",), "应为文字"),
        ({"status": "done"}, ("status",), "必须填写 `done`"),
        ({"done": D}, ("done",), "只有状态为 done"),
        ({"support": ["jiaoyu"]}, ("support", 0), "与牵头单位相同"),
        ({"start": date(2023, 1, 1)}, ("start",), "晚于截止日期"),
        ({"milestones": [{"name": "m"}]}, ("milestones", 0), "缺少必填字段 `due`"),
        ({"milestones": [{"name": "m", "due": D, "dun": D}]}, ("milestones", 0, "dun"), "未知字段 `dun`"),
    ],
)
def test_task_rules(change: dict[str, Any], loc: tuple[str | int, ...], text: str) -> None:
    problems = check("task", {**TASK, **change})
    assert any(p[0] == loc and text in p[1] for p in problems), problems


def test_quoted_iso_date_is_accepted() -> None:
    assert Task.model_validate({**TASK, "due": "2022-12-31"}).due == date(2022, 12, 31)


def test_required_keys_per_kind() -> None:
    assert any(
        "缺少必填字段 `started`" in m for _, m in check("group", {k: v for k, v in GROUP.items() if k != "started"})
    )
    assert any("`kind`" in m for _, m in check("unit", {"id": "a", "name": "甲", "duties": []}))
    held = {"id": "m", "kind": "regular", "status": "held", "date": D}
    assert any("chair" in m for _, m in check("meeting", held))
    assert any(
        "`reply_by`" in m
        for _, m in check("letter", {"id": "l", "kind": "reminder", "unit": "a", "tasks": ["t"], "issued": D})
    )
    assert any("`submitted`" in m for _, m in check("report", {"unit": "a", "month": "2022-08"}))
    member = {"id": "a", "name": "甲", "kind": "department", "duties": [], "member": {"name": "张三"}}
    assert any(loc == ("member",) and "`title`" in m for loc, m in check("unit", member))


def test_unit_duty_ids() -> None:
    unit = {
        "id": "a",
        "name": "甲",
        "kind": "department",
        "duties": [{"id": "b.1", "text": "x"}, {"id": "a.1", "text": "y"}],
    }
    problems = check("unit", unit)
    assert [p[0] for p in problems] == [("duties", 0, "id")]


def test_group_rules() -> None:
    bad = {**GROUP, "rules": {"escalation": {"reminder": 30, "assignment": 21}}}
    assert any("须递增" in m for _, m in check("group", bad))
    assert any("不大于 28" in m for _, m in check("group", {**GROUP, "rules": {"reports": {"due_day": 31}}}))
    assert any("3" in m for _, m in check("group", {**GROUP, "rules": {"meetings": {"every_months": 1}}}))


def test_meeting_and_letter_rules() -> None:
    decision = {"text": "x", "lead": "a"}
    meeting = {"id": "m", "kind": "regular", "status": "held", "chair": "甲", "date": D, "decisions": [decision]}
    assert check("meeting", meeting) == [
        (("decisions", 0, "lead"), "明确了牵头单位的议定事项必须填写 `task`（跟踪它的任务编号）")
    ]
    planned = {**meeting, "status": "planned", "decisions": [{"text": "x"}]}
    assert [p[0] for p in check("meeting", planned)] == [("decisions",)]
    for day, outside in ((date(2022, 9, 30), True), (date(2022, 10, 1), False), (date(2022, 12, 31), False)):
        regular = {"id": "2022-q4", "kind": "regular", "status": "planned", "date": day}
        assert [p[0] for p in check("meeting", regular)] == ([("date",)] if outside else [])
        assert check("meeting", {**regular, "kind": "special"}) == []
    letter = {"id": "l", "kind": "notice", "unit": "a", "tasks": [], "issued": D, "reply_by": D}
    locs = [p[0] for p in check("letter", letter)]
    assert ("kind",) in locs and ("tasks",) in locs
    early = {"id": "l", "kind": "reminder", "unit": "a", "tasks": ["t"], "issued": D, "reply_by": date(2022, 10, 1)}
    assert check("letter", early)[0][0] == ("reply_by",)


def test_handover_id_and_role() -> None:
    base = {
        "unit": "a",
        "role": "member",
        "from": {"name": "甲", "title": "局长"},
        "to": {"name": "乙", "title": "局长"},
        "effective": D,
        "filed": D,
    }
    assert check("handover", {**base, "id": "2022-10-10-a-member"}) == []
    assert check("handover", {**base, "id": "x"})[0][0] == ("id",)
    assert check("handover", {**base, "id": "2022-10-10-a-boss", "role": "boss"})[0][0] == ("role",)
    assert Handover.model_validate({**base, "id": "2022-10-10-a-member"}).from_ is not None
    untitled = {**base, "id": "2022-10-10-a-member", "to": {"name": "乙"}}
    assert check("handover", untitled) == [(("to",), "专班成员须写明职务 `title`（如 区民政局局长）")]


def test_records_are_frozen() -> None:
    task = Task.model_validate(TASK)
    with pytest.raises(Exception, match="frozen"):
        task.status = "done"  # type: ignore[misc]


def test_json_schemas_cover_every_kind() -> None:
    docs = schemas()
    assert set(docs) == {"group", "unit", "task", "meeting", "report", "letter", "handover", "calendar"}
    assert docs["task"]["additionalProperties"] is False
    assert set(docs["task"]["required"]) == {"id", "title", "target", "lead", "due", "status"}
    assert docs["task"]["properties"]["due"] == {"format": "date", "title": "Due", "type": "string"}
    assert "from" in docs["handover"]["properties"]
    for model in (Group, Unit, Meeting, Report, Letter):
        assert docs[model.__name__.lower()]["additionalProperties"] is False
