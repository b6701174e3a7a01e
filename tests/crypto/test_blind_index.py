"""Normalising CNICs, phone numbers and names, and the keyed, domain-separated blind index."""

# Urdu letters, digits and dashes are what these tests are about, not look-alike typos.
# ruff: noqa: RUF001

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from meesaq.core.errors import MeesaqError
from meesaq.crypto.blind_index import (
    blind_index,
    index_for_cnic,
    index_for_phone,
    name_index_tokens,
    name_tokens,
    normalise_cnic,
    normalise_phone,
)
from tests.crypto.conftest import OTHER_INDEX_KEY


@pytest.mark.parametrize(
    "value",
    [
        "35202-1234567-1",
        "3520212345671",
        " 35202 1234567 1 ",
        "۳۵۲۰۲-۱۲۳۴۵۶۷-۱",  # Urdu digits
        "٣٥٢٠٢-١٢٣٤٥٦٧-١",  # Arabic-Indic digits
        "\u200e35202–1234567–1\u200e",  # en dashes and direction marks from right-to-left input
    ],
)
def test_it_normalises_a_cnic_to_its_thirteen_digits(value: str) -> None:
    assert normalise_cnic(value) == "3520212345671"


@pytest.mark.parametrize(
    "value", ["", "35202-1234567", "35202-1234567-12", "35202-12345G7-1", "CNIC 3520212345671"]
)
def test_it_refuses_a_cnic_that_is_not_thirteen_digits(value: str) -> None:
    with pytest.raises(MeesaqError, match="A CNIC has 13 digits") as error:
        normalise_cnic(value)
    assert error.value.code == "invalid_cnic"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("03001234567", "+923001234567"),
        ("0300-1234567", "+923001234567"),
        ("0300 123 4567", "+923001234567"),
        ("+92 300 1234567", "+923001234567"),
        ("+92-300-1234567", "+923001234567"),
        ("+92 (0)300 1234567", "+923001234567"),
        ("0092 300 1234567", "+923001234567"),
        ("923001234567", "+923001234567"),
        ("3001234567", "+923001234567"),
        ("۰۳۰۰-۱۲۳۴۵۶۷", "+923001234567"),
        ("٠٣٠٠١٢٣٤٥٦٧", "+923001234567"),
        ("042-35761234", "+924235761234"),  # Lahore
        ("021 34567890", "+922134567890"),  # Karachi
        ("051-2345678", "+92512345678"),  # Islamabad
        ("0544-123456", "+92544123456"),  # Jhelum
    ],
)
def test_it_normalises_a_pakistani_phone_number_to_e164(value: str, expected: str) -> None:
    assert normalise_phone(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "12345",
        "0300-123456",  # a digit short
        "0300-12345678",  # a digit long
        "0300-123456a",
        "+44 20 7946 0958",  # not Pakistani
        "+923001234567 ext 2",
        "0300+1234567",
    ],
)
def test_it_refuses_what_is_not_a_pakistani_phone_number(value: str) -> None:
    with pytest.raises(MeesaqError, match="Write a Pakistani phone number") as error:
        normalise_phone(value)
    assert error.value.code == "invalid_phone"


@pytest.mark.parametrize(
    ("variants", "key"),
    [
        (["Muhammad", "Mohammad", "Muhammed", "Mohammed", "Mohd", "MOHD.", "Md"], "mhmd"),
        (["Masih", "Maseeh", "MASIH", "Massih"], "msh"),
        (["Yusuf", "Yousaf", "Yousuf"], "ysf"),
        (["Qasim", "Kasim"], "ksm"),
        (["Parvez", "Pervaiz", "Parwez"], "prvz"),
        (["Umar", "Omar"], "umr"),
        (["Chaudhry", "Chaudri", "Choudhary"], "chdr"),
        (["José", "Jose"], "js"),
    ],
)
def test_it_gives_roman_spellings_of_one_name_the_same_token(variants: list[str], key: str) -> None:
    assert {tuple(name_tokens(variant)) for variant in variants} == {(key,)}


def test_it_splits_a_name_into_distinct_lower_case_tokens_in_order() -> None:
    assert name_tokens("Muhammad Ali  Muhammad-Khan") == ["mhmd", "al", "khn"]
    assert name_tokens("Zia-ul-Haq") == ["z", "ul", "hk"]


def test_it_keeps_different_names_apart() -> None:
    assert name_tokens("Aslam") != name_tokens("Islam")
    assert name_tokens("Bilal") != name_tokens("Iqbal")


@pytest.mark.parametrize(
    "variants",
    [
        ["مُحَمَّد", "محمد", "محمّد", "مـحـمـد"],  # harakat, shadda, tatweel
        ["عَلِی", "علي", "على"],  # Arabic yeh and alef maksura
        ["کریم", "كريم"],  # Arabic kaf and yeh
        ["فاطمہ", "فاطمة", "فاطمه"],  # teh marbuta and Arabic heh
        ["بھٹی", "بهٹی"],  # do-chashmi heh typed as Arabic heh
        ["آصف", "اصف"],  # alef with madda
        ["عائشہ", "عایشہ"],  # hamza on its seat
        ["ﻣﺤﻤﺪ", "محمد"],  # presentation forms from old software
    ],
)
def test_it_unifies_urdu_letter_variants_and_drops_diacritics(variants: list[str]) -> None:
    tokens = {tuple(name_tokens(variant)) for variant in variants}
    assert len(tokens) == 1
    assert len(next(iter(tokens))) == 1


def test_it_splits_urdu_names_on_spaces_and_urdu_punctuation() -> None:
    assert name_tokens("شازیہ بی بی، مسیح۔") == ["شازیہ", "بی", "مسیح"]


def test_it_gives_no_tokens_for_a_blank_name() -> None:
    assert name_tokens("  ") == []
    assert name_index_tokens("") == []


def test_it_keys_the_index_with_the_blind_index_key(settings: Settings) -> None:
    before = blind_index("cnic", "3520212345671")
    assert len(before) == 64
    assert int(before, 16) >= 0
    settings.MEESAQ_BLIND_INDEX_KEY = OTHER_INDEX_KEY
    assert blind_index("cnic", "3520212345671") != before


def test_it_separates_indexes_of_different_kinds() -> None:
    digits = "3001234567890"
    assert blind_index("cnic", digits) != blind_index("phone", digits)
    assert blind_index("name", "mhmd") != blind_index("cnic", "mhmd")


def test_it_refuses_a_kind_that_could_blur_the_separation() -> None:
    with pytest.raises(ValueError, match="blind index kind"):
        blind_index("cnic\x00", "1")


def test_it_indexes_every_way_of_writing_the_same_value_alike() -> None:
    assert index_for_cnic("35202-1234567-1") == index_for_cnic("۳۵۲۰۲۱۲۳۴۵۶۷۱")
    assert index_for_phone("0300-1234567") == index_for_phone("+92 300 1234567")
    assert name_index_tokens("Mohd Masih") == name_index_tokens("Muhammad Maseeh")
    assert index_for_cnic("") == index_for_phone(" ") == ""


def test_it_refuses_to_index_an_invalid_value() -> None:
    with pytest.raises(MeesaqError):
        index_for_cnic("123")
    with pytest.raises(MeesaqError):
        index_for_phone("123")
