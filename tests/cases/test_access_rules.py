"""The cases rules of the access module: who sees which case and whose identity."""

from __future__ import annotations

from meesaq.access import policy
from meesaq.cases.models import Case, Person
from tests.cases.factories import add_person, make_case
from tests.personas import World


def test_each_role_sees_the_cases_the_spec_gives_it(world: World) -> None:
    lahore = make_case(organisation=world.lahore_centre)
    faisalabad = make_case(organisation=world.faisalabad_centre)

    def visible(persona: str) -> set[str]:
        user = world.personas()[persona]
        return set(policy.scoped(user, Case).values_list("reference", flat=True))

    assert visible("intake_officer") == {lahore.reference}
    assert visible("case_officer") == {lahore.reference}
    assert visible("supervisor") == {lahore.reference}
    assert visible("provincial_officer") == {lahore.reference, faisalabad.reference}
    assert visible("outsider") == {faisalabad.reference}
    for persona in ("analyst", "auditor", "administrator", "partner_caseworker"):
        assert visible(persona) == set(), persona


def test_a_case_officer_sees_a_case_assigned_from_another_organisation(world: World) -> None:
    other = make_case(organisation=world.lahore_hr_office, assigned_to=world.case_officer)
    assert policy.scoped(world.case_officer, Case).filter(pk=other.pk).exists()
    assert policy.may_see_identity(world.case_officer, other)


def test_provincial_officers_see_cases_but_not_identities_until_they_break_the_glass(
    world: World,
) -> None:
    case = make_case(organisation=world.lahore_centre)
    person = add_person(case)
    assert policy.may_see_identity(world.intake_officer, case)
    assert policy.may_see_identity(world.intake_officer, person)
    assert policy.may_see_identity(world.supervisor, person)
    assert not policy.may_see_identity(world.provincial_officer, person)
    assert policy.may_break_glass(world.provincial_officer, person)
    assert not policy.may_see_identity(world.outsider, person)
    assert not policy.scoped(world.outsider, Person).filter(pk=person.pk).exists()


def test_case_actions_follow_the_roles(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    assert policy.may(world.intake_officer, "cases.create")
    assert policy.may(world.intake_officer, "cases.triage", case)
    assert not policy.may(world.intake_officer, "cases.act", case)
    assert policy.may(world.case_officer, "cases.act", case)
    assert not policy.may(world.case_officer, "cases.supervise", case)
    assert policy.may(world.supervisor, "cases.supervise", case)
    assert not policy.may(world.outsider, "cases.triage", case)
    assert not policy.may(world.analyst, "cases.create")


def test_references_encode_province_district_and_year(world: World) -> None:
    first = make_case(organisation=world.lahore_centre)
    second = make_case(organisation=world.lahore_centre)
    year = first.received_at.year
    assert first.reference == f"PB-LHR-{year}-000001"
    assert second.reference == f"PB-LHR-{year}-000002"
    assert make_case(organisation=world.faisalabad_centre).reference.startswith("PB-FSL-")
