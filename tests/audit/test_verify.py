from meesaq.audit.chain import event_hash
from meesaq.audit.models import AuditEvent
from meesaq.audit.services import audit_record
from meesaq.audit.verify import verify_chain
from tests.audit.conftest import Tamper


def rehashed(event: AuditEvent, **changes: object) -> str:
    """Return the hash an attacker would compute for the event with the changes made."""
    fields: dict[str, object] = {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "ip_address": event.ip_address,
        "detail": event.detail,
        "previous_hash": event.previous_hash,
    }
    return event_hash(**{**fields, **changes})  # type: ignore[arg-type]  # test values


def test_an_empty_trail_is_intact(db: None) -> None:
    result = verify_chain()

    assert result.ok
    assert result.checked == 0


def test_an_untouched_chain_is_intact(chain: list[AuditEvent]) -> None:
    result = verify_chain()

    assert result.ok
    assert result.checked == len(chain)
    assert result.first_bad_sequence is None


def test_it_streams_in_batches_smaller_than_the_trail(chain: list[AuditEvent]) -> None:
    result = verify_chain(batch_size=2)

    assert result.ok
    assert result.checked == len(chain)


def test_editing_a_field_is_found_at_that_event(chain: list[AuditEvent], tamper: Tamper) -> None:
    tamper("UPDATE audit_auditevent SET object_id = %s WHERE sequence = %s", ["999", 3])

    result = verify_chain(batch_size=2)

    assert not result.ok
    assert result.first_bad_sequence == 3
    assert result.problem == "edited"
    assert "edited" in result.reason
    assert result.checked == 2


def test_editing_who_did_it_is_found(chain: list[AuditEvent], tamper: Tamper) -> None:
    tamper("UPDATE audit_auditevent SET actor_label = %s WHERE sequence = %s", ["someone", 1])

    result = verify_chain()

    assert (result.ok, result.first_bad_sequence, result.problem) == (False, 1, "edited")


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(
    chain: list[AuditEvent], tamper: Tamper
) -> None:
    forged = rehashed(chain[2], object_id="999")
    tamper(
        "UPDATE audit_auditevent SET object_id = %s, hash = %s WHERE sequence = %s",
        ["999", forged, 3],
    )

    result = verify_chain()

    assert (result.ok, result.first_bad_sequence, result.problem) == (False, 4, "unlinked")
    assert "#3" in result.reason


def test_a_first_event_that_does_not_start_from_genesis_is_found(
    chain: list[AuditEvent], tamper: Tamper
) -> None:
    forged = rehashed(chain[0], previous_hash="1" * 64)
    tamper(
        "UPDATE audit_auditevent SET previous_hash = %s, hash = %s WHERE sequence = 1",
        ["1" * 64, forged],
    )

    result = verify_chain()

    assert (result.ok, result.first_bad_sequence, result.problem) == (False, 1, "unlinked")


def test_deleting_a_middle_event_is_named(chain: list[AuditEvent], tamper: Tamper) -> None:
    tamper("DELETE FROM audit_auditevent WHERE sequence = %s", [3])

    result = verify_chain()

    assert (result.ok, result.first_bad_sequence, result.problem) == (False, 3, "missing")
    assert result.reason == "Event #3 is missing (deleted)."


def test_deleting_several_events_names_the_first_of_them(
    chain: list[AuditEvent], tamper: Tamper
) -> None:
    tamper("DELETE FROM audit_auditevent WHERE sequence IN (%s, %s)", [2, 3])

    result = verify_chain()

    assert (result.ok, result.first_bad_sequence) == (False, 2)
    assert result.reason == "Events #2 to #3 are missing (deleted)."


def test_deleting_the_first_event_is_named(chain: list[AuditEvent], tamper: Tamper) -> None:
    tamper("DELETE FROM audit_auditevent WHERE sequence = %s", [1])

    result = verify_chain()

    assert (result.ok, result.first_bad_sequence, result.problem) == (False, 1, "missing")


def test_deleting_the_newest_event_is_caught_by_the_head(
    chain: list[AuditEvent], tamper: Tamper
) -> None:
    tamper("DELETE FROM audit_auditevent WHERE sequence = %s", [5])

    result = verify_chain()

    assert (result.ok, result.first_bad_sequence, result.problem) == (False, 5, "head_mismatch")
    assert result.checked == 4
    assert "deleted" in result.reason


def test_deleting_every_event_is_caught_by_the_head(
    chain: list[AuditEvent], tamper: Tamper
) -> None:
    tamper("DELETE FROM audit_auditevent", [])

    result = verify_chain()

    assert (result.ok, result.first_bad_sequence, result.problem) == (False, 1, "head_mismatch")


def test_deleting_the_head_is_found(chain: list[AuditEvent], tamper: Tamper) -> None:
    tamper("DELETE FROM audit_auditchainhead", [])

    result = verify_chain()

    assert (result.ok, result.first_bad_sequence, result.problem) == (False, 6, "head_missing")


def test_a_head_whose_hash_was_changed_is_found(chain: list[AuditEvent], tamper: Tamper) -> None:
    tamper("UPDATE audit_auditchainhead SET hash = %s", ["f" * 64])

    result = verify_chain()

    assert (result.ok, result.first_bad_sequence, result.problem) == (False, 5, "head_mismatch")


def test_an_event_added_outside_the_application_is_found(chain: list[AuditEvent]) -> None:
    last = chain[-1]
    forged = AuditEvent(
        sequence=6,
        occurred_at=last.occurred_at,
        actor_label="",
        action="case.closed",
        detail={},
        previous_hash=last.hash,
    )
    forged.hash = rehashed(forged)
    forged.save()

    result = verify_chain()

    assert (result.ok, result.first_bad_sequence, result.problem) == (False, 6, "head_mismatch")
    assert "outside the application" in result.reason


def test_verifying_writes_nothing(chain: list[AuditEvent]) -> None:
    verify_chain()
    verify_chain()

    assert AuditEvent.objects.count() == len(chain)
    assert audit_record(actor=None, action="system.checked").sequence == len(chain) + 1
