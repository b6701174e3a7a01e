"""Finding people already known, through blind indexes, and only within the user's reach."""

# Urdu digits and Unicode hyphens are what these tests type on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

from typing import Any

import pytest

from meesaq.accounts.models import User
from meesaq.cases.models import Case, Person, PersonRole
from meesaq.cases.selectors.people import people_matching, people_on_case
from meesaq.cases.services.people import person_add_to_case, person_link_existing
from tests.cases.factories import make_case
from tests.personas import World

pytestmark = pytest.mark.django_db


def lahore_case(world: World) -> Case:
    return make_case(organisation=world.lahore_centre, recorded_by=world.intake_officer)


def record(world: World, case: Case, actor: User | None = None, **identity: Any) -> Person:
    link = person_add_to_case(
        actor=actor or world.intake_officer,
        case=case,
        role=identity.pop("role", PersonRole.COMPLAINANT),
        gender="female",
        age_band="30-49",
        faith="christian",
        disability=False,
        **identity,
    )
    return link.person


@pytest.mark.parametrize(
    "typed", ["3520212345671", "35202 1234567 1", "۳۵۲۰۲-۱۲۳۴۵۶۷-۱", "35202‐1234567‐1"]
)
def test_it_finds_the_same_cnic_however_it_is_typed(world: World, typed: str) -> None:
    person = record(world, lahore_case(world), full_name="Shamim Masih", cnic="35202-1234567-1")
    matches = people_matching(user=world.intake_officer, cnic=typed)
    assert [(m.person_id, m.matched_on) for m in matches] == [(person.pk, ("cnic",))]


@pytest.mark.parametrize("typed", ["0300-1234567", "+92 300 1234567", "3001234567", "۰۳۰۰۱۲۳۴۵۶۷"])
def test_it_finds_the_same_phone_however_it_is_typed(world: World, typed: str) -> None:
    person = record(world, lahore_case(world), phone="00923001234567")
    matches = people_matching(user=world.case_officer, phone=typed)
    assert [(m.person_id, m.matched_on) for m in matches] == [(person.pk, ("phone",))]


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Muhammad Akram", "Mohammad Akram"),
        ("Muhammad Akram", "Mohd. Akram"),
        ("Shamim Masih", "Shamim Maseeh"),
        ("Shamim Masih", "SHAMIM  MASIH"),
        ("شمیم مسیح", "شَمِیم مَسِیح"),
        ("شمیم مسیح", "شميم مسيح"),
        ("Shamim Masih Gill", "Gill Shamim"),
    ],
)
def test_it_finds_spelling_variants_of_a_name(world: World, stored: str, typed: str) -> None:
    person = record(world, lahore_case(world), full_name=stored)
    matches = people_matching(user=world.supervisor, full_name=typed)
    assert [(m.person_id, m.matched_on) for m in matches] == [(person.pk, ("name",))]


def test_a_name_match_needs_every_word_and_at_least_two(world: World) -> None:
    record(world, lahore_case(world), full_name="Shamim Masih")
    assert people_matching(user=world.supervisor, full_name="Shamim Bibi") == []
    assert people_matching(user=world.supervisor, full_name="Masih") == []
    assert people_matching(user=world.supervisor, full_name="Shamim Masih Gill") == []


def test_blank_and_invalid_input_finds_nobody(world: World) -> None:
    record(world, lahore_case(world), full_name="", cnic="", phone="")
    assert people_matching(user=world.supervisor) == []
    assert people_matching(user=world.supervisor, cnic="123", phone="abc") == []


def test_it_says_every_way_a_person_matched(world: World) -> None:
    person = record(
        world,
        lahore_case(world),
        full_name="Shamim Masih",
        cnic="35202-1234567-1",
        phone="0300-1234567",
    )
    other = record(world, lahore_case(world), full_name="Shamim Maseeh")
    matches = people_matching(
        user=world.intake_officer,
        cnic="3520212345671",
        phone="03001234567",
        full_name="Shamim Masih",
    )
    assert [(m.person_id, m.matched_on) for m in matches] == [
        (person.pk, ("cnic", "phone", "name")),
        (other.pk, ("name",)),
    ]


def test_the_intake_officer_sees_the_identity_of_a_match(world: World) -> None:
    case = lahore_case(world)
    person = record(world, case, full_name="Shamim Masih", cnic="35202-1234567-1")
    [match] = people_matching(user=world.intake_officer, cnic="3520212345671")
    assert match.identity is not None
    assert {str(label): value for label, value in match.identity} == {
        "Name": "Shamim Masih",
        "CNIC": "35202-1234567-1",
    }
    assert match.case_references == (case.reference,)
    assert match.pseudonym == f"P-{person.pk}"
    assert not match.may_break_glass


def test_the_provincial_officer_sees_only_the_pseudonym_and_may_break_the_glass(
    world: World,
) -> None:
    case = lahore_case(world)
    person = record(world, case, full_name="Shamim Masih", cnic="35202-1234567-1")
    [match] = people_matching(user=world.provincial_officer, cnic="35202-1234567-1")
    assert match.identity is None
    assert match.pseudonym == f"P-{person.pk}"
    assert match.case_references == (case.reference,)
    assert match.may_break_glass
    assert "Shamim" not in repr(match)


def test_people_outside_the_users_reach_are_never_found(world: World) -> None:
    record(world, lahore_case(world), full_name="Shamim Masih", cnic="35202-1234567-1")
    for user in (world.outsider, world.analyst, world.auditor, world.partner_caseworker):
        assert people_matching(user=user, cnic="3520212345671", full_name="Shamim Masih") == []


def test_only_the_cases_the_user_can_see_are_listed(world: World) -> None:
    lahore = lahore_case(world)
    person = record(world, lahore, full_name="Shamim Masih", cnic="35202-1234567-1")
    faisalabad = make_case(organisation=world.faisalabad_centre)
    person_link_existing(
        actor=world.provincial_officer, case=faisalabad, person=person, role=PersonRole.WITNESS
    )
    [seen_by_lahore] = people_matching(user=world.intake_officer, cnic="3520212345671")
    assert seen_by_lahore.case_references == (lahore.reference,)
    [seen_by_outsider] = people_matching(user=world.outsider, cnic="3520212345671")
    assert seen_by_outsider.case_references == (faisalabad.reference,)


def test_people_on_a_case_show_demographics_to_all_and_identity_to_those_who_need_it(
    world: World,
) -> None:
    case = lahore_case(world)
    person = record(world, case, full_name="Shamim Masih", role=PersonRole.VICTIM)
    [shown] = people_on_case(user=world.case_officer, case=case)
    assert shown.identity is not None
    assert (shown.may_edit, shown.may_remove, shown.may_break_glass) == (True, True, False)
    assert [str(role) for role in shown.roles] == ["Victim or survivor"]
    assert str(shown.demographics.faith) == "Christian"
    [masked] = people_on_case(user=world.provincial_officer, case=case)
    assert masked.identity is None
    assert masked.pseudonym == f"P-{person.pk}"
    assert str(masked.demographics.gender) == "Female"
    assert (masked.may_edit, masked.may_remove, masked.may_break_glass) == (False, True, True)
    [intake] = people_on_case(user=world.intake_officer, case=case)
    assert intake.identity is not None
    assert (intake.may_edit, intake.may_remove) == (False, False)
    assert people_on_case(user=world.outsider, case=case) == []
