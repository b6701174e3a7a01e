"""Sending notifications. Other modules call ``notify``; channels and templates plug in here."""

from __future__ import annotations

import functools
import string
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from meesaq.audit.models import AuditEvent
from meesaq.audit.services import audit_record
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
    params: Mapping[str, str | Promise] | None = None,
    link: str = "",
    case: Case | None = None,
) -> list[Notification]:
    """Give each recipient an in-app notification, its text rendered in English and in Urdu.

    ``text`` is a lazy translatable string with %(name)s placeholders filled from ``params`` in
    each language (a lazy parameter, such as a status label, is translated in each language
    too). It must never carry identity: a case reference and a status word at most.
    """
    rows = []
    for user in {user.pk: user for user in recipients if user.is_active}.values():
        with translation.override("en"):
            text_en = str(text) % dict(params or {})
        with translation.override("ur"):
            text_ur = str(text) % dict(params or {})
        rows.append(
            Notification(
                recipient=user, event=event, text_en=text_en, text_ur=text_ur, link=link, case=case
            )
        )
    with transaction.atomic():
        return Notification.objects.bulk_create(rows)


JOB_OBJECT_TYPE = "django_tasks_db.dbtaskresult"
COMPLAINANT_PARAMS = frozenset({"reference", "status"})
# The names each event's sender gives its template; events not listed give the reference only.
# SMS go to complainants, so whatever the event they carry the reference and a status word at most.
EVENT_PARAMS: dict[str, frozenset[str]] = {
    "case.status_changed": COMPLAINANT_PARAMS,
    "feedback.request": COMPLAINANT_PARAMS,
}
DEFAULT_PARAMS = frozenset({"reference"})


def allowed_placeholders(*, event: str, channel: str) -> frozenset[str]:
    """Return the ``{name}`` placeholders a template of this event and channel may use."""
    allowed = EVENT_PARAMS.get(event, DEFAULT_PARAMS)
    if channel == Channel.SMS:
        allowed = allowed & COMPLAINANT_PARAMS
    return allowed


def template_placeholders(text: str) -> set[str]:
    """Return the placeholder names a template text uses; raise ValueError on a malformed one."""
    names = set()
    for _literal, field, spec, conversion in string.Formatter().parse(text):
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            # Attribute or index access, formats and conversions are not for administrators.
            raise ValueError(field)
        names.add(field)
    return names


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


def _check_template_text(text: str, *, field: str, allowed: frozenset[str]) -> str:
    text = text.strip()
    message: str | Promise
    if not text:
        message = _("Write the text of the message.")
        raise MeesaqError(message, code="template_empty", fields={field: [message]})
    try:
        used = template_placeholders(text)
    except ValueError:
        message = _(
            "Write placeholders as a name in braces, such as {reference}; to show a brace, "
            "double it."
        )
        raise MeesaqError(message, code="template_malformed", fields={field: [message]}) from None
    unknown = sorted(used - allowed)
    if unknown:
        message = _("This message may only use %(allowed)s; remove %(unknown)s.") % {
            "allowed": ", ".join("{" + name + "}" for name in sorted(allowed)) or "-",
            "unknown": ", ".join("{" + name + "}" for name in unknown),
        }
        raise MeesaqError(message, code="template_placeholder", fields={field: [message]})
    return text


def template_update(
    *,
    actor: User,
    template: MessageTemplate,
    text_en: str,
    text_ur: str,
    request: HttpRequest | None = None,
) -> MessageTemplate:
    """Change a message template's words, using only the placeholders its event gives."""
    allowed = allowed_placeholders(event=template.event, channel=template.channel)
    text_en = _check_template_text(text_en, field="text_en", allowed=allowed)
    text_ur = _check_template_text(text_ur, field="text_ur", allowed=allowed)
    with transaction.atomic():
        locked = MessageTemplate.objects.select_for_update().get(pk=template.pk)
        changed = [
            name
            for name, value in (("text_en", text_en), ("text_ur", text_ur))
            if getattr(locked, name) != value
        ]
        locked.text_en, locked.text_ur = text_en, text_ur
        locked.full_clean()
        locked.save()
        audit_record(
            actor=actor,
            action="notifications.template_changed",
            target=locked,
            request=request,
            detail={"event": locked.event, "channel": locked.channel, "changed": ",".join(changed)},
        )
    return locked


RETRYABLE = "FAILED"


def job_retry(*, actor: User, job_id: str, request: HttpRequest | None = None) -> Any:
    """Enqueue a failed job's task again with the same arguments; return the new job's result.

    The attempt counter of a retried task starts again at one, so the new job gets its full
    retries. A failed job is run again once: a second press is refused.
    """
    from django_tasks.base import Task
    from django_tasks_db.models import DBTaskResult

    try:
        job_uuid = uuid.UUID(job_id)
    except ValueError:
        job_uuid = None
    with transaction.atomic():
        job = (
            DBTaskResult.objects.select_for_update().filter(pk=job_uuid).first()
            if job_uuid is not None
            else None
        )
        if job is None or job.status != RETRYABLE:
            raise MeesaqError(_("Only a failed job can be run again."), code="job_not_failed")
        if AuditEvent.objects.filter(
            action="system.job_retried", object_type=JOB_OBJECT_TYPE, object_id=str(job.pk)
        ).exists():
            raise MeesaqError(_("This job was already run again."), code="job_already_retried")
        try:
            target = import_string(job.task_path)
        except ImportError:
            target = None
        if not isinstance(target, Task):
            raise MeesaqError(
                _("This job's task no longer exists; it cannot be run again."),
                code="job_task_missing",
            )
        args = list(job.args_kwargs.get("args", []))
        kwargs = {
            name: value
            for name, value in job.args_kwargs.get("kwargs", {}).items()
            if name != "attempt"
        }
        result = target.using(queue_name=job.queue_name, priority=job.priority).enqueue(
            *args, **kwargs
        )
        audit_record(
            actor=actor,
            action="system.job_retried",
            object_type=JOB_OBJECT_TYPE,
            object_id=str(job.pk),
            request=request,
            detail={"task": job.task_path, "new_job": str(result.id)},
        )
    return result
