"""The work queues page, the call-back form and following a case, with their scoping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from meesaq.cases.models import Priority, Status
from meesaq.sla.models import CaseSubscription, FirstContact
from meesaq.sla.services import deadlines_refresh
from meesaq.sla.views import sla_section
from tests.cases.factories import make_case
from tests.personas import World

QUEUES = "/en/deadlines/"


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    assert client.get(QUEUES).status_code == 302
    response = client.post(f"/en/deadlines/cases/{case.reference}/follow/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/account/sign-in/")


def test_roles_without_cases_or_referrals_get_404(
    world: World, client_for: Callable[..., Client]
) -> None:
    assert client_for(world.analyst).get(QUEUES).status_code == 404
    assert client_for(world.administrator).get(QUEUES).status_code == 404


def test_the_queues_show_overdue_and_approval_cases_within_reach(
    world: World, client_for: Callable[..., Client]
) -> None:
    now = timezone.now()
    late = make_case(
        organisation=world.lahore_centre,
        priority=Priority.URGENT,
        received_at=now - timedelta(days=30),
        assigned_to=world.case_officer,
        title="Late case",
    )
    deadlines_refresh(late)
    waiting = make_case(
        organisation=world.lahore_centre,
        status=Status.CLOSURE_REQUESTED,
        status_changed_at=now,
        first_action_at=now,
        resolved_at=now,
        title="Waiting case",
    )
    officer = client_for(world.case_officer).get(QUEUES).content.decode()
    assert officer.count(late.reference) >= 2  # my cases and overdue
    assert waiting.reference not in officer
    supervisor = client_for(world.supervisor).get(QUEUES).content.decode()
    assert late.reference in supervisor
    assert waiting.reference in supervisor
    outsider = client_for(world.outsider).get(QUEUES).content.decode()
    assert late.reference not in outsider
    assert waiting.reference not in outsider


def test_following_and_unfollowing_a_case(world: World, client_for: Callable[..., Client]) -> None:
    case = make_case(organisation=world.lahore_centre)
    client = client_for(world.case_officer)
    response = client.post(f"/en/deadlines/cases/{case.reference}/follow/")
    assert response.status_code == 302
    assert CaseSubscription.objects.filter(user=world.case_officer, case=case).exists()
    assert case.reference in client.get(QUEUES).content.decode()
    client.post(f"/en/deadlines/cases/{case.reference}/unfollow/")
    assert not CaseSubscription.objects.filter(user=world.case_officer, case=case).exists()


def test_an_outsider_cannot_follow_or_record_a_call(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    client = client_for(world.outsider)
    assert client.post(f"/en/deadlines/cases/{case.reference}/follow/").status_code == 404
    response = client.post(f"/en/deadlines/cases/{case.reference}/contact/", {"result": "reached"})
    assert response.status_code == 404
    assert not CaseSubscription.objects.exists()
    assert not FirstContact.objects.exists()


def test_a_call_back_is_recorded_from_the_case_page(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = make_case(
        organisation=world.lahore_centre, received_at=timezone.now() - timedelta(hours=3)
    )
    deadlines_refresh(case)
    response = client_for(world.intake_officer).post(
        f"/en/deadlines/cases/{case.reference}/contact/", {"result": "confirmed"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/en/cases/{case.reference}/"
    assert FirstContact.objects.get(case=case).result == "confirmed"


def test_the_case_page_section_renders(world: World, client_for: Callable[..., Client]) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    case = make_case(organisation=world.lahore_centre)
    deadlines_refresh(case)
    request = RequestFactory().get("/")
    request.user = world.case_officer
    section = sla_section(request=request, user=world.case_officer, case=case)
    html = render_to_string("sla/_case_deadlines.html", {"section": section}, request=request)
    assert "Record the call" in html
    assert "Follow this case" in html
    auditor_section = sla_section(request=request, user=world.auditor, case=case)
    assert auditor_section["contact_form"] is None
