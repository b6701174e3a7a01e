"""Property-based tests of the other values people type: tracking codes and PINs, references,
dates and times (in ASCII, Urdu and Arabic-Indic digits), and whole import rows.

Each parser gives the one canonical value for every way of writing it, and anything else is a
clear refusal (an empty answer, ``None`` or a listed problem), never an exception.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django import forms
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from meesaq.cases.selectors.cases import CaseFilters, case_list_for_user, search_kind
from meesaq.core.fields import LocalDateField, LocalDateTimeField
from meesaq.imports import columns
from meesaq.portal.codes import (
    ALPHABET,
    CODE_LENGTH,
    code_display,
    code_find_in,
    code_normalise,
    pin_normalise,
)
from tests.cases.factories import make_case
from tests.personas import World

NUMERALS = {
    "ascii": "0123456789",
    "urdu": "۰۱۲۳۴۵۶۷۸۹",
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
}
numeral_systems = st.sampled_from(sorted(NUMERALS))
codes = st.text(alphabet=ALPHABET, min_size=CODE_LENGTH, max_size=CODE_LENGTH)
any_text = st.text(max_size=60)
days = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))
minutes = st.times().map(lambda t: time(t.hour, t.minute))


def written_in(text: str, system: str) -> str:
    return text.translate(str.maketrans("0123456789", NUMERALS[system]))


# --- Tracking codes and PINs ----------------------------------------------------------------


@given(codes, numeral_systems, st.sampled_from(["", "-", " ", "  ", "\u200f", "."]), st.booleans())
def test_every_way_of_typing_a_code_gives_the_code(
    code: str, system: str, separator: str, lower: bool
) -> None:
    typed = written_in(code_display(code).replace("-", separator), system)
    assert code_normalise(typed.lower() if lower else typed) == code


@given(any_text)
def test_a_typed_code_is_either_a_stored_code_or_empty(text: str) -> None:
    found = code_normalise(text)
    assert found == "" or (len(found) == CODE_LENGTH and set(found) <= set(ALPHABET))


@given(st.lists(any_text.filter(lambda t: not code_normalise(t)), max_size=4), codes)
def test_a_code_is_found_in_any_message_around_it(words: list[str], code: str) -> None:
    message = " ".join([*words, code_display(code).lower(), *words])
    assert code in code_find_in(message)


@given(st.text(alphabet="0123456789", min_size=6, max_size=6), numeral_systems)
def test_a_pin_in_any_numerals_reads_as_its_ascii_digits(pin: str, system: str) -> None:
    assert pin_normalise(f" {written_in(pin[:3], system)} {written_in(pin[3:], system)} ") == pin


# --- References -----------------------------------------------------------------------------


references = st.builds(
    "{}-{}-{}-{:06d}".format,
    st.sampled_from(["PB", "SD", "KP", "BA", "IS"]),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=3, max_size=3),
    st.integers(min_value=2000, max_value=2099),
    st.integers(min_value=1, max_value=9_999_999),
)


@given(references, numeral_systems, st.booleans())
def test_a_reference_is_recognised_however_it_is_typed(
    reference: str, system: str, lower: bool
) -> None:
    typed = written_in(reference, system)
    assert search_kind(f"  {typed.lower() if lower else typed} ") == "reference"


# --- Dates and times ------------------------------------------------------------------------


@given(days, numeral_systems)
def test_an_import_date_in_any_numerals_is_that_date(day: date, system: str) -> None:
    assert columns.parse_date(written_in(day.isoformat(), system)) == day


@given(days, minutes, numeral_systems, st.sampled_from(["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]))
def test_an_import_date_and_time_in_any_numerals_is_that_moment(
    day: date, moment: time, system: str, pattern: str
) -> None:
    typed = written_in(datetime.combine(day, moment).strftime(pattern), system)
    parsed = columns.parse_datetime(typed)
    assert parsed is not None
    assert timezone.localtime(parsed).replace(tzinfo=None) == datetime.combine(day, moment)


@given(any_text)
def test_import_dates_and_flags_never_fail_on_any_text(text: str) -> None:
    assert columns.parse_date(text) is None or isinstance(columns.parse_date(text), date)
    assert columns.parse_datetime(text) is None or isinstance(
        columns.parse_datetime(text), datetime
    )
    assert columns.yes_no(text) in {True, False, None}


@given(days, numeral_systems)
def test_a_form_date_typed_in_any_numerals_is_that_date(day: date, system: str) -> None:
    assert LocalDateField().clean(written_in(day.isoformat(), system)) == day


@given(days, minutes, numeral_systems)
def test_a_form_date_and_time_typed_in_any_numerals_is_that_moment(
    day: date, moment: time, system: str
) -> None:
    field = LocalDateTimeField(input_formats=["%Y-%m-%dT%H:%M"])
    cleaned = field.clean(written_in(f"{day.isoformat()}T{moment:%H:%M}", system))
    assert timezone.localtime(cleaned).replace(tzinfo=None) == datetime.combine(day, moment)


@given(any_text)
def test_a_form_date_is_either_a_date_or_a_validation_error(text: str) -> None:
    try:
        assert isinstance(LocalDateField().clean(text), date)
    except forms.ValidationError as error:
        assert error.messages  # a message for the user, in their language


# --- Import rows ----------------------------------------------------------------------------

row_values = st.fixed_dictionaries(
    {},
    optional={
        name: st.one_of(
            any_text,
            st.sampled_from(
                [
                    "yes",
                    "ہاں",
                    "PK617",
                    "threats",
                    written_in("2026-01-02 10:00", "urdu"),
                    "x" * 3000,
                ]
            ),
        )
        for name in columns.NAMES
    },
)


@pytest.mark.django_db
@given(values=row_values)
def test_any_import_row_is_either_importable_or_listed_problems_with_messages(
    values: dict[str, str],
) -> None:
    context = columns.Context(
        categories={"threats"}, groups={"christian"}, units={}, reach=["PK6"], now=timezone.now()
    )
    problems = columns.check_row(values, row=2, context=context)
    for problem in problems:
        assert problem.column in columns.NAMES or problem.column == ""
        assert columns.problem_text(problem.code, problem.args)  # a message for the user


@pytest.mark.django_db
def test_a_case_is_found_by_its_reference_typed_in_urdu_digits(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    typed = written_in(case.reference.lower(), "urdu")
    page = case_list_for_user(user=world.case_officer, filters=CaseFilters(query=typed))
    assert [found.reference for found in page.cases] == [case.reference]
