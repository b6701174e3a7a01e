"""The messaging gateway's webhook, driven by recorded request bodies (tests/portal/fixtures/)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult

from meesaq.cases.models import Case, CaseAction, CasePerson, Channel, Status
from meesaq.portal.hooks import signature_for
from meesaq.portal.models import InboundMessage
from tests.personas import World
from tests.portal.conftest import lodge

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "gateway-shared-secret-for-tests"
URL = "/hooks/messages/"
pytestmark = pytest.mark.usefixtures("configured")


@pytest.fixture
def configured() -> Any:
    """Configure the webhook's secret and the district of messages."""
    with override_settings(MEESAQ_INBOUND_SECRET=SECRET, MEESAQ_INBOUND_DISTRICT="PK617"):
        yield


def recorded(name: str, **values: str) -> bytes:
    """Return a recorded request body, with placeholders filled."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text.encode("utf-8")


def post(body: bytes, *, secret: str = SECRET, timestamp: int | None = None) -> Any:
    """Send a body to the webhook signed as the gateway does."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return Client().post(
        URL,
        body,
        content_type="application/json",
        headers={
            "X-Meesaq-Timestamp": stamp,
            "X-Meesaq-Signature": signature_for(secret=secret, timestamp=stamp, body=body),
        },
    )


def test_a_new_conversation_opens_a_received_sms_case(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post(recorded("sms_new_conversation.json"))
    assert response.status_code == 201
    assert response.json() == {"status": "created"}
    case = Case.objects.get()
    assert case.status == Status.RECEIVED
    assert case.channel == Channel.SMS
    assert case.organisation == world.lahore_centre
    assert "girja ghar" in case.narrative
    person = CasePerson.objects.select_related("person").get(case=case).person
    assert person.phone == "+923901234567"
    (job,) = DBTaskResult.objects.all()
    assert job.args_kwargs["kwargs"]["to"] == "+923901234567"
    assert case.reference not in job.args_kwargs["kwargs"]["text"]
    assert not InboundMessage.objects.filter(sender_index="").exists()


def test_the_same_message_twice_is_taken_once(world: World) -> None:
    body = recorded("sms_new_conversation.json")
    assert post(body).status_code == 201
    again = post(body)
    assert again.status_code == 200
    assert again.json() == {"status": "duplicate"}
    assert Case.objects.count() == 1


def test_a_follow_up_from_the_same_number_continues_the_conversation(world: World) -> None:
    post(recorded("sms_new_conversation.json"))
    response = post(recorded("sms_follow_up.json"))
    assert response.json() == {"status": "attached"}
    case = Case.objects.get()
    entry = CaseAction.objects.get(case=case)
    assert entry.from_complainant
    assert "phir aaye" in entry.note


def test_a_message_with_a_tracking_code_attaches_to_that_case(world: World) -> None:
    lodged = lodge()
    response = post(recorded("whatsapp_with_code.json", code=lodged.code.lower()))
    assert response.status_code == 200
    assert response.json() == {"status": "attached"}
    assert Case.objects.count() == 1
    entry = CaseAction.objects.get(case=lodged.case)
    assert entry.from_complainant
    assert "پولیس" in entry.note


def test_a_whatsapp_message_without_a_code_opens_a_whatsapp_case(world: World) -> None:
    response = post(recorded("whatsapp_new_conversation.json"))
    assert response.status_code == 201
    assert Case.objects.get().channel == Channel.WHATSAPP


def test_a_wrong_signature_is_refused_and_changes_nothing(world: World) -> None:
    response = post(recorded("sms_new_conversation.json"), secret="not-the-secret")
    assert response.status_code == 401
    assert not Case.objects.exists()


def test_a_body_altered_after_signing_is_refused(world: World) -> None:
    body = recorded("sms_new_conversation.json")
    stamp = str(int(time.time()))
    response = Client().post(
        URL,
        body.replace(b"dhamkiyan", b"nothing"),
        content_type="application/json",
        headers={
            "X-Meesaq-Timestamp": stamp,
            "X-Meesaq-Signature": signature_for(secret=SECRET, timestamp=stamp, body=body),
        },
    )
    assert response.status_code == 401


def test_an_old_signed_request_is_refused_as_a_replay(world: World) -> None:
    response = post(recorded("sms_new_conversation.json"), timestamp=int(time.time()) - 3600)
    assert response.status_code == 401
    assert not Case.objects.exists()


def test_an_unsigned_request_is_refused(world: World) -> None:
    response = Client().post(
        URL, recorded("sms_new_conversation.json"), content_type="application/json"
    )
    assert response.status_code == 401


def test_a_malformed_body_is_refused(world: World) -> None:
    assert post(b'{"id": 1}').status_code == 400
    assert post(b"not json").status_code == 400


def test_without_a_secret_the_webhook_is_closed(world: World) -> None:
    with override_settings(MEESAQ_INBOUND_SECRET=""):
        response = post(recorded("sms_new_conversation.json"), secret="")
    assert response.status_code == 503


def test_a_get_is_not_allowed(world: World) -> None:
    assert Client().get(URL).status_code == 405
