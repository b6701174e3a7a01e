"""The intake page and service: registering a complaint."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client

from meesaq.audit.models import AuditEvent
from meesaq.cases.models import (
    AffectedGroup,
    Case,
    CaseTransition,
    Category,
    Channel,
    Priority,
    Status,
)
from meesaq.cases.services.intake import case_register_intake, priority_from_risk
from meesaq.core.errors import MeesaqError
from meesaq.geo.models import AdminUnit
from tests.personas import World

URL = "/en/cases/new/"
NARRATIVE = "Shamim Masih was threatened at the church gate by Akbar Khan."
# 14 March 2026, 12:00 in Pakistan (UTC+5).
NOW = datetime(2026, 3, 14, 7, 0, tzinfo=UTC)


def form_data(**overrides: Any) -> dict[str, Any]:
    """Return a complete, valid intake for Lahore."""
    data: dict[str, Any] = {
        "received_at": "2026-03-14T09:30",
        "channel": Channel.WALK_IN,
        "district": "PK617",
        "tehsil": "PK61702",
        "police_station": "Gulberg",
        "place": "Near the church on Main Road",
        "latitude": "31.52040",
        "longitude": "74.35870",
        "incident_on": "2026-03-12",
        "category": str(Category.objects.get(code="threats").pk),
        "groups": [str(AffectedGroup.objects.get(code="christian").pk)],
        "title": "Threats at the church gate",
        "narrative": NARRATIVE,
        "consent_contact": "on",
        "recorded_on_behalf": "on",
        "risk_threat_to_life": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture(autouse=True)
def fixed_clock() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize(
    ("ticked", "expected"),
    [
        ({}, Priority.NORMAL),
        ({"threat_to_life": True}, Priority.URGENT),
        ({"mob_threat": True}, Priority.URGENT),
        ({"ongoing_violence": True}, Priority.HIGH),
        ({"child_involved": True}, Priority.HIGH),
        ({"displacement": True}, Priority.HIGH),
        ({"displacement": True, "mob_threat": True}, Priority.URGENT),
    ],
)
def test_the_risk_checklist_sets_the_priority(ticked: dict[str, bool], expected: str) -> None:
    assert priority_from_risk(**ticked) == expected


@pytest.mark.django_db
def test_the_intake_officer_registers_a_case_through_the_page(
    world: World, client_for: Callable[..., Client]
) -> None:
    response = client_for(world.intake_officer).post(URL, form_data())

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{case.reference}/")
    assert re.fullmatch(r"PB-LHR-2026-\d{6}", case.reference)
    assert case.status == Status.RECEIVED
    assert case.priority == Priority.URGENT
    assert case.organisation == world.lahore_centre
    assert case.jurisdiction_path == case.district.path
    assert case.tehsil is not None and case.tehsil.pcode == "PK61702"
    assert case.recorded_by == world.intake_officer
    assert case.recorded_on_behalf is True
    assert case.consent_contact is True and case.consent_share is False
    assert case.latitude == Decimal("31.52040")
    # The browser's local time is Pakistan time: 09:30 PKT is 04:30 UTC.
    assert case.received_at == datetime(2026, 3, 14, 4, 30, tzinfo=UTC)
    assert [g.code for g in case.groups.all()] == ["christian"]
    transition = CaseTransition.objects.get(case=case)
    assert (transition.from_status, transition.to_status) == ("", Status.RECEIVED)
    assert transition.actor == world.intake_officer


@pytest.mark.django_db
def test_registering_audits_the_case_without_personal_data(
    world: World, client_for: Callable[..., Client]
) -> None:
    client_for(world.intake_officer).post(URL, form_data())

    case = Case.objects.get()
    event = AuditEvent.objects.get(action="cases.case_created")
    assert event.object_id == str(case.pk)
    assert event.detail == {
        "channel": "walk_in",
        "category": "threats",
        "priority": "urgent",
        "on_behalf": True,
    }
    assert "Masih" not in str(event.detail)


@pytest.mark.django_db
def test_the_narrative_and_place_are_encrypted_at_rest(
    world: World, client_for: Callable[..., Client]
) -> None:
    client_for(world.intake_officer).post(URL, form_data())

    case = Case.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative, place FROM cases_case WHERE id = %s", [case.pk])
        narrative, place = cursor.fetchone()
    assert "Masih" not in str(narrative)
    assert "church" not in str(place)
    assert Case.objects.get().narrative == NARRATIVE


@pytest.mark.django_db
def test_a_form_with_errors_keeps_what_was_typed_and_saves_nothing(
    world: World, client_for: Callable[..., Client]
) -> None:
    data = form_data(title="", risk_mob_threat="on", consent_share="on")
    response = client_for(world.intake_officer).post(URL, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page
    assert NARRATIVE in page
    assert 'value="Near the church on Main Road"' in page
    assert re.search(r'name="risk_mob_threat"[^>]*checked', page)
    assert re.search(r'name="consent_share"[^>]*checked', page)
    assert re.search(r'name="recorded_on_behalf"[^>]*checked', page)
    assert re.search(r'value="\d+"[^>]*name="groups"[^>]*checked|name="groups"[^>]*checked', page)
    assert re.search(r'<option value="PK61702" selected>', page)
    assert Case.objects.count() == 0
    assert not AuditEvent.objects.filter(action="cases.case_created").exists()


@pytest.mark.django_db
def test_the_page_offers_only_districts_in_the_users_jurisdiction(
    world: World, client_for: Callable[..., Client]
) -> None:
    local = client_for(world.intake_officer).get(URL).content.decode()
    provincial = client_for(world.provincial_officer).get(URL).content.decode()

    assert 'value="PK617"' in local
    assert 'value="PK608"' not in local
    assert 'value="PK61701"' in local and 'value="PK60801"' not in local
    assert '<optgroup label="Lahore">' in local
    assert 'value="PK617"' in provincial and 'value="PK608"' in provincial
    assert 'value="PK701"' not in provincial


@pytest.mark.django_db
def test_a_district_outside_the_jurisdiction_is_refused_on_the_page(
    world: World, client_for: Callable[..., Client]
) -> None:
    response = client_for(world.intake_officer).post(URL, form_data(district="PK608", tehsil=""))

    assert response.status_code == 200
    assert "Choose a district in your jurisdiction." in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_the_service_refuses_a_district_outside_the_jurisdiction(world: World) -> None:
    with pytest.raises(MeesaqError) as refused:
        case_register_intake(
            actor=world.intake_officer,
            organisation=world.lahore_centre,
            district=AdminUnit.objects.get(pcode="PK608"),
            received_at=NOW,
            channel=Channel.PHONE,
            category=Category.objects.get(code="threats"),
            title="Threats",
        )
    assert refused.value.code == "district_outside_jurisdiction"
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_tehsil_outside_the_district_is_refused(
    world: World, client_for: Callable[..., Client]
) -> None:
    response = client_for(world.provincial_officer).post(
        URL, form_data(district="PK617", tehsil="PK60801")
    )

    assert response.status_code == 200
    assert "This tehsil is not in the chosen district." in response.content.decode()
    assert Case.objects.count() == 0
    with pytest.raises(MeesaqError) as refused:
        case_register_intake(
            actor=world.provincial_officer,
            organisation=world.punjab_department,
            district=AdminUnit.objects.get(pcode="PK617"),
            tehsil=AdminUnit.objects.get(pcode="PK60801"),
            received_at=NOW,
            channel=Channel.PHONE,
            category=Category.objects.get(code="threats"),
            title="Threats",
        )
    assert refused.value.code == "tehsil_not_in_district"


@pytest.mark.django_db
def test_the_service_refuses_an_organisation_the_actor_does_not_work_for(world: World) -> None:
    with pytest.raises(MeesaqError) as refused:
        case_register_intake(
            actor=world.intake_officer,
            organisation=world.lahore_hr_office,
            district=AdminUnit.objects.get(pcode="PK617"),
            received_at=NOW,
            channel=Channel.PHONE,
            category=Category.objects.get(code="threats"),
            title="Threats",
        )
    assert refused.value.code == "organisation_not_yours"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"received_at": "2026-03-14T13:00"}, "The time received cannot be in the future."),
        ({"incident_on": "2026-03-15"}, "The date of the incident cannot be in the future."),
        ({"latitude": "51.5", "longitude": "-0.12"}, "Ensure this value is greater than"),
        ({"longitude": ""}, "Give both the latitude and the longitude, or neither."),
        ({"title": "x" * 151}, "Ensure this value has at most 150 characters"),
        ({"channel": "portal"}, "Select a valid choice."),
    ],
)
def test_it_refuses_invalid_times_points_and_titles(
    world: World, client_for: Callable[..., Client], overrides: dict[str, str], message: str
) -> None:
    response = client_for(world.intake_officer).post(URL, form_data(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_the_provincial_officer_registers_a_case_in_faisalabad(
    world: World, client_for: Callable[..., Client]
) -> None:
    response = client_for(world.provincial_officer).post(
        URL, form_data(district="PK608", tehsil="PK60801", risk_threat_to_life=None)
    )

    case = Case.objects.get()
    assert response.status_code == 302
    assert re.fullmatch(r"PB-F[A-Z]{2}-2026-000001", case.reference)
    assert case.organisation == world.punjab_department
    assert case.priority == Priority.NORMAL
    assert case.jurisdiction_path.endswith("/PK608")


@pytest.mark.django_db
def test_the_form_shows_an_empty_intake_in_both_languages(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.intake_officer)
    english = client.get(URL)
    urdu = client.get("/ur/cases/new/")

    assert english.status_code == 200 and urdu.status_code == 200
    page = english.content.decode()
    assert 'type="datetime-local"' in page
    assert 'value="2026-03-14T12:00"' in page
    assert 'name="organisation" value="' in page  # one organisation: chosen, hidden


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona",
    ["analyst", "auditor", "administrator", "partner_caseworker", "programme_coordinator"],
)
def test_roles_without_case_work_get_404(
    world: World, client_for: Callable[..., Client], persona: str
) -> None:
    client = client_for(world.personas()[persona])

    assert client.get(URL).status_code == 404
    assert client.post(URL, form_data()).status_code == 404
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    response = Client().get(URL)

    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]
