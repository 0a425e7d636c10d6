"""The record kinds of the data repository (spec section 2), as strict, frozen Pydantic models.

Shape and types live here; rules that relate fields to each other are in ``checks.py`` so that every
finding can be located at the exact key.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, SupportsIndex

from pydantic import BaseModel, ConfigDict, Field

from laoxiao_cli.model.types import Account, Date, Email, Id, Line, Month, Phone, Text, Weight

NonEmpty = Text


class Record(BaseModel):
    # defer_build: a command served from the cache never validates, so it never pays for building validators
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        """Pickled as (class, field values, given fields): a third faster to write and a fifth faster to
        read than Pydantic's own state (the cache and the parsing workers move ~100k records at city
        scale). Records have no extra fields (``extra="forbid"``) and no private attributes."""
        if self.__pydantic_extra__ or self.__pydantic_private__:
            return super().__reduce_ex__(protocol)
        return _restore, (type(self), self.__dict__, self.__pydantic_fields_set__)


def _restore(cls: type[Record], values: dict[str, Any], given: Any) -> Record:
    """A record from what ``Record.__reduce_ex__`` pickled (no validation: it was valid when pickled)."""
    record = _new(cls)
    _set(record, "__dict__", values)
    _set(record, "__pydantic_fields_set__", given)
    _set(record, "__pydantic_extra__", None)
    _set(record, "__pydantic_private__", None)
    return record


_new, _set = object.__new__, object.__setattr__


# --- people ---------------------------------------------------------------------------------------


class Person(Record):
    name: Line
    title: Line | None = None
    section: Line | None = None
    phone: Phone | None = None
    email: Email | None = None
    account: Account | None = None


class Member(Person):
    title: Line


class Leader(Record):
    """A 组长 (and, as ``DeputyLeader``, a 副组长): ``from``/``until`` are the first and the last day in
    office (spec 6.10; absent: open), judged by ``model/tenure.py``."""

    name: Line
    title: Line
    from_: Date | None = Field(None, alias="from")
    until: Date | None = None


class DeputyLeader(Leader):
    coordinator: bool = False


class Staff(Person):
    """A member of the office's staff (``office.staff``), in office from ``from`` until ``until``."""

    from_: Date | None = Field(None, alias="from")
    until: Date | None = None


# --- group.yaml -----------------------------------------------------------------------------------


class Document(Record):
    number: str | None = None
    title: str | None = None
    issued: Date | None = None
    issuers: list[str] = []


class Contact(Record):
    """The office's own contact line printed on letters (联系人/电话)."""

    name: Line
    phone: Phone


class OfficeDoc(Record):
    """How the office's documents are headed and numbered (spec 6.6)."""

    issuer: Line | None = None
    """The 发文机关标志 and signature; None: ``short_name`` + 办公室."""
    prefix: Line | None = None
    """The 发文字号 is ``<prefix>〔YYYY〕N号``; None: ``〔YYYY〕N号``."""
    contact: Contact | None = None


class Office(Record):
    director_units: list[Id] = []
    deputy_units: list[Id] = []
    staff_units: list[Id] = []
    duties: list[str] = []
    staff: list[Staff] = []
    doc: OfficeDoc = OfficeDoc()


class MeetingRules(Record):
    every_months: Literal[3] = 3


DueMonth = Literal["same", "next"]
"""The month a report's ``due_day`` falls in: the report's own month, or the next."""


class ReportRules(Record):
    due_day: Annotated[int, Field(ge=1, le=28)] = 25
    due_month: DueMonth = "same"
    """``next``: the report for month M is due on ``due_day`` of M+1 (次月5日前报送上月情况, spec 6.9)."""


class EscalationRules(Record):
    reminder: Annotated[int, Field(ge=0)] = 7
    assignment: Annotated[int, Field(ge=0)] = 21
    supervision: Annotated[int, Field(ge=0)] = 45
    reply_days: Annotated[int, Field(ge=1)] = 10


class ScoringRules(Record):
    on_time: Annotated[float, Field(ge=0)] = 1.0
    late: Annotated[float, Field(ge=0)] = 0.5
    missing_report_penalty: Annotated[float, Field(ge=0)] = 2


class CalendarRules(Record):
    working_days: bool = False
    """True: reply days and escalation thresholds count working days, report dues move to a working day."""


class ProgressRules(Record):
    tolerance: Annotated[int, Field(ge=0, le=100)] = 10
    warn_days: Annotated[int, Field(ge=0)] = 7


class Rules(Record):
    meetings: MeetingRules = MeetingRules()
    reports: ReportRules = ReportRules()
    escalation: EscalationRules = EscalationRules()
    scoring: ScoringRules = ScoringRules()
    calendar: CalendarRules = CalendarRules()
    progress: ProgressRules = ProgressRules()


class Group(Record):
    name: NonEmpty
    short_name: str | None = None
    document: Document
    started: Date
    goals: list[str] = []
    leaders: Annotated[list[Leader], Field(min_length=1)]
    deputy_leaders: list[DeputyLeader] = []
    office: Office
    units: list[Id] | None = None
    """The roster (spec 6.1): every unit, in the notice's order; None: file-name order."""
    rules: Rules = Rules()


# --- units/<id>.yaml ------------------------------------------------------------------------------

UnitKind = Literal["department", "street", "enterprise", "association", "party", "office"]


class Duty(Record):
    id: NonEmpty
    text: NonEmpty


class Unit(Record):
    id: Id
    name: NonEmpty
    aliases: list[NonEmpty] = []
    kind: UnitKind
    members: list[Id] = []
    """A group of units (spec 6.11, 各镇街): its member units, each a 责任单位 of its own. A group owes no
    report; a task it leads or supports is led or supported by each member (``Dataset.lead_units``)."""
    member: Member | None = None
    liaison: Person | None = None
    reports: bool = True
    since: Date | None = None
    """A unit that joined later (spec 6.7): it owes reports from the first month beginning on or after it."""
    duties: list[Duty]


# --- tasks/<id>.yaml ------------------------------------------------------------------------------

TaskStatus = Literal["open", "done", "cancelled"]


class Milestone(Record):
    name: NonEmpty
    due: Date
    done: Date | None = None


class Source(Record):
    meeting: Id


class Extension(Record):
    """延期申请 (spec 6.2): decided by ``approved`` or ``refused`` (neither: pending)."""

    requested: Date
    new_due: Date
    """The due asked for, or granted when approved."""
    reason: NonEmpty
    approved: Date | None = None
    refused: Date | None = None
    by: Line | None = None
    """Who decided: a 组长, a 副组长, or the head of an office director unit."""


class Cancellation(Record):
    date: Date
    reason: NonEmpty


class Task(Record):
    id: Id
    title: NonEmpty
    target: NonEmpty
    lead: Id
    support: list[Id] = []
    duties: list[NonEmpty] = []
    key: bool = False
    start: Date | None = None
    due: Date
    milestones: list[Milestone] = []
    status: TaskStatus
    done: Date | None = None
    extensions: list[Extension] = []
    cancelled: Cancellation | None = None
    weight: Weight = 1
    source: Source | None = None


# --- meetings/<id>.yaml ---------------------------------------------------------------------------


class Decision(Record):
    text: NonEmpty
    lead: Id | None = None
    due: Date | None = None
    task: Id | None = None


class Attendee(Record):
    unit: Id
    name: Line
    title: Line | None = None
    stand_in: bool = False
    """Attending in the place of the unit's member (printed 代 after the name)."""


class Attendance(Record):
    """The people at a held meeting, as its minutes list them: 出席, 列席, 请假."""

    present: list[Attendee] = []
    attending: list[Attendee] = []
    absent: list[Attendee] = []


class MinutesRecord(Record):
    """The minutes as issued: their serial (第N期) and date."""

    number: Annotated[int, Field(ge=1)] | None = None
    issued: Date | None = None


class Meeting(Record):
    id: Id
    kind: Literal["regular", "special"]
    status: Literal["planned", "held"]
    date: Date
    chair: str | None = None
    on_behalf_of: str | None = None
    attendees: list[Id] = []
    agenda: list[str] = []
    heard: list[Id] = []
    reviewed: list[str] = []
    decisions: list[Decision] = []
    minutes: MinutesRecord | None = None
    attendance: Attendance | None = None


# --- reports/<YYYY-MM>/<unit>.yaml ----------------------------------------------------------------


class Progress(Record):
    task: Id
    percent: Annotated[int, Field(ge=0, le=100)] | None = None
    note: str | None = None


class Report(Record):
    unit: Id
    month: Month
    submitted: Date
    """报送日期: the day the liaison gives (any day they type)."""
    received: Date | None = None
    """The day the office received it (spec 6.9): ``lx reports import`` writes it."""
    by: str | None = None
    progress: list[Progress] = []
    difficulties: list[str] = []
    suggestions: list[str] = []
    plans: list[str] = []
    """下步工作思路."""
    practices: list[str] = []

    @property
    def counted(self) -> Date:
        """The day the report counts from, for lateness and for "submitted as of D": ``received`` when the
        office recorded it, else ``submitted`` (spec 6.9)."""
        return self.received if self.received is not None else self.submitted


# --- letters/<id>.yaml ----------------------------------------------------------------------------

LetterKind = Literal["reminder", "assignment", "supervision"]


class Letter(Record):
    id: Id
    kind: LetterKind
    unit: Id
    tasks: Annotated[list[Id], Field(min_length=1)]
    issued: Date
    reply_by: Date
    replied: Date | None = None
    reply_note: Text | None = None
    promised: Date | None = None
    """承诺完成时限 in the unit's reply: the next letter for the letter's tasks waits until this date."""
    number: Annotated[int, Field(ge=1)] | None = None
    """The serial in its year for the 发文字号; absent (older data): the number of its id."""
    reason: Text | None = None
    """Why the letter was issued out of the ladder (`lx letters issue --task`)."""
    signed_by: Line | None = None
    cc: list[Line] = []


# --- handovers/<id>.yaml --------------------------------------------------------------------------


GROUP_UNIT = "group"
"""The ``unit`` of a handover of a 组长 or 副组长: the group itself, which is no member unit."""
LEADER_ROLES = ("leader", "deputy_leader")
"""The handover roles whose posts are in group.yaml (``leaders``, ``deputy_leaders``)."""


class Handover(Record):
    model_config = ConfigDict(populate_by_name=False)

    id: Id
    unit: Id
    """The unit whose member or liaison changes; ``group`` (GROUP_UNIT) for a 组长 or 副组长."""
    role: Literal["member", "liaison", "leader", "deputy_leader"]
    from_: Person | None = Field(alias="from")
    to: Person
    effective: Date
    filed: Date
    open_tasks: list[Id] = []
    open_letters: list[Id] = []
    missing_reports: list[Month] = []
    note: str | None = None


# --- calendar/<YYYY>.yaml -------------------------------------------------------------------------


class Calendar(Record):
    """One year's working-day calendar (spec 6.4): the weekdays off and the weekend days worked."""

    year: Annotated[int, Field(ge=1900, le=2999)]
    source: Line | None = None
    holidays: list[Date] = []
    """Mon–Fri days that are not working days (法定节假日)."""
    workdays: list[Date] = []
    """Sat/Sun days that are working days (调休上班)."""
