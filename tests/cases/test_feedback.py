"""Closing the loop: closure in plain words, feedback request, answer, and a request to reopen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation

from meesaq.audit.models import AuditEvent
from meesaq.cases.models import (
    ActionKind,
    Case,
    CaseAction,
    ComplainantFeedback,
    FeedbackAnswer,
    FeedbackChannel,
    Outcome,
    Status,
)
from meesaq.cases.services.feedback import (
    CLOSURE_EXPLANATIONS,
    closure_explanation,
    closure_explanation_texts,
    feedback_record_answer,
    feedback_reopen_request,
    feedback_request,
)
from meesaq.cases.views.feedback import feedback_section
from meesaq.core.errors import MeesaqError
from meesaq.notifications import services as notification_services
from meesaq.notifications.models import Notification
from tests.cases.factories import make_case
from tests.personas import World

NOW = datetime(2026, 3, 14, 7, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _closed(world: World, *, consent: bool = True, outcome: str = "remedy_provided") -> Case:
    return make_case(
        organisation=world.lahore_centre,
        status=Status.CLOSED,
        outcome=Outcome.objects.get(code=outcome),
        closed_at=NOW,
        consent_contact=consent,
        assigned_to=world.case_officer,
    )


def _requested(world: World, **kwargs: Any) -> Case:
    case = _closed(world, **kwargs)
    feedback_request(case=case, actor=world.supervisor)
    return case


def answer_url(case: Case) -> str:
    return f"/en/cases/{case.reference}/feedback/answer/"


def reopen_url(case: Case) -> str:
    return f"/en/cases/{case.reference}/feedback/reopen/"


def test_the_closure_is_explained_in_plain_words_for_each_outcome_and_ending(
    world: World,
) -> None:
    case = _closed(world, outcome="referred_completed")
    assert closure_explanation(case) == CLOSURE_EXPLANATIONS["referred_completed"]
    withdrawn = make_case(organisation=world.lahore_centre, status=Status.WITHDRAWN)
    assert closure_explanation(withdrawn) == CLOSURE_EXPLANATIONS["withdrawn"]
    assert closure_explanation(make_case(organisation=world.lahore_centre)) is None
    texts = closure_explanation_texts(case)
    assert set(texts) == {"en", "ur"}
    assert texts["en"].startswith("Your complaint was passed to another office")


def test_every_seeded_outcome_has_an_explanation(db: None) -> None:
    assert set(Outcome.objects.values_list("code", flat=True)) <= set(CLOSURE_EXPLANATIONS)


def test_without_consent_to_contact_nobody_is_contacted(world: World) -> None:
    case = _closed(world, consent=False)
    feedback = feedback_request(case=case, actor=world.supervisor)
    assert feedback.channel == FeedbackChannel.NONE
    assert not CaseAction.objects.filter(case=case).exists()
    event = AuditEvent.objects.get(action="cases.feedback_requested")
    assert event.detail == {"channel": "none"}


def test_with_consent_an_sms_goes_or_staff_get_a_call_task(world: World) -> None:
    case = _closed(world, consent=True)
    feedback = feedback_request(case=case, actor=world.supervisor)
    if hasattr(notification_services, "message_complainant"):
        assert feedback.channel in {FeedbackChannel.SMS, FeedbackChannel.CALL}
    else:
        assert feedback.channel == FeedbackChannel.CALL
    if feedback.channel == FeedbackChannel.CALL:
        task = CaseAction.objects.get(case=case)
        assert task.kind == ActionKind.FOLLOW_UP
        assert task.note == "Call the complainant for feedback"
        assert task.next_action_on is not None


def test_staff_record_the_answer_with_an_encrypted_comment(
    world: World, client_for: Callable[[Any], Client]
) -> None:
    case = _requested(world)
    response = client_for(world.case_officer).post(
        answer_url(case),
        {"answer": FeedbackAnswer.NOT_SATISFIED, "comment": "Akbar Khan still threatens us."},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/en/cases/{case.reference}/"
    feedback = ComplainantFeedback.objects.get(case=case)
    assert feedback.answer == FeedbackAnswer.NOT_SATISFIED
    assert feedback.recorded_by == world.case_officer
    assert feedback.answered_at == NOW
    assert feedback.comment == "Akbar Khan still threatens us."
    with connection.cursor() as cursor:
        cursor.execute("SELECT comment FROM cases_complainantfeedback WHERE id = %s", [feedback.pk])
        (stored,) = cursor.fetchone()
    assert "Akbar" not in str(stored)
    event = AuditEvent.objects.get(action="cases.feedback_recorded")
    assert "Akbar" not in str(event.detail)


def test_an_answer_needs_a_feedback_request_and_a_valid_choice(world: World) -> None:
    case = _closed(world)
    with pytest.raises(MeesaqError) as error:
        feedback_record_answer(actor=world.case_officer, case=case, answer="satisfied")
    assert error.value.code == "no_feedback_request"
    feedback_request(case=case, actor=world.supervisor)
    with pytest.raises(MeesaqError) as error:
        feedback_record_answer(actor=world.case_officer, case=case, answer="delighted")
    assert error.value.code == "answer_invalid"


def test_an_intake_officer_cannot_record_an_answer(world: World) -> None:
    case = _requested(world)
    with pytest.raises(MeesaqError) as error:
        feedback_record_answer(actor=world.intake_officer, case=case, answer="satisfied")
    assert error.value.code == "forbidden"


def test_feedback_pages_answer_404_to_outsiders_and_wrong_roles(
    world: World, client_for: Callable[[Any], Client]
) -> None:
    case = _requested(world)
    for user in (world.outsider, world.analyst, world.partner_caseworker):
        client = client_for(user)
        assert client.post(answer_url(case), {"answer": "satisfied"}).status_code == 404
        assert client.post(reopen_url(case)).status_code == 404
    assert ComplainantFeedback.objects.get(case=case).answer == ""


def test_feedback_pages_send_anonymous_visitors_to_sign_in(world: World, client: Client) -> None:
    case = _requested(world)
    for url in (answer_url(case), reopen_url(case)):
        assert client.post(url)["Location"].startswith("/en/account/sign-in/")


def test_a_dissatisfied_complainant_asks_to_reopen_and_the_supervisors_hear_of_it(
    world: World, client_for: Callable[[Any], Client]
) -> None:
    case = _requested(world)
    feedback_record_answer(actor=world.case_officer, case=case, answer=FeedbackAnswer.NOT_SATISFIED)
    later = NOW + timedelta(days=29)
    with time_machine.travel(later, tick=False):
        response = client_for(world.case_officer).post(reopen_url(case))
    assert response.status_code == 302
    feedback = ComplainantFeedback.objects.get(case=case)
    assert feedback.reopen_requested_at == later
    assert feedback.reopen_requested_by == world.case_officer
    (note,) = Notification.objects.filter(event="cases.reopen_requested")
    assert note.recipient == world.supervisor
    assert note.case == case
    assert case.reference in note.text_en
    assert note.link == f"/en/cases/{case.reference}/"
    assert not Notification.objects.filter(recipient=world.outsider).exists()
    case.refresh_from_db()
    assert case.status == Status.CLOSED  # the supervisor decides with the reopen step


def test_a_reopen_request_after_the_window_is_refused(world: World) -> None:
    case = _requested(world)
    feedback_record_answer(actor=world.case_officer, case=case, answer=FeedbackAnswer.PARTLY)
    with (
        time_machine.travel(NOW + timedelta(days=31), tick=False),
        pytest.raises(MeesaqError) as error,
    ):
        feedback_reopen_request(actor=world.case_officer, case=case)
    assert error.value.code == "reopen_window_passed"
    assert not Notification.objects.exists()


def test_the_window_follows_the_setting(world: World, settings: Any) -> None:
    settings.MEESAQ_FEEDBACK_REOPEN_DAYS = 60
    case = _requested(world)
    feedback_record_answer(actor=world.case_officer, case=case, answer=FeedbackAnswer.NOT_SATISFIED)
    with time_machine.travel(NOW + timedelta(days=45), tick=False):
        feedback_reopen_request(actor=world.case_officer, case=case)
    assert ComplainantFeedback.objects.get(case=case).reopen_requested_at is not None


@pytest.mark.parametrize("answer", [FeedbackAnswer.SATISFIED, FeedbackAnswer.NO_ANSWER, ""])
def test_only_a_dissatisfied_answer_allows_a_reopen_request(world: World, answer: str) -> None:
    case = _requested(world)
    if answer:
        feedback_record_answer(actor=world.case_officer, case=case, answer=answer)
    with pytest.raises(MeesaqError) as error:
        feedback_reopen_request(actor=world.case_officer, case=case)
    assert error.value.code == "reopen_not_dissatisfied"


def test_a_reopen_is_asked_for_once(world: World) -> None:
    case = _requested(world)
    feedback_record_answer(actor=world.case_officer, case=case, answer=FeedbackAnswer.NOT_SATISFIED)
    feedback_reopen_request(actor=world.case_officer, case=case)
    with pytest.raises(MeesaqError) as error:
        feedback_reopen_request(actor=world.case_officer, case=case)
    assert error.value.code == "reopen_already"
    assert Notification.objects.count() == 1


def test_the_case_page_section_shows_the_explanation_the_answer_and_the_reopen_request(
    world: World,
) -> None:
    case = _requested(world)
    feedback_record_answer(
        actor=world.case_officer,
        case=case,
        answer=FeedbackAnswer.NOT_SATISFIED,
        comment="Nothing changed in the village.",
    )
    request = RequestFactory().get("/")
    section = feedback_section(request=request, user=world.case_officer, case=case)
    assert section["may_request_reopen"] is True
    html = render_to_string("cases/_feedback.html", {"section": section})
    assert "the help or remedy you needed was provided" in html
    assert "Not satisfied" in html
    assert "Nothing changed in the village." in html
    assert f"/en/cases/{case.reference}/feedback/reopen/" in html
    feedback_reopen_request(actor=world.case_officer, case=case)
    section = feedback_section(request=request, user=world.case_officer, case=case)
    assert section["may_request_reopen"] is False
    html = render_to_string("cases/_feedback.html", {"section": section})
    assert "Reopen requested by the complainant" in html


def test_the_comment_stays_hidden_from_those_who_do_not_see_identity(world: World) -> None:
    case = _requested(world)
    feedback_record_answer(
        actor=world.case_officer, case=case, answer="partly", comment="Yousaf Gill helped."
    )
    request = RequestFactory().get("/")
    section = feedback_section(request=request, user=world.provincial_officer, case=case)
    with translation.override("en"):
        html = render_to_string("cases/_feedback.html", {"section": section})
    assert "Yousaf Gill" not in html
    assert "your role does not see it" in html
