"""Leaders and office posts change too (spec 6.10): terms in group.yaml judged as of a day, and
`lx handover --role leader|deputy_leader` in real temporary Git repositories."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from laoxiao_cli.domain.bulletin import bulletin
from laoxiao_cli.domain.meetings import check_chair
from laoxiao_cli.domain.owners import author_findings, codeowners
from laoxiao_cli.errors import LxError
from laoxiao_cli.model.checks import cross_issues, record_issues
from laoxiao_cli.model.records import Meeting
from laoxiao_cli.model.tenure import in_office, serves
from laoxiao_cli.repo import yamledit
from laoxiao_cli.repo.authors import ReportCommit
from tests.conftest import Lx, git
from tests.factory import d, dataset, group, task

# --- terms, judged as of a day -------------------------------------------------------------------

SUCCESSION = [
    {"name": "组长甲", "title": "书记", "until": d("2022-12-31")},
    {"name": "组长丙", "title": "书记", "from": d("2023-01-01")},
]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2022-12-30", ["组长甲"]),
        ("2022-12-31", ["组长甲"]),  # the last day in office
        ("2023-01-01", ["组长丙"]),  # the successor's first
        ("2023-01-02", ["组长丙"]),
    ],
)
def test_in_office_at_the_boundary(day: str, expected: list[str]) -> None:
    leaders = group(leaders=SUCCESSION).leaders
    assert [p.name for p in in_office(leaders, d(day))] == expected


def test_open_bounds_and_a_one_day_term() -> None:
    g = group(leaders=[{"name": "甲", "title": "书记"}, {"name": "乙", "title": "书记", "from": d("2023-01-01")}])
    assert serves(g.leaders[0], date(1900, 1, 1)) and serves(g.leaders[0], date(2999, 12, 31))
    assert not serves(g.leaders[1], d("2022-12-31")) and serves(g.leaders[1], d("2023-01-01"))
    one_day = group(leaders=[{"name": "甲", "title": "书记", "from": d("2023-01-01"), "until": d("2023-01-01")}])
    assert [serves(one_day.leaders[0], d(x)) for x in ("2022-12-31", "2023-01-01", "2023-01-02")] == [
        False,
        True,
        False,
    ]


def _meeting(day: str, chair: str, on_behalf_of: str | None = None) -> Meeting:
    return Meeting.model_validate(
        {
            "id": "2022-s1",
            "kind": "special",
            "status": "held",
            "date": d(day),
            "chair": chair,
            "on_behalf_of": on_behalf_of,
        }
    )


def _meeting_findings(day: str, chair: str, on_behalf_of: str | None = None, **group_over: Any) -> list[str]:
    grp = group(leaders=SUCCESSION, **group_over)
    ds = dataset(grp=grp, meetings=[_meeting(day, chair, on_behalf_of)])
    return [message for rel, _loc, message in cross_issues(ds) if rel == "data/meetings/2022-s1.yaml"]


@pytest.mark.parametrize(
    ("day", "chair", "valid"),
    [
        ("2022-12-31", "组长甲", True),  # chaired on his last day
        ("2022-12-31", "组长丙", False),  # the successor a day early
        ("2023-01-01", "组长甲", False),  # the day after his last
        ("2023-01-01", "组长丙", True),  # the successor's first day
    ],
)
def test_the_chair_is_judged_on_the_meeting_date(day: str, chair: str, valid: bool) -> None:
    found = _meeting_findings(day, chair)
    if valid:
        assert found == []
    else:
        assert len(found) == 1
        other = "组长丙" if chair == "组长甲" else "组长甲"
        assert f"主持人“{chair}”在 {day} 不在任" in found[0]
        assert f"当天在任的组长、副组长：{other}、副组长乙" in found[0]  # who was in office that day


@pytest.mark.parametrize(
    ("day", "on_behalf_of", "valid"),
    [
        ("2022-12-31", "组长甲", True),
        ("2022-12-31", "组长丙", False),
        ("2023-01-01", "组长甲", False),
        ("2023-01-01", "组长丙", True),
    ],
)
def test_on_behalf_of_is_judged_on_the_meeting_date(day: str, on_behalf_of: str, valid: bool) -> None:
    found = _meeting_findings(day, "副组长乙", on_behalf_of)
    assert (found == []) is valid, found
    if not valid:
        assert found == [
            f"“{on_behalf_of}”在 {day} 不是在任的组长（组长 {'至 2022-12-31' if on_behalf_of == '组长甲' else '2023-01-01 起'}）；"
            f"会议当天在任的组长：{'组长丙' if on_behalf_of == '组长甲' else '组长甲'}"
        ]


def test_a_name_never_in_office_keeps_the_plain_message() -> None:
    assert _meeting_findings("2022-12-31", "路人丁") == ["主持人“路人丁”不是组长或副组长；应为：组长甲、副组长乙"]


@pytest.mark.parametrize(
    ("day", "chair", "refused"),
    [("2022-12-31", "组长甲", None), ("2023-01-01", "组长甲", "在 2023-01-01 不在任"), ("2023-01-01", "组长丙", None)],
)
def test_meeting_hold_checks_the_chair_on_the_day(day: str, chair: str, refused: str | None) -> None:
    ds = dataset(grp=group(leaders=SUCCESSION))
    if refused is None:
        check_chair(ds, chair, None, d(day))
    else:
        with pytest.raises(LxError, match=refused):
            check_chair(ds, chair, None, d(day))


def _group_findings(**over: Any) -> list[tuple[Any, str]]:
    return list(record_issues(group(**over)))


@pytest.mark.parametrize(
    ("second_from", "overlaps"),
    [("2022-12-31", True), ("2023-01-01", False)],  # the predecessor's last day / the day after
)
def test_one_coordinator_in_office_at_a_time(second_from: str, overlaps: bool) -> None:
    deputies = [
        {"name": "副甲", "title": "副区长", "coordinator": True, "until": d("2022-12-31")},
        {"name": "副乙", "title": "副区长", "coordinator": True, "from": d(second_from)},
        {"name": "副丙", "title": "副区长"},
    ]
    found = _group_findings(deputy_leaders=deputies)
    assert [loc for loc, _ in found] == ([("deputy_leaders", 1, "coordinator")] if overlaps else [])


def test_one_person_serving_twice_needs_terms_apart() -> None:
    apart = [
        {"name": "甲", "title": "书记", "until": d("2022-12-31")},
        {"name": "甲", "title": "书记", "from": d("2023-06-01")},
    ]
    assert _group_findings(leaders=apart) == []
    same = [{"name": "甲", "title": "书记"}, {"name": "甲", "title": "区长"}]
    assert [loc for loc, _ in _group_findings(leaders=same)] == [("leaders", 1, "name")]


def test_from_after_until_of_a_staff_member() -> None:
    office = {"staff": [{"name": "办公室丁", "from": d("2023-01-02"), "until": d("2023-01-01")}]}
    assert [loc for loc, _ in _group_findings(office=office)] == [("office", "staff", 0, "until")]
    ok = {"staff": [{"name": "办公室丁", "from": d("2023-01-01"), "until": d("2023-01-01")}]}
    assert _group_findings(office=ok) == []


@pytest.mark.parametrize(
    ("approved", "by", "valid"),
    [
        ("2022-12-31", "组长甲", True),
        ("2023-01-01", "组长甲", False),  # decided the day after his last
        ("2023-01-01", "组长丙", True),
        ("2022-12-31", "组长丙", False),
    ],
)
def test_an_extension_by_is_judged_on_the_decision_date(approved: str, by: str, valid: bool) -> None:
    ext = {"requested": d("2022-12-20"), "new_due": d("2023-03-31"), "reason": "r", "approved": d(approved), "by": by}
    t = task("t2022-001", "2023-01-31", key=True, extensions=[ext])
    ds = dataset(grp=group(leaders=SUCCESSION), tasks=[t])
    found = [message for _rel, loc, message in cross_issues(ds) if loc == ("extensions", 0, "by")]
    assert (found == []) is valid, found
    if not valid:
        assert f"“{by}”在 {approved} 不在任" in found[0]


@pytest.mark.parametrize(("month", "cc"), [("2022-12", "书记组长甲"), ("2023-01", "书记组长丙")])
def test_the_bulletin_copies_those_in_office_on_its_date(month: str, cc: str) -> None:
    ds = dataset(grp=group(leaders=SUCCESSION))
    assert bulletin(ds, month, d("2023-02-10")).cc == [cc, "副区长副组长乙"]


def test_codeowners_lists_the_staff_in_office() -> None:
    staff = [
        {"name": "办公室丁", "account": "ding", "until": d("2022-12-31")},
        {"name": "办公室戊", "account": "wu", "from": d("2023-01-01")},
    ]
    ds = dataset(grp=group(office={"staff": staff}))
    assert codeowners(ds, d("2022-12-31")).lines[2] == "*  @ding"
    assert codeowners(ds, d("2023-01-01")).lines[2] == "*  @wu"


# --- inserting an item into a list, in its style --------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "leaders:\n- name: 甲\n  title: 书记  # 注释\n- name: 乙\n  title: 区长\nx: 1\n",
            "leaders:\n- name: 甲\n  title: 书记  # 注释\n- name: 丙\n  title: 书记\n- name: 乙\n  title: 区长\nx: 1\n",
        ),
        (
            "leaders:\n  - {name: 甲, title: 书记}\n  - {name: 乙, title: 区长}\n",
            "leaders:\n  - {name: 甲, title: 书记}\n  - {name: 丙, title: 书记}\n  - {name: 乙, title: 区长}\n",
        ),
        ("leaders: [{name: 甲, title: 书记}]\n", "leaders: [{name: 甲, title: 书记}, {name: 丙, title: 书记}]\n"),
    ],
)
def test_insert_item_after_an_item(raw: str, expected: str) -> None:
    out = yamledit.insert_item(raw.encode(), "leaders", 1, {"name": "丙", "title": "书记"}, "group.yaml")
    assert out.decode() == expected


def test_insert_item_refuses_a_place_that_is_not_there() -> None:
    with pytest.raises(LxError, match="没有第 3 项"):
        yamledit.insert_item(b"leaders:\n- {name: a}\n", "leaders", 3, {"name": "b"}, "group.yaml")


# --- lx handover --role leader|deputy_leader on the bundled data -----------------------------------

TODAY = {"LX_TODAY": "2023-01-05"}
LEADER = ["handover", "--role", "leader", "--replaces", "曾瑞华", "--to", "王书记", "--date", "2023-01-01"]
RECORD = "data/handovers/2023-01-01-group-leader.yaml"
GROUP = "data/group.yaml"


def _state(root: Path) -> tuple[str, str, dict[str, bytes]]:
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()}
    return git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain", "--untracked-files=all"), files


def _meeting_file(root: Path, mid: str, day: str, chair: str, on_behalf_of: str | None) -> None:
    on = on_behalf_of if on_behalf_of is not None else "null"
    (root / f"data/meetings/{mid}.yaml").write_text(
        f"id: {mid}\nkind: special\nstatus: held\ndate: {day}\nchair: {chair}\non_behalf_of: {on}\n", encoding="utf-8"
    )


def test_leader_handover_in_one_commit(bundled: Path, lx: Lx) -> None:
    before = (bundled / GROUP).read_text(encoding="utf-8")
    head = git(bundled, "rev-parse", "HEAD").strip()
    result = lx(*LEADER, cwd=bundled, env=TODAY)
    assert result.exit_code == 0, result.output
    # group.yaml: only the predecessor's until and the successor's entry right after him
    assert (bundled / GROUP).read_text(encoding="utf-8") == before.replace(
        "- name: 曾瑞华\n  title: 区委书记\n",
        "- name: 曾瑞华\n  title: 区委书记\n  until: 2022-12-31\n- name: 王书记\n  title: 区委书记\n  from: 2023-01-01\n",
        1,
    )
    # one commit holding exactly the two files
    assert git(bundled, "rev-parse", "HEAD~1").strip() == head
    assert sorted(git(bundled, "show", "--name-only", "--format=", "HEAD").split()) == [GROUP, RECORD]
    assert git(bundled, "log", "-1", "--format=%s") == "交接: 专班组长: 曾瑞华 → 王书记 (2023-01-01)\n"
    assert git(bundled, "status", "--porcelain") == ""
    record = yaml.safe_load((bundled / RECORD).read_text(encoding="utf-8"))
    assert record["unit"] == "group" and record["role"] == "leader"
    assert record["from"] == {"name": "曾瑞华", "title": "区委书记"}
    assert record["to"] == {"name": "王书记", "title": "区委书记"}
    assert record["effective"] == date(2023, 1, 1) and record["filed"] == date(2023, 1, 5)
    assert record["missing_reports"] == []
    # the checklist: what the new 组长 inherits
    out = result.stdout
    assert out.startswith("交接清单：专班组长 曾瑞华（区委书记） → 王书记（区委书记）")
    assert "交接后在任的组长：王书记、刘云峰" in out
    for key_task in record["open_tasks"]:
        assert key_task in out
    assert "【会议议定事项（未办结）】\n  2022-q3 第" in out
    assert "l2022-002 提醒函（致 区人力社保局" in out
    assert "2023年第一季度专班例会" in out
    # the 2022-q3 meeting, chaired on 曾瑞华's behalf, still validates
    assert lx("validate", cwd=bundled).exit_code == 0
    # lx history shows the record's commit
    history = lx("history", "handover/2023-01-01-group-leader", cwd=bundled)
    assert history.exit_code == 0 and "交接: 专班组长: 曾瑞华 → 王书记" in history.stdout


def test_after_the_handover_the_predecessor_chairs_no_more(bundled: Path, lx: Lx) -> None:
    assert lx(*LEADER, cwd=bundled, env=TODAY).exit_code == 0
    before = _state(bundled)
    held = lx(
        "meeting", "hold", "2023-q1", "--date", "2023-01-04", "--chair", "杜潘祚", "--on-behalf-of", "曾瑞华",
        cwd=bundled, env=TODAY,
    )  # fmt: skip
    assert held.exit_code == 1 and "“曾瑞华”在 2023-01-04 不是在任的组长（组长 至 2022-12-31）" in held.output
    assert _state(bundled) == before
    ok = lx(
        "meeting", "hold", "2023-q1", "--date", "2023-01-04", "--chair", "杜潘祚", "--on-behalf-of", "王书记",
        cwd=bundled, env=TODAY,
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output


@pytest.mark.parametrize(
    ("day", "chair", "valid"),
    [
        ("2022-12-31", "曾瑞华", True),
        ("2022-12-31", "王书记", False),
        ("2023-01-01", "曾瑞华", False),
        ("2023-01-01", "王书记", True),
    ],
)
def test_hand_written_minutes_at_the_boundary(bundled: Path, lx: Lx, day: str, chair: str, valid: bool) -> None:
    assert lx(*LEADER, cwd=bundled, env=TODAY).exit_code == 0
    _meeting_file(bundled, "2022-s9", day, chair, None)
    result = lx("validate", "--format", "json", cwd=bundled)
    errors = json.loads(result.stdout)["errors"]
    assert result.exit_code == (0 if valid else 1), errors
    if not valid:
        assert [(e["file"], e["line"]) for e in errors] == [("data/meetings/2022-s9.yaml", 5)]
        assert f"主持人“{chair}”在 {day} 不在任" in errors[0]["message"]


def test_a_handover_that_would_unseat_a_later_chair_is_refused(bundled: Path, lx: Lx) -> None:
    before = _state(bundled)
    result = lx(*LEADER[:-1], "2022-09-01", cwd=bundled, env=TODAY)
    assert result.exit_code == 1, result.output
    assert "修改后的数据未通过校验，未写入任何文件" in result.output
    assert (
        "data/meetings/2022-q3.yaml:7:15: “曾瑞华”在 2022-09-20 不是在任的组长（组长 至 2022-08-31）；"
        "会议当天在任的组长：王书记、刘云峰"
    ) in result.output
    assert _state(bundled) == before


def test_dry_run_and_json(bundled: Path, lx: Lx) -> None:
    before = _state(bundled)
    dry = lx(*LEADER, "--dry-run", cwd=bundled, env=TODAY)
    assert dry.exit_code == 0, dry.output
    assert "+  until: 2022-12-31\n+- name: 王书记\n+  title: 区委书记\n+  from: 2023-01-01\n" in dry.stdout
    assert f"+++ b/{RECORD}" in dry.stdout
    assert _state(bundled) == before
    out = json.loads(lx(*LEADER, "-f", "json", cwd=bundled, env=TODAY).stdout)
    assert list(out) == ["commit", "files", "ids", "action", "record"]
    assert out["commit"] == git(bundled, "rev-parse", "HEAD").strip()
    assert out["files"] == [RECORD, GROUP] and out["ids"] == ["2023-01-01-group-leader", "group"]
    assert out["action"] == "new" and out["record"]["id"] == "2023-01-01-group-leader"


def test_no_commit_and_markdown(bundled: Path, lx: Lx) -> None:
    head = git(bundled, "rev-parse", "HEAD")
    result = lx(*LEADER, "--no-commit", "-f", "markdown", cwd=bundled, env=TODAY)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# 专班组长交接清单\n\n## 基本情况\n")
    assert "## 重点项目（在办）" in result.stdout and "接收人：" in result.stdout
    assert git(bundled, "rev-parse", "HEAD") == head
    assert sorted(git(bundled, "status", "--porcelain", "--untracked-files=all").split()) == [
        "??", "M", GROUP, RECORD,
    ]  # fmt: skip


def _deputies(root: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load((root / GROUP).read_text(encoding="utf-8"))
    return list(data["deputy_leaders"])


def test_a_new_coordinator_moves_the_flag(bundled: Path, lx: Lx) -> None:
    result = lx(
        "handover", "--role", "deputy_leader", "--replaces", "张昶", "--to", "李副区长", "--coordinator",
        "--date", "2023-01-01", cwd=bundled, env=TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert _deputies(bundled) == [
        {"name": "杜潘祚", "title": "副区长", "coordinator": True, "until": date(2022, 12, 31)},
        {"name": "杜潘祚", "title": "副区长", "from": date(2023, 1, 1)},  # still a 副组长, no longer 牵头协调人
        {"name": "张昶", "title": "副区长", "until": date(2022, 12, 31)},
        {"name": "李副区长", "title": "副区长", "coordinator": True, "from": date(2023, 1, 1)},
        {"name": "陈凤", "title": "副区长"},
    ]
    assert "牵头协调人：自 2023-01-01 起由 李副区长 担任（此前为 杜潘祚）" in result.stdout
    assert git(bundled, "log", "-1", "--format=%s").endswith("；牵头协调人 杜潘祚 → 李副区长\n")
    assert sorted(git(bundled, "show", "--name-only", "--format=", "HEAD").split()) == [
        GROUP,
        "data/handovers/2023-01-01-group-deputy_leader.yaml",
    ]
    assert lx("validate", cwd=bundled).exit_code == 0


def test_the_coordinator_replaced(bundled: Path, lx: Lx) -> None:
    base = ["handover", "--role", "deputy_leader", "--replaces", "杜潘祚", "--to", "李副区长", "--date", "2023-01-01"]
    plain = lx(*base, "--dry-run", cwd=bundled, env=TODAY)
    assert plain.exit_code == 0, plain.output
    assert "牵头协调人：原由 杜潘祚 担任，自 2023-01-01 起空缺" in plain.stdout
    result = lx(*base, "--coordinator", cwd=bundled, env=TODAY)
    assert result.exit_code == 0, result.output
    assert _deputies(bundled)[:2] == [
        {"name": "杜潘祚", "title": "副区长", "coordinator": True, "until": date(2022, 12, 31)},
        {"name": "李副区长", "title": "副区长", "coordinator": True, "from": date(2023, 1, 1)},
    ]
    assert "牵头协调人：自 2023-01-01 起由 李副区长 担任（此前为 杜潘祚）" in result.stdout


def test_two_deputies_on_one_day(bundled: Path, lx: Lx) -> None:
    for old, new in (("张昶", "李副区长"), ("陈凤", "赵副区长")):
        result = lx(
            "handover", "--role", "deputy_leader", "--replaces", old, "--to", new, "--date", "2023-01-01",
            cwd=bundled, env=TODAY,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    assert (bundled / "data/handovers/2023-01-01-group-deputy_leader.yaml").exists()
    second = yaml.safe_load((bundled / "data/handovers/2023-01-01-group-deputy_leader-2.yaml").read_text("utf-8"))
    assert second["id"] == "2023-01-01-group-deputy_leader-2" and second["from"]["name"] == "陈凤"
    assert lx("validate", cwd=bundled).exit_code == 0


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["--role", "leader", "--to", "王书记"], 2, "2023-01-05 在任的组长有 曾瑞华、刘云峰：请用 --replaces 指定"),
        (["--role", "leader", "--replaces", "张三", "--to", "王书记"], 1, "张三 在 2023-01-05 不是在任的组长"),
        (["--role", "leader", "--replaces", "曾瑞华", "--to", "刘云峰"], 1, "刘云峰 在 2023-01-05 已是在任的组长"),
        (["--role", "leader", "--replaces", "曾瑞华", "--to", "曾瑞华"], 1, "就是原任"),
        (["--role", "leader", "--unit", "minzheng", "--to", "王书记"], 2, "组长、副组长的交接不用 --unit"),
        (["--role", "leader", "--replaces", "曾瑞华", "--to", "王书记", "--coordinator"], 2, "--coordinator"),
        (
            ["--role", "deputy_leader", "--replaces", "张昶", "--to", "王五", "--correct"],
            2,
            "组长、副组长的交接没有 --correct",
        ),
        (["--role", "deputy_leader", "--replaces", "张昶", "--to", "王五", "--phone", "1380000"], 2, "不用 --phone"),
        (["--role", "member", "--to", "王五"], 2, "须用 --unit 指定单位"),
        (["--role", "liaison", "--unit", "minzheng", "--to", "王五", "--replaces", "x"], 2, "--replaces"),
    ],
)
def test_refusals_write_nothing(bundled: Path, lx: Lx, args: list[str], code: int, said: str) -> None:
    before = _state(bundled)
    result = lx("handover", *args, cwd=bundled, env=TODAY)
    assert result.exit_code == code, result.output
    assert said in result.output and "Traceback" not in result.output
    assert _state(bundled) == before


@pytest.mark.parametrize(
    ("args", "said"),
    [
        # 曾瑞华 left on 2022-12-31: he is not in office to hand over again
        (
            ["--replaces", "曾瑞华", "--to", "孙书记", "--date", "2023-02-01"],
            "曾瑞华 在 2023-02-01 不是在任的组长（组长 至 2022-12-31）",
        ),
        # before the successor's first day
        (
            ["--replaces", "王书记", "--to", "孙书记", "--date", "2022-12-31"],
            "生效日期 2022-12-31 早于 王书记 任组长的起始日期 2023-01-01",
        ),
        # on it: his term would end before it began
        (
            ["--replaces", "王书记", "--to", "孙书记", "--date", "2023-01-01"],
            "生效日期 2023-01-01 是 王书记 任组长的第一天",
        ),
    ],
)
def test_refusals_after_a_handover(bundled: Path, lx: Lx, args: list[str], said: str) -> None:
    assert lx(*LEADER, cwd=bundled, env=TODAY).exit_code == 0
    before = _state(bundled)
    result = lx("handover", "--role", "leader", *args, cwd=bundled, env=TODAY)
    assert result.exit_code == 1, result.output
    assert said in result.output
    assert _state(bundled) == before


def test_the_successor_hands_over_in_turn(bundled: Path, lx: Lx) -> None:
    assert lx(*LEADER, cwd=bundled, env=TODAY).exit_code == 0
    result = lx(
        "handover", "--role", "leader", "--replaces", "王书记", "--to", "孙书记", "--date", "2023-01-02",
        cwd=bundled, env=TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    leaders = yaml.safe_load((bundled / GROUP).read_text(encoding="utf-8"))["leaders"]
    assert [(p["name"], p.get("from"), p.get("until")) for p in leaders] == [
        ("曾瑞华", None, date(2022, 12, 31)),
        ("王书记", date(2023, 1, 1), date(2023, 1, 1)),  # one day in office
        ("孙书记", date(2023, 1, 2), None),
        ("刘云峰", None, None),
    ]
    assert lx("validate", cwd=bundled).exit_code == 0


# --- killed at every point: all or nothing ---------------------------------------------------------

KILL_POINTS = ["locked", "journaled", "wrote-1", "wrote-2", "validated", "staged", "committed"]
SMALL = ("handover", "--role", "leader", "--to", "组长丙", "--date", "2022-11-01")  # the only 组长: no --replaces


@pytest.mark.slow
@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_killed_leader_handover_is_all_or_nothing(tmp_path: Path, point: str) -> None:
    import signal

    from tests.conftest import make_repo
    from tests.test_handover_crash import run, state

    reference = make_repo(tmp_path / "reference")
    assert run(reference, *SMALL).returncode == 0
    whole, tree = state(reference)[2], git(reference, "rev-parse", "HEAD^{tree}")
    root = make_repo(tmp_path / "r")
    before = state(root)
    assert run(root, *SMALL, crash=point).returncode == -signal.SIGKILL
    check = run(root, "validate")  # any command recovers first
    assert check.returncode == 0, check.stdout + check.stderr
    head, status, files = state(root)
    assert status == "" and not (root / ".git" / "lx-journal.json").exists()
    if point == "committed":
        assert git(root, "rev-parse", "HEAD^") == before[0]
        assert git(root, "rev-parse", "HEAD^{tree}") == tree and files == whole
    else:
        assert (head, files) == (before[0], before[2])


@pytest.mark.parametrize(
    ("when", "allowed"), [("2022-12-31T18:00:00+08:00", True), ("2023-01-01T09:00:00+08:00", False)]
)
def test_the_authors_rule_takes_the_staff_in_office_on_the_commit_date(when: str, allowed: bool) -> None:
    staff = [{"name": "办公室丁", "email": "ding@example.org", "until": "2022-12-31"}]
    commit = ReportCommit("a" * 40, "办公室丁", "ding@example.org", when, ["data/reports/2022-12/a.yaml"],
                     {"office": {"staff": staff}}, {"a": {"name": "甲局", "liaison": None}})  # fmt: skip
    assert (author_findings([commit]) == []) is allowed
