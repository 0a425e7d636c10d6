"""The monthly 通报 as Markdown, JSON (spec 11.2) and a Word document.

Markdown and the document are drawn from one list of blocks (headings, paragraphs, tables), so they
always say the same thing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from laoxiao_cli.domain.calendar import month_label
from laoxiao_cli.render import labels, official
from laoxiao_cli.render.common import Renderer, View, dump_json, markdown_table
from laoxiao_cli.render.official import chinese_date

if TYPE_CHECKING:
    from laoxiao_cli.domain.bulletin import Bulletin


@dataclass(frozen=True, slots=True)
class Block:
    kind: str
    """``heading`` (一、), ``subheading`` (（一）), ``para`` or ``table``."""
    text: str = ""
    header: Sequence[str] = ()
    rows: Sequence[Sequence[str]] = ()


def _h(text: str) -> Block:
    return Block("heading", text)


def _sub(text: str) -> Block:
    return Block("subheading", text)


def _p(text: str) -> Block:
    return Block("para", text)


def _t(header: Sequence[str], rows: Sequence[Sequence[str]]) -> Block:
    return Block("table", header=header, rows=rows)


def title(b: Bulletin) -> str:
    return f"关于{month_label(b.month)}工作推进情况的通报"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _units(ids: Sequence[str], view: View) -> str:
    return "、".join(view.names.get(u, u) for u in ids)


def blocks(b: Bulletin, view: View) -> list[Block]:
    name = view.names.get
    day = chinese_date(b.as_of)
    out = [_p(f"现将{b.group}{month_label(b.month)}工作推进情况（截至{day}）通报如下。")]
    out.append(_h("一、任务推进情况"))
    out.append(_sub("（一）本月完成的任务"))
    out.append(_p(f"本月完成任务{len(b.done)}项。" if b.done else "本月没有完成的任务。"))
    if b.done:
        out.append(
            _t(
                ["任务", "牵头单位", "完成日期"],
                [[t.title, name(t.lead, t.lead), chinese_date(t.done)] for t in b.done],
            )
        )
    leads = list(dict.fromkeys(o.lead for o in b.overdue))
    out.append(_sub("（二）逾期未完成的任务"))
    out.append(
        _p(f"截至{day}，逾期未完成任务{len(b.overdue)}项，涉及牵头单位{len(leads)}家：")
        if b.overdue
        else _p(f"截至{day}，没有逾期未完成的任务。")
    )
    if b.overdue:
        rows = [[name(o.lead, o.lead), o.title, chinese_date(o.due), str(o.days_late)] for o in b.overdue]
        out.append(_t(["牵头单位", "任务", "应完成日期", "逾期天数"], rows))
    out.append(_h("二、会议议定事项落实情况"))
    out += _decisions(b, view)
    out.append(_h("三、月报报送情况"))
    parts = [
        f"按时报送{len(b.on_time)}家" + (f"（{_units(b.on_time, view)}）" if b.on_time else ""),
        f"逾期报送{len(b.late)}家" + (f"（{_units(b.late, view)}）" if b.late else ""),
        f"未报送{len(b.missing)}家" + (f"（{_units(b.missing, view)}）" if b.missing else ""),
    ]
    out.append(_p(f"{month_label(b.reports_month)}月报：" + "；".join(parts) + "。"))
    out.append(_h("四、督促函件印发情况"))
    out.append(_p(f"本月印发督促函件{len(b.letters)}件。" if b.letters else "本月未印发督促函件。"))
    if b.letters:
        rows = [[x.id, labels.LETTER_KINDS[x.kind], name(x.unit, x.unit), chinese_date(x.issued)] for x in b.letters]
        out.append(_t(["编号", "类型", "单位", "印发日期"], rows))
    out.append(_h("五、各单位任务完成率"))
    out.append(_p(f"按各单位牵头、截至{day}应完成的任务（不含已取消的任务）计算："))
    rows = [[name(r.unit, r.unit), str(r.total), str(r.done), _pct(r.rate)] for r in b.rates if r.total]
    if rows:
        out.append(_t(["单位", "应完成", "已完成", "完成率"], rows))
    idle = [r.unit for r in b.rates if not r.total]
    if idle:
        out.append(_p(f"{_units(idle, view)}截至{day}没有应完成的牵头任务。"))
    out.append(_h("六、亮点做法"))
    out += [_p(f"{name(p.unit, p.unit)}：{p.text}") for p in b.practices] or [_p("本月各单位未报送亮点做法。")]
    out.append(_h("七、下步要求"))
    out.append(_p("（由专班办公室填写）"))
    return out


def _decisions(b: Bulletin, view: View) -> list[Block]:
    d = b.decisions
    if d.meeting is None or d.date is None:
        return [_p(f"截至{chinese_date(b.as_of)}，尚未召开专班会议。")]
    head = f"{chinese_date(d.date)}召开的专班会议（{d.meeting}）议定事项中，明确跟踪任务的{d.total}项"
    if not d.total:
        return [_p(head + "。")]
    out = [_p(f"{head}，已完成{d.done}项，完成率{_pct(d.percent)}。")]
    if d.lagging:
        out.append(_p(f"滞后事项{len(d.lagging)}项："))
        rows = [
            [str(x.number), x.text, view.names.get(x.lead, x.lead), chinese_date(x.due), str(x.days_late)]
            for x in d.lagging
        ]
        out.append(_t(["序号", "议定事项", "牵头单位", "完成时限", "逾期天数"], rows))
    return out


MARK_BELOW_TOP = 35
"""mm from the top of the text block to the top of the issuer mark (GB/T 9704-2012 7.2.4, 文件格式)."""
ADDRESSEE = "各成员单位："


def _office(b: Bulletin) -> str:
    return official.issuer(b.doc, b.group)


BLANK_SERIAL = "   "
"""Where the serial goes when the office fills it in from its register as it issues the 通报."""


def number(b: Bulletin) -> str | None:
    """The 发文字号: with the serial the office gave, else with a blank for it when the office numbers its
    documents (``office.doc.prefix``); None: no 发文字号."""
    if b.number is not None:
        return official.doc_number(b.doc.prefix, b.as_of.year, b.number)
    if b.doc.prefix is not None:
        return f"{b.doc.prefix}〔{b.as_of.year}〕{BLANK_SERIAL}号"
    return None


def _cc(b: Bulletin) -> str:
    return f"抄送：{'，'.join(b.cc)}。"


def markdown(b: Bulletin, view: View) -> str:
    numbered = number(b)
    head = [_office(b), ""] + ([numbered, ""] if numbered is not None else [])
    out = [*head, f"# {title(b)}", "", ADDRESSEE, ""]
    for block in blocks(b, view):
        if block.kind == "heading":
            out += [f"## {block.text}", ""]
        elif block.kind == "subheading":
            out += [f"### {block.text}", ""]
        elif block.kind == "para":
            out += [block.text, ""]
        else:
            out += [markdown_table(block.header, block.rows)]
    out += [f"{_office(b)}  ", chinese_date(b.as_of), "", _cc(b), ""]
    return "\n".join(out)


CENTRED = ("完成日期", "应完成日期", "完成时限", "印发日期", "逾期天数", "序号", "应完成", "已完成", "完成率", "类型")
"""Table columns whose cells are centred (dates, numbers, kinds)."""


def docx(b: Bulletin, view: View) -> bytes:
    """The 通报 in the 文件格式 of GB/T 9704-2012: the issuer mark, the 发文字号 and the red line, the title,
    各成员单位, the body, the issuer and date placed for a seal, and 抄送 in the 版记."""
    from laoxiao_cli.render.docx_doc import OfficialDocument

    doc = OfficialDocument()
    doc.red_mark(_office(b), MARK_BELOW_TOP)
    numbered = number(b)
    last = doc.centred(numbered, before_lines=2) if numbered else doc.last()
    doc.red_rule(last)
    doc.blank()
    doc.blank()
    doc.title(title(b))
    doc.para(ADDRESSEE, indent=False)
    for block in blocks(b, view):
        if block.kind == "heading":
            doc.heading(block.text)
        elif block.kind == "subheading":
            doc.subheading(block.text)
        elif block.kind == "para":
            doc.para(block.text)
        else:
            doc.table(block.header, block.rows, centred=[i for i, h in enumerate(block.header) if h in CENTRED])
    doc.signature(_office(b), b.as_of)
    doc.cc(b.cc)
    return doc.to_bytes()


def json(b: Bulletin, view: View) -> str:
    d = b.decisions
    return dump_json(
        {
            "month": b.month,
            "as_of": b.as_of,
            "decisions": {"meeting": d.meeting, "total": d.total, "done": d.done, "percent": d.percent},
            "reports": {"on_time": b.on_time, "late": b.late, "missing": b.missing},
            "letters": [x.id for x in b.letters],
            "overdue": [{"task": o.task, "lead": o.lead, "days_late": o.days_late} for o in b.overdue],
            "rates": [{"unit": r.unit, "done": r.done, "total": r.total, "rate": r.rate} for r in b.rates],
            "practices": [{"unit": p.unit, "text": p.text} for p in b.practices],
        }
    )


FORMATS: dict[str, Renderer[Bulletin]] = {"markdown": markdown, "json": json, "docx": docx}
