"""Assigning a case officer, the officers' workloads, and changing priority and risk."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meesaq.access.roles import Role
from meesaq.audit.models import AuditEvent
from meesaq.cases.forms_workflow import AssignForm
from meesaq.cases.models import Case, Priority, Status
from meesaq.cases.selectors import workflow as workflow_selectors
from meesaq.cases.selectors.workflow import officer_workloads
from meesaq.cases.services.workflow import case_assign, case_priority_change
from meesaq.core.errors import MeesaqError
from meesaq.orgs.models import Membership
from tests.cases.factories import make_case
from tests.personas import World, make_user


def test_a_supervisor_assigns_a_case_officer_and_it_is_audited(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    assigned = case_assign(actor=world.supervisor, case=case, officer=world.case_officer)
    assert assigned.assigned_to == world.case_officer
    event = AuditEvent.objects.get(action="cases.assigned", object_id=str(case.pk))
    assert event.detail == {"officer_id": world.case_officer.pk, "previous_officer_id": None}


def test_a_supervisor_can_take_the_case_or_leave_it_unassigned(world: World) -> None:
    case = make_case(organisation=world.lahore_centre, assigned_to=world.case_officer)
    assert case_assign(actor=world.supervisor, case=case, officer=world.supervisor).assigned_to
    cleared = case_assign(actor=world.supervisor, case=case, officer=None)
    assert cleared.assigned_to is None


@pytest.mark.parametrize("persona", ["case_officer", "intake_officer", "outsider", "analyst"])
def test_only_supervisors_in_reach_assign(world: World, persona: str) -> None:
    case = make_case(organisation=world.lahore_centre)
    with pytest.raises(MeesaqError) as refused:
        case_assign(actor=world.personas()[persona], case=case, officer=world.case_officer)
    assert refused.value.code == "forbidden"
    case.refresh_from_db()
    assert case.assigned_to is None
    assert not AuditEvent.objects.filter(action="cases.assigned").exists()


def test_the_officer_must_hold_an_officer_role_in_the_owning_organisation(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    elsewhere = make_user("hr-officer", world.lahore_hr_office, Role.CASE_OFFICER)
    former = make_user("former", world.lahore_centre, Role.CASE_OFFICER)
    Membership.objects.filter(user=former).update(is_active=False)
    for officer in (world.intake_officer, elsewhere, former, world.outsider):
        with pytest.raises(MeesaqError) as refused:
            case_assign(actor=world.supervisor, case=case, officer=officer)
        assert refused.value.code == "officer_invalid", officer.username
    case.refresh_from_db()
    assert case.assigned_to is None


def test_workloads_count_each_officers_open_cases(world: World) -> None:
    for status in (Status.RECEIVED, Status.IN_ACTION, Status.CLOSURE_REQUESTED):
        make_case(organisation=world.lahore_centre, assigned_to=world.case_officer, status=status)
    for status in (Status.CLOSED, Status.WITHDRAWN):
        make_case(organisation=world.lahore_centre, assigned_to=world.case_officer, status=status)
    make_case(organisation=world.lahore_centre, assigned_to=world.supervisor)
    loads = officer_workloads(user=world.supervisor, organisation=world.lahore_centre)
    by_name = {load.officer.username: load.open_cases for load in loads}
    assert by_name == {"caseofficer": 3, "supervisor": 1}
    assert [load.open_cases for load in loads] == [1, 3]


def test_workloads_stop_counting_at_the_cap(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # A backlog beyond the cap is said as "more than N", not counted row by row.
    monkeypatch.setattr(workflow_selectors, "WORKLOAD_CAP", 2)
    for _ in range(3):
        make_case(organisation=world.lahore_centre, assigned_to=world.case_officer)
    make_case(organisation=world.lahore_centre, assigned_to=world.supervisor)
    loads = {
        load.officer.username: load
        for load in officer_workloads(user=world.supervisor, organisation=world.lahore_centre)
    }
    assert (loads["caseofficer"].open_cases, loads["caseofficer"].over_cap) == (2, True)
    assert (loads["supervisor"].open_cases, loads["supervisor"].over_cap) == (1, False)
    form = AssignForm(workloads=list(loads.values()))
    assert "more than 2 open" in str(form["officer"])


def test_workloads_are_counted_without_ordering(world: World) -> None:
    # Ordered by the cases' default (received), the capped count walks the received index past
    # every case of the organisation instead of the officer's own (assigned_to, status) rows.
    make_case(organisation=world.lahore_centre, assigned_to=world.case_officer)
    with CaptureQueriesContext(connection) as queries:
        officer_workloads(user=world.supervisor, organisation=world.lahore_centre)
    counts = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"]]
    assert counts
    assert not [sql for sql in counts if "ORDER BY" in sql]


def test_an_officer_changes_priority_and_risks_with_a_reason(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    changed = case_priority_change(
        actor=world.case_officer,
        case=case,
        priority=Priority.URGENT,
        reason="Threats repeated last night",
        risk_threat_to_life=True,
        risk_ongoing_violence=False,
        risk_child_involved=True,
        risk_mob_threat=False,
        risk_displacement=False,
    )
    changed.refresh_from_db()
    assert changed.priority == Priority.URGENT
    assert changed.priority_reason == "Threats repeated last night"
    assert changed.risk_threat_to_life
    assert changed.risk_child_involved
    event = AuditEvent.objects.get(action="cases.priority_changed", object_id=str(case.pk))
    assert event.detail == {
        "from": "normal",
        "to": "urgent",
        "risks": "threat_to_life,child_involved",
    }


def _change(world: World, case: Case, **overrides: object) -> Case:
    arguments: dict[str, object] = {
        "actor": world.case_officer,
        "case": case,
        "priority": Priority.HIGH,
        "reason": "Mob gathered",
        "risk_threat_to_life": False,
        "risk_ongoing_violence": False,
        "risk_child_involved": False,
        "risk_mob_threat": True,
        "risk_displacement": False,
    }
    arguments.update(overrides)
    return case_priority_change(**arguments)  # type: ignore[arg-type]  # the test's own kwargs


def test_a_priority_change_needs_a_reason_and_a_real_priority(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    with pytest.raises(MeesaqError) as refused:
        _change(world, case, reason="  ")
    assert refused.value.code == "reason_required"
    with pytest.raises(MeesaqError) as refused:
        _change(world, case, priority="extreme")
    assert refused.value.code == "priority_invalid"
    case.refresh_from_db()
    assert case.priority == Priority.NORMAL


def test_an_intake_officer_cannot_change_the_priority(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    with pytest.raises(MeesaqError) as refused:
        _change(world, case, actor=world.intake_officer)
    assert refused.value.code == "forbidden"
    assert not AuditEvent.objects.filter(action="cases.priority_changed").exists()
