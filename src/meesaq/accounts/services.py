"""Every write about users, sign-in, passwords and second factors, each with its audit event."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

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
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from meesaq.access import policy
from meesaq.access.roles import Role
from meesaq.accounts.models import User
from meesaq.accounts.tokens import set_password_tokens, uid_for
from meesaq.accounts.twofactor import two_factor_required
from meesaq.audit.services import audit_record
from meesaq.core.errors import MeesaqError
from meesaq.orgs.models import Membership, Organisation

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


def user_set_password_link(*, actor: User, user: User, request: HttpRequest | None = None) -> str:
    """Issue a new one-time set-password link; the user's current password stops working."""
    _require_user_manager(actor)
    with transaction.atomic():
        return _issue_link(actor=actor, user=user, request=request)


# --- Users and memberships (administrators) ---------------------------------------------------


def _require_user_manager(actor: User) -> None:
    """Refuse anyone who may not manage users, whatever page or command called."""
    if not policy.may(actor, "users.manage"):
        raise MeesaqError(_("You cannot manage users."), code="forbidden")


@dataclass(frozen=True)
class CreatedUser:
    """A new user and the one-time link that lets them choose a password."""

    user: User
    link: str


def _membership_add(
    *,
    actor: User,
    user: User,
    organisation: Organisation,
    role: str,
    request: HttpRequest | None,
) -> Membership:
    if not organisation.is_active:
        raise MeesaqError(_("This organisation is no longer active."), code="inactive_org")
    if role not in Role.values:
        raise MeesaqError(_("Choose a role."), code="invalid_role")
    membership = Membership.objects.filter(user=user, organisation=organisation, role=role).first()
    if membership is not None and membership.is_active:
        raise MeesaqError(
            _("The user already holds this role in this organisation."), code="duplicate"
        )
    if membership is None:
        membership = Membership(user=user, organisation=organisation, role=role)
    membership.is_active = True
    try:
        membership.full_clean()
    except ValidationError as error:
        raise _meesaq_error_from(error) from error
    membership.save()
    policy.forget_grants(user)
    audit_record(
        actor=actor,
        action="users.membership_added",
        target=membership,
        request=request,
        detail={"user_id": user.pk, "organisation_id": organisation.pk, "role": role},
    )
    return membership


def user_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    memberships: Sequence[tuple[Organisation, str]],
    request: HttpRequest | None = None,
) -> CreatedUser:
    """Create a staff user with at least one role and no password, and issue their link."""
    _require_user_manager(actor)
    if not memberships:
        raise MeesaqError(_("Give the user at least one role."), code="no_membership")
    user = User(
        username=username.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=User.objects.normalize_email(email.strip()),
    )
    user.set_unusable_password()
    try:
        user.full_clean()
    except ValidationError as error:
        raise _meesaq_error_from(error) from error
    with transaction.atomic():
        user.save()
        audit_record(
            actor=actor,
            action="users.created",
            target=user,
            request=request,
            detail={"memberships": len(memberships)},
        )
        for organisation, role in memberships:
            _membership_add(
                actor=actor, user=user, organisation=organisation, role=role, request=request
            )
        link = _issue_link(actor=actor, user=user, request=request)
    return CreatedUser(user=user, link=link)


def user_update(
    *,
    actor: User,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    request: HttpRequest | None = None,
) -> User:
    """Change a user's names and email address."""
    _require_user_manager(actor)
    changes = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "email": User.objects.normalize_email(email.strip()),
    }
    changed = [name for name, value in changes.items() if getattr(user, name) != value]
    if not changed:
        return user
    for name in changed:
        setattr(user, name, changes[name])
    try:
        user.full_clean()
    except ValidationError as error:
        raise _meesaq_error_from(error) from error
    with transaction.atomic():
        user.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="users.updated",
            target=user,
            request=request,
            detail={"fields": ",".join(changed)},
        )
    return user


def membership_add(
    *,
    actor: User,
    user: User,
    organisation: Organisation,
    role: str,
    request: HttpRequest | None = None,
) -> Membership:
    """Give a user a role in an organisation (or restore one that was removed)."""
    _require_user_manager(actor)
    with transaction.atomic():
        return _membership_add(
            actor=actor, user=user, organisation=organisation, role=role, request=request
        )


def membership_remove(
    *, actor: User, membership: Membership, request: HttpRequest | None = None
) -> None:
    """End a user's role in an organisation; the row stays for the record."""
    _require_user_manager(actor)
    if membership.user_id == actor.pk and membership.role == Role.ADMINISTRATOR:
        raise MeesaqError(
            _("You cannot remove your own administrator role; ask another administrator."),
            code="own_admin_role",
        )
    with transaction.atomic():
        membership.is_active = False
        membership.save(update_fields=["is_active", "updated_at"])
        policy.forget_grants(membership.user)
        audit_record(
            actor=actor,
            action="users.membership_removed",
            target=membership,
            request=request,
            detail={
                "user_id": membership.user_id,
                "organisation_id": membership.organisation_id,
                "role": membership.role,
            },
        )


def user_deactivate(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """Stop a user from signing in; their sessions end at once."""
    _require_user_manager(actor)
    if user.pk == actor.pk:
        raise MeesaqError(_("You cannot deactivate your own account."), code="self_deactivate")
    if not user.is_active:
        return
    with transaction.atomic():
        user.is_active = False
        user.session_generation += 1
        user.save(update_fields=["is_active", "session_generation"])
        audit_record(actor=actor, action="users.deactivated", target=user, request=request)


def user_reactivate(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """Let a deactivated user sign in again."""
    _require_user_manager(actor)
    if user.is_active:
        return
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action="users.reactivated", target=user, request=request)


def user_two_factor_reset(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """Remove all of a user's second factors; they set up a new one at their next sign-in."""
    _require_user_manager(actor)
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, StaticDevice):
            count, _rows = model.objects.filter(user__pk=user.pk).delete()
            removed += count
        audit_record(
            actor=actor,
            action="users.two_factor_reset",
            target=user,
            request=request,
            detail={"rows_removed": removed},
        )


# --- Second factor ----------------------------------------------------------------------------


def two_factor_device_start(*, user: User) -> TOTPDevice:
    """Return the user's authenticator waiting for confirmation, creating one if needed."""
    device = TOTPDevice.objects.filter(user__pk=user.pk, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=DEFAULT_AUTHENTICATOR_NAME, confirmed=False
        )
    return device


def _normalise_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def backup_codes_generate(*, user: User, request: HttpRequest | None = None) -> list[str]:
    """Replace the user's backup codes with ten new single-use ones and return them once."""
    with transaction.atomic():
        codes = _replace_backup_codes(user)
        audit_record(
            actor=user,
            action="auth.backup_codes_generated",
            target=user,
            request=request,
            detail={"count": len(codes)},
        )
    return codes


def _replace_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user__pk=user.pk).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _index in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def two_factor_device_confirm(
    *,
    user: User,
    device: TOTPDevice,
    code: str,
    name: str = "",
    request: HttpRequest | None = None,
) -> list[str]:
    """Confirm a new authenticator with a code from it; return new backup codes if none existed.

    The first authenticator comes with ten backup codes (returned here, shown once); later ones
    keep the codes the user already holds.
    """
    if device.user_id != user.pk or device.confirmed:
        raise MeesaqError(_("This authenticator cannot be confirmed."), code="invalid_device")
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        accepted = bool(locked.verify_token(_normalise_code(code)))
    if not accepted:
        message = _(
            "That code is not right. Check that your phone's clock is correct and enter the "
            "code the app shows now."
        )
        raise MeesaqError(message, code="wrong_code", fields={"code": [message]})
    device.refresh_from_db()
    with transaction.atomic():
        device.confirmed = True
        device.name = name.strip()[:64] or DEFAULT_AUTHENTICATOR_NAME
        device.save(update_fields=["confirmed", "name"])
        has_codes = StaticToken.objects.filter(device__user__pk=user.pk).exists()
        codes = [] if has_codes else _replace_backup_codes(user)
        audit_record(
            actor=user,
            action="auth.two_factor_device_added",
            target=user,
            request=request,
            detail={"device_id": device.pk, "backup_codes_created": bool(codes)},
        )
    return codes


@dataclass(frozen=True)
class _CodeCheck:
    device: Device | None
    throttled: bool


def _match_code(user: User, code: str) -> _CodeCheck:
    """Try the code on the fitting kind of device; failures count towards each one's throttle."""
    code = _normalise_code(code)
    if not code:
        return _CodeCheck(device=None, throttled=False)
    model: type[Device] = TOTPDevice if _TOTP_CODE.match(code) else StaticDevice
    # The failed attempt must be committed with the device's throttle counter, so no error is
    # raised inside this transaction.
    with transaction.atomic():
        devices = list(model.objects.filter(user__pk=user.pk, confirmed=True).select_for_update())
        throttled = bool(devices) and all(not d.verify_is_allowed()[0] for d in devices)
        for device in devices:
            if device.verify_token(code):
                return _CodeCheck(device=device, throttled=False)
    return _CodeCheck(device=None, throttled=throttled)


def two_factor_verify(*, user: User, code: str, request: HttpRequest | None = None) -> Device:
    """Check an authenticator code or a backup code (used up by this); return the device."""
    check = _match_code(user, code)
    device = check.device
    if device is None:
        audit_record(
            actor=user,
            action="auth.two_factor_failed",
            target=user,
            request=request,
            detail={"throttled": check.throttled},
        )
        if check.throttled:
            raise MeesaqError(
                _("Too many wrong codes. Wait a moment, then enter the newest code."),
                code="throttled",
            )
        raise MeesaqError(
            _("That code is not right. Enter the current code, or one of your backup codes."),
            code="wrong_code",
        )
    method = "backup_code" if isinstance(device, StaticDevice) else "totp"
    audit_record(
        actor=user,
        action="auth.two_factor_passed",
        target=user,
        request=request,
        detail={"method": method},
    )
    return device


def _confirmation_device(user: User, confirmation: str) -> tuple[bool, Device | None]:
    """Accept the user's password or a current code; return the device that gave the code."""
    if confirmation and user.check_password(confirmation):
        return True, None
    code = _normalise_code(confirmation)
    if _TOTP_CODE.match(code):
        device = _match_code(user, code).device
        if device is not None:
            return True, device
    return False, None


def _refuse_unconfirmed(user: User, confirmation: str) -> Device | None:
    confirmed, device = _confirmation_device(user, confirmation)
    if not confirmed:
        raise MeesaqError(
            _("Enter your password or a current code from your authenticator to confirm."),
            code="confirmation_failed",
            fields={"confirmation": [_("This is not your password or a current code.")]},
        )
    return device


def two_factor_device_remove(
    *,
    user: User,
    device: TOTPDevice,
    confirmation: str,
    request: HttpRequest | None = None,
) -> Device | None:
    """Remove one of the user's authenticators after they confirm it is them.

    The last authenticator of a user whose role requires two-factor sign-in stays. Returns the
    device whose code confirmed the removal, so the caller can keep the session verified.
    """
    if device.user_id != user.pk:
        raise MeesaqError(_("This authenticator cannot be removed."), code="invalid_device")
    others = TOTPDevice.objects.filter(user__pk=user.pk, confirmed=True).exclude(pk=device.pk)
    if two_factor_required(user) and not others.exists():
        raise MeesaqError(
            _(
                "Your role requires two-factor sign-in, so your last authenticator cannot be "
                "removed. Add another one first."
            ),
            code="last_device",
        )
    confirmed_by = _refuse_unconfirmed(user, confirmation)
    with transaction.atomic():
        device_id = device.pk
        device.delete()
        audit_record(
            actor=user,
            action="auth.two_factor_device_removed",
            target=user,
            request=request,
            detail={"device_id": device_id},
        )
    if confirmed_by is not None and confirmed_by.pk == device_id:
        return None
    return confirmed_by


def backup_codes_regenerate(
    *, user: User, confirmation: str, request: HttpRequest | None = None
) -> list[str]:
    """Replace the backup codes after the user confirms it is them; return the new codes."""
    _refuse_unconfirmed(user, confirmation)
    return backup_codes_generate(user=user, request=request)
