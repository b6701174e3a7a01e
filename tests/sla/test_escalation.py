"""Escalation along the jurisdiction ladder, urgent alerts, and followers."""

from __future__ import annotations

from datetime import datetime

from meesaq.access.roles import Role
from meesaq.audit.models import AuditEvent
from meesaq.cases.models import Case, Priority
from meesaq.geo.models import AdminUnit, Level
from meesaq.notifications.models import Notification
from meesaq.orgs.models import OrganisationKind
from meesaq.sla.calendar import KARACHI
from meesaq.sla.models import CaseDeadlines, Escalation, EscalationLevel
from meesaq.sla.services import (
    case_follow,
    case_followers,
    case_unfollow,
    deadlines_check,
    deadlines_refresh,
    urgent_case_alert,
)
from meesaq.sla.tasks import check_deadlines
from tests.cases.factories import make_case
from tests.personas import LAHORE, World, make_organisation, make_user

MONDAY = datetime(2025, 1, 13, 10, 0, tzinfo=KARACHI)


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2025, month, day, hour, 0, tzinfo=KARACHI)


def late_urgent_case(world: World) -> Case:
    case = make_case(organisation=world.lahore_centre, priority=Priority.URGENT, received_at=MONDAY)
    deadlines_refresh(case, now=MONDAY)
    return case


def test_a_missed_deadline_goes_to_the_district_supervisors_once(world: World) -> None:
    case = late_urgent_case(world)
    report = deadlines_check(at(1, 14, 12))
    assert report.escalations == 1
    escalation = Escalation.objects.get(case=case)
    assert (escalation.level, escalation.reason) == (EscalationLevel.DISTRICT, "first_contact")
    notes = Notification.objects.filter(event="sla.escalated")
    assert [note.recipient for note in notes] == [world.supervisor]
    assert case.reference in notes[0].text_en
    assert "Shamim" not in notes[0].text_en
    assert AuditEvent.objects.filter(action="sla.escalated", object_id=str(case.pk)).exists()
    deadlines_check(at(1, 14, 13))
    assert Escalation.objects.filter(case=case).count() == 1


def test_further_delay_escalates_to_the_division_then_the_province(world: World) -> None:
    division = AdminUnit.objects.get(pcode=LAHORE).parent
    assert division is not None and division.level == Level.DIVISION
    division_office = make_organisation(
        "lhr-division-office", OrganisationKind.HUMAN_RIGHTS_OFFICE, division.pcode
    )
    division_supervisor = make_user("divsupervisor", division_office, Role.SUPERVISOR)
    case = late_urgent_case(world)
    deadlines_check(at(1, 14, 12))
    # Two working days after the call-back was due (Tuesday 10:00): Thursday 10:00.
    deadlines_check(at(1, 16, 11))
    level_two = Escalation.objects.get(case=case, level=EscalationLevel.DIVISION)
    assert level_two.recipients == 1
    assert Notification.objects.filter(recipient=division_supervisor).exists()
    # Five working days: the next Tuesday.
    deadlines_check(at(1, 21, 11))
    assert Escalation.objects.filter(case=case, level=EscalationLevel.PROVINCE).exists()
    assert Notification.objects.filter(recipient=world.provincial_officer).exists()
    assert not Notification.objects.filter(recipient=world.outsider).exists()
    assert CaseDeadlines.objects.get(case=case).escalation_level == EscalationLevel.PROVINCE


def test_the_division_rung_is_skipped_when_no_organisation_sits_there(world: World) -> None:
    case = late_urgent_case(world)
    report = deadlines_check(at(1, 21, 11))
    levels = list(Escalation.objects.filter(case=case).values_list("level", flat=True))
    assert levels == [EscalationLevel.DISTRICT, EscalationLevel.PROVINCE]
    assert report.escalations == len(levels)


def test_the_task_wrapper_runs_the_check(world: World) -> None:
    late_urgent_case(world)
    result = check_deadlines.call()
    assert result["escalations"] >= 1


def test_an_urgent_case_alerts_the_supervisors_at_once(world: World) -> None:
    case = make_case(organisation=world.lahore_centre, priority=Priority.URGENT)
    assert urgent_case_alert(case) == 1
    note = Notification.objects.get(event="sla.urgent_case")
    assert note.recipient == world.supervisor
    assert note.text_en == f"Urgent case {case.reference} has been registered."


def test_followers_are_those_who_still_see_the_case(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    assert case_follow(user=world.case_officer, case=case)
    assert not case_follow(user=world.case_officer, case=case)
    case_follow(user=world.outsider, case=case)
    assert case_followers(case) == [world.case_officer]
    assert case_unfollow(user=world.case_officer, case=case)
    assert case_followers(case) == []
