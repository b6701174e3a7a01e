from __future__ import annotations

import pytest

from meesaq.access import policy
from meesaq.audit.models import AuditEvent
from meesaq.cases.models import Case
from meesaq.core.errors import MeesaqError
from meesaq.notifications.models import Notification
from meesaq.referrals import services
from meesaq.referrals.models import Transfer, TransferStatus
from tests.cases.factories import make_case
from tests.personas import World

pytestmark = pytest.mark.django_db


def _request(world: World) -> Transfer:
    case = make_case(organisation=world.lahore_centre, assigned_to=world.case_officer)
    return services.transfer_request(
        actor=world.supervisor,
        case=case,
        to_organisation=world.faisalabad_centre,
        reason="The incident happened in Faisalabad",
    )


def test_only_a_supervisor_in_reach_may_ask_for_a_transfer(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    for user in (world.case_officer, world.intake_officer, world.outsider):
        with pytest.raises(MeesaqError) as error:
            services.transfer_request(
                actor=user, case=case, to_organisation=world.faisalabad_centre, reason="x"
            )
        assert error.value.code == "forbidden"


def test_a_second_pending_transfer_is_refused(world: World) -> None:
    transfer = _request(world)
    with pytest.raises(MeesaqError) as error:
        services.transfer_request(
            actor=world.supervisor,
            case=transfer.case,
            to_organisation=world.lahore_hr_office,
            reason="x",
        )
    assert error.value.code == "transfer_pending"


def test_accepting_a_transfer_moves_the_case_to_the_new_owner_and_district(
    world: World,
) -> None:
    transfer = _request(world)
    assert Notification.objects.filter(recipient=world.outsider).count() == 1
    for user in (world.supervisor, world.case_officer):
        with pytest.raises(MeesaqError) as error:
            services.transfer_accept(actor=user, transfer=transfer)
        assert error.value.code == "forbidden"
    accepted = services.transfer_accept(actor=world.outsider, transfer=transfer)
    case = Case.objects.get(pk=transfer.case_id)
    assert accepted.status == TransferStatus.ACCEPTED
    assert accepted.decided_by == world.outsider
    assert case.organisation == world.faisalabad_centre
    assert case.district_id == "PK608"
    assert case.jurisdiction_path == case.district.path
    assert case.assigned_to is None
    assert policy.may(world.outsider, "cases.supervise", case)
    assert not policy.may(world.supervisor, "cases.act", case)
    assert AuditEvent.objects.filter(action="referrals.transfer_accept").exists()
    assert Notification.objects.filter(recipient=world.supervisor).count() == 1
    with pytest.raises(MeesaqError) as error:
        services.transfer_decline(actor=world.outsider, transfer=transfer, reason="late")
    assert error.value.code == "already_decided"


def test_a_transfer_to_an_office_above_the_district_keeps_the_district(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    transfer = services.transfer_request(
        actor=world.supervisor,
        case=case,
        to_organisation=world.punjab_department,
        reason="Provincial attention",
    )
    services.transfer_accept(actor=world.provincial_officer, transfer=transfer)
    case.refresh_from_db()
    assert case.organisation == world.punjab_department
    assert case.district_id == "PK617"


def test_declining_a_transfer_leaves_the_case_where_it_is(world: World) -> None:
    transfer = _request(world)
    with pytest.raises(MeesaqError):
        services.transfer_decline(actor=world.outsider, transfer=transfer, reason="")
    declined = services.transfer_decline(actor=world.outsider, transfer=transfer, reason="Not ours")
    assert declined.status == TransferStatus.DECLINED
    assert Case.objects.get(pk=transfer.case_id).organisation == world.lahore_centre


def test_the_old_owner_keeps_read_access_after_a_transfer(world: World) -> None:
    transfer = _request(world)
    services.transfer_accept(actor=world.outsider, transfer=transfer)
    visible = policy.scoped(world.intake_officer, Case).filter(pk=transfer.case_id)
    assert visible.exists()
    assert not policy.may(world.intake_officer, "cases.act", transfer.case)
