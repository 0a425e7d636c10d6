"""Groups of units (spec 6.11, 各镇街): a task a group leads or supports is each member's — in overdue, letters
(each member on its own ladder), scores, status, progress, checklists, calendars and handovers — a group owes
no report, has no liaison and gets no letter, and ``--unit 各镇街`` shows its members together."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from laoxiao_cli.domain import rules
from laoxiao_cli.domain.calendar import Period
from laoxiao_cli.domain.checklist import checklist
from laoxiao_cli.domain.letters import discretionary, letters_due
from laoxiao_cli.domain.overdue import overdue
from laoxiao_cli.domain.progress import progress
from laoxiao_cli.domain.reports import month_reports
from laoxiao_cli.domain.score import scores
from laoxiao_cli.domain.status import status
from laoxiao_cli.domain.units import role
from laoxiao_cli.errors import LxError
from laoxiao_cli.model.dataset import Dataset
from tests.conftest import Lx, git, make_repo
from tests.factory import d, dataset, group, letter, report, task, unit

MEMBERS = ["jingshan", "wutian", "nanbaixiang", "chashan", "louqiao", "xinqiao", "sanyang", "quxi", "guoxi"]
MEMBERS += ["panqiao", "liao", "xianyan", "zeya"]
"""The bundled 各镇街's members, in roster order."""


def _ds(*, letters: list[Any] | None = None, reports: list[Any] | None = None, **units: Any) -> Dataset:
    """Units g (a group of a and b), a, b, c; t1 led by g, t2 led by c with g supporting, t3 led by a; all
    due 2022-09-30 and open. ``units``: fields to set on a unit (by id)."""
    made = [unit("c", **units.get("c", {})), unit("g", members=["a", "b"], **units.get("g", {}))]
    made += [unit(uid, **units.get(uid, {})) for uid in ("a", "b")]
    roster = group(units=["c", "g", "a", "b"])
    tasks = [task("t1", "2022-09-30", "g"), task("t2", "2022-09-30", "c", support=["g"])]
    tasks.append(task("t3", "2022-09-30", "a", weight=2))
    return dataset(grp=roster, units=made, tasks=tasks, letters=letters, reports=reports)


# --- the fan-out, in one place ---------------------------------------------------------------------


def test_a_groups_part_passes_to_its_members_in_roster_order() -> None:
    ds = _ds()
    t1, t2, t3 = (ds.tasks[t] for t in ("t1", "t2", "t3"))
    assert ds.groups == {"g": ("a", "b")} and ds.group_of == {"a": "g", "b": "g"}
    assert ds.lead_units(t1) == ("a", "b") and ds.support_units(t1) == ()
    assert ds.lead_units(t2) == ("c",) and ds.support_units(t2) == ("a", "b")
    assert ds.lead_units(t3) == ("a",) and ds.responsible("c") == ("c",) and ds.responsible("g") == ("a", "b")
    assert ds.members("c") == () and ds.members("g") == ("a", "b")
    assert [t.id for t in ds.tasks_by_unit["a"]] == ["t1", "t2", "t3"]
    assert [t.id for t in ds.tasks_by_unit["g"]] == ["t1", "t2"]
    assert (role(ds, t1, "a"), role(ds, t2, "b"), role(ds, t3, "b"), role(ds, t1, "g")) == (
        "lead",
        "support",
        None,
        "lead",
    )


# --- overdue ---------------------------------------------------------------------------------------


def _rows(ds: Dataset, day: str, unit_id: str | None) -> list[tuple[str, str, str | None, str | None]]:
    return [(i.id, i.unit or "", i.role, i.next_letter) for i in overdue(ds, d(day), unit_id).items if i.kind == "task"]


def test_overdue_lists_a_group_task_once_without_unit_and_once_per_member_with_one() -> None:
    ds = _ds()
    assert _rows(ds, "2022-10-01", None) == [
        ("t1", "g", "lead", None),
        ("t2", "c", "lead", None),
        ("t3", "a", "lead", None),
    ]
    assert _rows(ds, "2022-10-01", "a") == [
        ("t1", "a", "lead", None),
        ("t2", "a", "support", None),
        ("t3", "a", "lead", None),
    ]
    assert _rows(ds, "2022-10-01", "b") == [("t1", "b", "lead", None), ("t2", "b", "support", None)]
    # --unit g: its members together, each row labelled with the member, never with the group
    assert _rows(ds, "2022-10-01", "g") == [
        ("t1", "a", "lead", None),
        ("t1", "b", "lead", None),
        ("t2", "a", "support", None),
        ("t2", "b", "support", None),
        ("t3", "a", "lead", None),
    ]
    assert _rows(ds, "2022-10-01", "c") == [("t2", "c", "lead", None)]


@pytest.mark.parametrize(
    ("day", "level"), [("2022-10-06", None), ("2022-10-07", "reminder"), ("2022-10-08", "reminder")]
)
def test_each_member_reaches_the_reminder_on_the_same_day(day: str, level: str | None) -> None:
    ds = _ds()
    assert [r[3] for r in _rows(ds, day, "g") if r[0] == "t1"] == [level, level]
    assert _rows(ds, day, None)[0] == ("t1", "g", "lead", level)  # without --unit: the highest due to a member


# --- letters: each member on its own ladder --------------------------------------------------------


def test_a_letter_to_one_member_moves_only_that_members_ladder() -> None:
    sent = letter("l1", "reminder", ["t1"], "2022-10-10", "2022-10-20", unit_id="a")
    ds = _ds(letters=[sent])
    t1 = ds.tasks["t1"]
    assert rules.escalation(ds, t1, d("2022-10-21"), "a").previous == sent
    assert rules.escalation(ds, t1, d("2022-10-21"), "b").previous is None
    # a's reply_by (10-20) and the assignment threshold (21 days past 09-30: 10-21) hold a's next letter
    for day, a_next in (("2022-10-20", None), ("2022-10-21", "assignment"), ("2022-10-22", "assignment")):
        assert rules.next_letter(ds, t1, d(day), "a") == a_next
        assert rules.next_letter(ds, t1, d(day), "b") == "reminder"  # b still owes its first letter
        assert rules.next_letter(ds, t1, d(day)) == (a_next or "reminder")
    due = [(x.unit, x.kind, [t.task.id for t in x.tasks]) for x in letters_due(ds, d("2022-10-21"))]
    assert due == [
        ("c", "reminder", ["t2"]),
        ("a", "reminder", ["t3"]),
        ("a", "assignment", ["t1"]),
        ("b", "reminder", ["t1"]),
    ]
    assert [(x.unit, x.kind) for x in letters_due(ds, d("2022-10-21"), "g")] == [
        ("a", "reminder"),
        ("a", "assignment"),
        ("b", "reminder"),
    ]
    assert [(x.unit, x.kind) for x in letters_due(ds, d("2022-10-21"), "b")] == [("b", "reminder")]


def test_a_discretionary_letter_goes_to_every_member_or_the_one_named() -> None:
    ds = _ds()
    every = discretionary(ds, "t1", "reminder", "进度滞后", d("2022-09-20"))
    assert [(x.unit, x.id, x.number) for x, _ in every] == [("a", "l2022-001", 1), ("b", "l2022-002", 2)]
    (only,) = discretionary(ds, "t1", "reminder", "进度滞后", d("2022-09-20"), unit="b")
    assert only[0].unit == "b" and only[1].unit_name == "b局"
    with pytest.raises(LxError, match="不牵头任务 t1"):
        discretionary(ds, "t1", "reminder", "进度滞后", d("2022-09-20"), unit="c")
    answered = _ds(letters=[letter("l2022-001", "reminder", ["t1"], "2022-09-10", "2022-09-20", unit_id="b")])
    with pytest.raises(LxError, match="已有一份发给 b局 的同级函件 l2022-001"):
        discretionary(answered, "t1", "reminder", "进度滞后", d("2022-09-20"))
    (to_a,) = discretionary(answered, "t1", "reminder", "进度滞后", d("2022-09-20"), unit="a")
    assert to_a[0].unit == "a"


# --- reports, scores, status -----------------------------------------------------------------------


def test_a_group_owes_no_report_and_its_members_do_from_their_since() -> None:
    ds = _ds(b={"since": d("2022-08-15")})
    g, a, b = ds.units["g"], ds.units["a"], ds.units["b"]
    assert rules.missing_reports(ds, g, d("2022-12-31")) == [] and not rules.owes_report(ds, g, "2022-07")
    assert rules.missing_reports(ds, a, d("2022-09-26")) == ["2022-07", "2022-08", "2022-09"]
    # b joined on 08-15: it owes from September, the first month beginning after; 09-25 is due, not yet late
    assert rules.missing_reports(ds, b, d("2022-09-25")) == []
    assert rules.missing_reports(ds, b, d("2022-09-26")) == ["2022-09"]
    rows = {r.unit: r.state for r in month_reports(ds, "2022-08", d("2022-12-31")).rows}
    assert rows == {"c": "missing", "g": "not_owed", "a": "missing", "b": "not_owed"}


def _q3_reports(*missing: tuple[str, str]) -> list[Any]:
    months = ("2022-07", "2022-08", "2022-09")
    return [report(u, m, f"{m}-20") for u in ("a", "b", "c") for m in months if (u, m) not in missing]


@pytest.mark.parametrize(
    ("as_of", "b_missing"),
    [("2022-09-25", 0), ("2022-09-26", 1), ("2022-09-27", 1)],  # b's September report is due on 09-25
)
def test_each_member_gets_its_own_score_line_and_its_own_penalty(as_of: str, b_missing: int) -> None:
    ds = _ds(reports=_q3_reports(("b", "2022-09")))
    done = ds.tasks["t1"].model_copy(update={"status": "done", "done": d("2022-09-28")})
    ds = Dataset.build(ds.group, {"unit": ds.units, "task": {**ds.tasks, "t1": done}, "report": dict(ds.reports)})
    result = scores(ds, Period("2022-Q3", date(2022, 7, 1), date(2022, 9, 30)), as_of=d(as_of))
    rows = {r.id: r for r in result.units}
    assert list(rows) == ["c", "a", "b"]  # roster order; the group has no line of its own
    assert rows["a"].task_ids == ["t1", "t3"] and rows["b"].task_ids == ["t1"] and rows["c"].task_ids == ["t2"]
    assert (rows["a"].missing_reports, rows["b"].missing_reports, rows["c"].missing_reports) == (0, b_missing, 0)
    assert rows["b"].penalty == 2.0 * b_missing and rows["a"].penalty == 0.0
    # t1 done on 09-28, in time for the members (due 09-30): once judged after it was done
    if as_of >= "2022-09-28":
        assert rows["b"].score == 100.0 - 2.0 * b_missing
    else:
        assert rows["b"].score == max(0.0, 0.0 - 2.0 * b_missing)


def test_status_counts_a_group_task_for_the_group_and_for_each_member() -> None:
    ds = _ds()
    rows = {r.id: (r.lead_open, r.lead_overdue, r.missing_reports) for r in status(ds, d("2022-10-01")).units}
    assert rows["g"] == (1, 1, [])
    assert rows["a"][:2] == (2, 2) and rows["b"][:2] == (1, 1) and rows["c"][:2] == (1, 1)


def test_progress_and_checklist_of_a_member_and_of_the_group() -> None:
    ds = _ds()
    assert [g.task.id for g in progress(ds, d("2022-09-01"), "b").items] == ["t1"]
    assert [g.task.id for g in progress(ds, d("2022-09-01"), "g").items] == ["t1", "t3"]
    assert all(g.task.lead in ("g", "a") for g in progress(ds, d("2022-09-01"), "g").items)
    rows = {r.id: r.role for r in checklist(ds, d("2022-09-01"), "b").tasks}
    assert rows == {"t1": "lead", "t2": "support"}
    assert [t.task for t in checklist(ds, d("2022-09-01"), "b").targets] == ["t1"]
    assert {r.id: r.role for r in checklist(ds, d("2022-09-01"), "g").tasks} == {
        "t1": "lead",
        "t2": "support",
        "t3": "lead",
    }


# --- on the bundled data ---------------------------------------------------------------------------


def _json(lx: Lx, cwd: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    result = lx(*args, "--format", "json", cwd=cwd, env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_overdue_unit_zhenjie_lists_its_task_once_per_member(bundled: Path, lx: Lx) -> None:
    out = _json(lx, bundled, "overdue", "--unit", "各镇街", "--as-of", "2022-12-31")
    assert out["unit"] == "zhenjie"
    tasks = [i for i in out["items"] if i["kind"] == "task"]
    assert [i["unit"] for i in tasks] == MEMBERS
    assert {(i["id"], i["role"], i["next_letter"], i["days_late"]) for i in tasks} == {
        ("t2022-020", "lead", "reminder", 46)
    }
    milestones = [i for i in out["items"] if i["kind"] == "milestone"]
    assert [(i["id"], i["unit"]) for i in milestones] == [("t2022-020#2", m) for m in MEMBERS]
    reports = [(i["id"], i["days_late"]) for i in out["items"] if i["kind"] == "report"]
    assert reports == [("2022-09/sanyang", 96), ("2022-12/xianyan", 5)]
    assert all(i["unit"] != "zhenjie" for i in out["items"])
    one = _json(lx, bundled, "overdue", "--unit", "景山街道", "--as-of", "2022-12-31")
    assert [(i["kind"], i["id"], i["unit"], i["role"]) for i in one["items"]] == [
        ("task", "t2022-020", "jingshan", "lead"),
        ("milestone", "t2022-020#2", "jingshan", "lead"),
    ]
    whole = _json(lx, bundled, "overdue", "--as-of", "2022-12-31")
    rows = [(i["unit"], i["role"], i["next_letter"]) for i in whole["items"] if i["id"] == "t2022-020"]
    assert rows == [("zhenjie", "lead", "reminder")]  # without --unit: once, for the task's own lead


def test_letters_issue_to_one_member_leaves_the_others_due(bundled: Path, lx: Lx) -> None:
    env = {"LX_TODAY": "2023-01-05"}
    due = _json(lx, bundled, "letters", "--as-of", "2022-12-31")
    to_members = [x["unit"] for x in due["letters"] if "t2022-020" in [t["id"] for t in x["tasks"]]]
    assert to_members == MEMBERS
    result = lx(
        "letters",
        "issue",
        "--unit",
        "景山街道",
        "--as-of",
        "2022-12-31",
        "-o",
        str(bundled / "out"),
        cwd=bundled,
        env=env,
    )
    assert result.exit_code == 0, result.output
    (issued,) = [
        p for p in (bundled / "data" / "letters").glob("*.yaml") if "jingshan" in p.read_text(encoding="utf-8")
    ]
    assert "unit: jingshan\ntasks:\n- t2022-020\n" in issued.read_text(encoding="utf-8")
    after = _json(lx, bundled, "letters", "--as-of", "2022-12-31")
    still = [x["unit"] for x in after["letters"] if "t2022-020" in [t["id"] for t in x["tasks"]]]
    assert still == MEMBERS[1:]
    overdue_rows = _json(lx, bundled, "overdue", "--unit", "各镇街", "--as-of", "2022-12-31")["items"]
    nexts = {i["unit"]: i["next_letter"] for i in overdue_rows if i["kind"] == "task"}
    assert nexts["jingshan"] is None and {nexts[m] for m in MEMBERS[1:]} == {"reminder"}
    # the rest, one letter each, in one commit; then nothing more is due for the task that day
    result = lx(
        "letters",
        "issue",
        "--unit",
        "各镇街",
        "--as-of",
        "2022-12-31",
        "-o",
        str(bundled / "out"),
        cwd=bundled,
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert git(bundled, "show", "--name-only", "--format=", "HEAD").count("data/letters/") == 12
    assert lx("validate", cwd=bundled).exit_code == 0
    final = _json(lx, bundled, "letters", "--as-of", "2022-12-31")
    assert not [x for x in final["letters"] if "t2022-020" in [t["id"] for t in x["tasks"]]]


def test_scores_status_and_codeowners_of_the_bundled_members(bundled: Path, lx: Lx) -> None:
    score = _json(lx, bundled, "score", "--period", "2022-H2")
    ids = [u["id"] for u in score["units"]]
    assert "zhenjie" not in ids and ids[-13:] == MEMBERS
    by_id = {u["id"]: u for u in score["units"]}
    assert all(by_id[m]["task_ids"] == ["t2022-020"] and by_id[m]["weight"] == 3 for m in MEMBERS)
    assert {m for m in MEMBERS if by_id[m]["missing_reports"]} == {"sanyang", "xianyan"}
    assert by_id["sanyang"]["penalty"] == 2.0 and by_id["jingshan"]["penalty"] == 0.0
    state = _json(lx, bundled, "status", "--as-of", "2022-12-31")
    rows = {u["id"]: u for u in state["units"]}
    assert rows["zhenjie"]["lead_overdue"] == 1 and rows["zhenjie"]["missing_reports"] == []
    assert all(rows[m]["lead_overdue"] == 1 for m in MEMBERS)
    assert rows["xianyan"]["missing_reports"] == ["2022-12"]
    owners = lx("codeowners", cwd=bundled)
    assert owners.exit_code == 0, owners.output
    assert "/units/zhenjie.yaml" not in owners.stdout and "/reports/*/jingshan.yaml" in owners.stdout


def test_one_unit_commands_refuse_the_group_naming_its_members(bundled: Path, lx: Lx) -> None:
    head = git(bundled, "rev-parse", "HEAD")
    env = {"LX_TODAY": "2023-01-05"}
    for args in (
        ["handover", "--unit", "各镇街", "--role", "liaison", "--to", "张三"],
        ["reports", "new", "--unit", "各镇街", "--month", "2022-12"],
    ):
        result = lx(*args, cwd=bundled, env=env)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert (
            "是单位组" in result.output
            and "景山街道（jingshan）" in result.output
            and "泽雅镇（zeya）" in result.output
        )
    form = lx(
        "reports", "form", "--unit", "各镇街", "--month", "2022-12", "-o", str(bundled / "f.xlsx"), cwd=bundled, env=env
    )
    assert form.exit_code == 1 and "是单位组" in form.output and not (bundled / "f.xlsx").exists()
    assert git(bundled, "rev-parse", "HEAD") == head
    assert git(bundled, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_group_may_lead_a_new_task(bundled: Path, lx: Lx) -> None:
    result = lx(
        "task", "new", "--title", "镇街托育点建设", "--target", "每个镇街建成1个托育点", "--lead", "各镇街",
        "--due", "2023-06-30", "--format", "json", cwd=bundled, env={"LX_TODAY": "2023-01-05"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (task_id,) = json.loads(result.stdout)["ids"]
    calendar = lx("calendar", "--unit", "泽雅镇", "--as-of", "2023-01-05", "-o", "-", cwd=bundled)
    assert calendar.exit_code == 0, calendar.output
    assert f"task-{task_id}-due" in calendar.stdout and "task-t2022-020-due" in calendar.stdout


def test_a_member_removed_from_the_group_makes_its_reports_findings_on_a_warm_cache(bundled: Path, lx: Lx) -> None:
    """The incremental validation re-checks every report when a group's members change."""
    assert lx("validate", cwd=bundled).exit_code == 0  # the cache is warm
    path = bundled / "data" / "units" / "zhenjie.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- jingshan\n", "", 1), encoding="utf-8")
    result = lx("validate", "--format", "json", cwd=bundled)
    assert result.exit_code == 1
    errors = json.loads(result.stdout)["errors"]
    assert sorted(e["file"] for e in errors) == [f"data/reports/2022-{m:02d}/jingshan.yaml" for m in range(7, 13)]
    assert all("既不牵头也不配合" in e["message"] and e["line"] is not None for e in errors)


GROUP_FILES = {
    "data/units/zj.yaml": "id: zj\nname: 各镇街\nkind: street\nmembers: [gamma]\nduties: []\n",
    "data/units/gamma.yaml": "id: gamma\nname: 丙街道\nkind: street\nduties: []\n",
}


def test_json_of_units_that_are_no_group_is_unchanged_by_a_group(tmp_path: Path, lx: Lx) -> None:
    plain = make_repo(tmp_path / "plain")
    grouped = make_repo(tmp_path / "grouped", GROUP_FILES)
    keep = {"alpha", "beta"}

    def views(root: Path) -> dict[str, Any]:
        day = ["--as-of", "2022-12-31"]
        over = _json(lx, root, "overdue", *day)
        state = _json(lx, root, "status", *day)
        score = _json(lx, root, "score", "--period", "2022-H2")
        return {
            "overdue": [i for i in over["items"] if i["unit"] in keep or i["kind"] == "meeting"],
            "overdue_alpha": _json(lx, root, "overdue", "--unit", "alpha", *day),
            "status_units": [u for u in state["units"] if u["id"] in keep],
            "status_tasks": state["tasks"],
            "score": [u for u in score["units"] if u["id"] in keep],
            "letters": _json(lx, root, "letters", *day),
            "progress": _json(lx, root, "progress", *day),
        }

    before, after = views(plain), views(grouped)
    assert before == after
    assert set(before["overdue"][0]) == {
        "kind",
        "id",
        "unit",
        "role",
        "title",
        "due",
        "days_late",
        "next_letter",
        "colour",
    }
    assert set(before["score"][0]) >= {"id", "name", "score", "tasks", "earned", "missing_reports", "penalty", "weight"}


def test_each_member_sees_its_own_reported_percent(bundled: Path, lx: Lx) -> None:
    """序时进度 under `--unit 街道` is that member's own figure from its own report, not another member's
    (the members reported different percents for t2022-020 in 2022-12)."""

    members = yaml.safe_load((bundled / "data/units/zhenjie.yaml").read_text(encoding="utf-8"))["members"]
    own = {}
    for member in members:
        path = bundled / f"data/reports/2022-12/{member}.yaml"
        if path.exists():  # a member that missed December is judged on an earlier month: not this test's point
            report = yaml.safe_load(path.read_text(encoding="utf-8"))
            own[member] = next(p["percent"] for p in report["progress"] if p["task"] == "t2022-020")
    assert len(set(own.values())) > 1  # otherwise this test could not tell them apart
    for member, percent in own.items():
        got = json.loads(lx("progress", "--unit", member, "--as-of", "2022-12-31", "-f", "json", cwd=bundled).stdout)
        (item,) = [i for i in got["items"] if i["task"] == "t2022-020"]
        assert item["reported"] == percent, member
        listed = json.loads(
            lx("checklist", "--unit", member, "--as-of", "2022-12-31", "-f", "json", cwd=bundled).stdout
        )
        (row,) = [t for t in listed["items"] if t["id"] == "t2022-020"]
        assert row["reported"] == percent, member
