"""Build small Datasets in memory for rule tests (the file pipeline is tested elsewhere)."""

from __future__ import annotations

from datetime import date
from typing import Any

from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Group, Letter, Meeting, Report, Task, Unit


def d(text: str) -> date:
    return date.fromisoformat(text)


def group(**over: Any) -> Group:
    data: dict[str, Any] = {
        "name": "专班",
        "document": {},
        "started": d("2022-06-02"),
        "leaders": [{"name": "组长甲", "title": "书记"}],
        "deputy_leaders": [{"name": "副组长乙", "title": "副区长", "coordinator": True}],
        "office": {},
    }
    data.update(over)
    return Group.model_validate(data)


def unit(uid: str, **over: Any) -> Unit:
    return Unit.model_validate({"id": uid, "name": f"{uid}局", "kind": "department", "duties": [], **over})


def task(tid: str, due: str, lead: str = "a", **over: Any) -> Task:
    data: dict[str, Any] = {
        "id": tid,
        "title": f"任务{tid}",
        "target": "t",
        "lead": lead,
        "due": d(due),
        "status": "open",
    }
    for key, value in over.items():
        data[key] = d(value) if key in ("done", "start") and isinstance(value, str) else value
    if "done" in over and "status" not in over:
        data["status"] = "done"
    return Task.model_validate(data)


def letter(
    lid: str, kind: str, tasks: list[str], issued: str, reply_by: str, unit_id: str = "a", replied: str | None = None
) -> Letter:
    return Letter.model_validate(
        {
            "id": lid,
            "kind": kind,
            "unit": unit_id,
            "tasks": tasks,
            "issued": d(issued),
            "reply_by": d(reply_by),
            "replied": d(replied) if replied else None,
        }
    )


def report(unit_id: str, month: str, submitted: str) -> Report:
    return Report.model_validate({"unit": unit_id, "month": month, "submitted": d(submitted)})


def meeting(mid: str, day: str, kind: str = "regular", status: str = "held") -> Meeting:
    data: dict[str, Any] = {"id": mid, "kind": kind, "status": status, "date": d(day)}
    if status == "held":
        data["chair"] = "组长甲"
    return Meeting.model_validate(data)


def dataset(
    *,
    grp: Group | None = None,
    units: list[Unit] | None = None,
    tasks: list[Task] | None = None,
    meetings: list[Meeting] | None = None,
    reports: list[Report] | None = None,
    letters: list[Letter] | None = None,
) -> Dataset:
    return Dataset.build(
        grp or group(),
        {
            "unit": {u.id: u for u in (units if units is not None else [unit("a"), unit("b")])},
            "task": {t.id: t for t in tasks or []},
            "meeting": {m.id: m for m in meetings or []},
            "letter": {x.id: x for x in letters or []},
            "report": {(r.month, r.unit): r for r in reports or []},
        },
    )
