"""Two people deciding on one case at the same moment: the row lock lets only one step through."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from meesaq.cases.models import Case, CaseTransition, Category, Outcome, Status
from meesaq.cases.services.workflow import case_transition
from meesaq.core.errors import MeesaqError
from meesaq.geo.models import AdminUnit
from tests.cases.factories import make_case
from tests.personas import build_world


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database is shared-cache: it fails lock waits at once",
)
@pytest.mark.django_db(transaction=True)
def test_approving_and_returning_a_closure_at_once_lets_exactly_one_through() -> None:
    # A transactional test starts from whatever an earlier one flushed: bring back what it needs.
    if not AdminUnit.objects.filter(pcode="PK617").exists():
        call_command("load_places", verbosity=0)
    Category.objects.get_or_create(code="threats", defaults={"label_en": "Threats"})
    outcome, _created = Outcome.objects.get_or_create(
        code="remedy_provided", defaults={"label_en": "Remedy provided"}
    )
    world = build_world()
    case = make_case(
        organisation=world.lahore_centre, status=Status.CLOSURE_REQUESTED, outcome=outcome
    )
    start = threading.Barrier(2)
    outcomes: list[str] = []
    unexpected: list[BaseException] = []

    def decide(to_status: str, reason: str) -> None:
        try:
            start.wait()
            stale = Case.objects.get(pk=case.pk)
            case_transition(actor=world.supervisor, case=stale, to_status=to_status, reason=reason)
            outcomes.append(to_status)
        except MeesaqError as error:
            outcomes.append(error.code)
        except BaseException as error:  # reported to the test thread below
            unexpected.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(Status.CLOSED, "")),
        threading.Thread(target=decide, args=(Status.IN_ACTION, "More to do")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert unexpected == []
    assert "illegal_transition" in outcomes
    assert len(outcomes) == 2
    assert CaseTransition.objects.filter(case=case).count() == 1
    case.refresh_from_db()
    assert case.status in {Status.CLOSED, Status.IN_ACTION}
