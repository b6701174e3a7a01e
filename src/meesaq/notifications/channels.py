"""Outbound channels: email through Django's email backends, SMS through a gateway adapter.

``MEESAQ_SMS_BACKEND`` chooses the SMS adapter: "console" (development: a masked line in the log
and the message in VAR_DIR/outbox/sms.log) or "http" (POST {"to", "text"} as JSON to
MEESAQ_SMS_API_URL with the bearer key MEESAQ_SMS_API_KEY).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail

logger = logging.getLogger(__name__)
HTTP_TIMEOUT_SECONDS = 10


class SmsError(RuntimeError):
    """The gateway refused or failed a message; the sending job retries."""


def mask_number(number: str) -> str:
    """Return the number with all but its last two digits hidden."""
    return "*" * max(len(number) - 2, 0) + number[-2:]


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str) -> None:
        """Send one SMS or raise SmsError."""


class ConsoleSmsGateway:
    """Write messages to a development outbox file; the log shows only a masked number."""

    def send(self, *, to: str, text: str) -> None:
        outbox = settings.VAR_DIR / "outbox"
        outbox.mkdir(parents=True, exist_ok=True)
        with (outbox / "sms.log").open("a", encoding="utf-8") as file:
            file.write(json.dumps({"to": to, "text": text}, ensure_ascii=False) + "\n")
        logger.info("SMS to %s", mask_number(to))


class HttpSmsGateway:
    """POST each message as JSON to the configured gateway with a bearer key."""

    def __init__(self, *, url: str, key: str, timeout: float = HTTP_TIMEOUT_SECONDS) -> None:
        if not url.startswith(("https://", "http://")):
            raise SmsError("MEESAQ_SMS_API_URL must be an http(s) address.")
        self.url, self.key, self.timeout = url, key, timeout

    def send(self, *, to: str, text: str) -> None:
        body = json.dumps({"to": to, "text": text}).encode()
        request = urllib.request.Request(  # noqa: S310  # the scheme is checked above
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.key}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as error:
            raise SmsError(f"The SMS gateway answered {error.code}.") from None
        except (urllib.error.URLError, TimeoutError) as error:
            raise SmsError(f"The SMS gateway could not be reached: {error}") from None
        if not 200 <= status < 300:  # noqa: PLR2004
            raise SmsError(f"The SMS gateway answered {status}.")
        logger.info("SMS to %s accepted by the gateway", mask_number(to))


def sms_gateway() -> SmsGateway:
    """Return the configured SMS adapter."""
    if settings.MEESAQ_SMS_BACKEND == "http":
        return HttpSmsGateway(url=settings.MEESAQ_SMS_API_URL, key=settings.MEESAQ_SMS_API_KEY)
    return ConsoleSmsGateway()


def send_email(*, to: list[str], subject: str, text: str) -> None:
    """Send a plain-text email through Django's configured email backend."""
    send_mail(subject, text, None, to, fail_silently=False)
