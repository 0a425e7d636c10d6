"""Plan one district's records with a seeded RNG and render them as YAML text.

``district_files(n)`` yields ``(batch_month, path under data/, text)`` for district n: 50 units,
~1,000 tasks, ~2,850 monthly reports, 20 quarterly meetings, ~100 letters and ~10 handovers, all
consistent with each other and with the rules of the spec (section 2). Same n, same output.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from benchmarks import corpus as c
from benchmarks.yamltext import d, id_list, month, person, s, str_list

START = date(2021, 1, 1)  # group.yaml `started`
END = date(2025, 12, 31)  # the day the data describes: nothing is dated after it
MONTHS = [f"{y}-{m:02d}" for y in range(START.year, END.year + 1) for m in range(1, 13)]
TASKS_PER_DISTRICT = 1000
LETTERS_PER_DISTRICT = 100
HANDOVERS_PER_DISTRICT = 10
DUE_DAY = 25
REPLY_DAYS = 10
ESCALATION = (("reminder", 7), ("assignment", 21), ("supervision", 45))

File = tuple[str, str, str]  # (batch month, path under data/, text)
Person = dict[str, str | None]


def month_of(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def month_end(year: int, mon: int) -> date:
    nxt = date(year + mon // 12, mon % 12 + 1, 1)
    return nxt - timedelta(days=1)


def add_months_end(day: date, k: int) -> date:
    index = day.year * 12 + day.month - 1 + k
    return month_end(index // 12, index % 12 + 1)


@dataclass(slots=True)
class Unit:
    id: str
    name: str
    alias: str
    kind: str
    member: Person | None
    liaison: Person | None
    duties: list[tuple[str, str]]
    liaisons: list[tuple[date, str]] = field(default_factory=list)  # (effective, name): who reports


@dataclass(slots=True)
class Task:
    title: str
    target: str
    lead: str
    start: date
    due: date
    support: list[str] = field(default_factory=list)
    duties: list[str] = field(default_factory=list)
    key: bool = False
    weight: int = 1
    milestones: list[list[object]] = field(default_factory=list)  # [name, due, done|None]
    status: str = "open"
    done: date | None = None
    meeting: str | None = None
    id: str = ""


@dataclass(slots=True)
class Meeting:
    id: str
    day: date
    attendees: list[str]
    heard: list[str]
    tasks: list[Task]
    chair: str
    on_behalf_of: str | None


@dataclass(slots=True)
class Letter:
    kind: str
    unit: str
    task: Task
    issued: date
    replied: date | None
    id: str = ""

    @property
    def reply_by(self) -> date:
        return self.issued + timedelta(days=REPLY_DAYS)


class District:
    def __init__(self, n: int) -> None:
        self.rng = random.Random(f"lx-bench-district-{n}")
        self.dd = f"{n:02d}"
        self.prefix = f"d{self.dd}"
        self.cn = f"第{self.dd}区"
        self.units: list[Unit] = []
        self.tasks: list[Task] = []
        self.meetings: list[Meeting] = []
        self.letters: list[Letter] = []
        self.handovers: list[tuple[Unit, str, date, date, Person | None, Person]] = []
        # (unit id, month) -> submitted date; absent = no report
        self.reports: dict[tuple[str, str], date] = {}
        self.names: dict[str, str] = {}  # unit id -> name

    # --- people -------------------------------------------------------------------------------

    def name(self, avoid: str | None = None) -> str:
        while True:
            given = "".join(self.rng.choice(c.GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
            name = self.rng.choice(c.SURNAMES) + given
            if name != avoid:
                return name

    def liaison_person(self, unit_slug: str, section: str, avoid: str | None = None) -> Person:
        return {
            "name": self.name(avoid),
            "title": self.rng.choice(("科长", "副科长", "副主任", "科员")),
            "section": section,
            "phone": f"0577-8{self.rng.randrange(1000000, 9999999)}",
            "email": f"{unit_slug}.{self.prefix}@example.gov.cn",
        }

    # --- planning -----------------------------------------------------------------------------

    def plan(self) -> None:
        self.plan_units()
        self.plan_handovers()
        self.plan_meetings()
        self.plan_tasks()
        self.plan_letters()
        self.plan_reports()

    def plan_units(self) -> None:
        rng = self.rng
        for slug, suffix, kind, head, section, fld in c.DEPARTMENTS:
            uid = f"{self.prefix}-{slug}"
            name = f"{self.cn}{suffix}"
            templates = rng.sample(c.DUTY_TEMPLATES, rng.randint(2, 5))
            duties = [(f"{uid}.{i + 1}", t.format(field=fld)) for i, t in enumerate(templates)]
            member: Person = {"name": self.name(), "title": f"{name}{head}"}
            liaison = self.liaison_person(slug, section)
            self.units.append(Unit(uid, name, f"{c.CITY}{name}", kind, member, liaison, duties))
        for slug, street in c.STREETS:
            uid = f"{self.prefix}-{slug}"
            name = f"{self.cn}{street}"
            town = street.endswith("镇")
            alias = f"{name}人民政府" if town else f"{name}办事处"
            duties = [(f"{uid}.{i + 1}", t) for i, t in enumerate(rng.sample(c.STREET_DUTIES, rng.randint(2, 4)))]
            member = {"name": self.name(), "title": f"{street}{'党委' if town else '党工委'}书记"}
            liaison = self.liaison_person(slug, "社会事务办公室")
            self.units.append(Unit(uid, name, alias, "street", member, liaison, duties))

    def plan_handovers(self) -> None:
        """Chains of handovers per (unit, role); the unit file ends with the last successor."""
        rng = self.rng
        pairs: list[tuple[Unit, str]] = []
        count = 0
        while count < HANDOVERS_PER_DISTRICT:
            unit, role = rng.choice(self.units), rng.choice(("member", "liaison"))
            if (unit, role) in pairs:
                continue
            k = min(rng.choice((1, 1, 2, 3)), HANDOVERS_PER_DISTRICT - count)
            pairs.append((unit, role))
            count += k
            months = sorted(rng.sample(range(2, len(MONTHS) - 1), k))
            first = unit.member if role == "member" else unit.liaison
            assert first is not None
            holder = dict(first)
            if role == "liaison":
                unit.liaisons.append((START, str(holder["name"])))
            for mi in months:
                y, m = map(int, MONTHS[mi].split("-"))
                effective = date(y, m, rng.randint(1, 20))
                filed = min(effective + timedelta(days=rng.randint(0, 7)), END)
                if role == "member":
                    new = {"name": self.name(avoid=str(holder["name"])), "title": holder["title"]}
                else:
                    slug = unit.id.split("-", 1)[1]
                    new = self.liaison_person(slug, str(holder["section"]), avoid=str(holder["name"]))
                    unit.liaisons.append((effective, str(new["name"])))
                self.handovers.append((unit, role, effective, filed, holder, new))
                holder = new
            if role == "member":
                unit.member = holder
            else:
                unit.liaison = holder

    def new_task(self, start: date, due: date, lead: Unit, meeting: str | None = None) -> Task:
        """A task; with `meeting` (a label such as 2023年第2季度例会), one decided at that meeting."""
        rng = self.rng
        obj, measure, verbs = rng.choice(c.OBJECTS)
        place = rng.choice(c.PLACES)
        title = f"{rng.choice(verbs)}{obj}（{meeting}议定）" if meeting else f"{place}{rng.choice(verbs)}{obj}"
        n = rng.choice((2, 3, 5, 8, 10, 12, 20, 30, 50, 100, 200))
        by = f"{due.year}年{due.month}月底前"
        first = rng.choice(
            (
                f"{by}{place}新增{obj}{n}{measure}",
                f"{by}完成{obj}{n}{measure}，{rng.choice(c.INDICATORS)}达到{rng.randint(80, 100)}%",
                f"{obj}{rng.choice(c.INDICATORS)}较上年提高{rng.randint(5, 30)}个百分点，年内完成{n}{measure}",
            )
        )
        second = rng.choice(
            (
                f"群众满意度不低于{rng.randint(85, 98)}%",
                f"形成可复制、可推广的经验做法{rng.randint(1, 3)}项",
                f"建立工作台账，按月报送进展，{by}通过验收",
                "纳入年度考绩，按阶段赋分",
            )
        )
        target = f"{first}；{second}"
        others = [u for u in self.units if u is not lead]
        support = rng.sample(others, rng.choice((0, 0, 1, 1, 2, 3)))
        duties = [rng.choice(lead.duties)[0]]
        if support and rng.random() < 0.3:
            duties.append(rng.choice(support[0].duties)[0])
        task = Task(title, target, lead.id, start, due, [u.id for u in support], duties)
        task.key = rng.random() < 0.1
        task.weight = rng.randint(1, 5)
        span = (due - start).days
        if rng.random() < 0.3 and span >= 30:
            offsets = sorted(rng.sample(range(1, span), rng.randint(2, 3) if span >= 60 else 1))
            names = sorted(rng.sample(range(len(c.MILESTONES)), len(offsets)))
            task.milestones = [
                [c.MILESTONES[i], start + timedelta(days=o), None] for i, o in zip(names, offsets, strict=True)
            ]
        self.set_status(task)
        self.tasks.append(task)
        return task

    def set_status(self, task: Task) -> None:
        rng = self.rng
        r = rng.random()
        if r < 0.05:
            task.status = "cancelled"
            return
        recent = task.due > END - timedelta(days=60)
        if (recent and rng.random() < 0.85) or (not recent and rng.random() < 0.2):
            task.status = "open"
        else:
            task.status = "done"
            late = rng.random() < 0.1 and task.due < END - timedelta(days=10)
            if late:
                task.done = min(task.due + timedelta(days=rng.randint(3, 90)), END)
            else:
                early = rng.randint(0, min(45, (task.due - task.start).days))
                task.done = min(task.due - timedelta(days=early), END)
            task.done = max(task.done, task.start)
        for m in task.milestones:
            mdue: date = m[1]  # type: ignore[assignment]
            if task.done is not None:
                m[2] = max(task.start, min(mdue - timedelta(days=rng.randint(-15, 10)), task.done))
            elif mdue < END and rng.random() < 0.75:
                m[2] = max(task.start, min(mdue + timedelta(days=rng.randint(-10, 15)), END))

    def plan_meetings(self) -> None:
        rng = self.rng
        for year in range(START.year, END.year + 1):
            for q in range(1, 5):
                mid = f"{self.prefix}-{year}-q{q}"
                day = date(year, q * 3, rng.randint(10, 25))
                attendees = sorted(rng.sample(range(len(self.units)), rng.randint(12, 20)))
                heard = [self.units[i].id for i in rng.sample(attendees, rng.randint(4, 8))]
                tasks = []
                for _ in range(rng.randint(2, 3)):
                    lead = rng.choice(self.units)
                    due = add_months_end(day, rng.randint(1, 5))
                    task = self.new_task(day, due, lead, f"{year}年第{q}季度例会")
                    task.meeting = mid
                    tasks.append(task)
                chair = rng.choice(c.LEADERS + c.DEPUTY_LEADERS)[0]
                on_behalf = None if chair in {n for n, _ in c.LEADERS} else rng.choice(c.LEADERS)[0]
                ids = [self.units[i].id for i in attendees]
                self.meetings.append(Meeting(mid, day, ids, heard, tasks, chair, on_behalf))

    def plan_tasks(self) -> None:
        rng = self.rng
        leads = self.units[:30] * 2 + self.units[30:]  # departments lead more often than streets
        span = (END - START).days - 20
        while len(self.tasks) < TASKS_PER_DISTRICT:
            start = START + timedelta(days=rng.randrange(span))
            due = add_months_end(start, rng.choice((1, 2, 3, 3, 4, 6, 6, 9, 12)))
            self.new_task(start, due, rng.choice(leads))
        self.tasks.sort(key=lambda t: (t.start, t.due, t.title, t.lead))
        numbers: dict[int, int] = {}
        for task in self.tasks:
            numbers[task.start.year] = numbers.get(task.start.year, 0) + 1
            task.id = f"t{task.start.year}-{self.prefix}-{numbers[task.start.year]:04d}"

    def plan_letters(self) -> None:
        """Letters for tasks that were overdue, issued by the escalation rules, until ~100."""
        rng = self.rng
        candidates = [t for t in self.tasks if t.status != "cancelled" and (t.done or END) > t.due + timedelta(days=8)]
        rng.shuffle(candidates)
        for task in candidates:
            if len(self.letters) >= LETTERS_PER_DISTRICT:
                break
            stop = task.done or END  # letters go out while the task is overdue
            previous: Letter | None = None
            for kind, days in ESCALATION:
                issued = task.due + timedelta(days=days + rng.randint(0, 3))
                if previous is not None:
                    issued = max(issued, previous.reply_by + timedelta(days=1 + rng.randint(0, 3)))
                if issued >= stop or len(self.letters) >= LETTERS_PER_DISTRICT:
                    break
                replied = issued + timedelta(days=rng.randint(2, 12)) if rng.random() < 0.6 else None
                if replied is not None and replied > END:
                    replied = None
                previous = Letter(kind, task.lead, task, issued, replied)
                self.letters.append(previous)
        self.letters.sort(key=lambda x: (x.issued, x.task.id, x.kind))
        numbers: dict[int, int] = {}
        for letter in self.letters:
            numbers[letter.issued.year] = numbers.get(letter.issued.year, 0) + 1
            letter.id = f"l{letter.issued.year}-{self.prefix}-{numbers[letter.issued.year]:03d}"

    def plan_reports(self) -> None:
        rng = self.rng
        for unit in self.units:
            for m in MONTHS:
                if rng.random() >= 0.95:
                    continue
                y, mo = map(int, m.split("-"))
                if rng.random() < 0.9:
                    submitted = date(y, mo, rng.randint(8, DUE_DAY))
                else:
                    submitted = min(date(y, mo, DUE_DAY) + timedelta(days=rng.randint(1, 12)), END)
                self.reports[(unit.id, m)] = submitted

    # --- rendering ----------------------------------------------------------------------------

    def files(self) -> Iterator[File]:
        self.names = {u.id: u.name for u in self.units}
        first = MONTHS[0]
        for unit in self.units:
            yield first, f"units/{unit.id}.yaml", self.unit_text(unit)
        for task in self.tasks:
            yield month_of(task.start), f"tasks/{task.id}.yaml", self.task_text(task)
        for meeting in self.meetings:
            yield month_of(meeting.day), f"meetings/{meeting.id}.yaml", self.meeting_text(meeting)
        for letter in self.letters:
            yield month_of(letter.issued), f"letters/{letter.id}.yaml", self.letter_text(letter)
        for h in self.handovers:
            hid, text = self.handover_text(*h)
            yield month_of(h[3]), f"handovers/{hid}.yaml", text
        by_unit: dict[str, list[Task]] = {}
        for task in self.tasks:
            if task.status != "cancelled":
                by_unit.setdefault(task.lead, []).append(task)
        for unit in self.units:
            for m in MONTHS:
                submitted = self.reports.get((unit.id, m))
                if submitted is not None:
                    text = self.report_text(unit, m, submitted, by_unit.get(unit.id, []))
                    yield m, f"reports/{m}/{unit.id}.yaml", text

    def unit_text(self, u: Unit) -> str:
        duties = "".join(f"- id: {i}\n  text: {s(t)}\n" for i, t in u.duties)
        return (
            f"# {u.name}：生成的基准测试数据（非真实单位）\n"
            f"id: {u.id}\nname: {s(u.name)}\naliases:\n- {s(u.alias)}\nkind: {u.kind}\n"
            + person("member", u.member)
            + person("liaison", u.liaison)
            + f"reports: true\nduties:\n{duties}"
        )

    def task_text(self, t: Task) -> str:
        lead = self.names[t.lead]
        out = [
            f"# 生成的基准测试数据：{lead}牵头\nid: {t.id}\ntitle: {s(t.title)}\ntarget: {s(t.target)}\nlead: {t.lead}\n"
        ]
        out.append(id_list("support", t.support))
        out.append(id_list("duties", t.duties))
        if t.key:
            out.append("key: true\n")
        out.append(f"start: {d(t.start)}\ndue: {d(t.due)}\n")
        if t.milestones:
            out.append("milestones:\n")
            for name, due, done in t.milestones:
                out.append(f"- name: {s(str(name))}\n  due: {d(due)}\n")  # type: ignore[arg-type]
                if done is not None:
                    out.append(f"  done: {d(done)}\n")  # type: ignore[arg-type]
        out.append(f"status: {t.status}\n")
        if t.done is not None:
            out.append(f"done: {d(t.done)}\n")
        if t.weight != 1:
            out.append(f"weight: {t.weight}\n")
        if t.meeting:
            out.append(f"source:\n  meeting: {t.meeting}\n")
        return "".join(out)

    def meeting_text(self, mt: Meeting) -> str:
        rng = self.rng
        names = self.names
        out = [f"id: {mt.id}\nkind: regular\nstatus: held\ndate: {d(mt.day)}\nchair: {s(mt.chair)}\n"]
        if mt.on_behalf_of:
            out.append(f"on_behalf_of: {s(mt.on_behalf_of)}\n")
        out.append(id_list("attendees", mt.attendees))
        out.append(str_list("agenda", rng.sample(c.AGENDA, rng.randint(3, 4))))
        out.append(id_list("heard", mt.heard))
        out.append(str_list("reviewed", rng.sample(c.REVIEWED, rng.randint(1, 2))))
        out.append("decisions:\n")
        for t in mt.tasks:
            text = f"{names[t.lead]}牵头，{t.due.year}年{t.due.month}月底前完成：{t.title[: t.title.rindex('（')]}"
            out.append(f"- text: {s(text)}\n  lead: {t.lead}\n  due: {d(t.due)}\n  task: {t.id}\n")
        if rng.random() < 0.5:
            out.append(f"- text: {s(rng.choice(c.GENERAL_DECISIONS))}\n")
        return "".join(out)

    def letter_text(self, x: Letter) -> str:
        return (
            f"id: {x.id}\nkind: {x.kind}\nunit: {x.unit}\ntasks:\n- {x.task.id}\n"
            f"issued: {d(x.issued)}\nreply_by: {d(x.reply_by)}\nreplied: {d(x.replied)}\n"
        )

    def handover_text(
        self,
        unit: Unit,
        role: str,
        effective: date,
        filed: date,
        old: Person | None,
        new: Person,
    ) -> tuple[str, str]:
        hid = f"{effective.isoformat()}-{unit.id}-{role}"
        open_tasks = [
            t.id
            for t in self.tasks
            if (t.lead == unit.id or unit.id in t.support)
            and t.status != "cancelled"
            and t.start <= effective
            and (t.done is None or t.done > effective)
        ]
        open_letters = [
            x.id
            for x in self.letters
            if x.unit == unit.id and x.issued <= effective and (x.replied is None or x.replied > effective)
        ]
        missing = [
            m
            for m in MONTHS
            if date(int(m[:4]), int(m[5:]), DUE_DAY) < effective
            and self.reports.get((unit.id, m), effective) >= effective
        ]
        role_cn = "专班成员" if role == "member" else "联络员"
        note = f"{self.rng.choice(c.HANDOVER_NOTES)}，{old['name'] if old else '原任'}不再担任{role_cn}，由{new['name']}接任"
        text = (
            f"id: {hid}\nunit: {unit.id}\nrole: {role}\n"
            + person("from", old)
            + person("to", new)
            + f"effective: {d(effective)}\nfiled: {d(filed)}\n"
            + id_list("open_tasks", open_tasks)
            + id_list("open_letters", open_letters)
            + id_list("missing_reports", [month(m) for m in missing])
            + f"note: {s(note)}\n"
        )
        return hid, text

    def report_text(self, unit: Unit, m: str, submitted: date, led: list[Task]) -> str:
        rng = self.rng
        y, mo = int(m[:4]), int(m[5:])
        first, last = date(y, mo, 1), month_end(y, mo)
        by = next((name for eff, name in reversed(unit.liaisons) if eff <= submitted), None)
        if by is None:
            by = str(unit.liaison["name"]) if unit.liaison else None
        out = [f"unit: {unit.id}\nmonth: {month(m)}\nsubmitted: {d(submitted)}\n"]
        if by:
            out.append(f"by: {s(by)}\n")
        active = [t for t in led if t.start <= last and (t.done is None or t.done >= first)]
        active = sorted(active, key=lambda t: (t.due, t.id), reverse=True)[: rng.randint(2, 4)]
        if active:
            out.append("progress:\n")
            for t in active:
                if t.done is not None and t.done <= last:
                    percent = 100
                else:
                    whole = max((t.due - t.start).days, 1)
                    percent = max(5, min(95, 100 * (last - t.start).days // whole))
                out.append(f"- task: {t.id}\n  percent: {percent}\n  note: {s(rng.choice(c.PROGRESS_NOTES))}\n")
        out.append(str_list("difficulties", rng.sample(c.DIFFICULTIES, rng.randint(1, 3))))
        out.append(str_list("suggestions", rng.sample(c.SUGGESTIONS, rng.randint(1, 2))))
        if rng.random() < 0.4:
            out.append(str_list("practices", [rng.choice(c.PRACTICES)]))
        return "".join(out)


def district_files(n: int) -> Iterator[File]:
    district = District(n)
    district.plan()
    yield from district.files()
