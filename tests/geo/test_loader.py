"""Loading the reference data: counts, divisions, idempotency, administrators' work kept."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from meesaq.accounts.models import User
from meesaq.geo.loader import load_places
from meesaq.geo.models import AdminUnit, Level
from meesaq.geo.selectors import unit_is_within
from meesaq.geo.services import unit_create, unit_update_names
from tests.geo.helpers import division
from tests.personas import World


def test_it_loads_every_province_division_district_and_tehsil(db: None) -> None:
    counts = {level: AdminUnit.objects.filter(level=level).count() for level in Level}
    assert counts == {
        Level.PROVINCE: 7,
        Level.DIVISION: 30,
        Level.DISTRICT: 160,
        Level.TEHSIL: 577,
    }


def test_divisions_slot_between_province_and_district(db: None) -> None:
    lahore = AdminUnit.objects.get(pcode="PK617")
    lahore_division = division("Lahore")
    assert lahore.parent == lahore_division
    assert lahore_division.parent_id == "PK6"
    assert lahore.path == f"PK6/{lahore_division.pcode}/PK617"
    assert lahore_division.pcode.startswith("PK6DV")
    assert not lahore_division.official
    assert AdminUnit.objects.get(pcode="PK61701").path == f"{lahore.path}/PK61701"


def test_districts_without_a_division_sit_under_their_province(db: None) -> None:
    assert AdminUnit.objects.get(pcode="PK401").path == "PK4/PK401"
    assert AdminUnit.objects.get(pcode="PK101").parent_id == "PK1"


def test_every_path_ends_with_its_pcode_below_its_parent(db: None) -> None:
    units = {unit.pcode: unit for unit in AdminUnit.objects.all()}
    for unit in units.values():
        expected = f"{units[unit.parent_id].path}/{unit.pcode}" if unit.parent_id else unit.pcode
        assert unit.path == expected


def test_a_second_load_creates_and_changes_nothing(db: None) -> None:
    before = list(AdminUnit.objects.values_list("pcode", "path", "name_en", "name_ur"))
    result = load_places()
    assert (result.created, result.updated) == (0, 0)
    assert list(AdminUnit.objects.values_list("pcode", "path", "name_en", "name_ur")) == before


def test_it_recreates_a_missing_unit_and_repairs_a_changed_one(db: None) -> None:
    AdminUnit.objects.filter(pcode="PK61701").delete()
    AdminUnit.objects.filter(pcode="PK617").update(name_en="Lahore (typo)")
    result = load_places()
    assert (result.created, result.updated) == (1, 1)
    assert AdminUnit.objects.get(pcode="PK617").name_en == "Lahore"
    assert AdminUnit.objects.get(pcode="PK61701").parent_id == "PK617"


def test_the_command_reports_what_it_did(db: None) -> None:
    out = StringIO()
    call_command("load_places", stdout=out)
    assert out.getvalue().strip() == (
        "Places: 0 created, 0 refreshed, 0 added by administrators kept."
    )


def _murree(admin: User) -> AdminUnit:
    return unit_create(
        actor=admin,
        parent=division("Rawalpindi"),
        pcode="PK637",
        name_en="Murree",
        name_ur="مری",
        level=Level.DISTRICT,
    )


def test_a_district_added_by_an_administrator_survives_a_reload(world: World) -> None:
    murree = _murree(world.administrator)
    tehsil = unit_create(
        actor=world.administrator,
        parent=murree,
        pcode="PK63701",
        name_en="Murree",
        level=Level.TEHSIL,
    )
    result = load_places()
    assert (result.created, result.updated, result.kept) == (0, 0, 2)
    reloaded = AdminUnit.objects.get(pcode="PK637")
    assert (reloaded.name_en, reloaded.name_ur, reloaded.path) == ("Murree", "مری", murree.path)
    assert reloaded.added_by_admin
    assert not reloaded.official
    assert unit_is_within(reloaded, AdminUnit.objects.get(pcode="PK6"))
    assert AdminUnit.objects.get(pcode="PK63701").path == tehsil.path


def test_a_reload_repairs_the_path_of_a_unit_added_below_a_moved_unit(world: World) -> None:
    murree = _murree(world.administrator)
    AdminUnit.objects.filter(pcode="PK637").update(path="PK6/PK6DV99/PK637")
    load_places()
    assert AdminUnit.objects.get(pcode="PK637").path == murree.path


def test_urdu_names_given_by_administrators_survive_a_reload(world: World) -> None:
    lahore = AdminUnit.objects.get(pcode="PK617")
    unit_update_names(actor=world.administrator, unit=lahore, name_ur="لاہور")
    islamabad = AdminUnit.objects.get(pcode="PK4")
    unit_update_names(actor=world.administrator, unit=islamabad, name_ur="اسلام آباد")
    load_places()
    assert AdminUnit.objects.get(pcode="PK617").name_ur == "لاہور"
    assert AdminUnit.objects.get(pcode="PK4").name_ur == "اسلام آباد"


def test_the_data_set_fills_a_missing_province_urdu_name(db: None) -> None:
    AdminUnit.objects.filter(pcode="PK6").update(name_ur="")
    result = load_places()
    assert result.updated == 1
    assert AdminUnit.objects.get(pcode="PK6").name_ur == "پنجاب"
