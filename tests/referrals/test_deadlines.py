"""Referral due dates in working time, from the deadline rules, with a controlled clock."""

from __future__ import annotations

from datetime import date, datetime

import time_machine

from meesaq.cases.models import Category, Priority
from meesaq.referrals.deadlines import acknowledge_due, complete_due, overdue_q
from meesaq.referrals.models import Referral
from meesaq.sla import services as sla_services
from meesaq.sla.calendar import KARACHI
from meesaq.sla.models import Holiday
from tests.cases.factories import make_case
from tests.personas import World
from tests.referrals.factories import refer_to_ngo

# Wednesday 13 August 2025, 10:00 in Karachi; Thursday 14 August is Independence Day and the
# weekend follows Friday 15 August.
SENT = datetime(2025, 8, 13, 10, tzinfo=KARACHI)
OVERRIDE = {
    "first_contact_hours": 8,
    "first_action_hours": 24,
    "stage_days": 5,
    "resolution_days": 3,
    "referral_ack_hours": 24,
}


def test_a_referral_is_acknowledged_within_two_working_days_past_holiday_and_weekend(
    world: World,
) -> None:
    with time_machine.travel(SENT, tick=False):
        referral = refer_to_ngo(world)
    # Two working days: Friday 15 August, then Monday 18 August at the same hour.
    assert referral.acknowledge_by == datetime(2025, 8, 18, 10, tzinfo=KARACHI)


def test_the_rules_of_the_case_set_acknowledgement_and_completion(world: World) -> None:
    threats = Category.objects.get(code="threats")
    sla_services.deadline_rule_save(
        actor=world.administrator,
        rule=None,
        category=threats,
        priority=Priority.NORMAL,
        durations=OVERRIDE,
    )
    case = make_case(organisation=world.lahore_centre, category=threats)
    assert acknowledge_due(sent_at=SENT, case=case) == datetime(2025, 8, 15, 10, tzinfo=KARACHI)
    # Three working days: Friday 15, Monday 18, Tuesday 19 August.
    assert complete_due(sent_at=SENT, case=case) == datetime(2025, 8, 19, 10, tzinfo=KARACHI)
    other = make_case(
        organisation=world.lahore_centre, category=Category.objects.get(code="abduction")
    )
    assert acknowledge_due(sent_at=SENT, case=other) == datetime(2025, 8, 18, 10, tzinfo=KARACHI)


def test_a_holiday_the_administrator_adds_moves_the_referral_due_dates(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    before = acknowledge_due(sent_at=SENT, case=case)
    Holiday.objects.create(date=date(2025, 8, 18), name_en="Local holiday")
    assert before == datetime(2025, 8, 18, 10, tzinfo=KARACHI)
    assert acknowledge_due(sent_at=SENT, case=case) == datetime(2025, 8, 19, 10, tzinfo=KARACHI)
    assert acknowledge_due(sent_at=SENT) == datetime(2025, 8, 19, 10, tzinfo=KARACHI)


def test_completion_without_a_case_takes_twenty_working_days(world: World) -> None:
    # From Wednesday 13 August: 20 working days skip Independence Day and four weekends.
    assert complete_due(sent_at=SENT) == datetime(2025, 9, 11, 10, tzinfo=KARACHI)


def test_a_referral_is_overdue_only_after_its_working_time_has_passed(world: World) -> None:
    with time_machine.travel(SENT, tick=False):
        referral = refer_to_ngo(world)
    friday_evening = datetime(2025, 8, 15, 18, tzinfo=KARACHI)
    monday_noon = datetime(2025, 8, 18, 12, tzinfo=KARACHI)
    assert not Referral.objects.filter(overdue_q(now=friday_evening), pk=referral.pk).exists()
    assert Referral.objects.filter(overdue_q(now=monday_noon), pk=referral.pk).exists()
