"""The people pages of a case: the section, add (with the offer to link), link, correct, remove."""

# Urdu digits and Unicode hyphens are what these tests type on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from meesaq.accounts.models import User
from meesaq.audit.models import AuditEvent
from meesaq.cases.models import Case, CasePerson, Person, PersonRole
from meesaq.cases.services.people import person_add_to_case
from meesaq.cases.views.people import people_section
from tests.cases.factories import make_case
from tests.personas import World

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]

TYPED: dict[str, str] = {
    "role": "complainant",
    "full_name": "Shamim Masih",
    "relative_name": "Yousaf Masih",
    "cnic": "35202-1234567-1",
    "phone": "0300-1234567",
    "address": "House 4, Youhanabad",
    "gender": "female",
    "age_band": "30-49",
    "faith": "christian",
}


def lahore_case(world: World) -> Case:
    return make_case(organisation=world.lahore_centre, recorded_by=world.intake_officer)


def record(world: World, case: Case, actor: User | None = None, **identity: Any) -> Person:
    values: dict[str, Any] = {
        "full_name": "Shamim Masih",
        "cnic": "35202-1234567-1",
        "phone": "0300-1234567",
        "gender": "female",
        "age_band": "30-49",
        "faith": "christian",
        "disability": False,
    } | identity
    role = values.pop("role", PersonRole.COMPLAINANT)
    actor = actor or world.intake_officer
    return person_add_to_case(actor=actor, case=case, role=role, **values).person


def url(name: str, case: Case, **kwargs: Any) -> str:
    return reverse(f"cases:{name}", kwargs={"reference": case.reference, **kwargs})


def viewed(person: Person) -> int:
    return AuditEvent.objects.filter(
        action="identity.viewed", object_type="cases.person", object_id=str(person.pk)
    ).count()


# --- The section on the case page ----------------------------------------------------------


def render_section(user: User, case: Case) -> str:
    return render_section_shown(user, case)[0]


def render_section_shown(user: User, case: Case) -> tuple[str, list[Person]]:
    """Return the section's HTML and the identities it says it shows (the page audits them)."""
    request = RequestFactory().get(url("detail", case))
    request.user = user
    section = people_section(request=request, user=user, case=case)
    html = render_to_string("cases/_people.html", {"section": section}, request=request)
    shown = section["identities_shown"]
    assert isinstance(shown, list)
    return html, shown


def test_the_section_shows_identity_to_the_owning_centre_and_audits_each_view(
    world: World,
) -> None:
    case = lahore_case(world)
    person = record(world, case)
    html, shown = render_section_shown(world.case_officer, case)
    assert "Shamim Masih" in html
    assert '<dd dir="ltr">35202-1234567-1</dd>' in html
    assert "Christian" in html
    assert url("person_edit", case, person_id=person.pk) in html
    assert url("person_remove", case, person_id=person.pk) in html
    assert "<details" in html
    assert url("person_add", case) in html
    assert shown == [person]


def test_the_section_masks_identity_for_the_provincial_officer_and_offers_break_glass(
    world: World,
) -> None:
    case = lahore_case(world)
    person = record(world, case, cnic="61101-7654321-9", phone="0345-7654321")
    html, shown = render_section_shown(world.provincial_officer, case)
    assert "Shamim" not in html
    assert "7654321" not in html
    assert f"P-{person.pk}" in html
    assert "Female" in html
    glass = reverse(
        "access:break_glass_request",
        kwargs={"object_type": "cases.person", "object_id": person.pk},
    )
    assert f"{glass}?next=%2Fen%2Fcases%2F{case.reference}%2F" in html
    assert url("person_edit", case, person_id=person.pk) not in html
    assert shown == []


def test_the_intake_officer_sees_identity_but_cannot_correct_or_remove(world: World) -> None:
    case = lahore_case(world)
    person = record(world, case)
    html = render_section(world.intake_officer, case)
    assert "Shamim Masih" in html
    assert url("person_edit", case, person_id=person.pk) not in html
    assert url("person_remove", case, person_id=person.pk) not in html
    assert url("person_add", case) in html


def test_the_case_page_includes_the_people_section(world: World, client_for: ClientFor) -> None:
    case = lahore_case(world)
    person = record(world, case)
    response = client_for(world.supervisor).get(url("detail", case))
    assert response.status_code == 200
    assert "Yousaf" not in response.content.decode()  # no relative name was recorded
    assert "Shamim Masih" in response.content.decode()
    assert viewed(person) == 1


def test_the_case_page_audits_every_identity_it_shows_in_one_append(
    world: World, client_for: ClientFor
) -> None:
    # The case's own identity and each person's: one event each, under one lock of the head.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = lahore_case(world)
    first = record(world, case)
    second = record(world, case, full_name="Rani Bibi", cnic="35202-7654321-2", role="victim")
    client = client_for(world.supervisor)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("detail", case)).status_code == 200
    assert (viewed(first), viewed(second)) == (1, 1)
    assert AuditEvent.objects.filter(
        action="identity.viewed", object_type="cases.case", object_id=str(case.pk)
    ).exists()
    head_updates = [
        q for q in queries.captured_queries if 'UPDATE "audit_auditchainhead"' in q["sql"]
    ]
    assert len(head_updates) == 1


# --- Adding a person ----------------------------------------------------------------------


def test_adding_a_new_person_redirects_to_the_case(world: World, client_for: ClientFor) -> None:
    case = lahore_case(world)
    response = client_for(world.intake_officer).post(url("person_add", case), TYPED)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{case.reference}/")
    link = CasePerson.objects.get(case=case)
    assert link.person.full_name == "Shamim Masih"
    assert link.person.cnic == "3520212345671"


def test_urdu_digits_are_accepted_on_the_urdu_page(world: World, client_for: ClientFor) -> None:
    case = lahore_case(world)
    with translation.override("ur"):
        address = url("person_add", case)
    typed = TYPED | {"full_name": "شمیم مسیح", "cnic": "۳۵۲۰۲-۱۲۳۴۵۶۷-۱", "phone": "۰۳۰۰۱۲۳۴۵۶۷"}
    response = client_for(world.intake_officer).post(address, typed)
    assert response.status_code == 302
    assert response["Location"].startswith("/ur/")
    person = Person.objects.get()
    assert (person.cnic, person.phone) == ("3520212345671", "+923001234567")


def test_bad_numbers_are_shown_on_their_fields_keeping_what_was_typed(
    world: World, client_for: ClientFor
) -> None:
    case = lahore_case(world)
    typed = TYPED | {"cnic": "35202-12345", "phone": "0300-12"}
    response = client_for(world.intake_officer).post(url("person_add", case), typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="person_cnic_error"' in html
    assert 'id="person_phone_error"' in html
    assert "A CNIC has 13 digits" in html
    assert 'value="35202-12345"' in html
    assert 'value="Shamim Masih"' in html
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="cases.person_added").exists()


def test_bad_numbers_are_explained_in_urdu(world: World, client_for: ClientFor) -> None:
    case = lahore_case(world)
    with translation.override("ur"):
        address = url("person_add", case)
    response = client_for(world.intake_officer).post(address, TYPED | {"cnic": "123"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="person_cnic_error"' in html
    assert "A CNIC has 13 digits" not in html
    assert not Person.objects.exists()


def test_a_known_cnic_offers_the_known_person_with_identity_to_the_intake_officer(
    world: World, client_for: ClientFor
) -> None:
    earlier = lahore_case(world)
    known = record(world, earlier, full_name="Shamim Bibi")
    case = lahore_case(world)
    typed = TYPED | {"cnic": "3520212345671", "full_name": "Shameem"}
    response = client_for(world.intake_officer).post(url("person_add", case), typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Is this a person already known?" in html
    assert "Shamim Bibi" in html
    assert earlier.reference in html
    assert f'name="person_id" value="{known.pk}"' in html
    assert url("person_link", case) in html
    # The typed values travel in the body of the "add as a new person" form, never in an address.
    assert 'name="add_as_new" value="on"' in html
    assert 'name="full_name" value="Shameem"' in html
    assert "?cnic" not in html
    assert "?full_name" not in html
    assert not CasePerson.objects.filter(case=case).exists()
    assert viewed(known) == 1


def test_the_provincial_officer_is_offered_only_the_pseudonym_and_break_glass(
    world: World, client_for: ClientFor
) -> None:
    earlier = lahore_case(world)
    known = record(world, earlier, full_name="Shamim Bibi")
    case = lahore_case(world)
    response = client_for(world.provincial_officer).post(url("person_add", case), TYPED)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"P-{known.pk}" in html
    assert "Shamim Bibi" not in html
    assert earlier.reference in html
    assert "/break-glass/" in html
    assert viewed(known) == 0


def test_a_person_outside_reach_is_never_offered(world: World, client_for: ClientFor) -> None:
    record(world, lahore_case(world))
    faisalabad_case = make_case(organisation=world.faisalabad_centre)
    response = client_for(world.outsider).post(url("person_add", faisalabad_case), TYPED)
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_add_as_new_records_a_second_person_despite_the_match(
    world: World, client_for: ClientFor
) -> None:
    record(world, lahore_case(world))
    case = lahore_case(world)
    typed = TYPED | {"add_as_new": "on", "disability": "True"}
    response = client_for(world.case_officer).post(url("person_add", case), typed)
    assert response.status_code == 302
    person = CasePerson.objects.get(case=case).person
    assert person.disability
    assert Person.objects.count() == 2


# --- Linking a known person ---------------------------------------------------------------


def test_linking_a_known_person_adds_them_to_the_case(world: World, client_for: ClientFor) -> None:
    known = record(world, lahore_case(world))
    case = lahore_case(world)
    response = client_for(world.intake_officer).post(
        url("person_link", case), {"person_id": known.pk, "role": "witness"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{case.reference}/")
    assert CasePerson.objects.get(case=case).person == known
    assert Person.objects.count() == 1


@pytest.mark.parametrize("person_id", ["stranger", "not-a-number", "999999"])
def test_linking_someone_outside_reach_answers_404(
    world: World, client_for: ClientFor, person_id: str
) -> None:
    stranger = record(world, make_case(organisation=world.faisalabad_centre), actor=world.outsider)
    value = str(stranger.pk) if person_id == "stranger" else person_id
    case = lahore_case(world)
    response = client_for(world.intake_officer).post(
        url("person_link", case), {"person_id": value, "role": "witness"}
    )
    assert response.status_code == 404
    assert not CasePerson.objects.filter(case=case).exists()


# --- Correcting a person ------------------------------------------------------------------


def test_the_case_officer_corrects_a_person(world: World, client_for: ClientFor) -> None:
    case = lahore_case(world)
    person = record(world, case)
    client = client_for(world.case_officer)
    page = client.get(url("person_edit", case, person_id=person.pk))
    assert page.status_code == 200
    assert 'value="35202-1234567-1"' in page.content.decode()
    assert viewed(person) == 1
    fields = TYPED | {"full_name": "Shamim Gill", "cnic": "35202-7654321-3"}
    del fields["role"]
    response = client.post(url("person_edit", case, person_id=person.pk), fields)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.cnic) == ("Shamim Gill", "3520276543213")


def test_a_bad_correction_is_shown_inline(world: World, client_for: ClientFor) -> None:
    case = lahore_case(world)
    person = record(world, case)
    fields = TYPED | {"phone": "12"}
    response = client_for(world.supervisor).post(
        url("person_edit", case, person_id=person.pk), fields
    )
    assert response.status_code == 200
    assert 'id="person_phone_error"' in response.content.decode()
    person.refresh_from_db()
    assert person.phone == "+923001234567"


@pytest.mark.parametrize(
    "persona", ["intake_officer", "provincial_officer", "outsider", "analyst", "auditor"]
)
def test_correction_is_404_for_those_who_may_not(
    world: World, client_for: ClientFor, persona: str
) -> None:
    case = lahore_case(world)
    person = record(world, case)
    client = client_for(getattr(world, persona))
    address = url("person_edit", case, person_id=person.pk)
    assert client.get(address).status_code == 404
    assert client.post(address, TYPED | {"full_name": "X Y"}).status_code == 404
    person.refresh_from_db()
    assert person.full_name == "Shamim Masih"


def test_a_person_from_another_case_is_404_under_this_one(
    world: World, client_for: ClientFor
) -> None:
    person = record(world, lahore_case(world))
    other = lahore_case(world)
    client = client_for(world.case_officer)
    assert client.get(url("person_edit", other, person_id=person.pk)).status_code == 404
    assert client.post(url("person_remove", other, person_id=person.pk)).status_code == 404


# --- Removing a person --------------------------------------------------------------------


def test_the_case_officer_removes_a_person_and_the_record_stays(
    world: World, client_for: ClientFor
) -> None:
    case = lahore_case(world)
    person = record(world, case)
    client = client_for(world.case_officer)
    address = url("person_remove", case, person_id=person.pk)
    assert client.get(address).status_code == 405
    response = client.post(address)
    assert response.status_code == 302
    assert not CasePerson.objects.filter(case=case).exists()
    assert Person.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize("persona", ["intake_officer", "outsider", "analyst"])
def test_removal_is_404_for_those_who_may_not(
    world: World, client_for: ClientFor, persona: str
) -> None:
    case = lahore_case(world)
    person = record(world, case)
    response = client_for(getattr(world, persona)).post(
        url("person_remove", case, person_id=person.pk)
    )
    assert response.status_code == 404
    assert CasePerson.objects.filter(case=case).exists()


# --- Every view: outsiders, wrong roles and visitors ----------------------------------------


def every_address(case: Case, person: Person) -> list[str]:
    return [
        url("person_add", case),
        url("person_link", case),
        url("person_edit", case, person_id=person.pk),
        url("person_remove", case, person_id=person.pk),
    ]


@pytest.mark.parametrize("persona", ["outsider", "analyst", "auditor", "administrator"])
def test_every_people_view_is_404_to_outsiders_and_wrong_roles(
    world: World, client_for: ClientFor, persona: str
) -> None:
    case = lahore_case(world)
    person = record(world, case)
    client = client_for(getattr(world, persona))
    for address in every_address(case, person):
        assert client.get(address).status_code == 404, address
        body = TYPED | {"person_id": person.pk}
        assert client.post(address, body).status_code == 404, address
    assert CasePerson.objects.filter(case=case).count() == 1


def test_every_people_view_sends_visitors_to_sign_in(world: World) -> None:
    case = lahore_case(world)
    person = record(world, case)
    for address in every_address(case, person):
        for response in (Client().get(address), Client().post(address, TYPED)):
            assert response.status_code == 302
            assert "/account/sign-in/" in response["Location"]
    assert CasePerson.objects.filter(case=case).count() == 1


def test_the_add_form_has_its_own_page_linked_from_the_case(
    world: World, client_for: ClientFor
) -> None:
    # Not rendered into every view of the case: most views add nobody.
    case = lahore_case(world)
    client = client_for(world.intake_officer)
    case_page = client.get(case.get_absolute_url()).content.decode()
    assert f'href="{url("person_add", case)}"' in case_page
    assert 'name="full_name"' not in case_page
    form_page = client.get(url("person_add", case))
    assert form_page.status_code == 200
    assert 'name="full_name"' in form_page.content.decode()


def test_post_only_views_answer_405_to_a_get_from_an_allowed_user(
    world: World, client_for: ClientFor
) -> None:
    case = lahore_case(world)
    client = client_for(world.intake_officer)
    assert client.get(url("person_link", case)).status_code == 405
