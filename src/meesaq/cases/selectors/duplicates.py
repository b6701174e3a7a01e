"""Reads for duplicates: likely earlier cases of the same complaint, and a case's known duplicates.

Everything starts from ``policy.scoped(user, Case)``: a case the user cannot see is never
proposed. Candidates carry no identity, only the reference, date, title and status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.cases.models import Case, CasePerson, Category
from meesaq.cases.selectors.people import people_matching

if TYPE_CHECKING:
    from meesaq.accounts.models import User
    from meesaq.geo.models import AdminUnit

# Cases whose incident (or, without one, receipt) lies this close are proposed as the same.
WINDOW = timedelta(days=7)
CANDIDATE_LIMIT = 10

REASON_PLACE: Promise = _("same district, category and dates")
REASONS: dict[str, Promise] = {
    "place": REASON_PLACE,
    "cnic": _("a person with the same CNIC"),
    "phone": _("a person with the same phone number"),
    "name": _("a person with the same name"),
}


@dataclass(frozen=True)
class Candidate:
    """An earlier case that may be the same complaint, as the user may see it."""

    reference: str
    received_at: datetime
    incident_on: date | None
    title: str
    status: str
    status_label: str
    matched_on: tuple[str, ...]

    @property
    def reasons(self) -> list[Promise]:
        """Return why the case is proposed, in words."""
        return [REASONS[key] for key in self.matched_on if key in REASONS]


def _day(incident_on: date | None, received_at: datetime | None) -> date | None:
    if incident_on is not None:
        return incident_on
    if received_at is not None:
        return timezone.localdate(received_at)
    return None


def _window_q(day: date) -> Q:
    start, end = day - WINDOW, day + WINDOW
    tz = timezone.get_current_timezone()
    received_from = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    received_to = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    return Q(incident_on__range=(start, end)) | Q(
        incident_on__isnull=True, received_at__gte=received_from, received_at__lt=received_to
    )


def duplicate_candidates(
    *,
    user: User,
    district: AdminUnit,
    category: Category,
    incident_on: date | None = None,
    received_at: datetime | None = None,
    cnic: str = "",
    phone: str = "",
    full_name: str = "",
    exclude: Case | None = None,
) -> list[Candidate]:
    """Return the cases the user may see that look like the complaint being recorded."""
    visible = policy.scoped(user, Case)
    if exclude is not None:
        visible = visible.exclude(pk=exclude.pk)
    found: dict[int, list[str]] = {}
    day = _day(incident_on, received_at)
    if day is not None:
        same_place = visible.filter(_window_q(day), district=district, category=category)
        for pk in same_place.order_by("-received_at").values_list("pk", flat=True)[
            :CANDIDATE_LIMIT
        ]:
            found.setdefault(pk, []).append("place")
    for match in people_matching(user=user, cnic=cnic, phone=phone, full_name=full_name):
        case_ids = CasePerson.objects.filter(
            person_id=match.person_id, case__in=visible.values("pk")
        ).values_list("case_id", flat=True)
        for pk in case_ids[:CANDIDATE_LIMIT]:
            reasons = found.setdefault(pk, [])
            reasons.extend(how for how in match.matched_on if how not in reasons)
    if not found:
        return []
    cases = Case.objects.filter(pk__in=list(found)).order_by("-received_at", "-id")
    return [
        Candidate(
            reference=case.reference,
            received_at=case.received_at,
            incident_on=case.incident_on,
            title=case.title,
            status=case.status,
            status_label=str(case.get_status_display()),
            matched_on=tuple(found[case.pk]),
        )
        for case in cases[:CANDIDATE_LIMIT]
    ]


@dataclass(frozen=True)
class DuplicateEntry:
    """A case marked as repeating another one, as the user may see it."""

    reference: str
    title: str
    status_label: str
    received_at: datetime
    marked_at: datetime | None
    reason: str


def duplicates_of(*, user: User, case: Case) -> list[DuplicateEntry]:
    """Return the cases the user may see that are marked as duplicates of this case."""
    rows = (
        policy.scoped(user, Case)
        .filter(duplicate_of=case)
        .order_by("received_at", "id")
        .only("reference", "title", "status", "received_at", "status_changed_at", "status_reason")
    )
    return [
        DuplicateEntry(
            reference=row.reference,
            title=row.title,
            status_label=str(row.get_status_display()),
            received_at=row.received_at,
            marked_at=row.status_changed_at,
            reason=row.status_reason,
        )
        for row in rows
    ]


def original_of(*, user: User, case: Case) -> Case | None:
    """Return the case this one repeats, if it is marked so and the user may see it."""
    if case.duplicate_of_id is None:
        return None
    return policy.scoped(user, Case).filter(pk=case.duplicate_of_id).first()
