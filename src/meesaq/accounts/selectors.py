"""Reads about users, their memberships and their second-factor devices."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from meesaq.access import policy
from meesaq.accounts.models import User
from meesaq.orgs.models import Membership, Organisation

USERS_PER_PAGE = 25


def user_list_for_admin(
    *,
    user: User,
    organisation_id: int | None = None,
    role: str = "",
    active: bool | None = None,
) -> QuerySet[User]:
    """Return the users this administrator may manage, filtered, with their active memberships."""
    queryset = policy.scoped(user, User)
    membership_filter = Q(memberships__is_active=True)
    if organisation_id is not None:
        membership_filter &= Q(memberships__organisation_id=organisation_id)
    if role:
        membership_filter &= Q(memberships__role=role)
    if organisation_id is not None or role:
        queryset = queryset.filter(pk__in=User.objects.filter(membership_filter).values("pk"))
    if active is not None:
        queryset = queryset.filter(is_active=active)
    return queryset.order_by("username").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(is_active=True)
            .select_related("organisation")
            .order_by("organisation__name_en", "role"),
            to_attr="active_memberships",
        )
    )


def user_get_for_admin(*, user: User, pk: int) -> User:
    """Return one user this administrator may manage, or raise 404."""
    return policy.get_scoped(user, User, pk=pk)


def memberships_of(*, user: User) -> list[Membership]:
    """Return the user's active memberships with their organisations and places."""
    return list(
        Membership.objects.filter(user__pk=user.pk, is_active=True)
        .select_related("organisation__jurisdiction")
        .order_by("organisation__name_en", "role")
    )


def membership_of_user(*, user: User, pk: int) -> Membership | None:
    """Return one active membership of this user, or None."""
    return (
        Membership.objects.filter(user__pk=user.pk, pk=pk, is_active=True)
        .select_related("organisation")
        .first()
    )


def organisations_for_memberships(*, user: User) -> QuerySet[Organisation]:
    """Return the active organisations this administrator may place users in."""
    return (
        policy.scoped(user, Organisation)
        .filter(is_active=True)
        .select_related("jurisdiction")
        .order_by("name_en")
    )


@dataclass(frozen=True)
class DevicesSummary:
    """A user's second factors: authenticator apps and how many backup codes are left."""

    authenticators: list[TOTPDevice]
    backup_codes_left: int


def devices_summary(*, user: User) -> DevicesSummary:
    """Return the user's confirmed authenticators and the count of unused backup codes."""
    authenticators = list(
        TOTPDevice.objects.filter(user__pk=user.pk, confirmed=True).order_by("created_at", "pk")
    )
    left = StaticToken.objects.filter(device__user__pk=user.pk, device__confirmed=True).count()
    return DevicesSummary(authenticators=authenticators, backup_codes_left=left)


def authenticator_of_user(*, user: User, pk: int) -> TOTPDevice | None:
    """Return one confirmed authenticator of this user, or None."""
    return TOTPDevice.objects.filter(user__pk=user.pk, pk=pk, confirmed=True).first()


def has_confirmed_device(*, user: User) -> bool:
    """Say whether the user has any second factor (authenticator or backup codes)."""
    return bool(
        TOTPDevice.objects.filter(user__pk=user.pk, confirmed=True).exists()
        or StaticToken.objects.filter(device__user__pk=user.pk, device__confirmed=True).exists()
    )


def user_from_link_uid(uidb64: str) -> User | None:
    """Return the active user a set-password link names, or None for a broken link."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def user_by_username(username: str) -> User | None:
    """Return the user with this exact username, or None."""
    return User.objects.filter(username=username).first()
