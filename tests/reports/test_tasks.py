"""The reports' background jobs are registered with the queue and do their work."""

from __future__ import annotations

import pytest

from meesaq.core.tasks import periodic_jobs
from meesaq.reports import tasks
from meesaq.reports.models import CaseFact, PeriodicReport
from tests.personas import World
from tests.reports.factories import make_spread


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
