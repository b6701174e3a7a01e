"""The case page: the summary for every persona, identity only with need to know or break-glass."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meesaq.access.services import break_glass_open
from meesaq.audit.models import AuditEvent
from meesaq.cases.models import AffectedGroup, Case, CaseTransition, Priority, Status
from meesaq.cases.selectors.page import PAGE_JOINED, case_get_for_page
from tests.cases.factories import make_case
from tests.personas import World

NARRATIVE = "Shamim Masih was threatened at the church gate on Sunday."
PLACE = "Behind the water tank, Youhanabad"

pytestmark = pytest.mark.django_db


def _case(world: World) -> Case:
    case = make_case(
        organisation=world.lahore_centre,
        recorded_by=world.intake_officer,
        narrative=NARRATIVE,
        place=PLACE,
        police_station="Police Station Nishtar Colony",
        recorded_on_behalf=True,
        consent_contact=True,
        risk_threat_to_life=True,
        priority=Priority.URGENT,
    )
    case.groups.set([AffectedGroup.objects.get(code="christian")])
    return case


def _url(case: Case) -> str:
    return reverse("cases:detail", kwargs={"reference": case.reference})


def test_it_shows_the_summary_and_narrative_to_the_intake_officer_and_audits_the_view(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = _case(world)
    response = client_for(world.intake_officer).get(_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        case.reference,
        "Threats at the church gate",
        "Threats and intimidation",
        "Christian",
        "Police Station Nishtar Colony",
        "Walk-in",
        "Urgent",
        "threat to life",
        NARRATIVE,
        PLACE,
    ):
        assert text in page, text
    assert "Request access to the hidden details" not in page
    viewed = AuditEvent.objects.filter(action="identity.viewed", object_id=str(case.pk)).get()
    assert viewed.detail == {"channel": "page"}
    assert viewed.actor_id == world.intake_officer.pk


def test_it_says_who_recorded_the_case_and_on_whose_behalf(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = _case(world)
    response = client_for(world.supervisor).get(_url(case))
    assert response.context["case"] == case
    rows = {row.label: row.value for row in response.context["rows"]}
    assert rows["Recorded by"] == world.intake_officer.display_name
    assert rows["Recorded on behalf of the complainant"] == "Yes"
    assert rows["May be contacted by SMS or phone"] == "Yes"
    assert rows["Details may be shared with partner organisations"] == "No"
    assert rows["Case officer"] == "Not assigned"


def test_it_hides_the_narrative_from_the_provincial_officer_and_offers_break_glass(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = _case(world)
    url = _url(case)
    response = client_for(world.provincial_officer).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert case.reference in page
    assert "Threats at the church gate" in page
    assert NARRATIVE not in page
    assert PLACE not in page
    assert "Hidden" in page
    glass = reverse(
        "access:break_glass_request", kwargs={"object_type": "cases.case", "object_id": case.pk}
    )
    assert response.context["break_glass_url"] == f"{glass}?next={url.replace('/', '%2F')}"
    assert not AuditEvent.objects.filter(action="identity.viewed").exists()


def test_it_shows_the_narrative_after_the_provincial_officer_breaks_the_glass(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = _case(world)
    client = client_for(world.provincial_officer)
    glass = client.get(_url(case)).context["break_glass_url"]
    response = client.post(
        glass, {"reason": "The complainant called the provincial helpline for urgent help."}
    )
    assert response.status_code == 302
    assert response["Location"] == _url(case)
    page = client.get(_url(case)).content.decode()
    assert NARRATIVE in page
    assert "Request access to the hidden details" not in page
    assert AuditEvent.objects.filter(
        action="identity.viewed", actor_id=world.provincial_officer.pk
    ).exists()


def test_it_offers_no_break_glass_when_the_service_refuses_it(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = _case(world)
    break_glass_open(
        user=world.provincial_officer,
        obj=case,
        reason="A justified reason written at some length.",
    )
    response = client_for(world.provincial_officer).get(_url(case))
    assert response.context["identity_visible"] is True
    assert response.context["break_glass_url"] == ""


@pytest.mark.parametrize(
    "persona",
    [
        "outsider",
        "analyst",
        "auditor",
        "administrator",
        "partner_caseworker",
        "programme_coordinator",
    ],
)
def test_it_answers_404_to_those_who_may_not_see_the_case(
    world: World, client_for: Callable[..., Client], persona: str
) -> None:
    case = _case(world)
    response = client_for(getattr(world, persona)).get(_url(case))
    assert response.status_code == 404


def test_it_answers_404_for_a_reference_that_does_not_exist(
    world: World, client_for: Callable[..., Client]
) -> None:
    url = reverse("cases:detail", kwargs={"reference": "PB-LHR-2026-999999"})
    assert client_for(world.intake_officer).get(url).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(world: World) -> None:
    case = _case(world)
    response = Client().get(_url(case))
    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]


def test_it_links_the_summary_pdf_in_both_languages(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = _case(world)
    page = client_for(world.case_officer).get(_url(case)).content.decode()
    assert f"/en/cases/{case.reference}/summary.pdf" in page
    assert f"/ur/cases/{case.reference}/summary.pdf" in page


def test_it_renders_in_urdu_with_the_taxonomy_in_urdu(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = _case(world)
    url = f"/ur/cases/{case.reference}/"
    response = client_for(world.intake_officer).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'dir="rtl"' in page
    assert "دھمکیاں اور ہراساں کرنا" in page


def test_it_shows_the_status_of_a_case_with_history(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = _case(world)
    case.status = Status.REGISTERED
    case.save(update_fields=["status"])
    CaseTransition.objects.create(
        case=case,
        from_status=Status.RECEIVED,
        to_status=Status.REGISTERED,
        actor=world.supervisor,
        occurred_at=case.received_at,
    )
    page = client_for(world.supervisor).get(_url(case)).content.decode()
    assert "badge-status-registered" in page


def test_the_case_is_read_with_few_joins_and_its_users_by_key(world: World) -> None:
    # PostgreSQL plans a query in time exponential in its joins: eight joined related rows
    # took 7.6 ms to plan at 1,000,000 cases. The nullable ones come by primary key instead.
    case = _case(world)
    case.assigned_to = world.case_officer
    case.save(update_fields=["assigned_to"])
    with CaptureQueriesContext(connection) as queries:
        found = case_get_for_page(user=world.supervisor, reference=case.reference)
        people = (found.assigned_to, found.recorded_by)
    assert people == (world.case_officer, world.intake_officer)
    statements = [query["sql"] for query in queries.captured_queries]
    own = next(sql for sql in statements if sql.startswith('SELECT "cases_case"."id"'))
    assert own.count(" JOIN ") <= len(PAGE_JOINED)
    assert "accounts_user" not in own


def test_the_page_decides_the_cases_identity_once_for_every_section(
    world: World, client_for: Callable[..., Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each decision is a reach query and a need-to-know check; the sections reuse the page's.
    from meesaq.access import policy

    case = _case(world)
    asked: list[object] = []
    decide = policy.may_see_identity

    def counted(user: object, obj: object) -> bool:
        asked.append(obj)
        return decide(user, obj)  # type: ignore[arg-type]

    monkeypatch.setattr(policy, "may_see_identity", counted)
    page = client_for(world.provincial_officer).get(_url(case)).content.decode()
    assert [obj for obj in asked if obj == case] == [case]
    assert NARRATIVE not in page
