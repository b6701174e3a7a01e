"""Appends from separate connections racing each other (PostgreSQL: real row locks)."""

import threading

import pytest
from django.db import connection, connections

from meesaq.audit.models import AuditChainHead, AuditEvent
from meesaq.audit.services import audit_record
from meesaq.audit.verify import verify_chain

WRITERS = 4
EVENTS_EACH = 10


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database is shared-cache: it fails lock waits at once",
)
@pytest.mark.django_db(transaction=True)
def test_racing_writers_still_build_one_unbroken_chain() -> None:
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(number: int) -> None:
        try:
            start.wait()
            for step in range(EVENTS_EACH):
                audit_record(
                    actor=None,
                    action="test.raced",
                    object_id=f"{number}-{step}",
                )
        except BaseException as error:  # reported to the test thread below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    total = WRITERS * EVENTS_EACH
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, total + 1))
    head = AuditChainHead.objects.get()
    assert head.sequence == total
    assert head.hash == AuditEvent.objects.get(sequence=total).hash
    assert verify_chain().ok
