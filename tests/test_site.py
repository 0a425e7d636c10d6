"""`lx site -o DIR` (spec 11.4): the dashboard's numbers, its HTML, the command, and the page in a real
headless Chromium (the system's package; tests/browser.py speaks the DevTools protocol to it)."""

from __future__ import annotations

import os
import shutil
import struct
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from laoxiao_cli.domain.site import Site, site
from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Meeting
from laoxiao_cli.render import site as render
from laoxiao_cli.render import site_charts
from laoxiao_cli.render.common import View
from laoxiao_cli.repo import Repo
from tests.browser import Browser, Page, find_chromium
from tests.conftest import BUNDLED, Lx, git, init_git, write_files
from tests.factory import d, dataset, report, task, unit

YEAR_END = d("2022-12-31")


@pytest.fixture(scope="module")
def ouhai(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The bundled 瓯海 data, loaded once for the module."""
    root = tmp_path_factory.mktemp("site-data")
    shutil.copytree(BUNDLED, root / "data")
    init_git(root)
    return Repo.open(root / "data").load().require()


def names(ds: Dataset) -> View:
    return View({u.id: u.name for u in ds.units.values()})


class Elements(HTMLParser):
    """Every start tag of a page with its attributes (the standard library's parser: no dependency)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))

    def having(self, tag: str, cls: str) -> list[dict[str, str]]:
        return [a for t, a in self.found if t == tag and cls in a.get("class", "").split()]


# --- the numbers: the bundled data, checked by hand ---------------------------------------------------


def test_bundled_at_the_year_end(ouhai: Dataset) -> None:
    s = site(ouhai, YEAR_END)
    t = s.status.tasks
    assert (t.total, t.open, t.overdue, t.done, t.done_late, t.cancelled) == (24, 12, 6, 11, 4, 1)
    assert s.status.colours == {"red": 6, "yellow": 1, "green": 5}
    # done in the month / overdue at its end: 12 done t004 (12-12), t008 (12-20), t010 (12-09), t019 (12-16);
    # October's end: only t016 (due 09-30) — t015 is due on 10-31 itself
    assert [(m.month, m.judged, m.done, m.overdue) for m in s.months] == [
        ("2022-06", d("2022-06-30"), 0, 0),
        ("2022-07", d("2022-07-31"), 0, 0),
        ("2022-08", d("2022-08-31"), 1, 0),
        ("2022-09", d("2022-09-30"), 2, 0),
        ("2022-10", d("2022-10-31"), 2, 1),
        ("2022-11", d("2022-11-30"), 2, 3),
        ("2022-12", d("2022-12-31"), 4, 6),
    ]
    bars = {b.unit: (b.open, b.overdue, b.done) for b in s.units if b.total}
    assert bars == {
        "fagai": (0, 1, 2),
        "jiaoyu": (1, 0, 1),
        "minzheng": (0, 1, 1),
        "caizheng": (0, 0, 1),
        "renshe": (0, 1, 0),
        "zhujian": (1, 1, 1),
        "shangwu": (0, 0, 1),
        "weijian": (1, 0, 2),
        "tongji": (0, 1, 0),
        "dashuju": (0, 0, 1),
        "yibao": (1, 0, 0),
        "xiaofang": (0, 0, 1),
        "zonggonghui": (1, 0, 0),
        "cishan": (1, 0, 0),
        "zhenjie": (0, 1, 0),
        # t2022-020, led by the group 各镇街, is each member's too (spec 6.11)
        **{member: (0, 1, 0) for member in ouhai.members("zhenjie")},
    }
    assert len(ouhai.members("zhenjie")) == 13
    assert sum(b.total for b in s.units if b.unit not in ouhai.group_of) == t.total - t.cancelled
    assert s.report_months == ["2022-07", "2022-08", "2022-09", "2022-10", "2022-11", "2022-12"]
    tally = {state: sum(r.states.count(state) for r in s.reports) for state in ("submitted", "late", "missing")}
    assert tally == {"submitted": 213, "late": 7, "missing": 38}
    assert sum(item.kind == "report" for item in s.overdue) == 38  # the grid's missing cells, one by one
    rows = {r.unit: r.states for r in s.reports}
    assert rows["gongdian"] == ["missing"] * 6
    assert rows["zhenjie"] == ["not_owed"] * 6  # a group owes no report: its members do
    assert rows["shuiwu"] == ["submitted", "submitted", "submitted", "missing", "missing", "submitted"]
    assert [(o.kind, o.id) for o in s.overdue if o.kind != "report"] == [
        ("task", "t2022-016"),
        ("task", "t2022-015"),
        ("task", "t2022-020"),
        ("milestone", "t2022-020#2"),
        ("milestone", "t2022-003#2"),
        ("task", "t2022-013"),
        ("task", "t2022-003"),
        ("milestone", "t2022-001#2"),
        ("task", "t2022-009"),
    ]
    assert s.meeting is not None and (s.meeting.id, s.meeting.date) == ("2022-q3", d("2022-09-20"))
    assert [(x.number, x.task, x.state, x.colour) for x in s.meeting.decisions] == [
        (1, "t2022-002", "done", None),
        (2, "t2022-003", "overdue", "red"),
        (3, "t2022-004", "done_late", None),
        (4, None, None, None),
    ]
    assert [letter.id for letter in s.awaiting] == ["l2022-002"]


def test_bundled_at_the_end_of_november(ouhai: Dataset) -> None:
    s = site(ouhai, d("2022-11-30"))
    assert [m.month for m in s.months][-1] == "2022-11" and (s.months[-1].done, s.months[-1].overdue) == (2, 3)
    assert s.status.colours == {"red": 3, "yellow": 6, "green": 7}
    bars = {b.unit: (b.open, b.overdue, b.done) for b in s.units}
    assert bars["fagai"] == (3, 0, 0)  # t004 done 12-12, t009, t010 done 12-09: all still open
    assert bars["xiaofang"] == (1, 0, 0)  # t019 done 12-16
    assert s.report_months[-1] == "2022-11"
    assert s.meeting is not None
    assert [(x.state, x.colour) for x in s.meeting.decisions[:3]] == [
        ("done", None),
        ("open", "yellow"),  # t003 due 12-15, behind its schedule
        ("open", "yellow"),  # t004 due on the day
    ]


def test_units_in_roster_order(ouhai: Dataset) -> None:
    s = site(ouhai, YEAR_END)
    roster = ouhai.group.units
    assert roster is not None and roster[:3] == ["quweiban", "qufuban", "zuzhibu"]
    assert [b.unit for b in s.units] == [r.unit for r in s.reports] == list(ouhai.units)
    assert [b.unit for b in s.units][: len(roster)] == roster


@pytest.mark.parametrize(
    ("as_of", "overdue", "november_overdue"),
    [("2022-10-30", 0, None), ("2022-10-31", 0, None), ("2022-11-01", 1, 3)],
)
def test_a_task_is_overdue_the_day_after_its_due(
    ouhai: Dataset, as_of: str, overdue: int, november_overdue: int | None
) -> None:
    """t2022-015 (区人力社保局) is due on 2022-10-31: overdue from 11-01, and then counted in the month
    (with t2022-016, due 09-30, and t2022-012, due 10-31 and done 11-18)."""
    s = site(ouhai, d(as_of))
    renshe = next(b for b in s.units if b.unit == "renshe")
    assert (renshe.open, renshe.overdue) == (1 - overdue, overdue)
    last = s.months[-1]
    assert last.judged == d(as_of)
    if november_overdue is None:
        assert last.month == "2022-10" and last.overdue == 1  # t016 alone
    else:
        assert (last.month, last.overdue) == ("2022-11", november_overdue)


@pytest.mark.parametrize(
    ("as_of", "state"), [("2022-12-25", "pending"), ("2022-12-26", "pending"), ("2022-12-27", "missing")]
)
def test_a_report_is_missing_the_day_after_its_due(ouhai: Dataset, as_of: str, state: str) -> None:
    """December's reports are due on 12-26 (the 25th is a Sunday and the group counts working days)."""
    s = site(ouhai, d(as_of))
    zhifa = next(r for r in s.reports if r.unit == "zhifa")
    assert s.report_months[-1] == "2022-12" and zhifa.states[-1] == state


def test_before_the_group_started_there_is_nothing_to_count(ouhai: Dataset) -> None:
    s = site(ouhai, d("2022-06-01"))
    assert (s.months, s.report_months, s.meeting, s.awaiting) == ([], [], None, [])
    assert all(r.states == [] for r in s.reports)
    assert [m.month for m in site(ouhai, d("2022-06-02")).months] == ["2022-06"]


def _small() -> Dataset:
    decided = Meeting.model_validate(
        {
            "id": "2022-q3",
            "kind": "regular",
            "status": "held",
            "date": d("2022-09-20"),
            "chair": "组长甲",
            "decisions": [{"text": "甲完成", "task": "t1"}, {"text": "另行研究", "lead": "b", "due": d("2022-12-31")}],
        }
    )
    tasks = [
        task("t1", "2022-10-31", done="2022-10-31"),  # done on the month's last day: October
        task("t2", "2022-10-30", done="2022-11-01"),  # a day later: November, and overdue at October's end
        task("t3", "2022-11-30", lead="b"),
        task("t4", "2022-09-30", status="cancelled", cancelled={"date": d("2022-09-01"), "reason": "撤销"}),
    ]
    return dataset(
        units=[unit("a"), unit("b")], tasks=tasks, meetings=[decided], reports=[report("a", "2022-07", "2022-07-20")]
    )


def test_done_in_a_month_and_overdue_at_its_end() -> None:
    s = site(_small(), d("2022-12-10"))
    by_month = {m.month: (m.done, m.overdue) for m in s.months}
    assert by_month["2022-10"] == (1, 1)
    assert by_month["2022-11"] == (1, 0)  # t3 is due on 11-30 itself
    assert by_month["2022-12"] == (0, 1)
    assert site(_small(), d("2022-10-31")).months[-1].done == 1  # t2's done (11-01) has not happened yet


def test_decisions_with_and_without_a_task() -> None:
    s = site(_small(), d("2022-12-10"))
    assert s.meeting is not None
    first, second = s.meeting.decisions
    assert (first.task, first.state, first.due, first.lead) == ("t1", "done", d("2022-10-31"), "a")
    assert (second.task, second.state, second.due, second.lead) == (None, None, d("2022-12-31"), "b")


# --- the page ----------------------------------------------------------------------------------------


def test_the_page_holds_what_the_result_holds(ouhai: Dataset) -> None:
    s = site(ouhai, YEAR_END)
    html = render.page(s, names(ouhai))
    page = Elements(html)
    assert html.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert '<meta charset="utf-8">' in html and 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert "<title>“一老一小”一体化试点工作专班工作看板（截至 2022-12-31）</title>" in html
    assert [g["data-unit"] for g in page.having("svg", "unit")] == list(ouhai.units)
    segments = page.having("rect", "seg")
    assert len(segments) == sum(bool(n) for b in s.units for n in (b.open, b.overdue, b.done)) == 21 + 13
    assert sum(int(r["data-count"]) for r in segments if "seg-overdue" in r["class"]) == 6 + 13  # 13 members
    bars = page.having("rect", "bar")
    assert html.count("<title>") == 1 + len(segments) + len(bars)  # the page's, then a tooltip for every bar
    assert [int(b["data-value"]) for b in bars] == [v for m in s.months for v in (m.done, m.overdue)]
    cells = page.having("td", "rs")
    assert len(cells) == len(s.reports) * len(s.report_months) == 44 * 6
    assert [c["data-state"] for c in cells] == [state for r in s.reports for state in r.states]
    assert "另有逾期未报月报 38 份" in html
    listed = [a["data-id"] for t, a in page.found if t == "tr" and "data-id" in a]
    assert listed == [o.id for o in s.overdue if o.kind != "report"]
    assert "已超过回复期限 37 天" in html  # l2022-002, reply by 11-24
    assert "有跟踪任务的 3 项中已完成 2 项" in html
    assert 'class="notice"' not in html  # the data is whole: no warning that records were left out


def test_nothing_on_the_page_comes_from_elsewhere(ouhai: Dataset) -> None:
    """Only the style sheet beside it: no script, no font, no image, no address with a scheme."""
    html = render.page(site(ouhai, YEAR_END), names(ouhai))
    page = Elements(html)
    links = [(t, a.get("href") or a.get("src")) for t, a in page.found if a.get("href") or a.get("src")]
    assert links == [("link", "style.css")]
    assert not [t for t, _ in page.found if t in ("script", "img", "iframe", "object", "embed")]
    css = render.style(site(ouhai, YEAR_END), View())
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    assert "@media print" in css and "max-width: 640px" in css


def test_data_text_is_escaped() -> None:
    evil = "<script>alert(1)</script> & “引号”\x1b[31m"
    ds = dataset(units=[unit("a", name="甲<b>局</b>")], tasks=[task("t1", "2022-07-01", title=evil)])
    html = render.page(site(ds, d("2022-12-31")), names(ds))
    assert "<script>" not in html and "<b>" not in html and "\x1b" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; “引号”\ufffd[31m" in html
    assert "甲&lt;b&gt;局&lt;/b&gt;" in html


def test_unit_chart_lengths_are_against_the_largest_unit() -> None:
    from laoxiao_cli.domain.site import UnitBar

    chart = site_charts.units([UnitBar("a", "甲", 1, 1, 2), UnitBar("b", "乙", 1, 0, 0), UnitBar("c", "丙", 0, 0, 0)])
    a, b, c = chart.rows
    assert [(s.kind, s.x, s.width) for s in a.segments] == [
        ("overdue", "0%", "25%"),
        ("open", "25%", "25%"),
        ("done", "50%", "50%"),
    ]
    assert [(s.kind, s.width) for s in b.segments] == [("open", "25%")]
    assert (c.segments, c.label) == ([], "无牵头任务")
    assert a.label == "逾期 1 · 在办 1 · 完成 2" and a.segments[0].title == "甲：逾期 1 项"
    assert chart.height == site_charts.UNIT_ROW


def test_month_chart_heights_are_against_the_largest_value(ouhai: Dataset) -> None:
    chart = site_charts.months(site(ouhai, YEAR_END).months)
    december = chart.columns[-1]
    assert [(b.kind, b.value, b.height) for b in december.bars] == [("done", 4, 100), ("overdue", 6, 150)]
    assert all(b.y + b.height == chart.baseline for col in chart.columns for b in col.bars)
    assert [col.year for col in chart.columns] == ["2022年", None, None, None, None, None, None]
    assert december.bars[1].title == "2022年12月：截至 12月31日逾期 6 项"


# --- the command ------------------------------------------------------------------------------------


def test_writes_the_page_and_its_style_into_a_new_folder(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    out = tmp_path / "看板" / "2022"
    result = lx("site", "-o", str(out), "--as-of", "2022-12-31", cwd=bundled)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "style.css"]
    assert f"已生成 {out / 'index.html'}" in result.stderr
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '数据截至 <time datetime="2022-12-31">2022年12月31日</time>' in html
    assert git(bundled, "status", "--porcelain", "--untracked-files=all") == ""  # nothing in data/


def test_running_again_replaces_only_its_own_files(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "说明.txt").write_text("办公室自己的文件", encoding="utf-8")
    assert lx("site", "-o", str(out), "--as-of", "2022-11-30", cwd=bundled).exit_code == 0
    assert "（截至 2022-11-30）" in (out / "index.html").read_text(encoding="utf-8")
    assert lx("site", "-o", str(out), "--as-of", "2022-12-31", cwd=bundled).exit_code == 0
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "（截至 2022-12-31）" in html and "（截至 2022-11-30）" not in html
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "style.css", "说明.txt"]  # no temporary files
    assert (out / "说明.txt").read_text(encoding="utf-8") == "办公室自己的文件"


def test_output_folder_is_required(bundled: Path, lx: Lx) -> None:
    result = lx("site", "--as-of", "2022-12-31", cwd=bundled)
    assert result.exit_code == 2
    assert "-o" in result.output and "缺少" in result.output


def test_a_file_in_place_of_the_folder_is_refused(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    blocker = tmp_path / "site"
    blocker.write_text("不是文件夹", encoding="utf-8")
    result = lx("site", "-o", str(blocker), "--as-of", "2022-12-31", cwd=bundled)
    assert result.exit_code == 1
    assert f"错误：{blocker} 不是文件夹" in result.stderr and "Traceback" not in result.output
    assert blocker.read_text(encoding="utf-8") == "不是文件夹"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("_")) == ["ouhai", "site"]


def test_a_folder_in_place_of_the_page_writes_nothing(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    out = tmp_path / "site"
    (out / "index.html").mkdir(parents=True)
    result = lx("site", "-o", str(out), "--as-of", "2022-12-31", cwd=bundled)
    assert result.exit_code == 1 and "是一个文件夹" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]  # no style.css, no temporary file


def test_at_reads_the_data_as_committed(bundled: Path, lx: Lx, tmp_path: Path) -> None:
    path = bundled / "data/tasks/t2022-016.yaml"
    old = "婴幼儿与老龄人口统计分析"
    path.write_text(path.read_text(encoding="utf-8").replace(old, "人口统计新标题"), encoding="utf-8")
    git(bundled, "commit", "-qam", "改标题")
    path.write_text(path.read_text(encoding="utf-8").replace("人口统计新标题", "工作区里的标题"), encoding="utf-8")
    out = tmp_path / "past"
    result = lx("site", "-o", str(out), "--at", "HEAD~1", "--as-of", "2022-12-31", cwd=bundled)
    assert result.exit_code == 0, result.output
    html = (out / "index.html").read_text(encoding="utf-8")
    assert old in html and "人口统计新标题" not in html and "工作区里的标题" not in html
    assert lx("site", "-o", str(out), "--at", "HEAD", "--as-of", "2022-12-31", cwd=bundled).exit_code == 0
    assert "人口统计新标题" in (out / "index.html").read_text(encoding="utf-8")
    assert git(bundled, "status", "--porcelain") == " M data/tasks/t2022-016.yaml\n"


def test_broken_data_still_gives_a_page_and_exit_1(repo: Path, lx: Lx, tmp_path: Path) -> None:
    write_files(repo, {"data/letters/l2022-001.yaml": "id: l2022-001\nkind: 提醒\n"})
    out = tmp_path / "site"
    result = lx("site", "-o", str(out), "--as-of", "2022-12-31", cwd=repo)
    assert result.exit_code == 1
    assert "data/letters/l2022-001.yaml" in result.stderr and "未计入" in result.stderr
    assert result.stderr.index("未计入") < result.stderr.index("已生成")  # the findings first (spec 13)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "测试工作看板" in html and 'class="notice"' in html and "未计入这些文件中的记录" in html


def test_help_is_chinese(lx: Lx) -> None:
    result = lx("site", "--help")
    assert result.exit_code == 0
    assert "工作看板网页" in result.stdout and "输出文件夹" in result.stdout and "--at" in result.stdout


# --- in a real browser -----------------------------------------------------------------------------

PHONE, DESKTOP = 390, 1280


def _need_chromium() -> str:
    """The system's Chromium, or a skip (locally) / a failure (under CI) that says how to get it."""
    found = find_chromium()
    if found is None:
        message = "缺少 Chromium：请以 root 运行 tools/system-packages.sh（make test 会先运行它），或设置 LX_CHROMIUM"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    executable = _need_chromium()
    with Browser.start(tmp_path_factory.mktemp("chromium-profile"), executable) as started:
        yield started


def _site(lx: Lx, root: Path, out: Path, as_of: str = "2022-12-31") -> Path:
    result = lx("site", "-o", str(out), "--as-of", as_of, cwd=root)
    assert result.exit_code in (0, 1), result.output
    return out / "index.html"


SNAPSHOT = """(() => {
  const all = (selector) => Array.from(document.querySelectorAll(selector));
  const chart = document.querySelector('#chart-units svg').getBoundingClientRect().width;
  return {
    chart,
    styled: getComputedStyle(document.querySelector('.masthead')).backgroundImage.includes('gradient'),
    units: all('#chart-units svg.unit').map((g) => g.dataset.unit),
    segments: all('#chart-units rect.seg').map((r) =>
      [r.closest('svg').dataset.unit, r.classList[1], Number(r.dataset.count), r.getBBox().width]),
    bars: all('#chart-months rect.bar').map((r) =>
      [r.closest('g').dataset.month, r.classList[1], Number(r.dataset.value), r.getBBox().height]),
    grid: all('#reports-grid tbody tr').map((tr) =>
      [tr.dataset.unit, all('#reports-grid tbody tr[data-unit="' + tr.dataset.unit + '"] td').map((td) => td.dataset.state)]),
    words: all('#reports-grid td.rs-missing').every((td) => td.textContent === '未报'),
    scrollWidth: document.documentElement.scrollWidth,
    bodyWidth: document.body.scrollWidth,
  };
})()"""


def _clean(page: Page, folder: Path) -> None:
    """No console message of a warning or worse, no exception, and every request a file inside ``folder``."""
    assert [m for m in page.console if m["type"] in ("error", "warning", "assert")] == []
    assert page.exceptions == []
    assert page.requests, "the page was not loaded"
    for url in page.requests:
        parsed = urlparse(url)
        assert parsed.scheme == "file", url
        assert Path(unquote(parsed.path)).resolve().is_relative_to(folder.resolve()), url


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.slow
@pytest.mark.parametrize(("width", "mobile"), [(PHONE, True), (DESKTOP, False)], ids=["phone", "desktop"])
def test_the_page_in_chromium(
    browser: Browser, ouhai: Dataset, bundled: Path, lx: Lx, tmp_path: Path, width: int, mobile: bool
) -> None:
    index = _site(lx, bundled, tmp_path / "site")
    page = browser.open(index.as_uri(), width, mobile=mobile)
    _clean(page, index.parent)
    got = page.evaluate(SNAPSHOT)
    want: Site = site(ouhai, YEAR_END)
    assert got["styled"], "style.css was not applied"
    assert got["units"] == [b.unit for b in want.units]
    # a segment per non-zero count, as long as its share of the largest unit's tasks (fagai, zhujian, weijian: 3)
    most = max(b.total for b in want.units)
    expected = [
        (b.unit, f"seg-{k}", n)
        for b in want.units
        for k, n in (("overdue", b.overdue), ("open", b.open), ("done", b.done))
        if n
    ]
    assert [tuple(s[:3]) for s in got["segments"]] == expected
    for _unit, _kind, count, drawn in got["segments"]:
        assert drawn == pytest.approx(got["chart"] * count / most, abs=1.0)
    assert [tuple(b[:3]) for b in got["bars"]] == [
        (m.month, f"bar-{k}", v) for m in want.months for k, v in (("done", m.done), ("overdue", m.overdue))
    ]
    for *_, value, height in got["bars"]:
        assert (height > 0) == (value > 0)
    assert got["grid"] == [[r.unit, r.states] for r in want.reports]
    assert got["words"]
    assert got["scrollWidth"] <= width and got["bodyWidth"] <= width  # no sideways page scroll, phone too
    shot = page.screenshot(tmp_path / f"dashboard-{'phone' if mobile else 'desktop'}.png")
    print(f"screenshot: {shot}")
    shot_width, shot_height = _png_size(shot)
    assert shot_width == width and shot_height > (3000 if mobile else 2000)
    assert shot.stat().st_size > 100_000


PRINTED = """(() => {
  const shown = (el) => getComputedStyle(el).display !== 'none';
  const heads = Array.from(document.querySelectorAll('#reports-grid thead th[data-month]'));
  const grid = document.querySelector('#reports-grid').getBoundingClientRect();
  const chart = document.querySelector('#chart-months').getBoundingClientRect();
  return {
    months: heads.filter(shown).map((th) => th.dataset.month),
    all: heads.length,
    cells: Array.from(document.querySelectorAll('#reports-grid tbody tr:first-child td')).filter(shown).length,
    note: document.querySelector('#reports .print-only') ? shown(document.querySelector('#reports .print-only')) : false,
    right: Math.max(grid.right, chart.right),
    page: document.documentElement.clientWidth,
  };
})()"""


@pytest.mark.slow
@pytest.mark.parametrize(("as_of", "months"), [("2023-06-30", 12), ("2026-11-30", 12), ("2022-12-31", 6)])
def test_a_printed_page_keeps_the_latest_months_within_the_paper(
    browser: Browser, bundled: Path, lx: Lx, tmp_path: Path, as_of: str, months: int
) -> None:
    """Printed (CSS print media at an A4 portrait width), the reports grid keeps the latest 12 months and says
    so, and neither the grid nor the monthly chart reaches past the paper; on screen every month is there."""
    index = _site(lx, bundled, tmp_path / "site", as_of)
    page = browser.open(index.as_uri(), 700)
    page.send("Emulation.setEmulatedMedia", {"media": "print"})
    got = page.evaluate(PRINTED)
    assert len(got["months"]) == got["cells"] == months
    assert got["months"][-1] == as_of[:7] and got["all"] >= months
    assert got["note"] is (got["all"] > 12)
    assert got["right"] <= got["page"] + 1
    page.send("Emulation.setEmulatedMedia", {"media": "screen"})
    assert len(page.evaluate(PRINTED)["months"]) == got["all"]


@pytest.mark.slow
def test_a_page_from_broken_data_renders_too(browser: Browser, repo: Path, lx: Lx, tmp_path: Path) -> None:
    write_files(repo, {"data/tasks/t2022-002.yaml": "id: t2022-002\ntitle: [\n"})
    index = _site(lx, repo, tmp_path / "site")
    page = browser.open(index.as_uri(), PHONE, mobile=True)
    _clean(page, index.parent)
    got = page.evaluate(SNAPSHOT)
    assert got["units"] == ["alpha", "beta"] and got["scrollWidth"] <= PHONE
    assert page.evaluate("document.querySelectorAll('#chart-months rect.bar').length") > 0
    shot = page.screenshot(tmp_path / "broken-phone.png")
    print(f"screenshot: {shot}")
    assert _png_size(shot)[0] == PHONE


@pytest.mark.slow
def test_the_browser_client_sees_errors_and_outside_requests(browser: Browser, tmp_path: Path) -> None:
    """The checks above can fail: a page with a script error, a console error and a remote image."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><title>x</title><img src='http://127.0.0.1:9/x.png'>"
        "<script>console.error('坏了'); undefined_function();</script>",
        encoding="utf-8",
    )
    page = browser.open(bad.as_uri(), PHONE, mobile=True)
    assert any(m["type"] == "error" and "坏了" in m["text"] for m in page.console)
    assert page.exceptions and "undefined_function" in str(page.exceptions[0])
    assert "http://127.0.0.1:9/x.png" in page.requests
    with pytest.raises(AssertionError):
        _clean(page, tmp_path)
