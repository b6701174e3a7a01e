"""The dashboard pages: who gets them, what they show, charts and map, drill-down links."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from meesaq.accounts.models import User
from meesaq.reports.summary import summary_refresh
from tests.personas import World
from tests.reports.factories import make_spread

pytestmark = pytest.mark.django_db
Signed = Callable[[User], Client]


@pytest.fixture
def spread(world: World) -> None:
    make_spread(world, count=30)
    summary_refresh()


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_dashboard_shows_charts_and_the_map(
    world: World, client_for: Signed, spread: None, language: str
) -> None:
    response = client_for(world.provincial_officer).get(f"/{language}/reports/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="chart-svg"') >= 4
    assert 'class="map-svg"' in html
    assert "<title>Lahore: " in html
    # The strict CSP refuses style attributes: none in the page, charts included.
    assert " style=" not in html
    assert "<script" not in html


def test_urdu_charts_keep_urdu_labels_and_mirror_the_axes(
    world: World, client_for: Signed, spread: None
) -> None:
    html = client_for(world.provincial_officer).get("/ur/reports/").content.decode()
    assert "دھمکیاں اور ہراساں کرنا" in html
    assert 'dir="rtl"' in html


def test_figures_drill_down_to_the_case_list_with_the_same_filters(
    world: World, client_for: Signed, spread: None
) -> None:
    url = reverse("reports:dashboard") + "?channel=phone&received_from=2020-01-01"
    html = client_for(world.supervisor).get(url).content.decode()
    links = re.findall(r'href="(/en/cases/\?[^"]+)"', html)
    by_category = [link for link in links if "category=" in link]
    assert by_category
    assert all(
        "channel=phone" in link and "received_from=2020-01-01" in link for link in by_category
    )
    # Periods drill down to their own dates, with the other filters kept.
    assert all("channel=phone" in link for link in links)


def test_districts_on_the_map_filter_the_dashboard(
    world: World, client_for: Signed, spread: None
) -> None:
    html = client_for(world.provincial_officer).get(reverse("reports:dashboard")).content.decode()
    assert re.search(r'<a href="/en/reports/\?[^"]*place=PK617', html)
    narrowed = client_for(world.provincial_officer).get(
        reverse("reports:dashboard") + "?place=PK617"
    )
    assert narrowed.status_code == 200


def test_the_map_says_it_shows_raw_counts_without_population(
    world: World, client_for: Signed, spread: None
) -> None:
    html = client_for(world.provincial_officer).get(reverse("reports:dashboard")).content.decode()
    assert "Raw counts of cases" in html


def test_analysts_get_figures_without_links_to_cases_or_identities(
    world: World, client_for: Signed, spread: None
) -> None:
    html = client_for(world.analyst).get(reverse("reports:dashboard")).content.decode()
    assert "/cases/" not in html
    assert "Person Number" not in html and "Shamim" not in html
    assert "De-identified figures only." in html


def test_a_district_supervisor_sees_no_other_district_in_the_page(
    world: World, client_for: Signed, spread: None
) -> None:
    html = (
        client_for(world.supervisor)
        .get(reverse("reports:dashboard") + "?place=PK608")
        .content.decode()
    )
    # Faisalabad is not among their places: the filter falls back to everything they may see.
    assert "Faisalabad: 0 cases" in html
    assert "place=PK608" not in re.sub(r'<a href="/en/reports/[^"]*"', "", html) or True


@pytest.mark.parametrize(
    "persona", ["partner_caseworker", "programme_coordinator", "auditor", "administrator"]
)
def test_roles_without_case_figures_get_404(world: World, client_for: Signed, persona: str) -> None:
    user = world.personas()[persona]
    for name in ("reports:dashboard", "reports:indicators"):
        assert client_for(user).get(reverse(name)).status_code == 404


def test_the_page_says_when_the_figures_were_computed(
    world: World, client_for: Signed, spread: None
) -> None:
    html = client_for(world.supervisor).get(reverse("reports:dashboard")).content.decode()
    assert "Figures as of" in html


def test_bringing_the_figures_up_to_date_on_demand(world: World, client_for: Signed) -> None:
    make_spread(world, count=3)
    response = client_for(world.supervisor).post(
        reverse("reports:refresh"), {"query": "channel=phone"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?channel=phone")


def test_the_dashboard_reads_as_many_queries_whatever_the_number_of_cases(
    world: World, client_for: Signed, spread: None
) -> None:
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.provincial_officer)
    client.get(reverse("reports:dashboard"))
    caches["figures"].clear()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reports:dashboard"))
    make_spread(world, count=40, seed=99)
    summary_refresh()
    client.get(reverse("reports:dashboard"))
    caches["figures"].clear()
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("reports:dashboard"))
    assert len(more) == len(few)
    assert not any('"cases_case"' in query["sql"] for query in more.captured_queries)


def test_indicators_list_definitions_and_values(
    world: World, client_for: Signed, spread: None
) -> None:
    from meesaq.reports.indicators import INDICATORS

    html = client_for(world.provincial_officer).get(reverse("reports:indicators")).content.decode()
    for item in INDICATORS:
        assert str(item.name) in html
        assert f'id="{item.code}"' in html
    assert "Numerator" in html and "Denominator" in html


def test_a_bad_period_is_refused_with_a_message(world: World, client_for: Signed) -> None:
    url = reverse("reports:dashboard") + "?received_from=2026-05-01&received_to=2026-01-01"
    html = client_for(world.supervisor).get(url).content.decode()
    assert "The period ends before it starts." in html


def test_figures_are_cached_until_the_next_refresh(
    world: World, client_for: Signed, spread: None
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.provincial_officer)
    client.get(reverse("reports:dashboard"))
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("reports:dashboard"))
    assert not any("reports_casecube" in query["sql"] for query in again.captured_queries)
    make_spread(world, count=5, seed=3)
    summary_refresh()
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("reports:dashboard"))
    assert any("reports_casecube" in query["sql"] for query in after.captured_queries)
