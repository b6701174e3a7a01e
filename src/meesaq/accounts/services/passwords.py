"""Sign-in records, passwords and one-time set-password links, each audited."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.accounts.models import User
from meesaq.accounts.tokens import set_password_tokens, uid_for
from meesaq.audit.services import audit_record
from meesaq.core.errors import MeesaqError

BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "backup"
DEFAULT_AUTHENTICATOR_NAME = "Authenticator app"
# Authenticator codes are 6 digits; backup codes are 8 letters and digits (base32).
_TOTP_CODE = re.compile(r"^\d{6}$")


def _meesaq_error_from(error: ValidationError) -> MeesaqError:
    """Turn a model or password validation error into the error users read."""
    fields: dict[str, list[str | Promise]] = {}
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            fields[name] = list(errors)
        messages = [message for errors in fields.values() for message in errors]
    else:
        messages = list(error.messages)
    return MeesaqError(" ".join(str(m) for m in messages), code="invalid", fields=fields)


# --- Sign-in and sign-out ---------------------------------------------------------------------


def sign_in_record(*, user: User, request: HttpRequest | None = None) -> None:
    """Audit a successful sign-in with the password."""
    audit_record(actor=user, action="auth.sign_in", target=user, request=request)


def sign_in_failure_record(
    *, username: str, locked_out: bool, request: HttpRequest | None = None
) -> None:
    """Audit a refused sign-in: the account if it exists, never the name that was typed."""
    from meesaq.accounts.selectors import user_by_username

    existing = user_by_username(username) if username else None
    audit_record(
        actor=None,
        action="auth.sign_in_failed",
        target=existing,
        request=request,
        detail={"locked_out": locked_out, "known_account": existing is not None},
    )


def sign_out_record(*, user: User, request: HttpRequest | None = None) -> None:
    """Audit a sign-out."""
    audit_record(actor=user, action="auth.sign_out", target=user, request=request)


def user_sign_out_everywhere(*, user: User, request: HttpRequest | None = None) -> None:
    """End every session of the user, on every device, by raising their session generation."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        user.refresh_from_db(fields=["session_generation"])
        audit_record(actor=user, action="auth.signed_out_everywhere", target=user, request=request)


# --- Passwords --------------------------------------------------------------------------------


def _check_password_rules(user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise MeesaqError(
            " ".join(error.messages),
            code="weak_password",
            fields={"new_password1": list(error.messages)},
        ) from error


def user_password_change(
    *, user: User, new_password: str, request: HttpRequest | None = None
) -> None:
    """Set a new password the user chose (the caller has checked the old one)."""
    _check_password_rules(user, new_password)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(actor=user, action="auth.password_changed", target=user, request=request)


def user_password_set_with_link(
    *, user: User, token: str, new_password: str, request: HttpRequest | None = None
) -> None:
    """Set the password through a one-time link; the link dies with the old password hash."""
    if not user.is_active or not set_password_tokens.check_token(user, token):
        raise MeesaqError(
            _("This link has expired or was already used. Ask your administrator for a new one."),
            code="link_invalid",
        )
    _check_password_rules(user, new_password)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(actor=user, action="auth.password_set", target=user, request=request)


def _send_set_password_email(*, user: User, link: str) -> None:
    context = {"user": user, "link": link, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
    subject = render_to_string("accounts/emails/set_password_subject.txt", context).strip()
    body = render_to_string("accounts/emails/set_password_body.txt", context)
    send_mail(subject, body, None, [user.email])


def _issue_link(*, actor: User, user: User, request: HttpRequest | None) -> str:
    """Clear the password (ending earlier links and sessions) and return a new one-time link."""
    user.set_unusable_password()
    user.save(update_fields=["password"])
    path = reverse(
        "accounts:set_password",
        kwargs={"uidb64": uid_for(user.pk), "token": set_password_tokens.make_token(user)},
    )
    link = request.build_absolute_uri(path) if request is not None else path
    emailed = bool(user.email)
    if emailed:
        transaction.on_commit(lambda: _send_set_password_email(user=user, link=link))
    audit_record(
        actor=actor,
        action="users.set_password_link_issued",
        target=user,
        request=request,
        detail={"emailed": emailed},
    )
    return link
