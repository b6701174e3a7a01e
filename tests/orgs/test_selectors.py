"""The directory and who may see an organisation's members."""

from __future__ import annotations

from meesaq.geo.models import AdminUnit, Level
from meesaq.geo.services import unit_create
from meesaq.orgs.models import Organisation, OrganisationKind
from meesaq.orgs.selectors import (
    OrganisationFilters,
    members_of,
    organisation_list_for_user,
)
from meesaq.orgs.services import organisation_create, organisation_deactivate
from tests.personas import World


def _codes(world: World, user_name: str, filters: OrganisationFilters) -> set[str]:
    user = world.personas()[user_name]
    return set(
        organisation_list_for_user(user=user, filters=filters).values_list("code", flat=True)
    )


def test_every_signed_in_persona_sees_the_whole_active_directory(world: World) -> None:
    for persona in world.personas():
        assert len(_codes(world, persona, OrganisationFilters())) == 6


def test_the_directory_filters_by_kind_place_and_text(world: World) -> None:
    lahore = AdminUnit.objects.get(pcode="PK617")
    punjab = AdminUnit.objects.get(pcode="PK6")
    assert _codes(world, "analyst", OrganisationFilters(kind=OrganisationKind.POLICE_CENTRE)) == {
        "lhr-police-centre",
        "fsd-police-centre",
    }
    assert _codes(world, "analyst", OrganisationFilters(within=lahore)) == {
        "lhr-police-centre",
        "lhr-hr-office",
        "lhr-community-centre",
        "lhr-legal-aid-ngo",
    }
    assert len(_codes(world, "analyst", OrganisationFilters(within=punjab))) == 6
    assert _codes(world, "analyst", OrganisationFilters(text="FSD")) == {"fsd-police-centre"}


def test_the_place_filter_is_not_fooled_by_a_district_whose_code_extends_lahore(
    world: World,
) -> None:
    lahore = AdminUnit.objects.get(pcode="PK617")
    assert lahore.parent is not None
    trap = unit_create(
        actor=world.administrator,
        parent=lahore.parent,
        pcode="PK6171",
        name_en="Trap district",
        level=Level.DISTRICT,
    )
    organisation_create(
        actor=world.administrator,
        name_en="Trap centre",
        code="trap-centre",
        kind=OrganisationKind.POLICE_CENTRE,
        jurisdiction=trap,
    )
    assert "trap-centre" not in _codes(world, "analyst", OrganisationFilters(within=lahore))


def test_inactive_organisations_are_listed_for_administrators_only(world: World) -> None:
    organisation_deactivate(actor=world.administrator, organisation=world.lahore_ngo)
    assert "lhr-legal-aid-ngo" in _codes(world, "administrator", OrganisationFilters())
    assert "lhr-legal-aid-ngo" not in _codes(world, "supervisor", OrganisationFilters())


def _member_names(world: World, viewer: str, organisation: Organisation) -> list[str] | None:
    members = members_of(organisation, user=world.personas()[viewer])
    return None if members is None else [member.username for member in members]


def test_administrators_and_supervisors_in_scope_see_the_members(world: World) -> None:
    expected = ["caseofficer", "intake", "supervisor"]
    assert _member_names(world, "administrator", world.lahore_centre) == expected
    assert _member_names(world, "supervisor", world.lahore_centre) == expected
    assert _member_names(world, "provincial_officer", world.lahore_centre) == expected
    assert _member_names(world, "supervisor", world.lahore_ngo) == ["partner"]


def test_the_faisalabad_supervisor_does_not_see_lahore_members(world: World) -> None:
    assert _member_names(world, "outsider", world.lahore_centre) is None
    assert _member_names(world, "outsider", world.faisalabad_centre) == ["outsider"]
    # A district supervisor does not see the province-level department's members.
    assert _member_names(world, "supervisor", world.punjab_department) is None


def test_other_roles_do_not_see_members_even_of_their_own_organisation(world: World) -> None:
    for persona in ("intake_officer", "case_officer", "analyst", "auditor"):
        assert _member_names(world, persona, world.lahore_centre) is None, persona
        assert _member_names(world, persona, world.punjab_department) is None, persona
