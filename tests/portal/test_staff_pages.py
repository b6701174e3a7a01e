"""Staff's side of the portal: routing rules, publishing a note, marking spam."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from meesaq.audit.models import AuditEvent
from meesaq.cases.models import Case, CaseAction, Moderation
from meesaq.portal.models import RoutingRule
from tests.cases.factories import make_case
from tests.personas import World
from tests.portal.conftest import lodge

ROUTING = "/en/portal/routing/"


def test_administrators_see_the_routing_rules(
    world: World, client_for: Callable[..., Client], django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.administrator)
    with django_assert_max_num_queries(40):
        page = client.get(ROUTING)
    assert page.status_code == 200
    assert "Discrimination in employment" in page.content.decode()


def test_the_routing_page_lists_many_rules_in_a_fixed_number_of_queries(
    world: World, client_for: Callable[..., Client], django_assert_num_queries: Any
) -> None:
    client = client_for(world.administrator)
    client.get(ROUTING)
    baseline = _queries(client)
    for _ in range(5):
        RoutingRule.objects.create(organisation=world.lahore_ngo)
    assert _queries(client) == baseline


def _queries(client: Client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(ROUTING)
    return len(captured)


def test_an_administrator_adds_and_removes_a_rule(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.administrator)
    response = client.post(ROUTING, {"district": "PK617", "organisation": world.lahore_ngo.pk})
    assert response.status_code == 302
    rule = RoutingRule.objects.get(organisation=world.lahore_ngo)
    assert AuditEvent.objects.filter(action="portal.routing_rule_added").exists()
    assert lodge().case.organisation == world.lahore_ngo
    client.post(f"/en/portal/routing/{rule.pk}/delete/")
    assert not RoutingRule.objects.filter(pk=rule.pk).exists()


def test_a_rule_with_both_an_organisation_and_a_kind_is_refused(
    world: World, client_for: Callable[..., Client]
) -> None:
    response = client_for(world.administrator).post(
        ROUTING, {"organisation": world.lahore_ngo.pk, "organisation_kind": "police_centre"}
    )
    assert response.status_code == 400
    assert not RoutingRule.objects.filter(organisation=world.lahore_ngo).exists()


def test_others_and_the_outsider_get_404_on_the_routing_page(
    world: World, client_for: Callable[..., Client]
) -> None:
    for user in (world.outsider, world.supervisor, world.intake_officer):
        assert client_for(user).get(ROUTING).status_code == 404
        assert (
            client_for(user).post(ROUTING, {"organisation_kind": "police_centre"}).status_code
            == 404
        )
    assert Client().get(ROUTING).status_code == 302


def test_staff_publish_a_note_with_the_explicit_flag(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = lodge().case
    client = client_for(world.case_officer)
    url = f"/en/cases/{case.reference}/actions/add/"
    base = {"kind": "note", "occurred_on": case.received_at.date().isoformat()}
    client.post(url, {**base, "note": "private by default"})
    client.post(url, {**base, "note": "for the complainant", "public": "on"})
    published = CaseAction.objects.filter(case=case, public=True)
    assert [entry.note for entry in published] == ["for the complainant"]
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Shown to the complainant" in page


def test_staff_mark_a_portal_complaint_as_spam_and_back_without_deleting_it(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = lodge().case
    client = client_for(world.intake_officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Mark as spam" in page
    client.post(f"/en/cases/{case.reference}/moderation/", {"moderation": "spam"})
    assert Case.objects.get(pk=case.pk).moderation == Moderation.SPAM
    assert AuditEvent.objects.filter(action="cases.moderation_changed").exists()
    client.post(f"/en/cases/{case.reference}/moderation/", {"moderation": "accepted"})
    assert Case.objects.get(pk=case.pk).moderation == Moderation.ACCEPTED


def test_walk_in_cases_offer_no_spam_button(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = make_case(organisation=world.lahore_centre, recorded_by=world.intake_officer)
    page = client_for(world.intake_officer).get(case.get_absolute_url()).content.decode()
    assert "Mark as spam" not in page


def test_the_outsider_gets_404_when_marking_spam(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = lodge().case
    response = client_for(world.outsider).post(
        f"/en/cases/{case.reference}/moderation/", {"moderation": "spam"}
    )
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).moderation == Moderation.ACCEPTED


def test_the_complainants_additions_show_on_the_timeline_without_an_author(
    world: World, client_for: Callable[..., Client]
) -> None:
    from meesaq.portal.services import information_add
    from tests.portal.conftest import fake_request

    case = lodge().case
    information_add(ticket=case.ticket, text="They came back.", request=fake_request())
    page = client_for(world.case_officer).get(case.get_absolute_url()).content.decode()
    assert "From the complainant" in page


def test_the_case_list_finds_or_leaves_out_spam(
    world: World, client_for: Callable[..., Client]
) -> None:
    spam = lodge(honeypot="http://spam.invalid").case
    real = lodge().case
    client = client_for(world.intake_officer)
    only_spam = client.get("/en/cases/", {"moderation": "spam"}).content.decode()
    assert spam.reference in only_spam
    assert real.reference not in only_spam
    accepted = client.get("/en/cases/", {"moderation": "accepted"}).content.decode()
    assert real.reference in accepted
    assert spam.reference not in accepted
