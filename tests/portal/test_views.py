"""The portal's pages: lodge step by step without JavaScript, see the code once, track, add."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from meesaq.cases.models import ActionKind, Case, CaseAction, Channel, Status
from meesaq.cases.services.actions import action_add
from meesaq.portal.models import Ticket
from tests.personas import World
from tests.portal.conftest import PROGRAM, upload
from tests.portal.pages import STORY, lodge_through_pages, track_through_pages

INTERNAL = "Internal: check the accused's links with the SHO."
PUBLIC = "An officer will visit you on Monday."


def test_the_landing_page_says_who_sees_the_complaint_and_greets_in_sindhi(db: None) -> None:
    page = Client().get("/ur/report/").content.decode()
    assert 'lang="sd"' in page
    assert 'dir="rtl"' in page
    assert 'id="privacy"' in page


def test_a_complaint_lodged_in_urdu_appears_in_the_centres_queue(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = Client()
    lodge_through_pages(client, "ur")
    case = Case.objects.get()
    assert case.status == Status.RECEIVED
    assert case.channel == Channel.PORTAL
    assert case.organisation == world.lahore_centre
    assert case.groups.filter(code="christian").exists()
    queue = client_for(world.intake_officer).get("/en/cases/").content.decode()
    assert case.reference in queue
    outsider_list = client_for(world.outsider).get("/en/cases/").content.decode()
    assert case.reference not in outsider_list


def test_the_code_and_pin_are_shown_once(db: None, world: World) -> None:
    client = Client()
    lodge_through_pages(client)
    again = client.get("/en/report/done/").content.decode()
    assert "ticket-pin" not in again


def test_the_draft_is_encrypted_in_the_session_and_never_in_an_address(world: World) -> None:
    client = Client()
    client.post("/en/report/what/", {"category": "threats"})
    client.post("/en/report/where/", {"district": "PK617"})
    response = client.post("/en/report/story/", {"narrative": STORY})
    assert "Shamim" not in response["Location"]
    stored = "".join(
        str(session.get_decoded()) + session.session_data for session in Session.objects.all()
    )
    assert "Shamim" not in stored
    assert "portal_draft" in stored


def test_a_step_with_a_missing_answer_shows_an_error_summary(world: World) -> None:
    client = Client()
    response = client.post("/en/report/what/", {})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'role="alert"' in page


def test_the_check_page_sends_only_when_the_required_answers_are_there(world: World) -> None:
    response = Client().get("/en/report/check/")
    assert response.status_code == 302
    assert response["Location"] == "/en/report/what/"


def test_tracking_shows_status_and_published_notes_but_no_internal_content(
    world: World,
) -> None:
    client = Client()
    code, pin = lodge_through_pages(
        client, contact={"contact": "contact", "full_name": "Shamim Masih", "phone": "03001234567"}
    )
    case = Case.objects.get()
    for note, public in ((INTERNAL, False), (PUBLIC, True)):
        action_add(
            actor=world.case_officer,
            case=case,
            kind=ActionKind.NOTE,
            occurred_on=timezone.localdate(),
            note=note,
            public=public,
        )
    page = track_through_pages(Client(), code, pin)
    assert PUBLIC in page
    for secret in (INTERNAL, "Shamim", case.reference, "caseofficer", STORY):
        assert secret not in page


def test_a_wrong_pin_gets_the_generic_answer(world: World) -> None:
    client = Client()
    code, _pin = lodge_through_pages(client)
    response = Client().post("/en/track/", {"code": code, "pin": "000000"})
    assert response.status_code == 400
    assert "could not find a complaint with this code and PIN" in response.content.decode()


def test_the_status_page_without_a_checked_ticket_sends_to_the_tracking_form(db: None) -> None:
    response = Client().get("/en/track/status/")
    assert response.status_code == 302
    assert response["Location"] == "/en/track/"


def test_information_added_on_the_status_page_lands_on_the_case(world: World, media: Path) -> None:
    client = Client()
    code, pin = lodge_through_pages(client)
    tracker = Client()
    track_through_pages(tracker, code, pin)
    response = tracker.post("/en/track/add/", {"text": "They came back last night."})
    assert response.status_code == 302
    entry = CaseAction.objects.get(case=Case.objects.get())
    assert entry.from_complainant


def test_a_false_extension_upload_on_the_status_page_is_refused(world: World, media: Path) -> None:
    client = Client()
    code, pin = lodge_through_pages(client)
    tracker = Client()
    track_through_pages(tracker, code, pin)
    response = tracker.post(
        "/en/track/add/",
        {"text": "photo", "attachments": [upload("photo.jpg", PROGRAM, "image/jpeg")]},
    )
    assert response.status_code == 400
    assert "content decides" in response.content.decode()
    assert not CaseAction.objects.filter(case=Case.objects.get()).exists()


def test_leaving_closes_the_complaint_on_this_device(world: World) -> None:
    client = Client()
    code, pin = lodge_through_pages(client)
    tracker = Client()
    track_through_pages(tracker, code, pin)
    tracker.post("/en/track/leave/")
    assert tracker.get("/en/track/status/")["Location"] == "/en/track/"


def test_a_false_extension_evidence_file_refuses_the_complaint(world: World, media: Path) -> None:
    client = Client()
    for step, data in (
        ("what", {"category": "threats"}),
        ("where", {"district": "PK617"}),
        ("story", {"narrative": STORY}),
        ("contact", {"contact": "anonymous"}),
    ):
        client.post(f"/en/report/{step}/", data)
    response = client.post(
        "/en/report/check/", {"attachments": [upload("photo.jpg", PROGRAM, "image/jpeg")]}
    )
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_the_pin_waits_for_its_page_sealed_in_the_session(world: World) -> None:
    from tests.portal.pages import answers

    client = Client()
    for step, data in answers():
        client.post(f"/en/report/{step}/", data)
    client.post("/en/report/check/", {"website": ""})
    pin = Ticket.objects.get().pin_hash
    stored = "".join(session.session_data for session in Session.objects.all())
    decoded = "".join(str(session.get_decoded()) for session in Session.objects.all())
    shown = client.get("/en/report/done/").content.decode()
    found = re.search(r'ticket-pin">(\d+)<', shown)
    assert found
    assert found.group(1) not in stored + decoded
    assert pin
