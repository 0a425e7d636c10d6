"""`lx bulletin --month M` (spec 11.2): the monthly 通报, judged at the month's last day or an earlier as-of."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from laoxiao_cli.domain.bulletin import bulletin, judged_at, percent
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Meeting, Report
from laoxiao_cli.render import bulletin as render
from laoxiao_cli.render.common import View
from tests.conftest import Lx
from tests.factory import d, dataset, letter, report, task

TODAY = {"LX_TODAY": "2023-01-10"}


def as_json(ds: Dataset, month: str = "2022-12", as_of: str = "2023-01-10", **kw: Any) -> dict[str, Any]:
    got: dict[str, Any] = json.loads(render.json(bulletin(ds, month, d(as_of), **kw), View()))
    return got


# --- the bundled data, checked by hand -------------------------------------------------------------


def test_bundled_december_json(bundled: Path, lx: Lx) -> None:
    result = lx("bulletin", "--month", "2022-12", "--format", "json", cwd=bundled, env=TODAY)
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert list(got) == ["month", "as_of", "decisions", "reports", "letters", "overdue", "rates", "practices"]
    assert (got["month"], got["as_of"]) == ("2022-12", "2022-12-31")
    # 2022-q3 decided t2022-002 (done 10-25), t2022-003 (open, due 12-15), t2022-004 (done 12-12)
    assert got["decisions"] == {"meeting": "2022-q3", "total": 3, "done": 2, "percent": 66.7}
    # 35 units reported by 12-26 (the due day, 12-25 being a Sunday), none late: 23 of the notice's units and
    # 12 members of 各镇街 (which reports through them, spec 6.11); 8 units that owe reports sent none
    missing = ["gongdian", "gongshanglian", "lvtou", "tuanquwei", "xianyan", "xiaofang", "yibao", "zhifa"]
    assert sorted(got["reports"]["missing"]) == missing
    assert got["reports"]["late"] == []
    assert len(got["reports"]["on_time"]) == 35 and "caizheng" in got["reports"]["on_time"]
    assert "zhenjie" not in got["reports"]["on_time"] + got["reports"]["missing"]
    assert got["letters"] == []  # l2022-001 and -002 were issued in November
    overdue = {(o["task"], o["lead"], o["days_late"]) for o in got["overdue"]}
    assert overdue == {
        ("t2022-003", "minzheng", 16),  # due 12-15
        ("t2022-009", "fagai", 5),  # due 12-26
        ("t2022-013", "zhujian", 30),  # due 12-01
        ("t2022-015", "renshe", 61),  # due 10-31
        ("t2022-016", "tongji", 92),  # due 09-30
        ("t2022-020", "zhenjie", 46),  # due 11-15: once, for the task's own lead (the group)
    }
    rates = {r["unit"]: (r["done"], r["total"], r["rate"]) for r in got["rates"]}
    assert rates["fagai"] == (2, 3, 66.7)  # t004, t010 done; t009 open (due 12-26)
    assert rates["minzheng"] == (1, 2, 50.0)  # t005 done; t003 open
    assert rates["weijian"] == (2, 2, 100.0)  # t006, t008; t007 is due in 2023
    assert rates["zhujian"] == (1, 2, 50.0)  # t012 done; t013 open; t011 due in 2023
    assert rates["tongji"] == (0, 1, 0.0)
    assert rates["lvtou"] == (0, 0, None)  # its only task is cancelled
    assert rates["yibao"] == (0, 0, None)  # due 2023-03-31
    assert "zhenjie" not in rates and rates["jingshan"] == rates["zeya"] == (0, 1, 0.0)  # each member's t2022-020
    practice = "建立“一老一小”需求清单、资源清单、项目清单"
    assert sorted(got["practices"], key=lambda p: p["unit"]) == [
        {"unit": "caizheng", "text": practice},
        {"unit": "qufuban", "text": practice},
        {"unit": "sanyang", "text": "推行“幼儿园+托班”模式，盘活存量学位资源"},
    ]
    # every unit array in the dataset's unit order (the order `lx status` lists them in)
    status = lx("status", "--as-of", "2022-12-31", "--format", "json", cwd=bundled)
    order = [u["id"] for u in json.loads(status.stdout)["units"]]
    assert [r["unit"] for r in got["rates"]] == [u for u in order if u != "zhenjie"]  # a group has no rate
    for ids in [*got["reports"].values(), [o["lead"] for o in got["overdue"]], [p["unit"] for p in got["practices"]]]:
        assert ids == sorted(ids, key=order.index)


def test_sort_rate_is_a_league_table(bundled: Path, lx: Lx) -> None:
    result = lx("bulletin", "-m", "2022-12", "-f", "json", "--sort", "rate", cwd=bundled, env=TODAY)
    rates = [r["rate"] for r in json.loads(result.stdout)["rates"]]
    known = [r for r in rates if r is not None]
    assert known == sorted(known, reverse=True) and rates == [*known, *[None] * (len(rates) - len(known))]


def test_bundled_markdown_has_every_section(bundled: Path, lx: Lx) -> None:
    result = lx("bulletin", "--month", "2022-12", cwd=bundled, env=TODAY)
    assert result.exit_code == 0, result.output
    text = result.stdout
    head = "瓯海区“一老一小”一体化试点工作专班办公室\n\n瓯一老一小专班办〔2022〕   号\n\n"  # the serial left blank: the office fills it in from its register
    assert text.startswith(head + "# 关于2022年12月工作推进情况的通报\n\n各成员单位：\n")
    assert "\n### （一）本月完成的任务\n" in text and "\n### （二）逾期未完成的任务\n" in text
    for heading in ["一、任务推进情况", "二、会议议定事项落实情况", "三、月报报送情况", "四、督促函件印发情况"]:
        assert f"\n## {heading}\n" in text
    for heading in ["五、各单位任务完成率", "六、亮点做法", "七、下步要求"]:
        assert f"\n## {heading}\n" in text
    assert "完成率66.7%" in text and "| 区发改局 | 3 | 2 | 66.7% |" in text
    assert "区财政局：建立“一老一小”需求清单、资源清单、项目清单" in text
    assert text.endswith("抄送：区委书记曾瑞华，区委副书记、区长刘云峰，副区长杜潘祚，副区长张昶，副区长陈凤。\n")


# --- boundaries ------------------------------------------------------------------------------------


@pytest.fixture
def december() -> Dataset:
    return december_office()


def december_office() -> Dataset:
    """a and b; E = 2022-12-31 unless the as-of is earlier. Reports are due on the 25th."""
    return dataset(
        tasks=[
            task("last-day", "2022-12-31", done="2022-12-31"),
            task("next-month", "2022-12-20", done="2023-01-01"),
            task("november", "2022-11-30", done="2022-11-30"),
            task("first-day", "2022-12-05", lead="b", done="2022-12-01"),
            task("later", "2023-01-31", lead="b"),
            task(
                "gone",
                "2022-12-01",
                lead="b",
                status="cancelled",
                cancelled={"date": d("2022-11-01"), "reason": "并入"},
            ),
            task(
                "extended",
                "2022-12-10",
                lead="b",
                extensions=[
                    {
                        "requested": d("2022-12-01"),
                        "new_due": d("2023-01-31"),
                        "reason": "场地",
                        "approved": d("2022-12-05"),
                    }
                ],
            ),
        ],
        reports=[report("a", "2022-12", "2022-12-25"), report("b", "2022-12", "2022-12-26")],
        letters=[
            letter("l-nov", "reminder", ["next-month"], "2022-11-30", "2022-12-10"),
            letter("l-first", "reminder", ["next-month"], "2022-12-01", "2022-12-11"),
            letter("l-21", "reminder", ["next-month"], "2022-12-21", "2022-12-31"),
            letter("l-last", "assignment", ["next-month"], "2022-12-31", "2023-01-10"),
            letter("l-jan", "supervision", ["next-month"], "2023-01-01", "2023-01-11"),
        ],
    )


def test_done_in_the_month_counts_the_last_day_not_the_next(december: Dataset) -> None:
    b = bulletin(december, "2022-12", d("2023-01-10"))
    assert [t.task for t in b.done] == ["first-day", "last-day"]
    assert [(o.task, o.days_late) for o in b.overdue] == [("next-month", 11)]  # open at 12-31, due 12-20


def test_a_report_on_its_due_date_is_on_time_a_day_later_late(december: Dataset) -> None:
    got = as_json(december)["reports"]
    assert got == {"on_time": ["a"], "late": ["b"], "missing": []}


def test_letters_issued_in_the_month(december: Dataset) -> None:
    assert as_json(december)["letters"] == ["l-first", "l-21", "l-last"]


def test_rates_use_the_due_in_force_and_leave_out_cancelled_tasks(december: Dataset) -> None:
    # a: last-day, next-month (open at E); november is done but due in November: still its task
    # b: first-day; "extended" is due 2023-01-31 in force, "later" too, "gone" is cancelled
    assert as_json(december)["rates"] == [
        {"unit": "a", "done": 2, "total": 3, "rate": 66.7},
        {"unit": "b", "done": 1, "total": 1, "rate": 100.0},
    ]
    assert [r["unit"] for r in as_json(december, sort="rate")["rates"]] == ["b", "a"]


def test_an_as_of_before_the_month_end_judges_at_the_as_of(december: Dataset) -> None:
    b = bulletin(december, "2022-12", d("2022-12-20"))
    assert b.as_of == d("2022-12-20") == judged_at("2022-12", d("2022-12-20"))
    assert [t.task for t in b.done] == ["first-day"]  # last-day was done on 12-31: not yet
    assert (b.on_time, b.late, b.missing) == ([], [], [])  # due 12-25: not due yet, nobody missing
    assert [x.id for x in b.letters] == ["l-first"]
    assert b.overdue == []  # next-month is due 12-20: not late on 12-20
    got = as_json(december, as_of="2022-12-20")
    assert got["as_of"] == "2022-12-20"
    assert got["rates"][0] == {"unit": "a", "done": 1, "total": 2, "rate": 50.0}  # november done; next-month open
    assert bulletin(december, "2022-12", d("2022-12-26")).missing == []  # b reported on 12-26
    assert bulletin(december, "2022-12", d("2022-12-26")).late == ["b"]


def test_reports_missing_at_e() -> None:
    ds = dataset(reports=[report("a", "2022-12", "2023-01-02")])
    got = as_json(ds)["reports"]
    assert got == {"on_time": [], "late": [], "missing": ["a", "b"]}  # a's report came after E


@pytest.mark.parametrize(
    ("done", "total", "expected"),
    [(1, 3, 33.3), (2, 3, 66.7), (1, 8, 12.5), (1, 16, 6.3), (3, 16, 18.8), (5, 16, 31.3), (0, 5, 0.0), (0, 0, None)],
)
def test_percent_is_one_decimal_half_up(done: int, total: int, expected: float | None) -> None:
    assert percent(done, total) == expected


def meeting(decisions: list[dict[str, Any]], day: str = "2022-10-10", mid: str = "2022-q4") -> Meeting:
    return Meeting.model_validate(
        {"id": mid, "kind": "regular", "status": "held", "date": d(day), "chair": "组长甲", "decisions": decisions}
    )


def test_decisions_of_the_last_held_meeting() -> None:
    tasks = [task(f"t{n}", "2022-11-30", done="2022-11-20" if n <= 1 else None) for n in range(1, 17)]
    decisions = [{"text": f"事项{n}", "task": f"t{n}"} for n in range(1, 17)] + [{"text": "无任务的事项"}]
    ds = dataset(
        tasks=tasks, meetings=[meeting([{"text": "早先", "task": "t2"}], "2022-07-01", "2022-q3"), meeting(decisions)]
    )
    got = bulletin(ds, "2022-12", d("2023-01-10")).decisions
    assert (got.meeting, got.total, got.done, got.percent) == ("2022-q4", 16, 1, 6.3)
    assert [x.number for x in got.lagging] == list(range(2, 17))
    assert got.lagging[0].days_late == 31


def test_no_meeting_and_no_decision_with_a_task_give_null() -> None:
    assert as_json(dataset())["decisions"] == {"meeting": None, "total": 0, "done": 0, "percent": None}
    ds = dataset(meetings=[meeting([{"text": "只有文字"}])])
    assert as_json(ds)["decisions"] == {"meeting": "2022-q4", "total": 0, "done": 0, "percent": None}
    assert as_json(dataset())["rates"] == [
        {"unit": "a", "done": 0, "total": 0, "rate": None},
        {"unit": "b", "done": 0, "total": 0, "rate": None},
    ]


def test_practices_with_their_units() -> None:
    reports = [
        Report.model_validate({"unit": u, "month": "2022-12", "submitted": d("2022-12-20"), "practices": p})
        for u, p in [("b", ["乙的做法"]), ("a", ["甲的做法一", "甲的做法二"])]
    ]
    ds = dataset(reports=reports)
    assert as_json(ds)["practices"] == [
        {"unit": "a", "text": "甲的做法一"},
        {"unit": "a", "text": "甲的做法二"},
        {"unit": "b", "text": "乙的做法"},
    ]
    assert as_json(ds, as_of="2022-12-19")["practices"] == []  # not reported yet


# --- the document ----------------------------------------------------------------------------------


def test_docx_reads_back(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    out = tmp_path / "通报.docx"
    result = lx("bulletin", "--month", "2022-12", "-f", "docx", "-o", str(out), cwd=bundled, env=TODAY)
    assert result.exit_code == 0, result.output
    doc = Document(io.BytesIO(out.read_bytes()))
    texts = [p.text for p in doc.paragraphs if p.text]
    office = "瓯海区“一老一小”一体化试点工作专班办公室"
    assert texts[:4] == [office, "瓯一老一小专班办〔2022〕   号", "关于2022年12月工作推进情况的通报", "各成员单位："]
    for heading in ["一、任务推进情况", "二、会议议定事项落实情况", "五、各单位任务完成率", "七、下步要求"]:
        assert heading in texts
    assert texts[-1] == "抄送：区委书记曾瑞华，区委副书记、区长刘云峰，副区长杜潘祚，副区长张昶，副区长陈凤。"
    assert texts[-3:-1] == [office, "2022年12月31日"]
    header = [c.text for c in doc.tables[-1].rows[0].cells]
    assert header == ["单位", "应完成", "已完成", "完成率"]
    assert ["区发改局", "3", "2", "66.7%"] in [[c.text for c in row.cells] for row in doc.tables[-1].rows]
    section = doc.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_docx_needs_an_output_file(bundled: Path, lx: Lx) -> None:
    result = lx("bulletin", "--month", "2022-12", "-f", "docx", cwd=bundled)
    assert result.exit_code == 2
    assert "-o" in result.output


def test_month_is_required_and_checked(bundled: Path, lx: Lx) -> None:
    assert lx("bulletin", cwd=bundled).exit_code == 2
    assert lx("bulletin", "--month", "2022-13", cwd=bundled).exit_code == 2


def test_markdown_exact_on_a_small_office(december: Dataset) -> None:
    view = View({"a": "甲局", "b": "乙局"})
    got = render.markdown(bulletin(december, "2022-12", date(2023, 1, 10)), view)
    assert got == MARKDOWN


MARKDOWN = """\
专班办公室

# 关于2022年12月工作推进情况的通报

各成员单位：

现将专班2022年12月工作推进情况（截至2022年12月31日）通报如下。

## 一、任务推进情况

### （一）本月完成的任务

本月完成任务2项。

| 任务 | 牵头单位 | 完成日期 |
| --- | --- | --- |
| 任务first-day | 乙局 | 2022年12月1日 |
| 任务last-day | 甲局 | 2022年12月31日 |

### （二）逾期未完成的任务

截至2022年12月31日，逾期未完成任务1项，涉及牵头单位1家：

| 牵头单位 | 任务 | 应完成日期 | 逾期天数 |
| --- | --- | --- | --- |
| 甲局 | 任务next-month | 2022年12月20日 | 11 |

## 二、会议议定事项落实情况

截至2022年12月31日，尚未召开专班会议。

## 三、月报报送情况

2022年12月月报：按时报送1家（甲局）；逾期报送1家（乙局）；未报送0家。

## 四、督促函件印发情况

本月印发督促函件3件。

| 编号 | 类型 | 单位 | 印发日期 |
| --- | --- | --- | --- |
| l-first | 提醒函 | 甲局 | 2022年12月1日 |
| l-21 | 提醒函 | 甲局 | 2022年12月21日 |
| l-last | 交办函 | 甲局 | 2022年12月31日 |

## 五、各单位任务完成率

按各单位牵头、截至2022年12月31日应完成的任务（不含已取消的任务）计算：

| 单位 | 应完成 | 已完成 | 完成率 |
| --- | --- | --- | --- |
| 甲局 | 3 | 2 | 66.7% |
| 乙局 | 1 | 1 | 100.0% |

## 六、亮点做法

本月各单位未报送亮点做法。

## 七、下步要求

（由专班办公室填写）

专班办公室\x20\x20
2022年12月31日

抄送：书记组长甲，副区长副组长乙。
"""
