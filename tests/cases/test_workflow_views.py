"""The workflow part's pages: status, assignment, priority and timeline forms, and the sections."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.messages import get_messages
from django.http import HttpResponseBase
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from meesaq.accounts.models import User
from meesaq.audit.models import AuditEvent
from meesaq.cases.models import ActionKind, Case, CaseAction, Outcome, Priority, Status
from meesaq.cases.services.actions import action_add
from meesaq.cases.views.actions import timeline_section
from meesaq.cases.views.attachments import attachments_section
from meesaq.cases.views.workflow import workflow_section
from tests.cases.factories import make_case
from tests.personas import World

ClientFor = Callable[[User], Client]
POST_URLS = ["transition", "assign", "priority", "action_add", "attachment_upload"]


def _url(name: str, case: Case) -> str:
    return reverse(f"cases:{name}", kwargs={"reference": case.reference})


def _message(response: HttpResponseBase) -> str:
    """Return the newest message queued for the user (earlier ones wait unread in the session)."""
    queued = [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]  # test responses carry it
    return queued[-1]


def _back_to_case(response: HttpResponseBase, case: Case) -> bool:
    return response.status_code == 302 and response["Location"].endswith(
        f"/cases/{case.reference}/"
    )


@pytest.mark.parametrize("name", POST_URLS)
def test_anonymous_visitors_are_sent_to_sign_in(world: World, name: str) -> None:
    case = make_case(organisation=world.lahore_centre)
    response = Client().post(_url(name, case), {})
    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]


@pytest.mark.parametrize("name", POST_URLS)
@pytest.mark.parametrize("persona", ["outsider", "analyst", "partner_caseworker"])
def test_people_who_cannot_see_the_case_get_404(
    world: World, client_for: ClientFor, name: str, persona: str
) -> None:
    case = make_case(organisation=world.lahore_centre)
    client = client_for(world.personas()[persona])
    assert client.post(_url(name, case), {"to_status": "registered"}).status_code == 404
    assert client.get(_url(name, case)).status_code == 404
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


@pytest.mark.parametrize("name", POST_URLS)
def test_these_addresses_take_only_posts(world: World, client_for: ClientFor, name: str) -> None:
    case = make_case(organisation=world.lahore_centre)
    assert client_for(world.supervisor).get(_url(name, case)).status_code == 405


def test_an_intake_officer_registers_a_case_from_its_page(
    world: World, client_for: ClientFor
) -> None:
    case = make_case(organisation=world.lahore_centre)
    response = client_for(world.intake_officer).post(
        _url("transition", case), {"to_status": "registered"}
    )
    assert _back_to_case(response, case)
    case.refresh_from_db()
    assert case.status == Status.REGISTERED
    assert _message(response) == "The case is now: Registered."
    event = AuditEvent.objects.get(action="cases.transition")
    assert event.ip_address == "127.0.0.1"


def test_a_refused_step_comes_back_with_the_reason(world: World, client_for: ClientFor) -> None:
    case = make_case(organisation=world.lahore_centre)
    client = client_for(world.intake_officer)
    response = client.post(_url("transition", case), {"to_status": "closed"})
    assert _back_to_case(response, case)
    assert _message(response) == "This case cannot go from Received to Closed."
    response = client.post(_url("transition", case), {"to_status": "not_in_mandate"})
    assert _message(response) == "Give the reason for this step."
    response = client.post(_url("transition", case), {"to_status": "nonsense"})
    assert _message(response).startswith("Please check:")
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_closure_is_requested_with_an_outcome_and_approved_by_a_supervisor(
    world: World, client_for: ClientFor
) -> None:
    case = make_case(organisation=world.lahore_centre, status=Status.RESOLVED)
    officer = client_for(world.case_officer)
    officer.post(
        _url("transition", case), {"to_status": "closure_requested", "outcome": "remedy_provided"}
    )
    case.refresh_from_db()
    assert case.status == Status.CLOSURE_REQUESTED
    assert case.outcome == Outcome.objects.get(code="remedy_provided")
    refused = officer.post(_url("transition", case), {"to_status": "closed"})
    assert _message(refused) == "Your role cannot take this step on this case."
    client_for(world.supervisor).post(_url("transition", case), {"to_status": "closed"})
    case.refresh_from_db()
    assert case.status == Status.CLOSED


def test_a_duplicate_is_marked_with_the_originals_reference(
    world: World, client_for: ClientFor
) -> None:
    original = make_case(organisation=world.lahore_centre)
    case = make_case(organisation=world.lahore_centre)
    client_for(world.intake_officer).post(
        _url("transition", case),
        {"to_status": "duplicate", "original_reference": original.reference},
    )
    case.refresh_from_db()
    assert case.duplicate_of == original


def test_a_supervisor_assigns_from_the_page_and_a_case_officer_cannot(
    world: World, client_for: ClientFor
) -> None:
    case = make_case(organisation=world.lahore_centre)
    refused = client_for(world.case_officer).post(
        _url("assign", case), {"officer": world.case_officer.pk}
    )
    assert _back_to_case(refused, case)
    assert _message(refused) == "Only a supervisor can assign this case."
    response = client_for(world.supervisor).post(
        _url("assign", case), {"officer": world.case_officer.pk}
    )
    assert _back_to_case(response, case)
    case.refresh_from_db()
    assert case.assigned_to == world.case_officer
    wrong = client_for(world.supervisor).post(
        _url("assign", case), {"officer": world.intake_officer.pk}
    )
    assert _message(wrong).startswith("Please check:")
    case.refresh_from_db()
    assert case.assigned_to == world.case_officer


def test_priority_changes_from_the_page_need_a_reason(world: World, client_for: ClientFor) -> None:
    case = make_case(organisation=world.lahore_centre)
    client = client_for(world.case_officer)
    missing = client.post(_url("priority", case), {"priority": "urgent"})
    assert _message(missing).startswith("Please check:")
    response = client.post(
        _url("priority", case),
        {"priority": "urgent", "risk_mob_threat": "on", "reason": "Crowd outside the house"},
    )
    assert _back_to_case(response, case)
    case.refresh_from_db()
    assert case.priority == Priority.URGENT
    assert case.risk_mob_threat
    assert not case.risk_threat_to_life


def test_an_fir_is_added_to_the_timeline_from_the_page(world: World, client_for: ClientFor) -> None:
    case = make_case(organisation=world.lahore_centre, status=Status.IN_ACTION)
    today = timezone.localdate().isoformat()
    client = client_for(world.case_officer)
    incomplete = client.post(
        _url("action_add", case), {"kind": "fir", "occurred_on": today, "fir_number": "12"}
    )
    assert _message(incomplete) == "An FIR entry needs the FIR number and the police station."
    response = client.post(
        _url("action_add", case),
        {
            "kind": "fir",
            "occurred_on": today,
            "fir_number": "12/26",
            "police_station": "Thana Kot Lakhpat",
            "law_sections": "506 PPC",
        },
    )
    assert _back_to_case(response, case)
    entry = CaseAction.objects.get(case=case)
    assert (entry.kind, entry.fir_number) == ("fir", "12/26")
    correction = client.post(
        _url("action_add", case),
        {
            "kind": "fir",
            "occurred_on": today,
            "fir_number": "13/26",
            "police_station": "Thana",
            "note": "The number was 13/26",
            "corrects": entry.pk,
        },
    )
    assert _back_to_case(correction, case)
    assert CaseAction.objects.get(case=case, corrects=entry).fir_number == "13/26"


def _section_html(user: User, case: Case) -> str:
    request = RequestFactory().get("/")
    request.user = user
    parts = [
        ("cases/_workflow.html", workflow_section(request=request, user=user, case=case)),
        ("cases/_timeline.html", timeline_section(request=request, user=user, case=case)),
        ("cases/_attachments.html", attachments_section(request=request, user=user, case=case)),
    ]
    return "".join(render_to_string(name, {"section": s}, request=request) for name, s in parts)


def test_the_sections_offer_an_intake_officer_triage_and_notes_only(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    html = _section_html(world.intake_officer, case)
    assert "Register" in html
    assert "Mark as duplicate" in html
    assert "Record withdrawal" not in html
    assert "Save the priority" not in html
    assert 'name="officer"' not in html
    assert '<option value="call">' not in html
    assert 'name="file"' in html


def test_the_sections_give_a_supervisor_assignment_with_workloads_and_priority(
    world: World,
) -> None:
    make_case(organisation=world.lahore_centre, assigned_to=world.case_officer)
    case = make_case(organisation=world.lahore_centre, status=Status.CLOSURE_REQUESTED)
    html = _section_html(world.supervisor, case)
    assert "Approve closure" in html
    assert "Return for more action" in html
    assert 'name="reason"' in html
    assert "caseofficer (1 open)" in html
    assert "Save the priority" in html


def test_notes_and_file_names_are_hidden_from_a_provincial_officer(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    action_add(
        actor=world.case_officer,
        case=case,
        kind=ActionKind.NOTE,
        occurred_on=timezone.localdate(),
        note="Shamim's brother visited",
    )
    assert "Shamim" in _section_html(world.supervisor, case)
    html = _section_html(world.provincial_officer, case)
    assert "Shamim" not in html
    assert "Note hidden" in html


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_case_page_shows_the_workflow_timeline_and_files_sections(
    world: World, client_for: ClientFor, language: str
) -> None:
    case = make_case(organisation=world.lahore_centre, status=Status.RESOLVED)
    with translation.override(language):
        url = reverse("cases:detail", kwargs={"reference": case.reference})
    response = client_for(world.supervisor).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for anchor in ("workflow-heading", "timeline-heading", "attachments-heading"):
        assert anchor in html
    assert _url("transition", case).split("/", 2)[2] in html
