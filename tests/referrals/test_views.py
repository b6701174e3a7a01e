from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from meesaq.accounts.models import User
from meesaq.audit.models import AuditEvent
from meesaq.referrals.models import Referral, ReferralStatus, Transfer, TransferStatus
from tests.cases.factories import make_case
from tests.personas import World
from tests.referrals.factories import consenting_case, refer_to_ngo

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


def _detail(referral: Referral) -> str:
    return reverse("referrals:detail", kwargs={"referral_id": referral.pk})


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    referral = refer_to_ngo(world)
    for url in (reverse("referrals:list"), _detail(referral)):
        response = Client().get(url)
        assert response.status_code == 302
        assert "/account/sign-in/" in response["Location"]


def test_the_partner_sees_the_referral_with_only_its_shared_fields(
    world: World, client_for: ClientFor
) -> None:
    referral = refer_to_ngo(world, shared_fields=["title"])
    response = client_for(world.partner_caseworker).get(_detail(referral))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Threats at the church gate" in text
    assert "Shamim" not in text
    assert "Accept" in text
    listing = client_for(world.partner_caseworker).get(reverse("referrals:list"))
    assert str(referral) in listing.content.decode()


def test_shown_identity_is_audited(world: World, client_for: ClientFor) -> None:
    referral = refer_to_ngo(world, shared_fields=["people"])
    response = client_for(world.partner_caseworker).get(_detail(referral))
    assert "Shamim Masih" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="identity.viewed", actor_id=world.partner_caseworker.pk
    ).exists()


def test_outsiders_and_wrong_roles_get_404(world: World, client_for: ClientFor) -> None:
    referral = refer_to_ngo(world)
    for user in (world.outsider, world.programme_coordinator):
        assert client_for(user).get(_detail(referral)).status_code == 404
    for user in (world.analyst, world.administrator):
        assert client_for(user).get(reverse("referrals:list")).status_code == 404
    step = reverse("referrals:step", kwargs={"referral_id": referral.pk})
    assert client_for(world.outsider).post(step, {"step": "accept"}).status_code == 404
    case_url = reverse("referrals:create", kwargs={"reference": referral.case.reference})
    assert client_for(world.partner_caseworker).post(case_url, {}).status_code == 404


def test_the_walk_through_refer_return_answer_accept_complete(
    world: World, client_for: ClientFor
) -> None:
    case = consenting_case(world)
    officer = client_for(world.case_officer)
    response = officer.post(
        reverse("referrals:create", kwargs={"reference": case.reference}),
        {
            "to_organisation": world.lahore_ngo.pk,
            "reason": "Legal aid",
            "shared_fields": ["title", "narrative"],
        },
    )
    referral = Referral.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == _detail(referral)
    step = reverse("referrals:step", kwargs={"referral_id": referral.pk})
    partner = client_for(world.partner_caseworker)
    partner.post(step, {"step": "request_info", "text": "Which court?"})
    officer.post(step, {"step": "answer", "text": "Sessions court"})
    partner.post(step, {"step": "accept"})
    partner.post(step, {"step": "record_service", "text": "Lawyer", "on": "2026-01-05"})
    partner.post(step, {"step": "complete", "text": "Bail granted"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.events.count() == 6
    page = officer.get(_detail(referral)).content.decode()
    assert "Which court?" in page
    assert "Bail granted" in page


def test_a_refused_step_is_shown_as_a_message(world: World, client_for: ClientFor) -> None:
    referral = refer_to_ngo(world)
    step = reverse("referrals:step", kwargs={"referral_id": referral.pk})
    response = client_for(world.case_officer).post(step, {"step": "accept"}, follow=True)
    assert "Your role cannot take this step." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_a_supervisor_requests_and_the_receiver_accepts_a_transfer(
    world: World, client_for: ClientFor
) -> None:
    case = make_case(organisation=world.lahore_centre)
    response = client_for(world.supervisor).post(
        reverse("referrals:transfer_request", kwargs={"reference": case.reference}),
        {"to_organisation": world.faisalabad_centre.pk, "reason": "Happened there"},
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get(case=case)
    decide = reverse("referrals:transfer_decide", kwargs={"transfer_id": transfer.pk})
    listing = client_for(world.outsider).get(reverse("referrals:list") + "?tab=transfers")
    assert case.reference in listing.content.decode()
    assert client_for(world.partner_caseworker).post(decide, {}).status_code == 404
    client_for(world.outsider).post(decide, {"decision": "accept"})
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED


def test_the_list_filters_overdue_referrals(world: World, client_for: ClientFor) -> None:
    import time_machine
    from django.utils import timezone

    # Ten days back: the 48 working hours have passed whatever the weekday.
    with time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
        late = refer_to_ngo(world)
    fresh = refer_to_ngo(world, shared_fields=["title"])
    response = client_for(world.partner_caseworker).get(
        reverse("referrals:list") + "?tab=incoming&overdue=on"
    )
    text = response.content.decode()
    assert _detail(late) in text
    assert _detail(fresh) not in text


def test_the_case_section_offers_the_actions_by_role_and_shows_the_chain(world: World) -> None:
    from django.test import RequestFactory

    from meesaq.referrals.views import referrals_section

    referral = refer_to_ngo(world)
    request = RequestFactory().get("/")
    officer = referrals_section(request=request, user=world.case_officer, case=referral.case)
    assert (officer["may_refer"], officer["may_transfer"]) == (True, False)
    assert officer["chains"][0][0].referral == referral
    supervisor = referrals_section(request=request, user=world.supervisor, case=referral.case)
    assert supervisor["may_transfer"] is True
    intake = referrals_section(request=request, user=world.intake_officer, case=referral.case)
    assert intake["may_refer"] is False


def test_the_case_page_links_the_forms_without_the_organisations(
    world: World, client_for: ClientFor
) -> None:
    # Every receiving organisation is an option of the forms: on their own pages, not on every
    # view of the case.
    case = consenting_case(world)
    page = client_for(world.supervisor).get(case.get_absolute_url()).content.decode()
    refer = reverse("referrals:create", kwargs={"reference": case.reference})
    transfer = reverse("referrals:transfer_request", kwargs={"reference": case.reference})
    assert f'href="{refer}"' in page
    assert f'href="{transfer}"' in page
    assert 'name="to_organisation"' not in page
    form_page = client_for(world.supervisor).get(refer).content.decode()
    assert 'name="to_organisation"' in form_page
    assert world.lahore_ngo.name_en in form_page
    assert f'value="{case.organisation_id}"' not in form_page
    # A list of checkboxes is labelled above it, not wrapped in one label with its name last.
    assert form_page.index("What to share") < form_page.index('name="shared_fields"')
    assert "Transfer case" in client_for(world.supervisor).get(transfer).content.decode()


def test_the_forms_answer_404_to_roles_that_may_not_use_them(
    world: World, client_for: ClientFor
) -> None:
    case = consenting_case(world)
    refer = reverse("referrals:create", kwargs={"reference": case.reference})
    transfer = reverse("referrals:transfer_request", kwargs={"reference": case.reference})
    assert client_for(world.intake_officer).get(refer).status_code == 404
    assert client_for(world.case_officer).get(transfer).status_code == 404
    assert client_for(world.outsider).get(refer).status_code == 404


def test_a_refused_referral_shows_the_form_again_with_what_was_typed(
    world: World, client_for: ClientFor
) -> None:
    case = consenting_case(world)
    refer = reverse("referrals:create", kwargs={"reference": case.reference})
    typed = {"to_organisation": "", "reason": "Legal aid for the family"}
    response = client_for(world.case_officer).post(refer, typed)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Legal aid for the family" in page
    assert "errorlist" in page
    assert not Referral.objects.filter(case=case).exists()


def test_the_forms_are_in_urdu(world: World, client_for: ClientFor) -> None:
    case = consenting_case(world)
    refer = reverse("referrals:create", kwargs={"reference": case.reference})
    page = client_for(world.case_officer).get(refer.replace("/en/", "/ur/", 1)).content.decode()
    assert 'dir="rtl"' in page
    assert "Refer case" not in page
