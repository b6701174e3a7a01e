from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from meesaq.audit.models import AuditEvent
from meesaq.core.errors import MeesaqError
from meesaq.notifications.models import Notification
from meesaq.referrals import services
from meesaq.referrals.models import EventKind, ReferralStatus
from meesaq.referrals.selectors import open_referrals_block_closure
from meesaq.sla.calendar import WorkingCalendar
from tests.cases.factories import make_case
from tests.personas import World
from tests.referrals.factories import consenting_case, refer_to_ngo

pytestmark = pytest.mark.django_db


def test_a_referral_gets_default_deadlines_an_event_an_audit_row_and_a_notice(
    world: World,
) -> None:
    with time_machine.travel("2026-03-02 09:00 +05:00", tick=False):
        referral = refer_to_ngo(world)
        now = timezone.now()
    assert referral.status == ReferralStatus.SENT
    assert referral.from_organisation == world.lahore_centre
    assert referral.acknowledge_by == now + timedelta(hours=48)
    # Completion: the case's resolution target (normal priority: 60 working days).
    assert referral.complete_by == WorkingCalendar.load().add_working_days(now, 60)
    assert referral.complete_by > now + timedelta(days=84)
    assert list(referral.events.values_list("kind", flat=True)) == [EventKind.SENT]
    event = AuditEvent.objects.get(action="referrals.create", object_id=str(referral.pk))
    assert event.detail["to"] == "lhr-legal-aid-ngo"
    assert Notification.objects.filter(recipient=world.partner_caseworker).count() == 1


def test_it_refuses_a_referral_from_someone_who_cannot_act_on_the_case(world: World) -> None:
    case = consenting_case(world)
    for user in (world.intake_officer, world.partner_caseworker, world.outsider):
        with pytest.raises(MeesaqError) as error:
            services.referral_create(
                actor=user,
                case=case,
                to_organisation=world.lahore_ngo,
                reason="help",
                shared_fields=["title"],
            )
        assert error.value.code == "forbidden"


def test_it_shares_identity_only_with_the_complainants_consent(world: World) -> None:
    case = make_case(organisation=world.lahore_centre, consent_share=False)
    with pytest.raises(MeesaqError) as error:
        refer_to_ngo(world, case, shared_fields=["title", "narrative"])
    assert error.value.code == "no_consent"
    referral = refer_to_ngo(world, case, shared_fields=["title"])
    assert referral.identity_shared is False
    shared = refer_to_ngo(
        world, consenting_case(world), shared_fields=["people", "title", "unknown"][:2]
    )
    assert shared.identity_shared is True
    assert shared.shared_fields == ["title", "people"]


def test_it_refuses_unknown_fields_its_own_organisation_and_a_second_open_referral(
    world: World,
) -> None:
    case = consenting_case(world)
    with pytest.raises(MeesaqError, match="list"):
        refer_to_ngo(world, case, shared_fields=["cnic"])
    with pytest.raises(MeesaqError) as error:
        services.referral_create(
            actor=world.case_officer,
            case=case,
            to_organisation=world.lahore_centre,
            reason="x",
            shared_fields=[],
        )
    assert error.value.code == "organisation_invalid"
    refer_to_ngo(world, case)
    with pytest.raises(MeesaqError) as error:
        refer_to_ngo(world, case)
    assert error.value.code == "already_referred"


def test_the_receiver_accepts_serves_and_completes_and_the_referrer_is_told(
    world: World,
) -> None:
    referral = refer_to_ngo(world)
    partner = world.partner_caseworker
    services.referral_accept(actor=partner, referral=referral)
    services.referral_record_service(
        actor=partner, referral=referral, text="Lawyer met the family", on=date(2026, 1, 5)
    )
    done = services.referral_complete(actor=partner, referral=referral, outcome="Bail granted")
    assert done.status == ReferralStatus.COMPLETED
    assert done.outcome == "Bail granted"
    assert done.acknowledged_at is not None
    assert done.completed_at is not None
    assert list(done.events.values_list("kind", flat=True)) == [
        EventKind.SENT,
        EventKind.ACCEPTED,
        EventKind.SERVICE,
        EventKind.COMPLETED,
    ]
    assert Notification.objects.filter(recipient=world.case_officer).count() == 3
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"referrals.accept", "referrals.record_service", "referrals.complete"} <= actions


def test_only_the_receiving_side_may_accept(world: World) -> None:
    referral = refer_to_ngo(world)
    for user in (world.case_officer, world.intake_officer, world.outsider, world.analyst):
        with pytest.raises(MeesaqError) as error:
            services.referral_accept(actor=user, referral=referral)
        assert error.value.code == "forbidden"


def test_a_return_for_information_goes_back_to_sent_once_answered(world: World) -> None:
    with time_machine.travel("2026-03-02 09:00 +05:00", tick=False):
        referral = refer_to_ngo(world)
    services.referral_request_info(
        actor=world.partner_caseworker, referral=referral, question="Which court?"
    )
    with pytest.raises(MeesaqError) as error:
        services.referral_answer(actor=world.partner_caseworker, referral=referral, answer="x")
    assert error.value.code == "forbidden"
    with time_machine.travel("2026-03-05 09:00 +05:00", tick=False):
        answered = services.referral_answer(
            actor=world.case_officer, referral=referral, answer="Sessions court"
        )
        # Thursday 09:00 plus 48 working hours (two working days) is Monday 09:00.
        assert answered.acknowledge_by == datetime(2026, 3, 9, 9, tzinfo=ZoneInfo("Asia/Karachi"))
    assert answered.status == ReferralStatus.SENT
    assert Notification.objects.filter(
        recipient=world.partner_caseworker, text_en__contains="answered"
    ).exists()


def test_it_needs_a_reason_to_decline_and_refuses_steps_that_no_longer_apply(
    world: World,
) -> None:
    referral = refer_to_ngo(world)
    with pytest.raises(MeesaqError) as error:
        services.referral_decline(actor=world.partner_caseworker, referral=referral, reason=" ")
    assert error.value.code == "text_required"
    declined = services.referral_decline(
        actor=world.partner_caseworker, referral=referral, reason="Outside our mandate"
    )
    assert declined.decline_reason == "Outside our mandate"
    with pytest.raises(MeesaqError) as error:
        services.referral_accept(actor=world.partner_caseworker, referral=referral)
    assert error.value.code == "illegal_step"
    with pytest.raises(MeesaqError) as error:
        services.referral_complete(actor=world.partner_caseworker, referral=referral, outcome="x")
    assert error.value.code == "illegal_step"


def test_the_referring_side_withdraws_an_open_referral(world: World) -> None:
    referral = refer_to_ngo(world)
    with pytest.raises(MeesaqError):
        services.referral_withdraw(actor=world.partner_caseworker, referral=referral)
    withdrawn = services.referral_withdraw(actor=world.supervisor, referral=referral)
    assert withdrawn.status == ReferralStatus.WITHDRAWN
    with pytest.raises(MeesaqError):
        services.referral_withdraw(actor=world.supervisor, referral=referral)


def test_a_service_date_cannot_be_in_the_future(world: World) -> None:
    referral = services.referral_accept(
        actor=world.partner_caseworker, referral=refer_to_ngo(world)
    )
    with pytest.raises(MeesaqError) as error:
        services.referral_record_service(
            actor=world.partner_caseworker,
            referral=referral,
            text="x",
            on=timezone.localdate() + timedelta(days=2),
        )
    assert error.value.code == "date_future"


def test_an_accepted_referral_can_be_passed_on_sharing_no_more(world: World) -> None:
    parent = refer_to_ngo(world, shared_fields=["title", "district"])
    with pytest.raises(MeesaqError) as error:
        services.referral_create(
            actor=world.partner_caseworker,
            case=parent.case,
            to_organisation=world.lahore_hr_office,
            reason="x",
            shared_fields=["title"],
            parent=parent,
        )
    assert error.value.code == "parent_not_accepted"
    services.referral_accept(actor=world.partner_caseworker, referral=parent)
    parent.refresh_from_db()
    with pytest.raises(MeesaqError) as error:
        services.referral_create(
            actor=world.partner_caseworker,
            case=parent.case,
            to_organisation=world.lahore_hr_office,
            reason="x",
            shared_fields=["title", "category"],
            parent=parent,
        )
    assert error.value.code == "shares_more"
    onward = services.referral_create(
        actor=world.partner_caseworker,
        case=parent.case,
        to_organisation=world.lahore_hr_office,
        reason="Needs the department",
        shared_fields=["title"],
        parent=parent,
    )
    assert onward.from_organisation == world.lahore_ngo
    assert onward.parent == parent


def test_open_referrals_block_closure_until_they_end(world: World) -> None:
    referral = refer_to_ngo(world)
    assert open_referrals_block_closure(referral.case) is True
    services.referral_withdraw(actor=world.case_officer, referral=referral)
    assert open_referrals_block_closure(referral.case) is False
