"""The messaging gateway's webhook: signed requests with incoming SMS and WhatsApp messages.

The gateway signs each request with the shared secret ``MEESAQ_INBOUND_SECRET``::

    X-Meesaq-Timestamp: 1764622800            (Unix seconds)
    X-Meesaq-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>

and sends a JSON body ``{"id", "channel": "sms"|"whatsapp", "from", "text"}``. A request
older (or newer) than ``MEESAQ_INBOUND_WINDOW_SECONDS`` is refused, and a message id already
taken is answered without taking it again, so a captured request cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from meesaq.access.decorators import page
from meesaq.access.policy import PUBLIC
from meesaq.core.errors import MeesaqError
from meesaq.portal import services

MAX_BODY = 64 * 1024
SIGNATURE_PREFIX = "sha256="
FIELDS = ("id", "channel", "from", "text")


def signature_for(*, secret: str, timestamp: str, body: bytes) -> str:
    """Return the signature header value the gateway sends for a body."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return SIGNATURE_PREFIX + digest.hexdigest()


def _refuse(status: int, code: str) -> JsonResponse:
    return JsonResponse({"error": code}, status=status)


def signature_valid(request: HttpRequest, body: bytes) -> bool:
    """Say whether the request is signed with the shared secret within the time window."""
    secret = settings.MEESAQ_INBOUND_SECRET
    timestamp = request.headers.get("X-Meesaq-Timestamp", "")
    given = request.headers.get("X-Meesaq-Signature", "")
    if not (secret and timestamp.isdigit() and given.startswith(SIGNATURE_PREFIX)):
        return False
    if abs(time.time() - int(timestamp)) > settings.MEESAQ_INBOUND_WINDOW_SECONDS:
        return False
    expected = signature_for(secret=secret, timestamp=timestamp, body=body)
    return hmac.compare_digest(expected, given)


def _message(request: HttpRequest) -> dict[str, str] | JsonResponse:
    """Return the signed request's message, or the refusal to answer."""
    if not (settings.MEESAQ_INBOUND_SECRET and settings.MEESAQ_INBOUND_DISTRICT):
        return _refuse(503, "not_configured")
    body = request.body
    if len(body) > MAX_BODY:
        return _refuse(413, "too_large")
    if not signature_valid(request, body):
        return _refuse(401, "bad_signature")
    try:
        message = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _refuse(400, "invalid_json")
    if not isinstance(message, dict) or not all(
        isinstance(message.get(name), str) for name in FIELDS
    ):
        return _refuse(400, "invalid_message")
    return {name: message[name] for name in FIELDS}


@csrf_exempt
@page(PUBLIC)
def inbound(request: HttpRequest) -> HttpResponseBase:
    """Take one incoming message from the gateway (POST, signed)."""
    if request.method != "POST":
        return _refuse(405, "method_not_allowed")
    message = _message(request)
    if isinstance(message, JsonResponse):
        return message
    try:
        result = services.inbound_receive(
            gateway_id=message["id"],
            channel=message["channel"],
            sender=message["from"],
            text=message["text"],
            request=request,
        )
    except MeesaqError as error:
        status = 503 if error.code == "not_configured" else 400
        return _refuse(status, error.code)
    # The gateway learns only what happened, never the case's reference.
    outcome = "duplicate" if result.duplicate else ("created" if result.created else "attached")
    return JsonResponse({"status": outcome}, status=201 if result.created else 200)
