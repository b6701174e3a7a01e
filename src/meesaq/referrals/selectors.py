"""Reads of referrals and transfers, always starting from the access module's scoped rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from meesaq.access import policy
from meesaq.access.referrals import RECEIVING_ROLES, TRANSFER_DECIDERS, organisations_with
from meesaq.cases.models import Case
from meesaq.orgs.models import Organisation
from meesaq.referrals.deadlines import overdue_q
from meesaq.referrals.models import (
    OPEN_REFERRAL_STATUSES,
    Referral,
    ReferralEvent,
    ReferralStatus,
    SharedField,
    Transfer,
    TransferStatus,
)

if TYPE_CHECKING:
    from meesaq.accounts.models import User

INCOMING = "incoming"
OUTGOING = "outgoing"
# Identity stays hidden from the receiver once the referral was refused or taken back.
IDENTITY_CLOSED = frozenset({ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN})


def referral_for_user(*, user: User, referral_id: int) -> Referral:
    """Return the referral if the user may see it, else raise 404."""
    return policy.get_scoped(user, Referral, pk=referral_id)


def referral_list(
    *,
    user: User,
    direction: str,
    now: datetime,
    status: str = "",
    organisation: Organisation | None = None,
    overdue: bool = False,
) -> QuerySet[Referral]:
    """Return the user's incoming or outgoing referrals, filtered, newest first."""
    rows = policy.scoped(user, Referral).select_related(
        "case", "from_organisation", "to_organisation"
    )
    incoming = Q(to_organisation__in=organisations_with(user, RECEIVING_ROLES))
    rows = rows.filter(incoming) if direction == INCOMING else rows.exclude(incoming)
    if status:
        rows = rows.filter(status=status)
    if organisation is not None:
        rows = rows.filter(Q(from_organisation=organisation) | Q(to_organisation=organisation))
    if overdue:
        rows = rows.filter(overdue_q(now=now))
    return rows.order_by("-created_at", "-id")


def referral_events(*, user: User, referral: Referral) -> QuerySet[ReferralEvent]:
    """Return the conversation of a referral, oldest first."""
    return (
        policy.scoped(user, ReferralEvent)
        .filter(referral=referral)
        .select_related("actor", "organisation")
        .order_by("at", "id")
    )


def is_overdue(referral: Referral, *, now: datetime) -> bool:
    """Say whether the referral waits past its acknowledgement or completion deadline."""
    return Referral.objects.filter(overdue_q(now=now), pk=referral.pk).exists()


def open_referrals_block_closure(case: Case) -> bool:
    """Say whether the case has a referral still open, which keeps it from being closed."""
    return Referral.objects.filter(case=case, status__in=OPEN_REFERRAL_STATUSES).exists()


@dataclass
class SharedView:
    """What the receiving side may read of a case: the shared fields only."""

    reference: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    people: list[dict[str, str]] = field(default_factory=list)
    identity_shown: bool = False


def _people_of(case: Case) -> list[dict[str, str]]:
    people = []
    for link in case.people.select_related("person").order_by("id"):
        person = link.person
        people.append(
            {
                "role": str(link.get_role_display()),
                "full_name": person.full_name,
                "phone": person.phone,
                "address": person.address,
            }
        )
    return people


def referral_case_view(user: User, referral: Referral) -> SharedView:
    """Return the fields of the referral's case that it shares, as this user may read them.

    Identity (the narrative, the people) is given to the receiving organisation only while the
    referral is neither declined nor withdrawn, and to others only if they see it anyway. The
    caller audits it (``identity_viewed``) when ``identity_shown`` is true.
    """
    referral = referral_for_user(user=user, referral_id=referral.pk)
    case = referral.case
    shared = set(referral.shared_fields)
    view = SharedView(reference=case.reference)
    values: dict[str, Any] = {
        SharedField.CATEGORY: case.category.label,
        SharedField.TITLE: case.title,
        SharedField.DISTRICT: case.district.name,
        SharedField.PRIORITY: case.get_priority_display(),
        SharedField.INCIDENT_ON: case.incident_on.isoformat() if case.incident_on else "",
    }
    for name, label in SharedField.choices:
        if name in shared and name in values:
            view.rows.append((str(label), str(values[name])))
    receiver = policy.may(user, "referrals.respond", referral)
    identity_allowed = referral.identity_shared and (
        (receiver and referral.status not in IDENTITY_CLOSED) or policy.may_see_identity(user, case)
    )
    if identity_allowed:
        if SharedField.NARRATIVE in shared:
            view.rows.append((str(SharedField.NARRATIVE.label), case.narrative))
            view.identity_shown = True
        if SharedField.PEOPLE in shared:
            view.people = _people_of(case)
            view.identity_shown = True
    return view


@dataclass
class ChainLink:
    """One referral of a case, with how deep it sits in its chain (A → B is 0, B → C is 1)."""

    referral: Referral
    depth: int


def case_referral_chains(*, user: User, case: Case) -> list[list[ChainLink]]:
    """Return the case's referrals the user may see, as chains: each root then its onward ones."""
    rows = list(
        policy.scoped(user, Referral)
        .filter(case=case)
        .select_related("from_organisation", "to_organisation")
        .order_by("created_at", "id")
    )
    children: dict[int | None, list[Referral]] = {}
    ids = {row.pk for row in rows}
    for row in rows:
        parent = row.parent_id if row.parent_id in ids else None
        children.setdefault(parent, []).append(row)

    def walk(referral: Referral, depth: int) -> list[ChainLink]:
        links = [ChainLink(referral=referral, depth=depth)]
        for child in children.get(referral.pk, []):
            links.extend(walk(child, depth + 1))
        return links

    return [walk(root, 0) for root in children.get(None, [])]


def case_transfers(*, user: User, case: Case) -> QuerySet[Transfer]:
    """Return the case's transfers the user may see, newest first, with both organisations."""
    # Only what the case page shows: every join adds to the planning of each view of a case.
    return (
        policy.scoped(user, Transfer)
        .filter(case=case)
        .select_related("from_organisation", "to_organisation")
    )


def transfers_awaiting(*, user: User) -> QuerySet[Transfer]:
    """Return the transfers waiting for this user's decision (as a receiving supervisor)."""
    return (
        policy.scoped(user, Transfer)
        .filter(
            status=TransferStatus.REQUESTED,
            to_organisation__in=organisations_with(user, TRANSFER_DECIDERS),
        )
        .select_related("case", "from_organisation", "to_organisation")
    )


def transfers_for_user(*, user: User) -> QuerySet[Transfer]:
    """Return every transfer the user may see, newest first."""
    return policy.scoped(user, Transfer).select_related(
        "case", "from_organisation", "to_organisation"
    )


def transfer_for_user(*, user: User, transfer_id: int) -> Transfer:
    """Return the transfer if the user may see it, else raise 404."""
    return policy.get_scoped(user, Transfer, pk=transfer_id)


def referable_organisations(*, exclude_id: int) -> QuerySet[Organisation]:
    """Return the active organisations a case may be referred or transferred to."""
    return Organisation.objects.filter(is_active=True).exclude(pk=exclude_id).order_by("name_en")
