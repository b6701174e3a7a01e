"""The report builder: tables from the facts, medians, saving and sharing, exports."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from statistics import median
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meesaq.accounts.models import User
from meesaq.cases.models import Case
from meesaq.reports.builder import builder_table, saved_report_create
from meesaq.reports.filters import ReportFilters
from meesaq.reports.models import SavedReport
from meesaq.reports.summary import summary_refresh
from tests.personas import World, make_user
from tests.reports.factories import make_spread

pytestmark = pytest.mark.django_db
Signed = Callable[[User], Client]


def _filters() -> ReportFilters:
    today = timezone.localdate()
    return ReportFilters(date_from=today - timedelta(days=400), date_to=today)


@pytest.fixture
def spread(world: World) -> None:
    make_spread(world, count=36)
    summary_refresh()


def test_counts_by_category_and_channel_match_the_cases(world: World, spread: None) -> None:
    table = builder_table(
        user=world.provincial_officer,
        filters=_filters(),
        rows="category",
        columns="channel",
        measure="count",
    )
    counted = Counter((case.category_id, case.channel) for case in Case.objects.all())
    assert {k: int(v or 0) for k, v in table.cells.items()} == {
        (str(category), channel): n for (category, channel), n in counted.items()
    }


def test_counts_by_group_count_a_case_in_each_of_its_groups(world: World, spread: None) -> None:
    table = builder_table(
        user=world.provincial_officer, filters=_filters(), rows="group", columns="", measure="count"
    )
    counted = Counter(g.code for case in Case.objects.all() for g in case.groups.all())
    counted["—"] = Case.objects.filter(groups=None).count()
    assert {row: int(v or 0) for (row, _c), v in table.cells.items()} == dict(counted)


def test_median_days_to_resolution_by_district_matches_the_cases(
    world: World, spread: None
) -> None:
    table = builder_table(
        user=world.provincial_officer,
        filters=_filters(),
        rows="district",
        columns="",
        measure="median_resolution",
    )
    for district in ("PK617", "PK608"):
        days = [
            (finished - case.received_at).total_seconds() / 86400
            for case in Case.objects.filter(district_id=district)
            if (finished := case.resolved_at or case.closed_at) is not None
        ]
        assert table.cells[(district, "")] == round(median(days), 1)


def test_medians_by_group_are_computed_per_group(world: World, spread: None) -> None:
    table = builder_table(
        user=world.provincial_officer,
        filters=_filters(),
        rows="group",
        columns="",
        measure="median_first_action",
    )
    days = [
        (c.first_action_at - c.received_at).total_seconds() / 86400
        for c in Case.objects.filter(groups__code="hindu")
        if c.first_action_at is not None
    ]
    assert table.cells[("hindu", "")] == round(median(days), 1)


def test_a_district_supervisor_builds_only_from_their_district(world: World, spread: None) -> None:
    table = builder_table(
        user=world.supervisor, filters=_filters(), rows="district", columns="", measure="count"
    )
    assert [key for key, _label in table.rows] == ["PK617"]


def test_the_builder_page_shows_the_table_and_chart(
    world: World, client_for: Signed, spread: None
) -> None:
    url = reverse("reports:builder") + "?rows=status&columns=priority&measure=count"
    html = client_for(world.analyst).get(url).content.decode()
    assert 'class="chart-svg"' in html
    assert "Urgent" in html
    assert " style=" not in html


def test_same_rows_and_columns_are_refused_with_a_message(
    world: World, client_for: Signed, spread: None
) -> None:
    url = reverse("reports:builder") + "?rows=status&columns=status"
    html = client_for(world.analyst).get(url).content.decode()
    assert "Rows and columns must be different." in html


@pytest.mark.parametrize(
    "fmt,kind",
    [("csv", "text/csv"), ("xlsx", "spreadsheetml"), ("png", "image/png"), ("svg", "image/svg")],
)
def test_built_tables_export(
    world: World, client_for: Signed, spread: None, fmt: str, kind: str
) -> None:
    url = reverse("reports:builder_export", args=[fmt]) + "?rows=category&measure=count"
    response: Any = client_for(world.analyst).get(url)
    assert response.status_code == 200
    assert kind in response["Content-Type"]
    if fmt == "csv":
        text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
        rows = list(csv.reader(io.StringIO(text)))
        assert sum(float(row[1]) for row in rows[1:]) == Case.objects.count()


def test_saved_reports_are_shared_with_the_organisation_only_when_asked(
    world: World, client_for: Signed
) -> None:
    colleague = make_user("analyst2", world.punjab_department, "analyst")  # type: ignore[arg-type]
    private = saved_report_create(
        actor=world.analyst, name="Mine", shared=False, definition={"rows": "status"}
    )
    shared = saved_report_create(
        actor=world.analyst, name="Ours", shared=True, definition={"rows": "channel"}
    )
    client = client_for(colleague)
    assert client.get(reverse("reports:saved_open", args=[shared.pk])).status_code == 302
    assert client.get(reverse("reports:saved_open", args=[private.pk])).status_code == 404
    assert (
        client_for(world.outsider).get(reverse("reports:saved_open", args=[shared.pk])).status_code
        == 404
    )
    # Only the owner deletes.
    assert client.post(reverse("reports:saved_delete", args=[shared.pk])).status_code == 404
    assert (
        client_for(world.analyst)
        .post(reverse("reports:saved_delete", args=[shared.pk]))
        .status_code
        == 302
    )
    assert not SavedReport.objects.filter(pk=shared.pk).exists()


def test_saving_through_the_page_keeps_the_definition(
    world: World, client_for: Signed, spread: None
) -> None:
    response = client_for(world.supervisor).post(
        reverse("reports:builder_save"),
        {"name": "By status", "rows": "status", "measure": "count", "shared": "on"},
    )
    assert response.status_code == 302
    report = SavedReport.objects.get(name="By status")
    assert report.definition == {"rows": "status", "measure": "count"}
    assert report.shared


def test_saving_without_a_name_changes_nothing(world: World, client_for: Signed) -> None:
    client_for(world.supervisor).post(
        reverse("reports:builder_save"), {"name": " ", "rows": "status"}
    )
    assert not SavedReport.objects.exists()


@pytest.mark.parametrize(
    "persona", ["intake_officer", "case_officer", "partner_caseworker", "administrator"]
)
def test_the_builder_is_for_supervisors_provincial_officers_and_analysts(
    world: World, client_for: Signed, persona: str
) -> None:
    assert client_for(world.personas()[persona]).get(reverse("reports:builder")).status_code == 404


def test_the_overall_median_matches_the_cases(world: World, spread: None) -> None:
    from meesaq.reports.medians import median_of
    from meesaq.reports.models import CaseFact

    days = [
        (case.first_action_at - case.received_at).total_seconds() / 86400
        for case in Case.objects.all()
        if case.first_action_at is not None
    ]
    found = median_of(CaseFact.objects.all(), column="days_to_first_action")
    assert found is not None
    assert round(found, 6) == round(median(days), 6)
