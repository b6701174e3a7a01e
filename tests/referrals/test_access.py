from __future__ import annotations

import pytest

from meesaq.access import policy
from meesaq.access.roles import Role
from meesaq.cases.models import Case
from meesaq.referrals import services
from meesaq.referrals.models import Referral
from meesaq.referrals.selectors import (
    case_referral_chains,
    referral_case_view,
    referral_list,
)
from tests.personas import World, make_user
from tests.referrals.factories import refer_to_ngo

pytestmark = pytest.mark.django_db


def test_partners_see_only_referrals_to_their_own_organisation(world: World) -> None:
    mine = refer_to_ngo(world)
    other = services.referral_create(
        actor=world.case_officer,
        case=mine.case,
        to_organisation=world.lahore_hr_office,
        reason="x",
        shared_fields=["title"],
    )
    visible = set(policy.scoped(world.partner_caseworker, Referral))
    assert visible == {mine}
    assert other not in visible
    assert not policy.scoped(world.partner_caseworker, Case).exists()


def test_outsiders_analysts_and_administrators_see_no_referral(world: World) -> None:
    refer_to_ngo(world)
    for user in (world.outsider, world.analyst, world.administrator, world.auditor):
        assert not policy.scoped(user, Referral).exists()


def test_the_referring_side_and_supervisors_in_reach_see_the_referral(world: World) -> None:
    referral = refer_to_ngo(world)
    for user in (
        world.intake_officer,
        world.case_officer,
        world.supervisor,
        world.provincial_officer,
    ):
        assert policy.scoped(user, Referral).filter(pk=referral.pk).exists()


def test_the_partner_reads_only_the_shared_fields(world: World) -> None:
    referral = refer_to_ngo(world, shared_fields=["title", "district"])
    view = referral_case_view(world.partner_caseworker, referral)
    assert [label for label, _value in view.rows] == ["Short title", "District"]
    assert view.people == []
    assert view.identity_shown is False


def test_shared_identity_reaches_the_partner_until_the_referral_is_declined(
    world: World,
) -> None:
    referral = refer_to_ngo(world, shared_fields=["title", "narrative", "people"])
    view = referral_case_view(world.partner_caseworker, referral)
    assert view.identity_shown is True
    assert view.people[0]["full_name"] == "Shamim Masih"
    assert ("What happened (narrative)", "Shamim Masih was threatened on Sunday.") in view.rows
    # The provincial officer sees cases pseudonymously: the referral does not unmask them.
    assert referral_case_view(world.provincial_officer, referral).identity_shown is False
    services.referral_decline(actor=world.partner_caseworker, referral=referral, reason="No")
    referral.refresh_from_db()
    assert referral_case_view(world.partner_caseworker, referral).identity_shown is False


def test_another_partner_organisation_cannot_read_the_referral(world: World) -> None:
    referral = refer_to_ngo(world)
    stranger = make_user("otherpartner", world.lahore_community_centre, Role.PARTNER_CASEWORKER)
    from django.http import Http404

    with pytest.raises(Http404):
        referral_case_view(stranger, referral)


def test_the_list_splits_incoming_and_outgoing(world: World) -> None:
    from django.utils import timezone

    referral = refer_to_ngo(world)
    now = timezone.now()
    assert list(referral_list(user=world.partner_caseworker, direction="incoming", now=now)) == [
        referral
    ]
    assert not referral_list(user=world.partner_caseworker, direction="outgoing", now=now)
    assert list(referral_list(user=world.case_officer, direction="outgoing", now=now)) == [referral]


def test_chains_show_onward_referrals_under_the_one_they_continue(world: World) -> None:
    parent = refer_to_ngo(world)
    services.referral_accept(actor=world.partner_caseworker, referral=parent)
    parent.refresh_from_db()
    onward = services.referral_create(
        actor=world.partner_caseworker,
        case=parent.case,
        to_organisation=world.lahore_hr_office,
        reason="x",
        shared_fields=["title"],
        parent=parent,
    )
    chains = case_referral_chains(user=world.case_officer, case=parent.case)
    assert [[(link.referral, link.depth) for link in chain] for chain in chains] == [
        [(parent, 0), (onward, 1)]
    ]
