"""Background work for reports: the summary refresh and the monthly reports (``meesaq tick``)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from meesaq.core.tasks import periodic
from meesaq.reports.periodic import monthly_reports_generate
from meesaq.reports.summary import summary_refresh
from meesaq.reports.warming import default_dashboards_warm


# Every five minutes: the "figures as of" note on each dashboard is at most that old.
@periodic(every=timedelta(minutes=5))
@task()
def refresh_summary() -> dict[str, int]:
    """Bring the summary tables up to date, then compute the default dashboards again."""
    report = summary_refresh()
    warmed = default_dashboards_warm()
    return {
        "cases": report.cases,
        "referrals": report.referrals,
        "cube_rows": report.cube_rows,
        "dashboards_warmed": warmed,
    }


# Nightly: rebuild everything, healing anything an incremental pass could not see.
@periodic(every=timedelta(days=1))
@task()
def rebuild_summary() -> dict[str, int]:
    """Rebuild the summary tables from the cases, then compute the default dashboards again."""
    report = summary_refresh(full=True)
    warmed = default_dashboards_warm()
    return {
        "cases": report.cases,
        "referrals": report.referrals,
        "cube_rows": report.cube_rows,
        "dashboards_warmed": warmed,
    }


# Every six hours; it makes only the reports of last month still missing, so once a month.
@periodic(every=timedelta(hours=6))
@task()
def monthly_reports() -> dict[str, int]:
    """Generate last month's reports of every province and district with cases."""
    summary_refresh()
    return {"reports": monthly_reports_generate()}
