"""The on-time rate: closed on time ÷ (closed + still open and already overdue)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from meesaq.cases.models import Case, Priority, Status
from meesaq.sla.calendar import KARACHI
from meesaq.sla.selectors import on_time_rate
from meesaq.sla.services import deadlines_refresh
from tests.cases.factories import make_case
from tests.personas import World

MONDAY = datetime(2025, 1, 13, 10, 0, tzinfo=KARACHI)
NOW = datetime(2025, 3, 3, 10, 0, tzinfo=KARACHI)  # urgent cases of 13 January were due 3 Feb


def urgent(world: World, **fields: Any) -> None:
    case = make_case(
        organisation=world.lahore_centre, priority=Priority.URGENT, received_at=MONDAY, **fields
    )
    deadlines_refresh(case, now=MONDAY)


def test_open_overdue_cases_count_against_the_rate(world: World) -> None:
    on_time = datetime(2025, 1, 20, 10, 0, tzinfo=KARACHI)
    late = datetime(2025, 2, 20, 10, 0, tzinfo=KARACHI)
    urgent(world, status=Status.CLOSED, resolved_at=on_time, closed_at=on_time)
    urgent(world, status=Status.CLOSED, resolved_at=late, closed_at=late)
    urgent(world, status=Status.IN_ACTION)  # open and overdue
    fresh = make_case(organisation=world.lahore_centre, priority=Priority.NORMAL, received_at=NOW)
    deadlines_refresh(fresh, now=NOW)  # open, not yet due: left out
    assert on_time_rate(Case.objects.all(), "resolution", now=NOW) == 1 / 3


def test_no_case_to_count_gives_no_rate(world: World) -> None:
    assert on_time_rate(Case.objects.all(), now=NOW) is None


def test_the_first_action_rate_counts_first_actions(world: World) -> None:
    urgent(
        world, status=Status.IN_ACTION, first_action_at=datetime(2025, 1, 13, 15, tzinfo=KARACHI)
    )
    urgent(world)  # still waiting, overdue
    assert on_time_rate(Case.objects.all(), "first_action", now=NOW) == 1 / 2
