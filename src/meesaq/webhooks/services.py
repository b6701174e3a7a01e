"""Writes of webhooks: endpoints (made by administrators, secret shown once), deliveries."""

from __future__ import annotations

import functools
import json
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.accounts.models import User
from meesaq.audit.services import audit_record
from meesaq.core.errors import MeesaqError
from meesaq.orgs.models import Organisation
from meesaq.webhooks import payloads
from meesaq.webhooks.addresses import address_refusal
from meesaq.webhooks.models import EVENTS, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from meesaq.webhooks.signing import HEADER, signature

USER_AGENT = "Meesaq-Webhooks/1"


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is the receiver's answer (a failure), not a new address to call."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


NO_REDIRECTS = urllib.request.build_opener(_RefuseRedirects)
SUCCESS = range(200, 300)


@dataclass(frozen=True)
class NewEndpoint:
    """An endpoint just registered, with its signing secret (shown once)."""

    endpoint: WebhookEndpoint
    secret: str


def endpoint_create(
    *,
    actor: User,
    organisation: Organisation,
    url: str,
    events: Iterable[str],
    request: HttpRequest | None = None,
) -> NewEndpoint:
    """Register where an organisation's system is told of the chosen events."""
    if not policy.may(actor, "webhooks.manage"):
        raise MeesaqError(_("Only administrators manage webhooks."), code="forbidden")
    chosen = [event for event in EVENTS if event in set(events)]
    if not chosen or set(events) - set(EVENTS):
        raise MeesaqError(
            _("Choose at least one event."),
            code="events_invalid",
            fields={"events": [_("Choose at least one event.")]},
        )
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise MeesaqError(
            _("Give a full http:// or https:// address."),
            code="url_invalid",
            fields={"url": [_("Give a full http:// or https:// address.")]},
        )
    refusal = address_refusal(parts.hostname)
    if refusal is not None:
        raise MeesaqError(refusal, code="url_private", fields={"url": [refusal]})
    secret = "whsec_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        endpoint = WebhookEndpoint(
            organisation=organisation,
            url=url.strip(),
            events=chosen,
            secret=secret,
            created_by=actor,
        )
        endpoint.full_clean()
        endpoint.save()
        audit_record(
            actor=actor,
            action="webhooks.endpoint_created",
            target=endpoint,
            request=request,
            detail={"organisation": organisation.code, "events": ",".join(chosen)},
        )
    return NewEndpoint(endpoint=endpoint, secret=secret)


def endpoint_disable(
    *, actor: User, endpoint: WebhookEndpoint, request: HttpRequest | None = None
) -> WebhookEndpoint:
    """Stop sending to an endpoint (its deliveries stay in the log)."""
    if not policy.may(actor, "webhooks.manage"):
        raise MeesaqError(_("Only administrators manage webhooks."), code="forbidden")
    with transaction.atomic():
        endpoint.is_active = False
        endpoint.save(update_fields=["is_active"])
        audit_record(
            actor=actor, action="webhooks.endpoint_disabled", target=endpoint, request=request
        )
    return endpoint


def _audience(event: str, objects: dict[str, Any]) -> dict[int, dict[str, Any]]:
    if "referral" in objects:
        return payloads.referral_audience(objects["referral"])
    return payloads.case_audience(objects["case"])


def event_fan_out(*, event: str, **objects: Any) -> list[WebhookDelivery]:
    """Make one delivery per subscribed endpoint of each organisation told of the event."""
    from meesaq.webhooks.tasks import deliver

    audience = _audience(event, objects)
    endpoints = WebhookEndpoint.objects.filter(
        is_active=True, organisation_id__in=list(audience), organisation__is_active=True
    ).order_by("id")
    made = []
    with transaction.atomic():
        for endpoint in endpoints:
            if event not in endpoint.events:
                continue
            delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event, body="")
            document = {
                "id": delivery.pk,
                "event": event,
                "created_at": timezone.now().isoformat(),
                "organisation": endpoint.organisation.code,
                "data": audience[endpoint.organisation_id],
            }
            delivery.body = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False)
            delivery.save(update_fields=["body"])
            made.append(delivery)
            transaction.on_commit(functools.partial(deliver.enqueue, delivery.pk))
    return made


def delivery_attempt(*, delivery_id: int) -> WebhookDelivery:
    """POST one delivery, signed, and record the answer; raise when it must be tried again."""
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    if delivery.status == DeliveryStatus.DELIVERED or not delivery.endpoint.is_active:
        return delivery
    body = delivery.body.encode()
    request = urllib.request.Request(  # noqa: S310  # the scheme is checked on registration
        delivery.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Meesaq-Event": delivery.event,
            "Meesaq-Delivery": str(delivery.pk),
            HEADER: signature(
                secret=delivery.endpoint.secret, body=body, timestamp=int(time.time())
            ),
        },
    )
    code: int | None = None
    error = ""
    host = urlsplit(delivery.endpoint.url).hostname or ""
    try:
        if address_refusal(host) is not None:  # checked again: names can move inside
            error = "address not public"
        else:
            with NO_REDIRECTS.open(
                request, timeout=settings.MEESAQ_WEBHOOK_TIMEOUT_SECONDS
            ) as response:
                code = int(response.status)
    except urllib.error.HTTPError as failure:
        code = int(failure.code)
    except (urllib.error.URLError, TimeoutError, OSError) as failure:
        error = type(failure).__name__
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    delivery.response_code = code
    delivery.error = error or ("" if code in SUCCESS else f"HTTP {code}")
    if code in SUCCESS:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = delivery.last_attempt_at
    elif delivery.attempts >= settings.MEESAQ_WEBHOOK_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.status = DeliveryStatus.RETRYING
    delivery.save()
    if delivery.status != DeliveryStatus.DELIVERED:
        raise DeliveryFailedError(delivery.error)
    return delivery


class DeliveryFailedError(RuntimeError):
    """The receiver did not answer 2xx: the task queue tries again later."""
