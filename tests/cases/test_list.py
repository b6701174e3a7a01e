"""The case list: scoping per role, filters, sorting and keyset pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any

import pytest
from django.test import Client

from meesaq.accounts.models import User
from meesaq.cases.models import AffectedGroup, Case, Category, Channel, Priority, Status
from meesaq.cases.selectors.cases import CaseFilters, case_list_for_user
from meesaq.geo.models import AdminUnit
from tests.cases.factories import make_case
from tests.personas import World

URL = "/en/cases/"
START = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)


def references_on(response: Any) -> list[str]:
    """Return the case references listed on a page, in order."""
    return re.findall(r'<a class="mono" href="[^"]*">([A-Z0-9-]+)</a>', response.content.decode())


def link(response: Any, rel: str) -> str | None:
    """Return the address of the page's prev/next link, if any."""
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', response.content.decode())
    # {% querystring %} gives "?…", relative to the list's own address.
    return URL + unescape(found.group(1)) if found else None


@pytest.fixture
def spread(world: World) -> dict[str, Case]:
    """Cases in Lahore (centre and human-rights office) and in Faisalabad."""
    return {
        "centre": make_case(organisation=world.lahore_centre, received_at=START),
        "centre_assigned": make_case(
            organisation=world.lahore_centre,
            received_at=START + timedelta(hours=1),
            assigned_to=world.case_officer,
        ),
        "hr_office": make_case(
            organisation=world.lahore_hr_office, received_at=START + timedelta(hours=2)
        ),
        "faisalabad": make_case(
            organisation=world.faisalabad_centre, received_at=START + timedelta(hours=3)
        ),
    }


EXPECTED_SCOPE = {
    "intake_officer": {"centre", "centre_assigned"},
    "case_officer": {"centre", "centre_assigned"},
    "supervisor": {"centre", "centre_assigned", "hr_office"},
    "provincial_officer": {"centre", "centre_assigned", "hr_office", "faisalabad"},
    "outsider": {"faisalabad"},
}


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), list(EXPECTED_SCOPE.items()))
def test_each_role_lists_only_the_cases_in_its_scope(
    world: World,
    spread: dict[str, Case],
    client_for: Callable[..., Client],
    persona: str,
    expected: set[str],
) -> None:
    response = client_for(world.personas()[persona]).get(URL)

    assert response.status_code == 200
    assert set(references_on(response)) == {spread[name].reference for name in expected}


@pytest.mark.django_db
def test_a_case_officer_also_sees_cases_assigned_to_them_elsewhere(
    world: World, client_for: Callable[..., Client]
) -> None:
    elsewhere = make_case(organisation=world.faisalabad_centre, assigned_to=world.case_officer)

    response = client_for(world.case_officer).get(URL, {"assigned": "me"})

    assert references_on(response) == [elsewhere.reference]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona",
    ["analyst", "auditor", "administrator", "partner_caseworker", "programme_coordinator"],
)
def test_roles_without_case_work_get_404(
    world: World, client_for: Callable[..., Client], persona: str
) -> None:
    assert client_for(world.personas()[persona]).get(URL).status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    response = Client().get(URL)

    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]


@pytest.mark.django_db
def test_the_list_shows_no_identity(world: World, client_for: Callable[..., Client]) -> None:
    make_case(organisation=world.lahore_centre, narrative="Shamim Masih told us everything.")

    page = client_for(world.supervisor).get(URL).content.decode()

    assert "Shamim" not in page
    assert "Threats at the church gate" in page


def _filtered(user: User, **filters: Any) -> set[str]:
    page = case_list_for_user(user=user, filters=CaseFilters(**filters))
    return {case.reference for case in page.cases}


@pytest.mark.django_db
def test_each_filter_narrows_the_list(world: World) -> None:
    other = Category.objects.exclude(code="threats").first()
    assert other is not None
    group = AffectedGroup.objects.get(code="hindu")
    base = make_case(organisation=world.lahore_centre, received_at=START)
    closed = make_case(
        organisation=world.lahore_centre,
        received_at=START + timedelta(days=3),
        status=Status.CLOSED,
        priority=Priority.URGENT,
        category=other,
        channel=Channel.PHONE,
        assigned_to=world.case_officer,
        tehsil=AdminUnit.objects.get(pcode="PK61701"),
    )
    closed.groups.add(group)
    faisalabad = make_case(organisation=world.faisalabad_centre, received_at=START)
    everyone = {base.reference, closed.reference, faisalabad.reference}
    user = world.provincial_officer

    assert _filtered(user) == everyone
    assert _filtered(user, status=Status.CLOSED) == {closed.reference}
    assert _filtered(user, priority=Priority.URGENT) == {closed.reference}
    assert _filtered(user, category=other.code) == {closed.reference}
    assert _filtered(user, group="hindu") == {closed.reference}
    assert _filtered(user, channel=Channel.PHONE) == {closed.reference}
    assert _filtered(user, assigned=str(world.case_officer.pk)) == {closed.reference}
    assert _filtered(user, assigned="none") == {base.reference, faisalabad.reference}
    assert _filtered(user, assigned="me") == set()
    lahore = AdminUnit.objects.get(pcode="PK617")
    assert _filtered(user, place=lahore) == {base.reference, closed.reference}
    assert _filtered(user, place=AdminUnit.objects.get(pcode="PK6")) == everyone
    assert _filtered(user, place=AdminUnit.objects.get(pcode="PK61701")) == {closed.reference}
    received = START.date()
    assert _filtered(user, received_from=received, received_to=received) == {
        base.reference,
        faisalabad.reference,
    }
    assert _filtered(user, received_from=received + timedelta(days=1)) == {closed.reference}


@pytest.mark.django_db
def test_the_filters_work_through_the_page(world: World, client_for: Callable[..., Client]) -> None:
    make_case(organisation=world.lahore_centre, received_at=START)
    urgent = make_case(
        organisation=world.lahore_centre, received_at=START, priority=Priority.URGENT
    )
    client = client_for(world.supervisor)

    response = client.get(URL, {"priority": "urgent", "place": "PK617", "status": ""})
    mine = client.get(URL, {"assigned": "me"})
    bad = client.get(URL, {"received_from": "not a date"})

    assert references_on(response) == [urgent.reference]
    assert references_on(mine) == []
    assert "No case matches these filters." in mine.content.decode()
    assert bad.status_code == 200
    assert "Enter a valid date." in bad.content.decode()


@pytest.mark.django_db
def test_the_list_sorts_by_time_and_priority(world: World) -> None:
    old_normal = make_case(organisation=world.lahore_centre, received_at=START)
    mid_urgent = make_case(
        organisation=world.lahore_centre,
        received_at=START + timedelta(hours=1),
        priority=Priority.URGENT,
    )
    new_high = make_case(
        organisation=world.lahore_centre,
        received_at=START + timedelta(hours=2),
        priority=Priority.HIGH,
    )
    user = world.intake_officer

    def order(sort: str) -> list[str]:
        page = case_list_for_user(user=user, filters=CaseFilters(sort=sort))
        return [case.reference for case in page.cases]

    assert order("newest") == [new_high.reference, mid_urgent.reference, old_normal.reference]
    assert order("oldest") == [old_normal.reference, mid_urgent.reference, new_high.reference]
    assert order("priority") == [mid_urgent.reference, new_high.reference, old_normal.reference]


def _make_many(world: World, count: int) -> list[Case]:
    # Pairs share a received time, so the id must break ties.
    return [
        make_case(
            organisation=world.lahore_centre,
            received_at=START + timedelta(minutes=number // 2),
            priority=[Priority.NORMAL, Priority.HIGH, Priority.URGENT][number % 3],
        )
        for number in range(count)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["newest", "oldest", "priority"])
def test_keyset_pages_walk_every_case_once_forwards_and_backwards(world: World, sort: str) -> None:
    cases = _make_many(world, 30)
    user = world.intake_officer
    filters = CaseFilters(sort=sort)
    everything = [
        c.reference for c in case_list_for_user(user=user, filters=filters, page_size=100).cases
    ]
    assert sorted(everything) == sorted(c.reference for c in cases)

    pages: list[list[str]] = []
    page = case_list_for_user(user=user, filters=filters, page_size=7)
    assert page.previous_cursor is None
    pages.append([c.reference for c in page.cases])
    while page.next_cursor:
        page = case_list_for_user(user=user, filters=filters, cursor=page.next_cursor, page_size=7)
        pages.append([c.reference for c in page.cases])
    assert [ref for refs in pages for ref in refs] == everything
    assert [len(refs) for refs in pages] == [7, 7, 7, 7, 2]

    backwards: list[list[str]] = [pages[-1]]
    while page.previous_cursor:
        page = case_list_for_user(
            user=user, filters=filters, cursor=page.previous_cursor, page_size=7
        )
        backwards.append([c.reference for c in page.cases])
    assert backwards == list(reversed(pages))


@pytest.mark.django_db
def test_the_page_links_newer_and_older_pages(
    world: World, client_for: Callable[..., Client]
) -> None:
    cases = _make_many(world, 30)
    client = client_for(world.intake_officer)

    first = client.get(URL, {"status": "received"})
    older = link(first, "next")
    assert older is not None and link(first, "prev") is None
    assert "status=received" in older
    second = client.get(older)
    newer = link(second, "prev")
    assert link(second, "next") is None and newer is not None
    back = client.get(newer)

    listed = references_on(first) + references_on(second)
    assert len(references_on(first)) == 25
    assert sorted(listed) == sorted(c.reference for c in cases)
    assert references_on(back) == references_on(first)
    assert ">Older</a>" in first.content.decode()


@pytest.mark.django_db
def test_a_damaged_cursor_shows_the_first_page(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = make_case(organisation=world.lahore_centre)

    response = client_for(world.intake_officer).get(URL, {"cursor": "made-up"})

    assert references_on(response) == [case.reference]


@pytest.mark.django_db
def test_a_page_of_many_cases_takes_a_fixed_number_of_queries(
    world: World,
    client_for: Callable[..., Client],
    django_assert_max_num_queries: Any,
) -> None:
    officer = world.case_officer
    for number in range(30):
        make_case(
            organisation=world.lahore_centre,
            received_at=START + timedelta(minutes=number),
            assigned_to=officer if number % 2 else None,
        )
    client = client_for(world.supervisor)

    with django_assert_max_num_queries(14):
        response = client.get(URL, {"sort": "priority"})

    assert len(references_on(response)) == 25


def _place_codes(user: User) -> set[str]:
    from meesaq.cases.forms_list import CaseListForm

    rendered = str(CaseListForm(user=user)["place"])
    return set(re.findall(r'<option value="([^"]+)"', rendered))


def test_the_place_filter_offers_the_places_within_the_users_reach(world: World) -> None:
    # A Lahore supervisor is offered Lahore and its tehsils, not the country's 700 units.
    lahore_tehsils = set(
        AdminUnit.objects.filter(path__startswith="PK6/PK6DV05/PK617/").values_list(
            "pcode", flat=True
        )
    )
    assert lahore_tehsils
    assert _place_codes(world.supervisor) == {"PK617", *lahore_tehsils}
    provincial = _place_codes(world.provincial_officer)
    assert {"PK6", "PK617", "PK608", *lahore_tehsils} <= provincial
    punjab = set(AdminUnit.objects.filter(path__startswith="PK6").values_list("pcode", flat=True))
    assert provincial == punjab
    # Someone in two places is offered both.
    from meesaq.access.roles import Role
    from meesaq.orgs.models import Membership

    Membership.objects.create(
        user=world.supervisor, organisation=world.faisalabad_centre, role=Role.SUPERVISOR
    )
    world.supervisor = User.objects.get(pk=world.supervisor.pk)
    assert {"PK617", "PK608"} <= _place_codes(world.supervisor)


def test_status_priority_and_channel_labels_follow_the_language() -> None:
    from django.utils import translation

    case = Case(status=Status.IN_ACTION, priority=Priority.URGENT, channel=Channel.PHONE)
    for language in ("en", "ur"):
        with translation.override(language):
            shown = (case.get_status_display(), case.get_priority_display())
            assert shown == (str(Status.IN_ACTION.label), str(Priority.URGENT.label))
            assert case.get_channel_display() == str(Channel.PHONE.label)
    with translation.override("ur"):
        assert case.get_status_display() != "In action"
    # A value outside the choices (an old row) is shown as stored, not refused.
    assert Case(status="archived").get_status_display() == "archived"
