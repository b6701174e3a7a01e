"""The reports' background jobs are registered with the queue and do their work."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from meesaq.accounts.models import User
from meesaq.core.tasks import periodic_jobs
from meesaq.reports import tasks
from meesaq.reports.models import CaseFact, PeriodicReport
from tests.personas import World
from tests.reports.factories import make_spread

Signed = Callable[[User], Client]


def test_the_refresh_and_the_monthly_reports_are_periodic_jobs() -> None:
    jobs = periodic_jobs()
    paths = {path.rsplit(".", 1)[-1] for path in jobs}
    assert {"refresh_summary", "rebuild_summary", "monthly_reports"} <= paths


@pytest.mark.django_db
def test_the_refresh_job_fills_the_summary_tables(world: World) -> None:
    make_spread(world, count=6)
    assert tasks.refresh_summary.call()["cases"] == 6
    assert CaseFact.objects.count() == 6
    assert tasks.rebuild_summary.call()["cases"] == 6


@pytest.mark.django_db
def test_the_monthly_job_reports_last_month(world: World) -> None:
    make_spread(world, count=6)
    result = tasks.monthly_reports.call()
    assert result["reports"] == PeriodicReport.objects.count()


@pytest.mark.django_db
def test_the_refresh_job_computes_the_default_dashboards_before_anyone_asks(
    world: World, client_for: Signed
) -> None:
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    make_spread(world, count=6)
    caches["figures"].clear()
    result = tasks.refresh_summary.call()
    assert result["dashboards_warmed"] >= 3
    for user in (world.provincial_officer, world.supervisor, world.analyst):
        for language in ("en", "ur"):
            with translation.override(language):
                url = reverse("reports:dashboard")
            with CaptureQueriesContext(connection) as reads:
                page = client_for(user).get(url)
            assert page.status_code == 200
            summary_reads = [
                query["sql"]
                for query in reads.captured_queries
                if "reports_casecube" in query["sql"] or "reports_cubemargin" in query["sql"]
            ]
            assert summary_reads == [], (user.username, language)
