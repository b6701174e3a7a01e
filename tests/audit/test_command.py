from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from meesaq import cli
from meesaq.audit.models import AuditEvent
from tests.audit.conftest import Tamper


def test_verify_reports_an_intact_trail_and_exits_zero(chain: list[AuditEvent]) -> None:
    out = StringIO()

    call_command("audit", "verify", stdout=out)

    assert out.getvalue().strip() == "Audit trail intact: 5 events checked."


def test_verify_names_the_first_bad_event_and_exits_one(
    chain: list[AuditEvent], tamper: Tamper
) -> None:
    tamper("UPDATE audit_auditevent SET action = %s WHERE sequence = %s", ["case.viewed", 2])
    out, err = StringIO(), StringIO()

    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify", stdout=out, stderr=err)

    assert exit_info.value.code == 1
    assert err.getvalue().strip() == (
        "Audit trail broken at event #2: Its contents do not match its hash (the event was edited)."
    )
    assert out.getvalue() == ""


def test_verify_after_a_deletion_exits_one(chain: list[AuditEvent], tamper: Tamper) -> None:
    tamper("DELETE FROM audit_auditevent WHERE sequence = %s", [4])
    err = StringIO()

    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify", stderr=err)

    assert exit_info.value.code == 1
    assert "Audit trail broken at event #4: Event #4 is missing (deleted)." in err.getvalue()


def test_the_meesaq_command_line_runs_verify(
    chain: list[AuditEvent], capsys: pytest.CaptureFixture[str]
) -> None:
    cli.main(["audit", "verify"])

    assert capsys.readouterr().out.strip() == "Audit trail intact: 5 events checked."


def test_head_prints_the_newest_sequence_hash_and_a_signature(chain: list[AuditEvent]) -> None:
    out = StringIO()

    call_command("audit", "head", stdout=out)

    sequence, digest, signature = out.getvalue().split()
    assert (sequence, digest) == ("5", chain[-1].hash)
    assert len(signature) == 64


def test_it_asks_for_a_subcommand(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("audit")
