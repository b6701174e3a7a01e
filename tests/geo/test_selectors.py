"""The tree API: lookups, ancestors, descendants, "is within", search, filters for other models."""

from __future__ import annotations

from typing import Any

from meesaq.geo.models import AdminUnit, Level
from meesaq.geo.selectors import (
    unit_ancestors,
    unit_choices,
    unit_descendants,
    unit_get,
    unit_is_within,
    unit_search,
    units_children,
    units_within_q,
)
from tests.geo.helpers import division


def test_unit_get_finds_a_pcode_in_any_case_and_answers_none_when_missing(db: None) -> None:
    lahore = unit_get(" pk617 ")
    assert lahore is not None
    assert lahore.name_en == "Lahore"
    assert unit_get("PK999") is None


def test_the_ancestors_of_a_tehsil_come_province_first_in_one_query(
    db: None, django_assert_num_queries: Any
) -> None:
    tehsil = AdminUnit.objects.get(pcode="PK61701")
    with django_assert_num_queries(1):
        ancestors = unit_ancestors(tehsil)
    assert [unit.pcode for unit in ancestors] == ["PK6", division("Lahore").pcode, "PK617"]


def test_a_province_has_no_ancestors_and_costs_no_query(
    db: None, django_assert_num_queries: Any
) -> None:
    punjab = AdminUnit.objects.get(pcode="PK6")
    with django_assert_num_queries(0):
        assert unit_ancestors(punjab) == []


def test_punjab_has_36_districts_below_it(db: None) -> None:
    punjab = AdminUnit.objects.get(pcode="PK6")
    assert unit_descendants(punjab, level=Level.DISTRICT).count() == 36
    assert unit_descendants(punjab, level=Level.DIVISION).count() == 9
    assert unit_descendants(punjab, level=Level.TEHSIL).count() == 139


def test_descendants_do_not_include_the_unit_itself(db: None) -> None:
    lahore = AdminUnit.objects.get(pcode="PK617")
    codes = set(unit_descendants(lahore).values_list("pcode", flat=True))
    assert "PK617" not in codes
    assert codes
    assert all(code.startswith("PK617") for code in codes)


def test_is_within_answers_without_a_query(db: None, django_assert_num_queries: Any) -> None:
    punjab, sindh = AdminUnit.objects.get(pcode="PK6"), AdminUnit.objects.get(pcode="PK7")
    lahore, faisalabad = AdminUnit.objects.get(pcode="PK617"), AdminUnit.objects.get(pcode="PK608")
    tehsil = AdminUnit.objects.get(pcode="PK61701")
    with django_assert_num_queries(0):
        assert unit_is_within(tehsil, punjab)
        assert unit_is_within(tehsil, lahore)
        assert unit_is_within(lahore, lahore)
        assert not unit_is_within(lahore, faisalabad)
        assert not unit_is_within(lahore, sindh)
        assert not unit_is_within(punjab, lahore)


def test_is_within_is_not_fooled_by_a_sibling_whose_code_extends_another(db: None) -> None:
    lahore = AdminUnit.objects.get(pcode="PK617")
    assert lahore.parent is not None
    sibling = AdminUnit(pcode="PK6171", path=f"{lahore.parent.path}/PK6171")
    assert sibling.path.startswith(lahore.path)
    assert not unit_is_within(sibling, lahore)
    assert unit_is_within(sibling, lahore.parent)


def test_the_root_children_are_the_seven_provinces(db: None) -> None:
    assert list(units_children(None).values_list("pcode", flat=True)) == [
        "PK1",
        "PK2",
        "PK3",
        "PK4",
        "PK5",
        "PK6",
        "PK7",
    ]


def test_the_children_of_punjab_are_its_nine_divisions(db: None) -> None:
    children = units_children(AdminUnit.objects.get(pcode="PK6"))
    assert {unit.level for unit in children} == {Level.DIVISION}
    assert children.count() == 9


def test_search_finds_english_and_urdu_names_and_pcodes(db: None) -> None:
    assert {"PK617", division("Lahore").pcode} <= set(
        unit_search("lahore").values_list("pcode", flat=True)
    )
    assert list(unit_search("پنجاب").values_list("pcode", flat=True)) == ["PK6"]
    assert "PK61701" in set(unit_search("pk617").values_list("pcode", flat=True))
    assert not unit_search("   ").exists()


def test_units_within_q_filters_rows_by_a_jurisdiction_subtree(db: None) -> None:
    lahore = AdminUnit.objects.get(pcode="PK617")
    # AdminUnit's own parent link plays the part of another model's jurisdiction field.
    within = AdminUnit.objects.filter(units_within_q("parent", lahore))
    assert set(within.values_list("parent_id", flat=True)) == {"PK617"}
    assert within.count() == unit_descendants(lahore, level=Level.TEHSIL).count()


def test_choices_group_districts_under_their_province_in_one_query(
    db: None, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        groups = unit_choices(levels=(Level.PROVINCE, Level.DISTRICT))
    assert len(groups) == 7
    punjab = dict(groups)["Punjab"]
    assert punjab[0] == ("PK6", "Punjab (Province or territory)")
    assert len(punjab) == 37
    assert ("PK617", "Lahore (District)") in punjab
