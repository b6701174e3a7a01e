"""Webhooks never call inside the network: refused on registration, checked before each delivery,
and redirects are not followed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings

from meesaq.core.errors import MeesaqError
from meesaq.webhooks.addresses import address_refusal
from meesaq.webhooks.models import WebhookDelivery, WebhookEndpoint
from meesaq.webhooks.services import DeliveryFailedError, delivery_attempt, endpoint_create
from tests.personas import World
from tests.webhooks.conftest import Receiver
from tests.webhooks.test_webhooks import _endpoint, _refer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "https://10.0.0.7/hook",
        "https://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://[::1]/hook",
        "http://0.0.0.0/hook",
        "http://no-such-host.invalid/hook",
    ],
)
@override_settings(MEESAQ_WEBHOOK_ALLOW_PRIVATE=False)
def test_an_inside_or_unknown_address_is_refused_on_registration(world: World, url: str) -> None:
    with pytest.raises(MeesaqError) as refused:
        endpoint_create(
            actor=world.administrator,
            organisation=world.lahore_ngo,
            url=url,
            events=["referral.created"],
        )
    assert refused.value.code == "url_private"
    assert set(refused.value.fields) == {"url"}
    assert not WebhookEndpoint.objects.exists()


@override_settings(MEESAQ_WEBHOOK_ALLOW_PRIVATE=False)
def test_a_public_address_is_accepted() -> None:
    assert address_refusal("8.8.8.8") is None
    assert address_refusal("2001:4860:4860::8888") is None


def test_a_delivery_is_refused_when_the_address_has_moved_inside(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _endpoint(world, receiver)  # registered while the receiver was allowed
    with django_capture_on_commit_callbacks(execute=True):
        _refer(world)
    delivery = WebhookDelivery.objects.get()
    with override_settings(MEESAQ_WEBHOOK_ALLOW_PRIVATE=False), pytest.raises(DeliveryFailedError):
        delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.error == "address not public"
    assert delivery.attempts == 1
    assert receiver.requests == []


@pytest.fixture
def redirecting(receiver: Receiver) -> Iterator[str]:
    """A receiver that answers every POST with a redirect to the recording receiver."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(307)
            self.send_header("Location", receiver.url)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # the base's name
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/moved"
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_redirect_is_a_failed_delivery_and_is_not_followed(
    world: World, receiver: Receiver, redirecting: str, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint_create(
        actor=world.administrator,
        organisation=world.lahore_ngo,
        url=redirecting,
        events=["referral.created"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        _refer(world)
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(DeliveryFailedError):
        delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.response_code == 307
    assert receiver.requests == []  # the redirect's target was never called
