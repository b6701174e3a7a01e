"""Demo referrals and transfers: every referral state, a chain, and some overdue items.

Made through the services (so the audit chain and notifications are real), then backdated so
that some referrals are past their acknowledgement or completion deadline. Runs once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from django.db import transaction
from django.utils import timezone

from meesaq.cases.models import Case
from meesaq.cases.workflow import OPEN_STATUSES
from meesaq.demo.registry import DemoContext, demo_step
from meesaq.referrals import services
from meesaq.referrals.deadlines import ACKNOWLEDGE_WITHIN, COMPLETE_WITHIN
from meesaq.referrals.models import Referral

CENTRE: Final = "demo-lhr-police-centre"
NGO: Final = "demo-lhr-ngo"
# Steps after the referral is sent, for each demo referral: (steps, days ago it was sent).
PLAN: Final[list[tuple[tuple[str, ...], int]]] = [
    ((), 0),
    ((), 5),  # overdue: not acknowledged within 48 hours
    (("request_info",), 3),
    (("request_info", "answer"), 4),
    (("accept",), 2),
    (("accept", "record_service"), 10),
    (("accept", "record_service"), 40),  # overdue: not completed within 30 days
    (("decline",), 6),
    (("accept", "record_service", "complete"), 20),
    (("withdraw",), 8),
]
TEXTS: Final = {
    "request_info": "Please tell us which court hears the case.",
    "answer": "The sessions court; the next hearing is in two weeks.",
    "record_service": "A lawyer met the family and took the brief.",
    "decline": "The family lives outside the district we serve.",
    "complete": "Bail was granted and the family is safe at home.",
    "withdraw": "The matter was settled by the district administration.",
}


@demo_step("referrals", order=60)
def referrals_demo(context: DemoContext) -> str:
    """Create the demo referrals and transfers once."""
    if Referral.objects.filter(case__organisation__code__startswith="demo-").exists():
        return "referrals: already there"
    users = context.users
    organisations = context.organisations
    if CENTRE not in organisations or NGO not in organisations:
        return "referrals: no demo organisations"
    officer, partner = users["caseofficer.lahore"], users["partner.lahore"]
    supervisor = users["supervisor.lahore"]
    cases = list(
        Case.objects.filter(organisation__code=CENTRE, status__in=OPEN_STATUSES).order_by("id")[
            : len(PLAN) + 3
        ]
    )
    if len(cases) < len(PLAN) + 2:
        return "referrals: not enough open demo cases"
    now = timezone.now()
    with transaction.atomic():
        made = []
        for (steps, days_ago), case in zip(PLAN, cases, strict=False):
            fields = ["category", "title", "district", "priority"]
            if case.consent_share:
                fields += ["narrative", "people"]
            referral = services.referral_create(
                actor=officer,
                case=case,
                to_organisation=organisations[NGO],
                reason="Legal aid and protection for the complainant's family.",
                shared_fields=fields,
            )
            for step in steps:
                actor = officer if step in ("answer", "withdraw") else partner
                services.referral_step(
                    actor=actor,
                    referral=referral,
                    step=step,
                    text=TEXTS.get(step, ""),
                    on=timezone.localdate() if step == "record_service" else None,
                )
            sent = now - timedelta(days=days_ago)
            Referral.objects.filter(pk=referral.pk).update(
                created_at=sent,
                acknowledge_by=sent + ACKNOWLEDGE_WITHIN,
                complete_by=sent + COMPLETE_WITHIN,
            )
            made.append(referral)
        # A chain: the NGO passes an accepted referral on to the human-rights office.
        hr_office = organisations.get("demo-lhr-hr-office")
        chained = made[4]
        if hr_office is not None:
            chained.refresh_from_db()
            services.referral_create(
                actor=partner,
                case=chained.case,
                to_organisation=hr_office,
                reason="The family needs the department's help with compensation.",
                shared_fields=["category", "title", "district"],
                parent=chained,
            )
        transfers = 0
        spare = cases[len(PLAN) :]
        faisalabad = organisations.get("demo-fsd-police-centre")
        if faisalabad is not None and spare:
            services.transfer_request(
                actor=supervisor,
                case=spare[0],
                to_organisation=faisalabad,
                reason="The incident happened in Faisalabad.",
            )
            transfers += 1
        province = organisations.get("demo-punjab-hrma")
        if province is not None and len(spare) > 1 and "provincial.punjab" in users:
            transfer = services.transfer_request(
                actor=supervisor,
                case=spare[1],
                to_organisation=province,
                reason="The provincial office follows this case itself.",
            )
            services.transfer_accept(actor=users["provincial.punjab"], transfer=transfer)
            transfers += 1
    return f"referrals: {Referral.objects.count()} referrals, {transfers} transfers"
