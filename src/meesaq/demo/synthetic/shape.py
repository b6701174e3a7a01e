"""What one synthetic case looks like: its dates, workflow, people, actions and referral.

Every case follows the real workflow table (``meesaq.cases.workflow``) from ``received``: a
case's steps are laid out in time from its received date and only those already past "now"
happened, so old cases are mostly closed and recent ones mostly open, and every status occurs.
Each row the services would write is written here too: transitions, timeline entries, people
with their blind indexes and name tokens, referral events, and one audit event per service call
(with the services' own action names and details), in the order the services would write them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import accumulate
from typing import Any

from meesaq.audit.chain import DetailValue
from meesaq.cases.models import (
    ActionKind,
    AgeBand,
    Case,
    CaseAction,
    CasePerson,
    CaseTransition,
    Channel,
    Moderation,
    Person,
    PersonNameToken,
    PersonRole,
    Priority,
    Status,
)
from meesaq.cases.services.intake import priority_from_risk
from meesaq.demo.people import PeopleGenerator, SyntheticPerson
from meesaq.demo.synthetic.bulk import IdBlocks, Sealer, Table, associated
from meesaq.demo.synthetic.province import District, Province
from meesaq.referrals.models import EventKind, Referral, ReferralEvent, ReferralStatus

YEARS = 5
# Complaints per calendar month relative to the mean: fewer in the winter months, a peak in the
# summer (wedding season and harvest disputes); the shape, not the exact figures, is the point.
MONTH_WEIGHTS = (0.8, 0.8, 0.95, 1.0, 1.1, 1.15, 1.2, 1.2, 1.1, 1.0, 0.9, 0.8)
# Each year brings more complaints than the one before, as a service becomes known.
YEARLY_GROWTH = 1.2
CHANNEL_WEIGHTS = {
    Channel.WALK_IN: 30,
    Channel.PHONE: 25,
    Channel.PORTAL: 12,
    Channel.SMS: 5,
    Channel.WHATSAPP: 10,
    Channel.LETTER: 5,
    Channel.REFERRAL: 10,
    Channel.MEDIA: 3,
}
ACTION_KINDS = (
    (ActionKind.CALL, 25),
    (ActionKind.NOTE, 20),
    (ActionKind.MEETING, 15),
    (ActionKind.FOLLOW_UP, 15),
    (ActionKind.FIR, 5),
    (ActionKind.PROTECTION, 4),
    (ActionKind.MEDIATION, 5),
    (ActionKind.LEGAL_AID, 5),
    (ActionKind.SUPPORT, 4),
    (ActionKind.DOCUMENT, 2),
)
AGE_BANDS = tuple(band for band in AgeBand.values if band != AgeBand.UNKNOWN)
# Title words, never names: a what and a where.
TITLE_WHAT = (
    "Threats",
    "Threatening calls",
    "Harassment",
    "Assault",
    "Land dispute",
    "Property grabbed",
    "Abduction reported",
    "Forced marriage",
    "Hate speech",
    "Discrimination at school",
    "Denied wages",
    "Police refused report",
    "Attack on shrine",
    "Graveyard damaged",
    "Mob gathered",
)
TITLE_WHERE = (
    "near church",
    "near temple",
    "at workplace",
    "in village",
    "in market",
    "near school",
    "at brick kiln",
    "in colony",
    "at home",
    "on farmland",
)
NARRATIVE = (
    "The complainant reports that the incident took place {days} days before the complaint "
    "and that it has been repeated since. Neighbours witnessed part of it. Synthetic text."
)
NOTE = "Spoke with the complainant; next steps agreed. Synthetic note {number}."


@dataclass
class Taxonomy:
    """The ids and codes of the terms cases are drawn from."""

    categories: list[tuple[int, str]]
    groups: list[int]
    outcomes: list[tuple[int, str]]


@dataclass
class AuditRow:
    """One audit event before its place in the chain is known."""

    occurred_at: datetime
    actor_id: int | None
    action: str
    object_type: str
    object_id: str
    detail: dict[str, DetailValue]


@dataclass
class Batch:
    """Every row of a batch of cases, in the order they are written, and the audit events."""

    cases: Table = field(default_factory=lambda: Table(Case, CASE_FIELDS))
    groups: Table = field(
        default_factory=lambda: Table(Case.groups.through, ("id", "case_id", "affectedgroup_id"))
    )
    transitions: Table = field(default_factory=lambda: Table(CaseTransition, TRANSITION_FIELDS))
    people: Table = field(default_factory=lambda: Table(Person, PERSON_FIELDS))
    tokens: Table = field(
        default_factory=lambda: Table(PersonNameToken, ("id", "person_id", "token"))
    )
    links: Table = field(default_factory=lambda: Table(CasePerson, LINK_FIELDS))
    actions: Table = field(default_factory=lambda: Table(CaseAction, ACTION_FIELDS))
    referrals: Table = field(default_factory=lambda: Table(Referral, REFERRAL_FIELDS))
    referral_events: Table = field(
        default_factory=lambda: Table(ReferralEvent, REFERRAL_EVENT_FIELDS)
    )
    audit: list[AuditRow] = field(default_factory=list)

    def tables(self) -> list[Table]:
        """Return the tables, parents before children."""
        return [
            self.cases,
            self.groups,
            self.transitions,
            self.people,
            self.tokens,
            self.links,
            self.actions,
            self.referrals,
            self.referral_events,
        ]


CASE_FIELDS: tuple[str, ...] = (
    "id",
    "reference",
    "organisation",
    "district",
    "tehsil",
    "jurisdiction_path",
    "place",
    "received_at",
    "incident_on",
    "channel",
    "category",
    "title",
    "narrative",
    "consent_contact",
    "consent_share",
    "status",
    "priority",
    "risk_threat_to_life",
    "risk_ongoing_violence",
    "risk_child_involved",
    "risk_mob_threat",
    "risk_displacement",
    "assigned_to",
    "recorded_by",
    "recorded_on_behalf",
    "duplicate_of",
    "outcome",
    "status_reason",
    "closure_requested_by",
    "status_changed_at",
    "moderation",
    "first_action_at",
    "resolved_at",
    "closed_at",
    "created_at",
    "updated_at",
)
TRANSITION_FIELDS: tuple[str, ...] = (
    "id",
    "case",
    "from_status",
    "to_status",
    "actor",
    "occurred_at",
    "reason",
)
PERSON_FIELDS: tuple[str, ...] = (
    "id",
    "full_name",
    "relative_name",
    "cnic",
    "phone",
    "address",
    "cnic_index",
    "phone_index",
    "gender",
    "age_band",
    "faith",
    "disability",
    "recorded_by_organisation",
    "created_at",
    "updated_at",
)
LINK_FIELDS: tuple[str, ...] = ("id", "case", "person", "role", "added_at")
ACTION_FIELDS: tuple[str, ...] = (
    "id",
    "case",
    "kind",
    "occurred_on",
    "author",
    "from_complainant",
    "public",
    "created_at",
    "note",
    "fir_number",
    "police_station",
)
REFERRAL_FIELDS: tuple[str, ...] = (
    "id",
    "case",
    "from_organisation",
    "to_organisation",
    "reason",
    "shared_fields",
    "identity_shared",
    "status",
    "acknowledge_by",
    "acknowledged_at",
    "complete_by",
    "completed_at",
    "created_by",
    "decline_reason",
    "outcome",
    "created_at",
    "updated_at",
)
REFERRAL_EVENT_FIELDS: tuple[str, ...] = (
    "id",
    "referral",
    "kind",
    "actor",
    "organisation",
    "at",
    "text",
)

S = Status
# Cumulative shares of the normal path's cases that stall, and how many of its steps they keep:
# still received, registered, in action (the biggest backlog), resolved, closure requested.
STALLS = ((0.02, 0), (0.05, 1), (0.2, 2), (0.22, 3), (0.24, 4))


@dataclass
class Step:
    """One status change: to what, when, by whom, and what the workflow row asks for."""

    to_status: str
    at: datetime
    actor_id: int
    reason: str = ""


POOL_SIZE = 4000


@lru_cache(maxsize=1)
def _people_pool() -> tuple[SyntheticPerson, ...]:
    """Return the invented names and addresses people are drawn from (numbers drawn fresh).

    Drawing a whole person costs more than everything else about a case; names repeat in real
    registers anyway, so a fixed pool serves every batch.
    """
    return tuple(PeopleGenerator(POOL_SEED).people(POOL_SIZE))


POOL_SEED = 20_261_202


class CaseShaper:
    """Draw synthetic cases into a batch; one seeded random generator per batch."""

    def __init__(
        self,
        *,
        province: Province,
        taxonomy: Taxonomy,
        sealer: Sealer,
        ids: IdBlocks,
        now: datetime,
        seed: int,
    ) -> None:
        self.province = province
        self.taxonomy = taxonomy
        self.sealer = sealer
        self.ids = ids
        self.now = now
        self.random = random.Random(seed)  # noqa: S311  # reproducible synthetic data
        self._pool = _people_pool()
        self._districts = list(province.districts)
        self._district_weights = list(accumulate(district.weight for district in self._districts))
        self._years = [now.year - offset for offset in range(YEARS)]
        self._category_weights = list(
            accumulate(1 / (rank + 1) ** 0.7 for rank in range(len(taxonomy.categories)))
        )
        self._channels = list(CHANNEL_WEIGHTS)
        self._channel_weights = list(accumulate(CHANNEL_WEIGHTS.values()))
        self._action_kinds = [kind for kind, _weight in ACTION_KINDS]
        self._action_weights = list(accumulate(weight for _kind, weight in ACTION_KINDS))
        self._year_weights = list(
            accumulate(YEARLY_GROWTH ** (YEARS - offset) for offset in range(YEARS))
        )
        self._month_weights = list(accumulate(MONTH_WEIGHTS))
        self._ad = {
            "narrative": associated(Case, "narrative"),
            "place": associated(Case, "place"),
            "note": associated(CaseAction, "note"),
            **{
                name: associated(Person, name)
                for name in ("full_name", "relative_name", "cnic", "phone", "address")
            },
        }
        self._recent_by_district: dict[str, tuple[int, str]] = {}

    # --- Dates --------------------------------------------------------------------------------

    def received_at(self) -> datetime:
        """Return a received time in the last five years, with growth and seasonality."""
        while True:
            year = self.random.choices(self._years, cum_weights=self._year_weights)[0]
            month = self.random.choices(range(1, 13), cum_weights=self._month_weights)[0]
            day = self.random.randint(1, 28)
            # Office hours mostly: 09:00 to 17:00 Pakistan time is 04:00 to 12:00 UTC.
            hour = int(self.random.triangular(2, 16, 6))
            moment = self.now.replace(
                year=year, month=month, day=day, hour=hour, minute=self.random.randrange(60)
            )
            moment = moment.replace(second=self.random.randrange(60), microsecond=0)
            if self.now - timedelta(days=YEARS * 365) < moment <= self.now:
                return moment

    # --- The workflow ------------------------------------------------------------------------

    def _steps(self, received: datetime, district: District, officer: int) -> list[Step]:
        """Return the status changes of a case's life, those still in the future left out."""
        chance = self.random.random()
        day = timedelta(days=1)
        registered = Step(S.REGISTERED, received + day * self.random.uniform(0.1, 2), officer)
        if chance < 0.06:  # noqa: PLR2004  # shares of the case mix
            steps = [Step(S.NOT_IN_MANDATE, registered.at, officer, "Outside the mandate.")]
        elif chance < 0.08:  # noqa: PLR2004
            steps = [registered, Step(S.DUPLICATE, registered.at + day, officer)]
        elif chance < 0.12:  # noqa: PLR2004
            acting = Step(S.IN_ACTION, registered.at + day * self.random.uniform(0.5, 4), officer)
            withdrawn = Step(S.WITHDRAWN, acting.at + day * self.random.uniform(2, 60), officer)
            withdrawn.reason = "The complainant withdrew the complaint."
            steps = [registered, acting, withdrawn]
        else:
            acting = Step(S.IN_ACTION, registered.at + day * self.random.uniform(0.5, 4), officer)
            resolved = Step(S.RESOLVED, acting.at + day * self.random.expovariate(1 / 45), officer)
            requested = Step(
                S.CLOSURE_REQUESTED, resolved.at + day * self.random.uniform(1, 5), officer
            )
            closed = Step(
                S.CLOSED, requested.at + day * self.random.uniform(1, 7), district.supervisor_id
            )
            steps = [registered, acting, resolved, requested, closed]
            if self.random.random() < 0.03:  # noqa: PLR2004
                reopened = Step(S.REOPENED, closed.at + day * self.random.uniform(10, 90), officer)
                reopened.reason = "New information from the complainant."
                steps.append(reopened)
            # Backlogs: some cases stop at a stage for good (never triaged, never resolved...).
            stall = self.random.random()
            for share, kept in STALLS:
                if stall < share:
                    steps = steps[:kept]
                    break
        return [step for step in steps if step.at <= self.now]

    # --- One case -----------------------------------------------------------------------------

    def case(self, batch: Batch, reference_of: Any) -> None:  # noqa: PLR0915  # the columns in order
        """Add one case and everything that hangs off it to the batch."""
        rnd = self.random
        district: District = rnd.choices(self._districts, cum_weights=self._district_weights)[0]
        received = self.received_at()
        officer = rnd.choice(district.officer_ids)
        steps = self._steps(received, district, officer)
        status = steps[-1].to_status if steps else S.RECEIVED
        case_id = self.ids.next(Case)
        reference = reference_of(district, received)
        category_id, _code = rnd.choices(
            self.taxonomy.categories, cum_weights=self._category_weights
        )[0]
        channel = rnd.choices(self._channels, cum_weights=self._channel_weights)[0]
        risks = [rnd.random() < share for share in (0.04, 0.12, 0.1, 0.02, 0.03)]
        priority = priority_from_risk(
            threat_to_life=risks[0],
            ongoing_violence=risks[1],
            child_involved=risks[2],
            mob_threat=risks[3],
            displacement=risks[4],
        )
        acted = [step for step in steps if step.to_status == S.IN_ACTION]
        first_action_at = acted[0].at if acted else None
        resolved_at = next((s.at for s in steps if s.to_status == S.RESOLVED), None)
        closed_at = next((s.at for s in steps if s.to_status == S.CLOSED), None)
        if status == S.REOPENED:
            resolved_at = closed_at = None
        outcome_id, outcome_code = rnd.choice(self.taxonomy.outcomes)
        has_outcome = any(step.to_status == S.CLOSURE_REQUESTED for step in steps)
        duplicate_of = None
        if status == S.DUPLICATE:
            duplicate_of = self._recent_by_district.get(district.pcode)
            if duplicate_of is None:
                # No earlier case to point to yet: the triage went the other way.
                steps[-1] = Step(S.NOT_IN_MANDATE, steps[-1].at, officer, "Outside the mandate.")
                steps = [step for step in steps if step.to_status != S.REGISTERED]
                status = S.NOT_IN_MANDATE
        self._recent_by_district[district.pcode] = (case_id, reference)
        last_change = steps[-1].at if steps else received
        assigned = officer if status not in (S.RECEIVED, S.NOT_IN_MANDATE) else None
        consent_share = rnd.random() < 0.6  # noqa: PLR2004
        title = f"{rnd.choice(TITLE_WHAT)} {rnd.choice(TITLE_WHERE)}"
        narrative = NARRATIVE.format(days=rnd.randint(1, 30))
        place = "Near the main bazaar" if rnd.random() < 0.3 else ""  # noqa: PLR2004
        spam = channel == Channel.PORTAL and status == S.RECEIVED and rnd.random() < 0.1  # noqa: PLR2004
        batch.cases.add(
            case_id,
            reference,
            district.centre_id,
            district.pcode,
            rnd.choice(district.tehsils) if district.tehsils else None,
            district.path,
            self.sealer.seal(place, associated=self._ad["place"]),
            received,
            (received - timedelta(days=rnd.randint(0, 20))).date(),
            channel,
            category_id,
            title,
            self.sealer.seal(narrative, associated=self._ad["narrative"]),
            rnd.random() < 0.7,  # noqa: PLR2004
            consent_share,
            status,
            priority,
            *risks,
            assigned,
            district.intake_id,
            channel == Channel.PHONE,
            duplicate_of[0] if duplicate_of and status == S.DUPLICATE else None,
            outcome_id if has_outcome and status != S.REOPENED else None,
            steps[-1].reason if steps else "",
            officer if has_outcome and status == S.CLOSURE_REQUESTED else None,
            last_change,
            Moderation.SPAM if spam else Moderation.ACCEPTED,
            first_action_at,
            resolved_at,
            closed_at,
            received,
            last_change,
        )
        for group in rnd.sample(self.taxonomy.groups, rnd.choice((1, 1, 1, 2))):
            batch.groups.add(self.ids.next(Case.groups.through), case_id, group)
        self._audit(
            batch,
            received,
            district.intake_id,
            "cases.case_created",
            Case,
            case_id,
            {
                "channel": channel,
                "category": _code,
                "priority": str(priority),
                "on_behalf": channel == Channel.PHONE,
            },
        )
        batch.transitions.add(
            self.ids.next(CaseTransition), case_id, "", S.RECEIVED, district.intake_id, received, ""
        )
        self._people(batch, case_id, district, received)
        previous: str = S.RECEIVED
        for step in steps:
            batch.transitions.add(
                self.ids.next(CaseTransition),
                case_id,
                previous,
                step.to_status,
                step.actor_id,
                step.at,
                step.reason,
            )
            detail: dict[str, DetailValue] = {"from": previous, "to": step.to_status}
            if step.to_status == S.CLOSURE_REQUESTED:
                detail["outcome"] = outcome_code
            if step.to_status == S.DUPLICATE and duplicate_of is not None:
                detail["original"] = duplicate_of[1]
            self._audit(batch, step.at, step.actor_id, "cases.transition", Case, case_id, detail)
            previous = step.to_status
        self._actions(
            batch,
            case_id=case_id,
            district=district,
            officer=officer,
            received=received,
            first_action_at=first_action_at,
            last_change=last_change,
        )
        if acted and rnd.random() < 0.34:  # noqa: PLR2004  # ~30 % of all cases are referred
            self._referral(
                batch,
                case_id=case_id,
                reference=reference,
                district=district,
                officer=officer,
                sent=acted[0].at,
                consent_share=consent_share,
            )

    def _audit(  # noqa: PLR0917  # the fields of AuditRow, in its order
        self,
        batch: Batch,
        at: datetime,
        actor_id: int | None,
        action: str,
        model: type[Any],
        object_id: int,
        detail: dict[str, DetailValue],
    ) -> None:
        batch.audit.append(AuditRow(at, actor_id, action, _label(model), str(object_id), detail))

    def _people(self, batch: Batch, case_id: int, district: District, received: datetime) -> None:
        rnd = self.random
        roles = [PersonRole.COMPLAINANT, PersonRole.VICTIM]
        if rnd.random() < 0.5:  # noqa: PLR2004  # 2.5 people per case on average
            roles.append(rnd.choice((PersonRole.PERPETRATOR, PersonRole.WITNESS)))
        seal = self.sealer.seal
        ad = self._ad
        for role in roles:
            person = rnd.choice(self._pool)
            # Names are written in English letters mostly, in Urdu script on a third of cases.
            urdu = rnd.random() < 0.3  # noqa: PLR2004
            name = person.full_name_ur if urdu else person.full_name_en
            relative = person.father_name_ur if urdu else person.father_name_en
            known = role != PersonRole.PERPETRATOR
            # Fresh numbers for every person, in the synthetic ranges of meesaq.demo.people: a
            # CNIC starting with 0 (last digit odd for men, even for women), a 0390 mobile.
            cnic = ""
            if known and rnd.random() < 0.7:  # noqa: PLR2004
                check = rnd.randrange(10)
                check = check | 1 if person.gender == "male" else check & ~1
                cnic = f"0{rnd.randrange(10**11):011d}{check}"
            phone = ""
            if role == PersonRole.COMPLAINANT and rnd.random() < 0.85:  # noqa: PLR2004
                phone = f"+92390{rnd.randrange(10**7):07d}"
            address = person.address_ur if urdu else person.address_en
            if rnd.random() < 0.5:  # noqa: PLR2004
                address = ""
            person_id = self.ids.next(Person)
            batch.people.add(
                person_id,
                seal(name, associated=ad["full_name"]),
                seal(relative, associated=ad["relative_name"]),
                seal(cnic, associated=ad["cnic"]),
                seal(phone, associated=ad["phone"]),
                seal(address, associated=ad["address"]),
                self.sealer.index("cnic", cnic) if cnic else "",
                self.sealer.index("phone", phone) if phone else "",
                person.gender,
                rnd.choice(AGE_BANDS),
                person.faith,
                rnd.random() < 0.03,  # noqa: PLR2004
                district.centre_id,
                received,
                received,
            )
            for token in self.sealer.name_index_tokens(name):
                batch.tokens.add(self.ids.next(PersonNameToken), person_id, token)
            batch.links.add(self.ids.next(CasePerson), case_id, person_id, role, received)
            self._audit(
                batch,
                received,
                district.intake_id,
                "cases.person_added",
                Case,
                case_id,
                {"role": role, "person_id": person_id},
            )

    def _actions(
        self,
        batch: Batch,
        *,
        case_id: int,
        district: District,
        officer: int,
        received: datetime,
        first_action_at: datetime | None,
        last_change: datetime,
    ) -> None:
        rnd = self.random
        entries: list[tuple[str, datetime]] = [(ActionKind.NOTE, received)]
        if first_action_at is not None:
            entries.append((ActionKind.CALL, first_action_at))
            span = max((last_change - first_action_at).total_seconds(), 3600.0)
            for _ in range(rnd.choice((1, 2, 2, 3, 3, 4))):
                when = first_action_at + timedelta(seconds=rnd.uniform(0, span))
                entries.append(
                    (rnd.choices(self._action_kinds, cum_weights=self._action_weights)[0], when)
                )
        for kind, when in entries:
            action_id = self.ids.next(CaseAction)
            noted = kind == ActionKind.NOTE or rnd.random() < 0.3  # noqa: PLR2004
            note = NOTE.format(number=action_id) if noted else ""
            author = district.intake_id if when == received else officer
            day: date = when.date()
            batch.actions.add(
                action_id,
                case_id,
                kind,
                day,
                author,
                False,
                False,
                when,
                self.sealer.seal(note, associated=self._ad["note"]),
                f"{rnd.randint(1, 999)}/{when.year}" if kind == ActionKind.FIR else "",
                "City police station" if kind == ActionKind.FIR else "",
            )
            self._audit(
                batch,
                when,
                author,
                "cases.action_added",
                Case,
                case_id,
                {"kind": kind, "action_id": action_id},
            )

    def _referral(
        self,
        batch: Batch,
        *,
        case_id: int,
        reference: str,
        district: District,
        officer: int,
        sent: datetime,
        consent_share: bool,
    ) -> None:
        rnd = self.random
        referral_id = self.ids.next(Referral)
        fields = ["category", "title", "district", "priority"]
        identity = consent_share and rnd.random() < 0.5  # noqa: PLR2004
        if identity:
            fields += ["narrative", "people"]
        day = timedelta(days=1)
        events: list[tuple[str, datetime, int, int, str]] = [
            (EventKind.SENT, sent, officer, district.centre_id, "")
        ]
        status = ReferralStatus.SENT
        acknowledged = completed = None
        decline_reason = outcome = ""
        answer_at = sent + day * rnd.uniform(0.2, 5)
        fate = rnd.random()
        if answer_at <= self.now and fate < 0.1:  # noqa: PLR2004
            status, acknowledged = ReferralStatus.DECLINED, answer_at
            decline_reason = "Outside our services."
            events.append(
                (
                    EventKind.DECLINED,
                    answer_at,
                    district.partner_id,
                    district.ngo_id,
                    decline_reason,
                )
            )
        elif answer_at <= self.now:
            status, acknowledged = ReferralStatus.ACCEPTED, answer_at
            events.append((EventKind.ACCEPTED, answer_at, district.partner_id, district.ngo_id, ""))
            done_at = answer_at + day * rnd.uniform(3, 40)
            if done_at <= self.now and fate < 0.85:  # noqa: PLR2004
                status, completed, outcome = ReferralStatus.COMPLETED, done_at, "Legal aid given."
                events.append(
                    (EventKind.COMPLETED, done_at, district.partner_id, district.ngo_id, outcome)
                )
        batch.referrals.add(
            referral_id,
            case_id,
            district.centre_id,
            district.ngo_id,
            "Legal aid and support for the complainant.",
            _json(fields),
            identity,
            status,
            sent + 3 * day,
            acknowledged,
            sent + 30 * day,
            completed,
            officer,
            decline_reason,
            outcome,
            sent,
            events[-1][1],
        )
        previous = ""
        for kind, at, actor, organisation, text in events:
            batch.referral_events.add(
                self.ids.next(ReferralEvent), referral_id, kind, actor, organisation, at, text
            )
            if kind == EventKind.SENT:
                detail: dict[str, DetailValue] = {
                    "case": reference,
                    "to": district.ngo_code,
                    "fields": ",".join(fields),
                    "identity": identity,
                    "parent": None,
                }
                action = "referrals.create"
                to_status: str = ReferralStatus.SENT
            else:
                step = {"accepted": "accept", "declined": "decline", "completed": "complete"}[kind]
                to_status = kind
                detail = {"from": previous, "to": to_status}
                action = f"referrals.{step}"
            self._audit(batch, at, actor, action, Referral, referral_id, detail)
            previous = to_status


_LABELS: dict[type[Any], str] = {}


def _label(model: type[Any]) -> str:
    label = _LABELS.get(model)
    if label is None:
        label = _LABELS[model] = str(model._meta.label_lower)
    return label


def _json(value: list[str]) -> str:
    import json

    return json.dumps(value)


PRIORITIES = tuple(Priority.values)
