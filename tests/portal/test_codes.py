"""Tracking codes are easy to read aloud and forgiving to type; PINs are six digits."""

from __future__ import annotations

from meesaq.portal import codes


def test_codes_never_use_look_alike_characters() -> None:
    for _ in range(200):
        code = codes.code_new()
        assert len(code) == codes.CODE_LENGTH
        assert not set(code) & set("01ILOU")


def test_a_code_is_shown_in_three_groups_and_typed_back_in_any_case_or_spacing() -> None:
    shown = codes.code_display("K7M4QX92P")
    assert shown == "K7M-4QX-92P"
    assert codes.code_normalise("k7m 4qx-92p") == "K7M4QX92P"
    assert codes.code_normalise(" K7M-4QX-92P ") == "K7M4QX92P"


def test_a_code_typed_with_urdu_digits_is_understood() -> None:
    typed = "K\u06f7M-\u06f4QX-\u06f9\u06f2P"  # Urdu digits seven, four, nine, two
    assert codes.code_normalise(typed) == "K7M4QX92P"


def test_malformed_codes_normalise_to_nothing() -> None:
    assert codes.code_normalise("K7M-4QX") == ""
    assert codes.code_normalise("K7M-4QX-92O") == ""
    assert codes.code_normalise("") == ""


def test_codes_are_found_inside_a_message() -> None:
    assert codes.code_find_in("My code is k7m-4qx-92p. More: he came back") == ["K7M4QX92P"]


def test_a_pin_is_six_digits_and_urdu_digits_are_accepted() -> None:
    pin = codes.pin_new()
    assert len(pin) == 6
    assert pin.isdigit()
    assert codes.pin_normalise("۱۲۳ ۴۵۶") == "123456"
