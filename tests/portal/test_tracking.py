"""Tracking: code and PIN open the complainant's view, which never shows internal content."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from meesaq.cases.models import ActionKind, Attachment, CaseAction, Status
from meesaq.cases.services.actions import action_add
from meesaq.core.errors import MeesaqError
from meesaq.portal import services
from meesaq.portal.selectors import tracking_view
from tests.personas import World
from tests.portal.conftest import PDF, PNG, PROGRAM, fake_request, lodge, upload

INTERNAL = "Internal: the SHO is a cousin of the accused; do not tell her yet."
PUBLIC = "We spoke to the police station; an officer will visit you on Monday."


def test_the_right_code_and_pin_open_the_ticket(world: World) -> None:
    lodged = lodge()
    ticket = services.ticket_check(code=lodged.code, pin=lodged.pin, request=fake_request())
    assert ticket.case == lodged.case


def test_a_code_typed_loosely_still_matches(world: World) -> None:
    lodged = lodge()
    typed = lodged.code.replace("-", " ").lower()
    assert services.ticket_check(code=typed, pin=lodged.pin, request=fake_request())


def test_a_wrong_pin_and_an_unknown_code_get_the_same_answer(world: World) -> None:
    lodged = lodge()
    with pytest.raises(MeesaqError) as wrong_pin:
        services.ticket_check(code=lodged.code, pin="000000", request=fake_request())
    with pytest.raises(MeesaqError) as unknown:
        services.ticket_check(code="ZZZ-ZZZ-ZZZ", pin=lodged.pin, request=fake_request())
    with pytest.raises(MeesaqError) as malformed:
        services.ticket_check(code="hello", pin="1", request=fake_request())
    assert str(wrong_pin.value.message) == str(unknown.value.message)
    assert str(unknown.value.message) == str(malformed.value.message)


@override_settings(MEESAQ_PORTAL_TRACK_LIMIT_PER_CODE=3, MEESAQ_PORTAL_TRACK_LIMIT_PER_ADDRESS=100)
def test_guessing_the_pin_of_one_code_is_throttled_even_from_many_addresses(world: World) -> None:
    lodged = lodge()
    for number in range(3):
        with pytest.raises(MeesaqError):
            services.ticket_check(
                code=lodged.code, pin="111111", request=fake_request(f"198.51.100.{number}")
            )
    with pytest.raises(MeesaqError) as error:
        services.ticket_check(
            code=lodged.code, pin=lodged.pin, request=fake_request("198.51.100.99")
        )
    assert error.value.code == "rate_limited"


@override_settings(MEESAQ_PORTAL_TRACK_LIMIT_PER_ADDRESS=3, MEESAQ_PORTAL_TRACK_LIMIT_PER_CODE=100)
def test_guessing_many_codes_from_one_address_is_throttled(world: World) -> None:
    lodged = lodge()
    for guess in ("AAA-AAA-AAA", "BBB-BBB-BBB", "CCC-CCC-CCC"):
        with pytest.raises(MeesaqError):
            services.ticket_check(code=guess, pin="123456", request=fake_request("192.0.2.5"))
    with pytest.raises(MeesaqError) as error:
        services.ticket_check(code=lodged.code, pin=lodged.pin, request=fake_request("192.0.2.5"))
    assert error.value.code == "rate_limited"
    assert services.ticket_check(
        code=lodged.code, pin=lodged.pin, request=fake_request("192.0.2.6")
    )


@override_settings(MEESAQ_PORTAL_TRACK_LIMIT_PER_CODE=3, MEESAQ_PORTAL_TRACK_WINDOW_MINUTES=15)
def test_the_throttle_lifts_after_its_window(world: World) -> None:
    import time_machine as tm

    lodged = lodge()
    start = timezone.now()
    with tm.travel(start, tick=False):
        for _ in range(3):
            with pytest.raises(MeesaqError):
                services.ticket_check(code=lodged.code, pin="111111", request=fake_request())
    with tm.travel(start + timedelta(minutes=16), tick=False):
        assert services.ticket_check(code=lodged.code, pin=lodged.pin, request=fake_request())


def test_the_view_shows_only_published_notes_and_never_internal_content(world: World) -> None:
    lodged = lodge(anonymous=False, full_name="Shamim Masih", phone="0300-1234567")
    case = lodged.case
    action_add(
        actor=world.case_officer,
        case=case,
        kind=ActionKind.NOTE,
        occurred_on=timezone.localdate(),
        note=INTERNAL,
    )
    action_add(
        actor=world.case_officer,
        case=case,
        kind=ActionKind.NOTE,
        occurred_on=timezone.localdate(),
        note=PUBLIC,
        public=True,
    )
    view = tracking_view(case.ticket)
    assert [note.text for note in view.notes] == [PUBLIC]
    rendered = repr(view)
    for secret in (INTERNAL, "Shamim", case.reference, world.case_officer.username):
        assert secret not in rendered


def test_the_status_is_told_in_plain_words(world: World) -> None:
    case = lodge().case
    assert "received" in tracking_view(case.ticket).status_words
    case.status = Status.IN_ACTION
    case.save()
    assert "working on" in tracking_view(case.ticket).status_words


def test_added_information_lands_on_the_case_as_the_complainants(world: World, media: Path) -> None:
    lodged = lodge()
    services.information_add(
        ticket=lodged.case.ticket,
        text="They came back last night.",
        files=[upload("letter.pdf", PDF, "application/pdf")],
        request=fake_request(),
    )
    entry = CaseAction.objects.get(case=lodged.case)
    assert entry.from_complainant
    assert entry.author is None
    assert not entry.public
    attachment = Attachment.objects.get(case=lodged.case)
    assert attachment.action == entry
    assert attachment.from_complainant


def test_an_added_file_with_a_false_extension_is_refused_and_nothing_is_added(
    world: World, media: Path
) -> None:
    lodged = lodge()
    with pytest.raises(MeesaqError) as error:
        services.information_add(
            ticket=lodged.case.ticket,
            text="see the photo",
            files=[upload("photo.png", PROGRAM)],
            request=fake_request(),
        )
    assert error.value.code == "file_type"
    assert not CaseAction.objects.filter(case=lodged.case).exists()
    assert not Attachment.objects.filter(case=lodged.case).exists()


def test_nothing_can_be_added_to_a_closed_complaint(world: World) -> None:
    lodged = lodge()
    lodged.case.status = Status.CLOSED
    lodged.case.save()
    with pytest.raises(MeesaqError):
        services.information_add(ticket=lodged.case.ticket, text="more", request=fake_request())


def test_an_empty_addition_is_refused(world: World) -> None:
    lodged = lodge()
    with pytest.raises(MeesaqError):
        services.information_add(ticket=lodged.case.ticket, text="  ", request=fake_request())


def test_a_png_file_can_be_added_without_text(world: World, media: Path) -> None:
    lodged = lodge()
    services.information_add(
        ticket=lodged.case.ticket, text="", files=[upload("p.png", PNG)], request=fake_request()
    )
    assert Attachment.objects.filter(case=lodged.case, from_complainant=True).count() == 1
