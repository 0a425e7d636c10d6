#!/usr/bin/env python3
"""Build the bundled data repository (data/) from the notice 办函〔2022〕6号.

Usage:  python tools/transcribe/build_data.py [--notice PATH] [--data DIR]

Part 1 transcribes the notice: every Chinese string in group.yaml and units/*.yaml that comes
from the notice is cut out of the notice text by this script (nothing is retyped), and
after writing, the files are re-loaded and checked character by character against the notice.

Part 1b writes the members of the notice's 各镇街 (spec 6.11): the district's 12 街道 and 泽雅镇, public
administrative divisions that the notice does not name; each such unit file starts with NOT_FROM_NOTICE.

Part 2 writes illustrative records (tasks, a meeting, monthly reports, letters). These are
examples, not the notice; each such file starts with the comment line ILLUSTRATIVE below.
Everything is deterministic (a fixed random seed), so re-running gives identical files.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_NOTICE = ROOT / "docs" / "notice" / "banhan-2022-6.txt"
DEFAULT_DATA = ROOT / "data"

ILLUSTRATIVE = "# 示例数据（illustrative）：非通知原文"
NOT_FROM_NOTICE = "# 非通知原文（not from the notice）：各镇街（zhenjie）的成员单位（spec 6.11）。"
D = dt.date


# ---------------------------------------------------------------------------------------------
# YAML output helpers
# ---------------------------------------------------------------------------------------------
class Month(str):
    """A YYYY-MM string, always written single-quoted."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:  # never write anchors/aliases (&id001 / *id001)
        return True


def _month_representer(dumper: yaml.SafeDumper, data: Month) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style="'")


_Dumper.add_representer(Month, _month_representer)


def dump(data: dict) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10000,
    )


def plain(obj):
    """Month -> str recursively, so that the intended dict compares equal to the re-loaded one."""
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    if isinstance(obj, Month):
        return str(obj)
    return obj


WRITTEN: list[tuple[Path, dict]] = []


def write(path: Path, data: dict, header: list[str] | None = None, comments: dict | None = None) -> None:
    """Write `data` as YAML; `header` lines go on top, `comments` maps a key as its line starts (a
    top-level key, or an indented one such as "  doc") to comment lines put just above that line."""
    text = dump(data)
    if comments:
        lines = text.split("\n")
        out = []
        for line in lines:
            for key, clines in comments.items():
                if line.startswith(f"{key}:"):
                    out.extend(clines)
            out.append(line)
        text = "\n".join(out)
    if header:
        text = "\n".join(header) + "\n" + text
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    WRITTEN.append((path, data))


# ---------------------------------------------------------------------------------------------
# Part 1: parse the notice
# ---------------------------------------------------------------------------------------------
UNIT_IDS = [  # in the order of section 三 (which is also the order of the 成员 list of section 二)
    ("quweiban", "office"),
    ("qufuban", "office"),
    ("zuzhibu", "party"),
    ("fagai", "department"),
    ("jiaoyu", "department"),
    ("gongan", "department"),
    ("minzheng", "department"),
    ("caizheng", "department"),
    ("renshe", "department"),
    ("zhujian", "department"),
    ("shangwu", "department"),
    ("wenguang", "department"),
    ("weijian", "department"),
    ("shichang", "department"),
    ("tongji", "department"),
    ("zhifa", "department"),
    ("gaojiao", "department"),
    ("jinrong", "department"),
    ("dashuju", "department"),
    ("shuiwu", "department"),
    ("ziranziyuan", "department"),
    ("yibao", "department"),
    ("gongdian", "enterprise"),
    ("xiaofang", "department"),
    ("zonggonghui", "association"),
    ("tuanquwei", "party"),
    ("fulian", "association"),
    ("gongshanglian", "association"),
    ("cishan", "association"),
    ("lvtou", "enterprise"),
    ("zhenjie", "street"),
]

# The members of 各镇街 (spec 6.11): 瓯海区's 12 街道 and 泽雅镇, "各街道办事处、泽雅镇政府" of the notice, which
# names none of them. In the order of the 统计用区划代码 (the National Bureau of Statistics' codes of the
# district's divisions: 景山 …001 to 仙岩 …012, then 泽雅镇 …108), the one public order of the list.
STREETS = [
    ("jingshan", "景山街道"),
    ("wutian", "梧田街道"),
    ("nanbaixiang", "南白象街道"),
    ("chashan", "茶山街道"),
    ("louqiao", "娄桥街道"),
    ("xinqiao", "新桥街道"),
    ("sanyang", "三垟街道"),
    ("quxi", "瞿溪街道"),
    ("guoxi", "郭溪街道"),
    ("panqiao", "潘桥街道"),
    ("liao", "丽岙街道"),
    ("xianyan", "仙岩街道"),
    ("zeya", "泽雅镇"),
]
GROUP_ID = "zhenjie"

# Page breaks the brief and a reading of the notice identified: (end of the line before the break,
# start of the line after). The parser joins continuation lines generically; this list is only
# used to check that exactly these joins happened, no more and no fewer.
EXPECTED_PAGE_BREAKS = {
    ("一体化", "服务体系"),
    ("区民政", "局、区卫生"),
    ("“一老一小”", "项目专项"),
    ("有条件的地方将", "婴幼儿照护"),
    ("做好托育养", "老机构"),
    ("组织实", "施，保障"),
    ("推进“一老", "一小”工作"),
}
PAGE_BREAKS_SEEN: list[tuple[str, str]] = []

SENTENCE_END = "。；"

# The State Council's holiday arrangements for the years the data spans: (first, last) day of each
# holiday period as the notice gives it, and the weekend days worked (调休上班).
CALENDARS = {
    2022: {
        "title": "国务院办公厅关于2022年部分节假日安排的通知",
        "number": "国办发明电〔2021〕11号",
        "periods": [  # 元旦、春节、清明节、劳动节、端午节、中秋节、国庆节
            (D(2022, 1, 1), D(2022, 1, 3)), (D(2022, 1, 31), D(2022, 2, 6)), (D(2022, 4, 3), D(2022, 4, 5)),
            (D(2022, 4, 30), D(2022, 5, 4)), (D(2022, 6, 3), D(2022, 6, 5)), (D(2022, 9, 10), D(2022, 9, 12)),
            (D(2022, 10, 1), D(2022, 10, 7)),
        ],
        "workdays": [D(2022, 1, 29), D(2022, 1, 30), D(2022, 4, 2), D(2022, 4, 24), D(2022, 5, 7),
                     D(2022, 10, 8), D(2022, 10, 9)],
    },
    2023: {
        "title": "国务院办公厅关于2023年部分节假日安排的通知",
        "number": "国办发明电〔2022〕16号",
        "periods": [  # 元旦（2022-12-31 起）、春节、清明节、劳动节、端午节、中秋节国庆节
            (D(2023, 1, 1), D(2023, 1, 2)), (D(2023, 1, 21), D(2023, 1, 27)), (D(2023, 4, 5), D(2023, 4, 5)),
            (D(2023, 4, 29), D(2023, 5, 3)), (D(2023, 6, 22), D(2023, 6, 24)), (D(2023, 9, 29), D(2023, 10, 6)),
        ],
        "workdays": [D(2023, 1, 28), D(2023, 1, 29), D(2023, 4, 23), D(2023, 5, 6), D(2023, 6, 25),
                     D(2023, 10, 7), D(2023, 10, 8)],
    },
}


def calendar_record(year: int) -> dict:
    cal = CALENDARS[year]
    holidays = sorted(
        first + dt.timedelta(days=k)
        for first, last in cal["periods"]
        for k in range((last - first).days + 1)
        if (first + dt.timedelta(days=k)).weekday() < 5
    )
    source = f"{cal['title']}（{cal['number']}）"
    return {"year": year, "source": source, "holidays": holidays, "workdays": list(cal["workdays"])}


def is_working_day(day: dt.date) -> bool:
    cal = calendar_record(day.year)
    return day in cal["workdays"] or (day.weekday() < 5 and day not in cal["holidays"])


def add_working_days(day: dt.date, n: int) -> dt.date:
    while n:
        day += dt.timedelta(days=1)
        n -= is_working_day(day)
    return day


def nonblank(lines: list[str]) -> list[str]:
    return [ln for ln in lines if ln.strip()]


def join_page_break(prev: str, nxt: str) -> str:
    """Join a paragraph cut by a page break (line break + blank line): nothing goes between."""
    assert prev and nxt and prev[-1] not in "。；：" and not prev[-1].isspace(), (prev, nxt)
    PAGE_BREAKS_SEEN.append((prev, nxt))
    return prev + nxt


def section(lines: list[str], start_prefix: str, end_prefix: str | None) -> list[str]:
    i = next(k for k, ln in enumerate(lines) if ln.startswith(start_prefix))
    j = len(lines) if end_prefix is None else next(k for k, ln in enumerate(lines) if ln.startswith(end_prefix))
    return lines[i + 1 : j]


def split_keep(text: str, seps: str) -> list[str]:
    """Split after each separator character, keeping it at the end of its item."""
    items, cur = [], ""
    for ch in text:
        cur += ch
        if ch in seps:
            items.append(cur)
            cur = ""
    if cur:
        items.append(cur)
    assert "".join(items) == text
    return items


PERSON_RE = re.compile(r"^(?:(?P<label>[^：（]+)：)?(?P<name>[^（）：]+)（(?P<title>[^（）]+)）$")


def parse_notice(text: str) -> dict:
    lines = text.split("\n")
    nb = nonblank(lines)

    # --- header -----------------------------------------------------------------------------
    number = next(ln for ln in nb if re.fullmatch(r"办函〔\d{4}〕\d+号", ln))
    title_line = next(ln for ln in nb if "关于成立" in ln and ln.endswith("的通知"))
    parts = title_line.split(" ")
    title = parts[0]
    for prev, part in zip(parts, parts[1:]):
        # a space after an issuing office's name separates two names: keep it; any other
        # space is page layout inside a word ("服务体系 建设"): drop it.
        title += (" " if prev.endswith("办公室") else "") + part
    m = re.search(r"决定成立(?P<full>[^（]+)（以下简称为(?P<short>[^）]+)）(?P<tail>工作专班)", text)
    name = m["full"] + m["tail"]
    short_name = m["short"] + m["tail"]

    date_line = nb[-1]
    dm = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", date_line)
    issued = D(int(dm[1]), int(dm[2]), int(dm[3]))
    issuers = nb[-3:-1]
    assert all(s.endswith("办公室") for s in issuers), issuers

    # --- 一、总体目标 ---------------------------------------------------------------------------
    goal_lines = nonblank(section(lines, "一、", "二、"))
    goal = goal_lines[0]
    for ln in goal_lines[1:]:
        goal = join_page_break(goal, ln)

    # --- 二、工作专班架构 -----------------------------------------------------------------------
    s2 = nonblank(section(lines, "二、", "三、"))
    groups: dict[str, list[dict]] = {"组长": [], "副组长": [], "成员": []}
    raw_people: list[tuple[str, str, str, str]] = []  # (label, raw name, title, raw line)
    label = None
    k = 0
    while k < len(s2):
        ln = s2[k]
        pm = PERSON_RE.match(ln)
        if not pm:
            break
        if pm["label"]:
            label = pm["label"].replace(" ", "")
        raw_name = pm["name"]
        person_name = raw_name.replace(" ", "")
        assert len(raw_name) == 3 and (raw_name == person_name or raw_name[1] == " "), raw_name
        groups[label].append({"name": person_name, "title": pm["title"]})
        raw_people.append((label, raw_name, pm["title"], ln))
        k += 1
    streets_line = s2[k]  # 各街道办事处、泽雅镇政府主要负责人
    assert streets_line.endswith("主要负责人") and "（" not in streets_line, streets_line
    k += 1
    office_par = s2[k]
    for ln in s2[k + 1 :]:
        office_par = join_page_break(office_par, ln)

    # --- 三、专班成员单位职责 ---------------------------------------------------------------------
    s3 = nonblank(section(lines, "三、", "四、"))
    heads: list[str] = []
    paras: list[str] = []
    for ln in s3:
        hm = re.match(r"^([^，。；：“”]{2,12})：(.+)$", ln)
        if hm:
            heads.append(hm[1])
            paras.append(hm[2])
        else:  # a line that does not open a unit's paragraph continues the previous one
            paras[-1] = join_page_break(paras[-1], ln)
    return {
        "number": number,
        "title": title,
        "title_line": title_line,
        "name": name,
        "short_name": short_name,
        "issued": issued,
        "issuers": issuers,
        "goal": goal,
        "groups": groups,
        "raw_people": raw_people,
        "streets_line": streets_line,
        "office_par": office_par,
        "heads": heads,
        "paras": paras,
    }


OFFICE_DOC = {  # not from the notice: how the office heads and numbers its documents (spec 6.6, 11.1)
    "issuer": "瓯海区“一老一小”一体化试点工作专班办公室",
    "prefix": "瓯一老一小专班办",
}


# ---------------------------------------------------------------------------------------------
# Part 1: build group.yaml and units/*.yaml
# ---------------------------------------------------------------------------------------------
def build_transcription(n: dict, data: Path) -> dict:
    heads, paras = n["heads"], n["paras"]
    assert len(heads) == len(UNIT_IDS) == 31, len(heads)
    members = n["groups"]["成员"]
    assert len(members) == 30, len(members)

    # goals: one item per sentence ending in "。"
    goals = split_keep(n["goal"], "。")

    # office duties: the sentence that starts with 专班办公室承担, split after each "，"
    office_par = n["office_par"]
    i = office_par.index("专班办公室承担")
    assert office_par[i - 1] == "。"
    office_sentence = office_par[i:]
    assert office_sentence.count("。") == 1 and office_sentence.endswith("。")
    office_duties = split_keep(office_sentence, "，")

    leaders = n["groups"]["组长"]
    deputies = []
    for p in n["groups"]["副组长"]:
        t = p["title"].split("，")
        entry = {"name": p["name"], "title": t[0]}
        if len(t) == 2:
            assert t[1] == "牵头协调人", t
            entry["coordinator"] = True
        else:
            assert len(t) == 1
        deputies.append(entry)

    group = {
        "name": n["name"],
        "short_name": n["short_name"],
        "document": {
            "number": n["number"],
            "title": n["title"],
            "issued": n["issued"],
            "issuers": list(n["issuers"]),
        },
        "started": n["issued"],
        "goals": goals,
        "leaders": leaders,
        "deputy_leaders": deputies,
        "office": {
            "director_units": ["minzheng", "weijian"],
            "deputy_units": ["qufuban", "jiaoyu", "minzheng", "weijian"],
            "staff_units": ["fagai", "jiaoyu", "minzheng", "weijian"],
            "duties": office_duties,
            "doc": OFFICE_DOC,
        },
        "units": [uid for uid, _ in UNIT_IDS] + [uid for uid, _ in STREETS],
        "rules": {
            "meetings": {"every_months": 3},
            "reports": {"due_day": 25},
            "escalation": {"reminder": 7, "assignment": 21, "supervision": 45, "reply_days": 10},
            "scoring": {"on_time": 1.0, "late": 0.5, "missing_report_penalty": 2},
            "calendar": {"working_days": True},
        },
    }
    write(
        data / "group.yaml",
        group,
        header=[
            f"# 工作专班：转录自 {n['number']}《{n['title']}》（{n['issued'].isoformat()}）。",
            "# name、short_name、document、goals、leaders、deputy_leaders、office.duties 均为通知原文；",
            "# office 的单位列表按通知“工作专班下设办公室”一段对应到单位 id。",
            "# 本文件由 tools/transcribe/build_data.py 从通知文本生成，请勿手工改动原文部分。",
        ],
        comments={
            "  doc": [
                "  # office.doc 不是通知原文（spec 6.6）：issuer 是发文机关标志的规范化简称（冠以地名），"
                "prefix（发文字号前缀）为示例；",
                "  # 通知未列办公室电话，故不填 contact。",
            ],
            "units": [
                "# 成员单位名单（spec 6.1）：按通知“三、专班成员单位职责”的顺序（与“成员”名单同序），各单位的列表均按此排列。",
                "# 最后 13 个不是通知原文：各镇街（zhenjie）的成员单位（spec 6.11），瓯海区 12 个街道和泽雅镇，按统计用区划代码的顺序。",
            ],
            "rules": [
                "# 以下 rules 中的数值（会议周期、报送日、提醒函/交办函/督办函天数、赋分）由专班办公室确定；",
                f"# {n['number']} 未规定这些具体数值。calendar.working_days: true 表示回复期限、月报报送日、",
                "# 升级天数按工作日计（机关按工作日计算时限），节假日安排见 calendar/ 下各年文件。",
            ],
        },
    )

    # which office unit ids must match the office paragraph's unit names (a sanity check)
    name_of = {uid: heads[k] for k, (uid, _) in enumerate(UNIT_IDS)}
    dir_part = office_par[office_par.index("办公室主任由") : office_par.index("主要负责人担任")]
    dep_part = office_par[office_par.index("办公室副主任由") : office_par.index("分管负责人担任")]
    staff_part = office_par[office_par.index("办公室成员由") : office_par.index("相关科室成员")]
    for key, part in (("director_units", dir_part), ("deputy_units", dep_part), ("staff_units", staff_part)):
        found = [uid for uid, nm in name_of.items() if nm in part]
        assert sorted(found) == sorted(group["office"][key]), (key, found)

    units = {}
    all_names: set[str] = set(heads)
    all_aliases: list[str] = []
    for k, (uid, kind) in enumerate(UNIT_IDS):
        head = heads[k]
        aliases: list[str] = []
        if uid == "quweiban":  # 区委办（区考绩办）
            hm = re.fullmatch(r"(.+)（(.+)）", head)
            aliases = [hm[1], hm[2], n["issuers"][0]]
        elif uid == "qufuban":
            aliases = [n["issuers"][1]]
        elif uid == "zhenjie":
            aliases = [n["streets_line"][: -len("主要负责人")]]
        elif kind == "department" and head.startswith("区"):
            aliases = ["瓯海" + head]
        if uid == "weijian":
            aliases.append("区卫健局")
        if k < 30:
            member = members[k]
            core = re.sub(r"（.*）$", "", head)
            assert member["title"].startswith(core), (head, member)
        else:
            member = None
        duties_text = split_keep(paras[k], SENTENCE_END)
        unit = {"id": uid, "name": head}
        if aliases:
            unit["aliases"] = aliases
            all_aliases.extend(aliases)
        unit["kind"] = kind
        if uid == GROUP_ID:  # a group of units (spec 6.11): its members report and get letters and scores
            unit["members"] = [sid for sid, _ in STREETS]
        unit.update(
            {
                "member": member,
                "liaison": None,
                "reports": uid != GROUP_ID,
                "duties": [{"id": f"{uid}.{j + 1}", "text": t} for j, t in enumerate(duties_text)],
            }
        )
        units[uid] = unit
        comments = {"liaison": ["# 联络员：通知未列具体人员，待成员单位指定后填写（null 表示尚未指定）。"]}
        if member is None:
            comments["member"] = [f"# 成员：通知原文为“{n['streets_line']}”，未列具体姓名。"]
        if uid == GROUP_ID:
            comments["members"] = [
                "# members 不是通知原文：通知写“各街道办事处、泽雅镇政府”，未列名单；此为瓯海区公开的行政区划（12 个街道和泽雅镇），",
                "# 各自一个单位文件。各镇街是单位组（spec 6.11）：它牵头或配合的任务由每个成员单位牵头或配合。",
            ]
            comments["liaison"] = ["# 联络员：单位组没有自己的联络员，由各成员单位分别指定。"]
            comments["reports"] = ["# 单位组本身不报送月报，由各成员单位分别报送。"]
        write(
            data / "units" / f"{uid}.yaml",
            unit,
            header=[
                f"# {head}：转录自 {n['number']} 二、工作专班架构（成员）与 三、专班成员单位职责。",
                "# duties 为通知原文，按“。”“；”分条，各条依次相连即为原文段落。",
            ],
            comments=comments,
        )
    for sid, name in STREETS:
        aliases = [f"{name}办事处"] if name.endswith("街道") else [f"{name}政府"]  # the notice's 街道办事处、泽雅镇政府
        assert aliases[0] in n["streets_line"] or aliases[0].endswith("街道办事处"), aliases
        all_aliases.extend(aliases)
        all_names.add(name)
        unit = {"id": sid, "name": name, "aliases": aliases, "kind": "street", "member": None, "liaison": None,
                "reports": True, "duties": []}
        units[sid] = unit
        write(
            data / "units" / f"{sid}.yaml",
            unit,
            header=[
                NOT_FROM_NOTICE,
                f"# 通知只写“{n['streets_line']}”，未列名单；{name}及其别名据瓯海区公开的行政区划（12 个街道和泽雅镇）。",
            ],
            comments={
                "member": [f"# 成员：通知原文为“{n['streets_line']}”，未列具体姓名。"],
                "liaison": ["# 联络员：通知未列具体人员，待本单位指定后填写（null 表示尚未指定）。"],
                "duties": ["# 职责：通知只为“各镇街”写了职责（见 zhenjie.yaml），即本单位的职责，此处不重复抄录。"],
            },
        )
    assert len(all_aliases) == len(set(all_aliases)), "duplicate aliases"
    assert not (set(all_aliases) & all_names), "an alias equals a unit name"
    return {"group": group, "units": units}


# ---------------------------------------------------------------------------------------------
# Part 1: independent verification against the raw notice
# ---------------------------------------------------------------------------------------------
def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def verify_transcription(text: str, n: dict, data: Path) -> list[str]:
    report: list[str] = []
    raw_lines = text.split("\n")
    group = load(data / "group.yaml")
    units = {uid: load(data / "units" / f"{uid}.yaml") for uid, _ in UNIT_IDS}

    # page breaks: exactly the expected ones were joined
    seen = set()
    for prev, nxt in PAGE_BREAKS_SEEN:
        hit = [e for e in EXPECTED_PAGE_BREAKS if prev.endswith(e[0]) and nxt.startswith(e[1])]
        assert len(hit) == 1, ("unexpected page break", prev[-20:], nxt[:20])
        seen.add(hit[0])
    assert seen == EXPECTED_PAGE_BREAKS and len(PAGE_BREAKS_SEEN) == len(EXPECTED_PAGE_BREAKS), seen

    def raw_span(start_pred, stop_pred) -> str:
        """Lines from the first line matching start_pred up to (not incl.) the next line matching
        stop_pred, with every line break removed (inside a paragraph these are page breaks)."""
        i = next(k for k, ln in enumerate(raw_lines) if start_pred(ln))
        j = next(k for k in range(i + 1, len(raw_lines)) if stop_pred(raw_lines[k]))
        s = "".join(raw_lines[i:j])
        assert not re.search(r"\s", s), repr(s)
        return s

    # units: "".join(duty texts) == the paragraph after "<name>："
    names = [u["name"] for u in units.values()]
    heads_re = re.compile("^(" + "|".join(re.escape(x) for x in names) + ")：|^四、")
    section3 = raw_span(lambda ln: ln.startswith("三、"), lambda ln: ln.startswith("四、"))
    rebuilt3 = section3[: section3.index("区委办")]
    for uid, _ in UNIT_IDS:
        u = units[uid]
        prefix = u["name"] + "："
        par = raw_span(lambda ln, p=prefix: ln.startswith(p), lambda ln: bool(heads_re.match(ln)))[len(prefix) :]
        joined = "".join(d["text"] for d in u["duties"])
        assert joined == par, (uid, joined, par)
        assert [d["id"] for d in u["duties"]] == [f"{uid}.{j + 1}" for j in range(len(u["duties"]))]
        for d in u["duties"][:-1]:
            assert d["text"][-1] in SENTENCE_END and sum(d["text"].count(c) for c in SENTENCE_END) == 1, d
        rebuilt3 += prefix + joined
        report.append(f"{uid:14s} {u['name']}: {len(u['duties'])} duties, {len(joined)} chars OK")
    assert rebuilt3 == section3, "section 三 not covered exactly"

    # goals
    goal_par = raw_span(lambda ln: ln.startswith("一、"), lambda ln: ln.startswith("二、"))[len("一、总体目标") :]
    assert "".join(group["goals"]) == goal_par
    report.append(f"goals: {len(group['goals'])} item(s), {len(goal_par)} chars OK")

    # office duties
    office_raw = raw_span(lambda ln: ln.startswith("工作专班下设办公室"), lambda ln: ln.startswith("三、"))
    od = "".join(group["office"]["duties"])
    assert office_raw.endswith(od) and office_raw[: -len(od)].endswith("。") and od.startswith("专班办公室承担")
    report.append(f"office duties: {len(group['office']['duties'])} items OK")

    # people: each name/title as in the notice (padding space removed)
    people = (
        [("组长", p) for p in group["leaders"]]
        + [("副组长", p) for p in group["deputy_leaders"]]
        + [("成员", units[uid]["member"]) for uid, _ in UNIT_IDS[:30]]
    )
    assert len(people) == len(n["raw_people"]) == 35
    for (label, p), (rlabel, rname, rtitle, rline) in zip(people, n["raw_people"]):
        assert label == rlabel and rline in raw_lines
        assert p["name"] == rname.replace(" ", "") and " " not in p["name"]
        title = p["title"] + ("，牵头协调人" if p.get("coordinator") else "")
        assert title == rtitle, (title, rtitle)
        assert rline.endswith(f"{rname}（{rtitle}）")
    assert units["zhenjie"]["member"] is None
    report.append(f"people: {len(people)} names/titles OK")

    # 各镇街: the group of the 12 街道 and 泽雅镇 (not from the notice), listed after it in the roster
    assert units[GROUP_ID]["members"] == [sid for sid, _ in STREETS] and units[GROUP_ID]["reports"] is False
    assert group["units"] == [uid for uid, _ in UNIT_IDS] + units[GROUP_ID]["members"]
    for sid, name in STREETS:
        member = load(data / "units" / f"{sid}.yaml")
        assert member["name"] == name and member["kind"] == "street" and member["duties"] == []
        assert member["member"] is None and member["liaison"] is None and "members" not in member
        assert (data / "units" / f"{sid}.yaml").read_text(encoding="utf-8").startswith(NOT_FROM_NOTICE)
    assert len([x for x in STREETS if x[1].endswith("街道")]) == 12 and STREETS[-1][1] == "泽雅镇"
    report.append(f"各镇街: {len(STREETS)} member units (not from the notice) OK")

    # header
    doc = group["document"]
    assert doc["number"] in raw_lines
    assert doc["title"].replace(" ", "") == n["title_line"].replace(" ", "")
    assert doc["title"].count(" ") == n["title_line"].count(" ") - 1
    assert nonblank(raw_lines)[-3:-1] == doc["issuers"]
    assert nonblank(raw_lines)[-1] == f"{doc['issued'].year}年{doc['issued'].month}月{doc['issued'].day}日"
    assert (group["name"][: -len("工作专班")] + "（以下简称为") in text
    assert ("（以下简称为" + group["short_name"][: -len("工作专班")] + "）工作专班") in text
    report.append("document header OK")
    return report


# ---------------------------------------------------------------------------------------------
# Part 2: illustrative records
# ---------------------------------------------------------------------------------------------
def T(**kw) -> dict:
    return kw


TASKS: list[dict] = [
    T(id="t2022-001", title="新建、改扩建幼儿园按比例设置托班", target="2022年后新建、改扩建幼儿园托班设置率100%；2023年6月底前幼儿园新增托位不少于300个",
      lead="jiaoyu", support=["weijian"], duties=["jiaoyu.4"], key=True, start=D(2022, 7, 1), due=D(2023, 6, 30),
      milestones=[{"name": "摸排全区在建、拟建幼儿园托班设置条件", "due": D(2022, 9, 30), "done": D(2022, 9, 20)},
                  {"name": "首批10所幼儿园托班开班", "due": D(2022, 12, 20)},
                  {"name": "新增托位300个并完成验收", "due": D(2023, 6, 30)}],
      status="open", weight=5,
      notes=("完成全区幼儿园托班设置条件摸排", "首批幼儿园托班筹备开班", "")),
    T(id="t2022-002", title="印发《幼儿园推行托幼一体化建设实施方案》", target="10月底前根据专班会议意见修改完善并印发实施方案1份",
      lead="jiaoyu", duties=["jiaoyu.5"], start=D(2022, 9, 21), due=D(2022, 10, 31), status="done", done=D(2022, 10, 25),
      weight=3, source={"meeting": "2022-q3"},
      notes=("根据会议意见修改方案", "方案征求成员单位意见", "方案已印发实施")),
    T(id="t2022-003", title="“一老一小”一体化数字平台一期上线试运行", target="12月15日前平台一期上线试运行，养老、托育服务数据接入覆盖全区各镇街",
      lead="minzheng", support=["dashuju", "weijian", "qufuban"], duties=["minzheng.4"], key=True,
      start=D(2022, 9, 21), due=D(2022, 12, 15),
      milestones=[{"name": "完成平台需求调研与建设方案", "due": D(2022, 10, 15), "done": D(2022, 10, 12)},
                  {"name": "完成养老、托育数据归集对接", "due": D(2022, 11, 30)}],
      status="open", weight=5, source={"meeting": "2022-q3"},
      notes=("开展平台需求调研", "平台功能开发与数据对接中", "")),
    T(id="t2022-004", title="“一老一小”专项债券项目包装与申报", target="11月底前完成不少于1个“一老一小”专项债券项目包装并报送上级",
      lead="fagai", support=["minzheng", "weijian", "caizheng"], duties=["fagai.5"], key=True,
      start=D(2022, 9, 21), due=D(2022, 11, 30), status="done", done=D(2022, 12, 12), weight=4,
      source={"meeting": "2022-q3"},
      notes=("梳理储备项目清单", "项目实施方案和收益平衡测算编制中", "项目材料已报送")),
    T(id="t2022-005", title="编制全区养老服务体系建设规划", target="9月底前完成《瓯海区养老服务体系建设规划（2022—2025年）》编制并印发",
      lead="minzheng", duties=["minzheng.1"], start=D(2022, 7, 1), due=D(2022, 9, 30), status="done",
      done=D(2022, 9, 28), weight=3,
      notes=("完成规划基础调研", "规划文本征求意见", "规划已印发")),
    T(id="t2022-006", title="制定婴幼儿照护服务发展实施方案", target="9月底前印发实施方案，明确到2025年每千人口拥有3岁以下婴幼儿托位数目标",
      lead="weijian", duties=["weijian.1"], start=D(2022, 7, 1), due=D(2022, 9, 30), status="done",
      done=D(2022, 9, 26),
      notes=("起草实施方案初稿", "方案征求意见并提交专班会议审议", "方案已印发")),
    T(id="t2022-007", title="婴幼儿和老年人家庭医生签约服务扩面", target="2023年6月底前65岁以上老年人家庭医生签约率达到75%，0—3岁婴幼儿纳入重点人群签约服务",
      lead="weijian", duties=["weijian.2"], key=True, start=D(2022, 8, 1), due=D(2023, 6, 30), status="open",
      notes=("制定签约扩面工作方案", "各社区卫生服务中心开展上门签约", "")),
    T(id="t2022-008", title="推进社区护理站建设", target="2022年11月底前新建社区护理站3个并投入运营",
      lead="weijian", support=["minzheng"], duties=["weijian.3"], start=D(2022, 7, 1), due=D(2022, 11, 30),
      milestones=[{"name": "完成护理站选址", "due": D(2022, 8, 31), "done": D(2022, 8, 25)},
                  {"name": "完成设备配置和执业备案", "due": D(2022, 11, 15), "done": D(2022, 12, 10)}],
      status="done", done=D(2022, 12, 20),
      notes=("护理站选址论证", "护理站装修及设备配置中", "3个护理站已投入运营")),
    T(id="t2022-009", title="将“一老一小”内容纳入服务业专项规划", target="服务业发展专项规划中“一老一小”章节编制完成并通过专家论证",
      lead="fagai", duties=["fagai.3"], start=D(2022, 8, 1), due=D(2022, 12, 26), status="open",
      notes=("收集托育养老设施建设需求", "章节初稿编制中", "")),
    T(id="t2022-010", title="规范托育养老行业收费管理", target="出台托育养老机构收费管理指导意见1份，普惠性机构收费公示率100%",
      lead="fagai", duties=["fagai.4"], start=D(2022, 8, 1), due=D(2022, 12, 15), status="done",
      done=D(2022, 12, 9),
      notes=("开展机构收费情况调查", "指导意见征求意见中", "指导意见已出台")),
    T(id="t2022-011", title="出台新建小区配建托育养老服务设施实施细则", target="2023年3月底前出台新建住宅小区配建社区居家养老和婴幼儿照护服务设施实施细则",
      lead="zhujian", support=["ziranziyuan"], duties=["zhujian.3"], key=True, start=D(2022, 8, 1),
      due=D(2023, 3, 31),
      milestones=[{"name": "形成实施细则征求意见稿", "due": D(2022, 11, 30), "done": D(2022, 11, 28)},
                  {"name": "完成部门会签", "due": D(2023, 2, 28)}],
      status="open", weight=4,
      notes=("梳理上级配建标准", "征求意见稿编制中", "")),
    T(id="t2022-012", title="未来社区“一老一小”服务设施全覆盖", target="2022年创建的未来社区托育、养老服务设施配建率100%",
      lead="zhujian", duties=["zhujian.4"], start=D(2022, 7, 1), due=D(2022, 10, 31), status="done",
      done=D(2022, 11, 18),
      notes=("排查未来社区设施配建情况", "督促补齐设施短板", "设施已全覆盖")),
    T(id="t2022-013", title="“一老一小”服务场所物业费按居民价收取", target="全区“一老一小”服务场所物业费收取情况排查覆盖率100%，按居民住宅用房价格收取率100%",
      lead="zhujian", duties=["zhujian.7"], start=D(2022, 9, 1), due=D(2022, 12, 1), status="open",
      notes=("制定排查工作方案", "分镇街排查物业收费情况", "")),
    T(id="t2022-014", title="一体化数字平台数据归集技术支撑", target="11月底前完成民政、卫健、教育等部门“一老一小”数据归集接口不少于5个",
      lead="dashuju", duties=["dashuju.1"], start=D(2022, 8, 1), due=D(2022, 11, 30), status="done",
      done=D(2022, 11, 25),
      notes=("梳理数据目录", "接口开发联调中", "5个数据接口已上线")),
    T(id="t2022-015", title="养老护理员和婴幼儿照护从业人员技能培训", target="10月底前完成2022年度养老护理员、育婴员职业技能培训300人次，取证率不低于80%",
      lead="renshe", support=["minzheng", "weijian"], duties=["renshe.1"], start=D(2022, 7, 1), due=D(2022, 10, 31),
      status="open",
      notes=("制定年度培训计划", "分批开班培训中", "")),
    T(id="t2022-016", title="婴幼儿与老龄人口统计分析", target="依据第七次全国人口普查资料，形成全区及各镇街婴幼儿、老年人口数量结构分析报告1份",
      lead="tongji", duties=["tongji.2"], start=D(2022, 7, 1), due=D(2022, 9, 30), status="open",
      notes=("申请调取人口普查分镇街数据", "分析报告起草中", "")),
    T(id="t2022-017", title="“一老一小”试点经费保障", target="2022年度试点工作经费纳入预算并按进度拨付到位",
      lead="caizheng", duties=["caizheng.1"], start=D(2022, 7, 1), due=D(2022, 8, 31), status="done",
      done=D(2022, 8, 26),
      notes=("测算试点经费需求", "经费拨付程序办理中", "经费已拨付到位")),
    T(id="t2022-018", title="大型商业综合体“一老一小”双优惠服务试点", target="引导不少于3家大型商业综合体试行“一老一小”消费双优惠服务",
      lead="shangwu", duties=["shangwu.1"], start=D(2022, 7, 1), due=D(2022, 9, 30), status="done",
      done=D(2022, 10, 14),
      notes=("对接辖区商业综合体", "优惠方案商定中", "3家综合体已推出双优惠")),
    T(id="t2022-019", title="“一老一小”服务场所消防监督检查", target="全区“一老一小”服务场所消防监督检查覆盖率100%，发现隐患整改率100%",
      lead="xiaofang", duties=["xiaofang.1"], start=D(2022, 8, 1), due=D(2022, 12, 20), status="done",
      done=D(2022, 12, 16), weight=2,
      notes=("建立服务场所检查台账", "分批开展检查并督促整改", "检查和整改全部完成")),
    T(id="t2022-020", title="各镇街“一老一小”服务场地选址", target="每个镇街至少确定1处“一老一小”一体化服务场地并上报选址方案",
      lead="zhenjie", support=["ziranziyuan", "zuzhibu"], duties=["zhenjie.1"], key=True, start=D(2022, 7, 1),
      due=D(2022, 11, 15),
      milestones=[{"name": "完成辖区托育养老情况调研", "due": D(2022, 8, 31), "done": D(2022, 9, 5)},
                  {"name": "上报场地选址方案", "due": D(2022, 11, 15)}],
      status="open", weight=3,
      notes=("开展辖区托育养老情况调研", "意向场地比选中", "")),
    T(id="t2022-021", title="募集“共富基金”支持“一老一小”试点", target="2023年6月底前募集“共富基金”“一老一小”专项资金不少于200万元",
      lead="cishan", support=["gongshanglian"], duties=["cishan.1"], start=D(2022, 9, 1), due=D(2023, 6, 30),
      milestones=[{"name": "启动“一老一小”专项募集活动", "due": D(2022, 10, 31), "done": D(2022, 10, 20)}],
      status="open",
      notes=("制定专项募集方案", "专项募集活动开展中", "")),
    T(id="t2022-022", title="“一老一小”机构内设医疗机构纳入医保定点", target="符合条件的“一老一小”机构内设医疗机构纳入基本医疗保险定点范围率100%",
      lead="yibao", duties=["yibao.3"], start=D(2022, 10, 1), due=D(2023, 3, 31), status="open",
      notes=("摸排机构内设医疗机构情况", "指导符合条件机构申报定点", "")),
    T(id="t2022-023", title="职工托育托养需求调查及福利性照护服务", target="完成不少于50家用人单位职工托育托养需求调查，推动建成职工爱心托育点3个",
      lead="zonggonghui", duties=["zonggonghui.1"], start=D(2022, 8, 1), due=D(2023, 9, 30), status="open",
      notes=("设计需求调查问卷", "需求调查开展中", "")),
    T(id="t2022-024", title="山根音乐艺术小村“一老一小”共游优惠", target="推出“一老一小”共游优惠套餐并在山根音乐艺术小村试行",
      lead="lvtou", duties=["lvtou.1"], start=D(2022, 7, 1), due=D(2022, 10, 31), status="cancelled",
      notes=("", "", "")),
]

TASK_KEYS = ["id", "title", "target", "lead", "support", "duties", "key", "start", "due", "milestones", "status",
             "done", "weight", "source"]

MEETING = {
    "id": "2022-q3",
    "kind": "regular",
    "status": "held",
    "date": D(2022, 9, 20),
    "chair": "杜潘祚",
    "on_behalf_of": "曾瑞华",
    "attendees": ["quweiban", "qufuban", "fagai", "jiaoyu", "minzheng", "caizheng", "renshe", "zhujian", "weijian",
                  "tongji", "dashuju", "zhenjie"],
    "agenda": [
        "听取各成员单位“一老一小”一体化试点阶段性工作推进情况汇报",
        "审议《幼儿园推行托幼一体化建设实施方案》和《瓯海区婴幼儿照护服务发展实施方案》",
        "研究“一老一小”一体化数字平台建设和专项债券项目谋划工作",
        "部署第四季度重点工作任务",
    ],
    "heard": ["minzheng", "weijian", "jiaoyu", "fagai", "zhujian", "zhenjie"],
    "reviewed": ["《幼儿园推行托幼一体化建设实施方案》", "《瓯海区婴幼儿照护服务发展实施方案》"],
    "decisions": [
        {"text": "原则通过《幼儿园推行托幼一体化建设实施方案》，由区教育局根据会议意见修改完善，10月底前印发实施",
         "lead": "jiaoyu", "due": D(2022, 10, 31), "task": "t2022-002"},
        {"text": "区民政局牵头、区大数据管理中心配合，12月15日前完成“一老一小”一体化数字平台一期上线试运行",
         "lead": "minzheng", "due": D(2022, 12, 15), "task": "t2022-003"},
        {"text": "区发改局会同区民政局、区卫生健康局、区财政局，11月底前完成“一老一小”专项债券项目包装并报送",
         "lead": "fagai", "due": D(2022, 11, 30), "task": "t2022-004"},
        {"text": "各成员单位尽快明确联络员报专班办公室，每月25日前报送月度工作推进情况，专班办公室每月汇总通报"},
    ],
}

LETTERS = [  # reply_by: the 10th working day after issued (rules.escalation.reply_days, calendar.working_days)
    {"id": "l2022-001", "kind": "reminder", "unit": "tongji", "tasks": ["t2022-016"], "issued": D(2022, 11, 8),
     "reply_by": add_working_days(D(2022, 11, 8), 10), "replied": D(2022, 11, 16)},
    {"id": "l2022-002", "kind": "reminder", "unit": "renshe", "tasks": ["t2022-015"], "issued": D(2022, 11, 10),
     "reply_by": add_working_days(D(2022, 11, 10), 10), "replied": None},
]

REPORT_MONTHS = [Month(f"2022-{m:02d}") for m in range(7, 13)]
NEVER_REPORT = {"gongdian", "tuanquwei", "gongshanglian", "lvtou"}
MISSING = {  # unit -> months with no report
    "zuzhibu": {"2022-11"},
    "shuiwu": {"2022-10", "2022-11"},
    "fulian": {"2022-10"},
    "wenguang": {"2022-11"},
    "gaojiao": {"2022-11"},
    "xiaofang": {"2022-10", "2022-12"},
    "yibao": {"2022-12"},
    "zhifa": {"2022-12"},
    "tongji": {"2022-11"},
    "jinrong": {"2022-07"},
}
LATE = {  # (unit, month) -> submitted date after the 25th
    ("gongan", "2022-07"): D(2022, 7, 27),
    ("zhujian", "2022-08"): D(2022, 8, 29),
    ("tongji", "2022-09"): D(2022, 10, 8),
    ("renshe", "2022-10"): D(2022, 10, 28),
    ("shichang", "2022-09"): D(2022, 9, 30),
}
MEMBER_MISSING = {"sanyang": {"2022-09"}, "xianyan": {"2022-12"}}  # members of 各镇街 (their reports: below)
MEMBER_LATE = {("guoxi", "2022-11"): D(2022, 11, 30), ("zeya", "2022-08"): D(2022, 8, 29)}
UNIT_DIFFICULTIES = {  # shown in the months when the unit's task is lagging
    "tongji": "第七次人口普查分镇街年龄结构数据需向市级部门申请调取，耗时较长",
    "renshe": "部分培训机构师资不足，育婴员培训班次延期开班",
    "minzheng": "平台与省、市级系统的数据接口尚未全部开放",
    "zhenjie": "部分意向场地产权关系复杂，需协调产权单位",
    "zhujian": "部分小区物业企业对按居民价收取物业费存在异议",
}
DIFFICULTIES = [
    "部分镇街可用场地有限，托育养老设施选址难度较大",
    "专业托育、养老护理人员短缺，招聘和留用难",
    "部门间数据标准不统一，数据共享对接进度偏慢",
    "项目资金需求较大，资金筹措渠道有限",
    "社会力量参与普惠托育服务的积极性有待提高",
    "老旧小区配套用房不足，设施补建难度大",
]
SUGGESTIONS = [
    "建议专班办公室统一制定“一老一小”数据共享标准",
    "建议建立托育养老用房统筹调配机制",
    "建议加大对普惠型托育机构的运营补贴力度",
    "建议定期组织成员单位开展实地观摩交流",
    "建议将“一老一小”场地需求纳入镇街年度建设计划",
]
PRACTICES = [
    "依托社区党群服务中心嵌入托育养老服务，实现“一址多用”",
    "推行“幼儿园+托班”模式，盘活存量学位资源",
    "建立“一老一小”需求清单、资源清单、项目清单",
    "联合社工机构开展“老少同乐”代际融合活动",
]


def month_bounds(m: str) -> tuple[dt.date, dt.date]:
    y, mo = int(m[:4]), int(m[5:])
    return D(y, mo, 1), D(y, mo, calendar.monthrange(y, mo)[1])


def task_record(t: dict) -> dict:
    rec = {k: t[k] for k in TASK_KEYS if k in t}
    return rec


def progress_percent(t: dict, on: dt.date) -> int:
    if t.get("done") and t["done"] <= on:
        return 100
    end = t.get("done") or t["due"]
    span = max((end - t["start"]).days, 1)
    frac = (on - t["start"]).days / span
    if t["status"] == "open" and t["due"] < D(2022, 12, 31):
        frac *= 0.75  # lagging tasks
    pct = int(round(frac * 100 / 5.0)) * 5
    return max(5, min(90 if t["status"] == "open" else 95, pct))


def build_reports(data: Path, unit_ids: list[str]) -> list[tuple[str, str]]:
    rng = random.Random(20220602)
    written = []
    for m in REPORT_MONTHS:
        first, last = month_bounds(m)
        for uid in unit_ids:
            # draw the same numbers whether or not the report exists, so records stay stable
            day = rng.randint(15, 25)
            nd, ns, npr = rng.choice([0, 1, 1, 2]), rng.choice([0, 0, 1, 2]), rng.choice([0, 0, 0, 1])
            picks = (rng.sample(DIFFICULTIES, 2), rng.sample(SUGGESTIONS, 2), rng.choice(PRACTICES))
            if uid in NEVER_REPORT or m in MISSING.get(uid, set()) or uid == GROUP_ID:  # a group owes no report
                continue
            submitted = LATE.get((uid, str(m)), D(first.year, first.month, day))
            progress = []
            lagging = False
            for t in TASKS:
                if t["lead"] != uid or t["status"] == "cancelled":
                    continue
                if t["start"] > submitted or (t.get("done") and t["done"] < first):
                    continue
                pct = progress_percent(t, submitted)
                early, mid, fin = t["notes"]
                note = fin if pct == 100 else (early if pct < 40 else mid)
                progress.append({"task": t["id"], "percent": pct, "note": note})
                if t["status"] == "open" and t["due"] < D(2022, 12, 31) and (t["due"] - submitted).days < 45:
                    lagging = True
            difficulties = list(picks[0][:nd])
            if lagging and uid in UNIT_DIFFICULTIES:
                difficulties = [UNIT_DIFFICULTIES[uid]] + difficulties[:1]
            rep = {"unit": uid, "month": m, "submitted": submitted, "progress": progress,
                   "difficulties": difficulties, "suggestions": list(picks[1][:ns]),
                   "practices": [picks[2]] if npr else []}
            rep = {k: v for k, v in rep.items() if v != []}  # leave out empty lists
            write(data / "reports" / str(m) / f"{uid}.yaml", rep,
                  header=[ILLUSTRATIVE, "# 联络员尚未指定，故未填 by。"])
            written.append((str(m), uid))
    return written


def build_member_reports(data: Path) -> list[tuple[str, str]]:
    """The reports of 各镇街's members, drawn from a seed of their own (the other units' reports stay as they
    were): progress on the tasks the group leads, each member a few points ahead of or behind the others."""
    rng = random.Random(20221115)
    ahead = {sid: rng.choice([-10, -5, 0, 0, 5, 10]) for sid, _ in STREETS}
    written = []
    for m in REPORT_MONTHS:
        first, _last = month_bounds(m)
        for sid, _name in STREETS:
            day = rng.randint(15, 25)
            nd, ns, npr = rng.choice([0, 1, 1, 2]), rng.choice([0, 0, 1, 2]), rng.choice([0, 0, 0, 1])
            picks = (rng.sample(DIFFICULTIES, 2), rng.sample(SUGGESTIONS, 2), rng.choice(PRACTICES))
            if m in MEMBER_MISSING.get(sid, set()):
                continue
            submitted = MEMBER_LATE.get((sid, str(m)), D(first.year, first.month, day))
            progress = []
            lagging = False
            for t in TASKS:
                if t["lead"] != GROUP_ID or t["start"] > submitted:
                    continue
                pct = max(5, min(90, progress_percent(t, submitted) + ahead[sid]))
                early, mid, _fin = t["notes"]
                progress.append({"task": t["id"], "percent": pct, "note": early if pct < 40 else mid})
                lagging = lagging or (t["due"] - submitted).days < 45
            difficulties = list(picks[0][:nd])
            if lagging:
                difficulties = [UNIT_DIFFICULTIES[GROUP_ID], *difficulties[:1]]
            rep = {"unit": sid, "month": m, "submitted": submitted, "progress": progress,
                   "difficulties": difficulties, "suggestions": list(picks[1][:ns]),
                   "practices": [picks[2]] if npr else []}
            rep = {k: v for k, v in rep.items() if v != []}
            write(data / "reports" / str(m) / f"{sid}.yaml", rep, header=[ILLUSTRATIVE, "# 联络员尚未指定，故未填 by。"])
            written.append((str(m), sid))
    return written


def build_illustrative(data: Path, units: dict) -> dict:
    for t in TASKS:
        write(data / "tasks" / f"{t['id']}.yaml", task_record(t), header=[ILLUSTRATIVE])
    write(data / "meetings" / f"{MEETING['id']}.yaml", MEETING, header=[ILLUSTRATIVE])
    for letter in LETTERS:
        write(data / "letters" / f"{letter['id']}.yaml", letter, header=[ILLUSTRATIVE])
    (data / "handovers").mkdir(parents=True, exist_ok=True)
    reports = build_reports(data, [uid for uid, _ in UNIT_IDS]) + build_member_reports(data)
    return {"reports": reports}


def verify_illustrative(data: Path, units: dict, reports: list[tuple[str, str]]) -> list[str]:
    out = []
    duty_owner = {d["id"]: uid for uid, u in units.items() for d in u["duties"]}
    tasks = {p.stem: load(p) for p in sorted((data / "tasks").glob("*.yaml"))}
    assert len(tasks) == 24
    as_of = D(2022, 12, 31)
    cats: dict[str, list[str]] = {}
    for tid, t in tasks.items():
        assert t["id"] == tid and re.fullmatch(r"t2022-\d{3}", tid)
        assert set(t) <= set(TASK_KEYS)
        assert t["lead"] in units and all(s in units and s != t["lead"] for s in t.get("support", []))
        for d in t.get("duties", []):
            assert duty_owner[d] == t["lead"], (tid, d)
        assert D(2022, 7, 1) <= t["start"] <= t["due"] <= D(2023, 12, 31)
        assert ("done" in t) == (t["status"] == "done")
        for ms in t.get("milestones", []):
            assert set(ms) <= {"name", "due", "done"} and D(2022, 7, 1) <= ms["due"] <= t["due"]
        if t["status"] == "done":
            assert t["start"] <= t["done"] <= D(2023, 12, 31)
            cat = "done" if t["done"] <= t["due"] else "done_late"
        elif t["status"] == "cancelled":
            cat = "cancelled"
        elif t["due"] < as_of:
            cat = f"overdue({(as_of - t['due']).days}d)"
        else:
            cat = "open"
        cats.setdefault(cat.split("(")[0], []).append(tid)
        if "source" in t:
            dec = [x for x in MEETING["decisions"] if x.get("task") == tid]
            assert len(dec) == 1 and dec[0]["lead"] == t["lead"] and dec[0]["due"] == t["due"]
    leads = {t["lead"] for t in tasks.values()}
    assert {"minzheng", "jiaoyu", "weijian", "fagai", "zhujian", "dashuju"} <= leads and len(leads) >= 10
    for dec in MEETING["decisions"]:
        if "lead" in dec:
            assert tasks[dec["task"]]["source"] == {"meeting": "2022-q3"}
    for letter in LETTERS:
        t = tasks[letter["tasks"][0]]
        assert t["lead"] == letter["unit"] and (letter["issued"] - t["due"]).days >= 7
        assert letter["reply_by"] == add_working_days(letter["issued"], 10)
        assert letter["replied"] is None or letter["replied"] < letter["reply_by"]
    for m, uid in reports:
        r = load(data / "reports" / m / f"{uid}.yaml")
        assert r["month"] == m and r["unit"] == uid and isinstance(r["month"], str)
        first, last = month_bounds(m)
        assert first <= r["submitted"] <= last + dt.timedelta(days=10)
        assert uid != GROUP_ID  # a group owes no report: its members do (spec 6.11)
        for row in r.get("progress", []):
            lead = tasks[row["task"]]["lead"]
            assert (lead == uid or uid in units[lead].get("members", [])) and 0 <= row["percent"] <= 100
    out.append("task categories as of 2022-12-31: " + "; ".join(f"{k}={len(v)}" for k, v in cats.items()))
    out.append(f"units leading tasks: {len(leads)}; reports: {len(reports)}")
    return out


# ---------------------------------------------------------------------------------------------
# Part 3: the working-day calendars of the years the data spans (spec 6.4)
# ---------------------------------------------------------------------------------------------
def build_calendars(data: Path) -> None:
    for year, cal in CALENDARS.items():
        write(
            data / "calendar" / f"{year}.yaml",
            calendar_record(year),
            header=[
                f"# {year} 年工作日历：转录自{cal['title']}（{cal['number']}），供示例数据按工作日计算时限。",
                "# holidays：放假日中的周一至周五；workdays：调休上班的周六、周日。已与 chinese-calendar 软件包的数据核对。",
            ],
        )


def verify_calendars(data: Path) -> list[str]:
    """The transcribed arrangements equal the chinese-calendar package's (when it is installed)."""
    try:
        from chinese_calendar import constants
    except ImportError:
        return ["calendars: chinese-calendar not installed, not compared"]
    out = []
    for year in CALENDARS:
        loaded = load(data / "calendar" / f"{year}.yaml")
        holidays = sorted(d for d in constants.holidays if d.year == year and d.weekday() < 5)
        workdays = sorted(d for d in constants.workdays if d.year == year)
        assert loaded["holidays"] == holidays, (year, loaded["holidays"], holidays)
        assert loaded["workdays"] == workdays, (year, loaded["workdays"], workdays)
        out.append(f"calendar {year}: {len(holidays)} holidays, {len(workdays)} workdays = chinese-calendar")
    return out


# ---------------------------------------------------------------------------------------------
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--notice", type=Path, default=DEFAULT_NOTICE)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args()
    text = args.notice.read_text(encoding="utf-8-sig")
    data: Path = args.data

    # start from a clean slate for the folders this script owns
    for sub in ("units", "tasks", "meetings", "reports", "letters", "calendar"):
        shutil.rmtree(data / sub, ignore_errors=True)
    data.mkdir(parents=True, exist_ok=True)

    n = parse_notice(text)
    built = build_transcription(n, data)
    build_calendars(data)
    extra = build_illustrative(data, built["units"])

    # every file re-loads to exactly the intended data
    for path, intended in WRITTEN:
        loaded = load(path)
        assert loaded == plain(intended), path
    print(f"re-load check: {len(WRITTEN)} files OK")
    for line in verify_calendars(data):
        print(line)
    for line in verify_transcription(text, n, data):
        print(line)
    for line in verify_illustrative(data, built["units"], extra["reports"]):
        print(line)
    print("VERIFICATION PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
