"""A large synthetic load sets indexes and foreign keys aside and rebuilds every one of them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, connection
from django.test import override_settings

from meesaq.audit.verify import verify_chain
from meesaq.cases.models import CaseAction
from meesaq.demo.synthetic import bulk
from meesaq.demo.synthetic.deferred import deferred_pending
from meesaq.demo.synthetic.generator import synthetic_case_count, synthetic_generate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="runs in the PostgreSQL suite"),
]
Schema = set[tuple[str, ...]]
WRITE = "meesaq.demo.synthetic.generator.tables_write"


@pytest.fixture(autouse=True)
def var_dir(tmp_path: Path) -> Iterator[Path]:
    """Keep the demo password in the test's own folder, on a fixed clock."""
    with (
        override_settings(VAR_DIR=tmp_path, MEESAQ_DEMO_PASSWORD="bench password"),
        time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=UTC), tick=False),
    ):
        yield tmp_path


def _schema() -> Schema:
    """Return every index and foreign key of the schema with its definition."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        )
        found: Schema = set(cursor.fetchall())
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f'"
        )
        found |= set(cursor.fetchall())
    return found


def _names(schema: Schema) -> set[str]:
    return {row[1] if len(row) == 3 else row[0] for row in schema}


def test_the_load_runs_without_secondary_indexes_and_ends_with_all_of_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    synthetic_generate(cases=5, batch_size=5)  # the province and its tables exist
    before = _schema()
    during: list[Schema] = []
    real_write = bulk.tables_write

    def watching_write(tables: Any) -> int:
        during.append(_schema())
        return real_write(tables)

    monkeypatch.setattr(WRITE, watching_write)
    synthetic_generate(cases=45, batch_size=20, defer_indexes=True)
    set_aside = _names(before - during[0])
    assert "case_title_trgm" in set_aside
    assert any(name.endswith("_fk_cases_case_id") for name in set_aside)
    assert any(name.startswith("audit_audi") for name in set_aside)
    # Primary keys and unique constraints stay in place for the whole load.
    kept = _names(during[0])
    assert {"cases_case_pkey", "cases_case_reference_key"} <= kept
    assert _schema() == before
    assert deferred_pending() == 0
    assert synthetic_case_count() == 45
    assert verify_chain().ok


def test_a_run_stopped_during_the_load_leaves_the_rebuild_to_the_next_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    synthetic_generate(cases=5, batch_size=5)
    before = _schema()
    real_write = bulk.tables_write
    calls = {"n": 0}

    def failing_write(tables: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real_write(tables)

    monkeypatch.setattr(WRITE, failing_write)
    with pytest.raises(KeyboardInterrupt):
        synthetic_generate(cases=45, batch_size=20, defer_indexes=True)
    assert deferred_pending() > 0
    assert _names(before) - _names(_schema())
    monkeypatch.setattr(WRITE, real_write)
    synthetic_generate(cases=45, batch_size=20)  # a small top-up, but the rebuild is owed
    assert deferred_pending() == 0
    assert _schema() == before
    assert synthetic_case_count() == 45
    assert verify_chain().ok


def test_the_rebuilt_foreign_keys_check_the_rows_loaded_without_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    synthetic_generate(cases=5, batch_size=5)
    real_write = bulk.tables_write

    def write_and_orphan(tables: Any) -> int:
        written = real_write(tables)
        action = CaseAction.objects.order_by("pk").last()
        assert action is not None
        with connection.cursor() as cursor:
            # A row pointing at no case: only the foreign key, when it is rebuilt, can see it.
            cursor.execute("UPDATE cases_caseaction SET case_id = -1 WHERE id = %s", [action.pk])
        return written

    monkeypatch.setattr(WRITE, write_and_orphan)
    with pytest.raises(IntegrityError):
        synthetic_generate(cases=25, batch_size=20, defer_indexes=True)
    assert deferred_pending() > 0
