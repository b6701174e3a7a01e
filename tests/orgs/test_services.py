"""Administrators create, change, deactivate and reactivate organisations, with an audit row."""

from __future__ import annotations

import pytest

from meesaq.access import policy
from meesaq.audit.models import AuditEvent
from meesaq.core.errors import MeesaqError
from meesaq.geo.models import AdminUnit
from meesaq.orgs.models import Organisation, OrganisationKind
from meesaq.orgs.selectors import organisation_placement_warnings
from meesaq.orgs.services import (
    organisation_create,
    organisation_deactivate,
    organisation_reactivate,
    organisation_update,
)
from tests.personas import World


def _create(world: World, **changes: object) -> Organisation:
    values: dict[str, object] = {
        "actor": world.administrator,
        "name_en": "Lahore Legal Aid Clinic",
        "name_ur": "",
        "code": "LHR-Legal-Clinic",
        "kind": OrganisationKind.CIVIL_SOCIETY,
        "jurisdiction": AdminUnit.objects.get(pcode="PK617"),
        "parent": None,
    }
    values.update(changes)
    return organisation_create(**values)  # type: ignore[arg-type]  # a test's keyword bag


def _update(world: World, organisation: Organisation, **changes: object) -> Organisation:
    values: dict[str, object] = {
        "actor": world.administrator,
        "organisation": organisation,
        "name_en": organisation.name_en,
        "name_ur": organisation.name_ur,
        "code": organisation.code,
        "kind": organisation.kind,
        "jurisdiction": organisation.jurisdiction,
        "parent": organisation.parent,
    }
    values.update(changes)
    return organisation_update(**values)  # type: ignore[arg-type]  # a test's keyword bag


def test_an_administrator_creates_an_organisation_and_it_is_audited(world: World) -> None:
    clinic = _create(world, parent=world.punjab_department)
    assert clinic.code == "lhr-legal-clinic"
    assert clinic.parent == world.punjab_department
    event = AuditEvent.objects.get(action="orgs.organisation_created")
    assert (event.object_id, event.detail) == (
        str(clinic.pk),
        {"kind": "civil_society", "jurisdiction": "PK617"},
    )


def test_only_administrators_create_organisations(world: World) -> None:
    with pytest.raises(MeesaqError) as refusal:
        _create(world, actor=world.provincial_officer)
    assert refusal.value.code == "forbidden"
    assert not Organisation.objects.filter(code="lhr-legal-clinic").exists()


def test_a_taken_code_is_refused_with_a_clear_message(world: World) -> None:
    count = Organisation.objects.count()
    with pytest.raises(MeesaqError) as refusal:
        _create(world, code="LHR-Police-Centre")
    assert refusal.value.fields["code"] == [
        "The short code lhr-police-centre is already used by another organisation."
    ]
    assert Organisation.objects.count() == count
    assert not AuditEvent.objects.filter(action="orgs.organisation_created").exists()


def test_an_invalid_kind_or_blank_name_is_refused(world: World) -> None:
    with pytest.raises(MeesaqError) as refusal:
        _create(world, kind="bakery", name_en=" ")
    assert {"kind", "name_en"} <= set(refusal.value.fields)


def test_an_inactive_parent_is_refused(world: World) -> None:
    organisation_deactivate(actor=world.administrator, organisation=world.faisalabad_centre)
    with pytest.raises(MeesaqError) as refusal:
        _create(world, parent=world.faisalabad_centre)
    assert refusal.value.code == "inactive_parent"


def test_an_organisation_cannot_become_its_own_parent(world: World) -> None:
    with pytest.raises(MeesaqError) as refusal:
        _update(world, world.punjab_department, parent=world.punjab_department)
    assert refusal.value.code == "parent_cycle"


def test_an_organisation_cannot_sit_under_its_own_branch(world: World) -> None:
    _update(world, world.lahore_centre, parent=world.punjab_department)
    branch = _create(world, parent=world.lahore_centre)
    with pytest.raises(MeesaqError) as refusal:
        _update(world, world.punjab_department, parent=branch)
    assert refusal.value.code == "parent_cycle"
    world.punjab_department.refresh_from_db()
    assert world.punjab_department.parent is None


def test_an_update_audits_which_fields_changed(world: World) -> None:
    _update(
        world,
        world.lahore_ngo,
        name_ur="قانونی امداد",
        jurisdiction=AdminUnit.objects.get(pcode="PK61701"),
    )
    world.lahore_ngo.refresh_from_db()
    assert world.lahore_ngo.jurisdiction_id == "PK61701"
    event = AuditEvent.objects.get(action="orgs.organisation_updated")
    assert event.detail == {"fields": "name_ur,jurisdiction"}


def test_an_update_that_changes_nothing_records_nothing(world: World) -> None:
    _update(world, world.lahore_ngo)
    assert not AuditEvent.objects.filter(action="orgs.organisation_updated").exists()


def test_a_refused_update_leaves_the_object_as_it_was(world: World) -> None:
    with pytest.raises(MeesaqError):
        _update(world, world.lahore_ngo, code="fsd-police-centre", name_en="Renamed")
    assert (world.lahore_ngo.code, world.lahore_ngo.name_en) == (
        "lhr-legal-aid-ngo",
        "Lhr Legal Aid Ngo",
    )
    world.lahore_ngo.refresh_from_db()
    assert world.lahore_ngo.code == "lhr-legal-aid-ngo"


def test_a_child_outside_its_parents_jurisdiction_is_only_warned_about(world: World) -> None:
    _update(world, world.faisalabad_centre, parent=world.lahore_centre)
    world.faisalabad_centre.refresh_from_db()
    assert world.faisalabad_centre.parent == world.lahore_centre
    [warning] = organisation_placement_warnings(world.faisalabad_centre)
    assert "outside the jurisdiction of its parent" in warning
    _update(world, world.lahore_centre, parent=world.punjab_department)
    assert organisation_placement_warnings(world.lahore_centre) == []


def test_deactivating_ends_the_roles_held_there(world: World) -> None:
    assert policy.grants_for(world.outsider)
    organisation_deactivate(actor=world.administrator, organisation=world.faisalabad_centre)
    policy.forget_grants(world.outsider)
    assert policy.grants_for(world.outsider) == ()
    assert AuditEvent.objects.filter(action="orgs.organisation_deactivated").count() == 1
    organisation_reactivate(actor=world.administrator, organisation=world.faisalabad_centre)
    policy.forget_grants(world.outsider)
    assert policy.grants_for(world.outsider)
    assert AuditEvent.objects.filter(action="orgs.organisation_reactivated").count() == 1


def test_an_organisation_with_active_branches_is_not_deactivated(world: World) -> None:
    _update(world, world.lahore_centre, parent=world.punjab_department)
    with pytest.raises(MeesaqError) as refusal:
        organisation_deactivate(actor=world.administrator, organisation=world.punjab_department)
    assert refusal.value.code == "active_children"
    world.punjab_department.refresh_from_db()
    assert world.punjab_department.is_active


def test_only_administrators_deactivate(world: World) -> None:
    with pytest.raises(MeesaqError):
        organisation_deactivate(actor=world.supervisor, organisation=world.lahore_centre)
    world.lahore_centre.refresh_from_db()
    assert world.lahore_centre.is_active
