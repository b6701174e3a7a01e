"""Reads of webhooks for the administrators' pages."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from meesaq.webhooks.models import WebhookDelivery, WebhookEndpoint

LOG_SIZE = 50


def endpoints_all() -> QuerySet[WebhookEndpoint]:
    """Return every endpoint with its organisation and number of deliveries."""
    return WebhookEndpoint.objects.select_related("organisation").annotate(
        delivery_count=Count("deliveries")
    )


def endpoint_get(*, endpoint_id: int) -> WebhookEndpoint:
    """Return one endpoint, or 404."""
    found = WebhookEndpoint.objects.select_related("organisation").filter(pk=endpoint_id).first()
    if found is None:
        raise Http404
    return found


def deliveries_of(endpoint: WebhookEndpoint) -> list[WebhookDelivery]:
    """Return the newest deliveries to an endpoint."""
    return list(WebhookDelivery.objects.filter(endpoint=endpoint)[:LOG_SIZE])
