"""The case workflow: every legal step of the table, the illegal ones, roles, fields, audit."""

from __future__ import annotations

from typing import Any

import pytest

from meesaq.audit.models import AuditEvent
from meesaq.audit.verify import verify_chain
from meesaq.cases.models import Case, CaseTransition, Outcome, Status
from meesaq.cases.services.workflow import available_transitions, case_transition
from meesaq.cases.workflow import OUTCOME, REASON, TRANSITIONS, TransitionRow, transition_row
from meesaq.core.errors import MeesaqError
from tests.cases.factories import make_case
from tests.personas import World


def _case_in(world: World, status: str, **fields: Any) -> Case:
    if status in {Status.CLOSURE_REQUESTED, Status.CLOSED}:
        fields.setdefault("outcome", Outcome.objects.get(code="remedy_provided"))
    return make_case(organisation=world.lahore_centre, status=status, **fields)


def _fields_for(row: TransitionRow, world: World) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if row.needs(REASON):
        fields["reason"] = "Explained to the complainant"
    if row.needs(OUTCOME):
        fields["outcome"] = Outcome.objects.get(code="fir_prosecution")
    if row.to_status == Status.DUPLICATE:
        fields["original_reference"] = make_case(organisation=world.lahore_centre).reference
    return fields


def _written(case: Case) -> tuple[int, int]:
    transitions = CaseTransition.objects.filter(case=case).count()
    events = AuditEvent.objects.filter(
        action="cases.transition", object_type="cases.case", object_id=str(case.pk)
    ).count()
    return transitions, events


@pytest.mark.parametrize("row", TRANSITIONS, ids=lambda r: f"{r.from_status}->{r.to_status}")
def test_each_legal_step_changes_the_status_with_one_transition_and_one_audit_event(
    world: World, row: TransitionRow
) -> None:
    case = _case_in(world, row.from_status)
    moved = case_transition(
        actor=world.supervisor, case=case, to_status=row.to_status, **_fields_for(row, world)
    )
    moved.refresh_from_db()
    assert moved.status == row.to_status
    assert moved.status_changed_at is not None
    assert _written(case) == (1, 1)
    step = CaseTransition.objects.get(case=case)
    assert (step.from_status, step.to_status, step.actor) == (
        row.from_status,
        row.to_status,
        world.supervisor,
    )
    event = AuditEvent.objects.get(action="cases.transition", object_id=str(case.pk))
    assert event.detail["from"] == row.from_status
    assert event.detail["to"] == row.to_status


def test_every_step_not_in_the_table_is_refused_and_writes_nothing(world: World) -> None:
    case = _case_in(world, Status.RECEIVED)
    for from_status in Status.values:
        Case.objects.filter(pk=case.pk).update(status=from_status)
        for to_status in [*Status.values, "banana"]:
            if transition_row(from_status, to_status) is not None:
                continue
            with pytest.raises(MeesaqError) as refused:
                case_transition(
                    actor=world.supervisor,
                    case=case,
                    to_status=to_status,
                    reason="because",
                    outcome=Outcome.objects.first(),
                )
            assert refused.value.code == "illegal_transition"
            assert "cannot go from" in str(refused.value.message)
            case.refresh_from_db()
            assert case.status == from_status
    assert _written(case) == (0, 0)


def test_the_table_has_exactly_the_steps_of_the_spec() -> None:
    steps = {(row.from_status, row.to_status, row.action) for row in TRANSITIONS}
    assert len(steps) == len(TRANSITIONS) == 18
    assert ("closure_requested", "closed", "cases.supervise") in steps
    assert ("received", "registered", "cases.triage") in steps
    assert ("reopened", "in_action", "cases.act") in steps


def test_a_stale_case_object_cannot_take_the_same_step_twice(world: World) -> None:
    case = _case_in(world, Status.RECEIVED)
    case_transition(actor=world.intake_officer, case=case, to_status=Status.REGISTERED)
    # ``case`` still says "received" in memory; the service reads the locked row.
    with pytest.raises(MeesaqError) as refused:
        case_transition(actor=world.intake_officer, case=case, to_status=Status.REGISTERED)
    assert refused.value.code == "illegal_transition"
    assert _written(case) == (1, 1)


def test_an_intake_officer_registers_but_cannot_start_action(world: World) -> None:
    case = _case_in(world, Status.RECEIVED)
    case_transition(actor=world.intake_officer, case=case, to_status=Status.REGISTERED)
    with pytest.raises(MeesaqError) as refused:
        case_transition(actor=world.intake_officer, case=case, to_status=Status.IN_ACTION)
    assert refused.value.code == "forbidden"
    case.refresh_from_db()
    assert case.status == Status.REGISTERED


def test_a_case_officer_cannot_approve_closure_but_a_supervisor_can(world: World) -> None:
    case = _case_in(world, Status.CLOSURE_REQUESTED)
    with pytest.raises(MeesaqError) as refused:
        case_transition(actor=world.case_officer, case=case, to_status=Status.CLOSED)
    assert refused.value.code == "forbidden"
    closed = case_transition(actor=world.supervisor, case=case, to_status=Status.CLOSED)
    assert closed.status == Status.CLOSED
    assert closed.closed_at is not None


@pytest.mark.parametrize("persona", ["outsider", "analyst", "auditor", "partner_caseworker"])
def test_people_without_the_case_in_reach_cannot_change_it(world: World, persona: str) -> None:
    case = _case_in(world, Status.RECEIVED)
    with pytest.raises(MeesaqError) as refused:
        case_transition(actor=world.personas()[persona], case=case, to_status=Status.REGISTERED)
    assert refused.value.code == "forbidden"
    assert _written(case) == (0, 0)


def test_closure_needs_an_outcome_from_the_taxonomy(world: World) -> None:
    case = _case_in(world, Status.RESOLVED)
    with pytest.raises(MeesaqError) as refused:
        case_transition(actor=world.case_officer, case=case, to_status=Status.CLOSURE_REQUESTED)
    assert refused.value.code == "outcome_required"
    retired = Outcome.objects.create(code="retired", label_en="Retired", is_active=False)
    with pytest.raises(MeesaqError):
        case_transition(
            actor=world.case_officer,
            case=case,
            to_status=Status.CLOSURE_REQUESTED,
            outcome=retired,
        )
    outcome = Outcome.objects.get(code="unresolved")
    requested = case_transition(
        actor=world.case_officer, case=case, to_status=Status.CLOSURE_REQUESTED, outcome=outcome
    )
    assert requested.outcome == outcome
    assert requested.closure_requested_by == world.case_officer
    event = AuditEvent.objects.get(action="cases.transition", object_id=str(case.pk))
    assert event.detail["outcome"] == "unresolved"


def test_returning_a_closure_request_needs_a_reason_and_clears_the_proposal(world: World) -> None:
    case = _case_in(world, Status.CLOSURE_REQUESTED, closure_requested_by=world.case_officer)
    with pytest.raises(MeesaqError) as refused:
        case_transition(actor=world.supervisor, case=case, to_status=Status.IN_ACTION, reason=" ")
    assert refused.value.code == "reason_required"
    returned = case_transition(
        actor=world.supervisor,
        case=case,
        to_status=Status.IN_ACTION,
        reason="Follow up with the police first",
    )
    assert returned.status == Status.IN_ACTION
    assert returned.outcome is None
    assert returned.closure_requested_by is None
    assert returned.status_reason == "Follow up with the police first"
    assert CaseTransition.objects.get(case=case).reason == "Follow up with the police first"


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (Status.RECEIVED, Status.NOT_IN_MANDATE),
        (Status.IN_ACTION, Status.WITHDRAWN),
        (Status.CLOSED, Status.REOPENED),
    ],
)
def test_steps_that_need_a_reason_refuse_without_one(
    world: World, from_status: str, to_status: str
) -> None:
    case = _case_in(world, from_status)
    with pytest.raises(MeesaqError) as refused:
        case_transition(actor=world.supervisor, case=case, to_status=to_status)
    assert refused.value.code == "reason_required"
    assert "reason" in refused.value.fields
    assert _written(case) == (0, 0)


def test_a_duplicate_links_to_the_original(world: World) -> None:
    original = make_case(organisation=world.lahore_centre)
    case = _case_in(world, Status.RECEIVED)
    marked = case_transition(
        actor=world.intake_officer,
        case=case,
        to_status=Status.DUPLICATE,
        original_reference=f"  {original.reference.lower()} ",
    )
    assert marked.duplicate_of == original
    event = AuditEvent.objects.get(action="cases.transition", object_id=str(case.pk))
    assert event.detail["original"] == original.reference


def test_a_duplicate_refuses_itself_unknown_and_unseen_originals(world: World) -> None:
    case = _case_in(world, Status.REGISTERED)
    elsewhere = make_case(organisation=world.faisalabad_centre)
    for reference in ("", case.reference, "PB-LHR-1999-999999", elsewhere.reference):
        with pytest.raises(MeesaqError) as refused:
            case_transition(
                actor=world.intake_officer,
                case=case,
                to_status=Status.DUPLICATE,
                original_reference=reference,
            )
        assert refused.value.code == "original_invalid", reference
    assert _written(case) == (0, 0)


def test_a_duplicate_refuses_a_link_that_would_make_a_circle(world: World) -> None:
    case = _case_in(world, Status.RECEIVED)
    middle = _case_in(world, Status.DUPLICATE, duplicate_of=case)
    last = _case_in(world, Status.DUPLICATE, duplicate_of=middle)
    with pytest.raises(MeesaqError) as refused:
        case_transition(
            actor=world.supervisor,
            case=case,
            to_status=Status.DUPLICATE,
            original_reference=last.reference,
        )
    assert refused.value.code == "duplicate_loop"


def test_the_first_move_into_action_starts_the_first_action_clock_once(world: World) -> None:
    case = _case_in(world, Status.REGISTERED)
    first = case_transition(actor=world.case_officer, case=case, to_status=Status.IN_ACTION)
    started = first.first_action_at
    assert started is not None
    case_transition(actor=world.case_officer, case=case, to_status=Status.RESOLVED)
    case_transition(
        actor=world.case_officer,
        case=case,
        to_status=Status.CLOSURE_REQUESTED,
        outcome=Outcome.objects.get(code="remedy_provided"),
    )
    again = case_transition(
        actor=world.supervisor, case=case, to_status=Status.IN_ACTION, reason="Not yet done"
    )
    assert again.first_action_at == started


def test_reopening_clears_the_closure(world: World) -> None:
    case = _case_in(world, Status.RESOLVED)
    case_transition(
        actor=world.case_officer,
        case=case,
        to_status=Status.CLOSURE_REQUESTED,
        outcome=Outcome.objects.get(code="remedy_provided"),
    )
    case_transition(actor=world.supervisor, case=case, to_status=Status.CLOSED)
    reopened = case_transition(
        actor=world.supervisor, case=case, to_status=Status.REOPENED, reason="New threats"
    )
    assert reopened.outcome is None
    assert reopened.closed_at is None
    assert reopened.resolved_at is None
    with pytest.raises(MeesaqError):
        case_transition(actor=world.intake_officer, case=case, to_status=Status.IN_ACTION)
    resumed = case_transition(actor=world.case_officer, case=case, to_status=Status.IN_ACTION)
    assert resumed.status == Status.IN_ACTION


def test_a_case_goes_from_intake_to_closure_and_the_audit_chain_verifies(world: World) -> None:
    case = make_case(organisation=world.lahore_centre, recorded_by=world.intake_officer)
    case_transition(actor=world.intake_officer, case=case, to_status=Status.REGISTERED)
    case_transition(actor=world.case_officer, case=case, to_status=Status.IN_ACTION)
    case_transition(actor=world.case_officer, case=case, to_status=Status.RESOLVED)
    case_transition(
        actor=world.case_officer,
        case=case,
        to_status=Status.CLOSURE_REQUESTED,
        outcome=Outcome.objects.get(code="referred_completed"),
    )
    closed = case_transition(actor=world.supervisor, case=case, to_status=Status.CLOSED)
    assert closed.status == Status.CLOSED
    assert closed.outcome is not None
    assert closed.outcome.code == "referred_completed"
    assert [t.to_status for t in CaseTransition.objects.filter(case=case)] == [
        "registered",
        "in_action",
        "resolved",
        "closure_requested",
        "closed",
    ]
    assert _written(case) == (5, 5)
    result = verify_chain()
    assert result.ok, result.reason


def test_the_buttons_offer_only_the_steps_the_user_may_take(world: World) -> None:
    case = _case_in(world, Status.RECEIVED)
    intake = {row.to_status for row in available_transitions(user=world.intake_officer, case=case)}
    assert intake == {Status.REGISTERED, Status.NOT_IN_MANDATE, Status.DUPLICATE}
    supervisor = {row.to_status for row in available_transitions(user=world.supervisor, case=case)}
    assert supervisor == intake | {Status.WITHDRAWN}
    assert available_transitions(user=world.outsider, case=case) == []
    requested = _case_in(world, Status.CLOSURE_REQUESTED)
    assert available_transitions(user=world.case_officer, case=requested) == []
    assert {
        row.to_status for row in available_transitions(user=world.supervisor, case=requested)
    } == {
        Status.CLOSED,
        Status.IN_ACTION,
    }
