"""Authenticator devices and backup codes, each change audited."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from meesaq.accounts.models import User
from meesaq.accounts.twofactor import two_factor_required
from meesaq.audit.services import audit_record
from meesaq.core.errors import MeesaqError

BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "backup"
DEFAULT_AUTHENTICATOR_NAME = "Authenticator app"
# Authenticator codes are 6 digits; backup codes are 8 letters and digits (base32).
_TOTP_CODE = re.compile(r"^\d{6}$")


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
