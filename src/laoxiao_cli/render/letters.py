"""Escalation letters: the list of letters due, and each letter as Markdown and as a Word document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from laoxiao_cli.model.loop_checks import letter_number
from laoxiao_cli.render import labels, official
from laoxiao_cli.render.common import Renderer, Screen, dump_json, markdown_table
from laoxiao_cli.render.grid import Cell, Col, grid
from laoxiao_cli.render.official import chinese_date

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
TASK_HEADER = ["序号", "任务", "完成时限", "逾期天数"]
NOT_LATE = "未逾期"
REQUIREMENT = "请你单位高度重视，认真分析原因，明确推进措施，确保任务尽快落实"
SUPERVISED = "督办落实情况将纳入年度考绩。"


@dataclass(frozen=True, slots=True)
class LetterText:
    """The words of one letter, in the order the document prints them (the Markdown and the .docx)."""

    issuer: str
    """The 发文机关标志 at the top and the signature at the end."""
    number: str | None
    """The 发文字号 (None: the letter has no serial)."""
    signer: str | None
    """签发人 (``signed_by``)."""
    title: str
    """``关于加快推进<the group's short name>逾期任务的提醒函``, without the name when that is too long for one line."""
    addressee: str
    opening: str
    rows: list[list[str]]
    requirement: str
    """办理要求."""
    reply: str
    """反馈时限: ``请于…前书面反馈…``."""

    @property
    def closing(self) -> str:
        """办理要求 and 反馈时限 in one paragraph (so that a letter of a few tasks keeps to one page)."""
        return f"{self.requirement}，并{self.reply}"

    contact: str | None
    issued: date
    cc: list[str]


def letter_text(letter: Letter, item: DueLetter, group: Group, threshold: int) -> LetterText:
    """The words of one letter: a ladder letter says how late its tasks are; one issued at the office's
    discretion says why (``reason``); a task not yet late shows 未逾期."""
    short = official.short_name(group)
    basis = "根据"
    if group.document.title or group.document.number:
        basis += f"《{group.document.title or group.name}》"
        if group.document.number:
            basis += f"（{group.document.number}）"
    basis += "关于任务清单化管理的要求，"
    rows = [
        [str(n), t.task.title, chinese_date(t.due), str(t.days_late) if t.days_late > 0 else NOT_LATE]
        for n, t in enumerate(item.tasks, start=1)
    ]
    if letter.reason is not None:
        opening = DISCRETION.format(verb=VERBS[letter.kind], reason=letter.reason)
    else:
        opening = OPENINGS[letter.kind].format(days=threshold)
    which = "逾期任务" if any(t.days_late > 0 for t in item.tasks) else "有关任务"
    title = f"关于加快推进{short.replace('工作专班', '')}{which}的{labels.LETTER_KINDS[letter.kind]}"
    if len(title) > official.TITLE_LINE:  # one line, so that a letter of a few tasks keeps to one page
        title = f"关于加快推进{which}的{labels.LETTER_KINDS[letter.kind]}"
    serial = letter_number(letter)  # the 发文字号's serial: never renumbered
    doc = group.office.doc
    return LetterText(
        issuer=official.issuer(doc, short),
        number=official.doc_number(doc.prefix, letter.issued.year, serial) if serial is not None else None,
        signer=letter.signed_by,
        title=title,
        addressee=f"{item.unit_name}：",
        opening=basis + opening,
        rows=rows,
        requirement=REQUIREMENT,
        reply=f"请于{chinese_date(letter.reply_by)}前书面反馈整改落实情况。"
        + (SUPERVISED if letter.kind == "supervision" else ""),
        contact=official.contact(doc),
        issued=letter.issued,
        cc=list(letter.cc),
    )


def markdown(text: LetterText) -> str:
    head = [text.issuer, ""]
    if text.signer:
        head += [f"签发人：{text.signer}", ""]
    if text.number:
        head += [text.number, ""]
    body = [text.closing, ""]
    tail = [f"{text.issuer}  ", chinese_date(text.issued), ""] + ([text.contact, ""] if text.contact else [])
    if text.cc:
        tail += ["", f"抄送：{'，'.join(text.cc)}。", ""]
    return "\n".join(
        [
            *head,
            f"# {text.title}",
            "",
            text.addressee,
            "",
            text.opening,
            "",
            markdown_table(TASK_HEADER, text.rows),
            *body,
            *tail,
        ]
    )


def docx(text: LetterText) -> bytes:
    """The letter in the 信函格式 of GB/T 9704-2012."""
    from laoxiao_cli.render.docx_doc import OfficialDocument

    doc = OfficialDocument(letter_issuer=text.issuer)
    if text.number or text.signer:
        doc.number(text.number or "", text.signer)
    doc.blank()
    doc.title(text.title)
    doc.para(text.addressee, indent=False)
    doc.para(text.opening)
    doc.table(TASK_HEADER, text.rows, centred=(0, 2, 3))
    doc.para(text.closing)
    doc.signature(text.issuer, text.issued)
    if text.contact:  # 附注: under the date, on its page
        doc.last().paragraph_format.keep_with_next = True
        doc.para(text.contact)
    if text.cc:
        doc.cc(text.cc)
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
