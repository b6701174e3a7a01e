"""Signed webhooks to partner systems: who is told what, signatures, retries, the delivery log."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from meesaq.audit.models import AuditEvent
from meesaq.cases.models import Category
from meesaq.core.errors import MeesaqError
from meesaq.referrals.models import Referral
from meesaq.referrals.services import referral_accept, referral_create, referral_decline
from meesaq.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from meesaq.webhooks.services import delivery_attempt, endpoint_create
from meesaq.webhooks.signing import HEADER, signature, verify
from tests.api.conftest import ApiClient, make_token
from tests.cases.factories import add_person, make_case
from tests.personas import World
from tests.webhooks.conftest import Receiver


def _endpoint(
    world: World, receiver: Receiver, organisation: Any = None, events: list[str] | None = None
) -> tuple[WebhookEndpoint, str]:
    made = endpoint_create(
        actor=world.administrator,
        organisation=organisation or world.lahore_ngo,
        url=receiver.url,
        events=events
        or ["referral.created", "referral.accepted", "referral.declined", "case.closed"],
    )
    return made.endpoint, made.secret


def _refer(world: World, **case_fields: Any) -> Referral:
    case = make_case(
        organisation=world.lahore_centre, recorded_by=world.intake_officer, **case_fields
    )
    add_person(case)
    return referral_create(
        actor=world.case_officer,
        case=case,
        to_organisation=world.lahore_ngo,
        reason="Legal aid.",
        shared_fields=["category", "title", "narrative", "people"]
        if case_fields.get("consent_share")
        else ["category", "title"],
    )


def _deliver_all() -> None:
    for delivery in WebhookDelivery.objects.order_by("id"):
        # A failed attempt is recorded on the row.
        with contextlib.suppress(Exception):
            delivery_attempt(delivery_id=delivery.pk)


@pytest.mark.django_db
def test_only_administrators_register_endpoints_and_the_secret_is_kept_encrypted(
    world: World, receiver: Receiver
) -> None:
    with pytest.raises(MeesaqError):
        endpoint_create(
            actor=world.supervisor,
            organisation=world.lahore_ngo,
            url=receiver.url,
            events=["referral.created"],
        )
    _endpoint_row, secret = _endpoint(world, receiver)
    assert secret.startswith("whsec_")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM webhooks_webhookendpoint")
        assert secret not in cursor.fetchone()[0]
    assert AuditEvent.objects.filter(action="webhooks.endpoint_created").exists()
    with pytest.raises(MeesaqError) as refused:
        endpoint_create(
            actor=world.administrator,
            organisation=world.lahore_ngo,
            url="ftp://x",
            events=["case.closed"],
        )
    assert refused.value.code == "url_invalid"


@pytest.mark.django_db
def test_a_partner_receives_a_signed_webhook_when_a_referral_is_addressed_to_it(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _endpoint_row, secret = _endpoint(world, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        referral = _refer(world)
    _deliver_all()
    assert len(receiver.requests) == 1
    got = receiver.requests[0]
    assert got.headers["Meesaq-Event"] == "referral.created"
    assert verify(secret=secret, body=got.body, header=got.headers[HEADER])
    assert not verify(secret="whsec_wrong", body=got.body, header=got.headers[HEADER])
    document = json.loads(got.body)
    assert document["data"]["referral"]["id"] == referral.pk
    assert document["data"]["shared"] == {
        "category": "threats",
        "title": "Threats at the church gate",
    }
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code, delivery.attempts) == (
        DeliveryStatus.DELIVERED,
        200,
        1,
    )


@pytest.mark.django_db
def test_a_webhook_never_carries_identity_even_when_it_is_shared(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _endpoint(world, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        _refer(world, consent_share=True)
    _deliver_all()
    body = receiver.requests[0].body.decode()
    assert "Shamim" not in body
    assert "threatened" not in body
    assert "narrative" not in json.loads(body)["data"]["shared"]


@pytest.mark.django_db
def test_another_organisation_is_told_nothing_about_a_referral_not_addressed_to_it(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _endpoint(world, receiver, organisation=world.lahore_community_centre)
    with django_capture_on_commit_callbacks(execute=True):
        _refer(world)
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db
def test_accepted_and_declined_referrals_are_announced_to_the_referring_side(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _endpoint(
        world,
        receiver,
        organisation=world.lahore_centre,
        events=["referral.accepted", "referral.declined"],
    )
    first, second = _refer(world), _refer(world)
    with django_capture_on_commit_callbacks(execute=True):
        referral_accept(actor=world.partner_caseworker, referral=first)
        referral_decline(
            actor=world.partner_caseworker, referral=second, reason="Outside our mandate."
        )
    assert list(WebhookDelivery.objects.order_by("id").values_list("event", flat=True)) == [
        "referral.accepted",
        "referral.declined",
    ]


@pytest.mark.django_db
def test_a_case_closed_reaches_the_owner_with_the_case_and_a_partner_with_its_referrals_only(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    from meesaq.webhooks.payloads import case_audience

    referral = _refer(world)
    audience = case_audience(referral.case)
    assert audience[world.lahore_centre.pk]["case"]["category"] == "threats"
    assert audience[world.lahore_ngo.pk] == {
        "case": {"reference": referral.case.reference, "status": "received"},
        "referrals": [referral.pk],
    }
    assert world.lahore_community_centre.pk not in audience


@pytest.mark.django_db
def test_a_failing_receiver_is_retried_and_each_attempt_logged_with_its_code(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _endpoint(world, receiver)
    receiver.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        _refer(world)
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(Exception, match="HTTP 503"):
        delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code, delivery.attempts) == (
        DeliveryStatus.RETRYING,
        503,
        1,
    )
    receiver.status = 204
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code, delivery.attempts) == (
        DeliveryStatus.DELIVERED,
        204,
        2,
    )


@pytest.mark.django_db
def test_the_signature_is_hmac_sha256_of_timestamp_and_body_and_refuses_old_ones() -> None:
    header = signature(secret="whsec_x", body=b'{"a":1}', timestamp=1_700_000_000)
    import hashlib
    import hmac

    expected = hmac.new(b"whsec_x", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"
    assert verify(secret="whsec_x", body=b'{"a":1}', header=header, now=1_700_000_100)
    assert not verify(secret="whsec_x", body=b'{"a":1}', header=header, now=1_700_001_000)
    assert not verify(secret="whsec_x", body=b'{"a":2}', header=header, now=1_700_000_100)


@pytest.mark.django_db
def test_the_webhook_pages_are_for_administrators_and_show_the_secret_once(
    world: World, receiver: Receiver, client_for: Callable[..., Client]
) -> None:
    admin = client_for(world.administrator)
    response = admin.post(
        "/en/webhooks/",
        {"organisation": world.lahore_ngo.pk, "url": receiver.url, "events": ["referral.created"]},
    )
    assert response.status_code == 200
    assert b"whsec_" in response.content
    assert b"whsec_" not in admin.get("/en/webhooks/").content
    endpoint = WebhookEndpoint.objects.get()
    assert admin.get(f"/en/webhooks/{endpoint.pk}/").status_code == 200
    assert client_for(world.supervisor).get("/en/webhooks/").status_code == 404
    assert client_for(world.outsider).get(f"/en/webhooks/{endpoint.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_end_to_end_a_partner_system_with_a_token_gets_signed_webhooks_through_the_job_queue(
    receiver: Receiver,
) -> None:
    from django.core.management import call_command as run

    run("load_places", verbosity=0)
    # A transactional test starts from an emptied database: the seeded category comes back here.
    Category.objects.get_or_create(code="threats", defaults={"label_en": "Threats"})
    from tests.personas import build_world

    world = build_world()
    _endpoint_row, secret = _endpoint(world, receiver)
    case = make_case(organisation=world.lahore_centre, recorded_by=world.intake_officer)
    officer = ApiClient(make_token(world.case_officer))
    created = officer.post(
        "/referrals",
        {
            "case": case.reference,
            "to_organisation": world.lahore_ngo.code,
            "reason": "Legal aid.",
            "shared_fields": ["title"],
        },
    )
    assert created.status_code == 201
    partner = ApiClient(make_token(world.partner_caseworker))
    incoming = partner.get("/referrals", direction="incoming").json()["items"]
    assert [item["id"] for item in incoming] == [created.json()["id"]]
    assert partner.post(f"/referrals/{incoming[0]['id']}/accept").status_code == 200
    assert (
        partner.post(f"/referrals/{incoming[0]['id']}/complete", {"outcome": "Done."}).status_code
        == 200
    )
    call_command("worker", batch=True, verbosity=0)
    events = [got.headers["Meesaq-Event"] for got in receiver.requests]
    assert events == ["referral.created", "referral.accepted"]
    assert all(
        verify(secret=secret, body=got.body, header=got.headers[HEADER])
        for got in receiver.requests
    )
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() >= 2


@pytest.mark.django_db(transaction=True)
def test_a_delivery_that_keeps_failing_is_retried_with_backoff_then_given_up(
    receiver: Receiver, settings: Any
) -> None:
    from django.core.management import call_command as run

    run("load_places", verbosity=0)
    # A transactional test starts from an emptied database: the seeded category comes back here.
    Category.objects.get_or_create(code="threats", defaults={"label_en": "Threats"})
    from tests.personas import build_world

    world = build_world()
    _endpoint(world, receiver)
    receiver.status = 500
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _refer(world)
        for minutes in (0, 1, 2, 4, 8, 16):
            clock.shift(timedelta(minutes=minutes))
            call_command("worker", batch=True, verbosity=0)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == settings.MEESAQ_WEBHOOK_ATTEMPTS == len(receiver.requests)
