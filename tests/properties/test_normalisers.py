"""Property-based tests of the parsers people's input goes through: CNICs, phones, names, search.

Every parser either returns a value in its one canonical form or refuses with a MeesaqError
(a translated message); nothing else ever escapes, whatever is typed.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meesaq.cases.selectors.cases import search_kind
from meesaq.core.errors import MeesaqError
from meesaq.crypto.blind_index import name_tokens, normalise_cnic, normalise_phone

URDU_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
SEPARATORS = ["", "-", " ", ".", "\u00a0", "\u200f", "\u200e", "\u2013", "/"]
E164 = re.compile(r"^\+92[2-9]\d{8,9}$")

digit_strings = st.text(alphabet="0123456789", min_size=13, max_size=13)
any_text = st.text(max_size=60)


def in_urdu_digits(text: str) -> str:
    return text.translate(str.maketrans("0123456789", URDU_DIGITS))


@st.composite
def written_cnics(draw: st.DrawFn) -> tuple[str, str]:
    """A CNIC's digits, and the way someone might type them."""
    digits = draw(digit_strings)
    separator = draw(st.sampled_from(SEPARATORS))
    typed = f"{digits[:5]}{separator}{digits[5:12]}{separator}{digits[12]}"
    if draw(st.booleans()):
        typed = in_urdu_digits(typed)
    return digits, f"{draw(st.sampled_from(['', ' ']))}{typed}{draw(st.sampled_from(['', ' ']))}"


@given(written_cnics())
def test_every_way_of_writing_a_cnic_gives_its_13_digits(case: tuple[str, str]) -> None:
    digits, typed = case
    assert normalise_cnic(typed) == digits


@given(any_text)
def test_a_cnic_is_either_13_ascii_digits_or_a_clear_refusal(text: str) -> None:
    try:
        result = normalise_cnic(text)
    except MeesaqError as error:
        assert error.code == "invalid_cnic"
        assert "13 digits" in str(error.message)
    else:
        assert result.isascii() and result.isdigit() and len(result) == 13
        assert normalise_cnic(result) == result


@st.composite
def written_mobiles(draw: st.DrawFn) -> tuple[str, str]:
    """A mobile number's national digits, and one of the ways it is written."""
    national = "3" + draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
    separator = draw(st.sampled_from(SEPARATORS))
    body = f"{national[:3]}{separator}{national[3:]}"
    prefix = draw(st.sampled_from(["0", "+92 ", "+92", "0092", "92", "+92 0", ""]))
    typed = prefix + body
    if draw(st.booleans()):
        typed = in_urdu_digits(typed)
    return national, typed


@given(written_mobiles())
def test_every_way_of_writing_a_mobile_number_gives_one_e164_form(case: tuple[str, str]) -> None:
    national, typed = case
    assert normalise_phone(typed) == "+92" + national


@given(any_text)
def test_a_phone_is_either_e164_or_a_clear_refusal(text: str) -> None:
    try:
        result = normalise_phone(text)
    except MeesaqError as error:
        assert error.code == "invalid_phone"
    else:
        assert E164.match(result), result
        assert normalise_phone(result) == result


@given(st.text(max_size=80))
def test_name_tokens_never_fail_and_are_lower_case_and_distinct(name: str) -> None:
    tokens = name_tokens(name)
    assert len(tokens) == len(set(tokens))
    assert all(token and token == token.lower() and " " not in token for token in tokens)


@given(
    st.lists(st.sampled_from(["Parveen", "Masih", "Muhammad", "Ali", "پروین", "مسیح"]), max_size=4)
)
def test_name_tokens_ignore_case_spacing_and_punctuation(words: list[str]) -> None:
    plain = " ".join(words)
    noisy = "  ,".join(word.upper() for word in words) + " ."
    assert name_tokens(noisy) == name_tokens(plain)


@given(any_text)
def test_search_kind_is_always_one_of_the_known_kinds(query: str) -> None:
    assert search_kind(query) in {"", "reference", "cnic", "phone", "name"}


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("pb-lhr-2026-000123", "reference"),
        ("35202-1234567-1", "cnic"),
        ("۰۳۰۰-۱۲۳۴۵۶۷", "phone"),
        ("Parveen", "name"),
        ("   ", ""),
    ],
)
def test_search_kind_recognises_each_kind(query: str, kind: str) -> None:
    assert search_kind(query) == kind
