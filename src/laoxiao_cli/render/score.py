"""`lx score`: 阶段性赋分 per unit as a table, JSON (spec section 4), CSV or an xlsx workbook."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from laoxiao_cli.render.common import Renderer, Screen, csv_text, dump_json
from laoxiao_cli.render.grid import Cell, Col, fold, grid, paint
from laoxiao_cli.render.xlsx import Sheet, workbook

if TYPE_CHECKING:
    from laoxiao_cli.domain.score import Scores, UnitScore

HEADER = ["单位", "任务数", "权重合计", "得分权重", "缺报月报", "得分"]


def as_json(s: Scores) -> str:
    return dump_json(
        {
            "period": s.period,
            "end": s.end,
            "as_of": s.as_of,
            "units": [
                {
                    "id": u.id,
                    "name": u.name,
                    "score": u.score,
                    "tasks": u.tasks,
                    "earned": u.earned,
                    "missing_reports": u.missing_reports,
                    "penalty": u.penalty,
                    "weight": u.weight,
                    "task_ids": u.task_ids,
                }
                for u in s.units
            ],
        }
    )


def _num(value: float) -> Decimal:
    return Decimal(int(value)) if float(value).is_integer() else Decimal(f"{value:g}")


def _one_decimal(value: float) -> Decimal:
    """A number shown with one decimal (``62.5``, ``0.0``, ``-5.0``), still a number (not escaped in CSV)."""
    return Decimal(f"{value:.1f}")


def _row(u: UnitScore) -> list[Any]:
    return [
        u.name,
        u.tasks,
        _num(u.weight),
        _one_decimal(u.earned),
        u.missing_reports,
        "—" if u.score is None else _one_decimal(u.score),
    ]


def csv(s: Scores) -> str:
    return csv_text(["单位编号", *HEADER], [[u.id, *_row(u)] for u in s.units])


NOTE = "得分 = 100 × 得分权重 ÷ 权重合计 − 缺报扣分；按期完成与期内逾期完成按 group.yaml 的 rules.scoring 系数计；"


def _title(s: Scores) -> str:
    day = s.as_of or s.end
    when = f"截至 {day.isoformat()}" if day <= s.end else f"期末 {s.end.isoformat()}，按 {day.isoformat()} 的情况评"
    return f"阶段性赋分：{s.period}（{when}）"


def table(s: Scores, screen: Screen) -> str:
    columns = [Col(name, right=name != "单位") for name in HEADER]
    rows: list[list[Cell]] = []
    for u in s.units:
        cells = [str(c) for c in _row(u)]
        low = u.score is not None and u.score < 60
        rows.append([*cells[:4], (cells[4], "red" if u.missing_reports else ""), (cells[5], "bold red" if low else "")])
    note = NOTE + "“—”表示本期没有牵头任务。"
    return grid(columns, rows, screen, title=_title(s)) + paint(fold(note, screen), "dim", screen) + "\n"


def xlsx(s: Scores) -> bytes:
    """One sheet 阶段性赋分: the CSV's columns, every count, weight and score a number (a unit without a
    task of the period has an empty 得分)."""
    rows = [[u.id, u.name, u.tasks, u.weight, u.earned, u.missing_reports, u.score] for u in s.units]
    formats = {"得分权重": "0.0", "得分": "0.0"}
    note = NOTE + "得分为空表示本期没有牵头任务。"
    return workbook([Sheet("阶段性赋分", _title(s), ["单位编号", *HEADER], rows, formats, note)])


FORMATS: dict[str, Renderer[Scores]] = {
    "table": lambda s, view: table(s, view.screen),
    "json": lambda s, view: as_json(s),
    "csv": lambda s, view: csv(s),
    "xlsx": lambda s, view: xlsx(s),
}
