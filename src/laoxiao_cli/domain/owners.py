"""Who may change what: CODEOWNERS from the data, and the authors rule for `lx validate --authors`.

Each unit's reports and unit file belong to its liaison (their Git account) and the office staff
(``office.staff`` in group.yaml); everything else belongs to the office.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.findings import Finding
from laoxiao_cli.model.records import Person, Staff
from laoxiao_cli.model.tenure import in_office


def handle(person: Person) -> str | None:
    """The owner as CODEOWNERS writes it: ``@user``, ``@org/team`` or an e-mail address."""
    account = (person.account or "").strip()
    if not account:
        return None
    return account if account.startswith("@") or "@" in account else f"@{account}"


@dataclass(frozen=True, slots=True)
class Codeowners:
    lines: list[str]
    missing_office: bool
    units_without_account: list[str]


def codeowners(ds: Dataset, as_of: date) -> Codeowners:
    """The owners as of ``as_of``: the office staff in office that day (spec 6.10), each unit's liaison."""
    office = [h for h in (handle(p) for p in in_office(ds.group.office.staff, as_of)) if h]
    office_text = " ".join(office)
    prefix = "/" + ds.prefix.strip("/") if ds.prefix not in ("", ".") else ""
    lines = [
        "# 由 lx codeowners 生成，请勿手工修改：各单位的月报和单位文件归本单位联络员与专班办公室，其余归专班办公室。",
        "# 账号来自 data/units/*.yaml 中 liaison.account 与 data/group.yaml 中 office.staff[].account。",
        f"*  {office_text}".rstrip(),
    ]
    without: list[str] = []
    for unit in ds.units.values():  # the roster's order
        if unit.members:  # a group has no liaison and no reports (spec 6.11): its file is the office's (`*`)
            continue
        liaison = handle(unit.liaison) if unit.liaison else None
        if liaison is None:
            without.append(unit.name)
        owners = " ".join(dict.fromkeys([*([liaison] if liaison else []), *office]))
        lines.append(f"{prefix}/units/{unit.id}.yaml  {owners}".rstrip())
        lines.append(f"{prefix}/reports/*/{unit.id}.yaml  {owners}".rstrip())
    return Codeowners(lines, not office, without)


def matches(person: Person | None, name: str, email: str) -> bool:
    """Does a commit author (name, e-mail) belong to ``person``? By e-mail, by account (as a user name,
    an e-mail, or the local part of the author's e-mail), or by name."""
    if person is None:
        return False
    author_name, author_email = name.strip().lower(), email.strip().lower()
    keys = {person.name.strip().lower()}
    if person.email:
        keys.add(person.email.strip().lower())
    account = (person.account or "").strip().lower().lstrip("@")
    if account:
        keys.add(account)
    local = author_email.split("@")[0]
    return author_name in keys or author_email in keys or (bool(account) and local == account)


def allowed(liaison: Person | None, staff: Iterable[Person], name: str, email: str) -> bool:
    return matches(liaison, name, email) or any(matches(p, name, email) for p in staff)


class ReportCommitLike(Protocol):
    """A commit that changed reports, with group.yaml and the unit files as they were at it."""

    @property
    def sha(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def when(self) -> str: ...
    @property
    def reports(self) -> list[str]: ...
    @property
    def group(self) -> dict[str, Any]: ...
    @property
    def units(self) -> dict[str, dict[str, Any]]: ...


def _person(value: object) -> Person | None:
    if not isinstance(value, dict):
        return None
    try:
        return Person.model_validate(value)
    except ValueError:
        return None


def _staff(raw: object, day: date) -> list[Staff]:
    """The office staff in office on ``day`` (the commit's date), of group.yaml's raw ``office.staff``."""
    people = []
    for value in raw if isinstance(raw, list) else []:
        try:
            people.append(Staff.model_validate(value))
        except ValueError:
            continue
    return in_office(people, day)


def author_findings(commits: Iterable[ReportCommitLike]) -> list[Finding]:
    """`lx validate --authors`: each changed report must be committed by its unit's liaison or office
    staff, as recorded at that commit."""
    findings: list[Finding] = []
    for c in commits:
        office = c.group.get("office") if isinstance(c.group.get("office"), dict) else {}
        staff_raw = office.get("staff", []) if isinstance(office, dict) else []
        staff = _staff(staff_raw, date.fromisoformat(c.when[:10]))
        for path in c.reports:
            unit = path.rsplit("/", 1)[-1].removesuffix(".yaml")
            unit_file = c.units.get(unit, {})
            liaison = _person(unit_file.get("liaison"))
            if allowed(liaison, staff, c.name, c.email):
                continue
            who = f"联络员 {liaison.name}" if liaison else "联络员（尚未指定）"
            findings.append(
                Finding(
                    path,
                    f"提交 {c.sha[:8]}（{c.when[:10]}，作者 {c.name} <{c.email}>）修改了{unit_file.get('name') or unit}的月报，"
                    f"但作者既不是该单位的{who}，也不是专班办公室人员（group.yaml 的 office.staff）",
                    line=1,
                    column=1,
                )
            )
    return findings
