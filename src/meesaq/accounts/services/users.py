"""User management by administrators: users, memberships, deactivation, 2FA resets."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from meesaq.access import policy
from meesaq.access.roles import Role
from meesaq.accounts.models import User
from meesaq.accounts.services.passwords import _issue_link, _meesaq_error_from
from meesaq.audit.services import audit_record
from meesaq.core.errors import MeesaqError
from meesaq.orgs.models import Membership, Organisation

BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "backup"
DEFAULT_AUTHENTICATOR_NAME = "Authenticator app"
# Authenticator codes are 6 digits; backup codes are 8 letters and digits (base32).
_TOTP_CODE = re.compile(r"^\d{6}$")


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


def user_set_password_link(*, actor: User, user: User, request: HttpRequest | None = None) -> str:
    """Issue a new one-time set-password link; the user's current password stops working."""
    _require_user_manager(actor)
    with transaction.atomic():
        return _issue_link(actor=actor, user=user, request=request)


# --- Users and memberships (administrators) ---------------------------------------------------
