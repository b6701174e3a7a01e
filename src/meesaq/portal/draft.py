"""The complaint being written, kept in the session between steps, encrypted.

Sessions live in the database; a half-written complaint holds a story and maybe a name and a
phone number, so it is sealed with the identity key ring like any identity field at rest.
Nothing of it ever travels in an address.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest

from meesaq.crypto.keyring import CryptoError, decrypt, encrypt

SESSION_KEY = "portal_draft"
ASSOCIATED = b"portal.draft"


def draft_load(request: HttpRequest) -> dict[str, Any]:
    """Return the draft of this browser's complaint (empty if none or unreadable)."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str):
        return {}
    try:
        data = json.loads(decrypt(token, associated=ASSOCIATED))
    except (CryptoError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def draft_save(request: HttpRequest, data: dict[str, Any]) -> None:
    """Seal and keep the draft in the session."""
    request.session[SESSION_KEY] = encrypt(json.dumps(data), associated=ASSOCIATED)


def draft_clear(request: HttpRequest) -> None:
    """Forget the draft (after sending)."""
    request.session.pop(SESSION_KEY, None)
