import hashlib
from datetime import UTC, datetime
from itertools import pairwise

import pytest
import time_machine
from django.db import transaction
from django.test import RequestFactory

from meesaq.accounts.models import User
from meesaq.audit.chain import GENESIS_HASH, event_hash
from meesaq.audit.models import AuditChainHead, AuditEvent
from meesaq.audit.services import AuditChainError, audit_record
from meesaq.audit.verify import verify_chain
from tests.audit.conftest import run_as_superuser


def head() -> AuditChainHead:
    return AuditChainHead.objects.get()


def test_the_first_event_chains_to_the_genesis_hash(db: None) -> None:
    event = audit_record(actor=None, action="system.started")

    assert event.sequence == 1
    assert event.previous_hash == GENESIS_HASH
    assert (head().sequence, head().hash) == (1, event.hash)


def test_each_event_carries_the_hash_of_the_one_before(chain: list[AuditEvent]) -> None:
    for earlier, later in pairwise(chain):
        assert later.sequence == earlier.sequence + 1
        assert later.previous_hash == earlier.hash
    assert len({event.hash for event in chain}) == len(chain)
    assert (head().sequence, head().hash) == (chain[-1].sequence, chain[-1].hash)


def test_the_hash_is_the_sha256_of_the_documented_canonical_json(db: None) -> None:
    with time_machine.travel(datetime(2025, 3, 14, 9, 0, tzinfo=UTC), tick=False):
        event = audit_record(
            actor=None,
            action="case.viewed",
            object_type="cases.case",
            object_id="42",
            detail={"channel": "page", "ملک": "پاکستان"},
        )

    canonical = (
        '{"action":"case.viewed","actor_id":null,"actor_label":"",'
        '"detail":{"channel":"page","ملک":"پاکستان"},"ip_address":null,'
        '"object_id":"42","object_type":"cases.case",'
        '"occurred_at":"2025-03-14T09:00:00.000000+00:00",'
        f'"previous_hash":"{GENESIS_HASH}","sequence":1}}'
    )
    assert event.hash == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_the_hash_changes_when_any_field_changes() -> None:
    fields: dict[str, object] = {
        "sequence": 7,
        "occurred_at": datetime(2025, 3, 14, 9, 0, tzinfo=UTC),
        "actor_id": 3,
        "actor_label": "clerk",
        "action": "case.viewed",
        "object_type": "cases.case",
        "object_id": "42",
        "ip_address": "192.0.2.1",
        "detail": {"channel": "page"},
        "previous_hash": GENESIS_HASH,
    }
    changed: dict[str, object] = {
        "sequence": 8,
        "occurred_at": datetime(2025, 3, 14, 9, 0, 0, 1, tzinfo=UTC),
        "actor_id": 4,
        "actor_label": "clerk2",
        "action": "case.updated",
        "object_type": "cases.person",
        "object_id": "43",
        "ip_address": "192.0.2.2",
        "detail": {"channel": "api"},
        "previous_hash": "1" * 64,
    }
    original = event_hash(**fields)  # type: ignore[arg-type]  # a table of test values
    for name, value in changed.items():
        assert event_hash(**{**fields, name: value}) != original, name  # type: ignore[arg-type]


def test_it_records_who_from_where_and_which_object_but_no_more(clerk: User) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="2001:0db8:0000::0001")

    event = audit_record(actor=clerk, action="user.viewed", target=clerk, request=request)

    event.refresh_from_db()
    assert event.actor_id == clerk.pk
    assert event.actor_label == "clerk"
    assert (event.object_type, event.object_id) == ("accounts.user", str(clerk.pk))
    assert event.ip_address == "2001:db8::1"  # canonical, as PostgreSQL's inet gives it back
    assert event.detail == {}
    assert verify_chain().ok


def test_an_address_that_is_not_an_ip_address_is_left_out(db: None) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="unknown")

    event = audit_record(actor=None, action="system.checked", request=request)

    assert event.ip_address is None


def test_it_refuses_an_event_without_an_action(db: None) -> None:
    with pytest.raises(ValueError, match="action"):
        audit_record(actor=None, action="")
    assert not AuditEvent.objects.exists()


def test_two_appends_in_separate_transactions_get_consecutive_sequences(clerk: User) -> None:
    with transaction.atomic():
        first = audit_record(actor=clerk, action="case.created")
    with transaction.atomic():
        second = audit_record(actor=clerk, action="case.updated")

    assert second.sequence == first.sequence + 1
    assert second.previous_hash == first.hash
    assert (head().sequence, head().hash) == (second.sequence, second.hash)


def test_an_append_rolled_back_with_its_transaction_leaves_no_trace(clerk: User) -> None:
    kept = audit_record(actor=clerk, action="case.created")
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=clerk, action="case.updated")
        raise RuntimeError("the service failed after auditing")

    after = audit_record(actor=clerk, action="case.closed")

    assert after.sequence == kept.sequence + 1
    assert after.previous_hash == kept.hash
    assert verify_chain().ok


def test_a_missing_head_is_recreated_on_an_empty_trail(db: None) -> None:
    run_as_superuser("DELETE FROM audit_auditchainhead")

    event = audit_record(actor=None, action="system.started")

    assert event.sequence == 1
    assert (head().sequence, head().hash) == (1, event.hash)


def test_it_refuses_to_append_when_the_head_is_gone_but_events_remain(
    chain: list[AuditEvent],
) -> None:
    run_as_superuser("DELETE FROM audit_auditchainhead")

    with pytest.raises(AuditChainError):
        audit_record(actor=None, action="system.started")

    assert AuditEvent.objects.count() == len(chain)
    assert not AuditChainHead.objects.exists()


def test_several_events_are_appended_in_one_go_and_chain_as_one_by_one(db: None) -> None:
    from meesaq.audit.services import AuditEntry, audit_record_many

    first = audit_record(actor=None, action="system.started")
    user = User.objects.create_user(username="viewer", password="x" * 16)
    events = audit_record_many(
        actor=user,
        entries=[
            AuditEntry("identity.viewed", target=user, detail={"channel": "page"}),
            AuditEntry("identity.viewed", object_type="cases.person", object_id="7"),
        ],
    )
    stored = list(AuditEvent.objects.order_by("sequence"))
    assert [event.sequence for event in stored] == [1, 2, 3]
    assert [event.previous_hash for event in stored[1:]] == [first.hash, stored[1].hash]
    assert [(e.object_type, e.object_id) for e in stored[1:]] == [
        ("accounts.user", str(user.pk)),
        ("cases.person", "7"),
    ]
    assert all(event.actor_label == "viewer" for event in stored[1:])
    assert [event.hash for event in events] == [event.hash for event in stored[1:]]
    assert (head().sequence, head().hash) == (3, stored[-1].hash)
    assert verify_chain().ok
    assert audit_record_many(actor=user, entries=[]) == []
    assert head().sequence == 3
