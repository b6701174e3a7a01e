"""A status change tells the case's followers in-app and, with consent, the complainant by SMS."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django_tasks_db.models import DBTaskResult

from meesaq.cases.models import Case, Status
from meesaq.cases.services.workflow import case_transition
from meesaq.notifications.models import MessageTemplate, Notification
from meesaq.notifications.tasks import send_sms_task
from meesaq.sla.services import case_follow
from tests.cases.factories import add_person, make_case
from tests.personas import World

PHONE = "+923001234567"


def _sms_jobs() -> list[DBTaskResult[..., Any]]:
    return list(DBTaskResult.objects.filter(task_path=send_sms_task.module_path))


def _register(world: World, case: Case, capture: Any) -> None:
    with capture(execute=True):
        case_transition(actor=world.case_officer, case=case, to_status=Status.REGISTERED)


def test_followers_but_not_the_actor_are_told_the_new_status(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case(organisation=world.lahore_centre)
    case_follow(user=world.supervisor, case=case)
    case_follow(user=world.case_officer, case=case)
    case_follow(user=world.outsider, case=case)  # cannot see the case: not told
    _register(world, case, django_capture_on_commit_callbacks)
    (note,) = Notification.objects.filter(event="case.status_changed")
    assert note.recipient == world.supervisor
    assert note.text_en == f"Case {case.reference} is now Registered."
    with translation.override("ur"):
        urdu_status = str(Status.REGISTERED.label)
    assert case.reference in note.text_ur
    assert urdu_status in note.text_ur
    assert note.case == case
    assert note.link == f"/en/cases/{case.reference}/"


def test_registration_sends_the_complainant_an_sms_with_consent(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case(organisation=world.lahore_centre, consent_contact=True)
    add_person(case, phone=PHONE)
    _register(world, case, django_capture_on_commit_callbacks)
    (job,) = _sms_jobs()
    with translation.override("ur"):
        status_word = str(Status.REGISTERED.label)
    urdu = MessageTemplate.objects.get(event="case.status_changed", channel="sms").text_ur
    assert job.args_kwargs["kwargs"] == {
        "to": PHONE,
        "text": urdu.format(reference=case.reference, status=status_word),
    }


def test_registration_without_consent_sends_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case(organisation=world.lahore_centre, consent_contact=False)
    add_person(case, phone=PHONE)
    _register(world, case, django_capture_on_commit_callbacks)
    assert _sms_jobs() == []


def test_other_steps_send_the_complainant_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case(
        organisation=world.lahore_centre, consent_contact=True, status=Status.REGISTERED
    )
    add_person(case, phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(actor=world.case_officer, case=case, to_status=Status.IN_ACTION)
    assert _sms_jobs() == []
