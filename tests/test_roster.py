"""The roster (spec 6.1): group.yaml ``units`` lists every unit once, in the notice's order, and every
listing of units follows it; without it, file-name order."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from laoxiao_cli.domain.agenda import agenda
from laoxiao_cli.domain.calendar import parse_period
from laoxiao_cli.domain.checklist import checklist
from laoxiao_cli.domain.letters import letters_due
from laoxiao_cli.domain.overdue import overdue
from laoxiao_cli.domain.score import scores
from laoxiao_cli.domain.status import status
from laoxiao_cli.model.dataset import Dataset
from tests import factory as f
from tests.conftest import EXAMPLES, Lx, make_repo

AS_OF = date(2022, 12, 31)
FILE_ORDER = ["alpha", "beta", "gamma"]
ROSTER = ["gamma", "alpha", "beta"]


def _ds(roster: list[str] | None) -> Dataset:
    units = [f.unit(u, duties=[{"id": f"{u}.1", "text": f"{u}的职责"}]) for u in FILE_ORDER]
    tasks = [f.task(f"t2022-00{n}", "2022-09-30", lead=u) for n, u in enumerate(FILE_ORDER, start=1)]
    grp = f.group(units=roster) if roster is not None else f.group()
    return f.dataset(grp=grp, units=units, tasks=tasks)


def _listings(ds: Dataset) -> dict[str, list[str]]:
    missing = [i.unit or "" for i in overdue(ds, AS_OF).items if i.kind == "report" and i.id.startswith("2022-07/")]
    return {
        "dataset": list(ds.units),
        "status": [row.id for row in status(ds, AS_OF).units],
        "overdue reports": missing,
        "checklist duties": list(dict.fromkeys(row.unit for row in checklist(ds, AS_OF).duties)),
        "score": [row.id for row in scores(ds, parse_period("2022")).units],
        "letters": [letter.unit for letter in letters_due(ds, AS_OF)],
        "agenda units": [uid for uid, _name in agenda(ds, AS_OF).units],
        "agenda overdue": [name for name, _items in agenda(ds, AS_OF).overdue_by_unit],
    }


def test_every_listing_follows_the_roster() -> None:
    got = _listings(_ds(ROSTER))
    names = [f"{u}局" for u in ROSTER]
    assert got == {key: names if key == "agenda overdue" else ROSTER for key in got}


def test_without_a_roster_file_name_order() -> None:
    got = _listings(_ds(None))
    names = [f"{u}局" for u in FILE_ORDER]
    assert got == {key: names if key == "agenda overdue" else FILE_ORDER for key in got}


def test_a_roster_changed_alone_reorders_the_units() -> None:
    """The units are ordered whenever a dataset is built, even when their table came in order already."""
    ds = _ds(None)
    again = Dataset.build(f.group(units=ROSTER), {"unit": ds.units}, in_order=frozenset({"unit"}))
    assert list(again.units) == ROSTER


GROUP = (
    (EXAMPLES / "base" / "data" / "group.yaml")
    .read_text(encoding="utf-8")
    .replace("rules:\n", "units: [beta, alpha]\nrules:\n")
)


def test_status_json_and_overdue_in_roster_order(tmp_path: Path, lx: Lx) -> None:
    root = make_repo(tmp_path / "r", {"data/group.yaml": GROUP})
    result = lx("status", "--as-of", "2022-12-31", "--format", "json", cwd=root)
    assert result.exit_code == 0, result.output
    assert [u["id"] for u in json.loads(result.stdout)["units"]] == ["beta", "alpha"]
    result = lx("score", "--period", "2022", "--format", "json", cwd=root)
    assert result.exit_code == 0, result.output
    assert [u["id"] for u in json.loads(result.stdout)["units"]] == ["beta", "alpha"]


def _validate(tmp_path: Path, lx: Lx, roster: str) -> list[str]:
    group = (EXAMPLES / "base" / "data" / "group.yaml").read_text(encoding="utf-8")
    root = make_repo(tmp_path / "r", {"data/group.yaml": group.replace("rules:\n", roster + "rules:\n")})
    result = lx("validate", cwd=root)
    assert result.exit_code == 1, result.output
    return [line for line in result.stdout.splitlines() if line.startswith("data/")]


def test_unknown_id_names_the_closest(tmp_path: Path, lx: Lx) -> None:
    assert _validate(tmp_path, lx, "units:\n  - alpha\n  - betta\n") == [
        "data/group.yaml:17:3: 成员单位名单（units）缺少 beta：名单须按通知顺序列出 units/ 下的每个单位，各一次",
        "data/group.yaml:18:5: 成员单位名单（units）中的“betta”不是已有单位（units/ 下没有 betta.yaml），是否是：beta？",
    ]


def test_repeated_id(tmp_path: Path, lx: Lx) -> None:
    assert _validate(tmp_path, lx, "units: [beta, alpha, beta]\n") == [
        "data/group.yaml:16:22: 成员单位名单（units）中“beta”重复：每个单位只列一次"
    ]


def test_missing_unit(tmp_path: Path, lx: Lx) -> None:
    assert _validate(tmp_path, lx, "units: [alpha]\n") == [
        "data/group.yaml:16:8: 成员单位名单（units）缺少 beta：名单须按通知顺序列出 units/ 下的每个单位，各一次"
    ]


def test_a_broken_unit_file_is_listed_rightly(tmp_path: Path, lx: Lx) -> None:
    """A unit whose file is invalid is reported in its own file, not as unknown to the roster."""
    group = GROUP
    root = make_repo(tmp_path / "r", {"data/group.yaml": group, "data/units/beta.yaml": "id: beta\nname: 乙局\n"})
    result = lx("validate", cwd=root)
    assert result.exit_code == 1
    assert "units）" not in result.stdout and "data/units/beta.yaml" in result.stdout
