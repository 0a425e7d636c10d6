"""`lx calendar` (spec 11.5): the RFC 5545 calendar, parsed back with icalendar.

The expected events are derived here from the YAML files themselves (``_expected``: the spec's rules
written out again, plainly), not from the code under test; a few dates are also written out by hand.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from icalendar import Calendar

from laoxiao_cli.domain.deadlines import deadlines
from laoxiao_cli.render.common import View
from laoxiao_cli.render.ics import ics
from tests.conftest import Lx, git, make_repo
from tests.factory import d, dataset, group, report, task, unit

CATEGORY_KINDS = {
    "任务": "task_due",
    "任务节点": "milestone",
    "月报": "report_due",
    "会议": "meeting",
    "函件": "letter_reply",
}
KINDS = ("task_due", "milestone", "report_due", "meeting", "letter_reply")


# --- reading the files and the calendar back --------------------------------------------------------


def _records(root: Path, folder: str) -> list[dict[str, Any]]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / "data" / folder).glob("*.yaml"))]


def _months(first: date, count: int) -> list[str]:
    year, month, out = first.year, first.month, []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _first_month_from(day: date) -> str:
    """The first month that begins on or after ``day``."""
    return f"{day.year:04d}-{day.month:02d}" if day.day == 1 else _months(day, 2)[1]


def _expected(root: Path, as_of: date, unit_id: str | None = None) -> Counter[str]:
    """The number of events of each kind as of ``as_of``, from the YAML (spec 3, 7, 11.5)."""
    got: Counter[str] = Counter()
    for t in _records(root, "tasks"):
        is_open = t["status"] == "open" or (t["status"] == "done" and t["done"] > as_of)
        concerns = unit_id is None or unit_id == t["lead"] or unit_id in t.get("support", [])
        if is_open and concerns:
            got["task_due"] += 1
            got["milestone"] += sum(1 for m in t.get("milestones", []) if m.get("done") is None or m["done"] > as_of)
    for x in _records(root, "letters"):
        awaiting = x["issued"] <= as_of and (x.get("replied") is None or x["replied"] > as_of)
        if awaiting and unit_id in (None, x["unit"]):
            got["letter_reply"] += 1
    for m in _records(root, "meetings"):
        not_held = m["status"] == "planned" or m["date"] > as_of
        got["meeting"] += int(not_held and m["date"] >= as_of)
    started = yaml.safe_load((root / "data" / "group.yaml").read_text(encoding="utf-8"))["started"]
    for month in _months(as_of, 12):
        for u in _records(root, "units"):
            if unit_id not in (None, u["id"]) or u.get("reports") is False:
                continue
            if month < _first_month_from(max(started, u.get("since") or started)):
                continue
            report = root / "data" / "reports" / month / f"{u['id']}.yaml"
            if not report.exists() or yaml.safe_load(report.read_text(encoding="utf-8"))["submitted"] > as_of:
                got["report_due"] += 1
                break
    return got


def _calendar(payload: bytes) -> Calendar:
    cal = Calendar.from_ical(payload)
    assert isinstance(cal, Calendar)
    return cal


def _events(payload: bytes) -> list[Any]:
    return list(_calendar(payload).walk("VEVENT"))


def _kind(event: Any) -> str:
    return CATEGORY_KINDS[str(event["categories"].cats[0])]


def _counts(payload: bytes) -> Counter[str]:
    return Counter(_kind(e) for e in _events(payload))


def _by_uid(payload: bytes) -> dict[str, Any]:
    return {str(e["uid"]): e for e in _events(payload)}


def _export(lx: Lx, root: Path, *args: str) -> bytes:
    result = lx("calendar", *args, cwd=root)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def _unfolded(payload: bytes) -> str:
    return payload.replace(b"\r\n ", b"").decode("utf-8")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _keys(payload: bytes) -> set[str]:
    """The events' UIDs without the group's part: ``task-t2022-003-due`` …"""
    return {u.split("@")[0] for u in _by_uid(payload)}


def _report_months(payload: bytes) -> list[str]:
    return sorted(k.removeprefix("report-") for k in _keys(payload) if k.startswith("report-"))


def _uid_of(payload: bytes, prefix: str) -> str:
    (uid,) = [u for u in _by_uid(payload) if u.startswith(prefix + "@")]
    return uid


# --- counts against the bundled data ----------------------------------------------------------------


@pytest.mark.parametrize("as_of", ["2022-05-01", "2022-09-19", "2022-09-20", "2022-12-10", "2023-01-01", "2023-07-01"])
def test_event_counts_per_kind_follow_the_files(bundled: Path, lx: Lx, as_of: str) -> None:
    payload = _export(lx, bundled, "--as-of", as_of)
    want = _expected(bundled, d(as_of))
    assert _counts(payload) == want
    assert sum(want.values()) > 0


def test_the_counts_on_one_day_written_out(bundled: Path, lx: Lx) -> None:
    """2022-12-10: 12 open tasks and 3 done after that day; 5 milestones open; the reports of 2022-12 to
    2023-11; l2022-002 unanswered; the only meeting (2022-09-20) held."""
    counts = _counts(_export(lx, bundled, "--as-of", "2022-12-10"))
    assert counts == Counter(task_due=15, milestone=5, report_due=12, letter_reply=1)
    # before the group's start (2022-06-02) nothing is owed: 2022-05 and 2022-06 drop, 2022-07 … 2023-04 stay
    assert _report_months(_export(lx, bundled, "--as-of", "2022-05-01")) == _months(d("2022-07-01"), 10)


def test_report_dues_move_to_the_next_working_day(bundled: Path, lx: Lx) -> None:
    events = _by_uid(_export(lx, bundled, "--as-of", "2022-12-10"))
    due = {u.split("@")[0]: e["dtstart"].dt for u, e in events.items() if u.startswith("report-")}
    assert due["report-2022-12"] == d("2022-12-26")  # the 25th is a Sunday
    assert due["report-2023-01"] == d("2023-01-28")  # 春节 until 01-27; 01-28 (Saturday) is worked
    assert due["report-2023-04"] == d("2023-04-25")
    holidays = set(yaml.safe_load((bundled / "data/calendar/2023.yaml").read_text(encoding="utf-8"))["holidays"])
    workdays = set(yaml.safe_load((bundled / "data/calendar/2023.yaml").read_text(encoding="utf-8"))["workdays"])
    for month, day in due.items():
        if day.year == 2023:
            working = day in workdays or (day.weekday() < 5 and day not in holidays)
            assert working and day >= date(day.year, day.month, 25), (month, day)


# --- the shape of every event ---------------------------------------------------------------------


def test_every_event_is_all_day_with_a_reminder_and_a_unique_uid(bundled: Path, lx: Lx) -> None:
    payload = _export(lx, bundled, "--as-of", "2022-12-10")
    cal = _calendar(payload)
    assert str(cal["prodid"]).startswith("-//lx//") and str(cal["prodid"]).endswith("//ZH")
    assert (str(cal["version"]), str(cal["calscale"])) == ("2.0", "GREGORIAN")
    assert str(cal["x-wr-calname"]) == "“一老一小”一体化试点工作专班"
    assert str(cal["x-wr-timezone"]) == "Asia/Shanghai"
    events = _events(payload)
    uids = [str(e["uid"]) for e in events]
    assert len(uids) == len(set(uids)) == 33
    for event in events:
        start, end = event["dtstart"].dt, event["dtend"].dt
        assert type(start) is date and type(end) is date  # not datetimes
        assert end == start + timedelta(days=1)
        assert str(event["transp"]) == "TRANSPARENT"
        assert event["dtstamp"].dt.isoformat() == "2022-12-10T00:00:00+00:00"
        assert str(event["summary"]).startswith("【") and str(event["description"])
        (alarm,) = event.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY"
        assert alarm["trigger"].dt == timedelta(hours=-15)  # 09:00 the day before
        assert str(alarm["description"]) == f"明天：{event['summary']}"
    raw = payload.decode("utf-8")
    assert raw.count("DTSTART;VALUE=DATE:") == 33 and raw.count("TRIGGER:-PT15H") == 33


def test_the_file_is_valid_crlf_and_folded(bundled: Path, lx: Lx) -> None:
    payload = _export(lx, bundled, "--as-of", "2022-12-10")
    assert payload.startswith(b"BEGIN:VCALENDAR\r\n") and payload.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in payload.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in payload.split(b"\r\n"))  # octets, as RFC 5545 folds
    cal = _calendar(payload)
    assert all(not component.errors for component in cal.walk())
    assert _calendar(cal.to_ical()).to_ical() == cal.to_ical()


def test_titles_say_what_and_for_whom(bundled: Path, lx: Lx) -> None:
    events = _by_uid(_export(lx, bundled, "--as-of", "2022-12-10"))
    titles = {u.split("@")[0]: str(e["summary"]) for u, e in events.items()}
    assert (
        titles["task-t2022-003-due"] == "【任务到期】t2022-003 “一老一小”一体化数字平台一期上线试运行（牵头：区民政局）"
    )
    assert titles["task-t2022-003-milestone-2"] == "【节点到期】t2022-003 完成养老、托育数据归集对接（牵头：区民政局）"
    assert titles["report-2023-01"] == "【月报】2023年1月月报报送截止"
    assert titles["letter-l2022-002-reply"] == "【函件回复】l2022-002 提醒函回复期限（区人力社保局）"
    description = str(
        events[_uid_of(_export(lx, bundled, "--as-of", "2022-12-10"), "task-t2022-003-due")]["description"]
    )
    assert description.splitlines() == [
        "任务：t2022-003 “一老一小”一体化数字平台一期上线试运行",
        "目标：12月15日前平台一期上线试运行，养老、托育服务数据接入覆盖全区各镇街",
        "截止日期：2022-12-15",
        "牵头单位：区民政局",
        "配合单位：区府办、区卫生健康局、区大数据管理中心",
        "重点项目：是",
        "截至 2022-12-10：未完成，距截止 5 天",
    ]
    key = events[_uid_of(_export(lx, bundled, "--as-of", "2022-12-10"), "task-t2022-003-due")]
    assert [str(c) for c in key["categories"].cats] == ["任务", "重点项目"]


# --- stable across runs -----------------------------------------------------------------------------


def test_two_runs_are_byte_identical(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    first = _export(lx, bundled, "--as-of", "2022-12-10")
    second = _export(lx, bundled, "--as-of", "2022-12-10")
    assert first == second
    out = tmp_path / "日程.ics"
    result = lx("calendar", "--as-of", "2022-12-10", "-o", str(out), cwd=bundled)
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == first
    assert f"已生成 {out}（33 个日程）" in result.stderr
    assert result.stdout == ""


def test_an_approved_extension_moves_the_event_and_raises_its_sequence(bundled: Path, lx: Lx) -> None:
    before = _export(lx, bundled, "--as-of", "2023-03-10")
    uid = _uid_of(before, "task-t2022-011-due")
    assert "2023" not in uid  # the due date is not part of the UID
    assert (_by_uid(before)[uid]["dtstart"].dt, _by_uid(before)[uid]["sequence"]) == (d("2023-03-31"), 0)
    path = bundled / "data" / "tasks" / "t2022-011.yaml"
    extension = (
        "extensions:\n- requested: 2023-03-01\n  new_due: 2023-05-31\n  reason: 待省级文件出台\n"
        "  approved: 2023-03-05\n  by: 杜潘祚\n"
    )
    path.write_text(path.read_text(encoding="utf-8") + extension, encoding="utf-8")
    after = _export(lx, bundled, "--as-of", "2023-03-10")
    event = _by_uid(after)[uid]
    assert (event["dtstart"].dt, event["dtend"].dt, event["sequence"]) == (d("2023-05-31"), d("2023-06-01"), 1)
    assert "截止日期：2023-05-31（原定 2023-03-31，已批准延期）" in str(event["description"])
    assert len(_events(after)) == len(_events(before))
    assert set(_by_uid(after)) == set(_by_uid(before))
    # as of the day before the approval the due in force had not moved yet
    earlier = _by_uid(_export(lx, bundled, "--as-of", "2023-03-04"))[uid]
    assert (earlier["dtstart"].dt, earlier["sequence"]) == (d("2023-03-31"), 0)


def test_a_pending_extension_changes_nothing(bundled: Path, lx: Lx) -> None:
    before = _export(lx, bundled, "--as-of", "2023-03-10")
    path = bundled / "data" / "tasks" / "t2022-011.yaml"
    pending = "extensions:\n- requested: 2023-03-01\n  new_due: 2023-05-31\n  reason: 待省级文件出台\n"
    path.write_text(path.read_text(encoding="utf-8") + pending, encoding="utf-8")
    assert _export(lx, bundled, "--as-of", "2023-03-10") == before


def test_uids_name_the_group(tmp_path: Path, bundled: Path, lx: Lx) -> None:
    """Two groups' calendars never share a UID, even for the same task id."""
    base = make_repo(tmp_path / "base")
    ours = _uid_of(_export(lx, bundled, "--as-of", "2022-09-01"), "task-t2022-001-due")
    theirs = _uid_of(_export(lx, base, "--as-of", "2022-09-01"), "task-t2022-001-due")
    assert ours.split("@")[0] == theirs.split("@")[0] and ours != theirs
    assert re.fullmatch(r"task-t2022-001-due@lx-[0-9a-f]{12}", ours)
    # editing other records (here: a task's title) leaves every UID as it was
    before = set(_by_uid(_export(lx, bundled, "--as-of", "2022-09-01")))
    _edit(bundled / "data" / "tasks" / "t2022-003.yaml", "一期上线试运行\n", "一期上线\n")
    assert set(_by_uid(_export(lx, bundled, "--as-of", "2022-09-01"))) == before


# --- boundaries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", ["2022-12-14", "2022-12-15", "2022-12-16"])
def test_an_open_task_stays_on_its_due_day_before_of_and_after(bundled: Path, lx: Lx, as_of: str) -> None:
    events = _by_uid(_export(lx, bundled, "--as-of", as_of))
    event = events[_uid_of(_export(lx, bundled, "--as-of", as_of), "task-t2022-003-due")]
    assert event["dtstart"].dt == d("2022-12-15")
    left = (d("2022-12-15") - d(as_of)).days
    state = {1: "未完成，距截止 1 天", 0: "未完成，今天截止", -1: "未完成，已逾期 1 天"}[left]
    assert str(event["description"]).endswith(f"截至 {as_of}：{state}")


def test_a_task_done_is_gone_from_its_done_day(bundled: Path, lx: Lx) -> None:
    _edit(bundled / "data" / "tasks" / "t2022-003.yaml", "status: open\n", "status: done\ndone: 2022-12-15\n")
    git(bundled, "commit", "-qam", "t2022-003 完成")
    for as_of, present in (("2022-12-14", True), ("2022-12-15", False), ("2022-12-16", False)):
        uids = _keys(_export(lx, bundled, "--as-of", as_of))
        assert ("task-t2022-003-due" in uids) is present, as_of
        assert ("task-t2022-003-milestone-2" in uids) is present, as_of  # its milestones go with it


def test_a_milestone_done_is_gone(bundled: Path, lx: Lx) -> None:
    _edit(
        bundled / "data" / "tasks" / "t2022-003.yaml",
        "  due: 2022-11-30\n",
        "  due: 2022-11-30\n  done: 2022-12-01\n",
    )

    def uids(day: str) -> set[str]:
        return _keys(_export(lx, bundled, "--as-of", day))

    assert "task-t2022-003-milestone-2" in uids("2022-11-30")
    assert "task-t2022-003-milestone-2" not in uids("2022-12-01")
    assert "task-t2022-003-due" in uids("2022-12-01")


@pytest.mark.parametrize(
    ("as_of", "first", "last"),
    [
        ("2022-12-10", "2022-12", "2023-11"),
        ("2022-12-31", "2022-12", "2023-11"),  # 2022-12's due (12-26) passed, missing reports keep it
        ("2023-01-01", "2023-01", "2023-12"),  # a new month: the window moves on
    ],
)
def test_report_months_at_the_twelve_month_edge(bundled: Path, lx: Lx, as_of: str, first: str, last: str) -> None:
    months = _report_months(_export(lx, bundled, "--as-of", as_of))
    assert months[0] == first and months[-1] == last and len(months) == 12


def test_a_month_the_unit_has_reported_is_gone_from_its_calendar(bundled: Path, lx: Lx) -> None:
    """minzheng reported 2022-11 on 2022-11-24: from that day, minzheng's calendar has no 2022-11 due."""
    submitted = yaml.safe_load((bundled / "data/reports/2022-11/minzheng.yaml").read_text(encoding="utf-8"))[
        "submitted"
    ]
    for day, present in ((submitted - timedelta(days=1), True), (submitted, False)):
        keys = _keys(_export(lx, bundled, "--unit", "minzheng", "--as-of", str(day)))
        assert ("report-2022-11" in keys) is present


PLANNED = "id: 2023-q1\nkind: regular\nstatus: planned\ndate: 2023-03-20\nagenda: [听取进展, 协调卡点]\n"


@pytest.mark.parametrize(("as_of", "present"), [("2023-03-19", True), ("2023-03-20", True), ("2023-03-21", False)])
def test_a_planned_meeting_until_its_day(bundled: Path, lx: Lx, as_of: str, present: bool) -> None:
    (bundled / "data" / "meetings" / "2023-q1.yaml").write_text(PLANNED, encoding="utf-8")
    events = _by_uid(_export(lx, bundled, "--as-of", as_of))
    found = [e for u, e in events.items() if u.startswith("meeting-2023-q1@")]
    assert bool(found) is present
    if found:
        assert str(found[0]["summary"]) == "【会议】2023年第一季度专班例会"
        assert found[0]["dtstart"].dt == d("2023-03-20")
        assert "议题：\n1. 听取进展\n2. 协调卡点" in str(found[0]["description"])


@pytest.mark.parametrize(("as_of", "present"), [("2022-09-19", True), ("2022-09-20", False)])
def test_a_held_meeting_dated_later_was_still_ahead(bundled: Path, lx: Lx, as_of: str, present: bool) -> None:
    uids = set(_by_uid(_export(lx, bundled, "--as-of", as_of)))
    assert any(u.startswith("meeting-2022-q3@") for u in uids) is present


def test_a_letter_awaits_its_reply_until_replied(bundled: Path, lx: Lx) -> None:
    """l2022-001 was replied on 2022-11-16; l2022-002 never: it stays past its reply_by."""

    def uids(day: str) -> set[str]:
        return _keys(_export(lx, bundled, "--as-of", day))

    assert "letter-l2022-001-reply" in uids("2022-11-15")
    assert "letter-l2022-001-reply" not in uids("2022-11-16")
    assert "letter-l2022-001-reply" not in uids("2022-11-07")  # not issued yet
    assert "letter-l2022-002-reply" in uids("2023-01-10")


# --- --unit, --at, output -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["minzheng", "区民政局", "瓯海区民政局", "MINZHENG"])
def test_unit_by_id_name_or_alias(bundled: Path, lx: Lx, name: str) -> None:
    payload = _export(lx, bundled, "--unit", name, "--as-of", "2022-12-10")
    assert _counts(payload) == _expected(bundled, d("2022-12-10"), "minzheng")
    assert str(_calendar(payload)["x-wr-calname"]) == "“一老一小”一体化试点工作专班（区民政局）"
    whole = _by_uid(_export(lx, bundled, "--as-of", "2022-12-10"))
    assert set(_by_uid(payload)) < set(whole)  # the same UIDs as the group's calendar: no duplicates


def test_unit_filter_keeps_supported_tasks_its_letters_and_the_meetings(bundled: Path, lx: Lx) -> None:
    (bundled / "data" / "meetings" / "2023-q1.yaml").write_text(PLANNED, encoding="utf-8")
    uids = _keys(_export(lx, bundled, "--unit", "renshe", "--as-of", "2022-12-10"))
    assert "task-t2022-015-due" in uids  # renshe leads it
    assert "letter-l2022-002-reply" in uids and "meeting-2023-q1" in uids
    assert "task-t2022-003-due" not in uids
    supporting = _keys(_export(lx, bundled, "-u", "weijian", "--as-of", "2022-12-10"))
    assert {"task-t2022-001-due", "task-t2022-003-due", "task-t2022-003-milestone-2"} <= supporting
    assert "letter-l2022-002-reply" not in supporting


def test_a_unit_that_joined_later_owes_from_the_next_month(bundled: Path, lx: Lx) -> None:
    _edit(bundled / "data" / "units" / "tongji.yaml", "duties:", "since: 2023-02-10\nduties:")
    payload = _export(lx, bundled, "--unit", "tongji", "--as-of", "2022-12-10")
    assert _report_months(payload) == _months(d("2023-03-01"), 9)
    assert _counts(payload) == _expected(bundled, d("2022-12-10"), "tongji")


def test_an_unknown_unit_is_refused_with_suggestions(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    out = tmp_path / "x.ics"
    result = lx("calendar", "--unit", "民政局", "-o", str(out), cwd=bundled)
    assert result.exit_code == 1
    assert "没有名为“民政局”的单位；是否是：区民政局（minzheng）" in result.stderr
    assert not out.exists()


def test_at_reads_the_commit(bundled: Path, lx: Lx) -> None:
    _edit(bundled / "data" / "tasks" / "t2022-003.yaml", "status: open\n", "status: done\ndone: 2022-12-01\n")
    git(bundled, "commit", "-qam", "t2022-003 完成")
    now = _by_uid(_export(lx, bundled, "--as-of", "2022-12-10"))
    then = _export(lx, bundled, "--as-of", "2022-12-10", "--at", "HEAD~1")
    assert not any(u.startswith("task-t2022-003-due@") for u in now)
    assert any(u.startswith("task-t2022-003-due@") for u in _by_uid(then))
    assert _counts(then) == Counter(task_due=15, milestone=5, report_due=12, letter_reply=1)
    # a date: the last commit of that day, and the as-of is that day
    dated = lx("calendar", "--at", "2022-12-01", cwd=bundled)
    assert dated.exit_code == 0, dated.output
    assert "DTSTAMP:20221201T000000Z" in dated.stdout
    unknown = lx("calendar", "--at", "no-such-rev", cwd=bundled)
    assert unknown.exit_code == 1 and "找不到版本“no-such-rev”" in unknown.stderr


def test_output_to_stdout_and_refusals(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    dash = lx("calendar", "--as-of", "2022-12-10", "-o", "-", cwd=bundled)
    assert dash.exit_code == 0 and dash.stdout_bytes == _export(lx, bundled, "--as-of", "2022-12-10")
    folder = tmp_path / "folder"
    folder.mkdir()
    into_dir = lx("calendar", "--as-of", "2022-12-10", "-o", str(folder), cwd=bundled)
    assert into_dir.exit_code == 1 and "是一个文件夹" in into_dir.stderr
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("as_of", "months", "warned"),
    [
        ("2026-01-01", [f"2026-{m:02d}" for m in range(1, 13)], False),  # the window ends in December: all known
        ("2026-02-01", [f"2026-{m:02d}" for m in range(2, 13)], True),  # January 2027 is not known yet
        ("2026-12-01", ["2026-12"], True),
    ],
)
def test_report_dues_in_a_year_without_working_days_are_left_out_and_named(
    bundled: Path, lx: Lx, tmp_path: Path, as_of: str, months: list[str], warned: bool
) -> None:
    """Spec 6.4: never a guess. The months whose due falls in a year neither data/calendar nor the package
    knows are left out, the command says which file to add, and everything else is exported."""
    out = tmp_path / "x.ics"
    result = lx("calendar", "--as-of", as_of, "-o", str(out), cwd=bundled)
    assert result.exit_code == 0, result.stderr
    notice = "注意：2027 年的节假日安排尚未录入，该年的月报报送截止日未列入日程：请添加 data/calendar/2027.yaml"
    assert (notice in result.stderr) is warned
    events = _by_uid(out.read_bytes())
    assert sorted(u.split("@")[0] for u in events if u.startswith("report-")) == [f"report-{m}" for m in months]
    assert any(u.startswith("letter-") or u.startswith("task-") for u in events)  # the rest is there


def test_a_year_without_working_days_leaves_the_other_items(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    out = tmp_path / "x.ics"
    result = lx("calendar", "--as-of", "2098-06-01", "-o", str(out), cwd=bundled)
    assert result.exit_code == 0, result.stderr
    assert "注意：2098 年的节假日安排尚未录入" in result.stderr
    assert "注意：2099 年的节假日安排尚未录入" in result.stderr
    assert not any(u.startswith("report-") for u in _by_uid(out.read_bytes()))


def test_broken_files_still_export_and_exit_1(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    (bundled / "data" / "tasks" / "t2022-003.yaml").write_text("id: t2022-003\ntitle: [\n", encoding="utf-8")
    out = tmp_path / "x.ics"
    result = lx("calendar", "--as-of", "2022-12-10", "-o", str(out), cwd=bundled)
    assert result.exit_code == 1
    assert "t2022-003.yaml" in result.stderr
    uids = set(_by_uid(out.read_bytes()))
    assert uids and not any(u.startswith("task-t2022-003-") for u in uids)


def test_special_characters_are_escaped_and_read_back(tmp_path: Path, lx: Lx) -> None:
    title = "甲,乙;丙\n丁\\戊"
    files = {
        "data/tasks/t2022-009.yaml": (
            'id: t2022-009\ntitle: "甲,乙;丙\\n丁\\\\戊"\ntarget: "目标: a,b; c"\nlead: alpha\n'
            "due: 2022-12-31\nstatus: open\n"
        )
    }
    root = make_repo(tmp_path / "repo", files)
    payload = _export(lx, root, "--as-of", "2022-12-01")
    event = _by_uid(payload)[_uid_of(payload, "task-t2022-009-due")]
    assert str(event["summary"]) == f"【任务到期】t2022-009 {title}（牵头：甲局）"
    assert str(event["description"]).splitlines()[:3] == ["任务：t2022-009 甲,乙;丙", "丁\\戊", "目标：目标: a,b; c"]
    text = _unfolded(payload)
    assert "SUMMARY:【任务到期】t2022-009 甲\\,乙\\;丙\\n丁\\\\戊（牵头：甲局）\r\n" in text
    assert "DESCRIPTION:任务：t2022-009 甲\\,乙\\;丙\\n丁\\\\戊\\n目标：目标: a\\,b\\; c\\n" in text


def test_help_lists_both_and_init_still_works(bundled: Path, lx: Lx) -> None:
    top = lx("calendar", "--help")
    assert top.exit_code == 0
    assert "init" in top.stdout and "--unit" in top.stdout and "FILE.ics" in top.stdout
    init = lx("calendar", "init", "--help")
    assert init.exit_code == 0 and "chinese-calendar" in init.stdout
    misplaced = lx("calendar", "--as-of", "2023-01-01", "init", "2024", cwd=bundled)
    assert misplaced.exit_code == 2 and "--as-of 是导出日程的选项" in misplaced.stderr
    assert not (bundled / "data" / "calendar" / "2024.yaml").exists()
    made = lx("calendar", "init", "2024", cwd=bundled)
    assert made.exit_code == 0, made.output
    assert (bundled / "data" / "calendar" / "2024.yaml").exists()


# --- the domain function directly -------------------------------------------------------------------


def test_deadlines_order_and_keys() -> None:
    ds = dataset(
        grp=group(started=d("2022-06-01")),
        units=[unit("a"), unit("b", reports=False)],
        tasks=[
            task("t2", "2022-07-10", support=["b"], milestones=[{"name": "m", "due": d("2022-07-05")}]),
            task("t1", "2022-07-10"),
            task("t3", "2022-07-01", status="cancelled"),
        ],
    )
    result = deadlines(ds, d("2022-07-01"))
    assert [(i.key, i.day) for i in result.items[:4]] == [
        ("task-t2-milestone-1", d("2022-07-05")),
        ("task-t1-due", d("2022-07-10")),
        ("task-t2-due", d("2022-07-10")),
        ("report-2022-07", d("2022-07-25")),
    ]
    assert result.items[2].units == ("a", "b")
    assert [i.kind for i in result.items].count("report_due") == 12
    assert all(i.units == ("a",) for i in result.items if i.kind == "report_due")  # b owes no reports
    only_b = deadlines(ds, d("2022-07-01"), "b")
    assert [i.key for i in only_b.items] == ["task-t2-milestone-1", "task-t2-due"]
    payload = ics(result, View({"a": "甲局", "b": "乙局"}))
    assert len(_events(payload)) == len(result.items)


def test_a_month_every_owing_unit_has_reported_is_gone() -> None:
    units = [unit("a"), unit("b")]
    both = [report("a", "2022-07", "2022-07-20"), report("b", "2022-07", "2022-07-22")]
    ds = dataset(grp=group(started=d("2022-06-01")), units=units, reports=both)
    items = {i.key: i for i in deadlines(ds, d("2022-07-21")).items}
    assert items["report-2022-07"].units == ("b",)  # a has reported; b not yet
    assert "report-2022-07" not in {i.key for i in deadlines(ds, d("2022-07-22")).items}
    assert items["report-2022-08"].units == ("a", "b")


def test_control_characters_never_reach_the_file() -> None:
    """Files cannot hold them (validation refuses), but a record built otherwise is shown safely."""
    ds = dataset(tasks=[task("t1", "2022-07-10", title="甲\x1b[31m乙")])
    payload = ics(deadlines(ds, d("2022-07-01")), View({"a": "甲局"}))
    assert b"\x1b" not in payload
    assert str(_events(payload)[0]["summary"]) == "【任务到期】t1 甲\ufffd[31m乙（牵头：甲局）"


def test_a_calendar_with_nothing_due_is_still_a_valid_calendar(tmp_path: Path, lx: Lx) -> None:
    """RFC 5545: a VCALENDAR holds at least one component. With no event, the time zone is that one."""
    assert lx("init", str(tmp_path / "empty"), "--name", "测试专班").exit_code == 0
    result = lx("calendar", "--as-of", "2022-12-10", cwd=tmp_path / "empty")
    assert result.exit_code == 0, result.output
    cal = Calendar.from_ical(result.stdout_bytes)
    assert [c.name for c in cal.subcomponents] == ["VTIMEZONE"]
    assert cal.subcomponents[0]["TZID"] == cal["X-WR-TIMEZONE"] == "Asia/Shanghai"
    assert not cal.walk("VEVENT")
