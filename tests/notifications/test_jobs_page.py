"""The administrators' jobs page: queued, running and failed jobs; running a failed one again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from meesaq.accounts.models import User
from meesaq.audit.models import AuditEvent
from meesaq.notifications.channels import SmsError
from meesaq.notifications.tasks import send_sms_task
from tests.accounts.helpers import SIGN_IN
from tests.personas import World

ClientFor = Callable[[User], Client]
PHONE = "+923001234567"
SMS_PATH = send_sms_task.module_path


def _failed_sms() -> DBTaskResult[..., Any]:
    result = send_sms_task.enqueue(to=PHONE, text="Meesaq: PB-LHR-2026-000001", attempt=5)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("worker-1")
    row.set_failed(SmsError("The SMS gateway answered 503."))
    return row


def test_an_administrator_sees_a_failed_job_without_its_arguments(
    world: World, client_for: ClientFor
) -> None:
    _failed_sms()
    send_sms_task.enqueue(to="+923009999999", text="queued one")
    page = client_for(world.administrator).get(reverse("notifications:jobs"))
    body = page.content.decode()
    assert page.status_code == 200
    assert SMS_PATH in body
    assert "SmsError" in body
    assert "Run again" in body
    assert "Queued" in body
    # The error's message is not shown either (bare "503" could be a timestamp's microseconds).
    for secret in (PHONE, "+923009999999", "PB-LHR-2026-000001", "answered 503", "queued one"):
        assert secret not in body


def test_the_jobs_page_filters_by_status(world: World, client_for: ClientFor) -> None:
    _failed_sms()
    page = client_for(world.administrator).get(reverse("notifications:jobs"), {"status": "READY"})
    assert "SmsError" not in page.content.decode()
    assert "No jobs waiting, running or failed." in page.content.decode()


def test_running_a_failed_job_again_enqueues_the_same_task_and_is_audited(
    world: World, client_for: ClientFor
) -> None:
    failed = _failed_sms()
    client = client_for(world.administrator)
    response = client.post(reverse("notifications:jobs"), {"job": str(failed.pk)})
    assert response.status_code == 302
    again = DBTaskResult.objects.get(status="READY")
    assert again.task_path == SMS_PATH
    assert again.args_kwargs == {
        "args": [],
        "kwargs": {"to": PHONE, "text": "Meesaq: PB-LHR-2026-000001"},
    }
    event = AuditEvent.objects.get(action="system.job_retried")
    assert event.object_id == str(failed.pk)
    assert event.actor_id == world.administrator.pk
    assert PHONE not in str(event.detail)

    client.post(reverse("notifications:jobs"), {"job": str(failed.pk)})
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert AuditEvent.objects.filter(action="system.job_retried").count() == 1


def test_only_a_failed_job_can_be_run_again(world: World, client_for: ClientFor) -> None:
    queued = send_sms_task.enqueue(to=PHONE, text="x")
    client = client_for(world.administrator)
    response = client.post(reverse("notifications:jobs"), {"job": str(queued.id)}, follow=True)
    assert "Only a failed job can be run again." in response.content.decode()
    client.post(reverse("notifications:jobs"), {"job": "not-a-uuid"})
    assert DBTaskResult.objects.count() == 1
    assert not AuditEvent.objects.filter(action="system.job_retried").exists()


def test_other_roles_get_404_and_cannot_run_a_job_again(
    world: World, client_for: ClientFor
) -> None:
    failed = _failed_sms()
    for user in (world.supervisor, world.auditor, world.outsider):
        client = client_for(user)
        assert client.get(reverse("notifications:jobs")).status_code == 404
        assert (
            client.post(reverse("notifications:jobs"), {"job": str(failed.pk)}).status_code == 404
        )
    assert DBTaskResult.objects.count() == 1


def test_anonymous_is_redirected_to_sign_in_from_the_jobs_page(client: Client) -> None:
    response = client.get(reverse("notifications:jobs"))
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)
