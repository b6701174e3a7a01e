"""Each clock of a case under a controlled clock: call-back, first action, stage, resolution."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from meesaq.cases.deadlines import first_action_due, is_overdue
from meesaq.cases.models import Category, Priority, Status
from meesaq.sla.calendar import KARACHI
from meesaq.sla.models import CaseDeadlines, ContactResult, DeadlineRule
from meesaq.sla.services import deadlines_refresh, first_contact_record, overdue_deadlines
from tests.cases.factories import make_case
from tests.personas import World

MONDAY = datetime(2025, 1, 13, 10, 0, tzinfo=KARACHI)


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2025, month, day, hour, 0, tzinfo=KARACHI)


def test_an_urgent_case_gets_its_due_dates_in_working_time(world: World) -> None:
    case = make_case(organisation=world.lahore_centre, priority=Priority.URGENT, received_at=MONDAY)
    row = deadlines_refresh(case, now=MONDAY)
    assert row.first_contact_due == at(1, 14, 10)  # 8 office hours: 7 on Monday, 1 on Tuesday
    assert row.first_action_due == at(1, 14)
    assert row.stage_due == at(1, 14)  # waiting for the first action: the first-action time
    assert row.resolution_due == at(2, 3)  # 15 working days (5 February is a holiday)
    assert first_action_due(case) == at(1, 14)


def test_a_normal_case_has_a_week_of_working_days_for_its_first_action(world: World) -> None:
    case = make_case(organisation=world.lahore_centre, priority=Priority.NORMAL, received_at=MONDAY)
    row = deadlines_refresh(case, now=MONDAY)
    assert row.first_contact_due == at(1, 16)  # 24 office hours = three office days
    assert row.first_action_due == at(1, 22)  # seven working days


def test_the_most_specific_rule_wins(world: World) -> None:
    threats = Category.objects.get(code="threats")
    DeadlineRule.objects.create(
        category=threats,
        priority=Priority.URGENT,
        first_contact_hours=2,
        first_action_hours=24,
        stage_days=5,
        resolution_days=10,
    )
    case = make_case(organisation=world.lahore_centre, priority=Priority.URGENT, received_at=MONDAY)
    row = deadlines_refresh(case, now=MONDAY)
    assert row.first_contact_due == at(1, 13, 12)
    assert row.resolution_due == at(1, 27)


def test_a_missed_call_back_makes_the_case_overdue_until_the_call_is_recorded(
    world: World,
) -> None:
    case = make_case(organisation=world.lahore_centre, priority=Priority.URGENT, received_at=MONDAY)
    row = deadlines_refresh(case, now=MONDAY)
    later = at(1, 14, 11)
    assert overdue_deadlines(case, row, now=later)[0][0] == "first_contact"
    with time_machine.travel(later, tick=False):
        first_contact_record(
            user=world.case_officer, case=case, result=ContactResult.REACHED, at=at(1, 14, 10)
        )
    row.refresh_from_db()
    assert row.first_contact_at == at(1, 14, 10)
    assert "first_contact" not in [name for name, _due in overdue_deadlines(case, row, now=later)]


def test_a_call_in_the_future_is_refused(world: World) -> None:
    case = make_case(organisation=world.lahore_centre, received_at=MONDAY)
    with time_machine.travel(MONDAY, tick=False), pytest.raises(Exception, match="future"):
        first_contact_record(
            user=world.case_officer, case=case, result=ContactResult.REACHED, at=at(1, 20)
        )


def test_a_new_stage_restarts_the_stage_clock_but_not_the_resolution_clock(world: World) -> None:
    case = make_case(organisation=world.lahore_centre, priority=Priority.HIGH, received_at=MONDAY)
    first = deadlines_refresh(case, now=MONDAY)
    resolution_due = first.resolution_due
    case.status, case.status_changed_at, case.first_action_at = (
        Status.IN_ACTION,
        at(1, 15),
        at(1, 15),
    )
    case.save()
    row = deadlines_refresh(case, now=at(1, 15))
    assert row.stage_started_at == at(1, 15)
    assert row.stage_due == at(1, 29)  # ten working days for a high-priority stage
    assert row.resolution_due == resolution_due
    case.organisation = world.lahore_hr_office
    case.save()
    moved = deadlines_refresh(case, now=at(1, 20))
    assert moved.stage_started_at == at(1, 20)
    assert moved.resolution_due == resolution_due


def test_the_case_list_rule_uses_the_computed_dates(world: World) -> None:
    case = make_case(organisation=world.lahore_centre, priority=Priority.URGENT, received_at=MONDAY)
    deadlines_refresh(case, now=MONDAY)
    case = type(case).objects.select_related("deadlines").get(pk=case.pk)
    # The call-back was due on Tuesday at 10:00 and nobody called.
    assert is_overdue(case, now=at(1, 14, 11))
    assert not is_overdue(case, now=at(1, 13, 16))
    assert CaseDeadlines.objects.filter(case=case).exists()


def test_a_closed_case_is_never_overdue(world: World) -> None:
    case = make_case(
        organisation=world.lahore_centre,
        priority=Priority.URGENT,
        received_at=MONDAY,
        status=Status.NOT_IN_MANDATE,
    )
    row = deadlines_refresh(case, now=MONDAY)
    assert overdue_deadlines(case, row, now=at(6, 1)) == []
