"""Helpers for the audit tests: making events, and tampering with rows as a database superuser."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from django.db import connection

from meesaq.accounts.models import User
from meesaq.audit.models import AuditEvent
from meesaq.audit.services import audit_record

Tamper = Callable[[str, Sequence[str | int]], None]


def run_as_superuser(sql: str, params: Sequence[str | int] = ()) -> None:
    """Run raw SQL as an attacker with superuser rights would: past the append-only triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Only a superuser may do this; it switches off ordinary triggers for the session.
            cursor.execute("SET session_replication_role = replica")
            try:
                cursor.execute(sql, params)
            finally:
                cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute(sql, params)


@pytest.fixture
def tamper() -> Tamper:
    """Return a function that edits audit rows directly in the database."""
    return run_as_superuser


@pytest.fixture
def clerk(django_user_model: type[User]) -> User:
    """Return a plain staff user to act in events."""
    return django_user_model.objects.create_user(username="clerk", password="unused-here")


@pytest.fixture
def chain(clerk: User) -> list[AuditEvent]:
    """Append five events and return them oldest first."""
    return [
        audit_record(
            actor=clerk,
            action="case.updated",
            object_type="cases.case",
            object_id=str(number),
            detail={"step": number},
        )
        for number in range(1, 6)
    ]
