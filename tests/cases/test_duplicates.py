"""Duplicates: likely earlier cases proposed on intake, and a case's duplicates on its page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from meesaq.cases.models import Case, Category, Status
from meesaq.cases.selectors.duplicates import duplicate_candidates
from meesaq.cases.services.workflow import case_transition
from meesaq.cases.views.duplicates import duplicates_section
from meesaq.geo.models import AdminUnit
from tests.cases.factories import add_person, make_case
from tests.cases.test_intake import form_data
from tests.personas import World

URL = "/en/cases/new/"
# 14 March 2026, 12:00 in Pakistan.
NOW = datetime(2026, 3, 14, 7, 0, tzinfo=UTC)
INCIDENT = date(2026, 3, 12)


@pytest.fixture(autouse=True)
def fixed_clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _lahore() -> AdminUnit:
    return AdminUnit.objects.get(pcode="PK617")


def _threats() -> Category:
    return Category.objects.get(code="threats")


def _candidates(user: Any, **kwargs: Any) -> list[str]:
    kwargs.setdefault("district", _lahore())
    kwargs.setdefault("category", _threats())
    return [c.reference for c in duplicate_candidates(user=user, **kwargs)]


def test_it_proposes_cases_of_the_same_district_and_category_within_seven_days(
    world: World,
) -> None:
    near = make_case(organisation=world.lahore_centre, incident_on=date(2026, 3, 6))
    edge = make_case(organisation=world.lahore_centre, incident_on=date(2026, 3, 19))
    make_case(organisation=world.lahore_centre, incident_on=date(2026, 3, 4))
    make_case(
        organisation=world.lahore_centre,
        incident_on=INCIDENT,
        category=Category.objects.get(code="abduction"),
    )
    found = _candidates(world.intake_officer, incident_on=INCIDENT)
    assert sorted(found) == sorted([near.reference, edge.reference])


def test_without_an_incident_date_it_compares_the_dates_received(world: World) -> None:
    near = make_case(
        organisation=world.lahore_centre, received_at=datetime(2026, 3, 10, 5, tzinfo=UTC)
    )
    make_case(organisation=world.lahore_centre, received_at=datetime(2026, 2, 20, 5, tzinfo=UTC))
    found = _candidates(world.intake_officer, received_at=NOW)
    assert found == [near.reference]


def test_it_proposes_cases_of_the_same_person_by_blind_index_whatever_the_date(
    world: World,
) -> None:
    old = make_case(
        organisation=world.lahore_centre,
        received_at=datetime(2025, 6, 1, 5, tzinfo=UTC),
        category=Category.objects.get(code="land_grabbing"),
    )
    add_person(old, cnic="35202-1234567-1", phone="+923001112223")
    (by_cnic,) = duplicate_candidates(
        user=world.intake_officer,
        district=_lahore(),
        category=_threats(),
        incident_on=INCIDENT,
        cnic="3520212345671",
    )
    assert by_cnic.reference == old.reference
    assert by_cnic.matched_on == ("cnic",)
    assert _candidates(world.intake_officer, incident_on=INCIDENT, phone="03001112223") == [
        old.reference
    ]
    assert _candidates(world.intake_officer, incident_on=INCIDENT, cnic="35202-7654321-1") == []


def test_it_never_proposes_a_case_the_user_cannot_see(world: World) -> None:
    faisalabad = make_case(organisation=world.faisalabad_centre, incident_on=INCIDENT)
    add_person(faisalabad, cnic="35202-1234567-1")
    lahore = make_case(organisation=world.lahore_centre, incident_on=INCIDENT)
    assert _candidates(world.intake_officer, incident_on=INCIDENT, cnic="3520212345671") == [
        lahore.reference
    ]
    assert _candidates(world.outsider, incident_on=INCIDENT) == []
    assert _candidates(world.analyst, incident_on=INCIDENT, cnic="3520212345671") == []


def test_the_intake_page_shows_the_candidates_and_saves_nothing_yet(
    world: World, client_for: Callable[[Any], Client]
) -> None:
    earlier = make_case(
        organisation=world.lahore_centre,
        incident_on=INCIDENT,
        title="Stones thrown at the chapel",
    )
    response = client_for(world.intake_officer).post(URL, form_data())
    assert response.status_code == 200
    page = response.content.decode()
    assert "This complaint may already be recorded" in page
    assert earlier.reference in page and "Stones thrown at the chapel" in page
    # Every typed value comes back in the form.
    assert 'value="Threats at the church gate"' in page
    assert "Shamim Masih was threatened at the church gate" in page
    assert 'value="Gulberg"' in page
    assert 'name="confirm_new" value="on"' in page
    assert Case.objects.count() == 1


def test_the_candidates_show_no_identity(world: World, client_for: Callable[[Any], Client]) -> None:
    earlier = make_case(organisation=world.lahore_centre, incident_on=INCIDENT)
    add_person(earlier, full_name="Yousaf Gill", cnic="35202-1234567-1")
    response = client_for(world.intake_officer).post(URL, form_data(check_cnic="35202-1234567-1"))
    page = response.content.decode()
    assert earlier.reference in page
    assert "Yousaf Gill" not in page


def test_continuing_with_the_flag_registers_the_case_with_the_values_typed(
    world: World, client_for: Callable[[Any], Client]
) -> None:
    make_case(organisation=world.lahore_centre, incident_on=INCIDENT)
    response = client_for(world.intake_officer).post(URL, form_data(confirm_new="on"))
    assert response.status_code == 302
    case = Case.objects.exclude(title="Threats at the church gate", police_station="").latest("pk")
    assert case.title == "Threats at the church gate"
    assert case.police_station == "Gulberg"
    assert case.recorded_by == world.intake_officer
    assert Case.objects.count() == 2


def test_without_candidates_the_case_is_registered_at_once(
    world: World, client_for: Callable[[Any], Client]
) -> None:
    response = client_for(world.intake_officer).post(URL, form_data())
    assert response.status_code == 302
    assert Case.objects.count() == 1


def test_the_intake_page_refuses_the_wrong_role_and_anonymous_visitors(
    world: World, client_for: Callable[[Any], Client], client: Client
) -> None:
    assert client.post(URL, form_data())["Location"].startswith("/en/account/sign-in/")
    assert client_for(world.analyst).post(URL, form_data()).status_code == 404


def _marked_duplicate(world: World) -> tuple[Case, Case]:
    original = make_case(organisation=world.lahore_centre, incident_on=INCIDENT)
    repeat = make_case(organisation=world.lahore_centre, title="Same threats, second visit")
    repeat = case_transition(
        actor=world.supervisor,
        case=repeat,
        to_status=Status.DUPLICATE,
        original_reference=original.reference,
    )
    return original, repeat


def test_the_original_lists_its_duplicates_with_links_to_their_pages(world: World) -> None:
    original, repeat = _marked_duplicate(world)
    request = RequestFactory().get("/")
    section = duplicates_section(request=request, user=world.case_officer, case=original)
    assert [d.reference for d in section["duplicates"]] == [repeat.reference]
    html = render_to_string("cases/_duplicates.html", {"section": section})
    assert f'href="/en/cases/{repeat.reference}/"' in html
    assert "Same threats, second visit" in html
    back = duplicates_section(request=request, user=world.case_officer, case=repeat)
    assert back["original"] == original
    assert back["duplicates"] == []


def test_the_original_lists_only_the_duplicates_the_user_may_see(world: World) -> None:
    original, _repeat = _marked_duplicate(world)
    hidden = make_case(organisation=world.faisalabad_centre, status=Status.DUPLICATE)
    Case.objects.filter(pk=hidden.pk).update(duplicate_of=original)
    request = RequestFactory().get("/")
    section = duplicates_section(request=request, user=world.case_officer, case=original)
    assert hidden.reference not in [d.reference for d in section["duplicates"]]
    assert len(section["duplicates"]) == 1
