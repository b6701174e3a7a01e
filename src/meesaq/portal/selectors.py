"""Reads for the public portal: where a complaint goes, what the complainant may see.

The portal has no user: every read here is either public reference data (districts, categories)
or reached through a ticket whose code and PIN the services already checked. The tracking view
is built from an explicit list of fields, so nothing internal can leak into it by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.cases.models import AffectedGroup, Case, CaseAction, Category, Status
from meesaq.geo.models import AdminUnit, Level
from meesaq.orgs.models import Organisation, OrganisationKind
from meesaq.portal.models import RoutingRule, Ticket

if TYPE_CHECKING:
    from meesaq.accounts.models import User

# Organisations that take complaints from the public.
RECEIVING_KINDS = (
    OrganisationKind.POLICE_CENTRE,
    OrganisationKind.HUMAN_RIGHTS_OFFICE,
    OrganisationKind.MINORITIES_AFFAIRS_OFFICE,
)
# Without a rule: the district's police centre, then its human-rights or minorities office,
# then the province's department.
FALLBACK_KINDS = RECEIVING_KINDS

# Short explanations of the seeded categories, in plain words for the public.
CATEGORY_HELP: dict[str, Promise] = {
    "threats": _("Someone threatened, followed or frightened you or your family."),
    "physical_violence": _("Someone beat, injured or attacked a person."),
    "sexual_violence": _("Rape, sexual assault or sexual harassment."),
    "abduction": _("A person was taken away or is kept somewhere against their will."),
    "forced_conversion": _("Someone was made to change their religion against their will."),
    "forced_marriage": _("A marriage against someone's will, or of a child."),
    "blasphemy_mob": _("Someone was accused of blasphemy, or a crowd threatens people."),
    "worship_attack": _(
        "A church, temple, gurdwara, other place of worship or graveyard was attacked."
    ),
    "land_grabbing": _("Someone took or is trying to take your house, land or property."),
    "discrimination": _("Refused a job, school place or public service because of who you are."),
    "hate_speech": _("Speech, posters or posts that stir up hatred against a community."),
    "bonded_labour": _("Made to work to pay off a debt, without freedom to leave."),
    "police_misconduct": _("The police refused to help, or treated you badly."),
    "other": _("Something else that harmed you because of your faith or who you are."),
}

# The status of a case in plain words for the complainant.
STATUS_WORDS: dict[str, Promise] = {
    Status.RECEIVED: _("We have received your complaint. Staff will read it soon."),
    Status.REGISTERED: _("Your complaint is registered. A team is looking at it."),
    Status.IN_ACTION: _("Staff are working on your complaint."),
    Status.RESOLVED: _("Staff think the matter is resolved. It will be closed after a check."),
    Status.CLOSURE_REQUESTED: _(
        "Staff think the matter is resolved. It will be closed after a check."
    ),
    Status.CLOSED: _("Your complaint is closed."),
    Status.NOT_IN_MANDATE: _(
        "This office cannot act on this complaint. Read the notes below for where to go."
    ),
    Status.DUPLICATE: _("Your complaint was joined with another record of the same matter."),
    Status.WITHDRAWN: _("The complaint was withdrawn."),
    Status.REOPENED: _("Your complaint was opened again. Staff are working on it."),
}


def portal_categories() -> QuerySet[Category]:
    """Return the categories offered to the public, in their order."""
    return Category.objects.filter(is_active=True).order_by("order", "label_en")


def portal_groups() -> QuerySet[AffectedGroup]:
    """Return the affected groups offered to the public, in their order."""
    return AffectedGroup.objects.filter(is_active=True).order_by("kind", "order", "label_en")


def _served_paths() -> list[str]:
    return list(
        Organisation.objects.filter(is_active=True, kind__in=RECEIVING_KINDS)
        .values_list("jurisdiction__path", flat=True)
        .distinct()
    )


def portal_districts() -> list[AdminUnit]:
    """Return the districts some receiving organisation covers, by name (in one query each)."""
    paths = _served_paths()
    if not paths:
        return []
    condition = Q()
    for path in paths:
        condition |= Q(path=path) | Q(path__startswith=path + "/")
    return list(AdminUnit.objects.filter(condition, level=Level.DISTRICT).order_by("name_en"))


def portal_tehsils(district: AdminUnit) -> QuerySet[AdminUnit]:
    """Return a district's tehsils by name."""
    return AdminUnit.objects.filter(level=Level.TEHSIL, parent=district).order_by("name_en")


def _in_district(kind: str, district: AdminUnit) -> Organisation | None:
    return (
        Organisation.objects.filter(kind=kind, jurisdiction=district, is_active=True)
        .order_by("id")
        .first()
    )


def _rule_target(rule: RoutingRule, district: AdminUnit) -> Organisation | None:
    if rule.organisation is not None:
        return rule.organisation if rule.organisation.is_active else None
    return _in_district(rule.organisation_kind, district)


def routing_organisation(
    *, district: AdminUnit, category: Category, groups: list[AffectedGroup]
) -> Organisation | None:
    """Return the organisation a public complaint goes to, by rules and then the fallback."""
    rules = list(
        RoutingRule.objects.filter(
            Q(district__isnull=True) | Q(district=district),
            Q(category__isnull=True) | Q(category=category),
            Q(group__isnull=True) | Q(group__in=[group.pk for group in groups]),
        ).select_related("organisation")
    )
    rules.sort(key=lambda rule: (-rule.specificity, rule.pk))
    for rule in rules:
        target = _rule_target(rule, district)
        if target is not None:
            return target
    for kind in FALLBACK_KINDS:
        target = _in_district(kind, district)
        if target is not None:
            return target
    province = district.path.split("/")[0]
    return (
        Organisation.objects.filter(
            is_active=True,
            kind__in=[
                OrganisationKind.MINORITIES_AFFAIRS_OFFICE,
                OrganisationKind.HUMAN_RIGHTS_OFFICE,
            ],
            jurisdiction__pcode=province,
        )
        .order_by("kind", "id")
        .first()
    )


def routing_rules_for(*, user: User) -> QuerySet[RoutingRule]:
    """Return the routing rules the user may see (administrators), most specific first."""
    return policy.scoped(user, RoutingRule).select_related(
        "category", "group", "district", "organisation"
    )


def routing_rule_for(*, user: User, rule_id: int) -> RoutingRule | None:
    """Return one routing rule the user may see, or None."""
    return routing_rules_for(user=user).filter(pk=rule_id).first()


@dataclass(frozen=True)
class PublicNote:
    """A note staff published to the complainant: its date and text, nothing else."""

    on: date
    text: str


@dataclass(frozen=True)
class TrackingView:
    """Everything the tracking page shows; built field by field, never from the case itself."""

    code: str
    status_words: str
    last_update: datetime
    notes: list[PublicNote]
    additions: int
    may_add: bool


CLOSED_FOR_ADDITIONS = frozenset({Status.CLOSED, Status.DUPLICATE, Status.WITHDRAWN})


def tracking_view(ticket: Ticket) -> TrackingView:
    """Return what the complainant of a checked ticket may see of their case."""
    from meesaq.portal.codes import code_display

    case: Case = ticket.case
    public = list(
        CaseAction.objects.filter(case=case, public=True, from_complainant=False)
        .order_by("created_at", "id")
        .only("note", "occurred_on", "created_at")
    )
    updates = [case.status_changed_at or case.received_at, *(note.created_at for note in public)]
    return TrackingView(
        code=code_display(ticket.code),
        status_words=str(STATUS_WORDS.get(case.status, STATUS_WORDS[Status.RECEIVED])),
        last_update=max(updates),
        notes=[PublicNote(on=note.occurred_on, text=note.note) for note in public],
        additions=CaseAction.objects.filter(case=case, from_complainant=True).count(),
        may_add=case.status not in CLOSED_FOR_ADDITIONS,
    )


def ticket_by_code(code: str) -> Ticket | None:
    """Return the ticket with this stored-form code (for services that then check the PIN)."""
    if not code:
        return None
    return Ticket.objects.select_related("case").filter(code=code).first()


def ticket_get(ticket_id: int) -> Ticket | None:
    """Return the ticket a session holds after its code and PIN were checked."""
    return Ticket.objects.select_related("case").filter(pk=ticket_id).first()


def portal_category(code: str) -> Category | None:
    """Return a category in use by its code."""
    return portal_categories().filter(code=code).first()
