"""Sending notifications. Other modules call ``notify``; channels and templates plug in here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise

from meesaq.notifications.models import Notification

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
