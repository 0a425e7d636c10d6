"""Who may change what: CODEOWNERS from the data, and the authors rule for `lx validate --authors`.

Each unit's reports and unit file belong to its liaison (their Git account) and the office staff
(``office.staff`` in group.yaml); everything else belongs to the office.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from laoxiao_cli.model.dataset import Dataset
from laoxiao_cli.model.records import Person


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


def codeowners(ds: Dataset) -> Codeowners:
    office = [h for h in (handle(p) for p in ds.group.office.staff) if h]
    office_text = " ".join(office)
    prefix = "/" + ds.prefix.strip("/") if ds.prefix not in ("", ".") else ""
    lines = [
        "# 由 lx codeowners 生成，请勿手工修改：各单位的月报和单位文件归本单位联络员与专班办公室，其余归专班办公室。",
        "# 账号来自 data/units/*.yaml 中 liaison.account 与 data/group.yaml 中 office.staff[].account。",
        f"*  {office_text}".rstrip(),
    ]
    without: list[str] = []
    for unit in sorted(ds.units.values(), key=lambda u: u.id):
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
