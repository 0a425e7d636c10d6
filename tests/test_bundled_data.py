"""The bundled 瓯海 data validates and transcribes the notice (docs/notice/) character by character."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Unit
from laoxiao_cli.repo.loader import load_dir
from tests.conftest import BUNDLED, ROOT

NOTICE = (ROOT / "docs" / "notice" / "banhan-2022-6.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ds(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    # a copy outside any Git repository, loaded without the cache: nothing is written into the checkout
    # (nor, as this fixture runs before the per-test HOME is set, into the user's cache folder)
    copy = tmp_path_factory.mktemp("bundled") / "data"
    shutil.copytree(BUNDLED, copy)
    loaded = load_dir(copy, use_cache=False)
    assert loaded.findings == []
    assert loaded.dataset is not None
    return loaded.dataset


def _section(start: str, end: str) -> str:
    return NOTICE[NOTICE.index(start) + len(start) : NOTICE.index(end)]


def _flat(text: str) -> str:
    # the notice's paragraphs hold no line breaks of their own: every break inside one is a page break
    return text.replace("\n", "").strip()


STREETS = ["jingshan", "wutian", "nanbaixiang", "chashan", "louqiao", "xinqiao", "sanyang", "quxi", "guoxi"]
STREETS += ["panqiao", "liao", "xianyan", "zeya"]
"""The members of the notice's 各镇街 (not in the notice): 12 街道 and 泽雅镇, in the order of their codes."""


def _notice_units(ds: Dataset) -> list[Unit]:
    """The 31 units of the notice: every unit but the members of 各镇街."""
    return [u for u in ds.units.values() if u.id not in ds.group_of]


def test_validates_clean_and_holds_31_units(ds: Dataset) -> None:
    assert len(_notice_units(ds)) == 31
    assert len([u for u in ds.units.values() if u.kind != "street"]) == 30
    assert len(ds.units) == 31 + 13
    assert len(ds.tasks) >= 20


def test_zhenjie_is_the_group_of_the_12_streets_and_zeya(ds: Dataset) -> None:
    """The notice's 各镇街 keeps its duty text and becomes a group (spec 6.11) of the district's 12 街道 and
    泽雅镇, each a unit file marked as not from the notice, with no person and no duty invented."""
    group = ds.units["zhenjie"]
    assert group.members == STREETS and ds.members("zhenjie") == tuple(STREETS)
    assert [d.id for d in group.duties] == ["zhenjie.1"] and group.liaison is None and group.member is None
    assert group.reports is False
    names = [ds.units[s].name for s in STREETS]
    assert len([n for n in names if n.endswith("街道")]) == 12 and names[-1] == "泽雅镇"
    for sid in STREETS:
        unit = ds.units[sid]
        assert unit.kind == "street" and unit.duties == [] and unit.member is None and unit.liaison is None
        assert unit.reports and not unit.members
        text = Path(BUNDLED, "units", f"{sid}.yaml").read_text(encoding="utf-8")
        assert text.startswith("# 非通知原文"), sid
        assert unit.name == "泽雅镇" or unit.name not in NOTICE  # the notice names no 街道 (泽雅镇政府 it does)
    assert not any((Path(BUNDLED, "reports") / m / "zhenjie.yaml").exists() for m in ("2022-07", "2022-12"))


def test_every_unit_paragraph_is_verbatim(ds: Dataset) -> None:
    body = _section("三、专班成员单位职责", "四、专班运行机制")
    names = sorted((u.name for u in _notice_units(ds)), key=lambda n: body.index("\n" + n + "："))
    assert len(names) == 31
    for i, name in enumerate(names):
        start = body.index("\n" + name + "：") + len(name) + 2
        end = body.index("\n" + names[i + 1] + "：") if i + 1 < len(names) else len(body)
        unit = next(u for u in ds.units.values() if u.name == name)
        assert "".join(d.text for d in unit.duties) == _flat(body[start:end]), name
        assert [d.id for d in unit.duties] == [f"{unit.id}.{n}" for n in range(1, len(unit.duties) + 1)]


def test_members_and_leaders_are_verbatim(ds: Dataset) -> None:
    people = re.findall(r"^(?:组 长：|副组长：|成 员：)?([\u4e00-\u9fa5 ]{2,4})（([^）]+)）$", NOTICE, re.M)
    people = [(name.replace(" ", ""), title) for name, title in people]
    assert len(people) == 35
    group = ds.group
    leaders = [(p.name, p.title) for p in group.leaders]
    deputies = [(p.name, p.title) for p in group.deputy_leaders]
    assert leaders == people[:2]
    assert deputies[0] == ("杜潘祚", "副区长") and people[2] == ("杜潘祚", "副区长，牵头协调人")
    assert group.deputy_leaders[0].coordinator and not any(d.coordinator for d in group.deputy_leaders[1:])
    assert deputies[1:] == people[3:5]
    members = {(u.member.name, u.member.title) for u in ds.units.values() if u.member}
    assert members == set(people[5:])
    assert ds.units["zhenjie"].member is None


def test_goals_and_office_are_verbatim(ds: Dataset) -> None:
    assert "".join(ds.group.goals) == _flat(_section("一、总体目标", "二、工作专班架构"))
    office = _flat(_section("工作专班下设办公室", "三、专班成员单位职责"))
    sentence = office[office.index("专班办公室承担") :]
    assert "".join(ds.group.office.duties) == sentence
    assert ds.group.document.number == "办函〔2022〕6号"
    assert ds.group.name == "普惠型托育养老一体化服务体系建设试点工作专班"
    assert ds.group.office.director_units == ["minzheng", "weijian"]
    assert ds.group.office.deputy_units == ["qufuban", "jiaoyu", "minzheng", "weijian"]


def test_liaisons_are_not_invented(ds: Dataset) -> None:
    assert all(u.liaison is None for u in ds.units.values())


def test_illustrative_records_are_marked() -> None:
    for folder in ("tasks", "meetings", "reports", "letters"):
        for path in Path(BUNDLED, folder).rglob("*.yaml"):
            assert path.read_text(encoding="utf-8").startswith("# 示例数据"), path


def test_roster_is_the_notices_order(ds: Dataset) -> None:
    """group.yaml ``units`` lists every unit once, in the order of the notice's section 三 (the order of
    the 成员 list of section 二 too), ending with 各镇街 and then its members; every table of units follows it."""
    body = _section("三、专班成员单位职责", "四、专班运行机制")
    in_notice = sorted(_notice_units(ds), key=lambda u: body.index("\n" + u.name + "："))
    assert ds.group.units == [u.id for u in in_notice] + STREETS
    assert list(ds.units) == ds.group.units
    assert ds.group.units[:3] == ["quweiban", "qufuban", "zuzhibu"] and ds.group.units[30] == "zhenjie"
    members = re.findall(r"^(?:成 员：)?[\u4e00-\u9fa5 ]{2,4}（([^）]+)）$", _section("成 员：", "各街道办事处"), re.M)
    titled = [u for u in in_notice if u.member is not None]
    assert len(members) == len(titled) == 30
    assert all(title == u.member.title for title, u in zip(members, titled, strict=True) if u.member)


def test_calendars_of_the_years_spanned(ds: Dataset) -> None:
    """Working days are counted (rules.calendar), from the State Council's arrangements for 2022 and 2023,
    which equal the chinese-calendar package's."""
    from chinese_calendar import constants

    assert ds.group.rules.calendar.working_days is True
    assert sorted(ds.calendars) == ["2022", "2023"]
    assert ds.calendars["2022"].source is not None and "国办发明电〔2021〕11号" in ds.calendars["2022"].source
    assert ds.calendars["2023"].source is not None and "国办发明电〔2022〕16号" in ds.calendars["2023"].source
    for year, cal in ds.calendars.items():
        y = int(year)
        assert cal.holidays == sorted(d for d in constants.holidays if d.year == y and d.weekday() < 5)
        assert cal.workdays == sorted(d for d in constants.workdays if d.year == y)
