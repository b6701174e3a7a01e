"""Helpers for the account tests: real codes from real device keys, real sign-ins."""

from __future__ import annotations

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from meesaq.audit.models import AuditEvent

SIGN_IN = "/en/account/sign-in/"
TWO_FACTOR = "/en/account/two-factor/"
SETUP = "/en/account/two-factor/setup/"
DEVICES = "/en/account/devices/"
PROFILE = "/en/account/profile/"
USERS = "/en/account/users/"
HOME = "/en/"


def current_code(device: TOTPDevice) -> str:
    """Return the code the authenticator app would show now, computed from the device key."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=0)
    return f"{value:0{device.digits}d}"


def password_sign_in(username: str, password: str, client: Client | None = None) -> Client:
    """Sign in through the real form (no second factor yet) and return the client."""
    client = client or Client()
    client.post(SIGN_IN, {"username": username, "password": password})
    return client


def events(action: str) -> list[AuditEvent]:
    """Return the audit events of one kind, oldest first."""
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))
