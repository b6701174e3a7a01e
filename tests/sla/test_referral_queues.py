"""'My referrals' in the work queues: incoming to the user's organisations, outgoing they sent."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from meesaq.referrals import services as referral_services
from meesaq.referrals.services import referral_create
from meesaq.sla.selectors import QUEUE_LENGTH, referral_queues
from tests.cases.factories import make_case
from tests.personas import World
from tests.referrals.factories import refer_to_ngo

QUEUES = "/en/deadlines/"


def _link(referral_pk: int) -> str:
    return f"/en/referrals/{referral_pk}/"


def test_the_partner_sees_referrals_to_the_ngo_only(
    world: World, client_for: Callable[..., Client]
) -> None:
    to_ngo = refer_to_ngo(world)
    to_office = referral_create(
        actor=world.case_officer,
        case=make_case(organisation=world.lahore_centre),
        to_organisation=world.lahore_hr_office,
        reason="Advice",
        shared_fields=["title"],
    )
    page = client_for(world.partner_caseworker).get(QUEUES)
    assert page.status_code == 200
    html = page.content.decode()
    assert _link(to_ngo.pk) in html
    assert _link(to_office.pk) not in html
    assert to_ngo.case.reference not in html  # the partner never sees the case itself
    incoming, outgoing = referral_queues(user=world.partner_caseworker)
    assert [row.referral.pk for row in incoming] == [to_ngo.pk]
    assert outgoing == []


def test_the_referrer_sees_what_they_sent_until_it_is_finished(
    world: World, client_for: Callable[..., Client]
) -> None:
    referral = refer_to_ngo(world)
    incoming, outgoing = referral_queues(user=world.case_officer)
    assert incoming == []
    assert [row.referral.pk for row in outgoing] == [referral.pk]
    assert _link(referral.pk) in client_for(world.case_officer).get(QUEUES).content.decode()
    referral_services.referral_decline(
        actor=world.partner_caseworker, referral=referral, reason="Outside our mandate"
    )
    assert referral_queues(user=world.case_officer) == ([], [])
    assert referral_queues(user=world.partner_caseworker) == ([], [])


def test_an_outsider_sees_nothing_of_lahore(
    world: World, client_for: Callable[..., Client]
) -> None:
    referral = refer_to_ngo(world)
    assert referral_queues(user=world.outsider) == ([], [])
    html = client_for(world.outsider).get(QUEUES).content.decode()
    assert _link(referral.pk) not in html
    assert referral.case.reference not in html


def test_each_referral_queue_keeps_within_its_length(world: World) -> None:
    for _number in range(QUEUE_LENGTH + 1):
        refer_to_ngo(world, case=make_case(organisation=world.lahore_centre))
    incoming, outgoing = referral_queues(user=world.partner_caseworker)
    assert len(incoming) == QUEUE_LENGTH
    assert len(referral_queues(user=world.case_officer)[1]) == QUEUE_LENGTH
    assert outgoing == []
