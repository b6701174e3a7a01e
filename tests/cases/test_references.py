"""Case references taken at intake: consecutive, per district and year, unique under races."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections

from meesaq.accounts.models import User
from meesaq.cases.models import Case, Category, Channel
from meesaq.cases.services.intake import case_register_intake
from meesaq.geo.models import AdminUnit
from meesaq.orgs.models import Organisation
from tests.personas import World, build_world

NOW = datetime(2026, 3, 14, 7, 0, tzinfo=UTC)
RACERS = 6


def register(actor: User, organisation: Organisation, pcode: str, received_at: datetime) -> Case:
    """Register a minimal case through the service."""
    return case_register_intake(
        actor=actor,
        organisation=organisation,
        district=AdminUnit.objects.get(pcode=pcode),
        received_at=received_at,
        channel=Channel.PHONE,
        category=Category.objects.get(code="threats"),
        title="Threats by phone",
    )


@pytest.mark.django_db
def test_references_are_consecutive_per_district_and_year(world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        officer, department = world.provincial_officer, world.punjab_department
        first = register(officer, department, "PK617", NOW)
        second = register(officer, department, "PK617", NOW)
        elsewhere = register(officer, department, "PK608", NOW)
        # 31 December 2025, 23:00 in Pakistan, is still 2025 there.
        last_year = register(
            officer, department, "PK617", datetime(2025, 12, 31, 18, 0, tzinfo=UTC)
        )

    assert first.reference == "PB-LHR-2026-000001"
    assert second.reference == "PB-LHR-2026-000002"
    assert elsewhere.reference.endswith("-2026-000001") and elsewhere.reference != first.reference
    assert last_year.reference == "PB-LHR-2025-000001"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database is shared-cache: it fails lock waits at once",
)
@pytest.mark.django_db(transaction=True)
def test_racing_intakes_in_one_district_get_different_consecutive_references() -> None:
    # A transactional test starts from whatever an earlier one flushed: bring back what it needs.
    if not AdminUnit.objects.filter(pcode="PK617").exists():
        call_command("load_places", verbosity=0)
    Category.objects.get_or_create(code="threats", defaults={"label_en": "Threats"})
    world = build_world()
    start = threading.Barrier(RACERS)
    failures: list[BaseException] = []
    references: list[str] = []

    def race() -> None:
        try:
            start.wait()
            case = register(world.intake_officer, world.lahore_centre, "PK617", NOW)
            references.append(case.reference)
        except BaseException as error:  # reported to the test thread below
            failures.append(error)
        finally:
            connections.close_all()

    with time_machine.travel(NOW, tick=False):
        threads = [threading.Thread(target=race) for _ in range(RACERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert failures == []
    assert sorted(references) == [f"PB-LHR-2026-{n:06d}" for n in range(1, RACERS + 1)]
    assert Case.objects.count() == RACERS
