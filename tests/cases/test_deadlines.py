"""First-action deadlines per priority, and the case list's "overdue" filter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from meesaq.cases.deadlines import is_overdue
from meesaq.cases.models import Priority, Status
from tests.cases.factories import make_case
from tests.personas import World


def test_each_priority_has_its_first_action_deadline(world: World) -> None:
    now = timezone.now()
    urgent = make_case(
        organisation=world.lahore_centre,
        priority=Priority.URGENT,
        received_at=now - timedelta(hours=25),
    )
    high = make_case(
        organisation=world.lahore_centre,
        priority=Priority.HIGH,
        received_at=now - timedelta(hours=25),
    )
    normal = make_case(
        organisation=world.lahore_centre,
        priority=Priority.NORMAL,
        received_at=now - timedelta(days=8),
    )
    assert is_overdue(urgent, now=now)
    assert not is_overdue(high, now=now)
    assert is_overdue(normal, now=now)
    with time_machine.travel(now + timedelta(hours=48), tick=False):
        assert is_overdue(high, now=timezone.now())


def test_a_first_action_or_a_later_status_ends_the_wait(world: World) -> None:
    now = timezone.now()
    acted = make_case(
        organisation=world.lahore_centre,
        priority=Priority.URGENT,
        received_at=now - timedelta(days=3),
        first_action_at=now - timedelta(days=2),
    )
    closed = make_case(
        organisation=world.lahore_centre,
        priority=Priority.URGENT,
        received_at=now - timedelta(days=3),
        status=Status.NOT_IN_MANDATE,
    )
    assert not is_overdue(acted, now=now)
    assert not is_overdue(closed, now=now)


def test_the_list_filters_overdue_cases(world: World, client_for: Callable[..., Client]) -> None:
    now = timezone.now()
    late = make_case(
        organisation=world.lahore_centre,
        priority=Priority.URGENT,
        received_at=now - timedelta(hours=30),
        title="Late urgent case",
    )
    fresh = make_case(
        organisation=world.lahore_centre,
        priority=Priority.URGENT,
        received_at=now - timedelta(hours=2),
        title="Fresh urgent case",
    )
    body = client_for(world.supervisor).get("/en/cases/", {"overdue": "on"}).content.decode()
    assert late.reference in body
    assert fresh.reference not in body


def test_the_list_uses_computed_working_day_deadlines(
    world: World, client_for: Callable[..., Client]
) -> None:
    from datetime import datetime

    from meesaq.sla.calendar import KARACHI
    from meesaq.sla.models import ContactResult
    from meesaq.sla.services import deadlines_refresh, first_contact_record

    friday = datetime(2025, 1, 10, 16, 0, tzinfo=KARACHI)
    case = make_case(
        organisation=world.lahore_centre,
        priority=Priority.URGENT,
        received_at=friday,
        title="Friday urgent case",
    )
    deadlines_refresh(case, now=friday)
    with time_machine.travel(datetime(2025, 1, 12, 18, 0, tzinfo=KARACHI), tick=False):
        # Sunday evening: 50 clock hours later, but only one office hour has passed.
        body = client_for(world.supervisor).get("/en/cases/", {"overdue": "on"}).content.decode()
        assert case.reference not in body
    with time_machine.travel(datetime(2025, 1, 13, 17, 0, tzinfo=KARACHI), tick=False):
        first_contact_record(user=world.case_officer, case=case, result=ContactResult.REACHED)
    with time_machine.travel(datetime(2025, 1, 13, 17, 30, tzinfo=KARACHI), tick=False):
        # The call-back was made; the first action (one working day: Monday 16:00) is late.
        body = client_for(world.supervisor).get("/en/cases/", {"overdue": "on"}).content.decode()
        assert case.reference in body
