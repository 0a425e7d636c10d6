"""Renderers with exact expected output on small hand-built datasets (as check-jsonschema tests its
reporters), the one renderer table per module, and the parameter types that refuse bad values before
any lock is taken."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from laoxiao_cli.domain.calendar import parse_period
from laoxiao_cli.domain.overdue import overdue
from laoxiao_cli.domain.score import Scores, scores
from laoxiao_cli.domain.status import status
from laoxiao_cli.domain.validation import Validation
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.findings import Finding
from laoxiao_cli.render import findings as render_findings
from laoxiao_cli.render import overdue as render_overdue
from laoxiao_cli.render import score as render_score
from laoxiao_cli.render import status as render_status
from laoxiao_cli.render.common import View
from tests.conftest import Lx
from tests.factory import d, dataset, letter, report, task, unit

AS_OF = d("2022-08-31")


@pytest.fixture
def office() -> Dataset:
    """Two units at 2022-08-31 (the group started 2022-06-02, so reports are owed from July):

    - t1 (a leads, b supports) was due 07-31 and is open: 31 days late; the reminder l1 was issued
      08-05, reply by 08-15 and not answered, so the assignment letter is due next.
    - t2 (b) was due 08-15 and done 08-20: done late.
    - t3 (a) is due 09-30; its milestone 方案 was due 08-20: 11 days late.
    - a reported for July and August; b for neither (due 07-25 and 08-25: 37 and 6 days late).
    """
    return dataset(
        units=[unit("a", liaison={"name": "联络员甲", "phone": "0577-1"}), unit("b")],
        tasks=[
            task("t1", "2022-07-31", lead="a", support=["b"]),
            task("t2", "2022-08-15", lead="b", done="2022-08-20"),
            task("t3", "2022-09-30", lead="a", milestones=[{"name": "方案", "due": d("2022-08-20")}]),
        ],
        reports=[report("a", "2022-07", "2022-07-20"), report("a", "2022-08", "2022-08-24")],
        letters=[letter("l1", "reminder", ["t1"], "2022-08-05", "2022-08-15")],
    )


def names(ds: Dataset) -> dict[str, str]:
    return {u.id: u.name for u in ds.units.values()}


# --- status ----------------------------------------------------------------------------------------


def test_status_json(office: Dataset) -> None:
    assert render_status.FORMATS["json"](status(office, AS_OF), View()) == (
        "{\n"
        '  "as_of": "2022-08-31",\n'
        '  "tasks": {\n'
        '    "total": 3,\n'
        '    "open": 2,\n'
        '    "overdue": 1,\n'
        '    "done": 1,\n'
        '    "done_late": 1,\n'
        '    "cancelled": 0\n'
        "  },\n"
        '  "colours": {\n'
        '    "red": 1,\n'
        '    "yellow": 0,\n'
        '    "green": 1\n'
        "  },\n"
        '  "units": [\n'
        "    {\n"
        '      "id": "a",\n'
        '      "name": "a局",\n'
        '      "lead_open": 2,\n'
        '      "lead_overdue": 1,\n'
        '      "lead_done": 0,\n'
        '      "liaison": "联络员甲",\n'
        '      "missing_reports": []\n'
        "    },\n"
        "    {\n"
        '      "id": "b",\n'
        '      "name": "b局",\n'
        '      "lead_open": 0,\n'
        '      "lead_overdue": 0,\n'
        '      "lead_done": 1,\n'
        '      "liaison": null,\n'
        '      "missing_reports": [\n'
        '        "2022-07",\n'
        '        "2022-08"\n'
        "      ]\n"
        "    }\n"
        "  ],\n"
        '  "meetings": {\n'
        '    "last_held": null,\n'
        '    "overdue_quarters": []\n'
        "  },\n"
        '  "letters": {\n'
        '    "awaiting_reply": 1\n'
        "  }\n"
        "}\n"
    )


STATUS_MARKDOWN = """\
## 专班 工作状态（截至 2022-08-31）

任务 3 项：在办 2（其中逾期 1）· 已完成 1（其中逾期完成 1）· 已取消 0

三色预警（在办任务）：红 1 · 黄 0 · 绿 1（详见 lx progress）

| 单位 | 牵头在办 | 其中逾期 | 已完成 | 联络员 | 缺报月报 |
| --- | --- | --- | --- | --- | --- |
| a局 | 2 | 1 | 0 | {liaison} | — |
| b局 | 0 | 0 | 1 | 未明确 | 2022-07～2022-08（2个月） |

专班会议：最近一次召开 尚未召开；未按期召开的季度例会：无

待回复函件：1 件
- l1 提醒函 → a局（已超过回复期限 16 天）
"""


def test_status_markdown(office: Dataset) -> None:
    result = status(office, AS_OF)
    view = View(names(office))
    assert render_status.FORMATS["markdown"](result, view) == STATUS_MARKDOWN.format(liaison="联络员甲")


def test_status_markdown_shows_contacts_only_when_asked(office: Dataset) -> None:
    view = View(names(office), with_contacts=True)
    expected = STATUS_MARKDOWN.format(liaison="联络员甲（0577-1）")
    assert render_status.FORMATS["markdown"](status(office, AS_OF), view) == expected


# --- overdue ---------------------------------------------------------------------------------------


def test_overdue_json(office: Dataset) -> None:
    assert render_overdue.FORMATS["json"](overdue(office, AS_OF), View()) == (
        "{\n"
        '  "as_of": "2022-08-31",\n'
        '  "unit": null,\n'
        '  "items": [\n'
        "    {\n"
        '      "kind": "report",\n'
        '      "id": "2022-07/b",\n'
        '      "unit": "b",\n'
        '      "role": null,\n'
        '      "title": "2022年7月工作月报",\n'
        '      "due": "2022-07-25",\n'
        '      "days_late": 37,\n'
        '      "next_letter": null,\n'
        '      "colour": null\n'
        "    },\n"
        "    {\n"
        '      "kind": "task",\n'
        '      "id": "t1",\n'
        '      "unit": "a",\n'
        '      "role": "lead",\n'
        '      "title": "任务t1",\n'
        '      "due": "2022-07-31",\n'
        '      "days_late": 31,\n'
        '      "next_letter": "assignment",\n'
        '      "colour": "red"\n'
        "    },\n"
        "    {\n"
        '      "kind": "milestone",\n'
        '      "id": "t3#1",\n'
        '      "unit": "a",\n'
        '      "role": "lead",\n'
        '      "title": "方案",\n'
        '      "due": "2022-08-20",\n'
        '      "days_late": 11,\n'
        '      "next_letter": null,\n'
        '      "colour": "green"\n'
        "    },\n"
        "    {\n"
        '      "kind": "report",\n'
        '      "id": "2022-08/b",\n'
        '      "unit": "b",\n'
        '      "role": null,\n'
        '      "title": "2022年8月工作月报",\n'
        '      "due": "2022-08-25",\n'
        '      "days_late": 6,\n'
        '      "next_letter": null,\n'
        '      "colour": null\n'
        "    }\n"
        "  ],\n"
        '  "warnings": []\n'
        "}\n"
    )


def test_overdue_csv_has_a_bom_and_crlf_rows(office: Dataset) -> None:
    assert render_overdue.FORMATS["csv"](overdue(office, AS_OF), View(names(office))) == (
        "\ufeff类别,编号,单位,角色,事项,截止日期,逾期天数,应发函件,预警\r\n"
        "月报,2022-07/b,b局,,2022年7月工作月报,2022-07-25,37,,\r\n"
        "任务,t1,a局,牵头,任务t1,2022-07-31,31,交办函,红\r\n"
        "节点,t3#1,a局,牵头,方案,2022-08-20,11,,绿\r\n"
        "月报,2022-08/b,b局,,2022年8月工作月报,2022-08-25,6,,\r\n"
    )


def test_overdue_markdown(office: Dataset) -> None:
    assert render_overdue.FORMATS["markdown"](overdue(office, AS_OF), View(names(office))) == (
        "### 逾期事项（截至 2022-08-31）：共 4 项\n"
        "\n"
        "| 类别 | 编号 | 单位 | 角色 | 事项 | 截止日期 | 逾期天数 | 应发函件 | 预警 |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        "| 月报 | 2022-07/b | b局 |  | 2022年7月工作月报 | 2022-07-25 | 37 |  |  |\n"
        "| 任务 | t1 | a局 | 牵头 | 任务t1 | 2022-07-31 | 31 | 交办函 | 红 |\n"
        "| 节点 | t3#1 | a局 | 牵头 | 方案 | 2022-08-20 | 11 |  | 绿 |\n"
        "| 月报 | 2022-08/b | b局 |  | 2022年8月工作月报 | 2022-08-25 | 6 |  |  |\n"
    )


def test_overdue_markdown_of_one_unit_a_supporter_and_nothing_late(office: Dataset) -> None:
    view = View(names(office))
    assert render_overdue.FORMATS["markdown"](overdue(office, AS_OF, "b"), view) == (
        "### b局 逾期事项（截至 2022-08-31）：共 3 项\n"
        "\n"
        "| 类别 | 编号 | 单位 | 角色 | 事项 | 截止日期 | 逾期天数 | 应发函件 | 预警 |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        "| 月报 | 2022-07/b | b局 |  | 2022年7月工作月报 | 2022-07-25 | 37 |  |  |\n"
        "| 任务 | t1 | b局 | 配合 | 任务t1 | 2022-07-31 | 31 |  | 红 |\n"
        "| 月报 | 2022-08/b | b局 |  | 2022年8月工作月报 | 2022-08-25 | 6 |  |  |\n"
    )
    assert render_overdue.FORMATS["markdown"](overdue(office, d("2022-07-01")), view) == (
        "### 逾期事项（截至 2022-07-01）：共 0 项\n\n没有逾期事项。\n"
    )


# --- score -----------------------------------------------------------------------------------------


@pytest.fixture
def scored() -> Dataset:
    """2022-Q3: a leads s1 (weight 2, done on time), s2 (done late, inside the quarter) and s3 (open):
    100 × (2 × 1.0 + 1 × 0.5 + 0) ÷ 4 = 62.5, with every report in. b leads nothing and reported never."""
    return dataset(
        tasks=[
            task("s1", "2022-07-31", lead="a", done="2022-07-30", weight=2),
            task("s2", "2022-08-31", lead="a", done="2022-09-10"),
            task("s3", "2022-09-30", lead="a"),
        ],
        reports=[report("a", m, f"{m}-20") for m in ("2022-07", "2022-08", "2022-09")],
    )


def _q3(ds: Dataset) -> Scores:
    period = parse_period("2022-Q3")
    assert period is not None
    return scores(ds, period)


def test_score_csv(scored: Dataset) -> None:
    assert render_score.FORMATS["csv"](_q3(scored), View()) == (
        "\ufeff单位编号,单位,任务数,权重合计,得分权重,缺报月报,得分\r\na,a局,3,4,2.5,0,62.5\r\nb,b局,0,0,0.0,3,—\r\n"
    )


def test_score_json(scored: Dataset) -> None:
    assert render_score.FORMATS["json"](_q3(scored), View()) == (
        "{\n"
        '  "period": "2022-Q3",\n'
        '  "end": "2022-09-30",\n'
        '  "as_of": "2022-09-30",\n'
        '  "units": [\n'
        "    {\n"
        '      "id": "a",\n'
        '      "name": "a局",\n'
        '      "score": 62.5,\n'
        '      "tasks": 3,\n'
        '      "earned": 2.5,\n'
        '      "missing_reports": 0,\n'
        '      "penalty": 0.0,\n'
        '      "weight": 4.0,\n'
        '      "task_ids": [\n'
        '        "s1",\n'
        '        "s2",\n'
        '        "s3"\n'
        "      ]\n"
        "    },\n"
        "    {\n"
        '      "id": "b",\n'
        '      "name": "b局",\n'
        '      "score": null,\n'
        '      "tasks": 0,\n'
        '      "earned": 0.0,\n'
        '      "missing_reports": 3,\n'
        '      "penalty": 6.0,\n'
        '      "weight": 0.0,\n'
        '      "task_ids": []\n'
        "    }\n"
        "  ]\n"
        "}\n"
    )


# --- findings --------------------------------------------------------------------------------------

FOUND = Validation(
    [
        Finding("data/tasks/t1.yaml", "缺少必填字段 due", line=3, column=1),
        Finding("data/units/b,c.yaml", "50% 的值: a,b\n第二行"),
    ],
    files=5,
)
CLEAN = Validation([], files=5)


def test_findings_text() -> None:
    assert render_findings.FORMATS["text"](FOUND, View()) == (
        "data/tasks/t1.yaml:3:1: 缺少必填字段 due\n"
        "data/units/b,c.yaml: 50% 的值: a,b\n第二行\n"
        "共检查 5 个文件，发现 2 个问题。\n"
    )
    assert render_findings.FORMATS["text"](CLEAN, View()) == "共检查 5 个文件，全部通过。\n"


def test_findings_json() -> None:
    assert render_findings.FORMATS["json"](FOUND, View()) == (
        "{\n"
        '  "ok": false,\n'
        '  "files": 5,\n'
        '  "errors": [\n'
        "    {\n"
        '      "file": "data/tasks/t1.yaml",\n'
        '      "line": 3,\n'
        '      "column": 1,\n'
        '      "message": "缺少必填字段 due"\n'
        "    },\n"
        "    {\n"
        '      "file": "data/units/b,c.yaml",\n'
        '      "line": null,\n'
        '      "column": null,\n'
        '      "message": "50% 的值: a,b\\n第二行"\n'
        "    }\n"
        "  ]\n"
        "}\n"
    )
    assert render_findings.FORMATS["json"](CLEAN, View()) == '{\n  "ok": true,\n  "files": 5,\n  "errors": []\n}\n'


def test_findings_github_escapes_properties_and_messages() -> None:
    assert render_findings.FORMATS["github"](FOUND, View()) == (
        "::error file=data/tasks/t1.yaml,line=3,col=1::缺少必填字段 due\n"
        "::error file=data/units/b%2Cc.yaml::50%25 的值: a,b%0A第二行\n"
    )
    assert render_findings.FORMATS["github"](CLEAN, View()) == ""


# --- one table per render module, one signature, the labels ---------------------------------------

RENDERERS = {
    "bulletin": ["markdown", "json", "docx"],
    "checklist": ["table", "markdown", "csv", "json", "xlsx"],
    "findings": ["text", "json", "github", "gitlab"],
    "handover": ["text", "markdown", "json"],
    "history": ["table", "json"],
    "ics": ["ics"],
    "letters": ["table", "json"],
    "minutes": ["markdown", "docx"],
    "overdue": ["table", "json", "markdown", "csv", "xlsx"],
    "progress": ["table", "json", "markdown"],
    "reports": ["table", "json", "markdown"],
    "score": ["table", "json", "csv", "xlsx"],
    "site": ["index.html", "style.css"],
    "status": ["table", "json", "markdown"],
}


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_each_render_module_exports_its_formats_by_name(name: str) -> None:
    module = importlib.import_module(f"laoxiao_cli.render.{name}")
    assert list(module.FORMATS) == RENDERERS[name]
    assert all(callable(renderer) for renderer in module.FORMATS.values())


@pytest.mark.parametrize(
    ("command", "renderer"),
    [
        (["status"], "status"),
        (["overdue"], "overdue"),
        (["checklist"], "checklist"),
        (["progress"], "progress"),
        (["reports"], "reports"),
        (["handover"], "handover"),
        (["history"], "history"),
        (["letters"], "letters"),
        (["meeting", "minutes"], "minutes"),
        (["score"], "score"),
        (["bulletin"], "bulletin"),
        (["validate"], "findings"),
    ],
)
def test_format_choices_are_the_renderers_formats(lx: Lx, command: list[str], renderer: str) -> None:
    shown = lx(*command, "--help").output
    assert "-f, --format <" + "|".join(RENDERERS[renderer]) + ">" in shown


def test_a_format_not_in_the_table_is_a_usage_error(repo: Path, lx: Lx) -> None:
    result = lx("status", "-f", "xml", cwd=repo)
    assert result.exit_code == 2
    assert "用法错误：--format / -f 的值“xml”无效，应为以下之一：table、json、markdown\n" in result.output
    assert "运行 lx status -h 查看帮助。" in result.output and "Error" not in result.output


# --- bad values are refused while parsing: exit 2, the Chinese message, no lock -------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "--as-of", "2022-13-01"], "用法错误：“2022-13-01”不是日期：应为 YYYY-MM-DD，如 2022-12-31"),
        (["letters", "issue", "--as-of", "2022-12-32"], "用法错误：“2022-12-32”不是日期"),
        (["meeting", "agenda", "--write", "--as-of", "2023-02-30"], "用法错误：“2023-02-30”不是日期"),
        (
            ["handover", "--unit", "alpha", "--role", "liaison", "--to", "张三", "--date", "2023-13-01"],
            "用法错误：“2023-13-01”不是日期：应为 YYYY-MM-DD，如 2022-12-31",
        ),
        (
            ["reports", "--month", "2022-13"],
            "用法错误：--month / -m：“2022-13”不是月份：应为 YYYY-MM，如 2022-08",
        ),
        (["reports", "new", "--unit", "alpha", "--month", "2023-1"], "“2023-1”不是月份：应为 YYYY-MM，如 2022-08"),
        (["status", "--as-of", "9999-12-31"], "用法错误：日期“9999-12-31”超出范围：年份应在 1900 至 2999 之间"),
        (["overdue", "--as-of", "0001-01-01"], "用法错误：日期“0001-01-01”超出范围：年份应在 1900 至 2999 之间"),
        (["score", "--period", "9999"], "用法错误：--period / -p：“9999”不是考核期"),
        (
            ["score", "--period", "2022-Q5"],
            "用法错误：--period / -p：“2022-Q5”不是考核期：应为 YYYY、YYYY-H1/H2、YYYY-Q1…Q4 或 YYYY-MM（年份 1900–2999），如 2022-Q3",
        ),
    ],
)
def test_a_bad_value_is_refused_before_any_lock(repo: Path, lx: Lx, args: list[str], message: str) -> None:
    result = lx(*args, cwd=repo)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (repo / ".git" / "lx.lock").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["handover", "--unit", "alpha", "--role", "liaison", "--to", "张三"],
        ["letters", "issue"],
        ["reports", "new", "--unit", "alpha", "--month", "2023-01"],
    ],
)
def test_a_bad_lx_today_is_refused_before_any_lock(repo: Path, lx: Lx, args: list[str]) -> None:
    result = lx(*args, cwd=repo, env={"LX_TODAY": "2023-13-01"})
    assert result.exit_code == 2, result.output
    assert "环境变量 LX_TODAY=“2023-13-01”不是日期：应为 YYYY-MM-DD" in result.output
    assert not (repo / ".git" / "lx.lock").exists()


def test_a_writing_command_does_take_the_lock(repo: Path, lx: Lx) -> None:
    """The lock file the refusals above must not create is the one a write does create."""
    result = lx("reports", "new", "--unit", "alpha", "--month", "2023-01", "--as-of", "2023-01-03", cwd=repo)
    assert result.exit_code == 0, result.output
    assert (repo / ".git" / "lx.lock").exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["status", "--foo"], "用法错误：没有选项 --foo"),
        (["handover", "-u", "alpha", "--role", "liaison"], "用法错误：缺少必需的选项 --to"),
        (["handover", "-u", "alpha", "--role", "联络员", "--to", "x"], "应为以下之一：member、liaison"),
        (["no-such-command"], "用法错误：没有命令“no-such-command”"),
        (["status", "extra"], "用法错误：多余的参数：extra"),
        (["status", "--as-of"], "用法错误：选项 --as-of 后面需要一个值"),
        (["history"], "用法错误：缺少必需的参数 RECORD"),
    ],
)
def test_usage_errors_are_chinese(repo: Path, lx: Lx, args: list[str], said: str) -> None:
    result = lx(*args, cwd=repo)
    assert result.exit_code == 2, result.output
    assert said in result.output
    for english in ("Error:", "Try '", "Missing option", "No such", "is not one of", "Got unexpected"):
        assert english not in result.output


def test_lx_alone_prints_the_help(lx: Lx, tmp_path: Path) -> None:
    result = lx(cwd=tmp_path)
    assert result.exit_code == 0
    assert result.stdout.startswith("用法：lx [OPTIONS] COMMAND [ARGS]...") and "命令:" in result.stdout
