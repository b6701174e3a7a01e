"""Sending notifications. Other modules call ``notify``; channels and templates plug in here."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.core.errors import MeesaqError
from meesaq.notifications.models import Channel, MessageTemplate, Notification

if TYPE_CHECKING:
    from meesaq.accounts.models import User
    from meesaq.cases.models import Case


def notify(
    *,
    recipients: Iterable[User],
    event: str,
    text: Promise,
    params: dict[str, str] | None = None,
    link: str = "",
    case: Case | None = None,
) -> list[Notification]:
    """Give each recipient an in-app notification, its text rendered in English and in Urdu.

    ``text`` is a lazy translatable string with %(name)s placeholders filled from ``params`` in
    each language. It must never carry identity: a case reference and a status word at most.
    """
    rows = []
    for user in {user.pk: user for user in recipients if user.is_active}.values():
        with translation.override("en"):
            text_en = str(text) % (params or {})
        with translation.override("ur"):
            text_ur = str(text) % (params or {})
        rows.append(
            Notification(
                recipient=user, event=event, text_en=text_en, text_ur=text_ur, link=link, case=case
            )
        )
    with transaction.atomic():
        return Notification.objects.bulk_create(rows)


COMPLAINANT_PARAMS = frozenset({"reference", "status"})


def render_template(*, event: str, channel: str, language: str, params: dict[str, str]) -> str:
    """Return the administrators' text for this event and channel, filled with ``params``."""
    template = MessageTemplate.objects.filter(event=event, channel=channel).first()
    if template is None:
        raise MeesaqError(_("No message template for this event."), code="no_template")
    text = template.text_ur if language == "ur" and template.text_ur else template.text_en
    try:
        return text.format_map(params)
    except (KeyError, IndexError, ValueError):
        raise MeesaqError(
            _("The message template uses a name the sender does not give."), code="bad_template"
        ) from None


def message_complainant(
    *, case: Case, event: str, params: dict[str, str], language: str = "ur"
) -> bool:
    """Send the complainant an SMS about their case if they agreed to be contacted.

    Only the reference and a status word may travel: anything else in ``params`` is refused.
    Return whether a message was queued.
    """
    from meesaq.cases.models import CasePerson, PersonRole
    from meesaq.notifications.tasks import send_sms_task

    if set(params) - COMPLAINANT_PARAMS:
        raise MeesaqError(
            _("Messages to complainants carry only the reference and a status word."),
            code="complainant_message_details",
        )
    if not case.consent_contact:
        return False
    link = (
        CasePerson.objects.filter(case=case, role=PersonRole.COMPLAINANT)
        .select_related("person")
        .order_by("added_at", "id")
        .first()
    )
    phone = link.person.phone if link is not None else ""
    if not phone:
        return False
    text = render_template(event=event, channel=Channel.SMS, language=language, params=params)
    transaction.on_commit(lambda: send_sms_task.enqueue(to=phone, text=text))
    return True


def email_staff(*, recipients: Iterable[User], event: str, params: dict[str, str]) -> int:
    """Queue an email about an event to each active recipient with an address; return how many."""
    sent = 0
    for user in recipients:
        if not (user.is_active and user.email):
            continue
        text = render_template(event=event, channel=Channel.EMAIL, language="en", params=params)
        subject = text.splitlines()[0][:120]
        transaction.on_commit(functools.partial(_enqueue_email, user.email, subject, text))
        sent += 1
    return sent


def _enqueue_email(address: str, subject: str, text: str) -> None:
    from meesaq.notifications.tasks import send_email_task

    send_email_task.enqueue(to=[address], subject=subject, text=text)


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications, or all of them, as read; return how many."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())
