"""Case-list filters behind the dashboards' service-level and satisfaction figures.

The same rules as the reports' facts (``reports.summary``), written as filters on the cases, so
a figure's drill-down lists exactly the cases it counts:

- first action on time: recorded by its due time (the computed deadline, or the priority's
  default after receipt when none was computed); late: recorded after it, or still awaited
  while the case is open and the due time has passed;
- resolved on time / late: against the computed resolution deadline only (cases without one
  are not measured), finished (resolved or closed) by it, or late: after it, or still open past it;
- satisfaction: the latest recorded answer of the complainant (satisfied, partly, not);
- referral: a referral from one organisation to another, sent within a period (the dashboard's
  referral flows count referrals, so a case referred twice between the same two in the period
  is one case here and two referrals there).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Case as Choose
from django.db.models import (
    DateTimeField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from meesaq.cases.deadlines import AWAITING_FIRST_ACTION, FIRST_ACTION_WITHIN
from meesaq.cases.models import Case, ComplainantFeedback, FeedbackAnswer
from meesaq.cases.workflow import OPEN_STATUSES

FIRST_ACTION_ON_TIME = "first_action_on_time"
FIRST_ACTION_LATE = "first_action_late"
RESOLVED_ON_TIME = "resolved_on_time"
RESOLVED_LATE = "resolved_late"
TIMELINESS_CHOICES = [
    (FIRST_ACTION_ON_TIME, _("First action on time")),
    (FIRST_ACTION_LATE, _("First action late")),
    (RESOLVED_ON_TIME, _("Resolved on time")),
    (RESOLVED_LATE, _("Resolved late")),
]
MEASURED_ANSWERS = (FeedbackAnswer.SATISFIED, FeedbackAnswer.PARTLY, FeedbackAnswer.NOT_SATISFIED)
SATISFACTION_CHOICES = [(str(answer), answer.label) for answer in MEASURED_ANSWERS]


def _with_due_times(cases: QuerySet[Case]) -> QuerySet[Case]:
    fallback = Choose(
        *(
            When(
                priority=priority,
                then=ExpressionWrapper(
                    F("received_at") + Value(within), output_field=DateTimeField()
                ),
            )
            for priority, within in FIRST_ACTION_WITHIN.items()
        ),
        output_field=DateTimeField(),
    )
    return cases.annotate(
        timeliness_first_due=Coalesce(F("deadlines__first_action_due"), fallback),
        timeliness_finished=Coalesce(F("resolved_at"), F("closed_at")),
    )


def timeliness_filter(cases: QuerySet[Case], value: str, *, now: datetime) -> QuerySet[Case]:
    """Narrow the cases to those a service-level figure counts (``value`` a choice above)."""
    if value not in {FIRST_ACTION_ON_TIME, FIRST_ACTION_LATE, RESOLVED_ON_TIME, RESOLVED_LATE}:
        return cases
    cases = _with_due_times(cases)
    is_open = Q(status__in=OPEN_STATUSES)
    if value == FIRST_ACTION_ON_TIME:
        return cases.filter(
            first_action_at__isnull=False, first_action_at__lte=F("timeliness_first_due")
        )
    if value == FIRST_ACTION_LATE:
        waiting = is_open & Q(
            status__in=AWAITING_FIRST_ACTION,
            first_action_at__isnull=True,
            timeliness_first_due__lt=now,
        )
        return cases.filter(Q(first_action_at__gt=F("timeliness_first_due")) | waiting)
    due = F("deadlines__resolution_due")
    measured = cases.filter(deadlines__resolution_due__isnull=False)
    if value == RESOLVED_ON_TIME:
        return measured.filter(Q(timeliness_finished__isnull=False, timeliness_finished__lte=due))
    still_open = is_open & Q(timeliness_finished__isnull=True, deadlines__resolution_due__lt=now)
    return measured.filter(Q(timeliness_finished__gt=due) | still_open)


def satisfaction_filter(cases: QuerySet[Case], answer: str) -> QuerySet[Case]:
    """Narrow the cases to those whose latest recorded satisfaction answer is ``answer``."""
    if answer not in {str(choice) for choice in MEASURED_ANSWERS}:
        return cases
    latest = (
        ComplainantFeedback.objects.filter(case=OuterRef("pk"), answer__in=MEASURED_ANSWERS)
        .order_by("-requested_at", "-id")
        .values("answer")[:1]
    )
    return cases.annotate(latest_satisfaction=Subquery(latest)).filter(latest_satisfaction=answer)


def referral_pair(pair: str) -> tuple[int, int] | None:
    """Return the sending and receiving organisations' ids of "12-34" (None if malformed)."""
    sender, dash, receiver = pair.partition("-")
    if not (dash and sender.isdigit() and receiver.isdigit()):
        return None
    return int(sender), int(receiver)


def referral_filter(
    cases: QuerySet[Case],
    pair: str,
    *,
    sent_from: datetime | None = None,
    sent_before: datetime | None = None,
) -> QuerySet[Case]:
    """Narrow the cases to those with a referral from one organisation to another ("12-34")."""
    organisations = referral_pair(pair)
    if organisations is None:
        return cases
    sender, receiver = organisations
    sent = Q(referrals__from_organisation_id=sender, referrals__to_organisation_id=receiver)
    if sent_from is not None:
        sent &= Q(referrals__created_at__gte=sent_from)
    if sent_before is not None:
        sent &= Q(referrals__created_at__lt=sent_before)
    return cases.filter(pk__in=Case.objects.filter(sent).values("pk"))


def referral_names(pair: str) -> tuple[str, str] | None:
    """Return the names of the two organisations of a referral filter ("12-34"), or None."""
    from meesaq.orgs.models import Organisation

    organisations = referral_pair(pair)
    if organisations is None:
        return None
    found = {
        org.pk: org.name
        for org in Organisation.objects.filter(pk__in=organisations).only(
            "pk", "name_en", "name_ur"
        )
    }
    return found.get(organisations[0], "?"), found.get(organisations[1], "?")
