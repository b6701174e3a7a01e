"""A case from intake to closure through the pages, by the right roles, in English and in Urdu."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from meesaq.audit.models import AuditEvent
from meesaq.audit.verify import verify_chain
from meesaq.cases.models import Case, CaseTransition, Category, Channel, Status
from tests.personas import World

ClientFor = Callable[..., Client]


@pytest.mark.parametrize("language", ["en", "ur"])
def test_a_complaint_goes_from_intake_to_closure(
    world: World, client_for: ClientFor, language: str
) -> None:
    intake = client_for(world.intake_officer)
    response = intake.post(
        f"/{language}/cases/new/",
        {
            "received_at": "2026-03-14T09:30",
            "channel": Channel.PHONE,
            "district": "PK617",
            "category": str(Category.objects.get(code="worship_attack").pk),
            "title": "Stones thrown at the church during the service",
            "narrative": "The caller says a crowd gathered outside.",
            "risk_mob_threat": "on",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    page = response["Location"]
    assert page == f"/{language}/cases/{case.reference}/"
    assert case.priority == "urgent"

    def step(client: Client, to_status: str, **fields: str) -> None:
        answer = client.post(f"{page}status/", {"to_status": to_status, **fields})
        assert answer.status_code == 302
        case.refresh_from_db()
        assert case.status == to_status

    step(intake, Status.REGISTERED)
    supervisor = client_for(world.supervisor)
    supervisor.post(f"{page}assign/", {"officer": str(world.case_officer.pk)})
    case.refresh_from_db()
    assert case.assigned_to == world.case_officer

    officer = client_for(world.case_officer)
    step(officer, Status.IN_ACTION)
    officer.post(
        f"{page}actions/add/",
        {"kind": "protection", "occurred_on": "2026-03-15", "note": "Police picket at the church."},
    )
    assert case.actions.count() == 1
    step(officer, Status.RESOLVED)
    step(officer, Status.CLOSURE_REQUESTED, outcome="remedy_provided")
    # The officer who asked cannot approve; the supervisor does.
    officer.post(f"{page}status/", {"to_status": Status.CLOSED})
    case.refresh_from_db()
    assert case.status == Status.CLOSURE_REQUESTED
    step(supervisor, Status.CLOSED)

    assert list(CaseTransition.objects.filter(case=case).values_list("to_status", flat=True)) == [
        Status.RECEIVED,
        Status.REGISTERED,
        Status.IN_ACTION,
        Status.RESOLVED,
        Status.CLOSURE_REQUESTED,
        Status.CLOSED,
    ]
    assert AuditEvent.objects.filter(action="cases.transition").count() == 5
    assert verify_chain().ok
    closed_page = supervisor.get(page)
    assert closed_page.status_code == 200
    assert case.reference in closed_page.content.decode()
