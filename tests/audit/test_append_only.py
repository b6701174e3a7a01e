import pytest
from django.db import DatabaseError, connection, transaction

from meesaq.audit.models import AppendOnlyError, AuditChainHead, AuditEvent
from meesaq.audit.services import audit_record

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the database trigger exists on PostgreSQL only (SQLite's test flush deletes rows)",
)


def test_it_refuses_to_save_a_changed_event(chain: list[AuditEvent]) -> None:
    event = AuditEvent.objects.get(pk=chain[2].pk)
    event.action = "case.deleted"

    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.save(update_fields=["action"])

    assert AuditEvent.objects.get(pk=event.pk).action == "case.updated"


def test_it_refuses_to_overwrite_an_event_through_a_new_object_with_its_key(
    chain: list[AuditEvent],
) -> None:
    copy = AuditEvent(pk=chain[0].pk, sequence=chain[0].sequence, action="forged", hash="f" * 64)

    with pytest.raises(DatabaseError), transaction.atomic():
        copy.save()

    assert AuditEvent.objects.get(pk=chain[0].pk).action == "case.updated"


def test_it_refuses_to_delete_an_event(chain: list[AuditEvent]) -> None:
    with pytest.raises(AppendOnlyError):
        chain[0].delete()

    assert AuditEvent.objects.count() == len(chain)


def test_it_refuses_a_bulk_update_or_delete_through_the_orm(chain: list[AuditEvent]) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(action="case.updated").update(action="case.deleted")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    # bulk_update runs without a savepoint of its own: give it one, as a caller would.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent.objects.bulk_update(chain, ["action"])

    assert AuditEvent.objects.filter(action="case.updated").count() == len(chain)


def test_it_refuses_to_delete_the_chain_head(chain: list[AuditEvent]) -> None:
    with pytest.raises(AppendOnlyError):
        AuditChainHead.objects.get().delete()

    assert AuditChainHead.objects.get().sequence == chain[-1].sequence


@on_postgresql
def test_the_database_refuses_a_raw_update_or_delete_of_an_event(
    chain: list[AuditEvent],
) -> None:
    with connection.cursor() as cursor:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(
                "UPDATE audit_auditevent SET action = 'forged' WHERE id = %s", [chain[1].pk]
            )
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [chain[1].pk])
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("DELETE FROM audit_auditchainhead")

    assert AuditEvent.objects.get(pk=chain[1].pk).action == "case.updated"
    assert AuditChainHead.objects.exists()


@on_postgresql
def test_the_database_still_accepts_new_events_and_head_updates(
    chain: list[AuditEvent],
) -> None:
    event = audit_record(actor=None, action="system.checked")

    assert event.sequence == chain[-1].sequence + 1
    assert AuditChainHead.objects.get().sequence == event.sequence
