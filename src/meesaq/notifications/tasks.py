"""Outbound messages go through jobs, so a failing gateway or mail server is retried."""

from __future__ import annotations

from meesaq.core.tasks import retried_task
from meesaq.notifications.channels import send_email, sms_gateway


@retried_task(attempts=5)
def send_sms_task(*, to: str, text: str) -> None:
    """Send one SMS through the configured gateway."""
    sms_gateway().send(to=to, text=text)


@retried_task(attempts=5)
def send_email_task(*, to: list[str], subject: str, text: str) -> None:
    """Send one email through the configured backend."""
    send_email(to=to, subject=subject, text=text)
