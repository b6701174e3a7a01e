"""A kept head statement pins the past: forged statements and rewritten histories are caught."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from meesaq.audit.models import AuditEvent
from meesaq.audit.services import audit_record
from meesaq.audit.witness import head_check, head_statement
from tests.audit.conftest import Tamper
from tests.audit.test_verify import rehashed


def kept_head(tmp_path: Path) -> Path:
    out = StringIO()
    call_command("audit", "head", stdout=out)
    path = tmp_path / "head.txt"
    path.write_text(out.getvalue())
    return path


def rewrite_history(events: list[AuditEvent], tamper: Tamper) -> None:
    """Change the first event and recompute every hash after it, as a full rewrite would."""
    previous = ""
    for position, event in enumerate(events):
        changes: dict[str, object] = {"previous_hash": previous} if position else {}
        if position == 0:
            changes["action"] = "case.rewritten"
            tamper(
                "UPDATE audit_auditevent SET action = %s WHERE id = %s",
                ["case.rewritten", event.pk],
            )
        digest = rehashed(event, **changes)
        tamper(
            "UPDATE audit_auditevent SET hash = %s, previous_hash = %s WHERE id = %s",
            [digest, event.previous_hash if position == 0 else previous, event.pk],
        )
        previous = digest
    tamper("UPDATE audit_auditchainhead SET hash = %s", [previous])


def test_a_kept_head_still_matches_after_more_events(
    chain: list[AuditEvent], tmp_path: Path
) -> None:
    head = kept_head(tmp_path)
    audit_record(actor=None, action="case.later")
    out = StringIO()

    call_command("audit", "verify", "--head", str(head), stdout=out)

    assert "Kept head matches: events up to #5 are unchanged" in out.getvalue()
    assert "6 events checked" in out.getvalue()


def test_a_history_rewritten_with_consistent_hashes_is_caught_by_the_kept_head(
    chain: list[AuditEvent], tamper: Tamper, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = kept_head(tmp_path)
    rewrite_history(chain, tamper)
    call_command("audit", "verify")  # the chain alone looks intact
    assert "events checked" in capsys.readouterr().out

    with pytest.raises(SystemExit) as exit_code:
        call_command("audit", "verify", "--head", str(head))

    assert exit_code.value.code == 1
    assert "event #5 has another hash" in capsys.readouterr().err


def test_a_forged_head_statement_is_refused(chain: list[AuditEvent]) -> None:
    sequence, _, signature = head_statement().split()
    forged = f"{sequence} {'0' * 64} {signature}"

    check = head_check(forged)

    assert not check.ok
    assert "forged" in check.reason


def test_a_statement_signed_with_another_secret_is_refused(chain: list[AuditEvent]) -> None:
    with override_settings(SECRET_KEY="another-site-secret-key-" * 3):
        statement = head_statement()

    assert not head_check(statement).ok


def test_a_statement_signed_before_a_secret_key_rotation_still_verifies(
    chain: list[AuditEvent],
) -> None:
    from django.conf import settings

    statement = head_statement()
    with override_settings(
        SECRET_KEY="the-new-secret-key-" * 3, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]
    ):
        assert head_check(statement).ok


def test_a_deleted_event_named_by_the_statement_is_reported(
    chain: list[AuditEvent], tamper: Tamper
) -> None:
    statement = head_statement()
    tamper("DELETE FROM audit_auditevent WHERE sequence = %s", [5])

    check = head_check(statement)

    assert not check.ok
    assert "is gone" in check.reason


@pytest.mark.parametrize("text", ["", "5 abc def", "five " + "a" * 64 + " " + "b" * 64])
def test_a_malformed_statement_is_explained(db: None, text: str) -> None:
    check = head_check(text)

    assert not check.ok
    assert "not in the form" in check.reason


def test_an_unreadable_head_file_is_explained(db: None, tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Cannot read the head statement"):
        call_command("audit", "verify", "--head", str(tmp_path / "missing.txt"))
