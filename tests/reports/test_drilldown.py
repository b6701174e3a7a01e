"""Every figure with a case-list equivalent links to a case list that counts exactly as much."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from meesaq.accounts.models import User
from meesaq.cases.forms_list import CaseListForm
from meesaq.cases.models import Case
from meesaq.cases.selectors.cases import case_queryset_for_user
from meesaq.geo.models import AdminUnit
from meesaq.reports.filters import ReportFilters
from meesaq.reports.selectors import Dashboard, dashboard_for_user, without_links
from meesaq.reports.summary import summary_refresh
from meesaq.sla.services.clocks import deadlines_refresh
from tests.personas import World
from tests.referrals.factories import consenting_case, refer_to_ngo
from tests.reports.factories import make_spread

pytestmark = pytest.mark.django_db


def _listed(user: User, url: str) -> int:
    """Count the cases the case list shows at this address (the list's own form and selector)."""
    parts = urlsplit(url)
    assert parts.path == reverse("cases:list")
    form = CaseListForm(QueryDict(parts.query), user=user)
    assert form.is_valid(), form.errors
    cases, _kind = case_queryset_for_user(user=user, filters=form.filters())
    return cases.count()


def _period() -> ReportFilters:
    today = timezone.localdate()
    return ReportFilters(date_from=today - timedelta(days=200), date_to=today)


def _board(world: World, **changes: object) -> Dashboard:
    make_spread(world)
    for case in Case.objects.all()[:25]:
        deadlines_refresh(case)
    summary_refresh()
    return dashboard_for_user(user=world.provincial_officer, filters=_period().with_(**changes))


def test_service_level_figures_drill_down_to_as_many_cases(world: World) -> None:
    board = _board(world)
    first_action, resolution = board.compliance[0], board.compliance[1]
    user = world.provincial_officer
    for rate in (first_action, resolution):
        assert rate.denominator > 0, rate.label
        assert rate.url and rate.late_url
        assert _listed(user, rate.url) == rate.numerator
        assert _listed(user, rate.late_url) == rate.late
    assert resolution.numerator > 0 and first_action.late > 0


def test_satisfaction_figures_drill_down_to_as_many_cases(world: World) -> None:
    board = _board(world)
    assert sum(bar.value for bar in board.satisfaction) > 0
    for bar in board.satisfaction:
        assert bar.url
        assert _listed(world.provincial_officer, bar.url) == bar.value


def test_a_narrowed_dashboard_drills_down_with_its_filters(world: World) -> None:
    board = _board(world, channel="phone")
    user = world.provincial_officer
    assert _listed(user, board.filters.case_list_url()) == board.received
    for bar in [*board.satisfaction, *board.by_category]:
        assert _listed(user, bar.url) == bar.value
    for rate in board.compliance[:2]:
        assert _listed(user, rate.url) == rate.numerator
        assert _listed(user, rate.late_url) == rate.late


def test_referral_flows_drill_down_to_the_referred_cases(world: World) -> None:
    for _index in range(3):
        refer_to_ngo(world, consenting_case(world))
    summary_refresh()
    board = dashboard_for_user(user=world.provincial_officer, filters=_period())
    flows = [bar for bar in board.referral_flows if bar.value]
    assert flows
    for bar in flows:
        assert "referral=" in bar.url
        assert _listed(world.provincial_officer, bar.url) == bar.value == 3


def test_tehsils_of_a_district_drill_down_and_narrow_the_dashboard(world: World) -> None:
    lahore = AdminUnit.objects.get(pcode="PK617")
    board = _board(world, place=lahore)
    tehsils = {bar.key: bar for bar in board.by_tehsil}
    assert set(tehsils) == set(
        AdminUnit.objects.filter(parent=lahore).values_list("pcode", flat=True)
    )
    assert (
        sum(bar.value for bar in tehsils.values())
        == Case.objects.filter(
            district=lahore, tehsil__isnull=False, received_at__date__gte=_period().date_from
        ).count()
    )
    for code, bar in tehsils.items():
        assert bar.value == Case.objects.filter(tehsil_id=code).count()
        assert _listed(world.provincial_officer, bar.url) == bar.value
        assert f"place={code}" in bar.view_url
    busiest = max(tehsils.values(), key=lambda bar: bar.value)
    narrowed = dashboard_for_user(
        user=world.provincial_officer,
        filters=_period().with_(place=AdminUnit.objects.get(pcode=busiest.key)),
    )
    assert narrowed.received == busiest.value
    assert _listed(world.provincial_officer, narrowed.filters.case_list_url()) == busiest.value
    assert [bar.key for bar in narrowed.by_tehsil if bar.value] == [busiest.key]


def test_the_dashboard_page_links_tehsils_to_the_dashboard_and_the_case_list(
    world: World, client_for: object
) -> None:
    make_spread(world)
    summary_refresh()
    client = client_for(world.provincial_officer)  # type: ignore[operator]
    html = client.get(reverse("reports:dashboard") + "?place=PK617").content.decode()
    assert "Cases by tehsil" in html
    tehsil = AdminUnit.objects.filter(parent_id="PK617").first()
    assert tehsil is not None
    assert f"{reverse('reports:dashboard')}?" in html and f"place={tehsil.pcode}" in html
    assert f"{reverse('cases:list')}?" in html


def test_roles_that_may_not_list_cases_get_no_drill_down(world: World, client_for: object) -> None:
    make_spread(world)
    summary_refresh()
    lahore = AdminUnit.objects.get(pcode="PK617")
    board = without_links(
        dashboard_for_user(user=world.analyst, filters=_period().with_(place=lahore))
    )
    assert all(not rate.url and not rate.late_url for rate in board.compliance)
    assert all(not bar.url for bar in [*board.satisfaction, *board.by_tehsil])
    # Narrowing the figures to a tehsil is not a drill-down to cases: it stays.
    assert all(bar.view_url for bar in board.by_tehsil)
    client = client_for(world.analyst)  # type: ignore[operator]
    html = client.get(reverse("reports:dashboard") + "?place=PK617").content.decode()
    assert reverse("cases:list") not in html
    assert "Cases by tehsil" in html


def test_the_case_list_page_takes_the_drill_down_filters(world: World, client_for: object) -> None:
    make_spread(world)
    summary_refresh()
    client = client_for(world.provincial_officer)  # type: ignore[operator]
    tehsil = (
        AdminUnit.objects.filter(parent_id="PK617", pcode__in=Case.objects.values("tehsil_id"))
        .order_by("pcode")
        .first()
    )
    assert tehsil is not None
    inside = set(Case.objects.filter(tehsil=tehsil).values_list("reference", flat=True))
    outside = set(Case.objects.exclude(tehsil=tehsil).values_list("reference", flat=True))
    html = client.get(reverse("cases:list") + f"?place={tehsil.pcode}").content.decode()
    assert inside and all(reference in html for reference in inside)
    assert not any(reference in html for reference in outside)
    for query in ("timeliness=first_action_late", "satisfaction=satisfied", "referral=1-2"):
        assert client.get(reverse("cases:list") + "?" + query).status_code == 200
