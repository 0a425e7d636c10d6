"""Escalation letters: the list of letters due, and each letter as Markdown and as a Word document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from laoxiao_cli.model.loop_checks import letter_number
from laoxiao_cli.render import labels
from laoxiao_cli.render.common import Renderer, Screen, dump_json, markdown_table
from laoxiao_cli.render.docx_doc import OfficialDocument, chinese_date
from laoxiao_cli.render.grid import Cell, Col, grid

if TYPE_CHECKING:
    from laoxiao_cli.domain.letters import DueLetter, DueLetters
    from laoxiao_cli.model.records import Group, Letter

OPENINGS = {
    "reminder": "经专班办公室梳理，你单位牵头的以下任务已超过完成时限，现予以提醒：",
    "assignment": "经专班办公室梳理，你单位牵头的以下任务经提醒后仍未完成，逾期已达{days}天以上，现予以交办：",
    "supervision": "经专班办公室梳理，你单位牵头的以下任务经交办后仍未完成，逾期已达{days}天以上，现予以督办：",
}
DISCRETION = "经专班办公室研究，现对你单位牵头的以下任务予以{verb}（事由：{reason}）："
"""The opening of a letter issued out of the ladder (`lx letters issue --task`), which says why."""
VERBS = {"reminder": "提醒", "assignment": "交办", "supervision": "督办"}
TASK_HEADER = ["序号", "任务编号", "任务名称", "截止日期", "逾期天数"]
NOT_LATE = "未逾期"


@dataclass(frozen=True, slots=True)
class LetterText:
    title: str
    number: str
    addressee: str
    opening: str
    rows: list[list[str]]
    closing: str
    office: str
    issued: date


def letter_text(letter: Letter, item: DueLetter, group: Group, threshold: int) -> LetterText:
    """The words of one letter: a ladder letter says how late its tasks are; one issued at the office's
    discretion says why (``reason``); a task not yet late shows 未逾期."""
    short = group.short_name or group.name
    basis = "根据"
    if group.document.title or group.document.number:
        basis += f"《{group.document.title or group.name}》"
        if group.document.number:
            basis += f"（{group.document.number}）"
    basis += "关于任务清单化管理的要求，"
    closing = (
        f"请你单位高度重视，于{chinese_date(letter.reply_by)}前将整改落实情况（含原因分析、推进措施和完成时限）"
        "书面回复专班办公室。"
    )
    if letter.kind == "supervision":
        closing += "督办落实情况将纳入年度考绩。"
    rows = [
        [str(n), t.task.id, t.task.title, t.due.isoformat(), str(t.days_late) if t.days_late > 0 else NOT_LATE]
        for n, t in enumerate(item.tasks, start=1)
    ]
    if letter.reason is not None:
        opening = DISCRETION.format(verb=VERBS[letter.kind], reason=letter.reason)
    else:
        opening = OPENINGS[letter.kind].format(days=threshold)
    which = "逾期任务" if any(t.days_late > 0 for t in item.tasks) else "有关任务"
    return LetterText(
        title=f"关于加快推进{short.replace('工作专班', '')}{which}的{labels.LETTER_KINDS[letter.kind]}",
        number=f"编号：{letter.issued.year}年第{letter_number(letter)}号",  # the 发文字号's serial: never renumbered
        addressee=f"{item.unit_name}：",
        opening=basis + opening,
        rows=rows,
        closing=closing,
        office=f"{short}办公室",
        issued=letter.issued,
    )


def markdown(text: LetterText) -> str:
    return "\n".join(
        [
            f"# {text.title}",
            "",
            text.number,
            "",
            text.addressee,
            "",
            text.opening,
            "",
            markdown_table(TASK_HEADER, text.rows),
            text.closing,
            "",
            f"{text.office}  ",
            chinese_date(text.issued),
            "",
        ]
    )


def docx(text: LetterText) -> bytes:
    doc = OfficialDocument()
    doc.title(text.title)
    doc.subtitle(text.number)
    doc.blank()
    doc.para(text.addressee, indent=False)
    doc.para(text.opening)
    doc.table(TASK_HEADER, text.rows)
    doc.blank()
    doc.para(text.closing)
    doc.signature(text.office, text.issued)
    return doc.to_bytes()


def _due_rows(due: list[DueLetter]) -> list[list[Any]]:
    return [
        [
            d.unit_name,
            labels.LETTER_KINDS[d.kind],
            "、".join(t.task.id for t in d.tasks),
            max(t.days_late for t in d.tasks),
        ]
        for d in due
    ]


def table(due: list[DueLetter], as_of: date, screen: Screen) -> str:
    if not due:
        return f"截至 {as_of.isoformat()}，没有需要发出的函件。\n"
    columns = [Col("单位"), Col("函件"), Col("涉及任务"), Col("最长逾期天数", right=True)]
    rows: list[list[Cell]] = [[str(c) for c in row] for row in _due_rows(due)]
    return grid(columns, rows, screen, title=f"应发函件（截至 {as_of.isoformat()}）：{len(due)} 件")


def as_json(due: list[DueLetter], as_of: date) -> str:
    return dump_json(
        {
            "as_of": as_of,
            "letters": [
                {
                    "unit": d.unit,
                    "unit_name": d.unit_name,
                    "kind": d.kind,
                    "tasks": [
                        {"id": t.task.id, "title": t.task.title, "due": t.due, "days_late": t.days_late}
                        for t in d.tasks
                    ],
                }
                for d in due
            ],
        }
    )


FORMATS: dict[str, Renderer[DueLetters]] = {
    "table": lambda d, view: table(d.letters, d.as_of, view.screen),
    "json": lambda d, view: as_json(d.letters, d.as_of),
}
