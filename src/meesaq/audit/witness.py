"""A signed statement of the chain's head, for operators to keep off the machine.

The hash chain proves the trail was not edited in place, but someone able to rewrite every row
could rebuild a consistent chain. A head statement (``sequence hash signature``) copied
elsewhere pins the past: ``audit verify --head FILE`` checks that event #sequence still has that
hash, so nothing up to it was changed since. The signature is a keyed HMAC (from SECRET_KEY) so a
statement cannot be forged by someone who only holds the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from meesaq.audit.models import AuditEvent
from meesaq.audit.selectors import audit_chain_head

_SALT = "meesaq.audit.head"
_STATEMENT = re.compile(r"^(?P<sequence>\d+) (?P<hash>[0-9a-f]{64}) (?P<signature>[0-9a-f]{64})$")


def _signature(sequence: int, digest: str, secret: str | None = None) -> str:
    return salted_hmac(_SALT, f"{sequence}:{digest}", secret=secret, algorithm="sha256").hexdigest()


def head_statement() -> str:
    """Return the signed statement of the current head."""
    head = audit_chain_head()
    return f"{head.sequence} {head.hash} {_signature(head.sequence, head.hash)}"


@dataclass(frozen=True)
class HeadCheck:
    """Whether the trail still agrees with a kept head statement."""

    ok: bool
    sequence: int | None
    reason: str


def head_check(statement: str) -> HeadCheck:
    """Check a kept statement's signature and that its event still carries its hash."""
    match = _STATEMENT.match(statement.strip())
    if match is None:
        return HeadCheck(False, None, "the head statement is not in the form 'sequence hash sig'")
    sequence, digest = int(match["sequence"]), match["hash"]
    # Statements signed before a SECRET_KEY rotation still verify while the old key is a fallback.
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(
        constant_time_compare(_signature(sequence, digest, secret), match["signature"])
        for secret in secrets
    ):
        return HeadCheck(False, sequence, "the head statement's signature is wrong: it is forged")
    if sequence == 0:
        return HeadCheck(True, 0, "the statement was made before the first event")
    stored = AuditEvent.objects.filter(sequence=sequence).values_list("hash", flat=True).first()
    if stored is None:
        return HeadCheck(False, sequence, f"event #{sequence} named by the statement is gone")
    if stored != digest:
        return HeadCheck(
            False, sequence, f"event #{sequence} has another hash: the trail up to it was rewritten"
        )
    return HeadCheck(True, sequence, f"events up to #{sequence} are unchanged since the statement")
