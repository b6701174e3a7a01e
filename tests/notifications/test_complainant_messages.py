"""Complainants get an SMS only with consent and a phone, and only the reference and a status."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from meesaq.cases.models import Case
from meesaq.core.errors import MeesaqError
from meesaq.notifications.services import message_complainant
from meesaq.notifications.tasks import send_sms_task
from tests.cases.factories import add_person, make_case
from tests.personas import World

PHONE = "+923001234567"
PARAMS = {"reference": "PB-LHR-2026-000009", "status": "Registered"}


def _case(world: World, *, consent: bool, phone: str | None = PHONE) -> Case:
    case = make_case(organisation=world.lahore_centre, consent_contact=consent)
    if phone is not None:
        add_person(case, phone=phone)
    return case


def _send(case: Case, capture: Any, **params: str) -> bool:
    with capture(execute=True):
        return message_complainant(
            case=case, event="case.status_changed", params=params or PARAMS, language="en"
        )


def test_without_consent_nothing_is_queued(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    assert not _send(_case(world, consent=False), django_capture_on_commit_callbacks)
    assert not DBTaskResult.objects.exists()


def test_with_consent_but_no_phone_nothing_is_queued(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    assert not _send(_case(world, consent=True, phone=""), django_capture_on_commit_callbacks)
    assert not _send(_case(world, consent=True, phone=None), django_capture_on_commit_callbacks)
    assert not DBTaskResult.objects.exists()


def test_with_consent_and_a_phone_one_sms_carries_only_the_reference_and_status(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    assert _send(_case(world, consent=True), django_capture_on_commit_callbacks)
    (job,) = DBTaskResult.objects.all()
    assert job.task_path == send_sms_task.module_path
    assert job.args_kwargs["kwargs"] == {
        "to": PHONE,
        "text": "Meesaq: your complaint PB-LHR-2026-000009 is now Registered.",
    }
    assert "Shamim" not in job.args_kwargs["kwargs"]["text"]


def test_nothing_is_queued_until_the_transaction_commits(world: World) -> None:
    assert message_complainant(
        case=_case(world, consent=True), event="case.status_changed", params=PARAMS
    )
    assert not DBTaskResult.objects.exists()


def test_any_other_detail_is_refused(world: World, django_capture_on_commit_callbacks: Any) -> None:
    case = _case(world, consent=True)
    with pytest.raises(MeesaqError) as refused:
        _send(case, django_capture_on_commit_callbacks, category="Threats", **PARAMS)
    assert refused.value.code == "complainant_message_details"
    assert not DBTaskResult.objects.exists()
