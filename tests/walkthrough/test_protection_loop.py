"""The whole protection loop through the pages, each step by the role that takes it.

Intake at the Lahore police centre → call-back → referral to a legal-aid NGO → the NGO asks for
more information → the centre answers → the NGO accepts, records a service and completes →
resolution and closure approved by the supervisor → the complainant's feedback → a reopen
request that reaches the supervisor. Along the way, each role sees only what it should.
"""

from __future__ import annotations

from collections.abc import Callable

import time_machine
from django.test import Client
from django.utils import timezone

from meesaq.audit.verify import verify_chain
from meesaq.cases.models import Case, Category, Channel, Status
from meesaq.notifications.models import Notification
from meesaq.referrals.models import Referral
from tests.cases.factories import add_person
from tests.personas import World

ClientFor = Callable[..., Client]
NARRATIVE = "Sunita Kumari says her brother was threatened near the temple."


def test_a_complaint_goes_round_the_whole_protection_loop(
    world: World, client_for: ClientFor
) -> None:
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        intake = client_for(world.intake_officer)
        created = intake.post(
            "/en/cases/new/",
            {
                "received_at": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
                "channel": Channel.WALK_IN,
                "district": "PK617",
                "category": str(Category.objects.get(code="threats").pk),
                "title": "Threats near the temple",
                "narrative": NARRATIVE,
                "consent_contact": "on",
                "consent_share": "on",
                "risk_threat_to_life": "on",
                "confirm_new": "on",
            },
        )
        assert created.status_code == 302, created.content.decode()[:2000]
        case = Case.objects.get()
        page = f"/en/cases/{case.reference}/"
        add_person(case, full_name="Sunita Kumari", cnic="00101-7654321-2")
        # Urgent: the supervisor is alerted at once.
        assert Notification.objects.filter(recipient=world.supervisor, case=case).exists()

        intake.post(f"{page}status/", {"to_status": Status.REGISTERED})
        call_back = intake.post(
            f"/en/deadlines/cases/{case.reference}/contact/",
            {"result": "confirmed", "at": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M")},
        )
        assert call_back.status_code == 302

        officer = client_for(world.case_officer)
        officer.post(f"{page}status/", {"to_status": Status.IN_ACTION})
        referred = officer.post(
            f"/en/referrals/new/{case.reference}/",
            {
                "to_organisation": str(world.lahore_ngo.pk),
                "reason": "Legal aid for a complaint to the police.",
                "shared_fields": ["category", "title", "narrative"],
            },
        )
        assert referred.status_code == 302
        referral = Referral.objects.get(case=case)
        detail = f"/en/referrals/{referral.pk}/"

        partner = client_for(world.partner_caseworker)
        # The partner sees the referral and the shared narrative, but not the case itself.
        assert NARRATIVE in partner.get(detail).content.decode()
        assert partner.get(page).status_code == 404
        assert client_for(world.outsider).get(detail).status_code == 404

        def step(client: Client, name: str, **fields: str) -> None:
            answer = client.post(f"{detail}step/", {"step": name, **fields})
            assert answer.status_code == 302

        step(partner, "request_info", text="Which police station was approached?")
        step(officer, "answer", text="None yet; the family fears going alone.")
        step(partner, "accept")
        step(partner, "record_service", text="Lawyer met the family.", on=start.date().isoformat())
        step(partner, "complete", text="Application filed with the police.")
        referral.refresh_from_db()
        assert referral.status == "completed"

        officer.post(f"{page}status/", {"to_status": Status.RESOLVED})
        officer.post(
            f"{page}status/", {"to_status": Status.CLOSURE_REQUESTED, "outcome": "remedy_provided"}
        )
        supervisor = client_for(world.supervisor)
        supervisor.post(f"{page}status/", {"to_status": Status.CLOSED})
        case.refresh_from_db()
        assert case.status == Status.CLOSED

        # Feedback: the complainant is not satisfied and asks to reopen.
        officer.post(f"{page}feedback/answer/", {"answer": "not_satisfied"})
        before = Notification.objects.filter(recipient=world.supervisor).count()
        officer.post(f"{page}feedback/reopen/")
        assert Notification.objects.filter(recipient=world.supervisor).count() > before
        supervisor.post(f"{page}status/", {"to_status": Status.REOPENED, "reason": "Complainant"})
        case.refresh_from_db()
        assert case.status == Status.REOPENED

    # Identity never reached those without need to know.
    assert "Sunita Kumari" not in client_for(world.provincial_officer).get(page).content.decode()
    assert verify_chain().ok
