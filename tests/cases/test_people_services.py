"""Adding, linking, correcting and removing the people on a case (services/people.py)."""

# Urdu digits and Unicode hyphens are what these tests type on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from meesaq.audit.models import AuditEvent
from meesaq.cases.models import Case, CasePerson, Person, PersonNameToken, PersonRole
from meesaq.cases.services.people import (
    person_add_to_case,
    person_link_existing,
    person_remove_from_case,
    person_update,
)
from meesaq.core.errors import MeesaqError
from meesaq.crypto.blind_index import index_for_cnic, index_for_phone, name_index_tokens
from tests.cases.factories import make_case
from tests.personas import World

pytestmark = pytest.mark.django_db

DEMOGRAPHICS: dict[str, Any] = {
    "gender": "female",
    "age_band": "30-49",
    "faith": "christian",
    "disability": False,
}


def lahore_case(world: World) -> Case:
    return make_case(organisation=world.lahore_centre, recorded_by=world.intake_officer)


def add(world: World, case: Case, **fields: Any) -> CasePerson:
    values: dict[str, Any] = {
        "role": PersonRole.COMPLAINANT,
        "full_name": "Shamim Masih",
        "relative_name": "Yousaf Masih",
        "cnic": "35202-1234567-1",
        "phone": "0300-1234567",
        "address": "House 4, Street 9, Youhanabad",
        **DEMOGRAPHICS,
    }
    values.update(fields)
    actor = values.pop("actor", world.intake_officer)
    return person_add_to_case(actor=actor, case=case, **values)


def identity_of(person: Person) -> dict[str, Any]:
    return {
        name: getattr(person, name)
        for name in ("full_name", "relative_name", "cnic", "phone", "address")
    } | {name: getattr(person, name) for name in DEMOGRAPHICS}


def test_it_adds_a_person_with_normalised_numbers_indexes_and_name_tokens(world: World) -> None:
    case = lahore_case(world)
    link = add(world, case, cnic="35202 1234567 1", phone="+92 300 1234567")
    person = Person.objects.get(pk=link.person_id)
    assert link.case == case
    assert link.role == PersonRole.COMPLAINANT
    assert person.cnic == "3520212345671"
    assert person.phone == "+923001234567"
    assert person.cnic_index == index_for_cnic("3520212345671")
    assert person.phone_index == index_for_phone("03001234567")
    assert person.recorded_by_organisation == world.lahore_centre
    tokens = set(PersonNameToken.objects.filter(person=person).values_list("token", flat=True))
    assert tokens == set(name_index_tokens("Shamim Masih"))


def test_it_tokenises_only_the_full_name_not_the_relatives_name(world: World) -> None:
    link = add(world, lahore_case(world), full_name="Shamim Bibi", relative_name="Yousaf Masih")
    tokens = set(PersonNameToken.objects.filter(person=link.person).values_list("token", flat=True))
    assert tokens == set(name_index_tokens("Shamim Bibi"))
    assert not tokens & set(name_index_tokens("Yousaf"))


def test_it_accepts_numbers_typed_in_urdu_digits(world: World) -> None:
    link = add(world, lahore_case(world), cnic="۳۵۲۰۲-۱۲۳۴۵۶۷-۱", phone="۰۳۰۰-۱۲۳۴۵۶۷")
    person = Person.objects.get(pk=link.person_id)
    assert person.cnic == "3520212345671"
    assert person.phone == "+923001234567"


def test_it_adds_a_person_with_no_identity_at_all(world: World) -> None:
    link = add(
        world,
        lahore_case(world),
        role=PersonRole.PERPETRATOR,
        full_name="",
        relative_name="",
        cnic="",
        phone="",
        address="",
        gender="male",
    )
    person = Person.objects.get(pk=link.person_id)
    assert (person.cnic_index, person.phone_index) == ("", "")
    assert not PersonNameToken.objects.filter(person=person).exists()


@pytest.mark.parametrize(
    ("cnic", "phone", "bad_fields"),
    [
        ("35202-123456", "0300-1234567", {"cnic"}),
        ("۳۵۲۰۲-۱۲۳۴۵۶۷", "0300-1234567", {"cnic"}),
        ("3520212345671", "12345", {"phone"}),
        ("3520212345671", "۰۳۰۰-۱۲۳", {"phone"}),
        ("CNIC-unknown", "0300-123456x", {"cnic", "phone"}),
    ],
)
def test_it_refuses_bad_numbers_on_the_right_field_and_writes_nothing(
    world: World, cnic: str, phone: str, bad_fields: set[str]
) -> None:
    case = lahore_case(world)
    before = (Person.objects.count(), CasePerson.objects.count(), AuditEvent.objects.count())
    with pytest.raises(MeesaqError) as raised:
        add(world, case, cnic=cnic, phone=phone)
    assert set(raised.value.fields) == bad_fields
    if "cnic" in bad_fields:
        assert "13 digits" in str(raised.value.fields["cnic"][0])
    if "phone" in bad_fields:
        assert "Pakistani phone number" in str(raised.value.fields["phone"][0])
    after = (Person.objects.count(), CasePerson.objects.count(), AuditEvent.objects.count())
    assert after == before
    assert not PersonNameToken.objects.exists()


def test_it_refuses_an_unknown_role_or_demographic(world: World) -> None:
    case = lahore_case(world)
    with pytest.raises(MeesaqError) as raised:
        add(world, case, role="bystander")
    assert set(raised.value.fields) == {"role"}
    with pytest.raises(MeesaqError) as raised:
        add(world, case, gender="other", faith="pastafarian")
    assert set(raised.value.fields) == {"gender", "faith"}
    assert not Person.objects.exists()


def test_it_refuses_people_on_a_case_the_actor_cannot_reach(world: World) -> None:
    case = lahore_case(world)
    for actor in (world.outsider, world.analyst, world.auditor):
        with pytest.raises(MeesaqError) as raised:
            add(world, case, actor=actor)
        assert raised.value.code == "forbidden"
    assert not Person.objects.exists()


def test_it_keeps_identity_encrypted_at_rest(world: World) -> None:
    link = add(world, lahore_case(world), full_name="شمیم مسیح")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name, relative_name, cnic, phone, address FROM cases_person WHERE id = %s",
            [link.person_id],
        )
        row = cursor.fetchone()
    assert row is not None
    stored = "\x1f".join(str(value) for value in row)
    for plain in ("شمیم", "Yousaf", "3520212345671", "35202", "3001234567", "Youhanabad"):
        assert plain not in stored
    assert Person.objects.get(pk=link.person_id).full_name == "شمیم مسیح"


def test_it_audits_an_addition_without_personal_data(world: World) -> None:
    case = lahore_case(world)
    link = add(world, case)
    event = AuditEvent.objects.get(action="cases.person_added")
    assert event.actor == world.intake_officer
    assert (event.object_type, event.object_id) == ("cases.case", str(case.pk))
    assert event.detail == {"role": "complainant", "person_id": link.person_id}


def test_it_links_a_person_known_from_another_case(world: World) -> None:
    first, second = lahore_case(world), lahore_case(world)
    person = add(world, first).person
    link = person_link_existing(
        actor=world.case_officer, case=second, person=person, role=PersonRole.WITNESS
    )
    assert (link.case, link.person, link.role) == (second, person, PersonRole.WITNESS)
    assert Person.objects.count() == 1
    event = AuditEvent.objects.get(action="cases.person_linked")
    assert event.detail == {"role": "witness", "person_id": person.pk}


def test_it_refuses_to_link_twice_in_the_same_role(world: World) -> None:
    case = lahore_case(world)
    person = add(world, case).person
    with pytest.raises(MeesaqError) as raised:
        person_link_existing(
            actor=world.intake_officer, case=case, person=person, role=PersonRole.COMPLAINANT
        )
    assert raised.value.code == "already_linked"


def test_it_refuses_to_link_a_person_the_actor_cannot_see(world: World) -> None:
    faisalabad_case = make_case(organisation=world.faisalabad_centre)
    stranger = add(world, faisalabad_case, actor=world.outsider).person
    with pytest.raises(MeesaqError) as raised:
        person_link_existing(
            actor=world.intake_officer,
            case=lahore_case(world),
            person=stranger,
            role=PersonRole.VICTIM,
        )
    assert raised.value.code == "not_found"
    assert CasePerson.objects.filter(person=stranger).count() == 1


def test_a_correction_rebuilds_the_indexes_and_tokens(world: World) -> None:
    person = add(world, lahore_case(world)).person
    values = identity_of(person) | {
        "full_name": "Shamim Gill",
        "cnic": "35202-7654321-3",
        "phone": "",
        "age_band": "50-64",
    }
    person_update(actor=world.case_officer, person=person, **values)
    person.refresh_from_db()
    assert person.cnic == "3520276543213"
    assert person.cnic_index == index_for_cnic("3520276543213")
    assert (person.phone, person.phone_index) == ("", "")
    tokens = set(PersonNameToken.objects.filter(person=person).values_list("token", flat=True))
    assert tokens == set(name_index_tokens("Shamim Gill"))
    event = AuditEvent.objects.get(action="cases.person_updated")
    assert (event.object_type, event.object_id) == ("cases.person", str(person.pk))
    assert event.detail == {"fields": "full_name,cnic,phone,age_band"}


def test_a_correction_that_changes_nothing_writes_nothing(world: World) -> None:
    person = add(world, lahore_case(world)).person
    person_update(actor=world.supervisor, person=person, **identity_of(person))
    assert not AuditEvent.objects.filter(action="cases.person_updated").exists()


def test_a_correction_needs_identity_and_the_right_to_act(world: World) -> None:
    person = add(world, lahore_case(world)).person
    # The intake officer sees the identity but does not act on cases; the provincial officer
    # acts on the case but sees it without identity; the outsider sees neither.
    for actor in (world.intake_officer, world.provincial_officer, world.outsider):
        with pytest.raises(MeesaqError):
            person_update(actor=actor, person=person, **identity_of(person) | {"full_name": "X Y"})
    person.refresh_from_db()
    assert person.full_name == "Shamim Masih"


def test_a_correction_refuses_a_bad_cnic_and_keeps_the_old_one(world: World) -> None:
    person = add(world, lahore_case(world)).person
    with pytest.raises(MeesaqError) as raised:
        person_update(
            actor=world.case_officer, person=person, **identity_of(person) | {"cnic": "123"}
        )
    assert set(raised.value.fields) == {"cnic"}
    person.refresh_from_db()
    assert person.cnic == "3520212345671"


def test_removal_takes_the_person_off_the_case_and_keeps_the_record(world: World) -> None:
    first, second = lahore_case(world), lahore_case(world)
    person = add(world, first).person
    person_link_existing(actor=world.case_officer, case=first, person=person, role="victim")
    person_link_existing(actor=world.case_officer, case=second, person=person, role="witness")
    removed = person_remove_from_case(actor=world.case_officer, case=first, person=person)
    assert removed == 2
    assert Person.objects.filter(pk=person.pk).exists()
    assert list(CasePerson.objects.filter(person=person).values_list("case", flat=True)) == [
        second.pk
    ]
    event = AuditEvent.objects.get(action="cases.person_removed")
    assert event.detail == {"roles": "complainant,victim", "person_id": person.pk}


def test_removal_needs_the_right_to_act(world: World) -> None:
    case = lahore_case(world)
    person = add(world, case).person
    for actor in (world.intake_officer, world.outsider):
        with pytest.raises(MeesaqError):
            person_remove_from_case(actor=actor, case=case, person=person)
    assert CasePerson.objects.filter(case=case, person=person).exists()


def test_removal_refuses_a_person_not_on_the_case(world: World) -> None:
    person = add(world, lahore_case(world)).person
    with pytest.raises(MeesaqError) as raised:
        person_remove_from_case(actor=world.supervisor, case=lahore_case(world), person=person)
    assert raised.value.code == "not_found"
