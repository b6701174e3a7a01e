"""Demo cases: a few hundred invented complaints across the demo districts, in every state.

Each case has a title without names, a narrative (some in Urdu) about synthetic people from the
demo's ``PeopleGenerator``, 1-3 people with encrypted identity and blind indexes, a status
history that follows the workflow table step by step, 1-5 timeline entries, and a few small
PDF files. The step runs once: when the demo organisations
already have cases it creates nothing.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meesaq.accounts.models import User
from meesaq.audit.services import audit_record
from meesaq.cases import storage
from meesaq.cases.demo_data import (
    AGE_BANDS,
    FAITH_GROUPS,
    LAW_SECTIONS,
    NARRATIVE,
    NOTES,
    PATHS,
    POLICE_STATIONS,
    REASONS,
    RETURNED_PATH,
    RISKY,
    STATUS_MIX,
    TITLES,
    URDU_NARRATIVE,
    URDU_NOTE,
    URDU_TITLE,
)
from meesaq.cases.models import (
    ActionKind,
    AffectedGroup,
    Attachment,
    Case,
    CaseAction,
    CasePerson,
    CaseTransition,
    Category,
    Channel,
    Outcome,
    Person,
    PersonNameToken,
    PersonRole,
    Status,
)
from meesaq.cases.references import reference_next
from meesaq.cases.services.intake import priority_from_risk
from meesaq.cases.workflow import transition_row
from meesaq.crypto.blind_index import (
    index_for_cnic,
    index_for_phone,
    name_index_tokens,
    normalise_cnic,
    normalise_phone,
)
from meesaq.demo.people import SyntheticPerson
from meesaq.demo.registry import DemoContext, demo_step
from meesaq.geo.models import AdminUnit, Level
from meesaq.orgs.models import Organisation

CASE_COUNT: Final = 300
SEED: Final = 20_260_303
ATTACHMENT_SHARE: Final = 0.08
URDU_SHARE: Final = 0.15
MAX_PEOPLE: Final = 3
# District short code → (share of the cases, intake, case officers, supervisor, provincial).
STAFF: Final = {
    "lhr": (90, "intake.lahore", ("caseofficer.lahore", "hrofficer.lahore"), "supervisor.lahore"),
    "hyd": (60, "intake.hyderabad", ("caseofficer.hyderabad",), "supervisor.hyderabad"),
    "fsd": (30, "", (), ""),
    "rwp": (30, "", (), ""),
    "bwp": (30, "", (), ""),
    "thr": (30, "", (), ""),
    "umk": (30, "", (), ""),
}
SINDH_DISTRICTS: Final = {"hyd", "thr", "umk"}


# Status → (how many in 300, youngest and oldest age in days): recent cases are still early on.
@dataclass
class Staff:
    """Who works the cases of one demo district."""

    intake: User | None
    officers: list[User]
    supervisor: User | None


@dataclass
class Plan:
    """One case before it is written, with what belongs to it."""

    case: Case
    short: str
    path: tuple[str, ...]
    complainant: SyntheticPerson
    urdu: bool
    # When each status of the path was reached.
    times: list[datetime] = field(default_factory=list)
    # Each person with their roles on the case and whether they are a child.
    people: list[tuple[SyntheticPerson, list[str], bool]] = field(default_factory=list)


def _spread(items: list[str], count: int, rng: random.Random) -> list[str]:
    """Return ``count`` items with each at least once, the rest drawn at random, shuffled."""
    chosen = list(items) + [rng.choice(items) for _ in range(count - len(items))]
    rng.shuffle(chosen)
    return chosen[:count]


def _statuses(rng: random.Random) -> list[str]:
    chosen = [str(status) for status, (count, *_) in STATUS_MIX.items() for _ in range(count)]
    rng.shuffle(chosen)
    return chosen


def _staff(context: DemoContext, short: str) -> Staff:
    _share, intake, officers, supervisor = STAFF[short]
    users = context.users
    province = "provincial.sindh" if short in SINDH_DISTRICTS else "provincial.punjab"
    return Staff(
        intake=users.get(intake) or users.get(province),
        officers=[users[name] for name in officers if name in users],
        supervisor=users.get(supervisor) or users.get(province),
    )


def _owner(context: DemoContext, short: str, officer: User | None) -> Organisation:
    orgs = context.organisations
    if officer is not None and officer.username == "hrofficer.lahore":
        return orgs[f"demo-{short}-hr-office"]
    return orgs[f"demo-{short}-police-centre"]


def _person_row(
    synthetic: SyntheticPerson, *, urdu: bool, child: bool, org: Organisation
) -> Person:
    name = synthetic.full_name_ur if urdu else synthetic.full_name_en
    cnic = "" if child else normalise_cnic(synthetic.cnic)
    phone = "" if child else normalise_phone(synthetic.phone)
    return Person(
        full_name=name,
        relative_name=synthetic.father_name_ur if urdu else synthetic.father_name_en,
        cnic=cnic,
        cnic_index=index_for_cnic(cnic),
        phone=phone,
        phone_index=index_for_phone(phone),
        address=synthetic.address_ur if urdu else synthetic.address_en,
        gender=synthetic.gender,
        age_band="0-17" if child else AGE_BANDS.get(synthetic.age_band, synthetic.age_band),
        faith=synthetic.faith,
        recorded_by_organisation=org,
    )


class _Builder:
    """Plans every case in memory, then writes each kind of row in one bulk insert."""

    def __init__(self, context: DemoContext) -> None:
        self.context = context
        self.rng = random.Random(SEED)  # noqa: S311  # reproducible demo data, not security
        self.now = timezone.now()
        self.categories = {c.code: c for c in Category.objects.filter(is_active=True)}
        self.groups = {g.code: g for g in AffectedGroup.objects.all()}
        self.outcomes = [o for o in Outcome.objects.filter(is_active=True) if o.code != "withdrawn"]
        self.districts = {
            short: context.organisations[f"demo-{short}-police-centre"].jurisdiction
            for short in STAFF
        }
        self.tehsils = {
            short: list(
                AdminUnit.objects.filter(level=Level.TEHSIL, path__startswith=district.path + "/")
            )
            for short, district in self.districts.items()
        }
        self.staff = {short: _staff(context, short) for short in STAFF}

    def chance(self, share: float) -> bool:
        """Say yes with the given probability."""
        return self.rng.random() < share

    def when(self, status: str) -> datetime:
        _count, youngest, oldest = STATUS_MIX[status]
        age = timedelta(days=self.rng.uniform(youngest, oldest), hours=self.rng.uniform(0, 10))
        return self.now - age

    def plan(self) -> list[Plan]:
        rng = self.rng
        statuses = _statuses(rng)
        count = len(statuses)
        shares = [short for short, (share, *_) in STAFF.items() for _ in range(share)]
        categories = _spread(sorted(self.categories), count, rng)
        channels = _spread([str(c) for c in Channel.values], count, rng)
        plans = [
            self._plan_one(status, shares[n % len(shares)], categories[n], channels[n])
            for n, status in enumerate(statuses)
        ]
        return sorted(plans, key=lambda plan: plan.case.received_at)

    def _plan_one(self, status: str, short: str, code: str, channel: str) -> Plan:
        rng = self.rng
        staff = self.staff[short]
        officer = rng.choice(staff.officers) if staff.officers else None
        path = PATHS[Status(status)]
        if status == Status.IN_ACTION and self.chance(0.15):
            path = RETURNED_PATH
        # Supervisors assign an officer when they register a case.
        assigned = officer if Status.REGISTERED in path else None
        risks = {name: self.chance(0.5) for name in RISKY.get(code, ())}
        if not risks:
            risks = {"risk_ongoing_violence": self.chance(0.1)}
        faith = rng.choices([f for f, _ in FAITH_GROUPS], [w for _, w in FAITH_GROUPS])[0]
        if short in SINDH_DISTRICTS and self.chance(0.6):
            faith = "hindu"
        complainant = self.context.people.person(faith=faith)
        urdu = self.chance(URDU_SHARE)
        category = self.categories[code]
        district = self.districts[short]
        received_at = self.when(status)
        title = rng.choice(TITLES.get(code, TITLES["other"]))
        name = complainant.full_name_ur if urdu else complainant.full_name_en
        if urdu:
            narrative = URDU_NARRATIVE.format(name=name, category=category.label_ur)
            title = URDU_TITLE.format(category=category.label_ur, district=district.name_ur)
        else:
            pronoun = "He" if complainant.gender == "male" else "She"
            days = rng.randint(2, 30)
            narrative = NARRATIVE.format(name=name, title=title.lower(), pronoun=pronoun, days=days)
        case = Case(
            organisation=_owner(self.context, short, officer),
            district=district,
            tehsil=rng.choice(self.tehsils[short]) if self.tehsils[short] else None,
            jurisdiction_path=district.path,
            police_station=rng.choice(POLICE_STATIONS) if self.chance(0.6) else "",
            place=self.context.people.street_address(),
            received_at=received_at,
            incident_on=(received_at - timedelta(days=rng.randint(0, 10))).date(),
            channel=channel,
            category=category,
            title=title[:150],
            narrative=narrative,
            consent_contact=self.chance(0.7),
            consent_share=self.chance(0.4),
            priority=priority_from_risk(**{k.removeprefix("risk_"): v for k, v in risks.items()}),
            assigned_to=assigned,
            recorded_by=staff.intake,
            recorded_on_behalf=channel == Channel.PHONE or self.chance(0.1),
            **risks,
        )
        plan = Plan(case=case, short=short, path=path, complainant=complainant, urdu=urdu)
        self._plan_people(plan, faith)
        return plan

    def _plan_people(self, plan: Plan, faith: str) -> None:
        child = plan.case.risk_child_involved
        roles = [PersonRole.COMPLAINANT] + ([PersonRole.GUARDIAN] if child else [])
        plan.people.append((plan.complainant, [str(r) for r in roles], False))
        if child or self.chance(0.4):
            victim = self.context.people.person(faith=faith)
            plan.people.append((victim, [str(PersonRole.VICTIM)], child))
        if len(plan.people) < MAX_PEOPLE and self.chance(0.5):
            other = self.context.people.person()
            role = self.rng.choice([PersonRole.PERPETRATOR, PersonRole.WITNESS])
            plan.people.append((other, [str(role)], False))

    def write(self, plans: list[Plan]) -> dict[str, int]:
        for plan in plans:
            plan.case.reference = reference_next(
                district=plan.case.district, year=plan.case.received_at.year
            )
            self._finish_status(plan)
        Case.objects.bulk_create([plan.case for plan in plans])
        self._link_duplicates(plans)
        Through = Case.groups.through  # noqa: N806  # a model class
        Through.objects.bulk_create(
            Through(case_id=plan.case.pk, affectedgroup_id=group.pk)
            for plan in plans
            for group in self._groups_of(plan)
        )
        transitions = self._transitions(plans)
        people = self._people(plans)
        actions = self._actions(plans)
        files = self._attachments(plans, actions)
        return {
            "cases": len(plans),
            "transitions": transitions,
            "people": people,
            "actions": len(actions),
            "attachments": files,
        }

    def _finish_status(self, plan: Plan) -> None:
        """Set what the workflow service would have set along the path, at invented times."""
        case, rng = plan.case, self.rng
        span = (self.now - case.received_at).total_seconds()
        offsets = sorted(rng.uniform(0, span) for _ in plan.path[1:])
        plan.times = [case.received_at] + [case.received_at + timedelta(seconds=s) for s in offsets]
        for status, at in zip(plan.path, plan.times, strict=True):
            if status == Status.IN_ACTION and case.first_action_at is None:
                case.first_action_at = at
            if status == Status.RESOLVED:
                case.resolved_at = at
            if status == Status.CLOSURE_REQUESTED:
                case.outcome = rng.choice(self.outcomes)
                case.closure_requested_by = case.assigned_to
            if status == Status.CLOSED:
                case.closed_at = at
            if status in {Status.REOPENED, Status.IN_ACTION}:
                case.outcome, case.closure_requested_by = None, None
                case.resolved_at, case.closed_at = None, None
        case.status = plan.path[-1]
        case.status_changed_at = plan.times[-1]
        case.status_reason = REASONS.get(Status(case.status), "") if len(plan.path) > 1 else ""
        if case.status == Status.IN_ACTION and plan.path != RETURNED_PATH:
            case.status_reason = ""

    def _link_duplicates(self, plans: list[Plan]) -> None:
        duplicates = []
        for index, plan in enumerate(plans):
            if plan.case.status != Status.DUPLICATE:
                continue
            earlier = [p.case for p in plans[:index] if p.case.district_id == plan.case.district_id]
            plan.case.duplicate_of = earlier[-1] if earlier else None
            if plan.case.duplicate_of is None:
                # The oldest case of its district cannot copy another: it stays received.
                plan.case.status, plan.path = Status.RECEIVED, PATHS[Status.RECEIVED]
                plan.times = plan.times[:1]
                plan.case.status_changed_at = plan.case.received_at
            duplicates.append(plan.case)
        Case.objects.bulk_update(duplicates, ["duplicate_of", "status", "status_changed_at"])

    def _groups_of(self, plan: Plan) -> list[AffectedGroup]:
        faith = plan.complainant.faith
        codes = {"other_faith" if faith == "other" else faith}
        if any(p.gender == "female" for p, _roles, _child in plan.people):
            codes.add("women")
        if plan.case.risk_child_involved:
            codes.add("children")
        if any(p.gender == "transgender" for p, _roles, _child in plan.people):
            codes.add("transgender")
        if plan.case.category.code == "bonded_labour":
            codes.add("ultra_poor")
        return [self.groups[code] for code in sorted(codes) if code in self.groups]

    def _actor(self, plan: Plan, status: str) -> User | None:
        staff = self.staff[plan.short]
        if status in {Status.RECEIVED, Status.NOT_IN_MANDATE, Status.DUPLICATE}:
            return plan.case.recorded_by
        if status in {Status.REGISTERED, Status.CLOSED, Status.REOPENED}:
            return staff.supervisor
        return plan.case.assigned_to or staff.supervisor

    def _transitions(self, plans: list[Plan]) -> int:
        rows = []
        for plan in plans:
            previous = ""
            for status, at in zip(plan.path, plan.times, strict=True):
                if previous and transition_row(previous, status) is None:
                    raise ValueError(f"demo path {plan.path} breaks the workflow table")
                reason = REASONS.get(Status(status), "") if previous else ""
                if status == Status.IN_ACTION and previous != Status.CLOSURE_REQUESTED:
                    reason = ""
                rows.append(
                    CaseTransition(
                        case=plan.case,
                        from_status=previous,
                        to_status=status,
                        actor=self._actor(plan, status),
                        occurred_at=at,
                        reason=reason,
                    )
                )
                previous = status
        CaseTransition.objects.bulk_create(rows)
        return len(rows)

    def _people(self, plans: list[Plan]) -> int:
        rows: list[tuple[Plan, Person, list[str]]] = []
        for plan in plans:
            for synthetic, roles, child in plan.people:
                person = _person_row(
                    synthetic, urdu=plan.urdu, child=child, org=plan.case.organisation
                )
                rows.append((plan, person, roles))
        Person.objects.bulk_create([person for _plan, person, _roles in rows])
        PersonNameToken.objects.bulk_create(
            PersonNameToken(person=person, token=token)
            for _plan, person, _roles in rows
            for token in dict.fromkeys(name_index_tokens(person.full_name))
        )
        CasePerson.objects.bulk_create(
            CasePerson(case=plan.case, person=person, role=role)
            for plan, person, roles in rows
            for role in roles
        )
        return len(rows)

    def _actions(self, plans: list[Plan]) -> list[CaseAction]:
        rng, rows = self.rng, []
        kinds = [k for k in ActionKind.values if k != ActionKind.FIR]
        for plan in plans:
            case = plan.case
            author = case.assigned_to or case.recorded_by
            if author is None:
                continue
            started = case.status not in {Status.RECEIVED, Status.NOT_IN_MANDATE, Status.DUPLICATE}
            count = rng.randint(1, 5) if started else 1
            start = case.received_at.date()
            days = max(0, (self.now.date() - start).days)
            name = plan.complainant.full_name_ur if plan.urdu else plan.complainant.full_name_en
            for n in range(count):
                kind = rng.choice(kinds if started else [ActionKind.NOTE, ActionKind.CALL])
                fir = started and n == 0 and case.category.code in LAW_SECTIONS and self.chance(0.5)
                kind = ActionKind.FIR if fir else kind
                occurred = start + timedelta(days=rng.randint(0, days))
                note = URDU_NOTE if plan.urdu and kind == ActionKind.NOTE else NOTES[kind]
                rows.append(
                    CaseAction(
                        case=case,
                        kind=kind,
                        occurred_on=occurred,
                        author=author,
                        note=note.format(name=name),
                        next_action_on=occurred + timedelta(days=7) if n == count - 1 else None,
                        fir_number=f"{rng.randint(11, 990)}/{occurred.year}" if fir else "",
                        police_station=(case.police_station or POLICE_STATIONS[0]) if fir else "",
                        law_sections=LAW_SECTIONS.get(case.category.code, "") if fir else "",
                    )
                )
        CaseAction.objects.bulk_create(rows)
        return rows

    def _attachments(self, plans: list[Plan], actions: list[CaseAction]) -> int:
        documents = [a for a in actions if a.kind in {ActionKind.DOCUMENT, ActionKind.FIR}]
        chosen = self.rng.sample(
            documents, k=min(len(documents), int(len(plans) * ATTACHMENT_SHARE))
        )
        rows = []
        for action in chosen:
            data = _demo_pdf(action.case.reference, str(action.get_kind_display()))
            name = "fir-copy.pdf" if action.kind == ActionKind.FIR else "written-statement.pdf"
            rows.append(
                Attachment(
                    case=action.case,
                    action=action,
                    uploaded_by=action.author,
                    original_name=name,
                    content_type="application/pdf",
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    storage_name=storage.store(data),
                )
            )
        Attachment.objects.bulk_create(rows)
        return len(rows)


def _demo_pdf(reference: str, kind: str) -> bytes:
    """Return a one-page PDF that says it is demo material."""
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.multi_cell(0, 8, f"{kind}\nCase {reference}\nDemo document: invented, not real.")
    return bytes(document.output())


@demo_step("cases", order=50)
def cases_demo(context: DemoContext) -> str:
    """Create the demo cases once; say what was created or that they were already there."""
    if Case.objects.filter(organisation__code__startswith="demo-").exists():
        return _("Demo cases: already in place, nothing new created.")
    builder = _Builder(context)
    with transaction.atomic():
        counts = builder.write(builder.plan())
        audit_record(actor=None, action="demo.cases_created", detail=dict(counts))
    line = (
        _(
            "Demo cases: %(cases)d cases with %(people)d people, %(actions)d timeline entries "
            "and %(attachments)d files created."
        )
        % counts
    )
    return line
