"""`lx validate --authors`: each changed report must be committed by its unit's liaison or office staff.

Who the liaison and the office staff were is read from the unit file and group.yaml *at that commit*,
so a report committed before a handover is judged by the liaison of the time.
"""

from __future__ import annotations

from pathlib import Path

from laoxiao_cli.domain.owners import allowed
from laoxiao_cli.model.findings import Finding
from laoxiao_cli.model.records import Person
from laoxiao_cli.store import gitrepo, yamlio
from laoxiao_cli.store.discover import relative


def _person(value: object) -> Person | None:
    if not isinstance(value, dict):
        return None
    try:
        return Person.model_validate(value)
    except ValueError:
        return None


def _load(raw: bytes | None) -> dict[str, object]:
    if raw is None:
        return {}
    try:
        data = yamlio.parse(raw).data
    except yamlio.ParseError:
        return {}
    return data if isinstance(data, dict) else {}


def author_findings(data_dir: Path, root: Path, since: str | None) -> list[Finding]:
    prefix = relative(data_dir, root)
    findings: list[Finding] = []
    for sha, name, email, when, paths in gitrepo.commits_touching(root, f"{prefix}/reports", since):
        reports = [
            p
            for p in paths
            if p.startswith(f"{prefix}/reports/") and p.endswith(".yaml") and p.count("/") == prefix.count("/") + 3
        ]
        if not reports:
            continue
        units = sorted({Path(p).stem for p in reports})
        specs = [f"{sha}:{prefix}/group.yaml", *(f"{sha}:{prefix}/units/{u}.yaml" for u in units)]
        group, *unit_files = (_load(raw) for raw in gitrepo.blobs(root, specs))
        office = group.get("office") if isinstance(group.get("office"), dict) else {}
        staff_raw = office.get("staff", []) if isinstance(office, dict) else []
        staff = [p for p in (_person(s) for s in staff_raw) if p] if isinstance(staff_raw, list) else []
        liaisons = {u: _person(f.get("liaison")) for u, f in zip(units, unit_files, strict=True)}
        names = {u: str(f.get("name") or u) for u, f in zip(units, unit_files, strict=True)}
        for path in reports:
            unit = Path(path).stem
            liaison = liaisons.get(unit)
            if allowed(liaison, staff, name, email):
                continue
            who = f"联络员 {liaison.name}" if liaison else "联络员（尚未指定）"
            findings.append(
                Finding(
                    path,
                    f"提交 {sha[:8]}（{when[:10]}，作者 {name} <{email}>）修改了{names[unit]}的月报，"
                    f"但作者既不是该单位的{who}，也不是专班办公室人员（group.yaml 的 office.staff）",
                    line=1,
                    column=1,
                )
            )
    return findings
