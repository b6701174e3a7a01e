from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks


class CryptoConfig(AppConfig):
    name = "meesaq.crypto"
    label = "crypto"

    def ready(self) -> None:
        # Importing the key ring connects its cache reset to setting_changed.
        from meesaq.crypto import keyring  # noqa: F401

        checks.register(check_keys, checks.Tags.security)


def check_keys(**kwargs: Any) -> list[checks.CheckMessage]:
    """Report malformed encryption or blind index keys before the first request needs them."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from meesaq.crypto.blind_index import blind_index
    from meesaq.crypto.keyring import parse_keyring

    errors: list[checks.CheckMessage] = []
    try:
        parse_keyring(str(getattr(settings, "MEESAQ_ENCRYPTION_KEYS", "")))
    except ImproperlyConfigured as error:
        errors.append(checks.Error(str(error), id="crypto.E001"))
    try:
        blind_index("check", "")
    except ImproperlyConfigured as error:
        errors.append(checks.Error(str(error), id="crypto.E002"))
    return errors
