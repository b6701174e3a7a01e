"""The synthetic people generator: reproducible, varied, and never a real person's identifiers."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from meesaq.demo.names import COMMUNITIES, MOHALLAS, STREETS, TOWNS
from meesaq.demo.people import (
    FAITHS,
    PeopleGenerator,
    SyntheticPerson,
    is_synthetic_cnic,
    is_synthetic_phone,
)

CNIC_SHAPE = re.compile(r"^\d{5}-\d{7}-\d$")
PHONE_SHAPE = re.compile(r"^03\d{2}-\d{7}$")
MANY = 500


def is_arabic_script(text: str) -> bool:
    """Say whether every letter of a text is in the Arabic block (U+0600-U+06FF)."""
    letters = [character for character in text if not character.isspace()]
    return bool(letters) and all("\u0600" <= character <= "\u06ff" for character in letters)


@pytest.fixture(scope="module")
def crowd() -> list[SyntheticPerson]:
    return PeopleGenerator(seed=7).people(MANY)


def test_the_same_seed_gives_the_same_people() -> None:
    assert PeopleGenerator(seed=42).people(50) == PeopleGenerator(seed=42).people(50)


def test_different_seeds_give_different_people() -> None:
    assert PeopleGenerator(seed=1).people(50) != PeopleGenerator(seed=2).people(50)


def test_every_community_and_both_main_genders_appear_in_five_hundred_people(
    crowd: list[SyntheticPerson],
) -> None:
    faiths = Counter(person.faith for person in crowd)
    genders = Counter(person.gender for person in crowd)

    assert set(faiths) == set(FAITHS)
    assert set(FAITHS) == {
        "muslim",
        "christian",
        "hindu",
        "sikh",
        "ahmadi",
        "parsi",
        "bahai",
        "kalash",
        "other",
    }
    assert genders["female"] > MANY // 4
    assert genders["male"] > MANY // 4
    assert set(genders) <= {"female", "male", "transgender"}


def test_minorities_are_weighted_well_above_their_share_of_the_population(
    crowd: list[SyntheticPerson],
) -> None:
    faiths = Counter(person.faith for person in crowd)

    assert faiths["muslim"] < MANY // 2
    assert faiths["christian"] > MANY // 10
    assert faiths["hindu"] > MANY // 10


def test_every_cnic_is_cnic_shaped_and_starts_with_the_unused_digit_zero(
    crowd: list[SyntheticPerson],
) -> None:
    for person in crowd:
        assert CNIC_SHAPE.match(person.cnic), person.cnic
        assert person.cnic.startswith("0")
        assert is_synthetic_cnic(person.cnic)


def test_the_cnic_last_digit_is_odd_for_men_and_even_for_women(
    crowd: list[SyntheticPerson],
) -> None:
    for person in crowd:
        last = int(person.cnic[-1])
        if person.gender == "male":
            assert last % 2 == 1, person.cnic
        elif person.gender == "female":
            assert last % 2 == 0, person.cnic


def test_every_phone_is_mobile_shaped_and_in_the_unallocated_0390_block(
    crowd: list[SyntheticPerson],
) -> None:
    for person in crowd:
        assert PHONE_SHAPE.match(person.phone), person.phone
        assert person.phone.startswith("0390-")
        assert is_synthetic_phone(person.phone)


def test_it_tells_real_cnics_from_synthetic_ones() -> None:
    assert is_synthetic_cnic("01234-1234567-1")
    assert is_synthetic_cnic("0123412345671")
    assert not is_synthetic_cnic("35202-1234567-1")
    assert not is_synthetic_cnic("3520212345671")
    assert not is_synthetic_cnic("01234-123456-1")
    assert not is_synthetic_cnic("not a cnic")


def test_it_tells_real_phone_numbers_from_synthetic_ones_in_any_usual_spelling() -> None:
    assert is_synthetic_phone("0390-1234567")
    assert is_synthetic_phone("+92 390 1234567")
    assert is_synthetic_phone("0092-390-1234567")
    assert is_synthetic_phone("923901234567")
    assert not is_synthetic_phone("0300-1234567")
    assert not is_synthetic_phone("+92 345 1234567")
    assert not is_synthetic_phone("0390-123456")
    assert not is_synthetic_phone("042-35761234")


def test_urdu_names_and_addresses_are_written_in_arabic_script(
    crowd: list[SyntheticPerson],
) -> None:
    for person in crowd:
        for text in (
            person.given_name_ur,
            person.family_name_ur,
            person.father_name_ur,
            person.address_ur,
        ):
            assert is_arabic_script(text), text


def test_every_name_in_the_tables_has_an_arabic_script_spelling() -> None:
    tables = [STREETS, MOHALLAS, TOWNS]
    for community in COMMUNITIES:
        tables += [community.male, community.female, community.family, community.female_family]
    for table in tables:
        for english, urdu in table:
            assert english.isascii(), english
            assert is_arabic_script(urdu), (english, urdu)


def test_major_communities_have_at_least_fifteen_given_names_per_gender() -> None:
    for community in COMMUNITIES:
        if community.faith in {"muslim", "christian", "hindu", "sikh"}:
            assert len(community.male) >= 15, community.faith
            assert len(community.female) >= 15, community.faith


def test_sikh_men_are_singh_and_sikh_women_are_kaur() -> None:
    generator = PeopleGenerator(seed=3)

    man = generator.person(faith="sikh", gender="male")
    woman = generator.person(faith="sikh", gender="female")

    assert (man.family_name_en, man.family_name_ur) == ("Singh", "سنگھ")
    assert (woman.family_name_en, woman.family_name_ur) == ("Kaur", "کور")
    assert woman.father_name_en.endswith(" Singh")


def test_it_draws_a_person_of_the_faith_and_gender_asked_for() -> None:
    generator = PeopleGenerator(seed=5)

    people = [generator.person(faith="hindu", gender="female") for _ in range(20)]

    assert {person.faith for person in people} == {"hindu"}
    assert {person.gender for person in people} == {"female"}


def test_it_refuses_an_unknown_faith_or_gender() -> None:
    generator = PeopleGenerator(seed=5)

    with pytest.raises(ValueError, match="faith"):
        generator.person(faith="unknown")
    with pytest.raises(ValueError, match="gender"):
        generator.person(gender="unknown")


def test_addresses_are_generic_without_house_numbers(crowd: list[SyntheticPerson]) -> None:
    generator = PeopleGenerator(seed=9)
    addresses = [person.address_en for person in crowd]
    addresses += [generator.street_address() for _ in range(50)]

    for address in addresses:
        assert not any(character.isdigit() for character in address), address
        assert address.count(", ") == 2
    assert generator.street_address(town="Mithi").endswith(", Mithi")


def test_street_addresses_are_reproducible_for_a_seed() -> None:
    first = [PeopleGenerator(seed=11).street_address() for _ in range(3)]
    again = [PeopleGenerator(seed=11).street_address() for _ in range(3)]

    assert first == again
