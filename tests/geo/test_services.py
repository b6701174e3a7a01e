"""Administrators add units and fix names; every refusal explains itself and writes nothing."""

from __future__ import annotations

import pytest

from meesaq.audit.models import AuditEvent
from meesaq.core.errors import MeesaqError
from meesaq.geo.models import AdminUnit, Level
from meesaq.geo.selectors import unit_descendants, unit_is_within
from meesaq.geo.services import unit_create, unit_update_names
from tests.geo.helpers import division
from tests.personas import World


def test_an_administrator_adds_murree_district_under_rawalpindi_division(world: World) -> None:
    rawalpindi = division("Rawalpindi")
    murree = unit_create(
        actor=world.administrator,
        parent=rawalpindi,
        pcode=" pk637 ",
        name_en=" Murree ",
        name_ur="مری",
        level=Level.DISTRICT,
    )
    assert (murree.pcode, murree.name_en, murree.path) == (
        "PK637",
        "Murree",
        f"PK6/{rawalpindi.pcode}/PK637",
    )
    assert murree.added_by_admin
    assert not murree.official
    assert unit_is_within(murree, AdminUnit.objects.get(pcode="PK6"))
    assert unit_descendants(AdminUnit.objects.get(pcode="PK6"), level=Level.DISTRICT).count() == 37
    event = AuditEvent.objects.get(action="geo.unit_created")
    assert (event.object_id, event.actor_id) == ("PK637", world.administrator.pk)
    assert event.detail == {"level": Level.DISTRICT, "parent": rawalpindi.pcode}


def test_a_district_can_sit_right_under_a_province_and_a_division_under_a_province(
    world: World,
) -> None:
    punjab = AdminUnit.objects.get(pcode="PK6")
    unit_create(
        actor=world.administrator, parent=punjab, pcode="PK638", name_en="Talagang", level=3
    )
    unit_create(
        actor=world.administrator, parent=punjab, pcode="PK6DV10", name_en="Murree", level=2
    )
    assert AdminUnit.objects.filter(pcode__in=["PK638", "PK6DV10"], parent=punjab).count() == 2


@pytest.mark.parametrize(
    "case",
    [
        ("PK6", "PK61799", Level.TEHSIL, "parent", "A tehsil must be placed under a district."),
        ("PK61701", "PK6170101", Level.TEHSIL, "parent", "A tehsil must be placed under a"),
        ("PK617", "PK6DV11", Level.DIVISION, "parent", "A division must be placed directly"),
        ("PK61701", "PK639", Level.DISTRICT, "parent", "A district must be placed under"),
        ("PK6", "PK6X", Level.PROVINCE, "level", "Choose a division, a district or a tehsil."),
        ("PK6", "PK617", Level.DISTRICT, "pcode", "The P-code PK617 is already taken"),
        ("PK6", "PK6-37", Level.DISTRICT, "pcode", "A P-code is 3 to 16 letters and digits"),
        ("PK6", "PK", Level.DISTRICT, "pcode", "A P-code is 3 to 16 letters and digits"),
        ("PK6", "PK737", Level.DISTRICT, "pcode", "P-codes in this province start with PK6."),
    ],
)
def test_it_refuses_a_unit_in_the_wrong_place_or_with_a_bad_pcode(
    world: World, case: tuple[str, str, int, str, str]
) -> None:
    parent, pcode, level, field, message = case
    units, events = AdminUnit.objects.count(), AuditEvent.objects.count()
    with pytest.raises(MeesaqError) as refusal:
        unit_create(
            actor=world.administrator,
            parent=AdminUnit.objects.get(pcode=parent),
            pcode=pcode,
            name_en="New place",
            level=level,
        )
    assert any(str(text).startswith(message) for text in refusal.value.fields[field])
    assert (AdminUnit.objects.count(), AuditEvent.objects.count()) == (units, events)


def test_it_refuses_a_unit_without_an_english_name(world: World) -> None:
    with pytest.raises(MeesaqError) as refusal:
        unit_create(
            actor=world.administrator,
            parent=AdminUnit.objects.get(pcode="PK6"),
            pcode="PK637",
            name_en="  ",
            level=Level.DISTRICT,
        )
    assert "name_en" in refusal.value.fields
    assert not AdminUnit.objects.filter(pcode="PK637").exists()


def test_only_administrators_add_units(world: World) -> None:
    for persona, user in world.personas().items():
        if persona == "administrator":
            continue
        with pytest.raises(MeesaqError) as refusal:
            unit_create(
                actor=user,
                parent=AdminUnit.objects.get(pcode="PK6"),
                pcode="PK637",
                name_en="Murree",
                level=Level.DISTRICT,
            )
        assert refusal.value.code == "forbidden"
    assert not AdminUnit.objects.filter(pcode="PK637").exists()


def test_an_administrator_adds_an_urdu_name_and_it_is_audited(world: World) -> None:
    lahore = AdminUnit.objects.get(pcode="PK617")
    unit_update_names(actor=world.administrator, unit=lahore, name_ur=" لاہور ", name_en="Lahore")
    assert AdminUnit.objects.get(pcode="PK617").name_ur == "لاہور"
    event = AuditEvent.objects.get(action="geo.unit_names_updated")
    assert (event.object_id, event.detail) == ("PK617", {"fields": "name_ur"})


def test_saving_the_same_names_again_records_nothing(world: World) -> None:
    punjab = AdminUnit.objects.get(pcode="PK6")
    unit_update_names(actor=world.administrator, unit=punjab, name_ur=punjab.name_ur)
    assert not AuditEvent.objects.filter(action="geo.unit_names_updated").exists()


def test_it_refuses_to_rename_a_unit_from_the_reference_data_in_english(world: World) -> None:
    lahore = AdminUnit.objects.get(pcode="PK617")
    with pytest.raises(MeesaqError) as refusal:
        unit_update_names(
            actor=world.administrator, unit=lahore, name_en="Lahore City", name_ur="لاہور"
        )
    assert refusal.value.code == "name_from_data"
    assert AdminUnit.objects.get(pcode="PK617").name_ur == ""


def test_an_administrator_corrects_the_english_name_of_a_unit_added_here(world: World) -> None:
    added = unit_create(
        actor=world.administrator,
        parent=AdminUnit.objects.get(pcode="PK6"),
        pcode="PK637",
        name_en="Muree",
        level=Level.DISTRICT,
    )
    unit_update_names(actor=world.administrator, unit=added, name_en="Murree", name_ur="مری")
    assert AdminUnit.objects.get(pcode="PK637").name_en == "Murree"
    event = AuditEvent.objects.get(action="geo.unit_names_updated")
    assert event.detail == {"fields": "name_en,name_ur"}


def test_a_too_long_urdu_name_is_refused_and_not_kept_in_memory(world: World) -> None:
    lahore = AdminUnit.objects.get(pcode="PK617")
    with pytest.raises(MeesaqError) as refusal:
        unit_update_names(actor=world.administrator, unit=lahore, name_ur="ل" * 121)
    assert "name_ur" in refusal.value.fields
    assert lahore.name_ur == ""


def test_only_administrators_change_names(world: World) -> None:
    lahore = AdminUnit.objects.get(pcode="PK617")
    with pytest.raises(MeesaqError):
        unit_update_names(actor=world.supervisor, unit=lahore, name_ur="لاہور")
    assert AdminUnit.objects.get(pcode="PK617").name_ur == ""
