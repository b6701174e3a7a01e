"""The actions timeline: typed entries, FIR fields, corrections as new entries, the first action."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from meesaq.audit.models import AuditEvent
from meesaq.cases.models import ActionKind, CaseAction, Status
from meesaq.cases.selectors.activity import case_timeline
from meesaq.cases.services.actions import action_add
from meesaq.core.errors import MeesaqError
from tests.cases.factories import make_case
from tests.personas import World


def test_an_intake_officer_adds_a_note_and_it_is_audited(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    entry = action_add(
        actor=world.intake_officer,
        case=case,
        kind=ActionKind.NOTE,
        occurred_on=timezone.localdate(),
        note="Complainant called back",
    )
    assert entry.author == world.intake_officer
    event = AuditEvent.objects.get(action="cases.action_added", object_id=str(case.pk))
    assert event.detail == {"kind": "note", "action_id": entry.pk}
    # The note is written to the audit trail by kind only, never by content.
    assert "Complainant" not in str(event.detail)


def test_an_intake_officer_cannot_record_other_actions(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    with pytest.raises(MeesaqError) as refused:
        action_add(
            actor=world.intake_officer,
            case=case,
            kind=ActionKind.CALL,
            occurred_on=timezone.localdate(),
            note="",
        )
    assert refused.value.code == "forbidden"
    assert not CaseAction.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "analyst", "auditor"])
def test_people_outside_the_case_add_nothing(world: World, persona: str) -> None:
    case = make_case(organisation=world.lahore_centre)
    with pytest.raises(MeesaqError):
        action_add(
            actor=world.personas()[persona],
            case=case,
            kind=ActionKind.NOTE,
            occurred_on=timezone.localdate(),
            note="x",
        )
    assert not CaseAction.objects.exists()


def test_an_fir_entry_needs_its_number_and_police_station(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    today = timezone.localdate()
    with pytest.raises(MeesaqError) as refused:
        action_add(
            actor=world.case_officer,
            case=case,
            kind=ActionKind.FIR,
            occurred_on=today,
            note="",
            fir_number="123/26",
        )
    assert refused.value.code == "fir_incomplete"
    assert set(refused.value.fields) == {"police_station"}
    entry = action_add(
        actor=world.case_officer,
        case=case,
        kind=ActionKind.FIR,
        occurred_on=today,
        note="",
        fir_number=" 123/26 ",
        police_station="Thana Gulberg",
        law_sections="506, 295-A PPC",
    )
    assert (entry.fir_number, entry.police_station, entry.law_sections) == (
        "123/26",
        "Thana Gulberg",
        "506, 295-A PPC",
    )


def test_fir_fields_are_not_kept_on_other_kinds(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    entry = action_add(
        actor=world.case_officer,
        case=case,
        kind=ActionKind.MEETING,
        occurred_on=timezone.localdate(),
        note="Met the family",
        fir_number="1",
        police_station="x",
    )
    assert (entry.fir_number, entry.police_station) == ("", "")


def test_a_correction_is_a_new_entry_and_the_old_one_stays(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    today = timezone.localdate()
    old = action_add(
        actor=world.case_officer, case=case, kind=ActionKind.CALL, occurred_on=today, note="Wrong"
    )
    fix = action_add(
        actor=world.case_officer,
        case=case,
        kind=ActionKind.CALL,
        occurred_on=today,
        note="The call was to the SHO, not the DPO",
        corrects=old,
    )
    old.refresh_from_db()
    assert old.note == "Wrong"
    assert fix.corrects == old
    timeline = case_timeline(user=world.supervisor, case=case)
    assert [(e.action, e.corrected_by) for e in timeline] == [(old, [fix]), (fix, [])]
    event = AuditEvent.objects.get(action="cases.action_added", detail__action_id=fix.pk)
    assert event.detail["corrects"] == old.pk


def test_a_correction_must_explain_itself_and_stay_on_the_same_case(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    other = make_case(organisation=world.lahore_centre)
    today = timezone.localdate()
    foreign = action_add(
        actor=world.case_officer, case=other, kind=ActionKind.NOTE, occurred_on=today, note="x"
    )
    with pytest.raises(MeesaqError) as refused:
        action_add(
            actor=world.case_officer,
            case=case,
            kind=ActionKind.NOTE,
            occurred_on=today,
            note="fix",
            corrects=foreign,
        )
    assert refused.value.code == "corrects_other_case"
    with pytest.raises(MeesaqError) as refused:
        action_add(
            actor=world.case_officer,
            case=other,
            kind=ActionKind.CALL,
            occurred_on=today,
            note="",
            corrects=foreign,
        )
    assert refused.value.code == "note_required"
    assert CaseAction.objects.count() == 1


def test_dates_cannot_be_in_the_future_or_the_next_action_before_the_entry(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    today = timezone.localdate()
    with pytest.raises(MeesaqError) as refused:
        action_add(
            actor=world.case_officer,
            case=case,
            kind=ActionKind.NOTE,
            occurred_on=today + timedelta(days=1),
            note="x",
        )
    assert refused.value.code == "date_in_future"
    with pytest.raises(MeesaqError) as refused:
        action_add(
            actor=world.case_officer,
            case=case,
            kind=ActionKind.NOTE,
            occurred_on=today,
            note="x",
            next_action_on=today - timedelta(days=1),
        )
    assert refused.value.code == "next_action_before"


def test_a_note_needs_text_and_the_kind_must_be_known(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    today = timezone.localdate()
    with pytest.raises(MeesaqError) as refused:
        action_add(actor=world.case_officer, case=case, kind="note", occurred_on=today, note=" ")
    assert refused.value.code == "note_required"
    with pytest.raises(MeesaqError) as refused:
        action_add(actor=world.case_officer, case=case, kind="gossip", occurred_on=today, note="x")
    assert refused.value.code == "kind_invalid"


def test_the_first_real_action_starts_the_clock_but_never_changes_the_status(
    world: World,
) -> None:
    case = make_case(organisation=world.lahore_centre, status=Status.REGISTERED)
    with time_machine.travel(timezone.now(), tick=False):
        action_add(
            actor=world.case_officer,
            case=case,
            kind=ActionKind.NOTE,
            occurred_on=timezone.localdate(),
            note="Read the file",
        )
        case.refresh_from_db()
        assert case.first_action_at is None
        first_time = timezone.now()
        action_add(
            actor=world.case_officer,
            case=case,
            kind=ActionKind.PROTECTION,
            occurred_on=timezone.localdate(),
            note="",
        )
    with time_machine.travel(first_time + timedelta(hours=5), tick=False):
        action_add(
            actor=world.case_officer,
            case=case,
            kind=ActionKind.FOLLOW_UP,
            occurred_on=timezone.localdate(),
            note="",
            next_action_on=date.max,
        )
    case.refresh_from_db()
    assert case.first_action_at == first_time
    assert case.status == Status.REGISTERED
